"""What the notebook cells call: the project pinned once, carried forward, reviewed, presented."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from livepmo.deliverables import ProjectAssignment
from livepmo.notebook import ProjectError, open_project, pmo_review, pmo_score
from livepmo.storage import DeliverableStore
from livepmo.widgets import CharterBuilder, ReadinessPanel, builder_for

REFERENCE = Path(__file__).resolve().parents[2] / "scenarios" / "reference" / "wms-rollout"


def test_the_first_gate_pins_the_project(tmp_path: Path) -> None:
    folder = tmp_path / "01-initiation" / "deliverables"
    project = open_project("01-initiation", "wms-rollout", None, folder, learner="alice")
    saved = DeliverableStore(folder).load(ProjectAssignment)
    assert saved == project.assignment
    assert saved.scenario == "wms-rollout" and saved.learner == "alice"
    again = open_project("01-initiation", None, None, folder)  # a restart: the file decides
    assert again.assignment == saved
    other = open_project("01-initiation", "wms-rollout", None, tmp_path / "b", learner="bob")
    assert other.assignment.seed != saved.seed  # neighbours get different shocks


def test_parameters_that_contradict_the_pinned_project_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "deliverables"
    open_project("01-initiation", "wms-rollout", 3, folder, learner="alice")
    with pytest.raises(ProjectError, match="set scenario_id and seed to None"):
        open_project("01-initiation", "erp-distributor", None, folder)


def test_without_a_project_the_learner_is_told_where_to_choose_one(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="00-orientation"):
        open_project("01-initiation", None, None, tmp_path / "deliverables")


def test_deliverables_are_carried_forward_from_earlier_gates(tmp_path: Path) -> None:
    first = tmp_path / "01-initiation" / "deliverables"
    shutil.copytree(REFERENCE / "01-initiation", first)
    open_project("01-initiation", "wms-rollout", 0, first, learner="alice")
    second = tmp_path / "02-planning" / "deliverables"
    project = open_project("02-planning", None, None, second)
    assert set(project.carried) == {"project", "charter", "stakeholder_register",
                                    "risk_register"}
    assert project.assignment.scenario == "wms-rollout"
    assert (second / "charter.json").read_bytes() == (first / "charter.json").read_bytes()
    # Nothing already there is overwritten.
    (second / "charter.json").write_text((second / "charter.json").read_text())
    assert open_project("02-planning", None, None, second).carried == ()


def test_group_scores_are_the_reviews(tmp_path: Path) -> None:
    folder = tmp_path / "deliverables"
    shutil.copytree(REFERENCE / "02-planning", folder)
    open_project("02-planning", "wms-rollout", 0, folder, learner="alice")
    result = pmo_review("02-planning", folder)
    assert pmo_score("02-planning", "schedule", folder) == result.group("schedule").score
    # A saved change is reviewed afresh, not served from the cache.
    (folder / "schedule.json").unlink()
    assert pmo_score("02-planning", "schedule", folder) < result.group("schedule").score


def test_the_project_draws_the_builders_and_the_readiness_panel(tmp_path: Path) -> None:
    folder = tmp_path / "deliverables"
    project = open_project("01-initiation", "wms-rollout", 0, folder, learner="alice")
    assert isinstance(project.build("charter"), CharterBuilder)
    assert isinstance(project.readiness(), ReadinessPanel)
    plain = builder_for("communications_plan", folder)  # no dedicated builder: the form
    assert plain.path == folder / "communications_plan.json"
    assert "Not saved yet" in plain.status.value
    with pytest.raises(KeyError, match="known kinds"):
        builder_for("budget", folder)


def test_the_presentation_is_written_beside_the_notebook(tmp_path: Path) -> None:
    folder = tmp_path / "02-planning" / "deliverables"
    shutil.copytree(REFERENCE / "02-planning", folder)
    project = open_project("02-planning", "wms-rollout", 0, folder, learner="alice")
    deck = project.presentation()
    assert deck.path == folder.parent / "presentation.html"
    titles = [s.title for s in deck.slides]
    assert titles[-1] == "Questions from the board"
    for title in ("Context", "Objectives and scope", "Plan and critical path", "Risks",
                  "Asks of the board"):
        assert title in titles
    page = deck.path.read_text(encoding="utf-8")
    assert page.count("<section>") == len(titles)
    assert "Plotly.newPlot" in page  # the figures, drawn by the library inlined once
    assert not re.search(r"<script[^>]+src=", page)  # self-contained: no external script


@pytest.mark.slow
def test_the_orientation_runs_headless_and_pins_the_project(tmp_path: Path) -> None:
    import papermill as pm

    from livepmo.autograder.course import COURSE, notebook_path

    folder = tmp_path / "00-orientation"
    folder.mkdir()
    nb = pm.execute_notebook(str(notebook_path(COURSE, "00-orientation")),
                             str(folder / "00-orientation.ipynb"),
                             parameters={"scenario_id": "wms-rollout"}, cwd=str(folder),
                             progress_bar=False, kernel_name="python3")
    shown = {c.get("id"): c.outputs for c in nb.cells if c.cell_type == "code"}
    assert "wms-rollout" in str(shown["scenarios"]) and "I01" in str(shown["rubrics"])
    saved = DeliverableStore(folder / "deliverables").load(ProjectAssignment)
    assert saved is not None and saved.scenario == "wms-rollout"
