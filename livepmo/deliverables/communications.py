"""The communications plan: who gets which information, how, how often, from whom."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import Field

from livepmo.deliverables.base import Deliverable, Id, Model, Name, Rules, Text

Frequency = Literal[
    "daily", "weekly", "fortnightly", "monthly", "quarterly", "per_gate", "per_event", "once"
]


class Communication(Model):
    id: Id
    audience: list[Id] = Field(min_length=1, description="Stakeholder ids it goes to")
    information: Text = Field(min_length=1, description="What is communicated")
    purpose: Text = ""
    channel: Name = Field(description="e.g. steering committee meeting, e-mail, intranet")
    frequency: Frequency
    owner: Name
    feedback: Text = Field(default="", description="How the audience answers back")


class CommunicationsPlan(Deliverable):
    """Communications management plan (PMBOK 10.1)."""

    KIND = "communications_plan"
    TITLE = "Communications plan"

    communications: list[Communication] = Field(default=[], max_length=500)

    def _rules(self, rules: Rules) -> None:
        rules.unique([c.id for c in self.communications], "communications")
        for i, c in enumerate(self.communications):
            for j, who in enumerate(c.audience):
                if who in c.audience[:j]:
                    rules.add(f"communications[{i}].audience[{j}]",
                              f"stakeholder {who!r} is listed twice", "list each audience once")

    def key_figures(self) -> dict[str, str]:
        by_frequency = Counter(c.frequency for c in self.communications)
        return {
            "communications": str(len(self.communications)),
            "audiences reached": str(len({a for c in self.communications for a in c.audience})),
            **{f: str(n) for f, n in sorted(by_frequency.items())},
        }
