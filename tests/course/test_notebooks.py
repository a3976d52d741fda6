"""The course notebooks: written from their description, thin, worth the rubric's points."""

from __future__ import annotations

import re

import nbformat
import pytest

from livepmo.autograder import GATES, load_rubric
from livepmo.autograder.course import (
    ASSIGNMENTS,
    COURSE,
    DEFENCE_POINTS,
    PRESENTATION_POINTS,
    graded_cells,
    notebook_path,
    notebooks,
)

# One call per cell: `name(...)` or `x = name(...)`, an import, or plain parameters.
ONE_CALL = re.compile(r"^(\w+ = )?[\w.]+\([^()]*\)$")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_committed_notebook_is_the_generated_one(assignment: str) -> None:
    committed = notebook_path(COURSE, assignment).read_text(encoding="utf-8")
    assert committed == nbformat.writes(notebooks()[assignment]) + "\n", (
        "regenerate with: livepmo course notebooks"
    )


@pytest.mark.parametrize("gate", GATES)
def test_test_cells_carry_the_rubric_groups_points(gate: str) -> None:
    rubric = load_rubric(gate)
    cells = {ref.grade_id: ref for ref in graded_cells(notebooks()[gate])}
    for group in rubric.grouped():
        assert cells[f"review-{group.id}"].role == "test"
        assert cells[f"review-{group.id}"].points == rubric.points_of(group)
    tests = [ref for ref in cells.values() if ref.role == "test"]
    assert sum(ref.points for ref in tests) == rubric.total_points
    assert cells["defence"].role == "answer" and cells["defence"].points == DEFENCE_POINTS
    assert cells["presentation-grade"].role == "task"
    assert cells["presentation-grade"].points == PRESENTATION_POINTS


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_code_cell_calls_one_function(assignment: str) -> None:
    for cell in notebooks()[assignment].cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        code = [ln for ln in cell.source.splitlines()
                if ln.strip() and not ln.startswith("#")]
        assert len(code) == 1, cell.source
        assert ONE_CALL.match(code[0]) or code[0].startswith("from livepmo."), code[0]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_notebook_has_papermill_parameters(assignment: str) -> None:
    (params,) = [c for c in notebooks()[assignment].cells
                 if "parameters" in c.metadata.get("tags", [])]
    for name in ("scenario_id", "seed", "deliverables"):
        assert re.search(rf"^{name} = ", params.source, re.M)
    assert "nbgrader" not in params.metadata  # the learner and papermill set it


@pytest.mark.parametrize("gate", GATES)
def test_each_gate_builds_its_rubric_deliverables(gate: str) -> None:
    sources = [c.source for c in notebooks()[gate].cells]
    for kind in load_rubric(gate).deliverables:
        assert f'project.build("{kind}")' in sources
