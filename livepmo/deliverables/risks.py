"""The risk register: threats and opportunities, scored on a 5×5 or PMBOK numeric scale."""

from __future__ import annotations

from collections import Counter
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

# PMBOK's numeric variant: probability and impact each take one of five values.
PMBOK_PROBABILITY = (0.1, 0.3, 0.5, 0.7, 0.9)
PMBOK_IMPACT = (0.05, 0.10, 0.20, 0.40, 0.80)
THREAT_STRATEGIES = ("avoid", "mitigate", "transfer", "accept", "escalate")
OPPORTUNITY_STRATEGIES = ("exploit", "enhance", "share", "accept", "escalate")

Strategy = Literal[
    "avoid", "mitigate", "transfer", "accept", "escalate", "exploit", "enhance", "share"
]
ImpactArea = Literal["cost", "schedule", "scope", "quality"]


class Statement(Model):
    """Cause → risk event → effect."""

    cause: Text = Field(min_length=1)
    event: Text = Field(min_length=1)
    effect: Text = Field(min_length=1)


class Response(Model):
    strategy: Strategy
    actions: Items = []


class Risk(Model):
    id: Id
    title: Name
    statement: Statement
    category: str = Field(default="", max_length=100)
    type: Literal["threat", "opportunity"] = "threat"
    probability: Float = Field(allow_inf_nan=False)
    impact: Float = Field(allow_inf_nan=False)
    impact_areas: list[ImpactArea] = []
    cost_impact: Money | None = Field(
        default=None, description="Money at stake if it occurs (for expected monetary value)"
    )
    schedule_impact_days: Int | None = Field(default=None, ge=0, le=10_000)
    response: Response | None = None
    trigger: Text = ""
    contingency: Text = ""
    owner: str = Field(default="", max_length=200)
    status: Literal["open", "occurred", "closed"] = "open"
    raised: date | None = None
    next_review: date | None = None


class RiskRegister(Deliverable):
    """Risk register; ``scale`` says how probability and impact are expressed."""

    KIND = "risk_register"
    TITLE = "Risk register"

    scale: Literal["5x5", "pmbok"] = "5x5"
    risks: list[Risk] = Field(default=[], max_length=1000)

    def _rules(self, rules: Rules) -> None:
        rules.unique([r.id for r in self.risks], "risks")
        for i, r in enumerate(self.risks):
            here = f"risks[{i}]"
            for field, value, allowed in (
                ("probability", r.probability, PMBOK_PROBABILITY),
                ("impact", r.impact, PMBOK_IMPACT),
            ):
                if self.scale == "5x5" and (value != int(value) or not 1 <= value <= 5):
                    rules.add(
                        f"{here}.{field}",
                        f"{field} {value:g} is not on the 5×5 scale",
                        "use a whole number from 1 to 5",
                    )
                if self.scale == "pmbok" and value not in allowed:
                    rules.add(
                        f"{here}.{field}",
                        f"{field} {value:g} is not on the PMBOK scale",
                        "use one of " + ", ".join(f"{v:g}" for v in allowed),
                    )
            strategies = THREAT_STRATEGIES if r.type == "threat" else OPPORTUNITY_STRATEGIES
            if r.response is not None and r.response.strategy not in strategies:
                rules.add(
                    f"{here}.response.strategy",
                    f"{r.response.strategy!r} is not a response to "
                    + ("a threat" if r.type == "threat" else "an opportunity"),
                    "use one of " + ", ".join(strategies),
                )
            rules.in_order(r.raised, r.next_review, f"{here}.next_review", "raised")

    def key_figures(self) -> dict[str, str]:
        kinds = Counter(r.type for r in self.risks)
        return {
            "risks": str(len(self.risks)),
            "threats": str(kinds["threat"]),
            "opportunities": str(kinds["opportunity"]),
            "without owner": str(sum(not r.owner for r in self.risks)),
            "scale": self.scale,
        }
