"""Schedule pictures: the Gantt chart, the Monte Carlo finish dates, the sensitivity tornado.

Plain functions from a schedule (or a computed :class:`~livepmo.planning.CpmResult` /
:class:`~livepmo.planning.MonteCarloResult`) to a plotly figure, so the schedule builder,
the PMO's feedback memo and the plan-review deck draw the same pictures. Nothing here
computes a schedule figure of its own: dates, floats, percentiles and correlations come
from :mod:`livepmo.planning`.

Each figure is made in two steps: a :class:`_Picture` (its traces as plain data and the
layout that depends on the data) and the common look of :func:`styled`. The schedule
builder applies the look once to each of its ``FigureWidget`` s and then copies only the
picture after every edit: applying the look copies and re-validates the template and
the layout, 10–20 ms a figure even with the course's slimmer template. Every picture
keeps a fixed list of traces (empty ones included) and always sets its shapes and
annotations, so copying one over the last one leaves nothing stale behind.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go

from livepmo.deliverables.schedule import Baseline, Schedule
from livepmo.planning import CpmResult, MonteCarloResult, critical_path
from livepmo.widgets.figures._theme import CRITICAL, MUTED, NORMAL, WARN, styled

#: The Gantt chart shows at most this many rows at once; more are reached by panning.
GANTT_ROWS: Final = 45
_ROW_PX: Final = 18
_DAY_MS: Final = 86_400_000.0
#: Dark enough to read on the white plotting card in either JupyterLab theme.
_INK: Final = "#333333"

Trace = dict[str, Any]


@dataclass
class _Picture:
    """What a figure shows: traces as plain data (with their ``type``), the title, the
    height and the layout that depends on the data (axes, shapes, annotations)."""

    traces: list[Trace]
    title: str
    height: int
    layout: dict[str, Any] = field(default_factory=dict)

    def figure(self) -> go.Figure:
        """The picture as a figure with the common look."""
        fig = go.Figure(self.traces)
        styled(fig, self.title, height=self.height)
        fig.update_layout(self.layout)
        return fig


# -- the Gantt chart ------------------------------------------------------------------------


def gantt_figure(
    plan: CpmResult | Schedule,
    *,
    names: Mapping[str, str] | None = None,
    baseline: Baseline | None = None,
    deadline: dt.date | None = None,
    title: str = "Schedule: critical path",
) -> go.Figure:
    """The schedule as a Gantt chart on a date axis.

    ``plan`` is a schedule (its critical path is computed, its names, baseline and deadline
    are used) or a critical-path result (give ``names``, ``baseline`` and ``deadline`` as
    wanted). Bars run from each activity's early start to its early finish; critical ones
    (total float ≤ 0) are drawn in the critical colour, milestones as diamonds, the
    baseline (when there is one) as a thin grey bar under each activity and the deadline
    as a vertical line. Traces, in order: critical, other activities, milestones, baseline.
    Long schedules show their first :data:`GANTT_ROWS` rows; drag the chart to see more.
    """
    if isinstance(plan, Schedule):
        names = names if names is not None else {a.id: a.name for a in plan.activities}
        baseline = baseline if baseline is not None else plan.baseline
        deadline = deadline if deadline is not None else plan.deadline
        plan = critical_path(plan)
    return _gantt(plan, names or {}, baseline, deadline, title).figure()


def _gantt(
    plan: CpmResult,
    names: Mapping[str, str],
    baseline: Baseline | None,
    deadline: dt.date | None,
    title: str = "Schedule: critical path",
) -> _Picture:
    ids = plan.ids
    n = len(ids)
    if n:
        dates = plan.dates()
        start, finish = dates["early_start"], dates["early_finish"]
    else:
        start = finish = np.array([], "datetime64[D]")
    # A bar covers its last working day too: it ends at midnight after the early finish.
    length = (finish + np.timedelta64(1, "D") - start).astype(np.int64) * _DAY_MS
    milestone = plan.network.duration == 0
    critical = plan.critical
    labels = np.array(ids, dtype=object)
    starts = start.astype(str)
    hover = _hover(plan, names, starts, finish.astype(str))

    def bars(chosen: npt.NDArray[np.bool_], name: str, colour: str) -> Trace:
        return {
            "type": "bar",
            "name": name,
            "orientation": "h",
            "y": labels[chosen].tolist(),
            "x": length[chosen].tolist(),
            "base": starts[chosen].tolist(),
            "marker": {"color": colour},
            "hovertext": hover[chosen].tolist(),
            "hoverinfo": "text",
            "width": 0.6,
        }

    marks = np.flatnonzero(milestone)
    traces = [
        bars(critical & ~milestone, "Critical path", CRITICAL),
        bars(~critical & ~milestone, "Other activities", NORMAL),
        {
            "type": "scatter",
            "name": "Milestones",
            "mode": "markers",
            "y": labels[marks].tolist(),
            "x": starts[marks].tolist(),
            "hovertext": hover[marks].tolist(),
            "hoverinfo": "text",
            "marker": {
                "symbol": "diamond",
                "size": 12,
                "line": {"width": 1, "color": _INK},
                "color": [CRITICAL if critical[i] else NORMAL for i in marks],
            },
        },
        _baseline_bars(baseline, ids),
    ]
    shown = min(n, GANTT_ROWS)
    # Said under the chart: in the title it would run into the legend.
    more = f"rows 1–{shown} of {n}: drag the chart up or down to see the rest" if n > shown else ""
    shapes, annotations = _deadline_line(deadline)
    layout = {
        "barmode": "overlay",
        "bargap": 0.3,
        "dragmode": "pan",
        "hoverlabel": {"namelength": -1},
        "xaxis": {"type": "date", "title": {"text": more}},
        "margin": {"b": 70 if more else 45},
        "yaxis": {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": list(ids),
            "automargin": True,  # room for the longest id
            "range": [shown - 0.5, -0.5],
            "autorange": False,
            "tickfont": {"size": 10},
            "fixedrange": n <= shown,
        },
        "shapes": shapes,
        "annotations": annotations,
    }
    return _Picture(traces, title, max(260, 130 + _ROW_PX * shown), layout)


def _hover(
    plan: CpmResult,
    names: Mapping[str, str],
    start: npt.NDArray[np.str_],
    finish: npt.NDArray[np.str_],
) -> npt.NDArray[np.object_]:
    """One hover text per activity: id, name, dates, duration and floats."""
    texts = [
        f"<b>{html.escape(aid)}</b> {html.escape(names.get(aid, ''))}<br>"
        + (f"{s}" if d == 0 else f"{s} → {f} ({d} working days)")
        + f"<br>total float {tf}, free float {ff}"
        for aid, s, f, d, tf, ff in zip(
            plan.ids,
            start.tolist(),
            finish.tolist(),
            plan.network.duration.tolist(),
            plan.total_float.tolist(),
            plan.free_float.tolist(),
            strict=True,
        )
    ]
    return np.array(texts, dtype=object)


def _baseline_bars(baseline: Baseline | None, ids: list[str]) -> Trace:
    """The frozen baseline as thin grey bars (an empty trace without a baseline)."""
    entries = baseline.activities if baseline is not None else {}
    rows = [(aid, entries[aid]) for aid in ids if aid in entries]
    starts = [e.start for _, e in rows]
    ends = [e.finish + dt.timedelta(days=1) if e.duration else e.finish for _, e in rows]
    return {
        "type": "bar",
        "name": "Baseline",
        "orientation": "h",
        "y": [aid for aid, _ in rows],
        "x": [(b - a).days * _DAY_MS for a, b in zip(starts, ends, strict=True)],
        "base": [a.isoformat() for a in starts],
        "width": 0.15,
        "offset": 0.3,
        "marker": {"color": MUTED},
        "hoverinfo": "skip",
        "showlegend": bool(rows),
    }


# -- the Monte Carlo finish dates ---------------------------------------------------------------


def finish_histogram(
    result: MonteCarloResult,
    *,
    deadline: dt.date | None = None,
    title: str = "Monte Carlo: project finish dates",
) -> go.Figure:
    """How often each finish date came out of the simulation, with P50, P80 and the deadline.

    Bars are the share of runs finishing on each date; vertical lines mark P50, P80 and
    the deadline (``deadline``, or the last working day the result's deadline allows).
    Traces, in order: finish dates, P50, P80, deadline (empty without one).
    """
    return _histogram(result, deadline, title).figure()


def _histogram(
    result: MonteCarloResult,
    deadline: dt.date | None,
    title: str = "Monte Carlo: project finish dates",
) -> _Picture:
    days, counts = np.unique(result.finish_dates(), return_counts=True)
    share = counts * (100.0 / result.iterations)
    top = float(share.max(initial=1.0)) * 1.1
    if deadline is None and result.deadline is not None and result.calendar is not None:
        deadline = result.calendar.finish_date(result.deadline)
    p50, p80 = result.percentile_date(50), result.percentile_date(80)
    chance = result.deadline_probability

    def line(when: dt.date | None, name: str, colour: str, dash: str) -> Trace:
        x = [] if when is None else [when.isoformat()] * 2
        return {
            "type": "scatter",
            "name": name,
            "x": x,
            "y": [0, top] if x else [],
            "mode": "lines",
            "line": {"color": colour, "width": 2, "dash": dash},
            "hoverinfo": "name",
            "showlegend": bool(x),
        }

    traces = [
        {
            "type": "bar",
            "name": "Finish dates",
            "x": days.astype(str).tolist(),
            "y": share.tolist(),
            "marker": {"color": NORMAL},
            "hovertemplate": "%{x}: %{y:.1f} % of runs<extra></extra>",
        },
        line(p50, f"P50 {p50.isoformat()}", MUTED, "dot"),
        line(p80, f"P80 {p80.isoformat()}", WARN, "solid"),
        line(
            deadline,
            "Deadline"
            + (f" {deadline.isoformat()}" if deadline else "")
            + (f" (met in {chance:.0%} of runs)" if chance is not None else ""),
            CRITICAL,
            "dash",
        ),
    ]
    layout = {
        "bargap": 0.05,
        # The legend names the dates of P50, P80 and the deadline: too long for the top
        # beside the title, so it goes under the chart.
        "legend": {"y": -0.12, "yanchor": "top", "x": 0, "xanchor": "left"},
        "margin": {"b": 80},
        "xaxis": {"type": "date"},
        "yaxis": {"title": {"text": "% of runs"}, "rangemode": "tozero"},
        "shapes": [],
        "annotations": [],
    }
    # Say what is sampled: a learner who edits a duration alone sees the CPM move, not this.
    runs = f"{result.iterations:,} runs of the three-point estimates"
    return _Picture(traces, f"{title} ({runs})", 360, layout)


# -- the sensitivity tornado ----------------------------------------------------------------


def sensitivity_tornado(
    result: MonteCarloResult,
    *,
    top: int = 10,
    names: Mapping[str, str] | None = None,
    title: str = "Which durations drive the finish",
) -> go.Figure:
    """The ``top`` activities whose duration correlates most with the project finish.

    Bars are the simulation's sensitivity (Pearson correlation of duration and finish),
    most influential at the top; a positive one (longer activity, later finish) is drawn
    in the critical colour. One trace; activities whose duration does not vary are left
    out (a note says so when none varies).
    """
    return _tornado(result, top, names or {}, title).figure()


def _tornado(
    result: MonteCarloResult,
    top: int,
    names: Mapping[str, str],
    title: str = "Which durations drive the finish",
) -> _Picture:
    ranked = result.tornado(top)
    ids = [aid for aid, _ in ranked]
    values = [value for _, value in ranked]
    trace = {
        "type": "bar",
        "name": "Correlation with the finish",
        "orientation": "h",
        "y": ids,
        "x": values,
        "marker": {"color": [CRITICAL if v > 0 else NORMAL for v in values]},
        "hovertext": [
            f"<b>{html.escape(a)}</b> {html.escape(names.get(a, ''))}<br>correlation {v:+.2f}"
            for a, v in ranked
        ],
        "hoverinfo": "text",
    }
    note = (
        []
        if ids
        else [
            {
                "text": "No activity's duration varies: give the activities three-point estimates",
                "showarrow": False,
                "x": 0,
                "y": 0.5,
                "yref": "paper",
                "font": {"color": _INK},
            }
        ]
    )
    layout = {
        "showlegend": False,
        "xaxis": {
            "range": [-1, 1],
            "zeroline": True,
            "title": {"text": "correlation of duration with project finish"},
        },
        "yaxis": {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": ids,
            "automargin": True,
            "autorange": "reversed",
        },
        "shapes": [],
        "annotations": note,
    }
    return _Picture([trace], title, max(240, 110 + 26 * max(len(ids), 1)), layout)


def _deadline_line(
    deadline: dt.date | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The deadline as a labelled vertical line across the Gantt chart (shapes, notes)."""
    if deadline is None:
        return [], []
    # At the end of the deadline day, as a bar ends at the end of its last day: a bar
    # that finishes on the deadline touches the line and does not cross it.
    x = (deadline + dt.timedelta(days=1)).isoformat()
    colour = CRITICAL
    shape = {
        "type": "line",
        "x0": x,
        "x1": x,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "width": 2, "dash": "dash"},
    }
    # Inside the plot, left of the line: clear of the title and the legend above.
    note = {
        "x": x,
        "yref": "paper",
        "y": 1,
        "text": f"deadline {deadline.isoformat()}",
        "showarrow": False,
        "yanchor": "top",
        "xanchor": "right",
        "font": {"color": colour},
        "bgcolor": "rgba(255, 255, 255, 0.8)",
    }
    return [shape], [note]
