"""What the checks of one review see: the deliverables, the scenario and the recomputations.

Everything is read once and recomputed once per review (architecture decision 2: the
grader recomputes, it never trusts): the critical path and the Monte Carlo of the
learner's schedule, and the execution replayed from the learner's decision log.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TypeVar

from livepmo.autograder.findings import Evidence
from livepmo.deliverables import KINDS, DecisionLog, Deliverable, Schedule
from livepmo.errors import DeliverableError, LivepmoError, Problem
from livepmo.execution import Simulation, WeekState
from livepmo.planning import (
    CpmResult,
    MonteCarloResult,
    Network,
    ThreePoint,
    WorkCalendar,
    critical_path,
    simulate,
)
from livepmo.scenarios.schema import Scenario
from livepmo.storage import DeliverableStore

D = TypeVar("D", bound=Deliverable)

#: Iterations of the review's Monte Carlo: enough for a stable P80, cheap enough to
#: review a gate in milliseconds. Seeded, so a review is reproducible.
MC_ITERATIONS = 2000
MC_SEED = 20_260_101


class Missing(LivepmoError):
    """A check needs something the submission lacks; the engine turns it into a finding."""

    def __init__(self, artifact: str, message: str, fix: str) -> None:
        self.artifact = artifact
        self.fix = fix
        super().__init__(message)


class Context:
    """One review's inputs, read and recomputed once."""

    def __init__(self, gate: str, folder: Path, scenario: Scenario | None = None) -> None:
        self.gate = gate
        self.folder = Path(folder)
        self.scenario = scenario
        self._store = DeliverableStore(self.folder)
        # Each deliverable is read on first use, once: a gate's folder holds the whole
        # project so far, and most checks need only a few of its files.
        self._read: dict[str, Deliverable | list[Problem] | None] = {}

    def _load(self, kind: str) -> Deliverable | list[Problem] | None:
        """The valid deliverable, its problems when invalid, or None when missing."""
        if kind not in self._read:
            try:
                self._read[kind] = self._store.load(KINDS[kind])
            except DeliverableError as exc:
                self._read[kind] = exc.problems
        return self._read[kind]

    def get(self, model: type[D]) -> D | None:
        """The valid deliverable of this kind, or None."""
        found = self._load(model.KIND)
        return found if isinstance(found, model) else None

    def problems_of(self, kind: str) -> list[Problem]:
        """Why the deliverable of ``kind`` is invalid; empty when it is valid or missing."""
        found = self._load(kind) if kind in KINDS else None
        return found if isinstance(found, list) else []

    def require(self, model: type[D]) -> D:
        """The valid deliverable of this kind; raises Missing (a finding) otherwise."""
        found = self.get(model)
        if found is not None:
            return found
        problems = self.problems_of(model.KIND)
        if problems:
            first = problems[0]
            raise Missing(model.KIND, f"{model.KIND}.json is invalid: {first.render()}",
                          f"run `livepmo check {self.folder / (model.KIND + '.json')}` and fix "
                          "every problem it lists")
        raise Missing(model.KIND, f"{model.KIND}.json is missing",
                      f"build the {model.TITLE.lower()} and save it to {self.folder}")

    def absent(self, kinds: list[str]) -> list[Evidence]:
        """Evidence for each of ``kinds`` that is missing or invalid (empty: all there)."""
        found: list[Evidence] = []
        for kind in kinds:
            loaded = self._load(kind) if kind in KINDS else None
            if isinstance(loaded, Deliverable):
                continue
            found.append(
                Evidence(kind, loaded[0].path, f"invalid: {loaded[0].message}")
                if loaded
                else Evidence(kind, "", "missing")
            )
        return found

    def require_scenario(self) -> Scenario:
        """The scenario; raises Missing when the review runs without one."""
        if self.scenario is None:
            raise Missing("scenario", "this check needs the scenario",
                          "review with --scenario ID (and --seed N for your variant)")
        return self.scenario

    @cached_property
    def _network(self) -> tuple[Network, WorkCalendar]:
        # Built once and shared by the critical path and the Monte Carlo.
        schedule = self.require(Schedule)
        calendar = WorkCalendar.of(schedule)
        return Network.from_schedule(schedule, calendar), calendar

    @cached_property
    def cpm(self) -> CpmResult:
        """The critical path of the learner's schedule, recomputed."""
        network, calendar = self._network
        return critical_path(network, calendar=calendar, deadline=self.require(Schedule).deadline)

    @cached_property
    def monte_carlo(self) -> MonteCarloResult:
        """The learner's schedule risk, recomputed (seeded)."""
        schedule = self.require(Schedule)
        network, calendar = self._network
        return simulate(network, seed=MC_SEED, iterations=MC_ITERATIONS,
                        estimates=ThreePoint.of(schedule), calendar=calendar,
                        deadline=schedule.deadline)

    @cached_property
    def simulation(self) -> Simulation:
        """Execution replayed from the learner's decision log and run on to closure."""
        scenario = self.require_scenario()
        if scenario.seed is None:
            raise Missing("scenario", "execution needs the learner's variant of the scenario",
                          "review with --seed N (the seed of your variant)")
        schedule = self.require(Schedule)
        log = self.get(DecisionLog) or DecisionLog()
        try:
            sim = Simulation(scenario, schedule, log)
            sim.run()
        except LivepmoError as exc:
            raise Missing("decision_log", f"the decision log cannot be replayed: {exc}",
                          "fix the decision it names; the simulation refuses it") from None
        return sim

    @property
    def weeks(self) -> list[WeekState]:
        """Every week of the replayed execution."""
        return list(self.simulation.history)
