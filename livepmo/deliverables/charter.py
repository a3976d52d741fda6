"""The project charter: why the project exists, what it must achieve, who decides."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from livepmo.deliverables.base import (
    Currency,
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


class Objective(Model):
    """A measurable objective: a metric, a target and a date (SMART is judged at review)."""

    id: Id
    description: Text = Field(min_length=1)
    metric: Text = ""
    target: Text = ""
    due: dt.date | None = None
    success_criterion: Text = ""


class Scope(Model):
    in_scope: Items = []
    out_of_scope: Items = []


class Milestone(Model):
    id: Id
    name: Name
    date: dt.date


class Budget(Model):
    total: Money = Field(description="Approved budget including contingency")
    contingency: Money = 0
    currency: Currency = "EUR"


class Tolerances(Model):
    """How far the project may deviate before it must be escalated (PRINCE2 tolerances)."""

    time_days: Int = Field(
        ge=0, le=1000, description="Working days the finish may slip past target_finish"
    )
    cost_pct: Float = Field(
        ge=0, le=100,
        description="% the forecast cost may exceed the cost baseline (budget less contingency)",
    )
    scope: Text = ""
    quality: Text = ""
    risk: Text = ""
    benefits: Text = ""


class Authority(Model):
    """A person with a role on the project and the authority the charter grants them."""

    name: Name
    title: Text = ""
    authority: Text = ""


class SignOff(Model):
    name: Name
    date: dt.date
    decision: Literal["approved", "approved_with_changes", "rejected"]
    comment: Text = ""


class Charter(Deliverable):
    """Project charter (PMBOK 4.1 / PRINCE2 project brief)."""

    KIND = "charter"
    TITLE = "Project charter"

    project_name: Name
    purpose: Text = Field(min_length=1)
    business_case: Text = ""
    objectives: list[Objective] = Field(default=[], max_length=100)
    requirements: Items = []
    scope: Scope = Scope()
    key_deliverables: Items = []
    assumptions: Items = []
    constraints: Items = []
    high_level_risks: Items = []
    start_date: dt.date
    target_finish: dt.date
    milestones: list[Milestone] = Field(default=[], max_length=200)
    budget: Budget
    tolerances: Tolerances | None = None
    key_stakeholders: Items = []
    approval_criteria: Items = []
    project_manager: Authority
    sponsor: Authority
    sign_off: SignOff | None = None

    def _rules(self, rules: Rules) -> None:
        rules.unique([o.id for o in self.objectives], "objectives")
        rules.unique([m.id for m in self.milestones], "milestones")
        rules.in_order(self.start_date, self.target_finish, "target_finish", "start_date")
        for i, m in enumerate(self.milestones):
            rules.in_order(self.start_date, m.date, f"milestones[{i}].date", "start_date")
        if self.budget.contingency > self.budget.total:
            rules.add(
                "budget.contingency",
                f"contingency {self.budget.contingency:,.0f} exceeds the total budget "
                f"{self.budget.total:,.0f}",
                "contingency is part of the total: lower it or raise the total",
            )

    def key_figures(self) -> dict[str, str]:
        b = self.budget
        return {
            "project": self.project_name,
            "window": f"{self.start_date} → {self.target_finish}",
            "budget": f"{b.total:,.0f} {b.currency} (contingency {b.contingency:,.0f})",
            "objectives": str(len(self.objectives)),
            "milestones": str(len(self.milestones)),
            "signed off": self.sign_off.decision if self.sign_off else "not yet",
        }
