"""Checks of the execution gate (03-execution).

The grader never trusts the learner's figures: the learner's decision log is replayed
through the execution simulation (``ctx.weeks``) and every status report, exception and
issue is compared with what that replay says happened, week by week.

Every check returns the share of its items that pass (partial credit), names the
offending items in its evidence and fills ``facts`` for the rubric's board question.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

from livepmo.autograder.checks._registry import Params, check
from livepmo.autograder.checks._text import money, shortlist
from livepmo.autograder.context import Context, Missing
from livepmo.autograder.findings import Evidence, Outcome
from livepmo.deliverables import (
    ChangeLog,
    DecisionLog,
    ExceptionReports,
    IssueLog,
    RiskRegister,
    StakeholderRegister,
    StatusReports,
)
from livepmo.errors import LivepmoError
from livepmo.execution import WeekState
from livepmo.planning import earned_value

#: At most this many evidence items per finding: enough to act on, short enough to read.
MAX_EVIDENCE = 6


def _evidence(items: Iterable[Evidence], limit: int = MAX_EVIDENCE) -> tuple[Evidence, ...]:
    return tuple(items)[:limit]


def _close(reported: float, expected: float, rel_pct: float, absolute: float) -> bool:
    """``reported`` agrees with ``expected`` within rel_pct % of it or ``absolute``."""
    if not (math.isfinite(reported) and math.isfinite(expected)):
        return False
    return abs(reported - expected) <= max(abs(expected) * rel_pct / 100, absolute)


def _weeks(ctx: Context) -> dict[int, WeekState]:
    return {w.week: w for w in ctx.weeks}


def _week_of(day: date, weeks: dict[int, WeekState]) -> int | None:
    """The simulated week a date falls in (the first week ending on or after it)."""
    for n in sorted(weeks):
        if weeks[n].end >= day:
            return n
    return None


def _mentions(text: str, words: Iterable[str]) -> bool:
    low = text.lower()
    return any(re.search(rf"\b{re.escape(w)}\b", low) for w in words)


def _partial(share: float, message: str, fix: str, evidence: Iterable[Evidence],
             met_facts: dict[str, str] | None = None, /, **facts: str) -> Outcome:
    """The outcome for ``share`` of the items passing.

    ``facts`` fill the board question of a finding; a met criterion only asks its
    question when ``met_facts`` are given (the question must read well for it).
    """
    if share >= 1:
        return Outcome.met(**(met_facts or {}))
    return Outcome(max(0.0, min(1.0, share)), message, fix, _evidence(evidence), facts)


# -- E01 ---------------------------------------------------------------------------------------


@check("execution_deliverables_present")
def execution_deliverables_present(ctx: Context, params: Params) -> Outcome:
    """Every execution deliverable is there and valid, and the decision log replays."""
    kinds: list[str] = list(params.get("kinds", ["status_reports", "change_log", "decision_log",
                                                 "issue_log", "exception_reports"]))
    evidence = ctx.absent(kinds)
    bad = [e.artifact for e in evidence]
    checked = len(kinds)
    replays = True
    if params.get("require_replay", True):
        checked += 1
        try:
            ctx.weeks  # noqa: B018 - the replay is what is checked
        except Missing as exc:
            replays = False
            evidence.append(Evidence(exc.artifact, "", str(exc)))
    ok = checked - len(bad) - (0 if replays else 1)
    problems = bad + ([] if replays else ["decision log replay"])
    return _partial(
        ok / checked if checked else 1.0,
        f"the execution gate cannot be reviewed in full: {shortlist(problems)} "
        + ("is" if len(problems) == 1 else "are") + " missing, invalid or cannot be replayed",
        "save every execution deliverable in the folder (run `livepmo check` on it) and keep "
        "the planning gate's schedule beside them so the decision log can be replayed",
        evidence,
        missing=shortlist(problems) or "nothing",
    )


# -- E02 ---------------------------------------------------------------------------------------


@check("status_reports_cover_every_week")
def status_reports_cover_every_week(ctx: Context, params: Params) -> Outcome:
    """One status report per simulated week, none for a week that did not happen."""
    reports = ctx.require(StatusReports)
    weeks = _weeks(ctx)
    periods = {r.period for r in reports.reports}
    missing = sorted(set(weeks) - periods)
    extra = sorted(periods - set(weeks))
    min_share = float(params.get("min_coverage", 1.0))
    covered = (len(weeks) - len(missing)) / len(weeks) if weeks else 1.0
    share = covered if covered < min_share or extra else 1.0
    if extra:
        share *= len(periods & set(weeks)) / max(len(periods), 1)
    evidence = [Evidence("status_reports", "reports", f"no report for week {w}")
                for w in missing]
    evidence += [Evidence("status_reports", "reports", f"period {p} is after the project "
                          f"closed in week {max(weeks, default=0)}") for p in extra]
    return _partial(
        share,
        f"{len(missing)} of {len(weeks)} project weeks have no status report"
        + (f" (weeks {shortlist([str(w) for w in missing])})" if missing else "")
        + (f"; periods {shortlist([str(p) for p in extra])} do not exist" if extra else ""),
        "write one status report per project week, from week 1 to the week the project "
        "closed, numbered by the project week",
        evidence,
        missing_weeks=shortlist([str(w) for w in missing]) or "none",
        weeks=str(len(weeks)),
    )


# -- E03 ---------------------------------------------------------------------------------------


@check("status_evm_matches_simulation")
def status_evm_matches_simulation(ctx: Context, params: Params) -> Outcome:
    """PV, EV, AC and BAC of each report agree with the replayed project of that week."""
    reports = ctx.require(StatusReports)
    weeks = _weeks(ctx)
    tol = float(params.get("tolerance_pct", 1.0))
    ev_tol = float(params.get("ev_tolerance_pct", 1.0))
    absolute = float(params.get("absolute", 1.0))
    if not reports.reports:
        return Outcome(0.0, "there are no status reports to compare with the project",
                       "report PV, EV, AC and BAC every week",
                       (Evidence("status_reports", "reports", "[]"),),
                       {"period": "any", "field": "EVM", "reported": "nothing",
                        "expected": "weekly figures"})
    last = weeks[max(weeks)] if weeks else None
    latest = {"period": str(last.week) if last else "-",
              "cpi": f"{last.evm.cpi:.2f}" if last and last.evm.cpi is not None else "n/a",
              "eac": money(last.forecast.cost) if last else "n/a"}
    good = 0
    evidence: list[Evidence] = []
    first_bad: dict[str, str] = {}
    for i, r in enumerate(reports.reports):
        w = weeks.get(r.period)
        if w is None:
            evidence.append(Evidence("status_reports", f"reports[{i}].period",
                                     f"{r.period} (no such project week)"))
            continue
        wrong = []
        for field, expected, pct in (("pv", w.pv, tol), ("ev", w.ev, ev_tol),
                                     ("ac", w.ac, tol), ("bac", w.bac, tol)):
            got = getattr(r.evm, field)
            if not _close(got, expected, pct, absolute):
                wrong.append((field, got, expected))
        if wrong:
            for field, got, expected in wrong:
                evidence.append(Evidence("status_reports", f"reports[{i}].evm.{field}",
                                         f"{money(got)} (replayed: {money(expected)})"))
            if not first_bad:
                field, got, expected = wrong[0]
                first_bad = {"period": str(r.period), "field": field.upper(),
                             "reported": money(got), "expected": money(expected)}
        else:
            good += 1
    n = len(reports.reports)
    return _partial(
        good / n,
        f"{n - good} of {n} status reports state earned-value inputs that disagree with the "
        "project replayed from your decision log"
        + (f" (first: week {first_bad['period']} {first_bad['field']} {first_bad['reported']},"
           f" replayed {first_bad['expected']})" if first_bad else ""),
        "take PV, AC and BAC from the project's figures of that week and compute EV as "
        "Σ % complete × activity budget; never round or estimate them",
        evidence,
        {**latest, "gap": ""},
        **latest,
        gap=(f", but you reported {first_bad['field']} {first_bad['reported']} in week "
             f"{first_bad['period']} where the project's figures give {first_bad['expected']}"
             if first_bad else ""),
    )


# -- E04 ---------------------------------------------------------------------------------------

_INDEX_FIELDS = ("cv", "sv", "cpi", "spi", "eac", "etc", "vac", "tcpi")
_RATIOS = ("cpi", "spi", "tcpi")


@check("status_indices_correct")
def status_indices_correct(ctx: Context, params: Params) -> Outcome:
    """The reported CV, SV, CPI, SPI, EAC, ETC, VAC, TCPI follow from the reported inputs."""
    reports = ctx.require(StatusReports)
    fields = [f for f in params.get("fields", _INDEX_FIELDS) if f in _INDEX_FIELDS]
    tol = float(params.get("tolerance_pct", 0.5))
    if not reports.reports:
        return Outcome(0.0, "there are no status reports", "report the EVM indices every week",
                       (Evidence("status_reports", "reports", "[]"),),
                       {"period": "any", "index": "CPI", "reported": "-", "expected": "-"})
    good = 0
    evidence: list[Evidence] = []
    first_bad: dict[str, str] = {}
    for i, r in enumerate(reports.reports):
        e = r.evm
        try:
            figures = earned_value(e.pv, e.ev, e.ac, e.bac).figures()
        except LivepmoError:
            evidence.append(Evidence("status_reports", f"reports[{i}].evm", "cannot compute"))
            continue
        wrong = []
        for f in fields:
            expected = figures.get(f)
            got = getattr(r.reported, f)
            if expected is None:
                continue  # undefined (e.g. CPI with AC 0): any or no figure is acceptable
            if got is None or not _close(got, expected, tol, 0.0051 if f in _RATIOS else 1.0):
                wrong.append((f, got, expected))
        if not wrong:
            good += 1
            continue
        for f, got, expected in wrong:
            shown = "missing" if got is None else f"{got:,.4g}" if f in _RATIOS else money(got)
            want = f"{expected:,.4g}" if f in _RATIOS else money(expected)
            evidence.append(Evidence("status_reports", f"reports[{i}].reported.{f}",
                                     f"{shown} (from the report's own PV/EV/AC/BAC: {want})"))
        if not first_bad:
            f, got, expected = wrong[0]
            first_bad = {"period": str(r.period), "index": f.upper(),
                         "reported": "nothing" if got is None else f"{got:,.4g}",
                         "expected": f"{expected:,.4g}"}
    n = len(reports.reports)
    return _partial(
        good / n,
        f"{n - good} of {n} status reports give indices that do not follow from their own "
        "PV, EV, AC and BAC",
        "compute CV = EV − AC, SV = EV − PV, CPI = EV/AC, SPI = EV/PV, EAC = BAC/CPI, "
        "ETC = EAC − AC, VAC = BAC − EAC, TCPI = (BAC − EV)/(BAC − AC) from the report's inputs",
        evidence,
        **(first_bad or {"period": "none", "index": "-", "reported": "-", "expected": "-"}),
    )


# -- E05 ---------------------------------------------------------------------------------------


@check("rag_consistent")
def rag_consistent(ctx: Context, params: Params) -> Outcome:
    """Red when a tolerance breach is forecast; never green with poor indices or a late forecast."""
    reports = ctx.require(StatusReports)
    weeks = _weeks(ctx)
    amber_cpi = float(params.get("amber_cpi", 0.95))
    amber_spi = float(params.get("amber_spi", 0.90))
    checked = good = 0
    evidence: list[Evidence] = []
    first: dict[str, str] = {}
    for i, r in enumerate(reports.reports):
        w = weeks.get(r.period)
        if w is None:
            continue
        checked += 1
        f = w.forecast
        cpi, spi = w.evm.cpi, w.evm.spi
        why = ""
        if f.breaches and r.rag != "red":
            why = f"a breach of the {'/'.join(f.breached)} tolerance was forecast"
        elif r.rag == "green":
            if cpi is not None and cpi < amber_cpi:
                why = f"CPI was {cpi:.2f} (below {amber_cpi:g})"
            elif spi is not None and spi < amber_spi:
                why = f"SPI was {spi:.2f} (below {amber_spi:g})"
            elif f.days_late > 0:
                why = f"the finish was forecast {f.days_late} working days late"
            elif f.cost > w.bac:
                why = f"EAC {money(f.cost)} was over BAC {money(w.bac)}"
        if why:
            evidence.append(Evidence("status_reports", f"reports[{i}].rag", why))
            if not first:
                first = {"period": str(r.period), "rag": r.rag, "reason": why}
        else:
            good += 1
    return _partial(
        good / checked if checked else 1.0,
        f"{checked - good} of {checked} status reports show a RAG status the figures do not "
        "support" + (f" (first: week {first['period']}: {first['reason']})" if first else ""),
        f"report red whenever a tolerance breach is forecast and at most amber when CPI < "
        f"{amber_cpi:g}, SPI < {amber_spi:g}, the finish is forecast late or EAC exceeds BAC",
        evidence,
        **(first or {"period": "none", "rag": "-", "reason": "-"}),
    )


# -- E06 ---------------------------------------------------------------------------------------

_SCHEDULE_WORDS = ("sv", "schedule", "behind", "ahead", "late", "delay", "delayed", "slip",
                   "slipped", "baseline", "critical")
_COST_WORDS = ("cv", "cost", "costs", "budget", "overrun", "overspend", "spend", "spent",
               "cpi")


@check("variances_explained")
def variances_explained(ctx: Context, params: Params) -> Outcome:
    """Every report with a material SV or CV explains it: cause and side (time, cost)."""
    reports = ctx.require(StatusReports)
    pct = float(params.get("material_pct", 2.0))
    min_chars = int(params.get("min_chars", 40))
    checked = good = 0
    evidence: list[Evidence] = []
    first: dict[str, str] = {}
    for i, r in enumerate(reports.reports):
        e = r.evm
        sv, cv = e.ev - e.pv, e.ev - e.ac
        need_sv = abs(sv) > pct / 100 * max(e.pv, 1.0)
        need_cv = abs(cv) > pct / 100 * max(e.ev, 1.0)
        if not (need_sv or need_cv):
            continue
        checked += 1
        text = r.variance_explanation
        gaps = []
        if len(text) < min_chars:
            gaps.append(f"explanation of {len(text)} characters (at least {min_chars})")
        if need_sv and not _mentions(text, _SCHEDULE_WORDS):
            gaps.append(f"SV {sv:+,.0f} not explained")
        if need_cv and not _mentions(text, _COST_WORDS):
            gaps.append(f"CV {cv:+,.0f} not explained")
        if gaps:
            evidence.append(Evidence("status_reports", f"reports[{i}].variance_explanation",
                                     f"{text[:60]!r}: " + "; ".join(gaps)))
            if not first:
                first = {"period": str(r.period), "sv": f"{sv:+,.0f}", "cv": f"{cv:+,.0f}"}
        else:
            good += 1
    return _partial(
        good / checked if checked else 1.0,
        f"{checked - good} of {checked} status reports with a variance over {pct:g}% leave it "
        "unexplained",
        f"for every SV or CV over {pct:g}%, say in variance_explanation what caused it (which "
        "activities, risks or decisions) for schedule and for cost, in at least "
        f"{min_chars} characters",
        evidence,
        **(first or {"period": "none", "sv": "0", "cv": "0"}),
    )


# -- E07 ---------------------------------------------------------------------------------------


@check("changes_assessed_before_decision")
def changes_assessed_before_decision(ctx: Context, params: Params) -> Outcome:
    """Each change request decided (or past assessment) carries its impact, options and advice."""
    log = ctx.require(ChangeLog)
    fields = list(params.get("impact_fields", ["scope", "resources", "risk", "quality"]))
    min_alternatives = int(params.get("min_alternatives", 1))
    min_rationale = int(params.get("min_rationale_chars", 10))
    relevant = [(i, c) for i, c in enumerate(log.requests)
                if c.decision is not None or c.status not in ("submitted", "logged")]
    good = 0
    evidence: list[Evidence] = []
    first: dict[str, str] = {}
    for i, c in relevant:
        here = f"requests[{i}]"
        gaps: list[tuple[str, str]] = []
        if c.impact is None:
            gaps.append((f"{here}.impact", "no impact assessment"))
        else:
            gaps += [(f"{here}.impact.{f}", f"{f} impact not assessed") for f in fields
                     if not str(getattr(c.impact, f, "") or "").strip()]
        if not c.recommendation.strip():
            gaps.append((f"{here}.recommendation", "no recommendation"))
        if len(c.alternatives) < min_alternatives:
            gaps.append((f"{here}.alternatives",
                         f"{len(c.alternatives)} alternatives (at least {min_alternatives})"))
        if c.decision is not None:
            if len(c.decision.rationale.strip()) < min_rationale:
                gaps.append((f"{here}.decision.rationale", "no CCB rationale"))
            cost = c.impact.cost if c.impact is not None else 0.0
            if c.decision.outcome == "approve" and cost and c.budget_change is None:
                gaps.append((f"{here}.budget_change",
                             f"approved with cost impact {money(cost)} but no budget change"))
        if gaps:
            evidence += [Evidence("change_log", path, f"{c.id}: {what}") for path, what in gaps]
            if not first:
                first = {"change": c.id, "title": c.title, "gap": gaps[0][1]}
        else:
            good += 1
    n = len(relevant)
    return _partial(
        good / n if n else 1.0,
        f"{n - good} of {n} change requests went to the board without a complete assessment"
        + (f" (first: {first['change']}: {first['gap']})" if first else ""),
        "before the CCB decides, assess the impact on scope, schedule (days), cost, resources, "
        "risk and quality, list the alternatives and write a recommendation; record the "
        "board's rationale and the budget change of an approved change",
        evidence,
        **(first or {"change": "none", "title": "-", "gap": "-"}),
    )


# -- E08 ---------------------------------------------------------------------------------------


@check("exception_raised_on_forecast_breach")
def exception_raised_on_forecast_breach(ctx: Context, params: Params) -> Outcome:
    """Every tolerance the forecast breaks gets an exception report and a raise_exception
    decision within ``max_lag_weeks`` of the first week the breach was forecast."""
    weeks = _weeks(ctx)
    lag = int(params.get("max_lag_weeks", 2))
    first_breach: dict[str, int] = {}
    for n in sorted(weeks):
        for t in weeks[n].forecast.breached:
            first_breach.setdefault(t, n)
    if not first_breach:
        return Outcome.met()
    exceptions = ctx.get(ExceptionReports)
    decisions = ctx.get(DecisionLog)
    raised_weeks = sorted(d.week for d in (decisions.decisions if decisions else [])
                          if d.type == "raise_exception")
    parts = good = 0.0
    evidence: list[Evidence] = []
    first: dict[str, str] = {}
    done: dict[str, str] = {}
    for tolerance, w in sorted(first_breach.items(), key=lambda kv: kv[1]):
        due = w + lag
        covering = []
        for i, report in enumerate(exceptions.reports if exceptions else []):
            week = report.period if report.period is not None else _week_of(report.raised, weeks)
            if tolerance in report.tolerances and week is not None and week <= due:
                covering.append(i)
        decided = any(rw <= due for rw in raised_weeks)
        parts += 2
        good += bool(covering) + decided
        if not covering:
            evidence.append(Evidence("exception_reports", "reports",
                                     f"no {tolerance} exception report by week {due} (breach "
                                     f"forecast from week {w})"))
        if not decided:
            evidence.append(Evidence("decision_log", "decisions",
                                     f"no raise_exception decision by week {due}"))
        if (not covering or not decided) and not first:
            first = {"tolerance": tolerance, "week": str(w),
                     "escalation": f"nothing was escalated by week {due}"}
        if covering and decided and not done:
            chosen = exceptions.reports[covering[0]] if exceptions else None
            done = {"tolerance": tolerance, "week": str(w),
                    "escalation": f"you escalated it with {chosen.id if chosen else 'a report'}"}
    return _partial(
        good / parts,
        "a forecast tolerance breach was not escalated in time"
        + (f": the {first['tolerance']} breach forecast from week {first['week']}: "
           f"{first['escalation']}" if first else ""),
        "when the forecast breaks a tolerance, raise an exception (a raise_exception decision) "
        f"and write the exception report within {lag} weeks, naming the tolerance",
        evidence,
        done,
        **(first or done),
    )


# -- E09 ---------------------------------------------------------------------------------------


@check("exception_reports_complete")
def exception_reports_complete(ctx: Context, params: Params) -> Outcome:
    """Each exception report gives figures, cause, consequences, costed options and advice."""
    reports = ctx.require(ExceptionReports)
    min_options = int(params.get("min_options", 2))
    min_cause = int(params.get("min_cause_chars", 30))
    if not reports.reports:
        return Outcome.met()
    score = 0.0
    evidence: list[Evidence] = []
    first: dict[str, str] = {}
    for i, r in enumerate(reports.reports):
        here = f"reports[{i}]"
        gaps: list[tuple[str, str]] = []
        if not re.search(r"\d", r.forecast):
            gaps.append((f"{here}.forecast", "a forecast without figures"))
        if len(r.cause) < min_cause:
            gaps.append((f"{here}.cause", f"a cause of only {len(r.cause)} characters"))
        if not r.consequences.strip():
            gaps.append((f"{here}.consequences", "no consequences of doing nothing"))
        if len(r.options) < min_options:
            gaps.append((f"{here}.options",
                         f"only {len(r.options)} option(s) (at least {min_options})"))
        for j, o in enumerate(r.options):
            blank = [f for f in ("effect_on_business_case", "effect_on_risks",
                                 "effect_on_tolerances") if not getattr(o, f).strip()]
            if blank:
                gaps.append((f"{here}.options[{j}]", f"option {o.id} without {', '.join(blank)}"))
        if r.recommendation is None or r.recommendation not in {o.id for o in r.options}:
            gaps.append((f"{here}.recommendation", "no recommended option"))
        elements = 5 + len(r.options)
        score += max(0.0, 1 - len(gaps) / elements)
        evidence += [Evidence("exception_reports", path, f"{r.id}: {what}") for path, what in gaps]
        if gaps and not first:
            first = {"report": r.id, "gap": gaps[0][1]}
    return _partial(
        score / len(reports.reports),
        f"exception reports are incomplete (first: {first['report']}: {first['gap']})"
        if first else "",
        f"give the forecast breach with figures, its cause, the consequences of doing nothing, "
        f"at least {min_options} options each with its effect on the business case, risks and "
        "tolerances, and recommend one of them",
        evidence,
        **(first or {"report": "none", "gap": "-"}),
    )


# -- E10 ---------------------------------------------------------------------------------------


@check("risks_tracked")
def risks_tracked(ctx: Context, params: Params) -> Outcome:
    """Threats that occurred become issues; top risks are live risks of the register."""
    weeks = _weeks(ctx)
    register = ctx.get(RiskRegister)
    kinds = {r.id: r.type for r in register.risks} if register else {}
    struck_week: dict[str, int] = {}
    for n in sorted(weeks):
        for o in weeks[n].risks_struck:
            struck_week.setdefault(o.id, n)
    threats = [rid for rid in struck_week if kinds.get(rid, "threat") == "threat"]
    issues = ctx.get(IssueLog)
    logged_text = [" ".join([*i.links, i.title, i.description]) for i in
                   (issues.issues if issues else [])]
    evidence: list[Evidence] = []
    unlogged = [rid for rid in threats
                if not any(re.search(rf"\b{re.escape(rid)}\b", t) for t in logged_text)]
    evidence += [Evidence("issue_log", "issues", f"risk {rid} occurred in week "
                          f"{struck_week[rid]} but no issue links it") for rid in unlogged]
    reports = ctx.get(StatusReports)
    stale: list[str] = []
    listed = 0
    for i, r in enumerate(reports.reports if reports else []):
        for j, rid in enumerate(r.top_risks):
            listed += 1
            why = ""
            if kinds and rid not in kinds:
                why = f"{rid} is not in the risk register"
            elif rid in struck_week and struck_week[rid] <= r.period:
                why = f"{rid} occurred in week {struck_week[rid]}: it is an issue now"
            if why:
                stale.append(rid)
                evidence.append(Evidence("status_reports", f"reports[{i}].top_risks[{j}]", why))
    share_issues = 1 - len(unlogged) / len(threats) if threats else 1.0
    share_top = 1 - len(stale) / listed if listed else 1.0
    weight = float(params.get("issue_weight", 0.5))
    missing_top = bool(reports and reports.reports and not listed)
    if missing_top:
        share_top = 0.0
        evidence.append(Evidence("status_reports", "reports[*].top_risks", "[] in every report"))
    if unlogged:
        risk, handling = unlogged[0], "is not in the issue log"
    elif stale:
        risk, handling = stale[0], "is still listed among the top risks"
    else:
        risk = max(threats, key=lambda rid: (struck_week[rid], rid), default="")
        issue = next((i.id for i, t in zip(issues.issues if issues else [], logged_text,
                                           strict=True)
                      if re.search(rf"\b{re.escape(risk)}\b", t)), "an issue") if risk else ""
        handling = f"became {issue}"
    facts = {"risk": risk, "week": str(struck_week.get(risk, "-")), "handling": handling}
    problems = ([f"threats {shortlist(unlogged)} occurred but are not in the issue log"]
                if unlogged else [])
    if stale:
        problems.append(f"status reports list {len(stale)} occurred or unknown risks as top "
                        "risks")
    if missing_top:
        problems.append("status reports list no top risks")
    return _partial(
        weight * share_issues + (1 - weight) * share_top,
        "; ".join(problems),
        "when a threat occurs, open an issue that links the risk id and take it off the top "
        "risks; re-rank the open risks of the register every week",
        evidence,
        facts if risk else None,
        **facts,
    )


# -- E11 ---------------------------------------------------------------------------------------


@check("issues_managed")
def issues_managed(ctx: Context, params: Params) -> Outcome:
    """Every issue has an owner, actions and a due date."""
    log = ctx.require(IssueLog)
    min_actions = int(params.get("min_action_chars", 20))
    if not log.issues:
        return Outcome.met()
    good = 0
    evidence: list[Evidence] = []
    first: dict[str, str] = {}
    for n, issue in enumerate(log.issues):
        gaps = []
        if not issue.owner.strip():
            gaps.append(("owner", "no owner"))
        if len(issue.actions.strip()) < min_actions:
            gaps.append(("actions", "no actions"))
        if issue.due is None:
            gaps.append(("due", "no due date"))
        if gaps:
            evidence += [Evidence("issue_log", f"issues[{n}].{f}", f"{issue.id}: {w}")
                         for f, w in gaps]
            if not first:
                first = {"issue": issue.id, "gap": gaps[0][1]}
        else:
            good += 1
    return _partial(
        good / len(log.issues),
        f"{len(log.issues) - good} of {len(log.issues)} issues are not actionable"
        + (f" (first: {first['issue']}: {first['gap']})" if first else ""),
        "give every issue an owner, the actions that resolve it and a due date",
        evidence,
        **(first or {"issue": "none", "gap": "-"}),
    )


# -- E12 ---------------------------------------------------------------------------------------


@check("stakeholders_engaged")
def stakeholders_engaged(ctx: Context, params: Params) -> Outcome:
    """Stakeholder requests are answered before they lapse; key stakeholders stay satisfied."""
    weeks = _weeks(ctx)
    min_power = int(params.get("min_power", 4))
    min_avg = float(params.get("min_key_satisfaction", 35))
    defaults = [o for n in sorted(weeks) for o in weeks[n].defaults]
    fired = sum(len(weeks[n].events_fired) for n in weeks)
    share_answered = 1 - len(defaults) / fired if fired else 1.0
    last = weeks[max(weeks)] if weeks else None
    register = ctx.get(StakeholderRegister)
    key = [s.id for s in register.stakeholders if s.power >= min_power] if register else []
    sat = last.satisfaction if last else {}
    values = [sat[k] for k in key if k in sat] or list(sat.values())
    average = sum(values) / len(values) if values else 100.0
    share_sat = min(1.0, average / min_avg) if min_avg > 0 else 1.0
    evidence = [Evidence("decision_log", "decisions",
                         f"{o.id} ({o.title}) unanswered: default {o.option} applied in week "
                         f"{o.week}") for o in defaults]
    if share_sat < 1:
        low = sorted((sat[k], k) for k in key if k in sat)[:3]
        evidence.append(Evidence("stakeholder_register", "stakeholders",
                                 f"key stakeholders' satisfaction averages {average:.0f} at "
                                 f"closure (at least {min_avg:g}); lowest: "
                                 + ", ".join(f"{k} {v}" for v, k in low)))
    return _partial(
        (share_answered + share_sat) / 2,
        (f"{len(defaults)} of {fired} stakeholder events were left to lapse; " if defaults else "")
        + (f"key stakeholders' satisfaction fell to {average:.0f} on average"
           if share_sat < 1 else ""),
        "answer every event before its deadline with a decision, and act on the concerns of "
        "high-power stakeholders (contact, scope or schedule decisions) before they turn",
        evidence,
        event=defaults[0].id if defaults else "none",
        satisfaction=f"{average:.0f}",
    )
