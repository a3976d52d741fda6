"""The execution decision log: what the learner decided, week by week.

The simulation replays this log (architecture decision 3); whether a decision is
possible in the scenario is checked there, the log itself only has to be well formed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from livepmo.deliverables.base import Deliverable, Float, Id, Int, Model, Rules, Text

DecisionType = Literal[
    "respond_to_event",
    "change_request",
    "crash",
    "fast_track",
    "add_resource",
    "release_resource",
    "mitigate_risk",
    "accept_risk",
    "escalate",
    "raise_exception",
]


class Decision(Model):
    id: Id
    week: Int = Field(ge=1, le=1000)
    type: DecisionType
    target: Id | None = Field(default=None, description="Activity, risk, event or change id")
    option: Id | None = Field(default=None, description="Chosen option, where one is offered")
    amount: Float | None = Field(default=None, allow_inf_nan=False, ge=-1e9, le=1e9)
    rationale: Text = ""


class DecisionLog(Deliverable):
    """Append-only log of execution decisions, in week order."""

    KIND = "decision_log"
    TITLE = "Decision log"

    decisions: list[Decision] = Field(default=[], max_length=5000)

    def _rules(self, rules: Rules) -> None:
        rules.unique([d.id for d in self.decisions], "decisions")
        for i in range(1, len(self.decisions)):
            before, d = self.decisions[i - 1], self.decisions[i]
            if d.week < before.week:
                rules.add(
                    f"decisions[{i}].week",
                    f"week {d.week} is logged after week {before.week}",
                    "the log is in week order: append new decisions at the end",
                )

    def key_figures(self) -> dict[str, str]:
        weeks = {d.week for d in self.decisions}
        return {"decisions": str(len(self.decisions)), "weeks with decisions": str(len(weeks))}
