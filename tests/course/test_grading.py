"""`livepmo grade`: parallel cohort grading against nbgrader's own serial autograde.

One cohort of submissions is graded twice, by `grade_submissions` (two worker processes,
private gradebooks merged into the course's) and by nbgrader's Python API one submission
after another in a second copy of the course; both gradebooks must agree cell by cell.
The cohort holds good and flawed work and the four kinds of bad submission.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest

from livepmo.autograder import Ledger
from livepmo.autograder.course import nbgrader_api, new_course, notebook_path, read_notebook
from livepmo.autograder.grading import (
    GradingError,
    SubmissionResult,
    grade_submissions,
    main,
    report_path,
)
from livepmo.autograder.mutations import all_mutations, mutate
from livepmo.deliverables import ProjectAssignment
from livepmo.storage import DeliverableStore

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]

GATE = "01-initiation"
SCENARIO, SEED = "erp-distributor", 0
REFERENCE = Path(__file__).resolve().parents[2] / "scenarios" / "reference" / SCENARIO / GATE
FLAW = next(m for m in all_mutations() if m.gate == GATE and m.decision == "rework")
#: A normal submission takes 5-15 s here; the sleeping one is stopped at this limit.
LIMIT = 45.0
SUBMITTED_AT = "2026-09-20 10:00:00.000000 UTC"

Edit = Callable[[nbformat.NotebookNode], None]


def _insert(code: str) -> Edit:
    def edit(nb: nbformat.NotebookNode) -> None:
        nb.cells.insert(4, nbformat.v4.new_code_cell(code))  # after open_project
    return edit


@dataclass(frozen=True)
class Learner:
    deliverables: str  # "reference", "flawed" or "none"
    notebook: str = "release"  # "release", "corrupt" or "none"
    edit: Edit | None = None


COHORT = {
    "ada": Learner("reference"),
    "bob": Learner("flawed"),
    "cy": Learner("none"),  # no deliverables at all: graded, scores little
    "dies": Learner("reference", edit=_insert("import os\nos._exit(1)")),
    "asleep": Learner("reference", edit=_insert("import time\ntime.sleep(600)")),
    "garbled": Learner("reference", notebook="corrupt"),
    "empty": Learner("reference", notebook="none"),
}


def _submit(root: Path, learner: str, spec: Learner) -> None:
    folder = root / "submitted" / learner / GATE
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text(SUBMITTED_AT)
    if spec.notebook == "release":
        nb = read_notebook(notebook_path(root, GATE, "release"))
        if spec.edit is not None:
            spec.edit(nb)
        nbformat.write(nb, folder / f"{GATE}.ipynb")
    elif spec.notebook == "corrupt":
        (folder / f"{GATE}.ipynb").write_text('{"cells": [ this is not JSON')
    target = folder / "deliverables"
    if spec.deliverables == "reference":
        shutil.copytree(REFERENCE, target)
    elif spec.deliverables == "flawed":
        mutate(FLAW, REFERENCE, target)
    if spec.deliverables != "none":
        DeliverableStore(target).save(ProjectAssignment(
            scenario=SCENARIO, seed=SEED, learner=learner, assigned_on=dt.date(2026, 9, 7)))


@dataclass
class Graded:
    ours: Path
    theirs: Path
    results: dict[str, SubmissionResult]
    ledger: Ledger


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    base = tmp_path_factory.mktemp("grading")
    theirs = new_course(base / "theirs")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        api = nbgrader_api(theirs)
        assert api.generate_assignment(GATE)["success"]
        for learner, spec in COHORT.items():
            _submit(theirs, learner, spec)
        # Ours starts without a gradebook: `grade` must generate the assignment itself.
        ours = base / "ours"
        shutil.copytree(theirs, ours, ignore=shutil.ignore_patterns(
            "gradebook.db", "release", "nbgrader.log"))
        ledger = Ledger(base / "ledger.db")
        results = grade_submissions(GATE, ours, workers=2, timeout=LIMIT, ledger=ledger,
                                    progress=False)
        # nbgrader's own serial autograde; the looping submission is left out: nbgrader
        # has no per-submission limit (only its 120 s per cell).
        for learner in COHORT:
            if learner != "asleep":
                api.autograde(GATE, learner)
    return Graded(ours, theirs, {r.learner: r for r in results}, ledger)


def _gradebook(root: Path) -> dict[str, Any]:
    """Everything autograde writes to a gradebook, by learner and cell name."""
    from nbgrader.api import Gradebook, MissingEntry

    state: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            for learner in COHORT:
                try:
                    sub = gb.find_submission(GATE, learner)
                except MissingEntry:
                    state[learner] = None
                    continue
                state[learner] = {
                    "timestamp": sub.timestamp, "score": sub.score,
                    "max_score": sub.max_score, "needs_manual_grade": sub.needs_manual_grade,
                    "notebooks": {nb.name: {
                        "late_submission_penalty": nb.late_submission_penalty,
                        "grades": {g.name: (g.auto_score, g.manual_score, g.score,
                                            g.max_score, g.needs_manual_grade)
                                   for g in nb.grades},
                        "comments": {c.name: c.auto_comment for c in nb.comments},
                    } for nb in sub.notebooks},
                }
    return state


def test_scores_are_those_of_nbgrader_serial_autograde_cell_by_cell(graded: Graded) -> None:
    ours, theirs = _gradebook(graded.ours), _gradebook(graded.theirs)
    for learner in COHORT:
        if learner != "asleep":
            assert ours[learner] == theirs[learner], learner
    assert ours["ada"]["score"] == 100  # and the comparison is not vacuous
    assert 0 < ours["bob"]["score"] < ours["ada"]["score"]
    assert ours["cy"]["score"] < 30


def test_the_autograded_folders_are_nbgraders(graded: Graded) -> None:
    for learner in ("ada", "bob", "cy"):
        files = [sorted(p.relative_to(root / "autograded" / learner).as_posix()
                        for p in (root / "autograded" / learner).rglob("*"))
                 for root in (graded.ours, graded.theirs)]
        assert files[0] == files[1], learner
    for learner in ("dies", "garbled", "asleep", "empty"):
        assert not (graded.ours / "autograded" / learner).exists()


def test_bad_submissions_are_recorded_with_their_reasons(graded: Graded) -> None:
    r = graded.results
    assert {k: v.status for k, v in r.items()} == {
        "ada": "graded", "bob": "graded", "cy": "graded", "dies": "kernel died",
        "asleep": "timeout", "garbled": "corrupt", "empty": "missing"}
    assert "kernel died" in r["dies"].reason and "DeadKernelError" in r["dies"].reason
    assert f"{LIMIT:g} s" in r["asleep"].reason
    assert "not a notebook" in r["garbled"].reason and "JSON" in r["garbled"].reason
    assert f"{GATE}.ipynb" in r["empty"].reason
    report = json.loads(report_path(graded.ours, GATE).read_text(encoding="utf-8"))
    assert {s["learner"]: (s["status"], s["reason"]) for s in report["submissions"]} == {
        k: (v.status, v.reason) for k, v in r.items()}
    assert report["counts"] == {"graded": 3, "kernel died": 1, "timeout": 1, "corrupt": 1,
                                "missing": 1}


def test_a_timed_out_submission_is_left_to_the_grader_without_scores(graded: Graded) -> None:
    asleep = _gradebook(graded.ours)["asleep"]
    assert asleep["timestamp"] == _gradebook(graded.ours)["ada"]["timestamp"]
    grades = asleep["notebooks"][GATE]["grades"]
    assert all(auto is None and needs_grade for auto, _, _, _, needs_grade in grades.values())
    assert graded.results["asleep"].score == 0


def test_a_stopped_worker_leaves_no_kernel_running(graded: Graded) -> None:
    def inside(proc: Path) -> bool:
        try:
            return proc.name.isdigit() and (proc / "cwd").resolve().is_relative_to(graded.ours)
        except OSError:
            return False

    deadline = time.monotonic() + 10  # a kernel polls its parent once a second
    while (left := [p for p in Path("/proc").iterdir() if inside(p)]) and \
            time.monotonic() < deadline:
        time.sleep(0.5)
    assert left == []
    assert not list((graded.ours / "grading").glob(".work-*"))


def test_reviews_of_graded_submissions_go_to_the_ledger(graded: Graded) -> None:
    assert graded.results["ada"].decision == "approved"
    assert graded.results["bob"].decision == FLAW.decision
    assert [a.decision for a in graded.ledger.attempts("bob", GATE)] == [FLAW.decision]
    assert graded.ledger.attempts("dies", GATE) == []


def test_feedback_can_be_generated_after_grading(graded: Graded) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        api = nbgrader_api(graded.ours)
        assert api.generate_feedback(GATE, "bob")["success"]
    page = (graded.ours / "feedback" / "bob" / GATE / f"{GATE}.html").read_text(
        encoding="utf-8")
    assert "rework" in page.lower() and "BEGIN HIDDEN TESTS" not in page


def test_the_command_skips_graded_work_and_exits_1_on_bad_submissions(
    graded: Graded, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    course = tmp_path / "course"
    shutil.copytree(graded.ours, course)
    shutil.rmtree(course / "submitted" / "asleep")  # its time limit was tested above
    assert main(gate=GATE, course=course, workers=2, timeout=LIMIT) == 1
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines[0].split() == ["learner", "status", "score", "max", "seconds", "reason"]
    rows = {line.split()[0]: line for line in lines[2:]}
    assert "skipped" in rows["ada"] and "100" in rows["ada"]
    assert "kernel died" in rows["dies"] and "missing" in rows["empty"]
    assert "3 up to date" in out.err and "3 bad" in out.err


def test_a_resubmission_round_grades_only_its_learners_and_keeps_the_report(
    graded: Graded, tmp_path: Path,
) -> None:
    course = tmp_path / "course"
    shutil.copytree(graded.ours, course)
    again = grade_submissions(GATE, course, workers=1, learners=["garbled"], progress=False)
    assert [(r.learner, r.status) for r in again] == [("garbled", "corrupt")]
    report = json.loads(report_path(course, GATE).read_text(encoding="utf-8"))
    assert [s["learner"] for s in report["submissions"]] == sorted(COHORT)
    with pytest.raises(GradingError, match="nobody"):
        grade_submissions(GATE, course, learners=["nobody"], progress=False)


def test_an_unknown_gate_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(gate="05-celebration", course=tmp_path) == 2
    assert "unknown gate" in capsys.readouterr().err
