"""Checks of the closure gate.

The closure gate reviews the closure report and the lessons-learned register against the
scenario (the learner's variant): deliverables accepted by the right people, variances
quoted and explained, handover done, contracts and open items carried, lessons specific
and actionable, and the sponsor's sign-off. Every text check is deterministic: required
elements, patterns and lengths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from livepmo.autograder.checks._registry import Params, check
from livepmo.autograder.context import Context
from livepmo.autograder.findings import Evidence, Outcome
from livepmo.deliverables import ChangeLog, Charter, ClosureReport, LessonsLearned
from livepmo.scenarios.schema import Scenario

CR = "closure_report"
LL = "lessons_learned"

_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
_DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+"
    r"(?:\d{1,2},?\s+)?\d{4}\b|\bmonth \d+\b|\bQ[1-4]\s*\d{4}\b",
    re.IGNORECASE,
)
_SLIP = re.compile(r"\d+(?:\.\d+)?\s*(?:working\s+)?(?:days?|weeks?|wd)\b", re.IGNORECASE)
# A concrete detail: a figure, or an id such as R02, CR-01, TST-UAT.
_CONCRETE = re.compile(r"\d|\b[A-Z]{2,}(?:-[A-Z0-9]+)+\b")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(["the", "and", "for", "with", "from", "that", "this", "into", "after",
                   "before", "their", "than", "then"])

#: Lessons every project "learns" and no project acts on (the default of params.platitudes).
PLATITUDES = (
    r"\bcommunicat\w*\s+(?:was\s+|is\s+)?(?:better|more|key|earlier|clearly)\b",
    r"\bbetter\s+(?:communication|planning|coordination|estimat\w*|risk management)\b",
    r"\bplan(?:ning)?\s+(?:better|more|earlier|ahead)\b",
    r"\bmore\s+(?:time|budget|resources|people|testing)\s+(?:was|were|is|are|should|next)\b",
    r"\b(?:be|being)\s+more\s+(?:proactive|careful|agile|flexible)\b",
    r"\b(?:start|started|begin)\s+earlier\b",
    r"\bteam\s*work\s+(?:is|was)\s+(?:key|important|essential)\b",
    r"\blessons?\s+(?:were|was|have been)\s+learn(?:ed|t)\b",
    r"\bthings?\s+(?:went|could have gone)\s+(?:well|wrong|better)\b",
    r"\b(?:involve|engage)\s+(?:the\s+)?stakeholders\s+(?:more|earlier|better)\b",
)


# --------------------------------------------------------------------------- helpers


def _numbers(text: str) -> list[float]:
    found = []
    for raw in _NUMBER.findall(text):
        try:
            found.append(float(raw.replace(",", "")))
        except ValueError:
            continue
    return found


def _quotes(text: str, value: float, rel: float, absolute: float = 0.0) -> bool:
    """Does ``text`` quote ``value`` (sign ignored) within ``rel`` (relative) or ``absolute``?"""
    target = abs(value)
    tol = max(target * rel, absolute)
    return any(abs(abs(n) - target) <= tol for n in _numbers(text))


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if len(w) > 3 and w not in _STOP}


def _mentioned(needle: str, texts: Iterable[str], share: float) -> str | None:
    """The first text that carries ``share`` of needle's significant words, or None."""
    want = _words(needle)
    for text in texts:
        if not want:
            if needle.casefold().strip() and needle.casefold().strip() in text.casefold():
                return text
            continue
        if len(want & _words(text)) >= share * len(want):
            return text
    return None


def _same_name(a: str, b: str) -> bool:
    x, y = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return bool(x) and bool(y) and (x == y or x in y or y in x)


def _people(s: Scenario) -> dict[str, str]:
    return {p.id: p.name for p in s.stakeholders}


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _partial(score: float, problems: Sequence[tuple[str, Evidence]], fix: str,
             facts: dict[str, str]) -> Outcome:
    shown = "; ".join(p for p, _ in problems[:4])
    more = f" (and {len(problems) - 4} more)" if len(problems) > 4 else ""
    return Outcome(score=max(0.0, min(1.0, score)), message=shown + more, fix=fix,
                   evidence=tuple(e for _, e in problems[:8]), facts=facts)


def _param(params: Params, name: str, default: float) -> float:
    value = params.get(name, default)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else default


# --------------------------------------------------------------------------- report


@check("closure_report_submitted")
def closure_report_submitted(ctx: Context, params: Params) -> Outcome:
    """C01: the closure report is there, valid, with a summary a board can read."""
    r = ctx.require(ClosureReport)
    need = int(_param(params, "min_summary_chars", 80))
    if len(r.summary) < need:
        return Outcome(
            score=0.0,
            message=f"the summary has {len(r.summary)} characters; a board needs at least "
                    f"{need} to see what was delivered, when and at what cost",
            fix="summarise the outcome: finish date, cost, scope and quality against the plan",
            evidence=(Evidence(CR, "summary", repr(_short(r.summary))),),
            facts={"chars": str(len(r.summary)), "need": str(need)})
    return Outcome.met()


@check("closure_objectives_vs_outcome")
def objectives_vs_outcome(ctx: Context, params: Params) -> Outcome:
    """C02: every charter objective is reported met / partly / not met with evidence."""
    r = ctx.require(ClosureReport)
    min_chars = int(_param(params, "min_evidence_chars", 30))
    min_objectives = int(_param(params, "min_objectives", 1))
    problems: list[tuple[str, Evidence]] = []
    weak: list[str] = []
    items = 0
    for i, o in enumerate(r.objectives):
        items += 1
        if len(o.evidence) < min_chars or not _NUMBER.search(o.evidence):
            weak.append(o.objective)
            problems.append((f"{o.objective} is '{o.outcome}' without evidence that quotes a "
                             "figure or a date",
                             Evidence(CR, f"objectives[{i}].evidence", repr(_short(o.evidence)))))
    charter = ctx.get(Charter)
    if charter is not None:
        reported = {o.objective for o in r.objectives}
        for obj in charter.objectives:
            items += 1
            if obj.id not in reported:
                weak.append(obj.id)
                problems.append((f"charter objective {obj.id} is not reported",
                                 Evidence(CR, "objectives", f"no entry for {obj.id}")))
    if len(r.objectives) < min_objectives:
        return Outcome(
            score=0.0,
            message=f"{len(r.objectives)} objectives reported; at least {min_objectives} "
                    "expected (every charter objective)",
            fix="report each charter objective as met, partly met or not met, with evidence",
            evidence=(Evidence(CR, "objectives", str(len(r.objectives))),),
            facts={"objective": "the charter objectives", "count": str(len(r.objectives))})
    if not problems:
        return Outcome.met()
    return _partial(1 - len(problems) / max(items, 1), problems,
                    "give each objective its outcome and the measured evidence: the figure, "
                    "the target and the date it was measured (or when it will be)",
                    {"objective": weak[0], "count": str(len(problems))})


@check("closure_variances_explained")
def variances_explained(ctx: Context, params: Params) -> Outcome:
    """C03: the cost and finish variances are quoted correctly and their causes named."""
    r = ctx.require(ClosureReport)
    min_chars = int(_param(params, "min_chars", 80))
    cost_threshold = _param(params, "cost_pct_threshold", 1.0)
    pct_tol = _param(params, "pct_tolerance", 0.5)
    min_figures = int(_param(params, "min_cause_figures", 3))
    text = r.variance_explanation
    pct = r.cost_variance_pct
    slip = (r.actual_finish - r.planned_finish).days
    cost_var = r.actual_cost - r.planned_cost
    facts = {"cost_variance": f"{pct:+.1f}%" if pct is not None else f"{cost_var:+,.0f}",
             "slip_days": f"{slip:+d}"}
    needs_cost = pct is None or abs(pct) >= cost_threshold
    needs_time = slip != 0
    if not needs_cost and not needs_time:
        return Outcome.met(**facts)
    problems: list[tuple[str, Evidence]] = []
    ev = Evidence(CR, "variance_explanation", repr(_short(text)))
    checks = 1
    if len(text) < min_chars:
        problems.append((f"the variance explanation has {len(text)} characters (at least "
                         f"{min_chars} expected)", ev))
    if needs_cost:
        checks += 1
        quoted = _quotes(text, cost_var, 0.01) or (
            pct is not None and _quotes(text, pct, 0.0, pct_tol))
        if not quoted:
            shown = f"{cost_var:+,.0f}" + (f" ({pct:+.1f} %)" if pct is not None else "")
            problems.append((f"the cost variance {shown} is not quoted", ev))
    if needs_time:
        checks += 1
        if not (_SLIP.search(text) or r.actual_finish.isoformat() in text):
            problems.append((f"the finish variance ({r.actual_finish} against the planned "
                             f"{r.planned_finish}) is not quoted", ev))
    checks += 1
    if len(_numbers(text)) < min_figures + 2:
        problems.append(("the causes are not quantified: name the activities, risks or "
                         "changes behind the variance with their days and money", ev))
    if not problems:
        return Outcome.met(**facts)
    return _partial(1 - len(problems) / checks, problems,
                    "quote the finish and cost variances against the baseline and break them "
                    "down by cause (activities that overran, risks that occurred, changes)",
                    facts)


@check("closure_figures_consistent")
def figures_consistent(ctx: Context, params: Params) -> Outcome:
    """C04: planned and actual figures agree with the scenario and with the summary."""
    r = ctx.require(ClosureReport)
    s = ctx.require_scenario()
    rel = _param(params, "cost_tolerance_pct", 0.5) / 100
    problems: list[tuple[str, Evidence]] = []
    if r.planned_start != s.start:
        problems.append((f"planned start {r.planned_start} is not the project start {s.start}",
                         Evidence(CR, "planned_start", r.planned_start.isoformat())))
    if r.planned_finish > s.deadline:
        problems.append((f"planned finish {r.planned_finish} is after the deadline "
                         f"{s.deadline}: that is not the approved baseline",
                         Evidence(CR, "planned_finish", r.planned_finish.isoformat())))
    if r.planned_cost <= 0 or r.planned_cost > s.budget:
        problems.append((f"planned cost {r.planned_cost:,.0f} is not a cost baseline within "
                         f"the budget {s.budget:,.0f}",
                         Evidence(CR, "planned_cost", f"{r.planned_cost:,.2f}")))
    if r.actual_start < r.planned_start:
        problems.append((f"actual start {r.actual_start} is before the planned start",
                         Evidence(CR, "actual_start", r.actual_start.isoformat())))
    if r.actual_finish.isoformat() not in r.summary:
        problems.append((f"the summary does not state the actual finish {r.actual_finish}",
                         Evidence(CR, "summary", repr(_short(r.summary)))))
    if not _quotes(r.summary, r.actual_cost, rel):
        problems.append((f"the summary does not state the actual cost {r.actual_cost:,.0f}",
                         Evidence(CR, "summary", repr(_short(r.summary)))))
    if not problems:
        return Outcome.met()
    return _partial(1 - len(problems) / 6, problems,
                    "take the planned figures from the approved baseline and quote the actual "
                    "finish and cost in the summary exactly as in the report's fields",
                    {"figure": problems[0][0]})


# --------------------------------------------------------------------------- acceptance


@check("closure_deliverables_accepted")
def deliverables_accepted(ctx: Context, params: Params) -> Outcome:
    """C05: every key deliverable of the scenario is recorded as accepted."""
    r = ctx.require(ClosureReport)
    expected = [a.deliverable for a in ctx.scenario.closure.acceptance] if ctx.scenario \
        else [a.deliverable for a in r.acceptance]
    if not expected:
        return Outcome(0.0, "no deliverable is recorded as accepted",
                       "record every key deliverable with who accepted it and when",
                       (Evidence(CR, "acceptance", "[]"),), {"deliverable": "any deliverable"})
    problems: list[tuple[str, Evidence]] = []
    for name in expected:
        hit = next(((i, a) for i, a in enumerate(r.acceptance)
                    if _same_name(a.deliverable, name)), None)
        if hit is None:
            problems.append((f"'{_short(name, 50)}' is not in the acceptance record",
                             Evidence(CR, "acceptance", f"missing {_short(name, 50)!r}")))
        elif not hit[1].accepted:
            problems.append((f"'{_short(name, 50)}' is not accepted",
                             Evidence(CR, f"acceptance[{hit[0]}].accepted", "false")))
    if not problems:
        return Outcome.met()
    first = problems[0][0].split("'")[1] if "'" in problems[0][0] else "a deliverable"
    return _partial(1 - len(problems) / len(expected), problems,
                    "get each key deliverable formally accepted against its acceptance "
                    "criteria before closing; a deliverable not accepted stays an open item "
                    "and the project cannot close",
                    {"deliverable": first, "count": str(len(problems))})


@check("closure_acceptance_by_right_people")
def acceptance_by_right_people(ctx: Context, params: Params) -> Outcome:
    """C06: each acceptance is by the scenario's accepter, dated within the project."""
    r = ctx.require(ClosureReport)
    s = ctx.require_scenario()
    people = _people(s)
    problems: list[tuple[str, Evidence]] = []
    for want in s.closure.acceptance:
        hit = next(((i, a) for i, a in enumerate(r.acceptance)
                    if _same_name(a.deliverable, want.deliverable)), None)
        if hit is None:
            continue  # C05 reports it
        i, a = hit
        accepter = people.get(want.accepter, want.accepter)
        if not _same_name(a.accepted_by, accepter):
            problems.append((f"'{_short(a.deliverable, 40)}' accepted by "
                             f"'{a.accepted_by or 'nobody'}', not by {accepter}",
                             Evidence(CR, f"acceptance[{i}].accepted_by", repr(a.accepted_by))))
        elif a.date is None or a.date < r.actual_start:
            problems.append((f"'{_short(a.deliverable, 40)}' has no acceptance date within the "
                             "project", Evidence(CR, f"acceptance[{i}].date", str(a.date))))
    if not problems:
        return Outcome.met()
    total = max(len(s.closure.acceptance), 1)
    return _partial(1 - len(problems) / total, problems,
                    "the accepter is the business owner named for each deliverable; record "
                    "their name and the date of their signature",
                    {"deliverable": problems[0][0].split("'")[1], "count": str(len(problems))})


# --------------------------------------------------------------------------- handover


@check("closure_handover_done")
def handover_done(ctx: Context, params: Params) -> Outcome:
    """C07: operations has taken over: owner, support model and date."""
    r = ctx.require(ClosureReport)
    min_chars = int(_param(params, "min_support_chars", 60))
    owner = ""
    if ctx.scenario is not None:
        owner = _people(ctx.scenario).get(ctx.scenario.closure.handover_owner, "")
    facts = {"owner": owner or "the operations owner"}
    h = r.handover
    if h is None:
        return Outcome(0.0, "no handover to operations is recorded",
                       "record who owns the solution in operations, the support model and "
                       "the handover date", (Evidence(CR, "handover", "null"),), facts)
    problems: list[tuple[str, Evidence]] = []
    if owner and not _same_name(h.owner, owner):
        problems.append((f"handover owner is '{h.owner}', not the operations owner {owner}",
                         Evidence(CR, "handover.owner", repr(h.owner))))
    if len(h.support_model) < min_chars:
        problems.append((f"the support model has {len(h.support_model)} characters (at least "
                         f"{min_chars}: who answers, at which level, with which service levels)",
                         Evidence(CR, "handover.support_model", repr(_short(h.support_model)))))
    if h.date is None or h.date < r.actual_start:
        problems.append(("the handover has no date within the project",
                         Evidence(CR, "handover.date", str(h.date))))
    if not problems:
        return Outcome.met(**facts)
    return _partial(1 - len(problems) / 3, problems,
                    "hand over to the operations owner named in the scenario, with the support "
                    "tiers, service levels and the date", facts)


@check("closure_contracts_released")
def contracts_released(ctx: Context, params: Params) -> Outcome:
    """C08: every contract to close is named among the open items (or the summary)."""
    r = ctx.require(ClosureReport)
    s = ctx.require_scenario()
    share = _param(params, "word_share", 0.6)
    texts = [*r.open_items, r.summary]
    missing = [(i, c) for i, c in enumerate(s.closure.contracts_to_close)
               if _mentioned(c, texts, share) is None]
    if not missing:
        return Outcome.met()
    problems = [(f"contract '{_short(c, 50)}' is not closed or listed",
                 Evidence(CR, "open_items", f"no item for {_short(c, 50)!r}"))
                for _, c in missing]
    return _partial(1 - len(missing) / len(s.closure.contracts_to_close), problems,
                    "list each supplier contract with what closes it (final invoice, retention, "
                    "warranty, transfer to a support contract) until it is released",
                    {"contract": _short(missing[0][1], 60), "count": str(len(missing))})


@check("closure_benefits_carried")
def benefits_carried(ctx: Context, params: Params) -> Outcome:
    """C09: every benefit measure is an open item with the date it falls due."""
    r = ctx.require(ClosureReport)
    s = ctx.require_scenario()
    share = _param(params, "word_share", 0.6)
    measures = s.closure.benefit_measures
    problems: list[tuple[str, Evidence]] = []
    for m in measures:
        item = _mentioned(m, r.open_items, share)
        if item is None:
            problems.append((f"benefit measure '{_short(m, 50)}' is not carried",
                             Evidence(CR, "open_items", f"no item for {_short(m, 50)!r}")))
        elif not _DATE.search(item):
            problems.append((f"benefit measure '{_short(m, 50)}' has no due date",
                             Evidence(CR, "open_items", repr(_short(item)))))
    if not problems:
        return Outcome.met()
    return _partial(1 - len(problems) / max(len(measures), 1), problems,
                    "carry each benefit measure as an open item with its due date and owner, so "
                    "benefits are measured after the team is gone",
                    {"measure": problems[0][0].split("'")[1], "count": str(len(problems))})


@check("closure_change_statistics")
def change_statistics(ctx: Context, params: Params) -> Outcome:
    """C10: every change is decided, deferred ones are carried, counts match the log."""
    r = ctx.require(ClosureReport)
    c = r.changes
    problems: list[tuple[str, Evidence]] = []
    decided = c.approved + c.rejected + c.deferred
    if decided != c.raised:
        problems.append((f"{c.raised - decided} of {c.raised} change requests have no decision",
                         Evidence(CR, "changes", f"raised {c.raised}, decided {decided}")))
    carried = sum(bool(re.search(r"defer", item, re.IGNORECASE)) for item in r.open_items)
    if carried < c.deferred:
        problems.append((f"{c.deferred} changes deferred but {carried} carried as open items",
                         Evidence(CR, "open_items", f"{carried} deferred items")))
    log = ctx.get(ChangeLog)
    if log is not None and len(log.requests) != c.raised:
        problems.append((f"{c.raised} changes raised, the change log holds "
                         f"{len(log.requests)}",
                         Evidence(CR, "changes.raised", str(c.raised))))
    if not problems:
        return Outcome.met()
    return _partial(1 - len(problems) / 3, problems,
                    "take the statistics from the change log, decide every request before "
                    "closing and carry each deferred one as an open item for a follow-on",
                    {"raised": str(c.raised), "deferred": str(c.deferred)})


# --------------------------------------------------------------------------- lessons


@check("closure_lessons_register")
def lessons_register(ctx: Context, params: Params) -> Outcome:
    """C11: the lessons-learned register is there with enough lessons."""
    lessons = ctx.require(LessonsLearned).lessons
    need = int(_param(params, "min_lessons", 3))
    if len(lessons) >= need:
        return Outcome.met(count=str(len(lessons)))
    return Outcome(
        score=len(lessons) / need if need else 1.0,
        message=f"{len(lessons)} lessons recorded; a project of this size yields at least {need}",
        fix="go through the risks that occurred, the changes, the exceptions and the biggest "
            "estimate misses: each is a lesson with a recommendation",
        evidence=(Evidence(LL, "lessons", f"{len(lessons)} lessons"),),
        facts={"count": str(len(lessons)), "need": str(need)})


def platitude(text: str, patterns: Sequence[str]) -> str | None:
    """The platitude ``text`` contains (the matched words), or None.

    Public so the lessons builder hints with the review's own rule, never a second one.
    """
    for p in patterns:
        try:
            m = re.search(p, text, re.IGNORECASE)
        except re.error:
            continue
        if m:
            return m.group(0)
    return None


@check("closure_lessons_specific")
def lessons_specific(ctx: Context, params: Params) -> Outcome:
    """C12: each lesson names what happened concretely and recommends something specific."""
    lessons = ctx.require(LessonsLearned).lessons
    if not lessons:
        return Outcome(0.0, "the register holds no lessons", "record the project's lessons",
                       (Evidence(LL, "lessons", "[]"),), {"lesson": "none", "example": ""})
    min_what = int(_param(params, "min_what_chars", 40))
    min_rec = int(_param(params, "min_recommendation_chars", 40))
    raw = params.get("platitudes")
    patterns = [str(p) for p in raw] if isinstance(raw, list) else list(PLATITUDES)
    problems: list[tuple[str, Evidence]] = []
    for i, lesson in enumerate(lessons):
        why = ""
        path = f"lessons[{i}].recommendation"
        value = lesson.recommendation
        hit = platitude(lesson.recommendation, patterns) or platitude(lesson.what_happened,
                                                                        patterns)
        if hit:
            why = f"is a platitude ('{hit}')"
        elif len(lesson.what_happened) < min_what or not _CONCRETE.search(lesson.what_happened):
            why = "does not say concretely what happened (no figure, date or id)"
            path, value = f"lessons[{i}].what_happened", lesson.what_happened
        elif len(lesson.recommendation) < min_rec:
            why = f"has a recommendation of {len(lesson.recommendation)} characters"
        elif not lesson.impact:
            why = "has no impact"
            path, value = f"lessons[{i}].impact", ""
        if why:
            problems.append((f"{lesson.id} {why}", Evidence(LL, path, repr(_short(value)))))
    if not problems:
        return Outcome.met()
    first = problems[0][0].split(" ")[0]
    example = next((x.recommendation for x in lessons if x.id == first), "")
    return _partial(1 - len(problems) / len(lessons), problems,
                    "write each lesson as trigger → impact → recommendation: what happened (with "
                    "the figure or id), what it cost, and what the next project should do "
                    "differently, specifically enough to act on",
                    {"lesson": first, "example": _short(example, 60), "count": str(len(problems))})


@check("closure_lessons_actionable")
def lessons_actionable(ctx: Context, params: Params) -> Outcome:
    """C13: each lesson has an owner and links to the risk, issue or change it comes from."""
    lessons = ctx.require(LessonsLearned).lessons
    if not lessons:
        return Outcome(0.0, "the register holds no lessons", "record the project's lessons",
                       (Evidence(LL, "lessons", "[]"),), {"lesson": "none", "count": "0"})
    problems: list[tuple[str, Evidence]] = []
    for i, lesson in enumerate(lessons):
        if not lesson.owner.strip():
            problems.append((f"{lesson.id} has no owner",
                             Evidence(LL, f"lessons[{i}].owner", "''")))
        elif not lesson.links:
            problems.append((f"{lesson.id} links to no risk, issue, change or activity",
                             Evidence(LL, f"lessons[{i}].links", "[]")))
    if not problems:
        return Outcome.met()
    return _partial(1 - len(problems) / len(lessons), problems,
                    "give each lesson an owner who takes it to the next project or the PMO, and "
                    "link it to the risk, issue or change it comes from",
                    {"lesson": problems[0][0].split(" ")[0], "count": str(len(problems))})


# --------------------------------------------------------------------------- sign-off


@check("closure_sponsor_sign_off")
def sponsor_sign_off(ctx: Context, params: Params) -> Outcome:
    """C14: the sponsor signs off after the finish, consistently with the outcome."""
    r = ctx.require(ClosureReport)
    sponsor = ctx.scenario.sponsor.name if ctx.scenario is not None else ""
    facts = {"sponsor": sponsor or "the sponsor"}
    so = r.sign_off
    if so is None:
        return Outcome(0.0, "the closure is not signed off",
                       "get the sponsor's sign-off (approved / approved with changes / denied) "
                       "with the date", (Evidence(CR, "sign_off", "null"),), facts)
    problems: list[tuple[str, Evidence]] = []
    if sponsor and not _same_name(so.by, sponsor):
        problems.append((f"signed off by '{so.by}', not by the sponsor {sponsor}",
                         Evidence(CR, "sign_off.by", repr(so.by))))
    if so.date < r.actual_finish:
        problems.append((f"signed off on {so.date}, before the actual finish {r.actual_finish}",
                         Evidence(CR, "sign_off.date", so.date.isoformat())))
    if so.decision == "denied":
        problems.append(("the sponsor denied the closure",
                         Evidence(CR, "sign_off.decision", "'denied'")))
    elif so.decision == "approved":
        unmet = [o.objective for o in r.objectives if o.outcome == "not_met"]
        refused = [a.deliverable for a in r.acceptance if not a.accepted]
        if unmet or refused:
            what = ", ".join([*unmet, *(_short(x, 30) for x in refused)][:4])
            problems.append((f"signed off 'approved' although {what} "
                             f"{'is' if len(unmet) + len(refused) == 1 else 'are'} not met or "
                             "accepted", Evidence(CR, "sign_off.decision", "'approved'")))
    if not problems:
        return Outcome.met(**facts)
    return _partial(1 - len(problems) / 3, problems,
                    "the sponsor signs after the finish; 'approved with changes' when an "
                    "objective is not met or a deliverable not accepted", facts)
