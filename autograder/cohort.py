"""A simulated cohort: learners of seeded quality handing in each gate, some twice.

The demo needs a realistic class without real learners. Each simulated learner runs one
of the scenarios and has a quality level drawn from a seed:

* **strong** hands in the instructor's reference solution: approved first time;
* **steady** hands it in with one flaw that costs conditions (a mutation whose expected
  decision is *approved with conditions*);
* **struggling** hands it in with a flaw that sends the gate back (a mutation whose
  expected decision is *rework*), then resubmits the repaired work: the rework loop.

Flaws are the named mutations of :mod:`livepmo.autograder.mutations`, the same damage the
test matrix uses, so the reviews the demo shows are the ones the tests pin down.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from livepmo.autograder.course import notebook_path
from livepmo.autograder.mutations import Mutation, all_mutations, mutate
from livepmo.deliverables import ProjectAssignment
from livepmo.errors import LivepmoError
from livepmo.storage import DeliverableStore

#: The instructor's reference solutions (in the repository; not in the installed package).
REFERENCE = Path(__file__).resolve().parents[1] / "scenarios" / "reference"
Quality = Literal["strong", "steady", "struggling"]
_QUALITIES: tuple[Quality, ...] = ("strong", "steady", "struggling")
#: The reference solutions' decision logs replay on this variant of each scenario.
SEED = 0


@dataclass(frozen=True)
class Learner:
    """A simulated learner: an id, the scenario they run and how well they work."""

    id: str
    scenario: str
    quality: Quality


def cohort(size: int = 12, *, seed: int = 2026) -> list[Learner]:
    """``size`` learners spread over the scenarios, with seeded quality levels.

    There is always at least one struggling learner (the rework loop) and one strong one.
    """
    from livepmo.scenarios import scenario_ids

    scenarios = scenario_ids()
    rng = random.Random(seed)
    # A class is mostly sound work: 40 % strong, 40 % steady, 20 % sent back for rework.
    qualities = [rng.choices(_QUALITIES, weights=(2, 2, 1))[0] for _ in range(size)]
    if size >= 2 and "struggling" not in qualities:
        qualities[-1] = "struggling"
    if size >= 2 and "strong" not in qualities:
        qualities[0] = "strong"
    return [Learner(f"learner-{i + 1:02d}", scenarios[i % len(scenarios)], q)
            for i, q in enumerate(qualities)]


def flaw(learner: Learner, gate: str, attempt: int) -> Mutation | None:
    """The flaw in a learner's attempt at a gate (None: the work is sound).

    A resubmission (attempt 2 on) is the repaired work. The choice among the gate's
    flaws is seeded by the learner and the gate, so a demo run is reproducible.
    """
    if learner.quality == "strong" or attempt > 1:
        return None
    wanted = "approved_with_conditions" if learner.quality == "steady" else "rework"
    options = [m for m in all_mutations() if m.gate == gate and m.decision == wanted]
    if not options:
        return None
    return random.Random(f"{learner.id}/{gate}").choice(options)


def submit(course: Path, learner: Learner, gate: str, attempt: int = 1) -> str:
    """Hand in a learner's attempt at ``gate`` as nbgrader's ``submitted/`` folder holds
    it: the released notebook and the deliverables. Returns what was handed in
    ("reference" or the flaw's name). A resubmission replaces the previous one."""
    reference = REFERENCE / learner.scenario / gate
    if not reference.is_dir():
        raise LivepmoError(f"no reference solution at {reference}: the simulated cohort "
                           "needs the repository's scenarios/reference/ folder")
    folder = course / "submitted" / learner.id / gate
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(notebook_path(course, gate, "release"), folder)
    damage = flaw(learner, gate, attempt)
    if damage is None:
        shutil.copytree(reference, folder / "deliverables")
    else:
        mutate(damage, reference, folder / "deliverables")
    DeliverableStore(folder / "deliverables").save(ProjectAssignment(
        scenario=learner.scenario, seed=SEED, learner=learner.id,
        assigned_on=dt.date(2026, 9, 7)))
    return "reference" if damage is None else damage.name
