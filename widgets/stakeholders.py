"""The stakeholder map: the register, its power / interest grid, salience and engagement."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, Final, TypeVar

import ipywidgets as w
import plotly.graph_objects as go
from pydantic import BaseModel

from livepmo.deliverables import StakeholderRegister
from livepmo.deliverables.stakeholders import Stakeholder
from livepmo.widgets._builder import Builder
from livepmo.widgets._views import redraw, valid_rows
from livepmo.widgets.figures.stakeholders import engagement_chart, power_interest_grid

#: Mitchell, Agle & Wood's classes, most salient first (the model names them).
_SALIENCE_ORDER: Final = (
    "definitive",
    "dominant",
    "dangerous",
    "dependent",
    "dormant",
    "discretionary",
    "demanding",
    "non-stakeholder",
)
_QUADRANTS: Final = ("manage closely", "keep satisfied", "keep informed", "monitor")
_HIGH_POWER: Final = _QUADRANTS[:2]
# The fields the pictures show (the rest are text only the form and the file hold).
_DRAWN: Final = {
    "id",
    "name",
    "position",
    "power",
    "interest",
    "attitude",
    "salience",
    "engagement_current",
    "engagement_desired",
}
M = TypeVar("M", bound=BaseModel)
_CELL = "padding: 2px 10px 2px 0; vertical-align: top; text-align: left"


class StakeholderMap(Builder[StakeholderRegister]):
    """Build the stakeholder register (``stakeholder_register.json``) and see it mapped.

    Above the register: the power / interest grid, each stakeholder's salience class and
    engagement current vs desired, all redrawn after every edit. Entries that do not
    validate yet (a new one without a name, say) stay off the pictures and are named
    under them until they are fixed.

    The first draft lists the scenario's stakeholders as the brief gives them (id, name,
    position, power, interest, attitude). Salience, engagement levels and the strategy —
    the analysis the review grades — are left to the learner.
    """

    MODEL = StakeholderRegister

    def views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        self.grid = go.FigureWidget()
        self.salience = w.HTML()
        self.engagement = go.FigureWidget()
        self._drawn: list[dict[str, Any]] | None = None
        tabs = w.Tab(children=[self.grid, self.salience, self.engagement])
        for k, title in enumerate(("Power / interest", "Salience", "Engagement")):
            tabs.set_title(k, title)
        return [self.summary, tabs]

    def refresh(self) -> None:
        people, unplaced = valid_rows(Stakeholder, self.form.value.get("stakeholders"))
        register = StakeholderRegister.model_construct(stakeholders=people)
        # Typing a strategy changes no picture: redraw only when what they show changes.
        shown = [s.model_dump(include=_DRAWN) for s in people]
        if shown != self._drawn:
            redraw(self.grid, power_interest_grid(register))
            redraw(self.engagement, engagement_chart(register))
            self._drawn = shown
        self.salience.value = _salience_table(register.stakeholders)
        self.summary.value = _summary(register.stakeholders, unplaced)

    def draft(self) -> dict[str, Any]:
        s = self.scenario
        if s is None:
            return {"stakeholders": []}
        # What the brief tells every learner on day one; the analysis is theirs to write.
        return {
            "stakeholders": [
                {
                    "id": p.id,
                    "name": p.name,
                    "position": p.position,
                    "power": p.power,
                    "interest": p.interest,
                    "attitude": p.attitude,
                }
                for p in s.stakeholders
            ]
        }


def _summary(people: Sequence[Stakeholder], unplaced: Sequence[str]) -> str:
    counts = {q: sum(s.quadrant == q for s in people) for q in _QUADRANTS}
    moving = sum(s.engagement_current != s.engagement_desired for s in people)
    # High power is the model's: the two upper quadrants.
    no_strategy = [s.name for s in people if s.quadrant in _HIGH_POWER and not s.strategy.strip()]
    rows = [
        ("Stakeholders", str(len(people))),
        *((q.capitalize(), str(n)) for q, n in counts.items()),
        ("To move (engagement)", str(moving)),
    ]
    if no_strategy:
        rows.append(("High power, no strategy yet", html.escape(", ".join(no_strategy))))
    text = _table(rows)
    if unplaced:
        text += (
            "<div style='color: var(--jp-warn-color0, #e65100)'>Not on the pictures "
            "until their fields are fixed: " + html.escape(", ".join(unplaced)) + "</div>"
        )
    return f"<div style='color: var(--jp-ui-font-color1)'>{text}</div>"


def _salience_table(people: Sequence[Stakeholder]) -> str:
    if not people:
        return (
            "<div style='color: var(--jp-ui-font-color1)'>No stakeholders yet: add them "
            "below.</div>"
        )
    head = "".join(
        f"<th style='{_CELL}'>{h}</th>"
        for h in ("Class", "Stakeholders", "Power", "Legitimacy", "Urgency")
    )
    body = ""
    for category in _SALIENCE_ORDER:
        members = [s for s in people if s.salience.category == category]
        if not members:
            continue
        sal = members[0].salience
        marks = "".join(
            f"<td style='{_CELL}'>{'✓' if flag else '–'}</td>"
            for flag in (sal.power, sal.legitimacy, sal.urgency)
        )
        names = ", ".join(html.escape(s.name) for s in members)
        body += (
            f"<tr><td style='{_CELL}'><b>{category}</b></td>"
            f"<td style='{_CELL}'>{names}</td>{marks}</tr>"
        )
    note = (
        "Salience (Mitchell, Agle &amp; Wood): tick power, legitimacy and urgency in "
        "each stakeholder's <i>Salience</i> below; one attribute makes a latent, two an "
        "expectant, three a definitive stakeholder."
    )
    return (
        f"<div style='color: var(--jp-ui-font-color1)'><table><tr>{head}</tr>{body}"
        f"</table><div style='font-size: 90%; margin-top: 4px'>{note}</div></div>"
    )


def _table(rows: Sequence[tuple[str, str]]) -> str:
    return (
        "<table>"
        + "".join(
            f"<tr><td style='padding-right: 1em'>{k}</td><td><b>{v}</b></td></tr>" for k, v in rows
        )
        + "</table>"
    )
