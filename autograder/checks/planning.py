"""Checks of the planning gate: scope in the WBS, a connected network with plausible
durations, a baseline, a deadline met at the scenario's confidence, a cost baseline with a
contingency sized from the risk register, owned high risks and stakeholders kept informed.

Every check reads its thresholds from the rubric (``autograder/rubrics/02-planning.yaml``)
and uses the review's recomputations (``ctx.cpm``, ``ctx.monte_carlo``); none raises
except :class:`Missing` through ``ctx.require``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from typing import Any

from livepmo.autograder.checks._registry import Params, check
from livepmo.autograder.checks._text import SHOWN, money, shortlist
from livepmo.autograder.context import Context, Missing
from livepmo.autograder.findings import Evidence, Outcome
from livepmo.deliverables import (
    Activity,
    Charter,
    CommunicationsPlan,
    Risk,
    RiskRegister,
    Schedule,
)
from livepmo.errors import LivepmoError
from livepmo.planning import score_risk

BANDS = ("low", "medium", "high", "critical")
PLACEHOLDERS = frozenset((
    "", "tbd", "tbc", "n/a", "na", "none", "-", "?", "todo", "team", "all", "everyone",
    "project team", "the team", "someone", "unknown",
))
REGULAR = ("daily", "weekly", "fortnightly", "monthly")


# -- helpers -----------------------------------------------------------------------------


def _placeholder(text: str) -> bool:
    return text.strip().casefold().strip(".") in PLACEHOLDERS


def _share(good: int, total: int) -> float:
    return 1.0 if total <= 0 else max(0.0, min(1.0, good / total))


def _recompute(ctx: Context, what: str) -> tuple[Any, Outcome | None]:
    """``ctx.cpm`` or ``ctx.monte_carlo``, or an Outcome saying why it has no result."""
    try:
        return getattr(ctx, what), None
    except Missing:
        raise
    except LivepmoError as exc:  # the engine's error is the learner's finding, never a crash
        return None, Outcome(
            0.0,
            message=f"the schedule cannot be computed: {exc}",
            fix="run `livepmo check` on schedule.json and fix the network it reports",
            evidence=(Evidence("schedule", "activities", str(exc)[:200]),),
            facts={"error": str(exc)[:200]},
        )


def _index(schedule: Schedule) -> dict[str, int]:
    return {a.id: i for i, a in enumerate(schedule.activities)}


def _catalogue(ctx: Context) -> dict[str, Any]:
    return {a.id: a for a in ctx.require_scenario().activities}


def _matched(schedule: Schedule, ctx: Context) -> dict[str, str]:
    """Catalogue id → schedule id for every catalogue activity the schedule holds.

    An activity matches by id, or else by its name (case and spacing ignored)."""
    ids = {a.id for a in schedule.activities}
    names = {" ".join(a.name.casefold().split()): a.id for a in schedule.activities}
    out: dict[str, str] = {}
    for cid, c in _catalogue(ctx).items():
        if cid in ids:
            out[cid] = cid
        else:
            found = names.get(" ".join(c.name.casefold().split()))
            if found is not None:
                out[cid] = found
    return out


def _reserve(ctx: Context) -> tuple[float, str]:
    """The contingency reserve: the charter's when it is resubmitted here, else the
    scenario's approved contingency."""
    charter = ctx.get(Charter)
    if charter is not None:
        return charter.budget.contingency, "charter budget.contingency"
    return ctx.require_scenario().contingency, "the scenario's approved contingency"


def _scored(register: RiskRegister, risk: Risk) -> tuple[str, float | None]:
    """A risk's band and EMV; ('low', None) when it cannot be scored."""
    try:
        s = score_risk(risk, register.scale)
    except LivepmoError:
        return "low", None
    return s.band, s.emv


def _at_least(band: str, minimum: str) -> bool:
    return BANDS.index(band) >= BANDS.index(minimum) if minimum in BANDS else band != "low"


def _evidence(items: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple(items)[: 2 * SHOWN]


# -- P01 deliverables ---------------------------------------------------------------------


@check("planning_deliverables_present")
def planning_deliverables_present(ctx: Context, params: Params) -> Outcome:
    """Every deliverable the planning gate reviews is there and valid."""
    kinds = list(params.get("deliverables", ["schedule", "risk_register", "communications_plan"]))
    evidence = ctx.absent(kinds)
    invalid = [e.artifact for e in evidence if ctx.problems_of(e.artifact)]
    missing = [e.artifact for e in evidence if e.artifact not in invalid]
    facts = {"missing": shortlist(missing + invalid) or "none", "folder": str(ctx.folder.name)}
    if not evidence:
        return Outcome.met()
    parts = []
    if missing:
        parts.append(f"missing: {shortlist([k + '.json' for k in missing])}")
    if invalid:
        parts.append(f"invalid: {shortlist([k + '.json' for k in invalid])}")
    return Outcome(
        _share(len(kinds) - len(missing) - len(invalid), len(kinds)),
        message="the planning gate cannot be reviewed; " + "; ".join(parts),
        fix="save every planning deliverable to the gate folder and run `livepmo check` on it "
            "until it reports no problem",
        evidence=_evidence(evidence),
        facts=facts,
    )


# -- P02 scope in the WBS -----------------------------------------------------------------


@check("wbs_covers_scope")
def wbs_covers_scope(ctx: Context, params: Params) -> Outcome:
    """Every catalogue deliverable is in the schedule and every activity has a WBS code."""
    schedule = ctx.require(Schedule)
    catalogue = _catalogue(ctx)
    matched = _matched(schedule, ctx)
    absent = [cid for cid in catalogue if cid not in matched]
    no_wbs = [(i, a.id) for i, a in enumerate(schedule.activities) if not a.wbs]
    coverage = _share(len(matched), len(catalogue))
    need = float(params.get("min_coverage", 1.0))
    facts = {"absent": shortlist(absent) or "none", "coverage": f"{coverage:.0%}",
             "absent_count": str(len(absent))}
    if coverage + 1e-9 >= need and not no_wbs:
        return Outcome.met()
    score = min(1.0, coverage / need if need else 1.0)
    if no_wbs:
        score *= 1 - _share(len(no_wbs), len(schedule.activities)) / 2
    parts = []
    if coverage + 1e-9 < need:
        parts.append(f"the schedule holds {coverage:.0%} of the scope ({need:.0%} needed); "
                     f"not in the WBS: {shortlist(absent)}")
    if no_wbs:
        parts.append(f"{len(no_wbs)} activities have no WBS code: "
                     f"{shortlist([aid for _, aid in no_wbs])}")
    evidence = [Evidence("schedule", "activities", f"no activity for {cid!r} "
                         f"({catalogue[cid].name})") for cid in absent[:SHOWN]]
    evidence += [Evidence("schedule", f"activities[{i}].wbs", "''") for i, _ in no_wbs[:5]]
    return Outcome(
        min(score, 0.99),
        message="; ".join(parts),
        fix="add an activity for every deliverable of the scenario's catalogue (with its WBS "
            "code, links, estimate and cost) and give every activity a WBS code",
        evidence=_evidence(evidence),
        facts=facts,
    )


# -- P03 connected network ----------------------------------------------------------------


@check("schedule_connected")
def schedule_connected(ctx: Context, params: Params) -> Outcome:
    """One start, one finish, every other activity linked on both sides."""
    schedule = ctx.require(Schedule)
    cpm, failed = _recompute(ctx, "cpm")
    if failed is not None:
        return failed
    if not schedule.activities:
        return Outcome(0.0, message="the schedule has no activities",
                       fix="build the network from the scenario's catalogue",
                       evidence=(Evidence("schedule", "activities", "[]"),),
                       facts={"open": "all", "start": "none", "finish": "none"})
    ends = cpm.open_ends
    loose = list(ends.without_predecessor) + list(ends.without_successor)
    if params.get("dangling_links", "allow") == "forbid":
        loose += list(ends.dangling_start) + list(ends.dangling_finish)
    idx = _index(schedule)
    facts = {"open": shortlist(sorted(set(loose))) or "none", "start": str(ends.start),
             "finish": str(ends.finish)}
    if not loose:
        return Outcome.met()
    problems = [p for p in ends.problems()
                if params.get("dangling_links", "allow") == "forbid"
                or any(f"{aid!r} has no" in p.message for aid in loose)]
    count = len(set(loose))
    return Outcome(
        min(0.99, 1 - _share(count, len(schedule.activities))),
        message=f"the network is open at {count} activit{'y' if count == 1 else 'ies'}: "
                + "; ".join(p.message for p in problems[:SHOWN]),
        fix=f"link every activity to a predecessor and a successor, so that only the start "
            f"{ends.start!r} has no predecessor and only the finish {ends.finish!r} has no "
            "successor; otherwise its float and the critical path are fiction",
        evidence=_evidence(Evidence("schedule", p.path, p.message) for p in problems
                           if p.path.startswith("activities[") or p.path in idx),
        facts=facts,
    )


# -- P04 plausible durations --------------------------------------------------------------


@check("durations_plausible")
def durations_plausible(ctx: Context, params: Params) -> Outcome:
    """Durations and three-point estimates stay within the catalogue's range."""
    schedule = ctx.require(Schedule)
    catalogue = _catalogue(ctx)
    by_schedule_id = {sid: catalogue[cid] for cid, sid in _matched(schedule, ctx).items()}
    tol = float(params.get("tolerance_pct", 0)) / 100
    bad: list[tuple[int, Activity, str]] = []
    checked = 0
    for i, a in enumerate(schedule.activities):
        if a.milestone or (a.duration == 0 and a.estimate is None):
            continue
        checked += 1
        c = by_schedule_id.get(a.id)
        est = a.estimate
        if est is None:
            bad.append((i, a, "no three-point estimate"))
            continue
        if not est.optimistic - 1e-9 <= a.duration <= est.pessimistic + 1e-9:
            bad.append((i, a, f"duration {a.duration} is outside its own estimate "
                              f"{est.optimistic:g}–{est.pessimistic:g}"))
            continue
        if c is None:
            continue
        low, high = c.optimistic * (1 - tol), c.pessimistic * (1 + tol)
        if not math.floor(low) <= a.duration <= math.ceil(high):
            bad.append((i, a, f"duration {a.duration} is outside the catalogue's "
                              f"{c.optimistic:g}–{c.pessimistic:g} days"))
        elif est.pessimistic + 1e-9 < c.most_likely:
            bad.append((i, a, f"pessimistic {est.pessimistic:g} is below the catalogue's most "
                              f"likely {c.most_likely:g} days"))
        elif est.most_likely < math.floor(low) or est.most_likely > math.ceil(high):
            bad.append((i, a, f"most likely {est.most_likely:g} is outside the catalogue's "
                              f"{c.optimistic:g}–{c.pessimistic:g} days"))
    worst = bad[0][1].id if bad else ""
    facts = {"activity": worst or "none", "count": str(len(bad)),
             "reason": bad[0][2] if bad else ""}
    if not bad:
        return Outcome.met()
    return Outcome(
        min(0.99, 1 - _share(len(bad), checked)),
        message=f"{len(bad)} of {checked} activities have implausible durations: "
                + "; ".join(f"{a.id}: {why}" for _, a, why in bad[:SHOWN]),
        fix="take durations and optimistic / most likely / pessimistic estimates from the "
            "catalogue (or justify a change in the plan); a duration lies within its estimate",
        evidence=_evidence(Evidence("schedule", f"activities[{i}].duration", why)
                           for i, _, why in bad),
        facts=facts,
    )


# -- P05 baseline -------------------------------------------------------------------------


@check("baseline_matches_plan")
def baseline_matches_plan(ctx: Context, params: Params) -> Outcome:
    """The proposed baseline is the recomputed plan: CPM early dates, durations and costs."""
    schedule = ctx.require(Schedule)
    cpm, failed = _recompute(ctx, "cpm")
    if failed is not None:
        return failed
    facts = {"finish": "", "baseline_finish": "none", "count": "0"}
    try:
        finish = cpm.finish_date
        dates = cpm.dates()
    except LivepmoError as exc:
        return Outcome(0.0, message=f"the schedule has no dates: {exc}",
                       fix="give the schedule a calendar and a project start",
                       evidence=(Evidence("schedule", "calendar", str(exc)[:200]),), facts=facts)
    facts["finish"] = finish.isoformat()
    base = schedule.baseline
    if base is None:
        return Outcome(0.0, message="the schedule has no baseline to approve",
                       fix="freeze the plan as the baseline (planning.with_baseline): the CPM "
                           "early dates with each activity's duration and cost",
                       evidence=(Evidence("schedule", "baseline", "null"),), facts=facts)
    facts["baseline_finish"] = base.finish.isoformat()
    order = {aid: i for i, aid in enumerate(cpm.ids)}
    bad: list[Evidence] = []
    for i, a in enumerate(schedule.activities):
        entry = base.activities.get(a.id)
        j = order.get(a.id)
        if entry is None or j is None:
            bad.append(Evidence("schedule", f"baseline.activities.{a.id}", "missing"))
            continue
        start = dates["early_start"][j].astype(object)
        end = dates["early_finish"][j].astype(object)
        if (entry.start, entry.finish) != (start, end):
            bad.append(Evidence("schedule", f"baseline.activities.{a.id}",
                                f"{entry.start}–{entry.finish}, plan {start}–{end}"))
        elif entry.duration != a.duration or abs(entry.cost - a.cost) > 0.005:
            bad.append(Evidence("schedule", f"baseline.activities.{a.id}",
                                f"{entry.duration} d / {entry.cost:,.0f}, activities[{i}] "
                                f"{a.duration} d / {a.cost:,.0f}"))
    finish_off = base.finish != finish
    facts["count"] = str(len(bad))
    if not bad and not finish_off:
        return Outcome.met()
    parts = []
    if finish_off:
        parts.append(f"the baseline finishes {base.finish}, the plan recomputes to {finish}")
    if bad:
        parts.append(f"{len(bad)} baseline entries differ from the plan: "
                     + shortlist([e.path.rsplit('.', 1)[-1] for e in bad]))
    evidence = ([Evidence("schedule", "baseline.finish", f"{base.finish} (plan {finish})")]
                if finish_off else [])
    return Outcome(
        min(0.99, (1 - _share(len(bad), len(schedule.activities))) * (0.5 if finish_off else 1)),
        message="; ".join(parts),
        fix="re-baseline after the last change to the plan, so that the baseline the board "
            "approves is the schedule it reviews",
        evidence=_evidence(evidence + bad),
        facts=facts,
    )


# -- P06 deadline reachable ---------------------------------------------------------------


@check("deadline_reachable")
def deadline_reachable(ctx: Context, params: Params) -> Outcome:
    """The deterministic plan meets the scenario's deadline, and the schedule states it."""
    schedule = ctx.require(Schedule)
    scenario = ctx.require_scenario()
    cpm, failed = _recompute(ctx, "cpm")
    if failed is not None:
        return failed
    try:
        finish: date = cpm.finish_date
    except LivepmoError as exc:
        return Outcome(0.0, message=f"the schedule has no dates: {exc}",
                       fix="give the schedule a calendar and a project start",
                       evidence=(Evidence("schedule", "calendar", str(exc)[:200]),))
    critical = cpm.critical_ids
    facts = {"finish": finish.isoformat(), "deadline": scenario.deadline.isoformat(),
             "critical": shortlist([c for c in critical if c in _index(schedule)], 6)}
    problems: list[Evidence] = []
    late = finish > scenario.deadline
    if late:
        try:
            days = cpm.calendar.workdays_through(finish) - cpm.calendar.workdays_through(
                scenario.deadline)
        except LivepmoError:
            days = (finish - scenario.deadline).days
        facts["late_days"] = str(days)
        problems.append(Evidence("schedule", "activities",
                                 f"CPM finish {finish} after the deadline {scenario.deadline} "
                                 f"(critical path {facts['critical']})"))
    stated = schedule.deadline
    if stated is None or stated > scenario.deadline:
        problems.append(Evidence("schedule", "deadline",
                                 f"{stated} (the sponsor's deadline is {scenario.deadline})"))
    if not problems:
        return Outcome.met(**facts)
    message = (f"even with every activity at its planned duration the project finishes "
               f"{finish}, after the deadline {scenario.deadline}" if late else
               f"the schedule states deadline {stated}, not the sponsor's {scenario.deadline}")
    return Outcome(
        0.0 if late else 0.5,
        message=message,
        fix="shorten the critical path (fast-track links, crash critical activities, "
            "re-plan scope with the sponsor) until the plan meets the deadline, and state "
            "the sponsor's deadline in schedule.deadline",
        evidence=tuple(problems),
        facts=facts,
    )


# -- P07 deadline at the stated confidence ------------------------------------------------


@check("deadline_confidence")
def deadline_confidence(ctx: Context, params: Params) -> Outcome:
    """The Monte Carlo of the learner's estimates meets the deadline at the confidence."""
    schedule = ctx.require(Schedule)
    scenario = ctx.require_scenario()
    confidence = float(params.get("confidence") or scenario.confidence)
    work = [a for a in schedule.activities if not a.milestone and a.duration > 0]
    spread = [a for a in work if a.estimate is not None
              and a.estimate.pessimistic > a.estimate.optimistic]
    need = float(params.get("min_estimated_share", 0.8))
    facts = {"confidence": f"{confidence:.0%}", "deadline": scenario.deadline.isoformat(),
             "probability": "n/a", "p80": "n/a", "driver": "none"}
    if _share(len(spread), len(work)) + 1e-9 < need:
        return Outcome(
            0.0,
            message=f"only {len(spread)} of {len(work)} activities have a three-point estimate "
                    "with a range, so the schedule risk cannot be assessed",
            fix="give every activity optimistic, most likely and pessimistic durations",
            evidence=_evidence(Evidence("schedule", f"activities[{i}].estimate",
                                        str(a.estimate.model_dump() if a.estimate else None))
                               for i, a in enumerate(schedule.activities)
                               if a in work and a not in spread),
            facts=facts,
        )
    mc, failed = _recompute(ctx, "monte_carlo")
    if failed is not None:
        return failed
    try:
        probability = mc.probability_by(scenario.deadline)
        p80 = mc.percentile_date(confidence * 100)
        drivers = mc.tornado(3)
    except LivepmoError as exc:
        return Outcome(0.0, message=f"the schedule risk cannot be computed: {exc}",
                       fix="give the schedule a calendar and valid estimates",
                       evidence=(Evidence("schedule", "activities", str(exc)[:200]),),
                       facts=facts)
    driver = drivers[0][0] if drivers else "none"
    facts.update(probability=f"{probability:.0%}", p80=p80.isoformat(), driver=driver)
    if probability + 1e-9 >= confidence:
        return Outcome.met(**facts)
    return Outcome(
        max(0.0, min(0.99, probability / confidence)),
        message=f"the deadline {scenario.deadline} is met in {probability:.0%} of the "
                f"simulated runs, not the {confidence:.0%} the sponsor requires; "
                f"P{confidence * 100:.0f} finish {p80}; the finish is driven most by "
                + shortlist([d for d, _ in drivers]),
        fix=f"reduce the uncertainty on the drivers ({shortlist([d for d, _ in drivers])}) or "
            "shorten the critical path until the deadline is met at the required confidence; "
            "a schedule reserve is planned, not hoped for",
        evidence=(Evidence("schedule", "deadline",
                           f"P({scenario.deadline}) = {probability:.2f} < {confidence:.2f}"),
                  *(Evidence("schedule", f"activities[{_index(schedule).get(d, 0)}].estimate",
                             f"{d}: sensitivity {s:.2f}") for d, s in drivers)),
        facts=facts,
    )


# -- P08 budget baseline ------------------------------------------------------------------


@check("budget_baseline")
def budget_baseline(ctx: Context, params: Params) -> Outcome:
    """The cost baseline plus the contingency reserve fits the approved budget."""
    schedule = ctx.require(Schedule)
    scenario = ctx.require_scenario()
    cost = sum(a.cost for a in schedule.activities)
    reserve, source = _reserve(ctx)
    budget = scenario.budget
    cur = scenario.currency
    facts = {"cost": money(cost, cur), "reserve": money(reserve, cur),
             "budget": money(budget, cur),
             "margin": (f"{money(cost + reserve - budget, cur)} over"
                        if cost + reserve > budget else
                        f"{money(budget - cost - reserve, cur)} to spare")}
    if cost + reserve <= budget + 0.5:
        return Outcome.met(**facts)
    over = cost + reserve - budget
    return Outcome(
        max(0.0, min(0.99, 1 - over / reserve)) if reserve > 0 else 0.0,
        message=f"the cost baseline {money(cost, cur)} plus the contingency reserve "
                f"{money(reserve, cur)} ({source}) is {money(over, cur)} over the budget "
                f"{money(budget, cur)}",
        fix="bring the cost baseline within the budget less the contingency reserve (cheaper "
            "resourcing, descoped options agreed with the sponsor), or ask the sponsor for a "
            "larger budget before the gate",
        evidence=(Evidence("schedule", "activities[*].cost", f"sum {money(cost, cur)}"),),
        facts=facts,
    )


# -- P09 contingency from the register ----------------------------------------------------


@check("contingency_from_register")
def contingency_from_register(ctx: Context, params: Params) -> Outcome:
    """Open threats are costed, so the reserve can be sized from their expected values,
    and the reserve covers at least the exposure the plan accepts."""
    register = ctx.require(RiskRegister)
    min_band = str(params.get("min_band", "medium"))
    reserve, source = _reserve(ctx)
    cur = ctx.require_scenario().currency
    threats = [(i, r) for i, r in enumerate(register.risks)
               if r.type == "threat" and r.status == "open"]
    relevant = [(i, r) for i, r in threats if _at_least(_scored(register, r)[0], min_band)]
    uncosted = [(i, r) for i, r in relevant if not r.cost_impact]
    accepted = 0.0
    total = 0.0
    for _, r in threats:
        emv = _scored(register, r)[1] or 0.0
        total += emv
        if r.response is None or r.response.strategy == "accept":
            accepted += emv
    facts = {"reserve": money(reserve, cur), "emv": money(total, cur),
             "accepted": money(accepted, cur),
             "uncosted": shortlist([r.id for _, r in uncosted]) or "none"}
    short = reserve + 0.5 < accepted
    if not relevant and not threats:
        return Outcome(0.0, message="the register has no open threat to size a reserve from",
                       fix="assess the threats to the plan, with their money at stake",
                       evidence=(Evidence("risk_register", "risks", "no open threat"),),
                       facts=facts)
    if not uncosted and not short:
        return Outcome.met(**facts)
    parts = []
    if uncosted:
        parts.append(f"{len(uncosted)} of {len(relevant)} {min_band}-or-worse open threats have "
                     f"no cost impact, so their expected value is not in the reserve: "
                     f"{shortlist([r.id for _, r in uncosted])}")
    if short:
        parts.append(f"the reserve {money(reserve, cur)} ({source}) is below the expected "
                     f"value of the threats the plan accepts, {money(accepted, cur)}")
    return Outcome(
        min(0.99, (1 - _share(len(uncosted), len(relevant))) * (0.5 if short else 1)),
        message="; ".join(parts),
        fix="give every threat its money at stake (cost_impact), size the contingency as the "
            "expected monetary value left after the planned responses plus their cost, and "
            "show the sum",
        evidence=_evidence([Evidence("risk_register", f"risks[{i}].cost_impact", "null")
                            for i, _ in uncosted]),
        facts=facts,
    )


# -- P10 high risks owned -----------------------------------------------------------------


@check("high_risks_owned")
def high_risks_owned(ctx: Context, params: Params) -> Outcome:
    """Every high or critical open risk has an owner, a response with actions and a trigger."""
    register = ctx.require(RiskRegister)
    min_band = str(params.get("min_band", "high"))
    min_trigger = int(params.get("min_trigger_chars", 20))
    high = [(i, r) for i, r in enumerate(register.risks)
            if r.status != "closed" and _at_least(_scored(register, r)[0], min_band)]
    gaps: list[tuple[int, Risk, list[str]]] = []
    for i, r in high:
        lacks = []
        if _placeholder(r.owner):
            lacks.append("owner")
        if r.response is None:
            lacks.append("response")
        elif r.response.strategy != "accept" and not any(
                len(x.strip()) >= 10 for x in r.response.actions):
            lacks.append("response actions")
        elif r.response.strategy == "accept" and len(r.contingency.strip()) < min_trigger:
            lacks.append("contingency plan for the accepted risk")
        if len(r.trigger.strip()) < min_trigger or _placeholder(r.trigger):
            lacks.append("trigger")
        if lacks:
            gaps.append((i, r, lacks))
    if not high:
        return Outcome.met()
    first = gaps[0][1] if gaps else max(
        (r for _, r in high), key=lambda r: (r.probability * r.impact, r.cost_impact or 0))
    facts = {"risk": first.id, "title": first.title,
             "state": ("it lacks " + " and ".join(gaps[0][2])) if gaps
             else f"owned by {first.owner}",
             "count": str(len(high))}
    if not gaps:
        return Outcome.met(**facts)
    return Outcome(
        min(0.99, 1 - _share(len(gaps), len(high))),
        message=f"{len(gaps)} of {len(high)} {min_band}-or-worse risks are not managed: "
                + "; ".join(f"{r.id} lacks {' and '.join(lacks)}" for _, r, lacks in gaps[:5]),
        fix="name one accountable owner per high risk, a response strategy with concrete "
            "actions, and the trigger (early sign) that tells the owner it is happening",
        evidence=_evidence(Evidence("risk_register", f"risks[{i}]",
                                    f"{r.id}: owner {r.owner!r}, trigger {r.trigger[:40]!r}")
                           for i, r, _ in gaps),
        facts=facts,
    )


# -- P11 register complete ----------------------------------------------------------------


@check("risk_register_complete")
def risk_register_complete(ctx: Context, params: Params) -> Outcome:
    """Enough risks, opportunities too, each a cause → event → effect with impact areas."""
    register = ctx.require(RiskRegister)
    min_risks = int(params.get("min_risks", 10))
    min_opps = int(params.get("min_opportunities", 1))
    min_chars = int(params.get("min_statement_chars", 15))
    weak: list[tuple[int, Risk, str]] = []
    for i, r in enumerate(register.risks):
        parts = (r.statement.cause.strip(), r.statement.event.strip(), r.statement.effect.strip())
        if any(len(p) < min_chars for p in parts):
            weak.append((i, r, "statement too short for cause → event → effect"))
        elif len({p.casefold() for p in parts}) < 3:
            weak.append((i, r, "cause, event and effect repeat each other"))
        elif not r.impact_areas:
            weak.append((i, r, "no impact area"))
    opps = sum(r.type == "opportunity" for r in register.risks)
    n = len(register.risks)
    facts = {"risks": str(n), "opportunities": str(opps), "weak": str(len(weak))}
    problems = []
    if n < min_risks:
        problems.append(f"{n} risks, at least {min_risks} expected for a project this size")
    if opps < min_opps:
        problems.append(f"{opps} opportunities, at least {min_opps} expected")
    if weak:
        problems.append("; ".join(f"{r.id}: {why}" for _, r, why in weak[:SHOWN]))
    if not problems:
        return Outcome.met(**facts)
    score = (min(1.0, n / min_risks) if min_risks else 1.0) * (1 - _share(len(weak), n) if n
                                                                 else 1.0)
    if opps < min_opps:
        score *= 0.75
    return Outcome(
        min(0.99, score),
        message="; ".join(problems),
        fix="write each risk as cause → risk event → effect, name its impact areas, and look "
            "for opportunities as well as threats",
        evidence=_evidence([Evidence("risk_register", "risks", f"{n} risks, {opps} "
                                     "opportunities")]
                           + [Evidence("risk_register", f"risks[{i}].statement", why)
                              for i, _, why in weak]),
        facts=facts,
    )


# -- P12 communications -------------------------------------------------------------------


@check("communications_reach_power")
def communications_reach_power(ctx: Context, params: Params) -> Outcome:
    """Every high-power stakeholder receives a regular communication."""
    plan = ctx.require(CommunicationsPlan)
    scenario = ctx.require_scenario()
    min_power = int(params.get("min_power", 4))
    regular = set(params.get("regular", REGULAR))
    people = [s for s in scenario.stakeholders if s.power >= min_power]
    reached = {who for c in plan.communications if c.frequency in regular for who in c.audience}
    names = {s.name.casefold() for s in scenario.stakeholders}
    reached |= {s.id for s in scenario.stakeholders if s.name.casefold() in
                {w.casefold() for w in reached} & names}
    missed = [s for s in people if s.id not in reached]
    first = missed[0] if missed else max(
        people or scenario.stakeholders, key=lambda s: (s.power, s.interest))
    facts = {"stakeholder": f"{first.name} ({first.position})",
             "missed": shortlist([s.id for s in missed]) or "none"}
    if not missed:
        return Outcome.met(**facts)
    return Outcome(
        min(0.99, 1 - _share(len(missed), len(people))),
        message=f"{len(missed)} of {len(people)} high-power stakeholders get no regular "
                "communication: " + shortlist([f"{s.id} {s.name}" for s in missed]),
        fix="add a communication (at least monthly) for every stakeholder with power "
            f"{min_power} or more: what they get, through which channel, from whom",
        evidence=_evidence(Evidence("communications_plan", "communications[*].audience",
                                    f"{s.id} absent") for s in missed),
        facts=facts,
    )


# -- P13 resourced and costed -------------------------------------------------------------


@check("activities_resourced")
def activities_resourced(ctx: Context, params: Params) -> Outcome:
    """Every activity has a resource and a cost; the key dates are milestones."""
    schedule = ctx.require(Schedule)
    min_milestones = int(params.get("min_milestones", 3))
    work = [(i, a) for i, a in enumerate(schedule.activities) if not a.milestone]
    bare = [(i, a) for i, a in work if _placeholder(a.resource) or a.cost <= 0]
    milestones = sum(a.milestone for a in schedule.activities)
    facts = {"activity": bare[0][1].id if bare else "none", "count": str(len(bare)),
             "milestones": str(milestones)}
    if not bare and milestones >= min_milestones:
        return Outcome.met()
    parts = []
    if bare:
        parts.append(f"{len(bare)} activities have no resource or no cost: "
                     + shortlist([a.id for _, a in bare]))
    if milestones < min_milestones:
        parts.append(f"{milestones} milestones, at least {min_milestones} expected")
    score = 1 - _share(len(bare), len(work))
    if milestones < min_milestones:
        score *= 0.5
    return Outcome(
        min(0.99, score),
        message="; ".join(parts),
        fix="give every activity the role that does it and its cost, and mark the gates "
            "and hand-overs as milestones",
        evidence=_evidence(Evidence("schedule", f"activities[{i}]",
                                    f"resource {a.resource!r}, cost {a.cost:g}")
                           for i, a in bare),
        facts=facts,
    )


# -- P14 business case --------------------------------------------------------------------


@check("business_case_holds")
def business_case_holds(ctx: Context, params: Params) -> Outcome:
    """The plan stays within the business case: cost overrun and scope kept.

    A stop is decided on evidence only: without a valid schedule there is no plan to judge
    (P01 reports that) and without the scenario no business case (the other criteria report
    it), so the criterion does not fail through ``Missing``."""
    schedule = ctx.get(Schedule)
    scenario = ctx.scenario
    if schedule is None or scenario is None:
        return Outcome.met()
    case = scenario.business_case
    cur = scenario.currency
    cost = sum(a.cost for a in schedule.activities)
    limit = scenario.budget * (1 + case.max_cost_overrun_pct / 100)
    catalogue = _catalogue(ctx)
    matched = _matched(schedule, ctx)
    full = sum(c.cost for c in catalogue.values())
    kept = sum(catalogue[cid].cost for cid in matched)
    scope = 100 * kept / full if full else 100.0
    facts = {"cost": money(cost, cur), "limit": money(limit, cur), "scope": f"{scope:.0f}%",
             "min_scope": f"{case.min_scope_pct:.0f}%"}
    over = cost > limit + 0.5
    thin = scope + 1e-9 < case.min_scope_pct
    if not over and not thin:
        return Outcome.met()
    parts = []
    if over:
        parts.append(f"the plan costs {money(cost, cur)}, beyond {money(limit, cur)}, the "
                     f"budget plus the {case.max_cost_overrun_pct:g} % overrun the business "
                     "case survives")
    if thin:
        parts.append(f"the plan delivers {scope:.0f} % of the scope (by cost), below the "
                     f"{case.min_scope_pct:g} % the benefits need")
    return Outcome(
        0.0,
        message="; ".join(parts) + ": the business case no longer holds",
        fix="re-plan within the business case or take it back to the sponsor: a plan that "
            "loses the benefits should not be approved",
        evidence=(Evidence("schedule", "activities[*].cost", f"sum {money(cost, cur)}"),),
        facts=facts,
    )

