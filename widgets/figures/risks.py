"""Risk figures: a register's 5×5 heat map, cells coloured by band, with the risks counted.

Placement and bands come from :mod:`livepmo.planning.riskscore` (``score_risk``,
``band_of``): the figure draws, it never scores. Both scales (5×5 and PMBOK's numeric
one) land on the same grid; the tick labels show the register's own values.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Final, get_args

import plotly.graph_objects as go

from livepmo.deliverables.risks import PMBOK_IMPACT, PMBOK_PROBABILITY, Risk, RiskRegister
from livepmo.planning import RiskScore, band_of, score_risk
from livepmo.planning.riskscore import Band
from livepmo.widgets.figures._theme import CRITICAL, GOOD, WARN, styled

# The grid's ranks, 1 to 5 on both axes.
_RANKS: Final = (1, 2, 3, 4, 5)
#: Band colours: Okabe–Ito green, yellow, orange and vermilion (told apart by colour-blind
#: readers, and in this order from calm to alarming).
BAND_COLOURS: Final[dict[Band, str]] = {
    "low": GOOD,
    "medium": "#F0E442",
    "high": WARN,
    "critical": CRITICAL,
}
_BANDS: Final[tuple[Band, ...]] = get_args(Band)

Cell = tuple[int, int]
"""A grid cell: (probability rank, impact rank), each 1–5."""


def risks_by_cell(register: RiskRegister) -> dict[Cell, list[tuple[Risk, RiskScore]]]:
    """The register's risks by grid cell, each with its score, highest score first.

    Only non-empty cells are keys. Every risk must be on the register's scale (a valid
    register's are); ``score_risk`` raises ``PlanningError`` otherwise.
    """
    cells: dict[Cell, list[tuple[Risk, RiskScore]]] = {}
    for risk in register.risks:
        score = score_risk(risk, register.scale)
        cells.setdefault((score.probability_rank, score.impact_rank), []).append((risk, score))
    for entries in cells.values():
        entries.sort(key=lambda e: (-e[1].score, e[1].id))
    return cells


def cell_label(cell: Cell, count: int | None = None) -> str:
    """A cell as a reader names it: ``P4 × I5``, with its count when given."""
    p, i = cell
    text = f"P{p} × I{i}"
    if count is not None:
        text += f" ({count} risk{'' if count == 1 else 's'})"
    return text


def risk_heatmap(register: RiskRegister) -> go.Figure:
    """The 5×5 heat map: probability up, impact across, cells coloured by band, the number
    of risks in each cell, and the risks' ids on hover.

    The traces are always the same (the band grid, the counts, one legend entry per band),
    so a ``FigureWidget`` can be updated in place and keep its click handlers.
    """
    cells = risks_by_cell(register)
    # z is the band's index: a stepped colour scale turns it into the band colour.
    z = [[_BANDS.index(band_of(p * i)) for i in _RANKS] for p in _RANKS]
    hover = [[_cell_hover((p, i), cells.get((p, i), [])) for i in _RANKS] for p in _RANKS]
    steps: list[list[float | str]] = []
    for k, band in enumerate(_BANDS):
        steps += [
            [k / len(_BANDS), BAND_COLOURS[band]],
            [(k + 1) / len(_BANDS), BAND_COLOURS[band]],
        ]
    grid = go.Heatmap(
        x=list(_RANKS),
        y=list(_RANKS),
        z=z,
        zmin=-0.5,
        zmax=len(_BANDS) - 0.5,
        colorscale=steps,
        showscale=False,
        xgap=3,
        ygap=3,
        text=hover,
        hoverinfo="text",
        name="bands",
    )
    filled = sorted(cells)
    counts = go.Scatter(
        x=[i for _, i in filled],
        y=[p for p, _ in filled],
        text=[str(len(cells[c])) for c in filled],
        customdata=[cell_label(c, len(cells[c])) for c in filled],
        hovertext=[_cell_hover(c, cells[c]) for c in filled],
        hoverinfo="text",
        mode="markers+text",
        textfont={"size": 15, "color": "#000000"},
        # A white badge keeps the count readable on every band colour.
        marker={
            "size": 34,
            "color": "#FFFFFF",
            "opacity": 0.85,
            "line": {"width": 1, "color": "#444444"},
        },
        name="risks",
        showlegend=False,
    )
    legend = [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=band,
            hoverinfo="skip",
            marker={"symbol": "square", "size": 14, "color": BAND_COLOURS[band]},
        )
        for band in _BANDS
    ]
    fig = go.Figure([grid, counts, *legend])
    n = len(register.risks)
    title = f"Risk heat map: {n} risk{'' if n == 1 else 's'} ({register.scale} scale)"
    styled(fig, title, height=480)
    p_ticks, i_ticks = _ticks(register.scale)
    fig.update_xaxes(
        title="Impact →",
        tickvals=list(_RANKS),
        ticktext=i_ticks,
        range=[0.5, 5.5],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    fig.update_yaxes(
        title="Probability →",
        tickvals=list(_RANKS),
        ticktext=p_ticks,
        range=[0.5, 5.5],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    fig.update_layout(hovermode="closest", clickmode="event")
    return fig


def _ticks(scale: str) -> tuple[list[str], list[str]]:
    if scale == "pmbok":
        return ([f"{v:g}" for v in PMBOK_PROBABILITY], [f"{v:g}" for v in PMBOK_IMPACT])
    return [str(r) for r in _RANKS], [str(r) for r in _RANKS]


def _cell_hover(cell: Cell, entries: Sequence[tuple[Risk, RiskScore]]) -> str:
    p, i = cell
    head = f"{cell_label(cell)} = {p * i} ({band_of(p * i)})"
    if not entries:
        return head + "<br>no risks"
    shown = [
        f"{html.escape(s.id)}: {html.escape(s.title[:50])}"
        + (" (opportunity)" if s.type == "opportunity" else "")
        for _, s in entries[:12]
    ]
    if len(entries) > len(shown):
        shown.append(f"… and {len(entries) - len(shown)} more")
    return head + "<br>" + "<br>".join(shown)
