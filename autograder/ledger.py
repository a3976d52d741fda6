"""The review ledger: every review of every learner at every gate, kept in SQLite.

A resubmission's memo is built from the ledger: which findings the new attempt resolved,
which are new and which are still open.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from livepmo.autograder.review import Review

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY,
    learner TEXT NOT NULL,
    gate TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    reviewed_at TEXT NOT NULL,
    decision TEXT NOT NULL,
    score REAL NOT NULL,
    total REAL NOT NULL,
    scenario TEXT,
    seed INTEGER,
    UNIQUE (learner, gate, attempt)
);
CREATE TABLE IF NOT EXISTS findings (
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    criterion TEXT NOT NULL,
    severity TEXT NOT NULL,
    points REAL NOT NULL,
    score REAL NOT NULL,
    met INTEGER NOT NULL,
    message TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Changes:
    """What changed between a learner's previous attempt at a gate and this one."""

    previous_attempt: int
    resolved: tuple[str, ...]
    new: tuple[str, ...]
    still_open: tuple[str, ...]


@dataclass(frozen=True)
class Attempt:
    """One recorded review."""

    attempt: int
    reviewed_at: str
    decision: str
    score: float
    open_criteria: tuple[str, ...]


@dataclass(frozen=True)
class Recorded:
    """One row of the ledger's history: a learner's attempt at a gate and its outcome."""

    learner: str
    gate: str
    attempt: int
    decision: str
    score: float
    total: float
    scenario: str | None
    open_criteria: tuple[str, ...]


class Ledger:
    """The review ledger in one SQLite file (created on first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    def record(self, learner: str, review: Review) -> tuple[int, Changes | None]:
        """Keep a review as the learner's next attempt; returns it and what changed."""
        previous = self.attempts(learner, review.gate)
        attempt = previous[-1].attempt + 1 if previous else 1
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as db:  # one transaction: the review and its findings
            cur = db.execute(
                "INSERT INTO reviews (learner, gate, attempt, reviewed_at, decision, score, "
                "total, scenario, seed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (learner, review.gate, attempt, now, review.decision, review.score,
                 review.total_points, review.scenario, review.seed),
            )
            db.executemany(
                "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(cur.lastrowid, f.criterion, f.severity, f.points, f.score, int(f.met),
                  f.message) for f in review.findings],
            )
        return attempt, (changes(previous[-1], review) if previous else None)

    def attempts(self, learner: str, gate: str) -> list[Attempt]:
        """Every recorded attempt of a learner at a gate, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT r.attempt, r.reviewed_at, r.decision, r.score, group_concat("
                "CASE WHEN f.met = 0 THEN f.criterion END) FROM reviews r LEFT JOIN findings f "
                "ON f.review_id = r.id WHERE r.learner = ? AND r.gate = ? "
                "GROUP BY r.id ORDER BY r.attempt",
                (learner, gate),
            ).fetchall()
        return [
            Attempt(a, at, d, s, tuple(sorted(o.split(","))) if o else ())
            for a, at, d, s, o in rows
        ]

    def history(self) -> list[Recorded]:
        """Every recorded review of every learner, by learner, gate and attempt."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT r.learner, r.gate, r.attempt, r.decision, r.score, r.total, "
                "r.scenario, group_concat(CASE WHEN f.met = 0 THEN f.criterion END) "
                "FROM reviews r LEFT JOIN findings f ON f.review_id = r.id "
                "GROUP BY r.id ORDER BY r.learner, r.gate, r.attempt",
            ).fetchall()
        return [
            Recorded(learner, gate, attempt, decision, score, total, scenario,
                    tuple(sorted(o.split(","))) if o else ())
            for learner, gate, attempt, decision, score, total, scenario, o in rows
        ]

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)


def changes(previous: Attempt, review: Review) -> Changes:
    """Resolved, new and still-open criteria between an attempt and a new review."""
    before = set(previous.open_criteria)
    now = {f.criterion for f in review.findings if not f.met}
    return Changes(
        previous_attempt=previous.attempt,
        resolved=tuple(sorted(before - now)),
        new=tuple(sorted(now - before)),
        still_open=tuple(sorted(before & now)),
    )
