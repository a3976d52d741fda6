"""The risk matrix: a register on a 5×5 heat map, its cells' risks, its expected values."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from livepmo.deliverables import RiskRegister
from livepmo.planning import contingency_reserve
from livepmo.scenarios.schema import Scenario
from livepmo.storage import DeliverableStore
from livepmo.widgets.figures.risks import risk_heatmap
from livepmo.widgets.risks import RiskMatrix

from .conftest import reference


def fill(builder: RiskMatrix, path: str, value: object) -> None:
    """Type a value into the field at ``path``, as a learner would."""
    builder.form.find(path).control.value = value  # type: ignore[attr-defined]


def counts(builder: RiskMatrix) -> dict[tuple[int, int], int]:
    """The counts the heat map shows, by (probability, impact) cell."""
    badges = builder.heatmap.data[1]
    return {
        (int(p), int(i)): int(n)
        for p, i, n in zip(badges.y or (), badges.x or (), badges.text or (), strict=True)
    }


def add_risk(builder: RiskMatrix, probability: float, impact: float) -> int:
    """Add a risk with a full statement, as a learner fills it in; returns its row."""
    rows = builder.form.find("risks")
    row = rows.add()  # type: ignore[attr-defined]
    fill(builder, f"risks[{row}].title", "Key user unavailable")
    fill(builder, f"risks[{row}].statement.cause", "Warehouse peak season in November")
    fill(builder, f"risks[{row}].statement.event", "Key users cannot attend the tests")
    fill(builder, f"risks[{row}].statement.effect", "Acceptance slips by two weeks")
    fill(builder, f"risks[{row}].impact", impact)
    fill(builder, f"risks[{row}].probability", probability)
    return int(row)


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    """A copy of the planning gate's reference deliverables (17 scored risks)."""
    folder = tmp_path / "deliverables"
    shutil.copytree(reference("02-planning"), folder)
    return folder


def test_an_empty_register_still_draws_the_grid_with_zero_counts(folder: Path) -> None:
    b = RiskMatrix(folder)
    grid = b.heatmap.data[0]
    assert len(grid.z) == 5 and all(len(row) == 5 for row in grid.z)
    assert counts(b) == {}
    assert "0 (0 threats, 0 opportunities)" in b.summary.value
    assert "low 0 · medium 0 · high 0 · critical 0" in b.summary.value
    assert [value for _, value in b.cell.options] == [None]
    figure = risk_heatmap(RiskRegister())
    assert len(figure.data[0].z) == 5
    assert not figure.data[1].x


def test_the_first_draft_is_an_empty_register_that_saves(folder: Path) -> None:
    b = RiskMatrix(folder)
    assert b.form.value["risks"] == []
    b.save_button.click()
    saved = json.loads((folder / "risk_register.json").read_text())
    assert saved["risks"] == []
    assert saved["scale"] == "5x5"


def test_cells_are_coloured_by_band_from_the_grid_score(folder: Path) -> None:
    z = RiskMatrix(folder).heatmap.data[0].z
    # Rows are probability 1–5, columns impact 1–5; 0 low, 1 medium, 2 high, 3 critical.
    assert z[0][0] == 0  # 1 × 1 = 1: low
    assert z[2][2] == 1  # 3 × 3 = 9: medium
    assert z[2][4] == 2  # 3 × 5 = 15: high
    assert z[3][3] == 3  # 4 × 4 = 16: critical


def test_the_reference_register_loads_with_every_risk_counted(
    planned: Path, scenario: Scenario
) -> None:
    b = RiskMatrix(planned, scenario=scenario)
    assert "✓ Saved" in b.status.value
    shown = counts(b)
    assert sum(shown.values()) == 17
    assert shown[(3, 5)] == 4
    assert shown[(2, 4)] == 6
    assert (3, 5) in [value for _, value in b.cell.options]


def test_the_summary_gives_bands_expected_value_and_the_engine_s_contingency(
    planned: Path, scenario: Scenario
) -> None:
    b = RiskMatrix(planned, scenario=scenario)
    register = DeliverableStore(planned).load(RiskRegister)
    assert register is not None
    reserve = contingency_reserve(register)
    assert "13 threats, 4 opportunities" in b.summary.value
    assert "high 6" in b.summary.value
    assert f"{reserve.amount:,.0f} {scenario.currency}" in b.summary.value


def test_editing_a_probability_moves_the_risk_to_another_cell(planned: Path) -> None:
    b = RiskMatrix(planned)
    assert b.form.value["risks"][0]["id"] == "R01"  # probability 3, impact 5
    fill(b, "risks[0].probability", 5.0)
    shown = counts(b)
    assert shown[(3, 5)] == 3
    assert shown[(5, 5)] == 1
    assert "Unsaved changes" in b.status.value


def test_choosing_a_cell_lists_its_risks_with_owner_and_response(planned: Path) -> None:
    b = RiskMatrix(planned)
    b.cell.value = (3, 5)
    listed = b.cell_risks.value
    for rid in ("R01", "R02", "R03", "R11"):
        assert f">{rid}<" in listed
    assert ">R04<" not in listed
    assert "Koen van Rijswijk" in listed
    assert "avoid" in listed
    b.cell.value = (2, 4)
    assert ">R04<" in b.cell_risks.value
    assert ">R01<" not in b.cell_risks.value


def test_the_chosen_cell_is_outlined_on_the_heat_map(planned: Path) -> None:
    b = RiskMatrix(planned)
    b.cell.value = (3, 5)
    (outline,) = b.heatmap.layout.shapes
    assert (outline.x0, outline.x1, outline.y0, outline.y1) == (4.5, 5.5, 2.5, 3.5)


def test_clicking_a_cell_on_the_heat_map_chooses_it(planned: Path) -> None:
    b = RiskMatrix(planned)
    # The message the browser sends when the learner clicks the P3 × I5 cell.
    b.heatmap._js2py_pointsCallback = {
        "event_type": "plotly_click",
        "points": {"xs": [5], "ys": [3], "point_indexes": [[2, 4]], "trace_indexes": [0]},
    }
    assert b.cell.value == (3, 5)
    assert ">R01<" in b.cell_risks.value


def test_clicking_an_empty_cell_says_it_is_empty(planned: Path) -> None:
    b = RiskMatrix(planned)
    b.cell.value = (3, 5)
    b.heatmap._js2py_pointsCallback = {
        "event_type": "plotly_click",
        "points": {"xs": [1], "ys": [1], "point_indexes": [[0, 0]], "trace_indexes": [0]},
    }
    assert b.cell.value is None
    assert "No risks in P1 × I1" in b.cell_risks.value


def test_a_chosen_cell_follows_edits_until_it_empties(planned: Path) -> None:
    b = RiskMatrix(planned)
    b.cell.value = (3, 2)  # R16 alone
    assert ">R16<" in b.cell_risks.value
    row = [r["id"] for r in b.form.value["risks"]].index("R16")
    fill(b, f"risks[{row}].impact", 1.0)
    assert b.cell.value is None
    assert (3, 1) in [value for _, value in b.cell.options]


def test_a_probability_off_the_scale_shows_beside_the_field_and_saves_nothing(
    folder: Path,
) -> None:
    b = RiskMatrix(folder)
    add_risk(b, probability=7.0, impact=3.0)
    assert "R1 — Key user unavailable" in b.summary.value  # named as not on the map
    b.save_button.click()
    assert not (folder / "risk_register.json").exists()
    assert "Not saved" in b.status.value
    assert "not on the 5×5 scale" in b.form.find("risks[0].probability").errors.value
    assert b.form.find("risks[0].impact").errors.value == ""


def test_a_new_risk_appears_on_the_map_once_its_fields_are_valid(folder: Path) -> None:
    b = RiskMatrix(folder)
    add_risk(b, probability=4.0, impact=5.0)
    assert counts(b) == {(4, 5): 1}
    assert "critical 1" in b.summary.value


def test_a_restart_restores_the_saved_register(folder: Path) -> None:
    b = RiskMatrix(folder)
    add_risk(b, probability=2.0, impact=3.0)
    fill(b, "risks[0].owner", "Ellen Mulder")
    assert b.save() is not None
    again = RiskMatrix(folder)  # the cell run again in a fresh kernel
    assert again.form.value["risks"][0]["owner"] == "Ellen Mulder"
    assert counts(again) == {(2, 3): 1}
    assert "✓ Saved" in again.status.value


def test_the_pmbok_scale_lands_on_the_same_grid() -> None:
    register = RiskRegister.model_validate(
        {
            "scale": "pmbok",
            "risks": [
                {
                    "id": "R1",
                    "title": "Vendor insolvency",
                    "statement": {"cause": "c", "event": "e", "effect": "f"},
                    "probability": 0.9,
                    "impact": 0.8,
                }
            ],
        }
    )
    figure = risk_heatmap(register)
    assert (figure.data[1].x, figure.data[1].y) == ((5,), (5,))
    assert figure.layout.yaxis.ticktext == ("0.1", "0.3", "0.5", "0.7", "0.9")
