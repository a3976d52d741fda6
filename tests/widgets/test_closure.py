"""The closure report and lessons-learned builders: drafts, summaries, save and restore."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from livepmo.deliverables import DecisionLog, Schedule
from livepmo.execution import Simulation
from livepmo.storage import DeliverableStore
from livepmo.widgets.closure import ClosureReportBuilder
from livepmo.widgets.lessons import LessonsLearnedBuilder

from .conftest import reference

CLOSURE = reference("04-closure")


@pytest.fixture
def executed(folder: Path) -> Path:
    """A folder at closure: the charter, schedule and decision log, but no closure yet."""
    folder.mkdir(parents=True)
    for name in ("charter.json", "schedule.json", "decision_log.json"):
        shutil.copy(CLOSURE / name, folder)
    return folder


@pytest.fixture
def closed(folder: Path) -> Path:
    """A copy of the reference closure folder (never edit the reference itself)."""
    shutil.copytree(CLOSURE, folder)
    return folder


# -- closure report -------------------------------------------------------------------------


def test_the_first_draft_takes_the_facts_of_the_replayed_execution(executed, scenario):
    store = DeliverableStore(executed)
    schedule, log = store.load(Schedule), store.load(DecisionLog)
    assert schedule is not None and log is not None
    outcome = Simulation(scenario, schedule, log).run()

    data = ClosureReportBuilder(executed, scenario=scenario).form.value

    assert data["actual_finish"] == outcome.actual_finish.isoformat()
    assert data["planned_finish"] == outcome.planned_finish.isoformat()
    assert data["actual_cost"] == pytest.approx(outcome.actual_cost, abs=0.01)
    assert data["planned_cost"] == outcome.planned_cost


def test_the_first_draft_leaves_the_judgement_to_the_learner(executed, scenario):
    data = ClosureReportBuilder(executed, scenario=scenario).form.value

    assert data["summary"] == ""
    assert data["objectives"] == []
    assert data["sign_off"] is None
    # Who accepts what is a scenario fact; that it was accepted is not.
    names = {p.id: p.name for p in scenario.stakeholders}
    accepter = names[scenario.closure.acceptance[0].accepter]
    assert data["acceptance"][0]["accepted_by"] == accepter
    assert not any(a["accepted"] for a in data["acceptance"])
    assert data["handover"]["support_model"] == scenario.closure.support_model


def test_the_summary_names_the_charter_objectives_without_an_outcome(executed, scenario):
    builder = ClosureReportBuilder(executed, scenario=scenario)
    assert "without an outcome yet: OBJ-01" in builder.summary.value

    rows = builder.form.find("objectives")
    rows.add({"objective": "OBJ-01", "outcome": "not_met"})

    assert "<b>1</b> not met" in builder.summary.value
    assert "OBJ-01," not in builder.summary.value


def test_the_summary_counts_outcomes_and_shows_the_variances(closed, scenario):
    summary = ClosureReportBuilder(closed, scenario=scenario).summary.value

    assert "<b>2</b> met, <b>7</b> partly met, <b>0</b> not met" in summary
    assert "+24.8%" in summary  # cost: actual against planned
    assert "+42 days" in summary  # finish: 2026-10-23 → 2026-12-04
    assert "Deliverables accepted: <b>7 of 7</b>" in summary


def test_the_variances_follow_the_figures_as_they_are_typed(executed, scenario):
    builder = ClosureReportBuilder(executed, scenario=scenario)
    builder.form.find("planned_cost").control.value = 1000.0
    builder.form.find("actual_cost").control.value = 1100.0

    assert "+10.0%" in builder.summary.value


def test_a_closure_report_saves_and_is_restored_after_a_restart(executed, scenario):
    builder = ClosureReportBuilder(executed, scenario=scenario)
    builder.form.find("summary").control.value = "Closed four weeks late, 6 % over budget."
    builder.form.find("handover").find("date").control.value = dt.date(2026, 12, 4)

    path = builder.save()

    assert path == executed / "closure_report.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["summary"] == "Closed four weeks late, 6 % over budget."
    restored = ClosureReportBuilder(executed, scenario=scenario)
    assert restored.deliverable is not None
    assert restored.deliverable == builder.deliverable
    assert restored.form.value["handover"]["date"] == "2026-12-04"
    assert "✓ Saved" in restored.status.value


def test_an_invalid_closure_report_shows_its_errors_and_writes_nothing(executed, scenario):
    builder = ClosureReportBuilder(executed, scenario=scenario)
    builder.form.find("summary").control.value = "Done."
    builder.form.find("actual_start").control.value = dt.date(2026, 12, 31)

    assert builder.save() is None

    assert "before actual_start" in builder.form.find("actual_finish").errors.value
    assert "Not saved" in builder.status.value
    assert not (executed / "closure_report.json").exists()


def test_without_the_scenario_the_draft_is_empty_and_the_builder_still_works(folder):
    builder = ClosureReportBuilder(folder)

    assert builder.outcome() is None
    assert builder.form.value["acceptance"] == []
    assert builder.save() is None  # summary, dates and costs are missing
    assert not folder.exists()


# -- lessons learned ------------------------------------------------------------------------

SPECIFIC = {
    "id": "L-1",
    "phase": "execution",
    "category": "Data",
    "what_happened": "Risk R02 struck in week 13: mock load 1 rejected 9 % of customers.",
    "impact": "cost +45,000 EUR; finish +5 working days",
    "recommendation": "Profile master data in week 2 and budget cleansing from the result.",
    "owner": "Hans Oosterhuis",
    "links": ["R02"],
}


def test_a_lesson_saves_and_is_restored_after_a_restart(folder):
    builder = LessonsLearnedBuilder(folder)
    builder.form.find("lessons").add(dict(SPECIFIC))

    path = builder.save()

    assert path is not None
    assert json.loads(path.read_text(encoding="utf-8"))["lessons"] == [SPECIFIC]
    restored = LessonsLearnedBuilder(folder)
    assert restored.form.value["lessons"] == [SPECIFIC]


def test_an_incomplete_lesson_shows_its_errors_and_writes_nothing(folder):
    builder = LessonsLearnedBuilder(folder)
    builder.form.find("lessons").add({"id": "L-01", "phase": "closure"})

    assert builder.save() is None

    assert "⚠" in builder.form.find("lessons").errors.value
    assert builder.form.find("lessons[0].what_happened").errors.value  # beside the field
    assert not folder.exists()


def test_the_summary_counts_lessons_per_category(closed):
    summary = LessonsLearnedBuilder(closed).summary.value

    assert "<b>11 lessons</b>" in summary
    assert "Change control</td><td><b>4</b>" in summary


def test_an_empty_register_says_where_lessons_come_from(folder):
    assert "No lessons yet" in LessonsLearnedBuilder(folder).summary.value


def test_a_platitude_gets_a_gentle_hint_and_still_saves(folder):
    builder = LessonsLearnedBuilder(folder)
    builder.form.find("lessons").add(dict(SPECIFIC))
    assert builder.hints.value == ""

    builder.form.find("lessons[0].recommendation").control.value = "Communicate better."

    assert "L-1 reads like a platitude" in builder.hints.value
    assert "error-color" not in builder.hints.value  # advice, not an error
    assert builder.save() is not None


def test_the_reference_lessons_get_no_platitude_hint(closed):
    assert LessonsLearnedBuilder(closed).hints.value == ""
