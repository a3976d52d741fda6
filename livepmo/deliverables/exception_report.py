"""PRINCE2 exception reports: raised when a tolerance breach is forecast."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from livepmo.deliverables.base import Deliverable, Float, Id, Int, Model, Name, Rules, Text

Tolerance = Literal["time", "cost", "scope", "quality", "risk", "benefits"]


class ExceptionOption(Model):
    id: Id
    description: Text = Field(min_length=1)
    effect_on_business_case: Text = ""
    effect_on_risks: Text = ""
    effect_on_tolerances: Text = ""
    cost: Float = Field(default=0, allow_inf_nan=False, ge=-1e12, le=1e12)
    schedule_days: Int = Field(default=0, ge=-10_000, le=10_000)


class ExceptionReport(Model):
    id: Id
    title: Name
    raised: date
    period: Int | None = Field(default=None, ge=1, le=1000)
    tolerances: list[Tolerance] = Field(min_length=1)
    forecast: Text = Field(min_length=1, description="What breach is forecast, with figures")
    cause: Text = Field(min_length=1)
    consequences: Text = ""
    options: list[ExceptionOption] = Field(default=[], max_length=20)
    recommendation: Id | None = Field(default=None, description="Id of the recommended option")
    lessons: Text = ""
    decision: Id | None = Field(default=None, description="Option the board chose, once decided")
    decided_on: date | None = None


class ExceptionReports(Deliverable):
    """Every exception report raised during execution."""

    KIND = "exception_reports"
    TITLE = "Exception reports"

    reports: list[ExceptionReport] = Field(default=[], max_length=200)

    def _rules(self, rules: Rules) -> None:
        rules.unique([r.id for r in self.reports], "reports")
        for i, r in enumerate(self.reports):
            rules.unique([o.id for o in r.options], f"reports[{i}].options")
            chosen = [
                (f"reports[{i}].{field}", value)
                for field, value in (("recommendation", r.recommendation), ("decision", r.decision))
                if value is not None
            ]
            rules.refs(chosen, {o.id for o in r.options}, "option")
            rules.in_order(r.raised, r.decided_on, f"reports[{i}].decided_on", "raised")
            if (r.decision is None) != (r.decided_on is None):
                rules.add(f"reports[{i}].decided_on" if r.decision else f"reports[{i}].decision",
                          "a board decision needs both the option and the date",
                          "set both decision and decided_on, or neither")

    def key_figures(self) -> dict[str, str]:
        return {
            "exception reports": str(len(self.reports)),
            "tolerances": ", ".join(sorted({t for r in self.reports for t in r.tolerances}))
            or "none",
        }
