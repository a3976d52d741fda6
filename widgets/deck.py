"""The gate presentation: a self-contained HTML slide deck made from the saved deliverables.

One file, no server and no network: the slides, their style, a few lines of script for
the arrow keys, and plotly's library once, inline, for the same figures the builders
draw. The deck is written beside the gate notebook (``presentation.html``) so it is
collected with the submission and the grader sees what the board saw.

Slides, in order, each only when its deliverable is there: title; context; objectives and
scope; plan and critical path; stakeholders; risks; status and earned value; decisions
taken; closure; asks of the board; and the board's questions last.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from livepmo.deliverables import (
    ChangeLog,
    Charter,
    ClosureReport,
    DecisionLog,
    Deliverable,
    LessonsLearned,
    ProjectAssignment,
    RiskRegister,
    Schedule,
    StakeholderRegister,
    StatusReports,
)
from livepmo.errors import LivepmoError
from livepmo.planning import critical_path, score_register, simulate
from livepmo.scenarios.schema import Scenario
from livepmo.storage import DeliverableStore, write_atomic

#: What the project manager asks of the board at each gate.
ASKS = {
    "01-initiation": "Approve the charter and release the budget for planning.",
    "02-planning": "Approve the baseline (schedule, cost, risk reserve) and authorise execution.",
    "03-execution": "Note the status, decide the open change requests and exceptions, and "
    "confirm the way forward.",
    "04-closure": "Accept the closure, release the team and the contracts, and hand the "
    "benefits to their owners.",
}
_GATE_TITLES = {
    "01-initiation": "Initiation gate",
    "02-planning": "Planning gate",
    "03-execution": "Execution gate",
    "04-closure": "Closure gate",
}
_MC_ITERATIONS = 1000
_MC_SEED = 1


@dataclass(frozen=True)
class Slide:
    """One slide: a title and its HTML body."""

    title: str
    body: str


@dataclass(frozen=True)
class Deck:
    """A written presentation: the file and its slides (a notebook cell shows a summary)."""

    path: Path
    slides: tuple[Slide, ...]

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s.title)}</li>" for s in self.slides)
        return (
            f"<p>✓ Presentation written to <code>{html.escape(str(self.path))}</code> — "
            f"{len(self.slides)} slides. Open it from the file browser (arrow keys move "
            f"between slides).</p><ol>{items}</ol>"
        )


def gate_deck(
    gate: str,
    folder: str | Path,
    scenario: Scenario | None = None,
    *,
    out: str | Path | None = None,
) -> Deck:
    """Write the gate presentation from the deliverables in ``folder``; returns the deck.

    ``out`` is the file to write (``presentation.html`` beside the folder by default). A
    deliverable that is missing or unreadable leaves its slide out; the deck is still made.
    """
    from livepmo.autograder import review

    folder = Path(folder)
    store = DeliverableStore(folder)
    slides = [s for s in (make(store, scenario) for make in _SLIDES) if s is not None]
    result = review(gate, folder, scenario)
    slides.append(_asks(gate, result.conditions))
    slides.append(
        Slide(
            "Questions from the board",
            _list(
                [
                    f"{q.question} <span class='why'>({html.escape(q.prompted_by)})</span>"
                    for q in result.questions
                ]
                or ["No open questions from the review."],
                escape=False,
            ),
        )
    )
    title = _title(store, scenario)
    slides.insert(
        0,
        Slide(
            title,
            f"<p class='sub'>{_GATE_TITLES.get(gate, gate)} · "
            f"{dt.date.today():%d %B %Y}</p>" + _who(store),
        ),
    )
    path = Path(out) if out is not None else folder.parent / "presentation.html"
    write_atomic(path, _page(title, slides))
    return Deck(path, tuple(slides))


# -- slides ---------------------------------------------------------------------------------


def _load(store: DeliverableStore, model: type[Deliverable]) -> Deliverable | None:
    try:
        return store.load(model)
    except LivepmoError:
        return None  # the review names the broken file; the deck leaves the slide out


def _title(store: DeliverableStore, scenario: Scenario | None) -> str:
    charter = _load(store, Charter)
    if isinstance(charter, Charter):
        return charter.project_name
    return scenario.title if scenario is not None else "Project"


def _who(store: DeliverableStore) -> str:
    charter = _load(store, Charter)
    project = _load(store, ProjectAssignment)
    parts = []
    if isinstance(charter, Charter) and charter.project_manager.name:
        parts.append(f"Project manager: {html.escape(charter.project_manager.name)}")
    if isinstance(charter, Charter):
        parts.append(f"Sponsor: {html.escape(charter.sponsor.name)}")
    if isinstance(project, ProjectAssignment):
        parts.append(f"Learner: {html.escape(project.learner)}")
    return "<p>" + " · ".join(parts) + "</p>" if parts else ""


def _context(store: DeliverableStore, scenario: Scenario | None) -> Slide | None:
    if scenario is None:
        return None
    case = scenario.business_case
    benefits = sum(b.value_per_year for b in case.benefits)
    return Slide(
        "Context",
        f"<p>{html.escape(scenario.organisation.situation)}</p>"
        f"<p><b>Business case:</b> {html.escape(case.summary)}</p>"
        f"<p><b>Benefits:</b> {benefits:,.0f} {scenario.currency} a year; payback in "
        f"{case.payback_months} months.</p>",
    )


def _objectives(store: DeliverableStore, scenario: Scenario | None) -> Slide | None:
    charter = _load(store, Charter)
    if not isinstance(charter, Charter):
        return None
    rows = [
        [o.description, o.metric, o.target, o.due.isoformat() if o.due else ""]
        for o in charter.objectives
    ]
    scope = (
        f"<p><b>In scope:</b> {html.escape('; '.join(charter.scope.in_scope) or '—')}</p>"
        f"<p><b>Out of scope:</b> "
        f"{html.escape('; '.join(charter.scope.out_of_scope) or '—')}</p>"
    )
    b = charter.budget
    money = (
        f"<p><b>Budget:</b> {b.total:,.0f} {b.currency} (contingency "
        f"{b.contingency:,.0f}) · <b>Window:</b> {charter.start_date} → "
        f"{charter.target_finish}</p>"
    )
    return Slide(
        "Objectives and scope",
        _table(["Objective", "Metric", "Target", "By"], rows) + scope + money,
    )


def _plan(store: DeliverableStore, scenario: Scenario | None) -> Slide | None:
    from livepmo.widgets.figures.schedule import gantt_figure

    schedule = _load(store, Schedule)
    if not isinstance(schedule, Schedule) or not schedule.activities:
        return None
    try:
        cpm = critical_path(schedule)
        risk = simulate(schedule, seed=_MC_SEED, iterations=_MC_ITERATIONS)
    except LivepmoError as exc:
        return Slide("Plan", f"<p>The schedule cannot be computed: {html.escape(str(exc))}</p>")
    names = {a.id: a.name for a in schedule.activities}
    path = " → ".join(names.get(a, a) for a in cpm.critical_ids[:8])
    more = " …" if len(cpm.critical_ids) > 8 else ""
    facts = (
        f"<p><b>Finish:</b> {cpm.finish_date} · <b>P80:</b> {risk.percentile_date(80)}"
        + (f" · <b>Deadline:</b> {schedule.deadline}" if schedule.deadline else "")
        + "</p>"
        + f"<p><b>Critical path:</b> {html.escape(path)}{more}</p>"
    )
    return Slide("Plan and critical path", facts + _figure(gantt_figure(schedule)))


def _stakeholders(store: DeliverableStore, scenario: Scenario | None) -> Slide | None:
    from livepmo.widgets.figures.stakeholders import power_interest_grid

    register = _load(store, StakeholderRegister)
    if not isinstance(register, StakeholderRegister) or not register.stakeholders:
        return None
    return Slide("Stakeholders", _figure(power_interest_grid(register)))


def _risks(store: DeliverableStore, scenario: Scenario | None) -> Slide | None:
    from livepmo.widgets.figures.risks import risk_heatmap

    register = _load(store, RiskRegister)
    if not isinstance(register, RiskRegister) or not register.risks:
        return None
    owners = {r.id: r.owner for r in register.risks}
    rows = [
        [s.id, s.title, f"{s.grid_score} ({s.band})", owners.get(s.id) or "—"]
        for s in score_register(register)[:5]
    ]  # highest first
    return Slide(
        "Risks",
        _figure(risk_heatmap(register), height=380)
        + _table(["Risk", "Title", "Score", "Owner"], rows),
    )


def _status(store: DeliverableStore, scenario: Scenario | None) -> Slide | None:
    from livepmo.widgets.figures.evm import evm_s_curve

    reports = _load(store, StatusReports)
    if not isinstance(reports, StatusReports) or not reports.reports:
        return None
    schedule = _load(store, Schedule)
    baseline = schedule if isinstance(schedule, Schedule) and schedule.baseline else None
    try:
        figure = evm_s_curve(reports, baseline)
    except LivepmoError:
        figure = evm_s_curve(reports)
    return Slide("Status and earned value", _figure(figure))


def _decisions(store: DeliverableStore, scenario: Scenario | None) -> Slide | None:
    log, changes = _load(store, DecisionLog), _load(store, ChangeLog)
    items: list[str] = []
    if isinstance(log, DecisionLog):
        items += [
            f"Week {d.week}: {d.type.replace('_', ' ')}"
            + (f" — {d.target}" if d.target else "")
            + (f": {d.rationale}" if d.rationale else "")
            for d in log.decisions[-8:]
        ]
    if isinstance(changes, ChangeLog):
        items += [
            f"{c.id} {c.title}: {c.decision.outcome if c.decision else 'not decided yet'}"
            for c in changes.requests[-6:]
        ]
    return Slide("Decisions taken", _list(items)) if items else None


def _closure(store: DeliverableStore, scenario: Scenario | None) -> Slide | None:
    report, lessons = _load(store, ClosureReport), _load(store, LessonsLearned)
    if not isinstance(report, ClosureReport):
        return None
    rows = [[o.objective, o.outcome.replace("_", " "), o.evidence] for o in report.objectives]
    body = _table(["Objective", "Outcome", "Evidence"], rows)
    if isinstance(lessons, LessonsLearned) and lessons.lessons:
        body += "<h3>What we would do differently</h3>" + _list(
            [ls.recommendation for ls in lessons.lessons[:5]]
        )
    return Slide("Closure", body)


_SLIDES: tuple[Callable[[DeliverableStore, Scenario | None], Slide | None], ...] = (
    _context,
    _objectives,
    _plan,
    _stakeholders,
    _risks,
    _status,
    _decisions,
    _closure,
)


def _asks(gate: str, conditions: tuple[str, ...]) -> Slide:
    body = f"<p class='ask'>{html.escape(ASKS.get(gate, ''))}</p>"
    if conditions:
        body += "<h3>Conditions the PMO review would attach</h3>" + _list(list(conditions))
    return Slide("Asks of the board", body)


# -- HTML -----------------------------------------------------------------------------------


def _figure(fig: go.Figure, height: int = 420) -> str:
    fig.update_layout(height=height, width=None, autosize=True)
    return str(
        fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            config={"displaylogo": False, "responsive": True},
        )
    )


def _table(head: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "<p>—</p>"
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _list(items: list[str], *, escape: bool = True) -> str:
    if not items:
        return "<p>—</p>"
    return "<ul>" + "".join(f"<li>{html.escape(i) if escape else i}</li>" for i in items) + "</ul>"


_STYLE = """
body { margin: 0; font-family: system-ui, sans-serif; background: #f4f4f4; color: #1a1a1a; }
section { display: none; box-sizing: border-box; width: 100vw; min-height: 100vh;
          padding: 4vh 6vw; background: #fff; }
section.on { display: block; }
h1 { font-size: 2.6em; margin-top: 18vh; } h2 { font-size: 1.8em; color: #0072B2; }
.sub { font-size: 1.3em; color: #555; } .why { color: #777; font-size: 0.85em; }
.ask { font-size: 1.4em; } table { border-collapse: collapse; margin: 1em 0; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; }
nav { position: fixed; bottom: 8px; right: 16px; color: #777; font-size: 0.9em; }
@media print { section { display: block; page-break-after: always; } nav { display: none; } }
"""

_SCRIPT = """
const slides = [...document.querySelectorAll('section')];
let at = 0;
function show(k) {
  at = Math.max(0, Math.min(slides.length - 1, k));
  slides.forEach((s, i) => s.classList.toggle('on', i === at));
  document.getElementById('at').textContent = (at + 1) + ' / ' + slides.length;
  window.dispatchEvent(new Event('resize'));  // plotly sizes a figure when it is shown
}
document.addEventListener('keydown', e => {
  if (['ArrowRight', 'PageDown', ' '].includes(e.key)) show(at + 1);
  if (['ArrowLeft', 'PageUp'].includes(e.key)) show(at - 1);
});
document.addEventListener('click', e => {
  if (!e.target.closest('.js-plotly-plot')) show(at + 1);
});
show(0);
"""


def _page(title: str, slides: list[Slide]) -> str:
    sections = []
    for i, s in enumerate(slides):
        heading = (
            f"<h1>{html.escape(s.title)}</h1>" if i == 0 else f"<h2>{html.escape(s.title)}</h2>"
        )
        sections.append(f"<section>{heading}{s.body}</section>")
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>"
        f"<script>{get_plotlyjs()}</script></head><body>{''.join(sections)}"
        f"<nav>← → <span id='at'></span></nav><script>{_SCRIPT}</script></body></html>"
    )
