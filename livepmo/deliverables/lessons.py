"""The lessons-learned register."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from livepmo.deliverables.base import Deliverable, Id, Model, Rules, Text


class Lesson(Model):
    id: Id
    phase: Literal["initiation", "planning", "execution", "closure"]
    category: str = Field(default="", max_length=100)
    what_happened: Text = Field(min_length=1)
    impact: Text = ""
    recommendation: Text = Field(min_length=1)
    owner: str = Field(default="", max_length=200)
    links: list[Id] = Field(default=[], description="Risk, issue or change ids it relates to")


class LessonsLearned(Deliverable):
    """What the project learned, each lesson with a recommendation and an owner."""

    KIND = "lessons_learned"
    TITLE = "Lessons-learned register"

    lessons: list[Lesson] = Field(default=[], max_length=500)

    def _rules(self, rules: Rules) -> None:
        rules.unique([lesson.id for lesson in self.lessons], "lessons")

    def key_figures(self) -> dict[str, str]:
        return {
            "lessons": str(len(self.lessons)),
            "with owner": str(sum(bool(lesson.owner) for lesson in self.lessons)),
        }
