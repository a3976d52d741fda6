"""The PMO review: rubric-as-data checks, gate decisions, memos and the rework ledger."""

from __future__ import annotations

from livepmo.autograder.ledger import Changes, Ledger
from livepmo.autograder.memo import memo_html, memo_markdown
from livepmo.autograder.review import BoardQuestion, Review, review
from livepmo.autograder.rubric import GATES, Rubric, RubricError, load_rubric
from livepmo.autograder.selfcheck import self_check

__all__ = [
    "GATES",
    "BoardQuestion",
    "Changes",
    "Ledger",
    "Review",
    "Rubric",
    "RubricError",
    "load_rubric",
    "memo_html",
    "memo_markdown",
    "review",
    "self_check",
]
