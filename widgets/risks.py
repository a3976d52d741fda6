"""The risk matrix: the register, its 5×5 heat map, the risks of a chosen cell, and the
expected values that size the contingency reserve."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from typing import Any, get_args

import ipywidgets as w
import plotly.graph_objects as go
from plotly.callbacks import InputDeviceState, Points

from livepmo.deliverables import RiskRegister
from livepmo.deliverables.risks import Risk
from livepmo.planning import PlanningError, RiskScore, contingency_reserve, score_risk
from livepmo.planning.riskscore import Band
from livepmo.widgets._builder import Builder
from livepmo.widgets._views import redraw, valid_rows
from livepmo.widgets.figures.risks import (
    Cell,
    cell_label,
    risk_heatmap,
    risks_by_cell,
)

_CELL = "padding: 2px 10px 2px 0; vertical-align: top; text-align: left"
_TEXT = "color: var(--jp-ui-font-color1)"
# The fields the heat map shows (counts, hover); the rest go to the summary and the list.
_DRAWN = {"id", "title", "type", "probability", "impact"}


class RiskMatrix(Builder[RiskRegister]):
    """Build the risk register (``risk_register.json``) on a 5×5 heat map.

    The heat map counts the risks in each cell, coloured by band (scores and bands from
    :mod:`livepmo.planning.riskscore`). Choose a cell in the drop-down — or click it on the
    map — to list its risks with their owner and response. The summary gives the counts
    by band, threats vs opportunities, the expected monetary value of the open risks and
    the contingency reserve it suggests.

    The first draft is an empty register on the 5×5 scale: naming and scoring the
    initial risks is the work the review grades.
    """

    MODEL = RiskRegister

    def views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        self.heatmap = go.FigureWidget(risk_heatmap(RiskRegister.model_construct(risks=[])))
        # Every trace answers clicks: the band grid (anywhere in a cell) and the count badges.
        for trace in self.heatmap.data:
            trace.on_click(self._clicked)
        self.cell = w.Dropdown(
            description="Cell",
            options=[("—", None)],
            style={"description_width": "4em"},
            layout=w.Layout(width="24em"),
            tooltip="Choose a cell of the heat map to list its risks",
        )
        self.cell.observe(self._picked, names="value")
        self.cell_risks = w.HTML()
        self._cells: dict[Cell, list[tuple[Risk, RiskScore]]] = {}
        self._empty_cell: Cell | None = None
        self._drawn: object = None
        return [self.summary, self.heatmap, self.cell, self.cell_risks]

    def refresh(self) -> None:
        data = self.form.value
        scale = data.get("scale", "5x5")
        risks, unplaced = valid_rows(Risk, data.get("risks"))
        placed: list[Risk] = []
        for risk in risks:
            try:
                score_risk(risk, scale)
            except PlanningError:  # off the register's scale: Save names the field
                unplaced.append(f"{risk.id} — {risk.title}")
            else:
                placed.append(risk)
        # Built without validation: whole-register rules (unique ids) are Save's to report.
        register = RiskRegister.model_construct(scale=scale, risks=placed)
        self._cells = risks_by_cell(register)
        # Typing an action or a trigger changes no cell: redraw only when the map changes.
        shown = (scale, [r.model_dump(include=_DRAWN) for r in placed])
        if shown != self._drawn:
            redraw(self.heatmap, risk_heatmap(register))
            self._drawn = shown
        self._offer_cells()
        self._list()
        self.summary.value = _summary(register, unplaced, self._currency())

    def draft(self) -> dict[str, Any]:
        return {"scale": "5x5", "risks": []}

    # -- choosing a cell --------------------------------------------------------------------

    def select(self, probability: int, impact: int) -> None:
        """Choose the cell (probability rank, impact rank) and list its risks."""
        cell = (probability, impact)
        if cell in self._cells:
            self.cell.value = cell
        else:
            # An empty cell is not among the choices: say it is empty.
            self.cell.value = None
            self._empty_cell = cell
        self._list()

    def _picked(self, _: object = None) -> None:
        self._empty_cell = None
        self._list()

    def _clicked(self, _trace: object, points: Points, _state: InputDeviceState | None) -> None:
        # Plotly tells every trace about a click; only the trace clicked has points.
        if points.xs and points.ys:
            self.select(round(float(points.ys[0])), round(float(points.xs[0])))

    def _offer_cells(self) -> None:
        chosen = self.cell.value
        order = sorted(self._cells, key=lambda c: (-c[0] * c[1], -c[0], -c[1]))
        options: list[tuple[str, Cell | None]] = [("—", None)] + [
            (f"{cell_label(c, len(self._cells[c]))} · {self._cells[c][0][1].band}", c)
            for c in order
        ]
        self.cell.options = options
        # New options reset the value: keep the chosen cell while it has risks.
        self.cell.value = chosen if chosen in self._cells else None

    def _list(self) -> None:
        cell = self.cell.value
        if cell is None:
            shown = self._empty_cell
            self.cell_risks.value = (
                f"<div style='{_TEXT}'>No risks in {cell_label(shown)}.</div>"
                if shown
                else f"<div style='{_TEXT}'>Choose a cell to list its risks.</div>"
            )
            self._highlight(shown)
            return
        self.cell_risks.value = _risk_table(cell, self._cells.get(cell, []))
        self._highlight(cell)

    def _highlight(self, cell: Cell | None) -> None:
        # An outline around the chosen cell ties the list to the map.
        shapes = (
            []
            if cell is None
            else [
                {
                    "type": "rect",
                    "x0": cell[1] - 0.5,
                    "x1": cell[1] + 0.5,
                    "y0": cell[0] - 0.5,
                    "y1": cell[0] + 0.5,
                    "line": {"color": "#000000", "width": 3},
                    "fillcolor": "rgba(0,0,0,0)",
                }
            ]
        )
        self.heatmap.layout.shapes = shapes

    def _currency(self) -> str:
        return self.scenario.currency if self.scenario is not None else ""


def _summary(register: RiskRegister, unplaced: Sequence[str], currency: str) -> str:
    scores = [score_risk(r, register.scale) for r in register.risks]
    bands = Counter(s.band for s in scores)
    kinds = Counter(s.type for s in scores)
    reserve = contingency_reserve(register)
    money = f" {currency}" if currency else ""
    rows = [
        (
            "Risks",
            f"{len(scores)} ({kinds['threat']} threats, {kinds['opportunity']} opportunities)",
        ),
        ("By band", " · ".join(f"{band} {bands[band]}" for band in get_args(Band))),
        (
            "Expected monetary value (open risks)",
            f"{reserve.threat_emv + reserve.opportunity_emv:,.0f}{money} "
            f"(threats {reserve.threat_emv:,.0f} less opportunities "
            f"{-reserve.opportunity_emv:,.0f})",
        ),
        (
            "Suggested contingency reserve",
            f"{reserve.amount:,.0f}{money}"
            + (f" and {reserve.schedule_days:,.1f} working days" if reserve.schedule_days else ""),
        ),
    ]
    text = (
        "<table>"
        + "".join(
            f"<tr><td style='padding-right: 1em'>{k}</td><td><b>{v}</b></td></tr>" for k, v in rows
        )
        + "</table>"
    )
    text += f"<div style='font-size: 90%'>{html.escape(reserve.explain())}</div>"
    if unplaced:
        text += (
            "<div style='color: var(--jp-warn-color0, #e65100)'>Not on the heat map "
            "until their fields are fixed: " + html.escape(", ".join(unplaced)) + "</div>"
        )
    return f"<div style='{_TEXT}'>{text}</div>"


def _risk_table(cell: Cell, entries: Sequence[tuple[Risk, RiskScore]]) -> str:
    p, i = cell
    head = "".join(
        f"<th style='{_CELL}'>{h}</th>" for h in ("Id", "Title", "Type", "Owner", "Response")
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td style='{_CELL}'>{html.escape(v)}</td>"
            for v in (
                risk.id,
                risk.title,
                risk.type,
                risk.owner or "— (no owner)",
                _response(risk),
            )
        )
        + "</tr>"
        for risk, _ in entries
    )
    band = entries[0][1].band if entries else ""
    return (
        f"<div style='{_TEXT}'><b>{cell_label(cell, len(entries))}</b>: score {p * i}, "
        f"{band}<table><tr>{head}</tr>{body}</table></div>"
    )


def _response(risk: Risk) -> str:
    if risk.response is None:
        return "— (no response)"
    actions = len(risk.response.actions)
    return f"{risk.response.strategy} ({actions} action{'' if actions == 1 else 's'})"
