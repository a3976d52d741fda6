"""The stakeholder map: the register, its power / interest grid, salience and engagement."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from livepmo.deliverables import StakeholderRegister
from livepmo.scenarios.schema import Scenario
from livepmo.storage import DeliverableStore
from livepmo.widgets.figures.stakeholders import engagement_chart, power_interest_grid
from livepmo.widgets.stakeholders import StakeholderMap

from .conftest import reference


def fill(builder: StakeholderMap, path: str, value: object) -> None:
    """Type a value into the field at ``path``, as a learner would."""
    builder.form.find(path).control.value = value  # type: ignore[attr-defined]


def placed(builder: StakeholderMap) -> dict[str, tuple[float, float, str]]:
    """Each stakeholder on the grid: id → (interest, power, quadrant)."""
    spots: dict[str, tuple[float, float, str]] = {}
    for trace in builder.grid.data:
        for x, y, (sid, quadrant) in zip(
            trace.x or (), trace.y or (), trace.customdata or (), strict=True
        ):
            spots[sid] = (x, y, quadrant)
    return spots


def quadrant_titles(builder: StakeholderMap) -> list[str]:
    return [a.text for a in builder.grid.layout.annotations]


def salience_row(builder: StakeholderMap, category: str) -> str | None:
    """The salience table's row of a class, or None when nobody is in that class."""
    for row in builder.salience.value.split("<tr>")[1:]:
        if f"<b>{category}</b>" in row:
            return row
    return None


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    """A copy of the planning gate's reference deliverables (16 stakeholders)."""
    folder = tmp_path / "deliverables"
    shutil.copytree(reference("02-planning"), folder)
    return folder


def test_an_empty_register_still_draws_both_figures_with_zero_counts(folder: Path) -> None:
    b = StakeholderMap(folder)
    assert b.form.value["stakeholders"] == []
    assert placed(b) == {}
    assert sorted(quadrant_titles(b)) == [
        "<b>Keep informed</b> (0)",
        "<b>Keep satisfied</b> (0)",
        "<b>Manage closely</b> (0)",
        "<b>Monitor</b> (0)",
    ]
    assert all(not trace.x for trace in b.engagement.data)
    assert "No stakeholders yet" in b.salience.value
    empty = StakeholderRegister()
    assert len(power_interest_grid(empty).data) == 3
    assert "0 of 0 to move" in engagement_chart(empty).layout.title.text


def test_the_first_draft_lists_the_brief_s_people_but_not_the_analysis(
    folder: Path, scenario: Scenario
) -> None:
    b = StakeholderMap(folder, scenario=scenario)
    people = b.form.value["stakeholders"]
    assert [p["id"] for p in people] == [s.id for s in scenario.stakeholders]
    first, seed = people[0], scenario.stakeholders[0]
    assert (first["power"], first["interest"], first["attitude"]) == (
        seed.power,
        seed.interest,
        seed.attitude,
    )
    # The engagement strategy and salience are the learner's analysis: left blank.
    assert all(not p.get("strategy") for p in people)
    assert all(not any((p.get("salience") or {}).values()) for p in people)
    assert "High power, no strategy yet" in b.summary.value


def test_the_grid_places_a_stakeholder_in_the_quadrant_of_their_power_and_interest(
    folder: Path, scenario: Scenario
) -> None:
    b = StakeholderMap(folder, scenario=scenario)
    sid = b.form.value["stakeholders"][0]["id"]
    fill(b, "stakeholders[0].power", 5)
    fill(b, "stakeholders[0].interest", 1)
    x, y, quadrant = placed(b)[sid]
    assert quadrant == "keep satisfied"
    assert x == 1 and 4.5 < y < 5.5  # top left, within its cell
    fill(b, "stakeholders[0].power", 2)
    fill(b, "stakeholders[0].interest", 5)
    x, y, quadrant = placed(b)[sid]
    assert quadrant == "keep informed"
    assert x == 5 and 1.5 < y < 2.5


def test_people_sharing_a_cell_are_spread_within_it(planned: Path) -> None:
    b = StakeholderMap(planned)
    spots = placed(b)
    ys = sorted(spots[s][1] for s in ("S04", "S05", "S06", "S11"))  # all at power 4, interest 4
    assert len(set(ys)) == 4
    assert all(3.5 < y < 4.5 for y in ys)


def test_the_reference_register_loads_with_the_model_s_quadrant_counts(planned: Path) -> None:
    b = StakeholderMap(planned)
    register = DeliverableStore(planned).load(StakeholderRegister)
    assert register is not None
    assert "✓ Saved" in b.status.value
    assert len(placed(b)) == 16
    manage = sum(s.quadrant == "manage closely" for s in register.stakeholders)
    assert f"<b>Manage closely</b> ({manage})" in quadrant_titles(b)
    assert all(placed(b)[s.id][2] == s.quadrant for s in register.stakeholders)


def test_ticking_salience_attributes_gives_the_salience_class(
    folder: Path, scenario: Scenario
) -> None:
    b = StakeholderMap(folder, scenario=scenario)
    name = b.form.value["stakeholders"][2]["name"]
    assert salience_row(b, "definitive") is None
    for attribute in ("power", "legitimacy", "urgency"):
        fill(b, f"stakeholders[2].salience.{attribute}", True)
    assert name in (salience_row(b, "definitive") or "")
    fill(b, "stakeholders[2].salience.legitimacy", False)
    assert name in (salience_row(b, "dangerous") or "")
    assert salience_row(b, "definitive") is None


def test_the_engagement_chart_shows_the_gap_from_current_to_desired(
    folder: Path, scenario: Scenario
) -> None:
    b = StakeholderMap(folder, scenario=scenario)
    fill(b, "stakeholders[0].engagement_current", "resistant")
    fill(b, "stakeholders[0].engagement_desired", "leading")
    fill(b, "stakeholders[1].engagement_current", "supportive")
    fill(b, "stakeholders[1].engagement_desired", "supportive")
    gaps, current, reached = b.engagement.data
    # Row 0 runs from resistant (1) to leading (4); row 1 is already where it should be.
    assert (gaps.x[:2], gaps.y[:2]) == ((1, 4), (0, 0))
    assert 1 not in (gaps.y or ())
    assert list(reached.y) == [1]
    assert current.x[:2] == (1, 3)
    moving = len(scenario.stakeholders) - 1
    assert f"{moving} of {len(scenario.stakeholders)} to move" in b.engagement.layout.title.text


def test_a_power_off_the_scale_shows_beside_the_field_and_saves_nothing(
    folder: Path, scenario: Scenario
) -> None:
    b = StakeholderMap(folder, scenario=scenario)
    sid = b.form.value["stakeholders"][0]["id"]
    fill(b, "stakeholders[0].power", 7)
    assert sid not in placed(b)  # off the grid, and named under it
    assert f"{sid} — " in b.summary.value
    b.save_button.click()
    assert not (folder / "stakeholder_register.json").exists()
    assert "Not saved" in b.status.value
    assert "less than or equal to 5" in b.form.find("stakeholders[0].power").errors.value
    assert b.form.find("stakeholders[0].interest").errors.value == ""


def test_a_restart_restores_the_saved_register(folder: Path, scenario: Scenario) -> None:
    b = StakeholderMap(folder, scenario=scenario)
    sid = b.form.value["stakeholders"][3]["id"]
    fill(b, "stakeholders[3].power", 1)
    fill(b, "stakeholders[3].interest", 1)
    fill(b, "stakeholders[3].strategy", "Monthly newsletter; invite to the go-live demo.")
    b.save_button.click()
    saved = json.loads((folder / "stakeholder_register.json").read_text())
    assert saved["stakeholders"][3]["strategy"].startswith("Monthly newsletter")
    again = StakeholderMap(folder, scenario=scenario)  # the cell run again after a restart
    assert again.form.value["stakeholders"][3]["power"] == 1
    assert placed(again)[sid][2] == "monitor"
    assert "✓ Saved" in again.status.value
