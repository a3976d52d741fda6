"""The course through real nbgrader: generate, submit, autograde, feedback (real kernels).

One gradebook is shared by the module: generating and grading cost seconds per
submission, and every test reads the outcome of the same cohort of submissions.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from livepmo.autograder import review
from livepmo.autograder.course import (
    missing_cells,
    nbgrader_api,
    new_course,
    notebook_path,
    read_notebook,
)
from livepmo.autograder.mutations import all_mutations, mutate
from livepmo.cli import main
from livepmo.deliverables import ProjectAssignment
from livepmo.scenarios import load_scenario
from livepmo.storage import DeliverableStore

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]

GATE = "01-initiation"
SCENARIO, SEED = "erp-distributor", 0
REFERENCE = Path(__file__).resolve().parents[2] / "scenarios" / "reference" / SCENARIO / GATE
TIMEOUT = 8  # seconds a cell may run before nbgrader interrupts it
FLAW = next(m for m in all_mutations() if m.gate == GATE and m.decision == "rework"
            and "I05" in m.expects)

NotebookEdit = Callable[[nbformat.NotebookNode], None]


def _loop_forever(nb: nbformat.NotebookNode) -> None:
    nb.cells.insert(3, nbformat.v4.new_code_cell("while True:\n    pass"))


def _edit_locked(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "review-charter":
            cell.source = "40.0  # full marks, surely"
        if grade_id == "intro":
            cell.source = "# My own gate"


def _delete_test(nb: nbformat.NotebookNode) -> None:
    nb.cells = [c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") != "review-charter"]


def _answer_defence(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "defence":
            cell.source = "We chose a phased go-live because the budget holds 12 % contingency."


#: learner id → (deliverables: "reference", "flawed" or "missing", notebook edit)
COHORT: dict[str, tuple[str, NotebookEdit | None]] = {
    "ref": ("reference", _answer_defence),
    "flawed": ("flawed", None),
    "missing": ("missing", None),
    "locked": ("reference", _edit_locked),
    "deleted": ("reference", _delete_test),
    "looping": ("reference", _loop_forever),
}


def _submit(root: Path, learner: str, deliverables: str, edit: NotebookEdit | None) -> None:
    folder = root / "submitted" / learner / GATE
    folder.mkdir(parents=True)
    nb = read_notebook(notebook_path(root, GATE, "release"))
    if edit is not None:
        edit(nb)
    nbformat.write(nb, folder / f"{GATE}.ipynb")
    target = folder / "deliverables"
    if deliverables == "reference":
        shutil.copytree(REFERENCE, target)
    elif deliverables == "flawed":
        mutate(FLAW, REFERENCE, target)
    DeliverableStore(target).save(ProjectAssignment(
        scenario=SCENARIO, seed=SEED, learner=learner, assigned_on=dt.date(2026, 9, 7)))


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any]]:
    root = new_course(tmp_path_factory.mktemp("course") / "course")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's SQLAlchemy SAWarning noise
        api = nbgrader_api(root, **{"Execute.timeout": TIMEOUT})
        result = api.generate_assignment(GATE)
        assert result["success"], result.get("log")
        for learner, (deliverables, edit) in COHORT.items():
            _submit(root, learner, deliverables, edit)
            result = api.autograde(GATE, learner)
            assert result["success"], result.get("log")
        yield root, api


def _grades(api: Any, learner: str) -> dict[str, tuple[float, float]]:
    """Per graded cell: (score, max score) as nbgrader recorded them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with api.gradebook as gb:
            nb = gb.find_submission_notebook(GATE, GATE, learner)
            return {g.name: (g.score, g.max_score) for g in nb.grades}


def _review(root: Path, learner: str) -> Any:
    folder = root / "autograded" / learner / GATE / "deliverables"
    return review(GATE, folder, load_scenario(SCENARIO, SEED))


@pytest.mark.parametrize("learner", ["ref", "flawed", "missing", "locked", "looping"])
def test_autograded_scores_agree_with_the_pmo_review(course: tuple[Path, Any],
                                                     learner: str) -> None:
    root, api = course
    grades = _grades(api, learner)
    result = _review(root, learner)
    for group in result.groups:
        score, max_score = grades[f"review-{group.id}"]
        assert (score, max_score) == pytest.approx((group.score, group.points)), group.id
    total = sum(grades[f"review-{g.id}"][0] for g in result.groups)
    assert total == pytest.approx(result.score, abs=0.05)


def test_a_reference_submission_earns_every_review_point(course: tuple[Path, Any]) -> None:
    _, api = course
    grades = _grades(api, "ref")
    assert sum(s for name, (s, _) in grades.items() if name.startswith("review-")) == 100


def test_a_flawed_submission_loses_the_points_of_its_flaw(course: tuple[Path, Any]) -> None:
    root, api = course
    result = _review(root, "flawed")
    assert result.decision == "rework"
    assert _grades(api, "flawed")["review-charter"][0] < 40


def test_missing_deliverables_score_little_and_are_still_graded(
    course: tuple[Path, Any],
) -> None:
    _, api = course
    grades = _grades(api, "missing")
    assert grades["review-complete"][0] == 0
    assert sum(s for name, (s, _) in grades.items() if name.startswith("review-")) < 30


def test_an_edited_locked_cell_is_restored_before_grading(course: tuple[Path, Any]) -> None:
    root, api = course
    assert _grades(api, "locked")["review-charter"][0] == _review(root, "locked") \
        .group("charter").score
    graded = read_notebook(root / "autograded" / "locked" / GATE / f"{GATE}.ipynb")
    sources = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in graded.cells}
    assert "40.0" not in sources["review-charter"]
    assert sources["intro"].startswith("# Gate 1")


def test_a_looping_cell_times_out_and_the_rest_is_graded(course: tuple[Path, Any]) -> None:
    root, api = course
    graded = read_notebook(root / "autograded" / "looping" / GATE / f"{GATE}.ipynb")
    loop = next(c for c in graded.cells if c.source.startswith("while True"))
    assert any(o.get("ename") == "CellTimeoutError" or "timeout" in json.dumps(o).lower()
               for o in loop.outputs)
    assert sum(s for name, (s, _) in _grades(api, "looping").items()
               if name.startswith("review-")) == 100


def test_a_deleted_test_cell_is_reported_by_our_check(course: tuple[Path, Any]) -> None:
    root, api = course
    # nbgrader alone: the cell is gone and silently worth nothing.
    assert _grades(api, "deleted")["review-charter"][0] == 0
    source = read_notebook(notebook_path(root, GATE))
    submitted = read_notebook(root / "submitted" / "deleted" / GATE / f"{GATE}.ipynb")
    assert [c.grade_id for c in missing_cells(source, submitted)] == ["review-charter"]
    intact = read_notebook(root / "submitted" / "ref" / GATE / f"{GATE}.ipynb")
    assert missing_cells(source, intact) == []


def test_the_course_check_reports_the_deleted_cell_by_learner(
    course: tuple[Path, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = course
    assert main(["course", "check", GATE, "--course", str(root)]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        "deleted: the test cell 'review-charter' (40 points) was deleted or its nbgrader "
        "metadata removed; nbgrader scores it 0 without a word"]
    assert f"{len(COHORT)} submission(s) checked, 1 with problems" in out.err


def test_feedback_has_the_memo_and_no_hidden_tests_tracebacks_or_solutions(
    course: tuple[Path, Any],
) -> None:
    root, api = course
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for learner in ("flawed", "looping"):
            assert api.generate_feedback(GATE, learner)["success"]
    for learner in ("flawed", "looping"):
        folder = root / "feedback" / learner / GATE
        page = (folder / f"{GATE}.html").read_text(encoding="utf-8")
        assert "Questions the board will ask" in page or "Board questions" in page
        assert "rework" in page.lower()
        assert "BEGIN HIDDEN TESTS" not in page and "pmo_score(" not in page
        assert "Traceback (most recent call last)" not in page
        assert "CellTimeoutError" not in page or "This cell stopped with an error" in page
        # Only what the learner handed in comes back: no reference deliverable.
        handed_in = root / "submitted" / learner / GATE / "deliverables"
        assert sorted(p.name for p in (folder / "deliverables").iterdir()) == sorted(
            p.name for p in handed_in.iterdir())


def test_the_release_holds_no_solution_and_no_reference_deliverable(
    course: tuple[Path, Any],
) -> None:
    root, _ = course
    files = sorted(p.relative_to(root / "release") for p in (root / "release").rglob("*")
                   if p.is_file())
    assert files == [Path(GATE) / f"{GATE}.ipynb"]
    text = (root / "release" / GATE / f"{GATE}.ipynb").read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" not in text and "pmo_score(" not in text


def test_the_autograded_notebook_keeps_its_outputs_but_no_widget_state(
    course: tuple[Path, Any],
) -> None:
    # Each plotly FigureWidget would store its JavaScript bundle in the notebook (16 MB a
    # gate notebook); neither nbgrader's views nor the feedback use the widget state.
    root, _ = course
    path = root / "autograded" / "ref" / GATE / f"{GATE}.ipynb"
    graded = read_notebook(path)
    assert "widgets" not in graded.metadata
    assert path.stat().st_size < 2**20
    shown = [o for c in graded.cells if c.cell_type == "code" for o in c.outputs
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert shown, "the builders' outputs are kept"
