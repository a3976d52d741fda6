"""The learner's self-check: the same review the PMO runs, before submitting."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from livepmo.autograder.ledger import Changes, Ledger
from livepmo.autograder.memo import memo_html, memo_markdown
from livepmo.autograder.review import Review, review
from livepmo.scenarios.schema import Scenario


@dataclass(frozen=True)
class SelfCheck:
    """A review with its memo; a notebook cell that returns it shows the memo."""

    review: Review
    attempt: int | None = None
    changes: Changes | None = None

    @property
    def markdown(self) -> str:
        return memo_markdown(self.review, self.changes)

    @property
    def html(self) -> str:
        return memo_html(self.review, self.changes)

    def _repr_markdown_(self) -> str:
        return self.markdown


def self_check(
    gate: str,
    folder: str | Path,
    scenario: Scenario | None = None,
    *,
    learner: str | None = None,
    ledger: str | Path | None = None,
) -> SelfCheck:
    """Review ``folder`` at ``gate``; with a learner and a ledger, record it as an attempt
    and say what changed since the previous one."""
    result = review(gate, folder, scenario)
    if learner is None or ledger is None:
        return SelfCheck(result)
    attempt, changes = Ledger(ledger).record(learner, result)
    return SelfCheck(result, attempt, changes)
