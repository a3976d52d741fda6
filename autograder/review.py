"""The PMO review: one engine for the self-check, nbgrader, batch validation and the demo.

A review runs every criterion of the gate's rubric over the learner's deliverables, the
scenario and the recomputed maths, decides the gate by documented rules and asks the
board's questions.

Decision rules, in order:

1. **stop** — a criterion marked ``stop_on_fail`` was assessed and is not met: the
   business case no longer holds, so the project should not go on.
2. **rework** — a blocking criterion is not fully met, or the total score is below the
   rubric's ``rework_below``.
3. **approved with conditions** — a major criterion is not fully met; each becomes a
   condition to meet before the next gate.
4. **approved** — otherwise; minor findings are feedback.
"""

from __future__ import annotations

import gc
import json
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from livepmo.autograder.checks import CHECKS, Context, Missing
from livepmo.autograder.findings import Evidence, Finding, Outcome
from livepmo.autograder.rubric import Criterion, Rubric, load_rubric
from livepmo.scenarios.schema import Scenario

Decision = Literal["approved", "approved_with_conditions", "rework", "stop"]
_RANK = {"blocking": 0, "major": 1, "minor": 2}


@dataclass(frozen=True)
class BoardQuestion:
    """A question the PMO board asks at the gate presentation, and what prompted it."""

    criterion: str
    question: str
    prompted_by: str


@dataclass(frozen=True)
class GroupScore:
    """The score of one group of criteria (one autograded cell of the gate notebook)."""

    id: str
    title: str
    score: float
    points: float


@dataclass(frozen=True)
class Review:
    """The outcome of reviewing one gate."""

    gate: str
    title: str
    decision: Decision
    score: float
    total_points: float
    rework_below: float
    findings: tuple[Finding, ...]
    conditions: tuple[str, ...]
    questions: tuple[BoardQuestion, ...]
    groups: tuple[GroupScore, ...] = ()
    scenario: str | None = None
    seed: int | None = None

    def group(self, group_id: str) -> GroupScore:
        """The score of a group of criteria, by id (KeyError naming the known ones)."""
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(f"no group {group_id!r} at {self.gate}; groups: "
                       + ", ".join(g.id for g in self.groups))

    @property
    def open_findings(self) -> tuple[Finding, ...]:
        """Criteria not fully met, most serious and weakest first."""
        return tuple(sorted((f for f in self.findings if not f.met),
                            key=lambda f: (_RANK[f.severity], f.share, f.criterion)))

    def to_json(self) -> dict[str, Any]:
        """Plain data (for JSON output, the ledger and nbgrader)."""
        data = asdict(self)
        data["findings"] = [{**asdict(f), "met": f.met} for f in self.findings]
        return data

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        # A notebook cell that returns a review shows its memo; the review's data travels
        # beside it, so batch checks read the outcome from an executed notebook.
        from livepmo.autograder.memo import memo_markdown

        return {"text/markdown": memo_markdown(self),
                REVIEW_MIME: json.loads(json.dumps(self.to_json(), default=str))}


#: The mime type of a review's JSON data in a notebook output.
REVIEW_MIME = "application/vnd.livepmo.review+json"


def review(
    gate: str,
    folder: str | Path,
    scenario: Scenario | None = None,
    rubric: Rubric | None = None,
) -> Review:
    """Review the deliverables in ``folder`` at ``gate``; never raises on bad deliverables."""
    with _collector_held_off():
        return _review(gate, Path(folder), scenario, rubric)


def _review(gate: str, folder: Path, scenario: Scenario | None, rubric: Rubric | None) -> Review:
    rubric = rubric if rubric is not None else load_rubric(gate)
    ctx = Context(gate, folder, scenario)
    findings = tuple(_assess(ctx, c) for c in rubric.criteria)
    score = round(sum(f.score for f in findings), 2)
    decision, conditions = _decide(rubric, findings, score)
    return Review(
        gate=gate,
        title=rubric.title,
        decision=decision,
        score=score,
        total_points=rubric.total_points,
        rework_below=rubric.rework_below,
        findings=findings,
        conditions=conditions,
        questions=_questions(rubric, findings),
        groups=_group_scores(rubric, findings),
        scenario=scenario.id if scenario else None,
        seed=scenario.seed if scenario else None,
    )


@contextmanager
def _collector_held_off() -> Iterator[None]:
    """Python's cyclic garbage collector off during a review.

    A review builds tens of thousands of containers (the deliverables' models, each
    week's status, ...) that reference counting frees; the collector, woken every 700 of
    them, would walk the living ones again and again: about a tenth of an execution
    review. It is back on once the review's working objects are gone (so its next round
    has little to walk), and collects any cycle they left.
    """
    if not gc.isenabled():  # someone else holds it off: theirs to turn back on
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def review_project(gate: str, folder: str | Path) -> Review:
    """Review a learner's folder on the scenario variant pinned in its ``project.json``.

    Without a readable ``project.json`` the review runs without a scenario, and its
    findings say so (with the other problems of the folder). Used wherever a review runs
    on handed-in work: the notebook's autograded cells and cohort grading.
    """
    from livepmo.deliverables import ProjectAssignment
    from livepmo.errors import LivepmoError
    from livepmo.scenarios import load_scenario
    from livepmo.storage import DeliverableStore

    try:
        assignment = DeliverableStore(folder).load(ProjectAssignment)
    except LivepmoError:
        assignment = None  # the review reports a broken project.json with the others
    scenario = None if assignment is None else load_scenario(assignment.scenario,
                                                             assignment.seed)
    return review(gate, folder, scenario)


def _group_scores(rubric: Rubric, findings: tuple[Finding, ...]) -> tuple[GroupScore, ...]:
    by_id = {f.criterion: f.score for f in findings}
    return tuple(
        GroupScore(g.id, g.title, round(sum(by_id[c] for c in g.criteria), 2),
                   rubric.points_of(g))
        for g in rubric.grouped()
    )


def _assess(ctx: Context, criterion: Criterion) -> Finding:
    unassessed = False
    try:
        outcome = CHECKS[criterion.check](ctx, criterion.params)
    except Missing as missing:
        unassessed = True
        outcome = Outcome(0.0, str(missing), missing.fix, (Evidence(missing.artifact),),
                          {"artifact": missing.artifact.replace("_", " ")})
    except Exception as exc:  # one faulty check must not sink the whole review
        outcome = Outcome(
            0.0,
            f"the check {criterion.check!r} could not assess this submission "
            f"({type(exc).__name__}: {exc})",
            "tell your instructor: this is a fault of the review, not of your work",
        )
    share = min(max(outcome.score, 0.0), 1.0)
    return Finding(
        criterion=criterion.id,
        title=criterion.title,
        severity=criterion.severity,
        points=criterion.points,
        score=round(criterion.points * share, 2),
        message=outcome.message,
        fix=outcome.fix or criterion.feedback,
        evidence=outcome.evidence,
        facts=dict(outcome.facts),
        unassessed=unassessed,
    )


def _decide(
    rubric: Rubric, findings: tuple[Finding, ...], score: float
) -> tuple[Decision, tuple[str, ...]]:
    stop = {c.id for c in rubric.criteria if c.stop_on_fail}
    open_ = [f for f in findings if not f.met]
    # Only a business case assessed and found broken stops a project; one that could not
    # be assessed (its deliverable missing) sends the work back instead.
    if any(f.criterion in stop and not f.unassessed for f in open_):
        return "stop", ()
    if any(f.severity == "blocking" for f in open_) or score < rubric.rework_below:
        return "rework", ()
    conditions = tuple(f"{f.criterion} {f.title}: {f.fix}" for f in open_
                       if f.severity == "major")
    return ("approved_with_conditions", conditions) if conditions else ("approved", ())


def _questions(rubric: Rubric, findings: tuple[Finding, ...]) -> tuple[BoardQuestion, ...]:
    """3–5 questions, from the weakest findings first; met criteria fill up to three."""
    by_id = {c.id: c for c in rubric.criteria}
    order = sorted(findings, key=lambda f: (f.met, _RANK[f.severity], f.share, f.criterion))
    asked: list[BoardQuestion] = []
    for f in order:
        if len(asked) == 5 or (f.met and len(asked) >= 3):
            break
        template = (
            "The {artifact} is missing or invalid: when will the board see it, and who "
            "signs it off?"
            if f.unassessed
            else by_id[f.criterion].question
        )
        text = _fill(template, f.facts)
        if text is None or any(q.question == text for q in asked):
            continue
        prompted = f.message or "; ".join(f"{k} = {v}" for k, v in f.facts.items())
        asked.append(BoardQuestion(f.criterion, text, prompted or f.title))
    return tuple(asked)


def _fill(template: str, facts: Mapping[str, str]) -> str | None:
    """The template with its {fact} fields filled, or None when a fact is missing."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if not names <= facts.keys():
        return None
    return template.format_map(facts)
