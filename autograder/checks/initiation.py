"""Checks of the initiation gate: charter, stakeholder register and initial risk register.

Each check reads the learner's deliverables (and the scenario where the charter must agree
with it), returns the share of the criterion met and, when not all of it, names the
offending items with their field paths. Text is judged by deterministic rules only:
required elements, patterns and lengths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from livepmo.autograder.checks._registry import Params, check
from livepmo.autograder.checks._text import SHOWN, shortlist
from livepmo.autograder.context import Context
from livepmo.autograder.findings import Evidence, Outcome
from livepmo.deliverables import KINDS, Charter, RiskRegister, StakeholderRegister
from livepmo.deliverables.risks import Risk

#: Names a learner writes when nobody has been named yet.
PLACEHOLDERS = frozenset(
    {"", "tbd", "tbc", "n/a", "na", "none", "unknown", "todo", "sponsor", "the sponsor",
     "project sponsor", "owner", "someone", "?", "-", "xxx", "name"}
)
_DIGIT = re.compile(r"\d")


# -- small helpers --------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _is_placeholder(text: str) -> bool:
    return _norm(text).strip(" .") in PLACEHOLDERS


def _show(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _failed(
    score: float, message: str, fix: str, evidence: Iterable[Evidence], /, **facts: str
) -> Outcome:
    return Outcome(score=max(0.0, min(1.0, score)), message=message, fix=fix,
                   evidence=tuple(evidence)[:SHOWN * 2], facts=facts)


def _int(params: Params, key: str, default: int) -> int:
    try:
        return int(params.get(key, default))
    except (TypeError, ValueError):
        return default


def _float(params: Params, key: str, default: float) -> float:
    try:
        return float(params.get(key, default))
    except (TypeError, ValueError):
        return default


def _risk_score(risk: Risk) -> float:
    return float(risk.probability) * float(risk.impact)


def _is_high(risk: Risk, register: RiskRegister, params: Params) -> bool:
    threshold = (_float(params, "high_pmbok", 0.18) if register.scale == "pmbok"
                 else _float(params, "high_5x5", 10))
    return _risk_score(risk) >= threshold


# -- I01 the deliverables are there ---------------------------------------------------------


@check("initiation_deliverables")
def initiation_deliverables(ctx: Context, params: Params) -> Outcome:
    """Every deliverable the gate reviews is present and valid."""
    kinds = [str(k) for k in params.get("kinds", ["charter", "stakeholder_register",
                                                 "risk_register"])]
    evidence = ctx.absent(kinds)
    bad = [e.artifact for e in evidence]
    if not bad:
        return Outcome.met()
    title = KINDS[bad[0]].TITLE.lower() if bad[0] in KINDS else bad[0]
    return _failed(
        1 - len(bad) / max(len(kinds), 1),
        "missing or invalid: " + ", ".join(f"{k}.json" for k in bad),
        f"save every deliverable of the gate; run `livepmo check {ctx.folder}` and fix each "
        "problem it lists",
        evidence,
        deliverable=title, deliverables=", ".join(bad),
    )


# -- I02 the sponsor -------------------------------------------------------------------------


@check("sponsor_identified")
def sponsor_identified(ctx: Context, params: Params) -> Outcome:
    """A named sponsor who is the scenario's sponsor and a high-power stakeholder."""
    charter = ctx.require(Charter)
    name = charter.sponsor.name
    problems: list[tuple[str, Evidence]] = []
    if _is_placeholder(name):
        problems.append(("the sponsor is not named",
                         Evidence("charter", "sponsor.name", _show(name))))
    scenario = ctx.scenario
    expected = scenario.sponsor.name if scenario is not None else ""
    if scenario is not None and not _is_placeholder(name) and _norm(name) != _norm(expected):
        problems.append((f"the sponsor {name!r} is not the scenario's sponsor {expected!r}",
                         Evidence("charter", "sponsor.name", _show(name))))
    min_power = _int(params, "min_power", 4)
    register = ctx.get(StakeholderRegister)
    if register is not None and not _is_placeholder(name):
        entry = next((s for s in register.stakeholders if _norm(s.name) == _norm(name)), None)
        if entry is None:
            problems.append((f"the sponsor {name!r} is not in the stakeholder register",
                             Evidence("stakeholder_register", "stakeholders", "")))
        elif entry.power < min_power:
            i = register.stakeholders.index(entry)
            problems.append((f"the sponsor has power {entry.power} in the register, below "
                             f"{min_power}", Evidence("stakeholder_register",
                                                      f"stakeholders[{i}].power",
                                                      str(entry.power))))
    if not problems:
        return Outcome.met(sponsor=name)
    checks = 3 if register is not None else 2
    return _failed(
        1 - len(problems) / checks if not _is_placeholder(name) else 0.0,
        "; ".join(m for m, _ in problems),
        f"name the sponsor ({expected or 'the executive who owns the business case'}) in "
        "charter.sponsor and register them as a stakeholder with power 4–5",
        (e for _, e in problems),
        sponsor=name or "nobody", expected=expected or "the business owner",
    )


# -- I03 authority ------------------------------------------------------------------------------


@check("authority_defined")
def authority_defined(ctx: Context, params: Params) -> Outcome:
    """Sponsor and project manager each have their authority written down, the PM's with a limit."""
    charter = ctx.require(Charter)
    min_chars = _int(params, "min_chars", 30)
    problems: list[tuple[str, Evidence]] = []
    for role, person in (("sponsor", charter.sponsor), ("project_manager",
                                                           charter.project_manager)):
        text = person.authority
        if len(text.strip()) < min_chars:
            problems.append((f"{role.replace('_', ' ')} authority is "
                             + ("empty" if not text.strip() else f"only {len(text.strip())} "
                                f"characters"), Evidence("charter", f"{role}.authority",
                                                         _show(text))))
    pm = charter.project_manager.authority
    if params.get("pm_limit", True) and pm.strip() and len(pm.strip()) >= min_chars \
            and not _DIGIT.search(pm):
        problems.append(("the project manager's authority states no limit (an amount or "
                         "days they may commit without escalation)",
                         Evidence("charter", "project_manager.authority", _show(pm))))
    if not problems:
        return Outcome.met(role="project manager", sponsor=charter.sponsor.name)
    return _failed(
        1 - len(problems) / 3,
        "; ".join(m for m, _ in problems),
        "write what the sponsor decides (business case, contingency, exceptions) and what the "
        "project manager may decide alone, with a limit in money or days",
        (e for _, e in problems),
        role="project manager" if any("project manager" in m for m, _ in problems)
        else "sponsor",
        sponsor=charter.sponsor.name,
    )


# -- I04 business case ---------------------------------------------------------------------------


@check("business_case")
def business_case(ctx: Context, params: Params) -> Outcome:
    """The charter states a business case with figures: benefits and payback."""
    charter = ctx.require(Charter)
    text = charter.business_case
    min_chars = _int(params, "min_chars", 200)
    min_figures = _int(params, "min_figures", 2)
    keywords = [str(k).casefold() for k in params.get("keywords", ["benefit", "payback"])]
    figures = re.findall(r"\d[\d,.]*", text)
    missing = [k for k in keywords if k not in text.casefold()]
    problems: list[str] = []
    if len(text.strip()) < min_chars:
        problems.append(f"the business case has {len(text.strip())} characters "
                        f"(at least {min_chars})")
    if len(figures) < min_figures:
        problems.append(f"it states {len(figures)} figures (at least {min_figures}: "
                        "benefits per year, cost, payback)")
    if missing:
        problems.append("it does not mention " + ", ".join(missing))
    if not problems:
        return Outcome.met(sponsor=charter.sponsor.name, chars=str(len(text.strip())))
    return _failed(
        1 - len(problems) / 3,
        "; ".join(problems),
        "state the benefits per year in money, the one-off cost, the payback period and the "
        "limits beyond which the case fails",
        [Evidence("charter", "business_case", _show(text))],
        sponsor=charter.sponsor.name, chars=str(len(text.strip())),
    )


# -- I05 objectives --------------------------------------------------------------------------------


def _measurable_target(target: str, words: Sequence[str]) -> bool:
    if _DIGIT.search(target):
        return True
    low = target.casefold()
    return any(re.search(rf"\b{re.escape(w)}\b", low) for w in words)


@check("objectives_measurable")
def objectives_measurable(ctx: Context, params: Params) -> Outcome:
    """Objectives are SMART: each has a metric, a target with a figure and a due date."""
    charter = ctx.require(Charter)
    min_objectives = _int(params, "min_objectives", 3)
    min_metric = _int(params, "min_metric_chars", 5)
    words = [str(w).casefold() for w in params.get("target_words",
                                                    ["same day", "zero", "none", "all"])]
    bad: list[str] = []
    evidence: list[Evidence] = []
    first_bad: dict[str, str] = {}
    for i, o in enumerate(charter.objectives):
        here = f"objectives[{i}]"
        flaws: list[tuple[str, str, str]] = []
        if len(o.metric.strip()) < min_metric:
            flaws.append(("metric", f"{here}.metric", _show(o.metric)))
        if not _measurable_target(o.target, words):
            flaws.append(("target", f"{here}.target", _show(o.target)))
        if o.due is None or o.due < charter.start_date:
            flaws.append(("date", f"{here}.due", str(o.due)))
        if flaws:
            bad.append(f"{o.id} (no {'/'.join(f for f, _, _ in flaws)})")
            evidence.extend(Evidence("charter", p, v) for _, p, v in flaws)
            first_bad = first_bad or {"objective": o.id, "missing": flaws[0][0]}
    n = len(charter.objectives)
    good = n - len(bad)
    score = good / max(n, min_objectives, 1)
    if not bad and n >= min_objectives:
        return Outcome.met()
    message = []
    if n < min_objectives:
        message.append(f"{n} objectives, at least {min_objectives} expected")
        evidence.append(Evidence("charter", "objectives", f"{n} objectives"))
    if bad:
        message.append("not measurable: " + shortlist(bad))
    return _failed(
        score,
        "; ".join(message),
        "give every objective a metric, a target with a figure (e.g. '≤ 2 days', '99.5 %') "
        "and a due date on or after the start",
        evidence,
        objective=first_bad.get("objective", "the project"),
        missing=first_bad.get("missing", "objectives"),
        sponsor=charter.sponsor.name,
    )


# -- I06 scope ------------------------------------------------------------------------------------


@check("scope_boundaries")
def scope_boundaries(ctx: Context, params: Params) -> Outcome:
    """Scope in and out are both written, do not overlap, and key deliverables are named."""
    charter = ctx.require(Charter)
    min_in = _int(params, "min_in_scope", 3)
    min_out = _int(params, "min_out_of_scope", 2)
    min_deliverables = _int(params, "min_deliverables", 3)
    scope = charter.scope
    problems: list[tuple[str, Evidence]] = []
    if len(scope.in_scope) < min_in:
        problems.append((f"{len(scope.in_scope)} in-scope items (at least {min_in})",
                         Evidence("charter", "scope.in_scope", str(len(scope.in_scope)))))
    if len(scope.out_of_scope) < min_out:
        problems.append((f"{len(scope.out_of_scope)} out-of-scope items (at least {min_out})",
                         Evidence("charter", "scope.out_of_scope",
                                  str(len(scope.out_of_scope)))))
    ins = {_norm(x) for x in scope.in_scope}
    both = [x for x in scope.out_of_scope if _norm(x) in ins]
    if both:
        problems.append(("both in and out of scope: " + shortlist([_show(x, 40) for x in both]),
                         Evidence("charter", "scope.out_of_scope", _show(both[0]))))
    if len(charter.key_deliverables) < min_deliverables:
        problems.append((f"{len(charter.key_deliverables)} key deliverables (at least "
                         f"{min_deliverables})", Evidence("charter", "key_deliverables",
                                                          str(len(charter.key_deliverables)))))
    if not problems:
        return Outcome.met(out_count=str(len(scope.out_of_scope)),
                           in_count=str(len(scope.in_scope)))
    return _failed(
        1 - len(problems) / 4,
        "; ".join(m for m, _ in problems),
        "list what is in scope and, explicitly, what is not (the requests you expect to be "
        "refused), and the key deliverables someone will accept",
        (e for _, e in problems),
        out_count=str(len(scope.out_of_scope)), in_count=str(len(scope.in_scope)),
    )


# -- I07 stakeholders mapped --------------------------------------------------------------------


@check("stakeholders_mapped")
def stakeholders_mapped(ctx: Context, params: Params) -> Outcome:
    """The register holds enough stakeholders and every high-power one of the scenario, with
    their power not understated."""
    register = ctx.require(StakeholderRegister)
    min_stakeholders = _int(params, "min_stakeholders", 8)
    high = _int(params, "high_power", 4)
    people = register.stakeholders
    by_name = {_norm(s.name): (i, s) for i, s in enumerate(people)}
    by_id = {s.id: (i, s) for i, s in enumerate(people)}
    evidence: list[Evidence] = []
    missing: list[str] = []
    understated: list[str] = []
    required = 0
    scenario = ctx.scenario
    if scenario is not None:
        for seed in scenario.stakeholders:
            if seed.power < high:
                continue
            required += 1
            found = by_name.get(_norm(seed.name)) or by_id.get(seed.id)
            if found is None:
                missing.append(seed.name)
                evidence.append(Evidence("stakeholder_register", "stakeholders",
                                         f"no {seed.name!r} ({seed.position})"))
            elif found[1].power < high:
                understated.append(seed.name)
                evidence.append(Evidence("stakeholder_register",
                                         f"stakeholders[{found[0]}].power",
                                         f"{found[1].power} (holds {seed.power})"))
    few = len(people) < min_stakeholders
    if few:
        evidence.append(Evidence("stakeholder_register", "stakeholders",
                                 f"{len(people)} stakeholders"))
    if not (missing or understated or few):
        top = max(people, key=lambda s: (s.power, s.interest), default=None)
        return Outcome.met(stakeholder=top.name if top else "", count=str(len(people)))
    parts = []
    if missing:
        parts.append("high-power stakeholders not registered: " + shortlist(missing))
    if understated:
        parts.append("power understated for " + shortlist(understated))
    if few:
        parts.append(f"{len(people)} stakeholders registered, at least {min_stakeholders}")
    wrong = len(missing) + len(understated)
    score = (1 - wrong / required if required else 1.0) * (
        min(1.0, len(people) / max(min_stakeholders, 1)))
    if score >= 1:
        score = 0.5
    who = (missing or understated or ["the organisation"])[0]
    return _failed(
        score,
        "; ".join(parts),
        "register everyone who can stop, fund or redirect the project, rate power and "
        "interest 1–5 honestly (4–5 = can decide), and place them on the grid",
        evidence,
        stakeholder=who, count=str(len(people)),
    )


# -- I08 engagement plan for every high-power stakeholder ------------------------------------


@check("engagement_strategies")
def engagement_strategies(ctx: Context, params: Params) -> Outcome:
    """Every high-power stakeholder has a specific engagement strategy and a desired level."""
    register = ctx.require(StakeholderRegister)
    high = _int(params, "high_power", 4)
    min_chars = _int(params, "min_chars", 60)
    order = ["unaware", "resistant", "neutral", "supportive", "leading"]
    bad: list[str] = []
    evidence: list[Evidence] = []
    first: tuple[str, str] | None = None
    powerful = [(i, s) for i, s in enumerate(register.stakeholders) if s.power >= high]
    for i, s in powerful:
        text = s.strategy.strip()
        if len(text) < min_chars or _is_placeholder(text):
            bad.append(s.name)
            evidence.append(Evidence("stakeholder_register", f"stakeholders[{i}].strategy",
                                     _show(s.strategy)))
            first = first or (s.name, s.attitude)
        elif (s.attitude == "resistor" and
              order.index(s.engagement_desired) <= order.index(s.engagement_current) and
              s.engagement_desired not in ("supportive", "leading")):
            bad.append(f"{s.name} (resistor left {s.engagement_current})")
            evidence.append(Evidence("stakeholder_register",
                                     f"stakeholders[{i}].engagement_desired",
                                     s.engagement_desired))
            first = first or (s.name, s.attitude)
    if not bad:
        return Outcome.met()
    return _failed(
        1 - len(bad) / max(len(powerful), 1),
        f"{len(bad)} of {len(powerful)} high-power stakeholders without a specific engagement "
        "strategy: " + shortlist(bad),
        f"for each stakeholder of power {high}–5 write how you will engage them (what you "
        "involve them in, how often, through which channel) and the engagement level you "
        "want to reach",
        evidence,
        stakeholder=first[0] if first else "", attitude=first[1] if first else "",
    )


# -- I09 top risks named ---------------------------------------------------------------------------


@check("top_risks_named")
def top_risks_named(ctx: Context, params: Params) -> Outcome:
    """The initial risk register names the top risks as cause → event → effect, and the
    charter lists the high-level risks."""
    register = ctx.require(RiskRegister)
    charter = ctx.get(Charter)
    min_risks = _int(params, "min_risks", 5)
    min_chars = _int(params, "min_statement_chars", 15)
    risks = register.risks
    bad: list[str] = []
    evidence: list[Evidence] = []
    for i, r in enumerate(risks):
        parts = (r.statement.cause, r.statement.event, r.statement.effect)
        distinct = len({_norm(p) for p in parts}) == 3
        long_enough = all(len(p.strip()) >= min_chars for p in parts)
        if not (distinct and long_enough):
            bad.append(r.id)
            evidence.append(Evidence("risk_register", f"risks[{i}].statement",
                                     _show(r.statement.event)))
    problems = []
    if len(risks) < min_risks:
        problems.append(f"{len(risks)} risks registered, at least {min_risks}")
        evidence.append(Evidence("risk_register", "risks", f"{len(risks)} risks"))
    if bad:
        problems.append("statements not written as cause → event → effect: " + shortlist(bad))
    if charter is not None and not charter.high_level_risks:
        problems.append("the charter lists no high-level risks")
        evidence.append(Evidence("charter", "high_level_risks", "[]"))
    if not problems:
        return Outcome.met(count=str(len(risks)))
    good = len(risks) - len(bad)
    score = good / max(len(risks), min_risks, 1)
    if charter is not None and not charter.high_level_risks:
        score *= 0.75
    return _failed(
        score,
        "; ".join(problems),
        f"name at least {min_risks} risks, each as a cause, the uncertain event and its effect "
        "on the objectives, and carry the top ones into the charter",
        evidence,
        count=str(len(risks)), risk=bad[0] if bad else "",
    )


# -- I10 high risks owned with a response ------------------------------------------------------


@check("initial_risks_owned")
def initial_risks_owned(ctx: Context, params: Params) -> Outcome:
    """Every high or critical risk has a named owner and a response with actions."""
    register = ctx.require(RiskRegister)
    require_trigger = bool(params.get("require_trigger", False))
    stakeholders = ctx.get(StakeholderRegister)
    known = ({_norm(s.name) for s in stakeholders.stakeholders} | {_norm(s.id) for s in
                                                                  stakeholders.stakeholders}
             if stakeholders is not None else None)
    charter = ctx.get(Charter)
    if known is not None and charter is not None:
        known |= {_norm(charter.project_manager.name), _norm(charter.sponsor.name)}
    high = [(i, r) for i, r in enumerate(register.risks) if _is_high(r, register, params)]
    bad: list[str] = []
    evidence: list[Evidence] = []
    first: dict[str, str] = {}
    for i, r in high:
        flaws: list[str] = []
        if _is_placeholder(r.owner):
            flaws.append("owner")
            evidence.append(Evidence("risk_register", f"risks[{i}].owner", _show(r.owner)))
        elif known is not None and params.get("owner_registered", True) and \
                _norm(r.owner) not in known:
            flaws.append("registered owner")
            evidence.append(Evidence("risk_register", f"risks[{i}].owner",
                                     f"{r.owner!r} is not in the stakeholder register"))
        if r.response is None or not r.response.actions:
            flaws.append("response")
            evidence.append(Evidence("risk_register", f"risks[{i}].response",
                                     _show(r.response.model_dump() if r.response else None)))
        if require_trigger and not r.trigger.strip():
            flaws.append("trigger")
            evidence.append(Evidence("risk_register", f"risks[{i}].trigger", "''"))
        if flaws:
            bad.append(f"{r.id} (no {'/'.join(flaws)})")
            first = first or {"risk": r.id, "title": r.title,
                              "score": f"{_risk_score(r):g}", "missing": flaws[0]}
    if not bad:
        return Outcome.met()
    return _failed(
        1 - len(bad) / max(len(high), 1),
        f"{len(bad)} of {len(high)} high risks lack an owner or a response: " + shortlist(bad),
        "give every high risk (score ≥ 10) an owner from the stakeholder register and a "
        "response strategy with concrete actions",
        evidence,
        **first,
    )


# -- I11 budget consistent with the constraints -----------------------------------------------


@check("budget_consistent")
def budget_consistent(ctx: Context, params: Params) -> Outcome:
    """The summary budget fits the scenario's envelope and currency and holds a contingency
    of a plausible size."""
    charter = ctx.require(Charter)
    b = charter.budget
    lo = _float(params, "min_contingency_pct", 2)
    hi = _float(params, "max_contingency_pct", 25)
    problems: list[tuple[str, Evidence]] = []
    envelope = ""
    scenario = ctx.scenario
    if scenario is not None:
        envelope = f"{scenario.budget:,.0f} {scenario.currency}"
        if b.total > scenario.budget + 0.5:
            problems.append((f"budget {b.total:,.0f} exceeds the approved envelope {envelope}",
                             Evidence("charter", "budget.total", f"{b.total:,.0f}")))
        if b.currency != scenario.currency:
            problems.append((f"currency {b.currency} is not the scenario's {scenario.currency}",
                             Evidence("charter", "budget.currency", b.currency)))
    share = 100 * b.contingency / b.total if b.total > 0 else 0.0
    if b.total <= 0:
        problems.append(("the budget is zero", Evidence("charter", "budget.total", "0")))
    elif not lo <= share <= hi:
        problems.append((f"contingency is {share:.1f} % of the budget (expected {lo:g}–{hi:g} %)",
                         Evidence("charter", "budget.contingency", f"{b.contingency:,.0f}")))
    facts = {"budget": f"{b.total:,.0f} {b.currency}", "envelope": envelope or "the envelope",
             "contingency": f"{b.contingency:,.0f} {b.currency}", "share": f"{share:.1f} %"}
    if not problems:
        return Outcome.met(**facts)
    return _failed(
        1 - len(problems) / 3,
        "; ".join(m for m, _ in problems),
        "keep the budget within the sponsor's envelope, in its currency, with a contingency "
        "sized from the risks (not zero, not a blanket half of the budget)",
        (e for _, e in problems),
        **facts,
    )


# -- I12 dates and milestones consistent with the constraints ---------------------------------


@check("milestones_consistent")
def milestones_consistent(ctx: Context, params: Params) -> Outcome:
    """Start and finish respect the scenario's window; summary milestones lie inside it."""
    charter = ctx.require(Charter)
    min_milestones = _int(params, "min_milestones", 3)
    problems: list[tuple[str, Evidence]] = []
    scenario = ctx.scenario
    deadline = scenario.deadline.isoformat() if scenario is not None else "the deadline"
    if scenario is not None:
        if charter.start_date < scenario.start:
            problems.append((f"start {charter.start_date} is before the project can start "
                             f"({scenario.start})",
                             Evidence("charter", "start_date", str(charter.start_date))))
        if charter.target_finish > scenario.deadline:
            problems.append((f"target finish {charter.target_finish} is after the deadline "
                             f"{scenario.deadline}",
                             Evidence("charter", "target_finish", str(charter.target_finish))))
    late = [(i, m) for i, m in enumerate(charter.milestones) if m.date > charter.target_finish]
    for i, m in late:
        problems.append((f"milestone {m.id} on {m.date} is after the target finish "
                         f"{charter.target_finish}",
                         Evidence("charter", f"milestones[{i}].date", str(m.date))))
    if len(charter.milestones) < min_milestones:
        problems.append((f"{len(charter.milestones)} milestones (at least {min_milestones})",
                         Evidence("charter", "milestones", str(len(charter.milestones)))))
    facts = {"finish": str(charter.target_finish), "deadline": deadline,
             "milestones": str(len(charter.milestones))}
    if not problems:
        return Outcome.met(**facts)
    return _failed(
        1 - len(problems) / 4,
        "; ".join(m for m, _ in problems),
        "plan inside the scenario's window: start on or after its start, finish by its "
        "deadline, with summary milestones for each phase between them",
        (e for _, e in problems),
        **facts,
    )


# -- I13 the business case still holds at the requested budget --------------------------------


@check("initiation_case_holds")
def initiation_case_holds(ctx: Context, params: Params) -> Outcome:
    """The budget requested stays within the overrun beyond which the business case fails."""
    # Nothing to judge without a valid charter or the scenario: I01 reports a missing
    # charter (rework), which must not read as a business case that fails (stop).
    charter = ctx.get(Charter)
    scenario = ctx.scenario
    if charter is None or scenario is None:
        return Outcome.met()
    limit = scenario.budget * (1 + scenario.business_case.max_cost_overrun_pct / 100)
    total = charter.budget.total
    facts = {"budget": f"{total:,.0f} {charter.budget.currency}",
             "limit": f"{limit:,.0f} {scenario.currency}",
             "overrun": f"{scenario.business_case.max_cost_overrun_pct:g} %",
             "sponsor": scenario.sponsor.name}
    if total <= limit:
        return Outcome.met(**facts)
    return _failed(
        0.0,
        f"the budget requested, {total:,.0f}, is beyond {limit:,.0f}: more than "
        f"{scenario.business_case.max_cost_overrun_pct:g} % over the envelope, where the "
        "business case no longer holds",
        "cut scope or cost until the case holds, or take the project back to the sponsor to "
        "be stopped or re-justified",
        [Evidence("charter", "budget.total", f"{total:,.0f}")],
        **facts,
    )


# -- I14 governance: tolerances, approval criteria, sign-off ------------------------------------


@check("governance_set")
def governance_set(ctx: Context, params: Params) -> Outcome:
    """Tolerances no looser than the board's, approval criteria written, signed by the sponsor."""
    charter = ctx.require(Charter)
    problems: list[tuple[str, Evidence]] = []
    t = charter.tolerances
    scenario = ctx.scenario
    if t is None:
        problems.append(("no tolerances", Evidence("charter", "tolerances", "null")))
    elif scenario is not None:
        if t.time_days > scenario.tolerances.time_days:
            problems.append((f"time tolerance {t.time_days} days is looser than the board's "
                             f"{scenario.tolerances.time_days}",
                             Evidence("charter", "tolerances.time_days", str(t.time_days))))
        if t.cost_pct > scenario.tolerances.cost_pct:
            problems.append((f"cost tolerance {t.cost_pct:g} % is looser than the board's "
                             f"{scenario.tolerances.cost_pct:g} %",
                             Evidence("charter", "tolerances.cost_pct", f"{t.cost_pct:g}")))
    if len(charter.approval_criteria) < _int(params, "min_approval_criteria", 1):
        problems.append(("no approval criteria", Evidence("charter", "approval_criteria", "[]")))
    if params.get("require_sign_off", True):
        so = charter.sign_off
        if so is None:
            problems.append(("not signed off", Evidence("charter", "sign_off", "null")))
        elif _norm(so.name) != _norm(charter.sponsor.name):
            problems.append((f"signed off by {so.name!r}, not the sponsor "
                             f"{charter.sponsor.name!r}",
                             Evidence("charter", "sign_off.name", _show(so.name))))
    if not problems:
        return Outcome.met()
    return _failed(
        1 - len(problems) / 4,
        "; ".join(m for m, _ in problems),
        "set time and cost tolerances within the board's, write how the charter will be "
        "approved, and have the sponsor sign it off",
        (e for _, e in problems),
        sponsor=charter.sponsor.name, problem=problems[0][0],
    )
