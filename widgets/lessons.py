"""The lessons-learned builder: the register, lessons per category, and gentle hints."""

from __future__ import annotations

import html
from collections import Counter
from functools import cache
from typing import Any

import ipywidgets as w

from livepmo.autograder.checks.closure import PLATITUDES
from livepmo.autograder.checks.closure import platitude as platitude_in
from livepmo.autograder.rubric import RubricError, load_rubric
from livepmo.deliverables import LessonsLearned
from livepmo.widgets._builder import Builder

_TEXT = "var(--jp-ui-font-color1)"
_MUTED = "var(--jp-ui-font-color2)"
_CLOSURE = "04-closure"
_SPECIFIC = "closure_lessons_specific"


class LessonsLearnedBuilder(Builder[LessonsLearned]):
    """Build the lessons-learned register (``lessons_learned.json``).

    The summary above the form counts the lessons per category and per phase, and those
    with an owner and with links to the risks, issues or changes they come from. A lesson
    that reads like a platitude gets a gentle hint; the test is the review's own (its
    patterns, from the closure rubric), so the hint and the review never disagree. The
    hint is advice: it does not stop a save, and the review alone grades.
    """

    MODEL = LessonsLearned

    def views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        self.hints = w.HTML()
        return [self.summary, self.hints]

    def refresh(self) -> None:
        lessons = [x for x in self.form.value.get("lessons", []) if isinstance(x, dict)]
        self.summary.value = _summary_html(lessons)
        found = _platitudes(lessons)
        self.hints.value = (
            ""
            if not found
            else (
                f"<div style='color: {_MUTED}'>"
                + "".join(
                    f"<div>💡 {html.escape(lid)} reads like a platitude (“{html.escape(hit)}”): "
                    "say what happened with its figure, date or id, and what the next project "
                    "will do differently, specifically enough to act on.</div>"
                    for lid, hit in found.items()
                )
                + "</div>"
            )
        )


def _platitudes(lessons: list[dict[str, Any]]) -> dict[str, str]:
    """The lessons (plain data) that read like a platitude: lesson id → the phrase found.

    Uses the review's patterns (the closure rubric's ``platitudes``, or the review's
    defaults) and the review's matcher.
    """
    patterns = _patterns()
    found: dict[str, str] = {}
    for i, lesson in enumerate(lessons):
        for field in ("recommendation", "what_happened"):
            text = lesson.get(field)
            hit = platitude_in(text, patterns) if isinstance(text, str) else None
            if hit:
                found[str(lesson.get("id") or f"#{i + 1}")] = hit
                break
    return found


@cache
def _patterns() -> tuple[str, ...]:
    # The rubric is data an instructor may change: read its patterns as the review does.
    try:
        rubric = load_rubric(_CLOSURE)
    except RubricError:
        return PLATITUDES
    for criterion in rubric.criteria:
        raw = criterion.params.get("platitudes") if criterion.check == _SPECIFIC else None
        if isinstance(raw, list):
            return tuple(str(p) for p in raw)
    return PLATITUDES


def _summary_html(lessons: list[dict[str, Any]]) -> str:
    if not lessons:
        return (
            f"<div style='color: {_TEXT}'>No lessons yet: go through the risks that "
            "occurred, the changes, the exceptions and the biggest estimate misses — each "
            "is a lesson with a recommendation.</div>"
        )
    categories = Counter(str(x.get("category") or "").strip() or "(no category)" for x in lessons)
    phases = Counter(str(x.get("phase") or "") for x in lessons)
    owned = sum(bool(str(x.get("owner") or "").strip()) for x in lessons)
    linked = sum(bool(x.get("links")) for x in lessons)
    rows = "".join(
        f"<tr><td style='padding-right: 1em'>{html.escape(c)}</td><td><b>{n}</b></td></tr>"
        for c, n in sorted(categories.items())
    )
    by_phase = " · ".join(f"{html.escape(p)} {n}" for p, n in phases.items())
    return (
        f"<div style='color: {_TEXT}'><b>{len(lessons)} lessons</b> — {owned} with an "
        f"owner, {linked} linked to a risk, issue or change<br>By phase: {by_phase}"
        f"<table style='color: {_TEXT}'><tr><th style='text-align: left'>Category</th>"
        f"<th>Lessons</th></tr>{rows}</table></div>"
    )
