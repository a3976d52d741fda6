"""The errors the execution simulation raises: each says what was wrong and how to fix it."""

from __future__ import annotations

from livepmo.errors import LivepmoError


class DecisionError(LivepmoError):
    """A decision the simulation cannot take; the decision log is left unchanged.

    ``decision_id`` names the decision, ``reason`` says why it is invalid at this point
    of the project and ``fix`` how to put it right (valid ids, the allowed range, ...).
    """

    def __init__(self, decision_id: str, reason: str, fix: str) -> None:
        self.decision_id = decision_id
        self.reason = reason
        self.fix = fix
        super().__init__(f"decision {decision_id!r}: {reason} ({fix})")


class SimulationError(LivepmoError):
    """The simulation cannot run with these inputs, or was asked for what it cannot give."""

    def __init__(self, message: str, *, fix: str) -> None:
        self.fix = fix
        super().__init__(f"{message} ({fix})")
