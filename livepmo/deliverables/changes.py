"""Change requests and the change log: submit → log → assess → CCB → update → close."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Literal

from pydantic import Field

from livepmo.deliverables.base import (
    Deliverable,
    Float,
    Id,
    Int,
    Items,
    Model,
    Name,
    Rules,
    Text,
)


class Impact(Model):
    """Assessed impact; schedule and cost are the numbers the grader recomputes."""

    scope: Text = ""
    schedule_days: Int = Field(
        default=0, ge=-10_000, le=10_000,
        description="Working days the project finish moves (negative: earlier)",
    )
    cost: Float = Field(default=0, allow_inf_nan=False, ge=-1e12, le=1e12)
    resources: Text = ""
    risk: Text = ""
    quality: Text = ""
    affected_activities: list[Id] = []


class CcbDecision(Model):
    """The change-control board's decision."""

    outcome: Literal["approve", "reject", "defer", "more_information"]
    date: dt.date
    by: Name
    rationale: Text = ""


class ChangeRequest(Model):
    id: Id
    raised: dt.date
    requester: Name
    title: Name
    description: Text = Field(min_length=1)
    justification: Text = ""
    impact_of_not_changing: Text = ""
    alternatives: Items = []
    impact: Impact | None = None
    recommendation: Text = ""
    status: Literal[
        "submitted", "logged", "assessed", "decided", "implemented", "closed"
    ] = "submitted"
    decision: CcbDecision | None = None
    budget_change: Float | None = Field(
        default=None, ge=-1e12, le=1e12,
        description="Change to the approved budget if approved (negative: a saving)",
    )


class ChangeLog(Deliverable):
    """Every change request of the project, in the order raised."""

    KIND = "change_log"
    TITLE = "Change log"

    requests: list[ChangeRequest] = Field(default=[], max_length=1000)

    def _rules(self, rules: Rules) -> None:
        rules.unique([c.id for c in self.requests], "requests")
        for i, c in enumerate(self.requests):
            if c.decision is not None:
                rules.in_order(c.raised, c.decision.date, f"requests[{i}].decision.date", "raised")
            elif c.status in ("decided", "implemented", "closed"):
                rules.add(
                    f"requests[{i}].decision",
                    f"status is {c.status!r} but no CCB decision is recorded",
                    "record the decision (outcome, date, by) or set an earlier status",
                )

    def key_figures(self) -> dict[str, str]:
        outcomes = Counter(c.decision.outcome if c.decision else "open" for c in self.requests)
        return {
            "change requests": str(len(self.requests)),
            **{outcome: str(n) for outcome, n in sorted(outcomes.items())},
        }
