"""The change-request builder: the change log, and each request's impact recomputed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from livepmo.deliverables import Schedule, parse_deliverable
from livepmo.planning import CpmResult, critical_path
from livepmo.scenarios.schema import Scenario
from livepmo.widgets.changes import ChangeRequestForm

from .conftest import reference


@pytest.fixture
def execution(folder: Path) -> Path:
    """A deliverables folder holding the reference execution-gate files (schedule too)."""
    shutil.copytree(reference("03-execution"), folder)
    return folder


def fill(builder: ChangeRequestForm, path: str, value: object) -> None:
    """Type a value into the field at ``path``, as a learner would."""
    builder.form.find(path).control.value = value  # type: ignore[attr-defined]


def choose(builder: ChangeRequestForm, request_id: str) -> int:
    """Pick a request in the register by its id; returns its index."""
    i = next(k for k, r in enumerate(builder.rows.rows) if r.get("id") == request_id)
    builder.rows.choose(i)
    return i


def propose(
    builder: ChangeRequestForm, changes: dict[str, tuple[int, float]], other_cost: float = 0.0
) -> None:
    """Enter a proposed change in the impact panel: add each activity, type days and cost."""
    for aid in changes:
        if aid not in {r.activity for r in builder._rows}:
            builder.activity_picker.value = aid
            builder.add_button.click()
    for row in builder._rows:
        if row.activity in changes:
            row.days.value, row.cost.value = changes[row.activity]
    builder.other_cost.value = other_cost


def engine_on_copy(
    folder: Path, changes: dict[str, tuple[int, float]]
) -> tuple[CpmResult, CpmResult, float, float]:
    """The expectation, from the engine alone: CPM and cost before and after the change,
    the change applied to the schedule file's plain data."""
    data: dict[str, Any] = json.loads((folder / "schedule.json").read_text())
    before = parse_deliverable(data)
    for activity in data["activities"]:
        if activity["id"] in changes:
            days, cost = changes[activity["id"]]
            activity["duration"] += days
            activity["cost"] += cost
    after = parse_deliverable(data)
    assert isinstance(before, Schedule) and isinstance(after, Schedule)
    return (
        critical_path(before),
        critical_path(after),
        sum(a.cost for a in before.activities),
        sum(a.cost for a in after.activities),
    )


def test_an_empty_log_starts_empty_and_saves_as_an_empty_register(folder: Path) -> None:
    b = ChangeRequestForm(folder)
    assert b.rows.rows == []
    assert "Choose a change request" in b.message.value
    assert b.use_button.disabled
    assert b.save() is not None
    assert json.loads((folder / "change_log.json").read_text())["requests"] == []


def test_without_a_schedule_the_panel_says_so_and_nothing_breaks(folder: Path) -> None:
    b = ChangeRequestForm(folder)
    b.rows.add_button.click()
    assert "no schedule.json" in b.message.value
    assert "save the schedule" in b.message.value
    assert b.use_button.disabled
    b.use_button.click()  # nothing to use: the request is left as it was
    assert b.rows.rows[0].get("impact") is None


def test_a_schedule_with_problems_is_named_in_the_panel(execution: Path) -> None:
    (execution / "schedule.json").write_text('{"kind": "schedule", "schema_version": 1}')
    b = ChangeRequestForm(execution)
    choose(b, "CR-02")
    assert "schedule.json has problems" in b.message.value
    assert b.use_button.disabled


def test_the_reference_log_loads_with_its_requests(execution: Path) -> None:
    b = ChangeRequestForm(execution)
    saved = json.loads((execution / "change_log.json").read_text())["requests"]
    assert [r["id"] for r in b.rows.rows] == [r["id"] for r in saved]
    assert "Saved" in b.status.value
    assert "CR-01" in b.heading.value  # the first request is chosen and assessed


def test_the_panel_starts_from_the_requests_affected_activities(execution: Path) -> None:
    b = ChangeRequestForm(execution)
    choose(b, "CR-02")
    assert [r.activity for r in b._rows] == ["CUT-EXEC"]
    assert "CR-02" in b.heading.value


@pytest.mark.parametrize(
    "changes",
    [
        {"CUT-EXEC": (5, 18_000.0)},  # on the critical path: the finish moves
        {"EXP-P2P": (3, 1_000.0)},  # within its float: the finish holds
        {"EXP-P2P": (9, 0.0), "RLZ-WEB": (30, 12_500.0)},  # beyond the float of both
    ],
)
def test_the_impact_equals_the_critical_path_of_a_changed_copy(
    execution: Path, changes: dict[str, tuple[int, float]]
) -> None:
    b = ChangeRequestForm(execution)
    choose(b, "CR-01")  # no affected activities yet: the proposal is only these changes
    propose(b, changes, other_cost=2_500.0)
    before, after, cost_before, cost_after = engine_on_copy(execution, changes)
    impact = b.impact
    assert impact is not None
    assert impact.finish_before == before.finish_date
    assert impact.finish_after == after.finish_date
    assert impact.schedule_days == after.finish - before.finish
    assert impact.hits_critical_path == any(
        before.activity(aid).critical or after.activity(aid).critical for aid in changes
    )
    assert impact.cost_before == pytest.approx(cost_before)
    assert impact.cost_after == pytest.approx(cost_after + 2_500.0)
    assert impact.slack_after == after.deadline_slack
    assert f"{after.finish_date}" in b.result.value
    assert f"{after.finish - before.finish:+d} working days" in b.result.value


def test_a_delay_past_the_deadline_and_its_tolerance_reads_broken(execution: Path) -> None:
    b = ChangeRequestForm(execution)
    choose(b, "CR-03")
    propose(b, {"TST-SIT": (45, 200_000.0)})
    impact = b.impact
    assert impact is not None
    assert impact.meets_deadline is False
    assert impact.within_time_tolerance is False  # charter: 10 working days
    assert impact.within_cost_tolerance is False  # charter: 5 % over 2,597,000
    assert "missed by" in b.result.value
    assert b.result.value.count("broken") == 2


def test_days_on_a_milestone_show_an_error_instead_of_an_impact(execution: Path) -> None:
    b = ChangeRequestForm(execution)
    choose(b, "CR-03")
    propose(b, {"M-GOLIVE": (3, 0.0)})
    assert b.impact is None
    assert "milestone" in b.result.value
    assert b.use_button.disabled


def test_use_this_impact_fills_the_fields_and_save_writes_them(execution: Path) -> None:
    b = ChangeRequestForm(execution)
    i = choose(b, "CR-03")
    propose(b, {"TST-SIT": (9, 60_000.0)}, other_cost=8_000.0)
    before, after, _, _ = engine_on_copy(execution, {"TST-SIT": (9, 60_000.0)})
    b.use_button.click()
    days = b.form.find(f"requests[{i}].impact.schedule_days")
    assert days.control.value == after.finish - before.finish  # type: ignore[attr-defined]
    assert "agrees" in b.result.value
    b.save_button.click()
    saved = json.loads((execution / "change_log.json").read_text())["requests"][i]["impact"]
    assert saved["schedule_days"] == after.finish - before.finish
    assert saved["cost"] == pytest.approx(68_000.0)
    assert saved["affected_activities"] == ["TST-SIT"]
    assert saved["scope"]  # the learner's words are kept


def test_use_this_impact_turns_on_the_impact_of_a_new_request(
    folder: Path, scenario: Scenario
) -> None:
    shutil.copytree(reference("02-planning"), folder)
    b = ChangeRequestForm(folder, scenario=scenario)
    b.rows.add_button.click()
    fill(b, "requests[0].raised", scenario.start)
    fill(b, "requests[0].requester", "Koen")
    fill(b, "requests[0].title", "Customer portal")
    fill(b, "requests[0].description", "A customer portal at go-live")
    assert b.rows.rows[0].get("impact") is None
    propose(b, {"RLZ-WEB": (40, 90_000.0)})
    b.use_button.click()
    b.save_button.click()
    saved = json.loads((folder / "change_log.json").read_text())["requests"][0]
    before, after, _, _ = engine_on_copy(folder, {"RLZ-WEB": (40, 90_000.0)})
    assert saved["impact"]["schedule_days"] == after.finish - before.finish
    assert saved["impact"]["cost"] == pytest.approx(90_000.0)


def test_an_invalid_request_shows_its_problem_and_writes_nothing(execution: Path) -> None:
    b = ChangeRequestForm(execution)
    original = (execution / "change_log.json").read_bytes()
    b.rows.add_button.click()  # a new request without date, requester, title or description
    assert b.save() is None
    assert (execution / "change_log.json").read_bytes() == original
    assert "Not saved" in b.status.value
    i = len(b.rows.rows) - 1
    assert b.form.find(f"requests[{i}].description").errors.value != ""


def test_a_restart_restores_the_saved_log(execution: Path) -> None:
    b = ChangeRequestForm(execution)
    i = choose(b, "CR-02")
    fill(b, f"requests[{i}].recommendation", "Move the cut-over one week later.")
    propose(b, {"CUT-EXEC": (5, 18_000.0)})
    b.use_button.click()
    b.save_button.click()
    again = ChangeRequestForm(execution)  # the cell run again after a kernel restart
    assert again.rows.rows == b.rows.rows
    assert again.rows.rows[i]["recommendation"] == "Move the cut-over one week later."
    assert "Saved" in again.status.value
