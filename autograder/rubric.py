"""Rubrics as data: one YAML file per gate, validated on load.

An instructor changes a threshold (``params``), a weight (``points``), a severity or the
feedback text in ``rubrics/<gate>.yaml`` without touching code; a mistake is reported
with the file, the line and the key path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from livepmo.deliverables import KINDS
from livepmo.deliverables.base import Document, Flag, Float, Id, Model, Name, Rules, Text
from livepmo.deliverables.versions import pydantic_problems
from livepmo.errors import Problem
from livepmo.yamldata import DataFileError, locate, read_yaml

RUBRICS = Path(__file__).parent / "rubrics"
GATES = ("01-initiation", "02-planning", "03-execution", "04-closure")


class RubricError(DataFileError):
    """A rubric file is invalid; each problem names its line and key path."""


class Criterion(Model):
    id: Id
    title: Name
    checks: Text = Field(min_length=1, description="What is checked, for the learner")
    check: Name = Field(description="The registered check function")
    points: Float = Field(gt=0, le=1000)
    severity: Literal["blocking", "major", "minor"]
    params: dict[str, Any] = {}
    feedback: Text = Field(min_length=1, description="What good looks like")
    question: Text = Field(min_length=1, description="Board question; {fact} placeholders")
    stop_on_fail: Flag = False


class Group(Model):
    """Criteria graded together: one autograded test cell of the gate notebook each."""

    id: Id
    title: Name
    criteria: list[Id] = Field(min_length=1)


class Rubric(Document):
    gate: Literal["01-initiation", "02-planning", "03-execution", "04-closure"]
    title: Name
    total_points: Float = Field(gt=0, le=10_000)
    rework_below: Float = Field(ge=0, description="A total below this forces rework")
    deliverables: list[str] = Field(min_length=1)
    groups: list[Group] = Field(
        default=[], description="Partial-credit groups; none: one group of every criterion"
    )
    criteria: list[Criterion] = Field(min_length=1)

    def grouped(self) -> list[Group]:
        """The groups, or one group of every criterion when the rubric names none."""
        if self.groups:
            return list(self.groups)
        return [Group(id="pmo-review", title=self.title,
                      criteria=[c.id for c in self.criteria])]

    def points_of(self, group: Group) -> float:
        """The points a group is worth: the sum of its criteria's points."""
        points = {c.id: c.points for c in self.criteria}
        return sum(points[c] for c in group.criteria)

    def _rules(self, rules: Rules) -> None:
        # Imported here: the checks import the review context, which imports this module's
        # neighbours; the registry is complete once the package is imported.
        from livepmo.autograder.checks import CHECKS

        rules.unique([c.id for c in self.criteria], "criteria")
        for i, c in enumerate(self.criteria):
            if c.check not in CHECKS:
                rules.add(f"criteria[{i}].check", f"unknown check {c.check!r}",
                          "use one of: " + ", ".join(sorted(CHECKS)))
        total = sum(c.points for c in self.criteria)
        if abs(total - self.total_points) > 1e-6:
            rules.add("criteria", f"the criteria's points add up to {total:g}, not "
                      f"total_points {self.total_points:g}",
                      "change the points or total_points so they agree")
        self._group_rules(rules)
        if self.rework_below > self.total_points:
            rules.add("rework_below", "rework_below is more than total_points",
                      "use a threshold within the gate's points")
        for i, kind in enumerate(self.deliverables):
            if kind not in KINDS:
                rules.add(f"deliverables[{i}]", f"unknown deliverable kind {kind!r}",
                          "use one of: " + ", ".join(KINDS))


    def _group_rules(self, rules: Rules) -> None:
        if not self.groups:
            return
        rules.unique([g.id for g in self.groups], "groups")
        known = {c.id for c in self.criteria}
        placed: dict[str, str] = {}
        for i, g in enumerate(self.groups):
            for j, cid in enumerate(g.criteria):
                path = f"groups[{i}].criteria[{j}]"
                if cid not in known:
                    rules.add(path, f"unknown criterion {cid!r}",
                              "use a criterion id of this rubric")
                elif cid in placed:
                    rules.add(path, f"{cid} is already in group {placed[cid]!r}",
                              "put each criterion in one group")
                placed.setdefault(cid, g.id)
        missing = [c.id for c in self.criteria if c.id not in placed]
        if missing:
            rules.add("groups", f"criteria in no group: {', '.join(missing)}",
                      "add each criterion to one group")


def load_rubric(gate: str, folder: Path = RUBRICS) -> Rubric:
    """The rubric of ``gate`` (e.g. ``02-planning``), validated."""
    path = folder / f"{gate}.yaml"
    if not path.exists():
        raise RubricError(path, [Problem("", f"no rubric for gate {gate!r}",
                                         "use one of: " + ", ".join(GATES))], [None])
    data, text = read_yaml(path, RubricError)
    problems: list[Problem] = []
    try:
        rubric = Rubric.model_validate(data, context={"problems": problems})
    except ValidationError as exc:
        problems = pydantic_problems("rubric", exc)
    else:
        if rubric.gate != gate and not problems:
            problems.append(Problem("gate", f"gate {rubric.gate!r} in {path.name}",
                                    f"write gate: {gate}"))
        if not problems:
            return rubric
    raise locate(path, text, problems, RubricError)
