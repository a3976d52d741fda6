"""The stakeholder register: who cares, how much power they hold, how to engage them."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import Field

from livepmo.deliverables.base import Deliverable, Flag, Id, Int, Model, Name, Rules, Text

Scale5 = Field(ge=1, le=5)
Engagement = Literal["unaware", "resistant", "neutral", "supportive", "leading"]
Phase = Literal["initiation", "planning", "execution", "closure", "all"]


class Salience(Model):
    """Mitchell, Agle & Wood: three yes/no attributes."""

    power: Flag = False
    legitimacy: Flag = False
    urgency: Flag = False

    @property
    def category(self) -> str:
        """The salience class the three attributes give."""
        key = (self.power, self.legitimacy, self.urgency)
        return {
            (False, False, False): "non-stakeholder",
            (True, False, False): "dormant",
            (False, True, False): "discretionary",
            (False, False, True): "demanding",
            (True, True, False): "dominant",
            (True, False, True): "dangerous",
            (False, True, True): "dependent",
            (True, True, True): "definitive",
        }[key]


class Stakeholder(Model):
    id: Id
    name: Name
    position: Text = ""
    role: Text = ""
    contact: Text = ""
    requirements: Text = ""
    expectations: Text = ""
    influence: Text = ""
    phase_of_interest: Phase = "all"
    internal: Flag = True
    attitude: Literal["supporter", "neutral", "resistor"] = "neutral"
    power: Int = Scale5
    interest: Int = Scale5
    salience: Salience = Salience()
    engagement_current: Engagement = "neutral"
    engagement_desired: Engagement = "supportive"
    strategy: Text = ""

    @property
    def quadrant(self) -> str:
        """Power/interest grid quadrant (high means 4 or 5 on the 1–5 scale)."""
        high_power, high_interest = self.power >= 4, self.interest >= 4
        if high_power:
            return "manage closely" if high_interest else "keep satisfied"
        return "keep informed" if high_interest else "monitor"


class StakeholderRegister(Deliverable):
    """Stakeholder register with power/interest, salience and engagement."""

    KIND = "stakeholder_register"
    TITLE = "Stakeholder register"

    stakeholders: list[Stakeholder] = Field(default=[], max_length=500)

    def _rules(self, rules: Rules) -> None:
        rules.unique([s.id for s in self.stakeholders], "stakeholders")

    def key_figures(self) -> dict[str, str]:
        quadrants = Counter(s.quadrant for s in self.stakeholders)
        return {
            "stakeholders": str(len(self.stakeholders)),
            **{q: str(n) for q, n in sorted(quadrants.items())},
        }
