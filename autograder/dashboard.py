"""The cohort dashboard: one HTML page of where every learner stands, from the review ledger.

For the instructor running the PMO: each learner's status at each gate (the decision of
the latest attempt), the decisions taken, the findings the cohort most often leaves open,
the distribution of scores per gate and how many attempts an approval took. Pictures are
plotly, in one self-contained file (plotly's library inlined once).
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from livepmo.autograder.ledger import Ledger, Recorded
from livepmo.autograder.rubric import GATES, load_rubric
from livepmo.storage import write_atomic

#: Decisions in order of merit, with their colour (Okabe–Ito, readable by colour-blind eyes).
DECISIONS = {
    "approved": "#009E73",
    "approved_with_conditions": "#E69F00",
    "rework": "#D55E00",
    "stop": "#000000",
}
_NOT_YET = "#DDDDDD"


@dataclass(frozen=True)
class CohortSummary:
    """The figures of the dashboard, as numbers (also printed by the demo)."""

    learners: int
    reviews: int
    approved: dict[str, int]  # per gate: learners whose latest attempt is approved
    attempts_to_approval: dict[str, float]  # per gate: mean attempts of approved learners
    top_findings: list[tuple[str, int]]  # criterion id, how many attempts left it open


def summarise(history: list[Recorded]) -> CohortSummary:
    """The cohort's figures from the ledger's history."""
    latest = _latest(history)
    approved = {g: sum(1 for (_, gate), r in latest.items()
                       if gate == g and r.decision.startswith("approved")) for g in GATES}
    attempts: dict[str, list[int]] = {g: [] for g in GATES}
    for (_, gate), r in latest.items():
        if r.decision.startswith("approved") and gate in attempts:
            attempts[gate].append(r.attempt)
    counts = Counter(c for r in history for c in r.open_criteria)
    return CohortSummary(
        learners=len({r.learner for r in history}),
        reviews=len(history),
        approved=approved,
        attempts_to_approval={g: sum(a) / len(a) for g, a in attempts.items() if a},
        top_findings=counts.most_common(10),
    )


def cohort_dashboard(ledger: str | Path, out: str | Path) -> Path:
    """Write the dashboard of the reviews in ``ledger`` to ``out``; returns the file."""
    history = Ledger(ledger).history()
    summary = summarise(history)
    titles = _criterion_titles()
    parts = [
        f"<h1>PMO cohort dashboard</h1><p>{summary.learners} learners, {summary.reviews} "
        "reviews recorded.</p>",
        _figure(_status_figure(history)),
        _figure(_findings_figure(summary, titles)),
        _figure(_scores_figure(history)),
        _figure(_attempts_figure(history)),
        _table(history),
    ]
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>PMO cohort dashboard</title><style>body{font-family:system-ui,sans-serif;"
        "max-width:1000px;margin:2em auto;color:#1a1a1a}table{border-collapse:collapse}"
        "td,th{border-bottom:1px solid #ddd;padding:3px 10px;text-align:left}</style>"
        f"<script>{get_plotlyjs()}</script></head><body>{''.join(parts)}</body></html>"
    )
    path = Path(out)
    write_atomic(path, page)
    return path


# -- figures ---------------------------------------------------------------------------------


def _latest(history: list[Recorded]) -> dict[tuple[str, str], Recorded]:
    latest: dict[tuple[str, str], Recorded] = {}
    for r in history:  # ordered by attempt: the last one wins
        latest[(r.learner, r.gate)] = r
    return latest


def _status_figure(history: list[Recorded]) -> go.Figure:
    """Learner × gate: the latest decision, with the attempt and score on hover."""
    latest = _latest(history)
    learners = sorted({r.learner for r in history})
    fig = go.Figure()
    for decision, colour in [*DECISIONS.items(), ("not reviewed", _NOT_YET)]:
        xs, ys, text = [], [], []
        for learner in learners:
            for gate in GATES:
                r = latest.get((learner, gate))
                if (r.decision if r else "not reviewed") != decision:
                    continue
                xs.append(gate)
                ys.append(learner)
                text.append("" if r is None else
                            f"attempt {r.attempt}: {r.score:g} / {r.total:g}")
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", name=decision.replace("_", " "), text=text,
            marker={"symbol": "square", "size": 22, "color": colour},
            hovertemplate="%{y} · %{x}<br>%{text}<extra>" + decision + "</extra>",
        ))
    fig.update_layout(title="Gate status by learner (latest attempt)",
                      xaxis={"categoryorder": "array", "categoryarray": list(GATES)},
                      yaxis={"categoryorder": "array", "categoryarray": learners[::-1]},
                      height=max(300, 40 * len(learners) + 120))
    return _look(fig)


def _findings_figure(summary: CohortSummary, titles: dict[str, str]) -> go.Figure:
    found = summary.top_findings[::-1]
    fig = go.Figure(go.Bar(
        x=[n for _, n in found], y=[f"{c} {titles.get(c, '')}"[:60] for c, _ in found],
        orientation="h", marker={"color": "#0072B2"},
        hovertemplate="%{y}: open in %{x} reviews<extra></extra>",
    ))
    fig.update_layout(title="Most frequent open findings (all attempts)",
                      height=max(280, 32 * len(found) + 120), margin={"l": 360})
    return _look(fig)


def _scores_figure(history: list[Recorded]) -> go.Figure:
    latest = _latest(history)
    fig = go.Figure()
    for gate in GATES:
        scores = [r.score for (_, g), r in latest.items() if g == gate]
        fig.add_trace(go.Box(y=scores, name=gate, boxpoints="all", jitter=0.4,
                             marker={"color": "#0072B2"}))
    fig.update_layout(title="Scores of the latest attempts, by gate", showlegend=False,
                      yaxis={"title": "points"})
    return _look(fig)


def _attempts_figure(history: list[Recorded]) -> go.Figure:
    latest = _latest(history)
    fig = go.Figure()
    for n in (1, 2, 3):
        label = f"{n} attempt{'s' if n > 1 else ''}" if n < 3 else "3 or more"
        fig.add_trace(go.Bar(
            x=list(GATES),
            y=[sum(1 for (_, g), r in latest.items() if g == gate
                   and r.decision.startswith("approved")
                   and (r.attempt == n if n < 3 else r.attempt >= 3)) for gate in GATES],
            name=label,
        ))
    fig.update_layout(title="Attempts needed to approval", barmode="stack",
                      yaxis={"title": "learners approved"})
    return _look(fig)


def _look(fig: go.Figure) -> go.Figure:
    fig.update_layout(template="plotly_white", font={"size": 12},
                      legend={"orientation": "h", "y": 1.08})
    return fig


def _figure(fig: go.Figure) -> str:
    return str(fig.to_html(full_html=False, include_plotlyjs=False,
                           config={"displaylogo": False}))


def _table(history: list[Recorded]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(r.learner)}</td><td>{r.gate}</td><td>{r.attempt}</td>"
        f"<td>{html.escape(r.decision.replace('_', ' '))}</td><td>{r.score:g}</td>"
        f"<td>{html.escape(', '.join(r.open_criteria))}</td></tr>"
        for r in history)
    return ("<h2>Every review</h2><table><tr><th>learner</th><th>gate</th><th>attempt</th>"
            f"<th>decision</th><th>score</th><th>open findings</th></tr>{rows}</table>")


def _criterion_titles() -> dict[str, str]:
    return {c.id: c.title for gate in GATES for c in load_rubric(gate).criteria}
