"""The closure report: objectives against outcome, variances, acceptance and handover."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from livepmo.deliverables.base import (
    Deliverable,
    Flag,
    Id,
    Int,
    Items,
    Model,
    Money,
    Name,
    Rules,
    Text,
)


class ObjectiveOutcome(Model):
    objective: Id = Field(description="Id of the charter objective")
    outcome: Literal["met", "partly_met", "not_met"]
    evidence: Text = ""


class ChangeStatistics(Model):
    raised: Int = Field(default=0, ge=0)
    approved: Int = Field(default=0, ge=0)
    rejected: Int = Field(default=0, ge=0)
    deferred: Int = Field(default=0, ge=0)


class Acceptance(Model):
    deliverable: Name
    accepted: Flag
    accepted_by: str = Field(default="", max_length=200)
    date: dt.date | None = None


class Handover(Model):
    owner: Name
    support_model: Text = ""
    date: dt.date | None = None


class ClosureSignOff(Model):
    decision: Literal["approved", "approved_with_changes", "denied"]
    by: Name
    date: dt.date


class ClosureReport(Deliverable):
    """Closure report (PMBOK close project / PRINCE2 end project report)."""

    KIND = "closure_report"
    TITLE = "Closure report"

    summary: Text = Field(min_length=1)
    objectives: list[ObjectiveOutcome] = []
    planned_start: dt.date
    planned_finish: dt.date
    actual_start: dt.date
    actual_finish: dt.date
    planned_cost: Money
    actual_cost: Money
    variance_explanation: Text = ""
    changes: ChangeStatistics = ChangeStatistics()
    acceptance: list[Acceptance] = []
    handover: Handover | None = None
    open_items: Items = []
    lessons_summary: Text = ""
    sign_off: ClosureSignOff | None = None

    def _rules(self, rules: Rules) -> None:
        rules.unique([o.objective for o in self.objectives], "objectives", field="objective")
        rules.in_order(self.planned_start, self.planned_finish, "planned_finish", "planned_start")
        rules.in_order(self.actual_start, self.actual_finish, "actual_finish", "actual_start")
        c = self.changes
        if c.approved + c.rejected + c.deferred > c.raised:
            rules.add(
                "changes",
                f"{c.approved} approved + {c.rejected} rejected + {c.deferred} deferred "
                f"is more than the {c.raised} raised",
                "count every decided change request among those raised",
            )
        for i, a in enumerate(self.acceptance):
            if a.accepted and not a.accepted_by:
                rules.add(f"acceptance[{i}].accepted_by", "accepted, but not by anyone",
                          "name who accepted the deliverable")

    @property
    def cost_variance_pct(self) -> float | None:
        """(actual − planned) / planned, in percent; None without a planned cost."""
        if self.planned_cost == 0:
            return None
        return 100 * (self.actual_cost - self.planned_cost) / self.planned_cost

    def key_figures(self) -> dict[str, str]:
        pct = self.cost_variance_pct
        slip = (self.actual_finish - self.planned_finish).days
        return {
            "finish": f"{self.actual_finish} (planned {self.planned_finish}, {slip:+d} days)",
            "cost": f"{self.actual_cost:,.0f} (planned {self.planned_cost:,.0f}"
            + (f", {pct:+.1f}%)" if pct is not None else ")"),
            "objectives met": f"{sum(o.outcome == 'met' for o in self.objectives)}"
            f" of {len(self.objectives)}",
            "sign-off": self.sign_off.decision if self.sign_off else "not yet",
        }
