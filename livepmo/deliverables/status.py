"""Weekly status reports with the earned-value inputs of each period."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from livepmo.deliverables.base import (
    Deliverable,
    Float,
    Id,
    Int,
    Items,
    Model,
    Money,
    Name,
    Rules,
    Text,
)


class EvmInputs(Model):
    """Planned value, earned value and actual cost to date, and the budget at completion."""

    pv: Money
    ev: Money
    ac: Money
    bac: Money


class ReportedIndices(Model):
    """Figures the learner reports; the PMO review recomputes them from ``evm``."""

    cv: Float | None = Field(default=None, allow_inf_nan=False)
    sv: Float | None = Field(default=None, allow_inf_nan=False)
    cpi: Float | None = Field(default=None, allow_inf_nan=False)
    spi: Float | None = Field(default=None, allow_inf_nan=False)
    eac: Float | None = Field(default=None, allow_inf_nan=False)
    etc: Float | None = Field(default=None, allow_inf_nan=False)
    vac: Float | None = Field(default=None, allow_inf_nan=False)
    tcpi: Float | None = Field(default=None, allow_inf_nan=False)


class MilestoneStatus(Model):
    id: Id
    name: Name
    planned: date
    forecast: date | None = None
    actual: date | None = None
    status: Literal["not_started", "on_track", "at_risk", "late", "done"] = "on_track"


class StatusReport(Model):
    period: Int = Field(ge=1, le=1000, description="Reporting period (project week) number")
    period_start: date
    period_end: date
    narrative: Text = ""
    rag: Literal["red", "amber", "green"]
    milestones: list[MilestoneStatus] = []
    evm: EvmInputs
    percent_complete: dict[Id, Float] = Field(
        default={}, description="Physical % complete per activity id (0–100), for EV"
    )
    reported: ReportedIndices = ReportedIndices()
    variance_explanation: Text = ""
    top_risks: list[Id] = []
    issues: Items = []
    decisions_needed: Items = []


class StatusReports(Deliverable):
    """The project's status reports, one per period, oldest first."""

    KIND = "status_reports"
    TITLE = "Status reports"

    reports: list[StatusReport] = Field(default=[], max_length=1000)

    def _rules(self, rules: Rules) -> None:
        periods = [r.period for r in self.reports]
        rules.unique(periods, "reports", field="period")
        for i, r in enumerate(self.reports):
            here = f"reports[{i}]"
            rules.in_order(r.period_start, r.period_end, f"{here}.period_end", "period_start")
            # A repeated period is reported as a duplicate above, not as out of order too.
            if i and r.period < self.reports[i - 1].period:
                rules.add(
                    f"{here}.period",
                    f"period {r.period} comes after period {self.reports[i - 1].period}",
                    "keep reports in period order, oldest first",
                )
            for aid, pct in r.percent_complete.items():
                if not 0 <= pct <= 100:
                    rules.add(f"{here}.percent_complete.{aid}", f"{pct:g}% is not a percentage",
                              "use a value from 0 to 100")
            for field in ("pv", "ev"):
                value = getattr(r.evm, field)
                if value > r.evm.bac:
                    rules.add(
                        f"{here}.evm.{field}",
                        f"{field.upper()} {value:,.0f} exceeds BAC {r.evm.bac:,.0f}",
                        f"{field.upper()} is at most the budget at completion",
                    )

    def key_figures(self) -> dict[str, str]:
        if not self.reports:
            return {"reports": "0"}
        last = self.reports[-1]
        return {
            "reports": str(len(self.reports)),
            "latest period": str(last.period),
            "RAG": last.rag,
            "PV / EV / AC": f"{last.evm.pv:,.0f} / {last.evm.ev:,.0f} / {last.evm.ac:,.0f}",
            "BAC": f"{last.evm.bac:,.0f}",
        }
