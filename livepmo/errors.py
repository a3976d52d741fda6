"""The exceptions livepmo raises: each carries the facts a caller needs to act."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (field path), what, and how to fix it."""

    path: str
    message: str
    fix: str

    def render(self, file: str | Path | None = None) -> str:
        """``file: field.path: message (how to fix)``; parts that are unknown are left out."""
        head = [str(file)] if file is not None else []
        if self.path:
            head.append(self.path)
        text = f"{self.message} ({self.fix})" if self.fix else self.message
        return ": ".join([*head, text])


class LivepmoError(Exception):
    """Base of every error livepmo raises on purpose."""


class DeliverableError(LivepmoError):
    """A deliverable file or object is invalid; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem], file: str | Path | None = None) -> None:
        self.problems = list(problems)
        self.file = file
        super().__init__("\n".join(p.render(file) for p in self.problems))

    def with_file(self, file: str | Path) -> DeliverableError:
        """The same problems, attributed to ``file``."""
        return DeliverableError(self.problems, file)
