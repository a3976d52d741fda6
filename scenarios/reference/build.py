"""Build the instructor-only reference solutions of every scenario, gate by gate.

    python scenarios/reference/build.py                 # every scenario in the library
    python scenarios/reference/build.py wms-rollout     # one or more by id
    python scenarios/reference/build.py --out DIR ID    # somewhere else (tests use this)

writes ``<out>/<id>/<gate>/<kind>.json`` for the gates ``01-initiation`` (charter,
stakeholder register, initial risk register), ``02-planning`` (schedule with its baseline,
full risk register, communications plan), ``03-execution`` (status reports, change log,
decision log, issue log, exception reports) and ``04-closure`` (closure report, lessons
learned). Every file is written through :class:`~livepmo.storage.DeliverableStore`, so it
is schema-checked, and the output is deterministic: the same library gives the same bytes.

Planning (gates 1 and 2) works from the scenario as published, the catalogue every
learner's variant is drawn from. Execution and closure (gates 3 and 4) run the planning
gate's schedule through the simulation on the *reference variant*
(``load_scenario(id, seed=REFERENCE_SEED)``) with the reference policy (``policy.py``).
See README.md beside this file for the conventions and the key figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Literal

from livepmo.deliverables import (
    ChangeLog,
    ChangeRequest,
    Charter,
    ClosureReport,
    CommunicationsPlan,
    Decision,
    DecisionLog,
    Deliverable,
    ExceptionReport,
    ExceptionReports,
    Issue,
    IssueLog,
    Lesson,
    LessonsLearned,
    Risk,
    RiskRegister,
    Schedule,
    Stakeholder,
    StakeholderRegister,
    StatusReport,
    StatusReports,
)
from livepmo.deliverables.changes import CcbDecision
from livepmo.deliverables.changes import Impact as ChangeImpact
from livepmo.deliverables.charter import (
    Authority,
    Budget,
    Milestone,
    Objective,
    Scope,
    SignOff,
    Tolerances,
)
from livepmo.deliverables.closure import (
    Acceptance,
    ChangeStatistics,
    ClosureSignOff,
    Handover,
    ObjectiveOutcome,
)
from livepmo.deliverables.communications import Communication, Frequency
from livepmo.deliverables.exception_report import ExceptionOption
from livepmo.deliverables.risks import Response, Statement
from livepmo.deliverables.stakeholders import Engagement, Salience
from livepmo.deliverables.status import EvmInputs, MilestoneStatus, ReportedIndices
from livepmo.execution import Forecast, Occurrence, Outcome, Simulation, WeekState
from livepmo.planning import (
    CpmResult,
    WorkCalendar,
    contingency_reserve,
    critical_path,
    earned_value,
    with_baseline,
)
from livepmo.scenarios import load_scenario, scenario_ids, schedule_from_catalogue
from livepmo.scenarios.schema import Impact, RiskResponse, RiskSeed, Scenario, StakeholderSeed
from livepmo.storage import DeliverableStore

HERE = Path(__file__).resolve().parent
#: The seed of the reference variant that execution and closure run on.
REFERENCE_SEED = 0
#: The Monte Carlo run the README and the tests quote (seed, iterations).
MC_SEED = 1
MC_ITERATIONS = 5000
GATES = ("01-initiation", "02-planning", "03-execution", "04-closure")
#: The project manager is the learner; the reference names the role, not a person.
PM = "Project manager"
#: Risks in the initial (gate 1) register: every high or critical one, at least this many.
INITIAL_RISKS = 8
CHANGE_REQUEST_KINDS = ("scope_push", "regulatory")


def _load_policy() -> ModuleType:
    """policy.py beside this file (not an installed module: references are never shipped)."""
    spec = importlib.util.spec_from_file_location("livepmo_reference_policy", HERE / "policy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


# -- small formatting helpers ------------------------------------------------------------


def _money(value: float, currency: str) -> str:
    return f"{value:,.0f} {currency}"


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def _join(items: Sequence[str], word: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _round_up(value: float, step: float) -> float:
    return float(math.ceil(value / step) * step)


# -- the plan ----------------------------------------------------------------------------


def _working_day_before(day: date, calendar: WorkCalendar) -> date:
    """The last working day (weekly pattern and holidays) before ``day``."""
    mask, holidays = calendar.weekmask, set(calendar.holidays)
    d = day - timedelta(days=1)
    while mask[d.weekday()] != "1" or d in holidays:
        d -= timedelta(days=1)
    return d


def build_schedule(s: Scenario) -> Schedule:
    """Every catalogue activity at its most likely duration in whole days, the catalogue's
    three-point estimates, links, costs and resources, the scenario's calendar and
    deadline, and a baseline equal to the CPM early dates, approved the working day
    before the start."""
    plan = schedule_from_catalogue(s)
    return with_baseline(plan, _working_day_before(s.start, WorkCalendar.of(plan)))


# -- risks -------------------------------------------------------------------------------

_STOP = frozenset((
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "from", "by",
    "at", "as", "is", "are", "be", "not", "no", "its", "it", "their", "this", "that",
    "than", "into", "per", "over", "under", "after", "before", "more", "less", "new", "all",
    "any", "each", "who", "what", "which", "will", "would", "can", "could", "may", "might",
    "must", "should", "has", "have", "had", "been", "was", "were", "they", "them", "our",
    "we", "you", "your", "up", "out", "off", "so", "if", "then", "also", "only", "one",
    "two", "three", "four", "five", "week", "weeks", "days", "day", "month", "months",
    "year", "years", "project", "programme", "head", "team", "lead", "manager", "director",
    "chief", "officer",
))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9-]{2,}", text.lower()) if w not in _STOP}


@dataclass(frozen=True)
class RiskFacts:
    """A risk seed as a planner sizes it: money and days at stake, ranks, owner, response."""

    seed: RiskSeed
    cost: float
    days: int
    probability_rank: int
    impact_rank: int
    owner: StakeholderSeed
    response: RiskResponse
    expected_harm: float
    residual_harm: float


class Planner:
    """Everything the planning gates derive from the scenario as published."""

    def __init__(self, s: Scenario) -> None:
        self.s = s
        self.schedule = build_schedule(s)
        self.cpm: CpmResult = critical_path(self.schedule)
        self.calendar = WorkCalendar.of(self.schedule)
        self.bac = sum(a.cost for a in s.activities)
        self.people = {p.id: p for p in s.stakeholders}
        self.sponsor = self._person(s.sponsor.name)
        self.reviewer = self._person(s.reviewer.name)
        self.handover = self.people[s.closure.handover_owner]
        #: Level-of-effort activities last as long as the work they support.
        self.level_of_effort = {a.id for a in s.activities
                                if "level of effort" in a.name.lower() or "LOE" in a.id}
        self.rates = {a.id: a.cost / a.most_likely for a in s.activities if a.most_likely > 0}
        self.burn = self.bac / max(1, self.cpm.finish)
        dates = self.cpm.dates()
        index = {aid: i for i, aid in enumerate(self.cpm.ids)}
        self.early_finish = {aid: dates["early_finish"][i].astype(object)
                             for aid, i in index.items()}
        self.floats = dict(zip(self.cpm.ids, self.cpm.total_float.tolist(), strict=True))
        #: The charter is approved a week before the planning baseline.
        self.charter_date = _working_day_before(s.start, self.calendar) - timedelta(days=7)
        self.risks = [self._risk(r) for r in s.risks]
        self.register = self._register(self.risks)
        #: The register's expected monetary value as assessed (before any response).
        self.reserve = contingency_reserve(self.register)
        #: ... and as it stands once the planned responses are in place.
        self.residual = contingency_reserve(self._residual_register())
        self.response_costs = sum(f.response.cost for f in self.risks
                                  if f.response.strategy != "accept")
        #: Expected minus most likely labour: the triangular estimates are skewed right.
        self.estimate_reserve = sum(
            ((a.optimistic + a.most_likely + a.pessimistic) / 3 - a.most_likely)
            * self.rates.get(a.id, 0.0)
            for a in s.activities
        )
        self.reserve_needed = self.residual.amount + self.response_costs
        self.contingency = min(s.contingency, _round_up(self.reserve_needed, 5000))

    def _person(self, name: str) -> StakeholderSeed | None:
        wanted = name.casefold().strip()
        return next((p for p in self.s.stakeholders if p.name.casefold().strip() == wanted),
                    None)

    # sizing -------------------------------------------------------------------------

    def finish_delay(self, delay: dict[str, int]) -> int:
        """Working days the planned finish moves when these activities take longer."""
        if not delay:
            return 0
        acts = [a.model_copy(update={"duration": max(0, a.duration + delay.get(a.id, 0))})
                for a in self.schedule.activities]
        moved = critical_path(self.schedule.model_copy(update={"activities": acts}))
        return moved.finish - self.cpm.finish

    def harm(self, impact: Impact) -> float:
        """The money an impact puts at stake: one-off cost, the extra work on the delayed
        activities at their daily rate, and the planned daily burn for each day the
        finish moves."""
        work = sum(days * self.rates.get(aid, 0.0) for aid, days in impact.delay.items())
        return impact.cost + work + self.finish_delay(impact.delay) * self.burn

    def _risk(self, r: RiskSeed) -> RiskFacts:
        impact = r.impact
        work = sum(abs(d) * self.rates.get(aid, 0.0) for aid, d in impact.delay.items())
        cost = abs(impact.cost) + work
        days = abs(self.finish_delay(impact.delay))
        p_rank = _probability_rank(r.probability)
        t = self.s.tolerances
        ranks = [
            _band(cost / self.bac if self.bac else 0, (0.0, 0.005, 0.01, 0.025, 0.05)),
            _band(days, (0, 0, t.time_days / 3, 2 * t.time_days / 3, t.time_days)),
            _band(abs(impact.scope_pct), (0.0, 0.0, 1.0, 3.0, max(t.scope_pct, 3.0))),
            _band(abs(impact.quality), (0, 0, 5, 10, 20)),
        ]
        i_rank = max(ranks)
        harm = self.harm(impact)
        if r.type == "threat":
            response = min(r.responses, key=lambda x: (
                x.cost + x.probability_after * x.impact_factor * harm, x.id))
            before = r.probability * harm
            after = response.cost + response.probability_after * response.impact_factor * harm
            if after >= before:
                response = next((x for x in r.responses if x.strategy == "accept"), response)
                after = before
        else:
            gain = -harm
            response = max(r.responses, key=lambda x: (
                x.probability_after * x.impact_factor * gain - x.cost, x.id))
            before = -r.probability * gain
            after = response.cost - response.probability_after * response.impact_factor * gain
            if after >= before:
                response = next((x for x in r.responses if x.strategy == "accept"), response)
                after = before
        return RiskFacts(seed=r, cost=round(cost, -2), days=days, probability_rank=p_rank,
                         impact_rank=i_rank, owner=self._owner(r), response=response,
                         expected_harm=before, residual_harm=after)

    def _owner(self, r: RiskSeed) -> StakeholderSeed:
        """The internal stakeholder whose position and interests best match the risk."""
        text = _words(f"{r.title} {r.category} {r.cause} {r.event} {r.early_signs}")
        hit = {who for who, d in r.impact.satisfaction.items() if d < 0}
        skip = {p.id for p in (self.sponsor, self.reviewer) if p is not None}
        pool = [p for p in self.s.stakeholders if p.internal and p.id not in skip] or list(
            self.s.stakeholders)

        def score(p: StakeholderSeed) -> tuple[float, int, int]:
            words = _words(f"{p.position} {p.interests}")
            overlap = len(text & words)
            return (overlap + (1.5 if p.id in hit else 0), p.power, -self.s.stakeholders.index(p))

        return max(pool, key=score)

    def _residual_register(self) -> RiskRegister:
        """The register with each risk's probability and money after its planned response."""
        risks = []
        for f, entry in zip(self.risks, self.register.risks, strict=True):
            r = f.response
            rank = _probability_rank(r.probability_after)
            money = (entry.cost_impact or 0.0) * r.impact_factor
            risks.append(entry.model_copy(update={
                "probability": float(rank), "cost_impact": money or None}))
        return self.register.model_copy(update={"risks": risks})

    def _register(self, facts: Sequence[RiskFacts]) -> RiskRegister:
        return RiskRegister(scale="5x5", risks=[self.risk_entry(f) for f in facts])

    def risk_entry(self, f: RiskFacts) -> Risk:
        r, s = f.seed, self.s
        cur = s.currency
        areas: list[Literal["cost", "schedule", "scope", "quality"]] = []
        if f.cost:
            areas.append("cost")
        if f.days:
            areas.append("schedule")
        if r.impact.scope_pct:
            areas.append("scope")
        if r.impact.quality:
            areas.append("quality")
        resp = f.response
        actions = [f"{resp.id}: {resp.description}"]
        if resp.strategy != "accept":
            if resp.cost:
                actions.append(f"Response budget {_money(resp.cost, cur)}, drawn from the "
                               "contingency reserve when the response starts.")
            actions.append(
                f"Expected effect: probability about {_pct(resp.probability_after)} "
                f"(now {_pct(r.probability)})"
                + (f", impact × {resp.impact_factor:g}" if resp.impact_factor != 1 else "")
                + f"; expected harm {_money(max(f.residual_harm, 0), cur)} including the "
                f"response, against {_money(max(f.expected_harm, 0), cur)} without it."
                if r.type == "threat" else
                f"Expected effect: probability about {_pct(resp.probability_after)} "
                f"(now {_pct(r.probability)})"
                + (f", benefit × {resp.impact_factor:g}" if resp.impact_factor != 1 else "")
                + ".")
        else:
            others = [x for x in r.responses if x.strategy != "accept"]
            if others:
                cheapest = min(others, key=lambda x: x.cost)
                actions.append(
                    f"Not bought: {cheapest.id} ({cheapest.strategy}, "
                    f"{_money(cheapest.cost, cur)}) costs more than the "
                    f"{_money(max(abs(f.expected_harm), 0), cur)} of expected "
                    + ("harm it would remove." if r.type == "threat" else "gain it would add."))
        actions.append(f"{f.owner.name} reviews the trigger in the weekly risk review; "
                       "the status report carries the risk while it is in its window.")
        first, last = r.weeks
        window_start = s.start + timedelta(days=7 * (first - 1))
        raised = self.charter_date
        review = max(raised + timedelta(days=7), window_start - timedelta(days=7))
        return Risk(
            id=r.id,
            title=r.title,
            statement=Statement(cause=r.cause, event=r.event, effect=r.effect),
            category=r.category,
            type=r.type,
            probability=float(f.probability_rank),
            impact=float(f.impact_rank),
            impact_areas=areas,
            cost_impact=f.cost or None,
            schedule_impact_days=f.days or None,
            response=Response(strategy=resp.strategy, actions=actions),
            trigger=r.early_signs,
            contingency=self.contingency_plan(f, first, last),
            owner=f.owner.name,
            status="open",
            raised=raised,
            next_review=review,
        )

    def contingency_plan(self, f: RiskFacts, first: int, last: int) -> str:
        r, s, cur = f.seed, self.s, self.s.currency
        if r.type == "opportunity":
            return (f"If it arises (expected in weeks {first}–{last}): take it through change "
                    "control, put the saving or the days gained in the forecast, and return "
                    "unused contingency to the sponsor.")
        parts = [f"If it occurs (window: weeks {first}–{last}): log an issue the same day, "
                 "re-forecast the finish and the cost with the CPM and EVM figures"]
        crashable = [a for a in s.activities if a.id in r.impact.delay and a.crash]
        critical = [aid for aid in r.impact.delay if self.floats.get(aid, 1) <= 0]
        if crashable:
            a = min(crashable, key=lambda x: x.crash.cost_per_day if x.crash else 0.0)
            assert a.crash is not None
            parts.append(f"recover up to {a.crash.max_days} days by crashing {a.id} "
                         f"({_money(a.crash.cost_per_day, cur)} a day)")
        elif critical:
            parts.append(f"protect the critical path ({', '.join(sorted(critical))}) by "
                         "fast-tracking or adding people to the next critical activity")
        if f.cost:
            parts.append(f"fund up to {_money(f.cost, cur)} from the contingency reserve "
                         "through a change request")
        if f.days > s.tolerances.time_days or f.cost > self.bac * s.tolerances.cost_pct / 100:
            parts.append("raise an exception report: the impact alone breaks a tolerance")
        return "; ".join(parts) + "."

    # ordering -------------------------------------------------------------------------

    def overruns(self, run: Run) -> list[tuple[int, str]]:
        """(working days over the planned duration, activity id) for each finished
        activity of the run, largest first; milestones and level-of-effort work excluded."""
        base = self.schedule.baseline
        assert base is not None
        slips = []
        for aid, a in run.history[-1].activities.items():
            if (a.finish is None or a.start is None or base.activities[aid].duration == 0
                    or aid in self.level_of_effort):
                continue
            real = (self.calendar.workdays_through(a.finish)
                    - self.calendar.workdays_through(a.start) + 1)
            slips.append((real - base.activities[aid].duration, aid))
        return sorted(slips, reverse=True)

    def top_risks(self, n: int = INITIAL_RISKS) -> list[RiskFacts]:
        """Highest grid score first; every high or critical risk, at least ``n``."""
        ranked = sorted(self.risks, key=lambda f: (
            -f.probability_rank * f.impact_rank, -abs(f.expected_harm), f.seed.id))
        high = [f for f in ranked if f.probability_rank * f.impact_rank >= 10]
        return high if len(high) >= n else ranked[:n]


def _probability_rank(probability: float) -> int:
    """The 5×5 rank whose probability (10, 30, 50, 70, 90 %) is nearest; ties go up."""
    return min(range(1, 6), key=lambda k: (abs((2 * k - 1) / 10 - probability), -k))


def _band(value: float, bounds: Sequence[float]) -> int:
    """Rank 1–5: 1 for ``value <= bounds[1]``, then one more for each bound exceeded."""
    rank = 1
    for bound in bounds[1:]:
        if value > bound:
            rank += 1
    return min(rank, 5)


# -- gate 1: charter and stakeholders ------------------------------------------------------


def _target_of(measure: str) -> str | None:
    """The target a benefit measure states, or None when it states none."""
    match = re.search(r"\btargets?\s+([^;()]+?)(?:\)|;| - |$)", measure)
    if match:
        return match.group(1).strip().rstrip(",")
    match = re.search(r"(.+?)\s*(?:→|->)\s*(.+?)(?:\s+by\b.*)?(?:\s*\(|$)", measure)
    if match:
        return match.group(2).strip()
    match = re.search(r"\bfrom\s+(.+?)\s+to\s+(.+?)(?:\s*\(|,|$)", measure)
    if match:
        return match.group(2).strip()
    if ":" in measure:
        tail = measure.split(":", 1)[1].strip()
        if re.search(r"\d", tail):
            return tail
    match = re.search(r"\(([^()]*\d[^()]*)\)", measure)
    if match:
        return match.group(1).strip()
    return None


def _metric_of(measure: str) -> str:
    head = re.split(r":|\(| - ", measure, maxsplit=1)[0].strip()
    return head or measure


def build_charter(p: Planner) -> Charter:
    s, cur = p.s, p.s.currency
    case = s.business_case
    benefits = sum(b.value_per_year for b in case.benefits)
    total = p.bac + p.contingency
    headroom = s.budget - total
    mc_text = (f"the schedule's Monte Carlo run ({MC_ITERATIONS:,} iterations) must show at "
               f"least {s.confidence:.0%} probability of finishing by {s.deadline}")
    due_benefits = s.deadline + timedelta(days=365)
    objectives = [
        Objective(
            id="OBJ-01",
            description=f"Deliver {s.title.split(':')[0]} by the deadline.",
            metric="Date of the closure milestone (last activity of the schedule) against "
                   "the deadline; working days of slip",
            target=f"On or before {s.deadline} at {s.confidence:.0%} confidence; at most "
                   f"{s.tolerances.time_days} working days late (time tolerance)",
            due=s.deadline,
            success_criterion=f"Planning gate: {mc_text}. Closure: the closure report's "
                              "actual finish.",
        ),
        Objective(
            id="OBJ-02",
            description="Deliver within the approved budget.",
            metric="Actual project cost at closure (all activity costs, responses, changes and "
                   "recovery actions) against the approved budget",
            target=f"≤ {_money(total, cur)} (cost baseline {_money(p.bac, cur)} + contingency "
                   f"{_money(p.contingency, cur)}); forecast within +{s.tolerances.cost_pct:g} % "
                   "of the cost baseline before contingency is drawn",
            due=s.deadline,
            success_criterion="Final cost report at closure; every contingency draw-down "
                              "recorded in the change log.",
        ),
        Objective(
            id="OBJ-03",
            description="Every key deliverable accepted by its named accepter against its "
                        "acceptance criteria, with the scope of the charter delivered.",
            metric="Key deliverables accepted / key deliverables; scope delivered (%)",
            target=f"{len(s.closure.acceptance)} of {len(s.closure.acceptance)} accepted; "
                   f"scope ≥ {100 - s.tolerances.scope_pct:g} % (scope tolerance "
                   f"{s.tolerances.scope_pct:g} %; below {case.min_scope_pct:g} % the "
                   "business case fails)",
            due=s.deadline,
            success_criterion="Signed acceptance per deliverable in the closure report.",
        ),
    ]
    for i, measure in enumerate(s.closure.benefit_measures, start=4):
        target = _target_of(measure)
        if target is None:
            words = _words(measure)
            benefit = max(case.benefits, key=lambda b: len(words & _words(b.description)))
            target = (f"Better than the baseline measured before go-live, worth "
                      f"{_money(benefit.value_per_year, cur)} a year in the business case "
                      f"({benefit.description})"
                      if words & _words(benefit.description) else
                      "At least 10 % better than the baseline measured before go-live; the "
                      "benefit owner confirms the figure when the baseline is taken")
        objectives.append(Objective(
            id=f"OBJ-{i:02d}",
            description=f"Benefit: {_metric_of(measure)}.",
            metric=measure,
            target=target,
            due=due_benefits,
            success_criterion=f"Measured by the benefit owner after handover to "
                              f"{p.handover.name}; baseline captured before go-live.",
        ))
    in_scope = []
    groups: dict[str, list[str]] = {}
    for a in s.activities:
        if not a.milestone:
            groups.setdefault(a.wbs.split(".")[0], []).append(a.name)
    for top, names in groups.items():
        line = f"WBS {top}: "
        for name in names:
            if len(line) + len(name) > 950:
                in_scope.append(line.rstrip("; ") + ";")
                line = f"WBS {top} (continued): "
            line += name + "; "
        in_scope.append(line.rstrip("; ") + ".")
    out_of_scope = [c for c in s.constraints
                    if re.search(r"outside|run cost|operating (cost|budget)|not in the", c, re.I)]
    out_of_scope = [f"Run costs after go-live (constraint): {c}" for c in out_of_scope]
    out_of_scope += [
        f"Operating the solution after handover: {p.handover.name} "
        f"({p.handover.position}) owns it from handover under the support model.",
        "Measuring the benefits after closure: the benefit owners report them against the "
        "objectives' measures (OBJ-04 onwards).",
        "Any request not in the work breakdown above, including requests raised during the "
        "project: it is out of scope until the change control board approves it.",
    ]
    milestones = [
        Milestone(id=a.id, name=a.name, date=p.early_finish[a.id])
        for a in p.schedule.activities if a.milestone
    ]
    high_level_risks = [
        f"{f.seed.id} {f.seed.title} (P{f.probability_rank} × I{f.impact_rank}): {f.seed.event}"
        for f in p.top_risks()
    ]
    key_people = [f"{x.name} – {x.position}" for x in s.stakeholders if x.power >= 4]
    sponsor_title = s.sponsor.title
    business_case = (
        f"{case.summary} Benefits of {_money(benefits, cur)} a year: "
        + "; ".join(f"{b.description} ({_money(b.value_per_year, cur)})"
                    for b in case.benefits)
        + f". Payback within {case.payback_months} months. The case no longer holds above a "
        f"{case.max_cost_overrun_pct:g} % cost overrun or below {case.min_scope_pct:g} % of "
        "the scope: either is a reason for the steering committee to stop the project."
    )
    budget_note = (
        f"Budget requested: cost baseline {_money(p.bac, cur)} (the activity costs of the "
        f"schedule) + contingency {_money(p.contingency, cur)} = {_money(total, cur)}. The "
        f"contingency is sized from the risk register: its expected monetary value is "
        f"{_money(p.reserve.amount, cur)} as assessed and {_money(p.residual.amount, cur)} "
        f"once the planned responses are in place; with the responses' cost "
        f"({_money(p.response_costs, cur)}) that is {_money(p.reserve_needed, cur)}"
        + (f", rounded up to {_money(p.contingency, cur)}" if p.contingency >= p.reserve_needed
           else f", capped at the {_money(s.contingency, cur)} the sponsor holds")
        + f". Not in it: the skew of the three-point estimates (expected minus most likely "
        f"labour, {_money(p.estimate_reserve, cur)}), which the cost tolerance of "
        f"{s.tolerances.cost_pct:g} % ({_money(p.bac * s.tolerances.cost_pct / 100, cur)})"
    )
    if headroom > 0:
        budget_note += (f" and the {_money(headroom, cur)} of the {_money(s.budget, cur)} "
                        "envelope that the sponsor keeps as management reserve")
    budget_note += " must absorb; beyond that the project raises an exception"

    return Charter(
        project_name=s.title,
        purpose=f"{s.summary} {s.organisation.situation}",
        business_case=business_case,
        objectives=objectives,
        requirements=[f"{a.deliverable}: {a.criteria}" for a in s.closure.acceptance],
        scope=Scope(in_scope=in_scope, out_of_scope=out_of_scope),
        key_deliverables=[f"{a.deliverable} (accepted by {p.people[a.accepter].name})"
                          for a in s.closure.acceptance],
        assumptions=list(s.assumptions),
        constraints=[*s.constraints, budget_note + "."],
        high_level_risks=high_level_risks,
        start_date=s.start,
        target_finish=s.deadline,
        milestones=milestones,
        budget=Budget(total=total, contingency=p.contingency, currency=cur),
        tolerances=Tolerances(
            time_days=s.tolerances.time_days,
            cost_pct=s.tolerances.cost_pct,
            scope=f"Up to {s.tolerances.scope_pct:g} % of the scope may be deferred through "
                  f"change control; below {case.min_scope_pct:g} % the business case fails.",
            quality="Every key deliverable meets its acceptance criteria; no deliverable is "
                    "accepted with open critical defects.",
            risk="A risk that scores 16 or more (critical), or any risk whose impact alone "
                 "breaks a tolerance, goes to the sponsor within two working days.",
            benefits="The benefit measures are baselined before go-live; a forecast shortfall "
                     "of more than 10 % of the yearly benefits is an exception.",
        ),
        key_stakeholders=key_people,
        approval_criteria=[
            *s.reviewer.cares_about,
            f"Signed by the sponsor, {s.sponsor.name}.",
        ],
        project_manager=Authority(
            name=PM,
            title="Project manager (reports to the sponsor)",
            authority=(
                "Directs the team and the suppliers within the plan and the tolerances; "
                "re-plans within float; takes recovery actions (crashing, fast-tracking, "
                f"adding people) up to {_money(round(p.bac * 0.01, -3), cur)} each; raises "
                "change requests and exception reports; may not change scope, the finish "
                "date or the budget."
            ),
        ),
        sponsor=Authority(
            name=s.sponsor.name,
            title=sponsor_title,
            authority=(
                "Owns the business case; chairs the steering committee and the change control "
                "board; releases contingency; decides exceptions, go/no-go and whether the "
                "project continues."
            ),
        ),
        sign_off=SignOff(name=s.sponsor.name, date=p.charter_date, decision="approved",
                         comment="Approved at the initiation gate; the PMO reviewer's "
                                 "conditions are met by the planning gate deliverables."),
    )


_ENGAGEMENT: dict[str, Engagement] = {
    "supporter": "supportive", "neutral": "neutral", "resistor": "resistant",
}


def _influence(x: StakeholderSeed) -> str:
    power = {
        5: "Can stop, fund or redirect the project",
        4: "Decides or vetoes in their own area; heard in the steering committee",
        3: "Shapes decisions and the work in their area",
        2: "Little formal power; influences through the people they lead",
        1: "Little influence on decisions",
    }[x.power]
    return f"{power}{'' if x.internal else ' (external)'}."


def build_stakeholders(p: Planner, comms: CommunicationsPlan) -> StakeholderRegister:
    s = p.s
    accepts: dict[str, list[str]] = {}
    for a in s.closure.acceptance:
        accepts.setdefault(a.accepter, []).append(a.deliverable)
    owns: dict[str, list[str]] = {}
    for f in p.risks:
        owns.setdefault(f.owner.id, []).append(f.seed.id)
    reached: dict[str, list[str]] = {}
    for c in comms.communications:
        for who in c.audience:
            reached.setdefault(who, []).append(f"{c.id} {c.channel.split('(')[0].strip()}")
    out = []
    for x in s.stakeholders:
        roles = []
        if p.sponsor is not None and x.id == p.sponsor.id:
            roles.append("Project sponsor: owns the business case, chairs the steering "
                         "committee and the change control board")
        if p.reviewer is not None and x.id == p.reviewer.id:
            roles.append("PMO reviewer at every gate")
        if x.id == p.handover.id:
            roles.append("Operations owner after handover")
        if x.id in accepts:
            roles.append("Accepts: " + "; ".join(accepts[x.id]))
        if x.id in owns:
            roles.append("Risk owner: " + ", ".join(owns[x.id]))
        current = _ENGAGEMENT[x.attitude]
        desired: Engagement = (
            "supportive" if x.power >= 3 or x.attitude != "resistor" else "neutral")
        expectations = ""
        if p.sponsor is not None and x.id == p.sponsor.id:
            current = desired = "leading"
            expectations = "; ".join(s.sponsor.cares_about)
        elif p.reviewer is not None and x.id == p.reviewer.id:
            expectations = "; ".join(s.reviewer.cares_about)
        elif x.id in accepts:
            expectations = ("Acceptance criteria agreed at initiation and test evidence before "
                            "they are asked to accept.")
        else:
            expectations = "Early notice of changes that touch their area; decisions explained."
        channels = reached.get(x.id, [])
        quadrant = Stakeholder(id=x.id, name=x.name, power=x.power,
                               interest=x.interest).quadrant
        strategy = f"{quadrant.capitalize()}: " + _strategy(x, quadrant, channels)
        out.append(Stakeholder(
            id=x.id,
            name=x.name,
            position=x.position,
            role="; ".join(roles) or _first_sentence(x.interests),
            requirements=x.interests,
            expectations=expectations,
            influence=_influence(x),
            phase_of_interest="all" if x.power >= 4 or x.interest >= 4 else "execution",
            internal=x.internal,
            attitude=x.attitude,
            power=x.power,
            interest=x.interest,
            salience=Salience(power=x.power >= 4, legitimacy=x.legitimacy, urgency=x.urgency),
            engagement_current=current,
            engagement_desired=desired,
            strategy=strategy,
        ))
    return StakeholderRegister(stakeholders=out)


def _strategy(x: StakeholderSeed, quadrant: str, channels: Sequence[str]) -> str:
    via = f" Reached through {_join(list(channels))}." if channels else ""
    care = _first_sentence(x.interests).rstrip(".")
    if x.attitude == "resistor":
        move = (f"Meet one to one before each decision that touches their area; take their "
                f"concern ({care}) into the plan as a requirement or a risk, and show the "
                "evidence that it is handled, so that they move from resistant to "
                + ("supportive." if x.power >= 3 else "neutral."))
    elif quadrant == "manage closely":
        move = (f"Involve in the decisions on what matters to them ({care}); pre-brief before "
                "every steering committee and ask for their decision with options and a date.")
    elif quadrant == "keep satisfied":
        move = (f"Short, regular summaries on what matters to them ({care}); consult before "
                "any change to cost, scope or dates that touches their area; no surprises.")
    elif quadrant == "keep informed":
        move = (f"Regular updates and a channel to raise concerns ({care}); invite to the "
                "workshops and tests of their area.")
    else:
        move = f"Monitor; general updates; involve when their area is touched ({care})."
    return move + via


# -- gate 2: communications ------------------------------------------------------------------


def build_communications(p: Planner) -> CommunicationsPlan:
    s = p.s
    people = s.stakeholders
    sponsor = p.sponsor.id if p.sponsor else people[0].id
    reviewer = p.reviewer.id if p.reviewer else sponsor
    board = [sponsor] + [x.id for x in people
                         if x.internal and x.power >= 4 and x.interest >= 3 and x.id != sponsor]
    comms: list[Communication] = []

    def add(audience: Iterable[str], information: str, purpose: str, channel: str,
            frequency: Frequency, owner: str, feedback: str) -> None:
        unique = list(dict.fromkeys(audience))
        if unique:
            comms.append(Communication(
                id=f"COM-{len(comms) + 1:02d}", audience=unique, information=information,
                purpose=purpose, channel=channel, frequency=frequency, owner=owner,
                feedback=feedback))

    add(board, "Dashboard: RAG, milestone forecasts against the baseline, PV/EV/AC with CPI, "
        "SPI and EAC against the time and cost tolerances, top risks, open change requests "
        "and the decisions needed with options, costs and a date.",
        "Direct the project: decisions above the project manager's authority, contingency "
        "release, exceptions, go/no-go.",
        "Steering committee meeting (papers two working days before)", "monthly",
        PM, "Decisions minuted and entered in the decision log within one working day.")
    add([sponsor], "Progress, forecast against the tolerances, escalations, pre-brief of every "
        "steering committee and change control board paper.",
        "Keep the sponsor ahead of events; no decision is taken cold.",
        "1:1 meeting with the sponsor (30 minutes)", "weekly", PM,
        "Instructions noted in the action list; binding ones confirmed by e-mail the same day.")
    status_audience = board + [x.id for x in people if x.internal and x.interest >= 4]
    add(status_audience, "Weekly status report: RAG, narrative, milestones, the EVM figures, "
        "variance explanations, top risks, issues and decisions needed.",
        "One written account of the project's state; the basis of the steering dashboard.",
        "E-mail with the status report (Fridays)", "weekly", PM,
        "Questions by reply before Tuesday; corrections go into the next report.")
    deciders = [x.id for x in people if x.internal and x.power >= 4 and x.id != sponsor]
    ccb = [sponsor, *deciders[:3]]
    add(ccb, "Assessed change requests: description, justification, alternatives, impact on "
        "schedule (working days at the finish), cost, scope, risk and quality, and the "
        "recommendation.",
        "Decide each change request (approve, reject, defer, more information) and fund "
        "approved changes from contingency.",
        "Change control board (after the steering committee, or ad hoc)", "per_event", PM,
        "Decision, date and rationale in the change log; decision notice to the requester.")
    add([reviewer, sponsor], "Gate deliverables, presentation and written defence.",
        "PMO gate review: approve, approve with conditions, rework or stop.",
        "PMO gate review meeting", "per_gate", PM,
        "Findings with evidence; conditions tracked as actions until closed.")
    owners = [f.owner.id for f in p.risks]
    add(owners, "Risks in or near their window: triggers observed, response progress, "
        "re-scoring; new risks.",
        "Keep the register current; act on triggers before a risk strikes.",
        "Risk review (30 minutes, each risk owner for their risks)", "weekly", PM,
        "Register updated in the meeting; triggers that fired become issues or actions.")
    covered = set(board) | {sponsor, reviewer}
    for x in people:
        if x.power >= 4 and x.id not in covered:
            add([x.id], f"Progress and decisions on what they care about: {x.interests}",
                "Keep satisfied: no surprises; consult before any change that touches their "
                "area.",
                ("Meeting with the sponsor and the project manager" if not x.internal
                 else "Briefing by the project manager"),
                "monthly", s.sponsor.name if x.power >= 5 or not x.internal else PM,
                "Their questions and conditions answered in writing within ten working days.")
            covered.add(x.id)
    acceptors = [a.accepter for a in s.closure.acceptance] + [p.handover.id]
    add(acceptors, "Acceptance criteria per deliverable, test evidence against them, "
        "handover readiness (runbooks, support model, open defects).",
        "Agree acceptance early and accept each deliverable on evidence.",
        "Acceptance and handover review", "per_gate", PM,
        "Acceptance signed or refused with reasons; open items with an owner and a date.")
    informed = [x.id for x in people if x.power <= 3 and x.interest >= 4 and x.id not in covered]
    add(informed, "What changes for their teams and when: workshops, tests, training, "
        "cut-over, and the decisions taken.",
        "Keep informed: prepare their teams and hear concerns early.",
        "Project update and Q&A (45 minutes, Teams)", "fortnightly", PM,
        "Questions logged and answered in the next update.")
    rest = [x.id for x in people if not any(x.id in c.audience for c in comms)]
    add(rest, "Short project news: milestones reached, what is coming, who to ask.",
        "Monitor: keep everyone aware at little cost.", "Intranet and newsletter item",
        "monthly", PM, "Questions through the project mailbox.")
    return CommunicationsPlan(communications=comms)


# -- gates 3 and 4: execution and closure -----------------------------------------------------


@dataclass
class Run:
    """The reference variant executed with the planning gate's schedule and the policy."""

    variant: Scenario
    sim: Simulation
    outcome: Outcome
    history: tuple[WeekState, ...]
    log: DecisionLog
    occurrences: dict[str, Occurrence] = field(default_factory=dict)

    @classmethod
    def of(cls, sid: str, schedule: Schedule) -> Run:
        policy = _load_policy()
        variant = load_scenario(sid, REFERENCE_SEED)
        sim = Simulation(variant, schedule)
        outcome = sim.run(policy.reference_policy)
        history = sim.history
        occurrences = {o.id: o for st in history for o in st.decisions}
        return cls(variant, sim, outcome, history, sim.log, occurrences)

    def forecast_at(self, week: int) -> Forecast:
        """The forecast after the decisions of ``week`` (at the start of that week)."""
        probe = Simulation(self.variant, self.sim.schedule,
                           [d for d in self.log.decisions if d.week <= week])
        return probe.forecast()


def _week_dates(cal: WorkCalendar, week: int) -> tuple[date, date]:
    return cal.date_at(5 * (week - 1)), cal.date_at(5 * week - 1)


def _answer_of(run: Run, event_id: str) -> tuple[Decision | None, Occurrence | None]:
    for d in run.log.decisions:
        if d.target == event_id and d.type in ("respond_to_event", "change_request"):
            return d, run.occurrences.get(d.id)
    for st in run.history:
        for o in st.defaults:
            if o.id == event_id:
                return None, o
    return None, None


def _is_change(kind: str, impact: Impact) -> bool:
    """An event answer that goes through change control: a scope push or regulatory change,
    or any answer that draws on contingency or changes the scope delivered."""
    return kind in CHANGE_REQUEST_KINDS or impact.cost > 0 or impact.scope_pct != 0


def _ccb_outcome(label: str, option: str) -> Literal["approve", "reject", "defer"]:
    text = f"{label} {option}".lower()
    if re.search(r"defer|later|phase 2|backlog|ccb-defer", text):
        return "defer"
    if re.search(r"refuse|decline|reject|\bno\b", text):
        return "reject"
    return "approve"


def build_change_log(p: Planner, run: Run) -> ChangeLog:
    v, cal = run.variant, p.calendar
    events = {e.id: e for e in v.events}
    fired: dict[str, int] = {}
    for st in run.history:
        for o in st.events_fired:
            fired[o.id] = st.week
    requests: list[ChangeRequest] = []
    sponsor = v.sponsor.name
    in_plan = {a.id for a in p.schedule.activities}
    for eid, week in fired.items():
        e = events[eid]
        decision, occ = _answer_of(run, eid)
        option = next(o for o in e.options if o.id == (occ.option if occ else e.default_option))
        if not _is_change(e.kind, option.impact):
            continue
        default = next(o for o in e.options if o.id == e.default_option)
        raised, _ = _week_dates(cal, week)
        decided_week = decision.week if decision else week
        decided, _ = _week_dates(cal, decided_week)
        outcome = _ccb_outcome(option.label, option.id)
        effect = occ.effect if occ else None
        requester = p.people[e.from_stakeholder].name if e.from_stakeholder else sponsor
        impact = ChangeImpact(
            scope=(f"Scope {option.impact.scope_pct:+g} %." if option.impact.scope_pct
                   else "No change to the scope delivered."),
            schedule_days=effect.finish_days if effect else 0,
            cost=round(effect.cost if effect else option.impact.cost, 2),
            resources=", ".join(sorted(option.impact.delay)) or "No change to the resource plan.",
            risk="; ".join(f"{rid} probability becomes {pr:.0%}"
                           for rid, pr in option.impact.risk_probability.items()) or
                 "No risk re-scored.",
            quality=(f"Quality {option.impact.quality:+d} points." if option.impact.quality
                     else "No effect on quality."),
            affected_activities=sorted(a for a in option.impact.delay if a in in_plan),
        )
        requests.append(ChangeRequest(
            id=f"CR-{len(requests) + 1:02d}",
            raised=raised,
            requester=requester,
            title=e.title,
            description=e.message,
            justification=(f"Raised by {requester} in week {week} ({e.kind.replace('_', ' ')})"
                           + ("." if e.kind in CHANGE_REQUEST_KINDS else
                              ": the chosen answer draws on contingency or changes the scope, "
                              "so the change control board decides it.")),
            impact_of_not_changing=f"Left undecided, the default applies: {default.label} – "
                                   f"{default.consequence}",
            alternatives=[f"{o.id}: {o.label} – {o.consequence}" for o in e.options
                          if o.id != option.id],
            impact=impact,
            recommendation=(f"{option.id}: {option.label}. "
                            + (decision.rationale if decision else "")).strip(),
            status="implemented" if outcome == "approve" else "closed",
            decision=CcbDecision(outcome=outcome, date=decided, by=sponsor,
                                 rationale=option.consequence),
            budget_change=(round(effect.cost, 2) if effect and outcome == "approve"
                           and effect.cost else None),
        ))
    return ChangeLog(requests=requests)


def build_issue_log(p: Planner, run: Run) -> IssueLog:
    v, cal, cur = run.variant, p.calendar, p.s.currency
    owners = {f.seed.id: f.owner.name for f in p.risks}
    events = {e.id: e for e in v.events}
    last = run.history[-1]
    finishes = {aid: a.finish for aid, a in last.activities.items()}
    issues: list[Issue] = []

    def resolved_on(week: int, delayed: Iterable[str]) -> date:
        ends = [finishes[a] for a in delayed if finishes.get(a) is not None]
        _, week_end = _week_dates(cal, week)
        done = max([week_end, *[d for d in ends if d is not None]])
        return min(done, run.outcome.actual_finish) if done > week_end else week_end

    def priority(effect_days: int, cost: float) -> Literal["low", "medium", "high", "critical"]:
        if effect_days > p.s.tolerances.time_days:
            return "critical"
        if effect_days > 0 or cost > 0.01 * p.bac:
            return "high"
        return "medium" if cost > 0 else "low"

    for st in run.history:
        start, _ = _week_dates(cal, st.week)
        for o in st.risks_struck:
            risk = next(r for r in v.risks if r.id == o.id)
            if risk.type == "opportunity":
                continue  # an opportunity taken is not an issue: see the status report
            delayed = [a for a in risk.impact.delay if a in finishes]
            done = resolved_on(st.week, delayed)
            issues.append(Issue(
                id=f"ISS-{len(issues) + 1:02d}",
                title=f"{risk.title} (risk {risk.id} occurred)",
                description=f"{risk.event} {risk.effect} Measured effect: "
                            f"{o.effect.describe(cur)}.",
                raised=start,
                priority=priority(o.effect.finish_days, o.effect.cost),
                owner=owners.get(risk.id, PM),
                status="closed",
                actions=(risk_contingency(p, risk.id)),
                due=done,
                resolution=(f"Impact absorbed: {o.effect.describe(cur)}; cost booked against "
                            "the contingency reserve, the forecast re-baselined in the "
                            "status report." if o.effect.cost or o.effect.finish_days else
                            "Occurred with no measurable effect on cost or finish."),
                resolved=done,
                links=[risk.id, *delayed],
            ))
        for o in st.events_fired:
            e = events[o.id]
            if e.kind in CHANGE_REQUEST_KINDS or e.kind == "opportunity":
                continue
            decision, occ = _answer_of(run, e.id)
            option = next((x for x in e.options if occ and x.id == occ.option), None)
            delayed = [a for a in (option.impact.delay if option else {}) if a in finishes]
            delayed += [a for a in e.impact.delay if a in finishes]
            done = resolved_on(decision.week if decision else st.week, delayed)
            owner = (p.people[e.from_stakeholder].name if e.from_stakeholder else PM)
            issues.append(Issue(
                id=f"ISS-{len(issues) + 1:02d}",
                title=e.title,
                description=f"{e.message} Measured effect when it fired: "
                            f"{o.effect.describe(cur)}.",
                raised=start,
                priority=priority(o.effect.finish_days, o.effect.cost),
                owner=owner,
                status="closed",
                actions=(f"Decision {decision.id} (week {decision.week}): {option.label}."
                         if decision and option else "Left to its default option."),
                due=done,
                resolution=(f"{option.label}: {option.consequence}" if option else
                            "Default option applied."),
                resolved=done,
                links=[e.id, *([decision.id] if decision else []), *sorted(set(delayed))],
            ))
    return IssueLog(issues=issues)


def risk_contingency(p: Planner, rid: str) -> str:
    entry = next(r for r in p.register.risks if r.id == rid)
    return entry.contingency


def _rag(state: WeekState, p: Planner) -> Literal["red", "amber", "green"]:
    f = state.forecast
    if f.breaches:
        return "red"
    evm = state.evm
    if f.days_late > 0 or f.cost > state.bac or (evm.cpi is not None and evm.cpi < 0.95) or (
            evm.spi is not None and evm.spi < 0.9):
        return "amber"
    return "green"


def build_status_reports(
    p: Planner, run: Run, issues: IssueLog, exceptions: ExceptionReports,
) -> StatusReports:
    cal, cur = p.calendar, p.s.currency
    cost = {a.id: a.cost for a in p.schedule.activities}
    base = p.schedule.baseline
    assert base is not None
    milestones = [a for a in p.schedule.activities if a.milestone]
    ranked_risks = [f.seed.id for f in sorted(
        p.risks, key=lambda f: (-f.probability_rank * f.impact_rank, f.seed.id))]
    exc_by_week = {r.period: r for r in exceptions.reports}
    struck: set[str] = set()
    reports = []
    done_before: set[str] = set()
    for st in run.history:
        start, end = _week_dates(cal, st.week)
        struck |= {o.id for o in st.risks_struck}
        pct = {aid: round(a.percent_complete * 100, 2)
               for aid, a in st.activities.items() if a.percent_complete > 0}
        ev = round(sum(v / 100 * cost[aid] for aid, v in pct.items()), 2)
        pv, ac, bac = round(st.pv, 2), round(st.ac, 2), round(st.bac, 2)
        ev = min(ev, bac)
        figures = earned_value(pv, ev, ac, bac)
        reported = ReportedIndices(**{
            k: (None if val is None else round(val, 4 if k in ("cpi", "spi", "tcpi") else 2))
            for k, val in figures.figures().items()
        })
        f = st.forecast
        ms = []
        for m in milestones:
            a = st.activities[m.id]
            planned = base.activities[m.id].finish
            slip = cal.workdays_through(a.forecast_finish) - cal.workdays_through(planned)
            status: Literal["not_started", "on_track", "at_risk", "late", "done"]
            if a.finish is not None:
                status = "done"
            elif slip <= 0:
                status = "on_track"
            elif slip <= p.s.tolerances.time_days:
                status = "at_risk"
            else:
                status = "late"
            ms.append(MilestoneStatus(id=m.id, name=m.name, planned=planned,
                                      forecast=a.forecast_finish if a.finish is None else None,
                                      actual=a.finish, status=status))
        finished = {aid for aid, a in st.activities.items() if a.finish is not None}
        new_done = sorted(finished - done_before)
        done_before = finished
        running = sorted((aid for aid, a in st.activities.items()
                          if a.start is not None and a.finish is None),
                         key=lambda aid: -st.activities[aid].percent_complete)
        lines = [f"Week {st.week} ({start} – {end}): {len(finished)} of {len(st.activities)} "
                 "activities finished."]
        if new_done:
            lines.append(f"Finished this week: {', '.join(new_done)}.")
        if running:
            lines.append("In progress: " + ", ".join(
                f"{aid} {st.activities[aid].percent_complete:.0%}" for aid in running[:8]) + ".")
        for o in st.risks_struck:
            lines.append(f"Risk {o.id} occurred: {o.title} ({o.effect.describe(cur)}).")
        for o in st.events_fired:
            lines.append(f"{o.id}: {o.title} ({o.effect.describe(cur)}).")
        for o in st.decisions:
            lines.append(f"Decision {o.id}: {o.title} ({o.effect.describe(cur)}).")
        lines.append(f"Forecast finish {f.finish} "
                     + (f"({f.days_late} working days after the deadline)" if f.days_late > 0
                        else f"({-f.days_late} working days before the deadline)")
                     + f"; forecast cost at completion {_money(f.cost, cur)} against the cost "
                       f"baseline {_money(bac, cur)}.")
        explanation = _variance_text(figures.sv, figures.cv, st, p, cur)
        open_risks = [r for r in ranked_risks if r not in struck][:5]
        week_issues = [f"{i.id} {i.title} ({i.priority})" for i in issues.issues
                       if i.raised <= end and (i.resolved is None or i.resolved >= start)]
        needed = []
        if st.week in exc_by_week:
            x = exc_by_week[st.week]
            needed.append(f"Steering committee: decide exception report {x.id} "
                          f"(recommended option {x.recommendation}).")
        needed += [f"Answer {eid} by its deadline." for eid in st.open_events]
        reports.append(StatusReport(
            period=st.week, period_start=start, period_end=end,
            narrative=" ".join(lines), rag=_rag(st, p), milestones=ms,
            evm=EvmInputs(pv=pv, ev=ev, ac=ac, bac=bac), percent_complete=pct,
            reported=reported, variance_explanation=explanation, top_risks=open_risks,
            issues=week_issues, decisions_needed=needed,
        ))
    return StatusReports(reports=reports)


def _variance_text(sv: float, cv: float, st: WeekState, p: Planner, cur: str) -> str:
    late = sorted(
        (a for a in st.activities.values()
         if a.finish is None and a.start is not None and a.critical),
        key=lambda a: a.id)
    parts = [f"SV {sv:+,.0f} {cur}: "
             + ("work is ahead of the baseline." if sv >= 0 else
                "work earned is behind the baseline"
                + (f"; critical work in progress: {', '.join(a.id for a in late[:4])}" if late
                   else "") + ".")]
    parts.append(f"CV {cv:+,.0f} {cur}: "
                 + ("the work done cost no more than planned." if cv >= 0 else
                    "the work done cost more than its budgeted value (longer real durations "
                    "charged at the daily rate, risk impacts, responses and recovery actions)."))
    return " ".join(parts)


def build_exception_reports(p: Planner, run: Run) -> ExceptionReports:
    s, cal, cur = run.variant, p.calendar, p.s.currency
    reports: list[ExceptionReport] = []
    for d in run.log.decisions:
        if d.type != "raise_exception":
            continue
        f = run.forecast_at(d.week)
        state = run.history[d.week - 1]
        tolerances = list(f.breached) or list(state.forecast.breached) or ["time"]
        raised, _ = _week_dates(cal, d.week)
        remaining = [a for a in f.activities.values() if a.finish is None]
        crashable = {a.id: a.crash for a in s.activities if a.crash}
        capacity: list[tuple[str, int]] = [
            (a.id, min(a.crash_days_left, max(a.remaining_days - 1, 0)))
            for a in remaining if a.critical and a.id in crashable]
        cap_days = sum(n for _, n in capacity)
        cap_cost = 0.0
        for aid, n in capacity:
            crash = crashable[aid]
            cap_cost += n * (crash.cost_per_day if crash is not None else 0.0)
        over = f.cost - state.bac
        late = max(0, f.days_late)
        struck = [o for st in run.history[: d.week] for o in st.risks_struck]
        fired = [o for st in run.history[: d.week] for o in st.events_fired]
        cause = "; ".join(
            [f"risk {o.id} ({o.title}) occurred in week {o.week}: {o.effect.describe(cur)}"
             for o in struck]
            + [f"{o.id} ({o.title}) in week {o.week}: {o.effect.describe(cur)}" for o in fired]
        )
        spent = [(x, run.occurrences[x.id].effect.cost) for x in run.log.decisions
                 if x.week <= d.week and x.id in run.occurrences
                 and run.occurrences[x.id].effect.cost > 0]
        by_type: dict[str, float] = {}
        for x, amount in spent:
            by_type[x.type] = by_type.get(x.type, 0.0) + amount
        names = {"mitigate_risk": "risk responses bought from contingency",
                 "crash": "crashing", "respond_to_event": "event responses",
                 "change_request": "approved changes", "add_resource": "added people"}
        cause_parts = [f"{names.get(k, k)}: {_money(v, cur)}" for k, v in by_type.items()]
        if cause_parts:
            cause = (cause + "; " if cause else "") + (
                "costs charged to the actuals so far – " + "; ".join(cause_parts)
                + ". The cost tolerance is measured against the cost baseline, which "
                "excludes contingency, so contingency draws count towards the breach")
        cause = cause or "Real durations longer than the most likely estimates."
        options = [
            ExceptionOption(
                id="OPT-A",
                description=("Recover: crash the remaining critical activities "
                             + (", ".join(f"{aid} by up to {n} days" for aid, n in capacity
                                          if n) or "(no crash capacity is left)")
                             + "; keep scope and the finish date."),
                effect_on_business_case="Benefits keep their date; the recovery cost comes "
                                        "out of contingency.",
                effect_on_risks="Crashing adds people late: quality and onboarding risk.",
                effect_on_tolerances=f"Recovers up to {min(cap_days, late)} of the {late} days "
                                     "late; cost rises by the crash cost.",
                cost=round(cap_cost if late else 0.0, 2),
                schedule_days=-min(cap_days, late),
            ),
            ExceptionOption(
                id="OPT-B",
                description="Accept the forecast: re-baseline the finish and the cost, fund "
                            "the overrun from contingency; no scope change.",
                effect_on_business_case=(
                    f"Cost at completion {_money(f.cost, cur)} against a budget of "
                    f"{_money(s.budget, cur)}; the case holds up to "
                    f"+{s.business_case.max_cost_overrun_pct:g} %."),
                effect_on_risks="No new risk; the remaining contingency shrinks.",
                effect_on_tolerances="New tolerances set on the revised baseline.",
                cost=round(max(over, 0.0), 2),
                schedule_days=late,
            ),
            ExceptionOption(
                id="OPT-C",
                description=(f"Defer up to {s.tolerances.scope_pct:g} % of the scope to a "
                             "follow-on, through change control."),
                effect_on_business_case=(
                    f"Scope stays above the {s.business_case.min_scope_pct:g} % the "
                    "benefits need, but part of the benefits comes later."),
                effect_on_risks="Deferred scope needs a formal risk acceptance.",
                effect_on_tolerances="Uses the scope tolerance to protect time and cost.",
                cost=round(-s.tolerances.scope_pct / 100 * max(0.0, state.bac - state.ev), 2),
                schedule_days=0,
            ),
        ]
        recommend = "OPT-A" if "time" in tolerances and cap_days > 0 else "OPT-B"
        decided = raised + timedelta(days=2)
        figures = [b.message for b in f.breaches] or [
            b.message for b in state.forecast.breaches]
        reports.append(ExceptionReport(
            id=f"EXC-{len(reports) + 1:02d}",
            title=f"Forecast breach of the {_join(tolerances)} tolerance (week {d.week})",
            raised=raised,
            period=d.week,
            tolerances=tolerances,
            forecast=("; ".join(figures) + f". Forecast finish {f.finish}; forecast cost "
                      f"{_money(f.cost, cur)} against the cost baseline "
                      f"{_money(state.bac, cur)}.") if figures else
                     f"Forecast finish {f.finish}; forecast cost {_money(f.cost, cur)}.",
            cause=cause,
            consequences=(
                f"Without action the project finishes {late} working days after the deadline "
                f"and {_money(max(over, 0.0), cur)} over the cost baseline; "
                + ("the business case still holds." if f.cost <= s.budget * (
                    1 + s.business_case.max_cost_overrun_pct / 100)
                   else "the business case would fail.")),
            options=options,
            recommendation=recommend,
            lessons="Forecast weekly from the critical path and the CPI, and raise the "
                    "exception when the forecast crosses the tolerance, not when the date "
                    "is missed.",
            decision=recommend,
            decided_on=decided,
        ))
    return ExceptionReports(reports=reports)


def build_closure(
    p: Planner, run: Run, charter: Charter, changes: ChangeLog, issues: IssueLog,
    lessons: LessonsLearned,
) -> ClosureReport:
    o, s, cur = run.outcome, run.variant, p.s.currency
    outcomes = []
    total = charter.budget.total
    cal = p.calendar
    late = cal.workdays_through(o.actual_finish) - cal.workdays_through(s.deadline)
    for obj in charter.objectives:
        if obj.id == "OBJ-01":
            result = ("met" if late <= 0 else
                      "partly_met" if late <= s.tolerances.time_days else "not_met")
            evidence = (f"Actual finish {o.actual_finish} against the deadline {s.deadline}: "
                        f"{late:+d} working days (tolerance {s.tolerances.time_days}).")
        elif obj.id == "OBJ-02":
            result = ("met" if o.actual_cost <= total else
                      "partly_met" if o.actual_cost <= s.budget * (
                          1 + s.business_case.max_cost_overrun_pct / 100) else "not_met")
            evidence = (f"Actual cost {_money(o.actual_cost, cur)} against the approved "
                        f"budget {_money(total, cur)} ({(o.actual_cost / total - 1) * 100:+.1f} %)"
                        f" and the cost baseline {_money(o.planned_cost, cur)} "
                        f"({o.cost_variance_pct:+.1f} %).")
        elif obj.id == "OBJ-03":
            result = ("met" if o.scope_pct >= 100 - s.tolerances.scope_pct else
                      "partly_met" if o.scope_pct >= s.business_case.min_scope_pct
                      else "not_met")
            evidence = (f"{len(s.closure.acceptance)} of {len(s.closure.acceptance)} key "
                        f"deliverables accepted; scope delivered {o.scope_pct:g} %; quality "
                        f"score {o.quality}.")
        else:
            result = "partly_met"
            evidence = (f"The enablers are delivered and accepted; the measure is due on "
                        f"{obj.due}, after closure, and is reported by the benefit owner.")
        outcomes.append(ObjectiveOutcome(objective=obj.id, outcome=result, evidence=evidence))
    decided = [c for c in changes.requests if c.decision]
    stats = ChangeStatistics(
        raised=len(changes.requests),
        approved=sum(c.decision.outcome == "approve" for c in decided if c.decision),
        rejected=sum(c.decision.outcome == "reject" for c in decided if c.decision),
        deferred=sum(c.decision.outcome == "defer" for c in decided if c.decision),
    )
    by_kind: dict[str, float] = {}
    for st in run.history:
        for occ in (*st.risks_struck, *st.events_fired, *st.decisions, *st.defaults):
            label = {"risk": "risks that occurred", "event": "events",
                     "default": "events (default options)"}.get(occ.kind, "")
            if occ.kind == "decision":
                d = next(x for x in run.log.decisions if x.id == occ.id)
                label = {"mitigate_risk": "risk responses", "crash": "crashing",
                         "add_resource": "added people", "respond_to_event": "event responses",
                         "change_request": "approved changes"}.get(d.type, "other decisions")
            by_kind[label] = by_kind.get(label, 0.0) + occ.effect.cost
    explained = sum(by_kind.values())
    labour = o.actual_cost - o.planned_cost - explained
    cost_parts = [f"{k} {v:+,.0f}" for k, v in sorted(by_kind.items(), key=lambda kv: -kv[1])
                  if round(v)]
    cost_parts.append(f"labour on real durations and rates {labour:+,.0f}")
    slips = p.overruns(run)
    slip_text = ", ".join(f"{aid} {d:+d}" for d, aid in slips[:5] if d > 0)
    variance = (
        f"Finish {o.finish_variance_days:+d} working days against the baseline finish "
        f"{o.planned_finish} ({o.deadline_variance_days:+d} against the deadline). Largest "
        f"real overruns against planned durations (working days): {slip_text or 'none'}. "
        f"Cost {o.actual_cost - o.planned_cost:+,.0f} {cur} against the cost baseline "
        f"({o.cost_variance_pct:+.1f} %): " + "; ".join(cost_parts) + "."
    )
    acceptance = [
        Acceptance(deliverable=a.deliverable, accepted=True,
                   accepted_by=p.people[a.accepter].name, date=o.actual_finish)
        for a in s.closure.acceptance
    ]
    open_items = [f"Benefit measure due {charter.objectives[-1].due}: {m}"
                  for m in s.closure.benefit_measures]
    open_items += [f"{c.id} {c.title}: deferred to a follow-on" for c in decided
                   if c.decision and c.decision.outcome == "defer"]
    open_items += [f"Close contract: {c}" for c in s.closure.contracts_to_close]
    unmet = [x for x in outcomes if x.outcome == "not_met"]
    summary = (
        f"{s.title} closed on {o.actual_finish} after {o.weeks} weeks "
        f"(planned finish {o.planned_finish}, deadline {s.deadline}). Cost "
        f"{_money(o.actual_cost, cur)} against a cost baseline of "
        f"{_money(o.planned_cost, cur)} and an approved budget of {_money(total, cur)}; scope "
        f"{o.scope_pct:g} %, quality {o.quality}, average stakeholder satisfaction "
        f"{o.satisfaction_average:.0f}. {len(o.risks_struck)} risks occurred and "
        f"{len(o.events_fired)} events fired; {len(run.log.decisions)} decisions were taken. "
        + " ".join(o.business_case_notes).capitalize() + "."
    )
    return ClosureReport(
        summary=summary,
        objectives=outcomes,
        planned_start=o.planned_start,
        planned_finish=o.planned_finish,
        actual_start=o.actual_start,
        actual_finish=o.actual_finish,
        planned_cost=round(o.planned_cost, 2),
        actual_cost=round(o.actual_cost, 2),
        variance_explanation=variance,
        changes=stats,
        acceptance=acceptance,
        handover=Handover(owner=p.handover.name, support_model=s.closure.support_model,
                          date=o.actual_finish),
        open_items=open_items,
        lessons_summary=" ".join(f"{lesson.id}: {_first_sentence(lesson.recommendation)}"
                                 for lesson in lessons.lessons[:4]),
        sign_off=ClosureSignOff(
            decision="approved" if o.business_case_holds and not unmet
            else "approved_with_changes",
            by=s.sponsor.name, date=o.actual_finish),
    )


def build_lessons(p: Planner, run: Run, changes: ChangeLog,
                  exceptions: ExceptionReports) -> LessonsLearned:
    cur = p.s.currency
    facts = {f.seed.id: f for f in p.risks}
    decisions = {d.target: d for d in run.log.decisions
                 if d.type in ("mitigate_risk", "accept_risk")}
    lessons: list[Lesson] = []

    def add(phase: Literal["initiation", "planning", "execution", "closure"], category: str,
            what: str, impact: str, recommendation: str, owner: str, links: list[str]) -> None:
        lessons.append(Lesson(id=f"L-{len(lessons) + 1:02d}", phase=phase, category=category,
                              what_happened=what, impact=impact,
                              recommendation=recommendation, owner=owner, links=links))

    struck = [o for st in run.history for o in st.risks_struck]
    for o in sorted(struck, key=lambda x: -(x.effect.cost + 1000 * x.effect.finish_days))[:5]:
        f = facts[o.id]
        r = f.seed
        d = decisions.get(r.id)
        if d is not None and d.type == "mitigate_risk" and r.type == "opportunity":
            resp = next(x for x in r.responses if x.id == d.option)
            rec = (f"Prepare {resp.id} ({resp.strategy}) before the window opens (week "
                   f"{r.weeks[0]}) so the opportunity can be taken the week it appears: "
                   f"{resp.description} Signs to watch: {r.early_signs}")
        elif d is not None and d.type == "mitigate_risk":
            resp = next(x for x in r.responses if x.id == d.option)
            rec = (f"Keep {resp.id} ({resp.strategy}) as the standard response: "
                   + (f"it cut the impact to × {resp.impact_factor:g} and the probability to "
                      f"{_pct(resp.probability_after)}. " if resp.impact_factor < 1 else
                      f"it cut the probability to {_pct(resp.probability_after)}. ")
                   + f"Watch the early signs from the start of the window (week "
                     f"{r.weeks[0]}): {r.early_signs}")
        else:
            best = min((x for x in r.responses if x.strategy != "accept"),
                       key=lambda x: x.cost + x.probability_after * x.impact_factor
                       * p.harm(r.impact), default=None)
            rec = (f"Respond before week {r.weeks[0]}: {best.id} – {best.description}"
                   if best else f"Watch the early signs: {r.early_signs}")
        add("execution", r.category,
            f"{'Opportunity' if r.type == 'opportunity' else 'Risk'} {r.id} ({r.title}) "
            f"occurred in week {o.week}: {r.event}",
            f"{o.effect.describe(cur)}.", rec, f.owner.name, [r.id])
    for c in changes.requests:
        if c.decision is None:
            continue
        add("execution", "Change control",
            f"{c.id} ({c.title}) was raised by {c.requester} on {c.raised} and decided "
            f"'{c.decision.outcome}' on {c.decision.date}.",
            f"Cost {c.impact.cost if c.impact else 0:+,.0f} {cur}; finish "
            f"{c.impact.schedule_days if c.impact else 0:+d} working days.",
            "Assess every request against the critical path and the contingency before the "
            "board meets, and put the alternatives side by side; a request decided within "
            "its week costs less than one that lapses to its default.",
            p.s.sponsor.name, [c.id])
    for x in exceptions.reports:
        add("execution", "Forecasting",
            f"{x.id}: {x.title}. {x.forecast}",
            f"Options put to the board; decision {x.decision} on {x.decided_on}.",
            "Keep the weekly forecast on the critical path and the CPI, and raise an exception "
            "as soon as the forecast crosses a tolerance; give the board costed options.",
            PM, [x.id])
    crash = [d for d in run.log.decisions if d.type == "crash"]
    if crash:
        spent = sum(run.occurrences[d.id].effect.cost for d in crash if d.id in run.occurrences)
        days = sum(int(d.amount or 0) for d in crash)
        targets = sorted({d.target for d in crash if d.target})
        add("execution", "Schedule recovery",
            f"{len(crash)} crash decisions bought {days} working days on "
            f"{', '.join(targets)}.",
            f"{_money(spent, cur)} of recovery cost.",
            "Plan the recovery options while planning: list the crashable critical activities "
            "with their cost per day, so a slip can be answered the week it is forecast.",
            PM, targets[:10])
    slips = p.overruns(run)
    worst = [(d, aid) for d, aid in slips if d > 0][:3]
    if worst:
        add("planning", "Estimating",
            "The work took longer than its most likely estimates: "
            + ", ".join(f"{aid} {d:+d} days" for d, aid in worst) + ".",
            f"Finish {run.outcome.finish_variance_days:+d} working days against the baseline.",
            "Plan to P80, not to the most likely durations: keep the float between the "
            "deterministic finish and the deadline as the schedule reserve, and estimate "
            "the longest activities bottom-up with the people who do them.",
            PM, [aid for _, aid in worst])
    mitigated_quiet = [facts[rid] for rid, d in decisions.items() if rid is not None
                       and d.type == "mitigate_risk" and rid not in {o.id for o in struck}]
    if mitigated_quiet:
        top = sorted(mitigated_quiet, key=lambda f: -f.expected_harm)[:3]
        add("planning", "Risk management",
            "Responses bought in week 1 against "
            + ", ".join(f"{f.seed.id} ({f.seed.title})" for f in top)
            + " – these risks did not occur.",
            "Expected harm avoided: "
            + _money(sum(f.expected_harm - f.residual_harm for f in top), cur) + ".",
            "Price each response against the expected harm it removes and buy the ones that "
            "pay at the planning gate; record the reasoning so a quiet risk is not taken as "
            "wasted money.",
            PM, [f.seed.id for f in top])
    return LessonsLearned(lessons=lessons)


# -- putting it together ----------------------------------------------------------------------


def build(sid: str, out: Path = HERE) -> list[Path]:
    """Write every gate's reference deliverables of one scenario; return the files."""
    scenario = load_scenario(sid)
    p = Planner(scenario)
    comms = build_communications(p)
    charter = build_charter(p)
    stakeholders = build_stakeholders(p, comms)
    initial = RiskRegister(scale="5x5", risks=[p.risk_entry(f) for f in p.top_risks()])
    run = Run.of(sid, p.schedule)
    changes = build_change_log(p, run)
    issues = build_issue_log(p, run)
    exceptions = build_exception_reports(p, run)
    status = build_status_reports(p, run, issues, exceptions)
    lessons = build_lessons(p, run, changes, exceptions)
    closure = build_closure(p, run, charter, changes, issues, lessons)
    gates: dict[str, list[Deliverable]] = {
        "01-initiation": [charter, stakeholders, initial],
        "02-planning": [p.schedule, p.register, comms],
        "03-execution": [status, changes, run.log, issues, exceptions],
        "04-closure": [closure, lessons],
    }
    written = []
    so_far: dict[str, Deliverable] = {}
    for gate, items in gates.items():
        # A gate's folder is the learner's folder at that gate: every deliverable so far,
        # each in its latest version (planning's risk register replaces the initial one).
        so_far.update({item.KIND: item for item in items})
        store = DeliverableStore(out / sid / gate)
        store.folder.mkdir(parents=True, exist_ok=True)
        for item in so_far.values():
            written.append(store.save(item))
    return written


def key_figures(sid: str) -> dict[str, str]:
    """The figures the README quotes for one scenario (recomputed, not read from files)."""
    from livepmo.planning import simulate

    p = Planner(load_scenario(sid))
    mc = simulate(p.schedule, seed=MC_SEED, iterations=MC_ITERATIONS)
    run = Run.of(sid, p.schedule)
    nothing = Simulation(run.variant, p.schedule).run()
    cur = p.s.currency

    def line(o: Outcome) -> str:
        return (f"finish {o.actual_finish} ({o.deadline_variance_days:+d} wd vs deadline), "
                f"cost {_money(o.actual_cost, cur)} ({o.cost_variance_pct:+.1f} % vs BAC), "
                f"scope {o.scope_pct:g} %, quality {o.quality}, satisfaction "
                f"{o.satisfaction_average:.1f}")

    return {
        "plan": f"{p.cpm.finish} working days, deadline {p.cpm.deadline}",
        "P80": f"{mc.p80:.1f} working days ({mc.percentile_date(80)}); "
               f"P(deadline) {mc.deadline_probability:.3f} (needs {p.s.confidence:.2f})",
        "contingency": f"{_money(p.contingency, cur)} (EMV {_money(p.reserve.amount, cur)}, "
                       f"scenario allows {_money(p.s.contingency, cur)})",
        "policy": line(run.outcome),
        "do nothing": line(nothing),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("ids", nargs="*", help="scenario ids (default: every scenario)")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder")
    parser.add_argument("--figures", action="store_true",
                        help="print the key figures instead of writing files")
    args = parser.parse_args(argv)
    ids = args.ids or scenario_ids()
    for sid in ids:
        if args.figures:
            print(sid)
            for k, v in key_figures(sid).items():
                print(f"  {k:<12} {v}")
            continue
        files = build(sid, args.out)
        print(f"{sid}: {len(files)} files in {args.out / sid}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
