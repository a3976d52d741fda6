"""The execution console: decide, advance, save the decision log, replay after a restart."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from livepmo.deliverables import DecisionLog, Schedule
from livepmo.execution import replay
from livepmo.scenarios import load_scenario
from livepmo.scenarios.schema import Scenario
from livepmo.storage import DeliverableStore
from livepmo.widgets.execution import POSITION_FILE, ExecutionConsole, forecast_figure
from livepmo.widgets.figures._theme import CRITICAL

from .conftest import reference

# With seed 0 and the reference plan, the first events (E03, a scope push that is a change
# request, and E14, a staff loss) fire at the start of week 17.
EVENT_WEEK = 17


@pytest.fixture
def planned(folder: Path) -> Path:
    """A deliverables folder holding the reference schedule, ready for execution."""
    folder.mkdir(parents=True)
    shutil.copy(reference("02-planning") / "schedule.json", folder)
    return folder


def saved_log(folder: Path) -> list[dict[str, object]]:
    data = json.loads((folder / "decision_log.json").read_text(encoding="utf-8"))
    decisions: list[dict[str, object]] = data["decisions"]
    return decisions


def advance_to(console: ExecutionConsole, week: int) -> None:
    assert console.sim is not None
    while console.sim.week < week:
        console.advance_button.click()


def mitigate_first_risk(console: ExecutionConsole, rationale: str = "") -> None:
    console.lever.value = "mitigate_risk"
    console.target.value = "R01"
    console.response.value = "R01-MIT"
    console.rationale.value = rationale
    console.take_button.click()


def test_a_lever_decision_is_applied_and_saved_with_its_rationale(planned, scenario):
    console = ExecutionConsole(planned, scenario=scenario)
    mitigate_first_risk(console, "Pricing deep-dive is cheaper than the expected harm")

    assert saved_log(planned) == [
        {
            "id": "D001-01",
            "week": 1,
            "type": "mitigate_risk",
            "target": "R01",
            "option": "R01-MIT",
            "amount": None,
            "rationale": "Pricing deep-dive is cheaper than the expected harm",
        }
    ]
    assert "✓ D001-01" in console.message.value
    assert console.rationale.value == ""  # ready for the next decision
    assert "R01" not in [value for _, value in console.target.options]  # settled risk


def test_advancing_answers_the_chosen_event_and_records_it_in_the_saved_file(planned, scenario):
    console = ExecutionConsole(planned, scenario=scenario)
    advance_to(console, EVENT_WEEK)
    assert set(console.event_choices) == {"E03", "E14"}

    console.event_choices["E03"].value = "REFUSE"
    console.advance_button.click()

    assert console.sim is not None and console.sim.week == EVENT_WEEK + 1
    [decision] = saved_log(planned)
    assert decision["week"] == EVENT_WEEK
    assert (decision["type"], decision["target"], decision["option"]) == (
        "change_request",
        "E03",
        "REFUSE",
    )
    # What happened is reported, with who said what.
    assert "Koen van Rijswijk" in console.week_report.value
    assert "Every euro of new scope" in console.week_report.value


def test_an_event_left_without_answer_gets_its_default_and_no_decision(planned, scenario):
    console = ExecutionConsole(planned, scenario=scenario)
    advance_to(console, EVENT_WEEK + 2)

    assert saved_log(planned) == []
    assert "No answer in time" in console.week_report.value


def test_an_invalid_decision_is_refused_with_the_reason_and_changes_nothing(planned, scenario):
    console = ExecutionConsole(planned, scenario=scenario)
    assert console.sim is not None
    before = console.sim.forecast()
    console.lever.value = "crash"
    console.target.value = console.target.options[0][1]
    console.amount.value = 999
    console.take_button.click()

    assert "Not taken" in console.message.value
    assert "at most" in console.message.value  # why, and the limit to respect
    assert "error-color" in console.message.value
    assert console.sim.log.decisions == []
    assert console.sim.forecast() == before
    assert not (planned / "decision_log.json").exists()


def test_a_console_restarted_on_the_saved_log_is_in_the_same_week_and_state(planned, scenario):
    console = ExecutionConsole(planned, scenario=scenario)
    mitigate_first_risk(console)
    advance_to(console, 5)
    console.lever.value = "add_resource"
    console.target.value = console.target.options[0][1]
    console.amount.value = 2
    console.take_button.click()
    advance_to(console, 8)  # three weeks with no decision: only the position file knows

    restarted = ExecutionConsole(planned, scenario=scenario)

    assert console.sim is not None and restarted.sim is not None
    assert restarted.sim.week == 8
    assert restarted.sim.history == console.sim.history
    assert restarted.sim.log == console.sim.log
    assert restarted.state.value == console.state.value
    assert restarted.figure.data[0].x == console.figure.data[0].x


def test_without_the_position_file_a_restart_replays_to_the_last_decision(planned, scenario):
    console = ExecutionConsole(planned, scenario=scenario)
    advance_to(console, 3)
    mitigate_first_risk(console)
    advance_to(console, 6)
    (planned / POSITION_FILE).unlink()

    restarted = ExecutionConsole(planned, scenario=scenario)

    assert restarted.sim is not None and restarted.sim.week == 3
    assert len(restarted.sim.log.decisions) == 1


def test_the_replayed_log_is_what_the_review_replays(planned, scenario):
    console = ExecutionConsole(planned, scenario=scenario)
    mitigate_first_risk(console)
    advance_to(console, 4)
    store = DeliverableStore(planned)
    schedule, log = store.load(Schedule), store.load(DecisionLog)
    assert schedule is not None and log is not None

    weeks = replay(scenario, schedule, log)

    assert console.sim is not None
    assert weeks[:3] == list(console.sim.history)


def test_the_figure_has_a_point_per_week_and_the_deadline(planned, scenario):
    console = ExecutionConsole(planned, scenario=scenario)
    advance_to(console, 4)

    finish, deadline = console.figure.data[0], console.figure.data[1]
    assert finish.x == (1, 2, 3)
    assert deadline.name == "Deadline"
    assert dt.date.fromisoformat(str(deadline.y[0])) == scenario.deadline


def test_forecast_figure_marks_weeks_past_the_deadline_and_over_budget(scenario):
    schedule = DeliverableStore(reference("02-planning")).load(Schedule)
    assert schedule is not None
    weeks = replay(scenario, schedule, [])[:3]

    fig = forecast_figure(weeks, deadline=scenario.start, budget=1.0)

    assert list(fig.data[0].marker.color) == [CRITICAL] * 3
    assert list(fig.data[2].marker.color) == [CRITICAL] * 3
    assert fig.layout.width == 860


def test_without_a_schedule_the_console_says_what_to_save_first(folder, scenario):
    console = ExecutionConsole(folder, scenario=scenario)

    assert console.sim is None
    assert "Save your schedule first" in console.state.value
    assert console.advance_button.disabled and console.take_button.disabled
    console.advance_button.click()
    assert not folder.exists()


def test_without_the_learners_variant_the_console_asks_for_it(planned):
    author_copy: Scenario = load_scenario("erp-distributor")  # no seed: not a learner's

    console = ExecutionConsole(planned, scenario=author_copy)

    assert console.sim is None
    assert "load_scenario(id, seed)" in console.state.value


def test_a_log_that_no_longer_replays_is_shown_and_kept(planned, scenario):
    log = {
        "kind": "decision_log",
        "schema_version": 1,
        "decisions": [
            {"id": "D1", "week": 1, "type": "crash", "target": "NOT-AN-ACTIVITY", "amount": 2.0}
        ],
    }
    (planned / "decision_log.json").write_text(json.dumps(log), encoding="utf-8")

    console = ExecutionConsole(planned, scenario=scenario)

    assert console.sim is None
    assert "NOT-AN-ACTIVITY" in console.state.value
    assert console.save_button.disabled
    assert json.loads((planned / "decision_log.json").read_text(encoding="utf-8")) == log
