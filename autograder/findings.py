"""What a review finds: each criterion's outcome, with evidence and the fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["blocking", "major", "minor"]


@dataclass(frozen=True)
class Evidence:
    """Where a finding comes from: the deliverable, the field path and what was there."""

    artifact: str
    path: str = ""
    values: str = ""

    def render(self) -> str:
        where = f"{self.artifact}.json" + (f": {self.path}" if self.path else "")
        return f"{where} = {self.values}" if self.values else where


@dataclass(frozen=True)
class Outcome:
    """What a check returns: the share of the criterion met, and why not all of it.

    ``score`` is 0–1. ``facts`` are the values a board question is filled in with (the
    rubric's ``question`` template names them in braces).
    """

    score: float
    message: str = ""
    fix: str = ""
    evidence: tuple[Evidence, ...] = ()
    facts: dict[str, str] = field(default_factory=dict)

    @classmethod
    def met(cls, **facts: str) -> Outcome:
        """The criterion is fully met."""
        return cls(1.0, facts=facts)


@dataclass(frozen=True)
class Finding:
    """One criterion of a review: its outcome weighed by the rubric."""

    criterion: str
    title: str
    severity: Severity
    points: float
    score: float  # points earned
    message: str
    fix: str
    evidence: tuple[Evidence, ...]
    facts: dict[str, str]
    # The criterion could not be assessed: a deliverable it needs is missing or invalid.
    unassessed: bool = False

    @property
    def met(self) -> bool:
        """Fully met: no finding to act on."""
        return self.score >= self.points - 1e-9

    @property
    def share(self) -> float:
        """The share of the points earned, 0–1."""
        return self.score / self.points if self.points else 1.0
