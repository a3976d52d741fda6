"""Stakeholder figures: the power / interest grid and engagement current vs desired.

Quadrants, salience classes and the engagement scale come from the register's model
(:mod:`livepmo.deliverables.stakeholders`); the figures only place and label.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from typing import Any, Final, get_args

import plotly.graph_objects as go

from livepmo.deliverables.stakeholders import Engagement, Stakeholder, StakeholderRegister
from livepmo.widgets.figures._theme import CRITICAL, GOOD, MUTED, NORMAL, WARN, styled

# The engagement scale, lowest first (the model's order).
_LEVELS: Final[tuple[str, ...]] = get_args(Engagement)
# Point colour by attitude.
_ATTITUDE_COLOURS: Final = {"supporter": GOOD, "neutral": NORMAL, "resistor": CRITICAL}
# The model calls power or interest "high" at 4 or 5: the quadrant lines sit between 3 and 4.
_SPLIT = 3.5
# The axes: power gets half a unit more at each end, where the quadrant titles stand clear
# of the points.
_X_RANGE, _Y_RANGE = (0.5, 5.5), (0.0, 6.0)
_X_LOW, _X_HIGH = (_X_RANGE[0], _SPLIT), (_SPLIT, _X_RANGE[1])
_Y_LOW, _Y_HIGH = (_Y_RANGE[0], _SPLIT), (_SPLIT, _Y_RANGE[1])
# Each quadrant: its name (the model's), its interest and power spans, its title's corner
# and its background colour.
_QUADRANTS: Final = (
    ("keep satisfied", _X_LOW, _Y_HIGH, "left", "top", WARN),
    ("manage closely", _X_HIGH, _Y_HIGH, "right", "top", CRITICAL),
    ("monitor", _X_LOW, _Y_LOW, "left", "bottom", MUTED),
    ("keep informed", _X_HIGH, _Y_LOW, "right", "bottom", NORMAL),
)


def power_interest_grid(register: StakeholderRegister) -> go.Figure:
    """Each stakeholder placed by interest (across) and power (up) in the four quadrants,
    labelled by name and coloured by attitude; each quadrant titled with its count.

    Stakeholders sharing a cell are spread over it so every name stays readable. The
    traces are always one per attitude, so a ``FigureWidget`` can be updated in place.
    Each point's ``customdata`` is ``[id, quadrant]``.
    """
    people = register.stakeholders
    spots = _spread(people)
    traces = []
    for attitude, colour in _ATTITUDE_COLOURS.items():
        group = [(s, spots[k]) for k, s in enumerate(people) if s.attitude == attitude]
        traces.append(
            go.Scatter(
                x=[x for _, (x, _) in group],
                y=[y for _, (_, y) in group],
                text=[s.name for s, _ in group],
                # Names of the right-hand column read leftwards to stay inside the plot.
                textposition=[
                    "middle left" if s.interest >= 5 else "middle right" for s, _ in group
                ],
                customdata=[[s.id, s.quadrant] for s, _ in group],
                hovertext=[_hover(s) for s, _ in group],
                hoverinfo="text",
                mode="markers+text",
                name=attitude,
                textfont={"size": 11},
                marker={"size": 11, "color": colour, "line": {"width": 1, "color": "#FFFFFF"}},
            )
        )
    counts = Counter(s.quadrant for s in people)
    divider = {"color": "#888888", "width": 1, "dash": "dot"}
    shapes: list[dict[str, Any]] = [
        {
            "type": "rect",
            "x0": x0,
            "x1": x1,
            "y0": y0,
            "y1": y1,
            "fillcolor": colour,
            "opacity": 0.08,
            "line": {"width": 0},
            "layer": "below",
        }
        for _, (x0, x1), (y0, y1), _, _, colour in _QUADRANTS
    ] + [
        {
            "type": "line",
            "x0": _SPLIT,
            "x1": _SPLIT,
            "y0": _Y_RANGE[0],
            "y1": _Y_RANGE[1],
            "line": divider,
        },
        {
            "type": "line",
            "x0": _X_RANGE[0],
            "x1": _X_RANGE[1],
            "y0": _SPLIT,
            "y1": _SPLIT,
            "line": divider,
        },
    ]
    titles = [
        {
            "x": x0 + 0.05 if xanchor == "left" else x1 - 0.05,
            "y": y1 - 0.05 if yanchor == "top" else y0 + 0.05,
            "xanchor": xanchor,
            "yanchor": yanchor,
            "showarrow": False,
            "text": f"<b>{name.capitalize()}</b> ({counts[name]})",
            "font": {"size": 12, "color": "#444444"},
        }
        for name, (x0, x1), (y0, y1), xanchor, yanchor, _ in _QUADRANTS
    ]
    # One layout, built at once: adding shapes one by one is slow in plotly.
    fig = go.Figure(traces, layout={"shapes": shapes, "annotations": titles})
    n = len(people)
    styled(fig, f"Power / interest grid: {n} stakeholder{'' if n == 1 else 's'}", height=520)
    axis = {"tickvals": [1, 2, 3, 4, 5], "showgrid": False, "zeroline": False}
    fig.update_layout(
        xaxis={"title": "Interest →", "range": list(_X_RANGE), **axis},
        yaxis={"title": "Power →", "range": list(_Y_RANGE), **axis},
    )
    return fig


def engagement_chart(register: StakeholderRegister) -> go.Figure:
    """Engagement current vs desired, one row per stakeholder: an open circle where they
    are, an arrow to where the plan wants them, a green dot when they are there already.

    The traces are always the same three (current, gap, on target).
    """
    people = register.stakeholders
    rows = list(range(len(people)))
    level = {name: k for k, name in enumerate(_LEVELS)}
    gap_x: list[int | None] = []
    gap_y: list[int | None] = []
    gap_symbols: list[str] = []
    on_target = [
        r for r, s in zip(rows, people, strict=True) if s.engagement_current == s.engagement_desired
    ]
    for r, s in zip(rows, people, strict=True):
        if s.engagement_current != s.engagement_desired:
            gap_x += [level[s.engagement_current], level[s.engagement_desired], None]
            gap_y += [r, r, None]
            gap_symbols += ["circle", "arrow", "circle"]
    current = go.Scatter(
        x=[level[s.engagement_current] for s in people],
        y=rows,
        mode="markers",
        name="current",
        hovertext=[_engagement_hover(s) for s in people],
        hoverinfo="text",
        marker={"symbol": "circle-open", "size": 12, "color": NORMAL, "line": {"width": 2}},
    )
    gaps = go.Scatter(
        x=gap_x,
        y=gap_y,
        mode="lines+markers",
        name="desired (to reach)",
        hoverinfo="skip",
        line={"color": WARN, "width": 3},
        # Only the arrow at the desired end is drawn; it points along the line.
        marker={
            "symbol": gap_symbols,
            "size": [0, 14, 0] * (len(gap_x) // 3),
            "color": WARN,
            "angleref": "previous",
        },
    )
    reached = go.Scatter(
        x=[level[people[r].engagement_current] for r in on_target],
        y=on_target,
        mode="markers",
        name="at desired level",
        hoverinfo="text",
        hovertext=[_engagement_hover(people[r]) for r in on_target],
        marker={"symbol": "circle", "size": 12, "color": GOOD},
    )
    fig = go.Figure([gaps, current, reached])
    moving = len(people) - len(on_target)
    styled(
        fig,
        f"Engagement, current → desired: {moving} of {len(people)} to move",
        height=max(300, 130 + 26 * len(people)),
    )
    fig.update_xaxes(
        tickvals=list(range(len(_LEVELS))),
        ticktext=list(_LEVELS),
        range=[-0.5, len(_LEVELS) - 0.5],
        title="Engagement level",
        zeroline=False,
    )
    fig.update_yaxes(
        tickvals=rows,
        ticktext=[s.name for s in people],
        autorange="reversed",
        showgrid=False,
        zeroline=False,
        automargin=True,
    )
    return fig


def _spread(people: list[Stakeholder]) -> list[tuple[float, float]]:
    """Each stakeholder's spot: their (interest, power) cell, shifted so that people who
    share a cell stand in a column within it."""
    sharing: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k, s in enumerate(people):
        sharing[(s.interest, s.power)].append(k)
    spots: list[tuple[float, float]] = [(0.0, 0.0)] * len(people)
    for (x, y), members in sharing.items():
        step = min(0.2, 0.84 / len(members))
        for j, k in enumerate(members):
            spots[k] = (float(x), y + (j - (len(members) - 1) / 2) * step)
    return spots


def _hover(s: Stakeholder) -> str:
    return (
        f"<b>{html.escape(s.name)}</b> ({html.escape(s.id)})<br>"
        f"{html.escape(s.position[:60])}<br>power {s.power}, interest {s.interest}: "
        f"{s.quadrant}<br>{s.attitude}; salience: {s.salience.category}"
    )


def _engagement_hover(s: Stakeholder) -> str:
    return f"<b>{html.escape(s.name)}</b><br>{s.engagement_current} → {s.engagement_desired}"
