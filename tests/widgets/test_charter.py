"""The charter builder, and through it what every builder does: load, Save, problems, restore."""

from __future__ import annotations

import json
from pathlib import Path

from livepmo.scenarios.schema import Scenario
from livepmo.widgets.charter import CharterBuilder

from .conftest import reference


def fill(builder: CharterBuilder, path: str, value: object) -> None:
    """Type a value into the field at ``path``, as a learner would."""
    editor = builder.form.find(path)
    editor.control.value = value  # type: ignore[attr-defined]


def test_first_draft_takes_the_scenario_facts(folder: Path, scenario: Scenario) -> None:
    b = CharterBuilder(folder, scenario=scenario)
    data = b.form.value
    assert data["project_name"] == scenario.title
    assert data["target_finish"] == scenario.deadline.isoformat()
    assert data["budget"]["total"] == scenario.budget
    assert data["sponsor"]["name"] == scenario.sponsor.name
    assert "Not saved yet" in b.status.value
    assert not (folder / "charter.json").exists()


def test_an_invalid_charter_is_not_saved_and_the_problem_shows_beside_its_field(
    folder: Path, scenario: Scenario
) -> None:
    b = CharterBuilder(folder, scenario=scenario)
    b.save_button.click()  # the project manager's name is still blank
    assert not (folder / "charter.json").exists()
    assert "Not saved" in b.status.value
    assert "fill it in" in b.form.find("project_manager.name").errors.value
    assert b.form.find("project_name").errors.value == ""


def test_problems_follow_the_edits_once_shown(folder: Path, scenario: Scenario) -> None:
    b = CharterBuilder(folder, scenario=scenario)
    b.save_button.click()
    fill(b, "project_manager.name", "Ana Kowalski")
    assert b.form.find("project_manager.name").errors.value == ""


def test_save_writes_the_file_and_says_when(folder: Path, scenario: Scenario) -> None:
    b = CharterBuilder(folder, scenario=scenario)
    fill(b, "project_manager.name", "Ana Kowalski")
    assert "Unsaved changes" in b.status.value
    b.save_button.click()
    saved = json.loads((folder / "charter.json").read_text())
    assert saved["kind"] == "charter"
    assert saved["project_manager"]["name"] == "Ana Kowalski"
    assert "Saved" in b.status.value
    assert not b.dirty


def test_a_register_row_is_added_edited_and_saved(folder: Path, scenario: Scenario) -> None:
    b = CharterBuilder(folder, scenario=scenario)
    fill(b, "project_manager.name", "Ana Kowalski")
    objectives = b.form.find("objectives")
    objectives.add_button.click()  # type: ignore[attr-defined]
    fill(b, "objectives[0].description", "Go live on S/4HANA")
    fill(b, "objectives[0].metric", "orders processed in the new system")
    assert "Go live" in b.summary.value or "1 (0 with" in b.summary.value
    b.save_button.click()
    saved = json.loads((folder / "charter.json").read_text())
    assert saved["objectives"][0]["id"] == "O1"
    assert saved["objectives"][0]["metric"] == "orders processed in the new system"


def test_a_problem_in_a_register_row_marks_the_row(folder: Path, scenario: Scenario) -> None:
    b = CharterBuilder(folder, scenario=scenario)
    fill(b, "project_manager.name", "Ana Kowalski")
    objectives = b.form.find("objectives")
    objectives.add_button.click()  # type: ignore[attr-defined]
    fill(b, "objectives[0].description", "Go live")
    objectives.add_button.click()  # type: ignore[attr-defined]
    fill(b, "objectives[1].description", "Cut order errors")
    fill(b, "objectives[1].id", "O1")  # the id of the first objective again
    b.save_button.click()
    assert not (folder / "charter.json").exists()
    labels = [label for label, _ in objectives.picker.options]  # type: ignore[attr-defined]
    assert labels[1].startswith("⚠")
    assert "duplicate id" in b.form.find("objectives[1].id").errors.value


def test_a_restart_restores_what_was_saved(folder: Path, scenario: Scenario) -> None:
    b = CharterBuilder(folder, scenario=scenario)
    fill(b, "project_manager.name", "Ana Kowalski")
    fill(b, "scope.out_of_scope", "Payroll\nHR self-service")
    b.save_button.click()
    again = CharterBuilder(folder, scenario=scenario)  # the cell run again in a new kernel
    assert again.form.value["scope"]["out_of_scope"] == ["Payroll", "HR self-service"]
    assert again.form.value["project_manager"]["name"] == "Ana Kowalski"
    assert "Saved" in again.status.value


def test_the_reference_charter_loads_unchanged(tmp_path: Path) -> None:
    source = reference("01-initiation") / "charter.json"
    (tmp_path / "charter.json").write_bytes(source.read_bytes())
    b = CharterBuilder(tmp_path)
    original = json.loads(source.read_text())
    assert b.data == original
    assert b.save() is not None
    assert json.loads((tmp_path / "charter.json").read_text()) == original


def test_a_broken_saved_file_is_shown_for_repair_and_kept_aside(tmp_path: Path) -> None:
    source = json.loads((reference("01-initiation") / "charter.json").read_text())
    source["budget"]["total"] = -5
    (tmp_path / "charter.json").write_text(json.dumps(source))
    b = CharterBuilder(tmp_path)
    assert "has problems" in b.status.value
    assert b.form.find("budget.total").errors.value  # shown beside the field
    fill(b, "budget.total", 3_050_000.0)
    assert b.save() is not None
    kept = list(tmp_path.glob("charter.invalid-*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text())["budget"]["total"] == -5


def test_every_field_has_a_label(folder: Path, scenario: Scenario) -> None:
    b = CharterBuilder(folder, scenario=scenario)
    for name, editor in b.form.editors.items():
        control = getattr(editor, "control", None) or getattr(editor, "picker", None)
        if control is not None:
            assert control.description, name
