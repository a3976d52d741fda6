"""The schedule builder: catalogue, live critical path and Monte Carlo, links, baseline."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from livepmo.deliverables.schedule import Schedule
from livepmo.planning import critical_path, simulate
from livepmo.scenarios.schema import Scenario
from livepmo.storage import DeliverableStore
from livepmo.widgets._form import Rows
from livepmo.widgets.figures._theme import CRITICAL, NORMAL, WIDTH
from livepmo.widgets.figures.schedule import (
    GANTT_ROWS,
    finish_histogram,
    gantt_figure,
    sensitivity_tornado,
)
from livepmo.widgets.schedule import ScheduleBuilder

from .conftest import reference


def fill(builder: ScheduleBuilder, path: str, value: object) -> None:
    """Type a value into the field at ``path``, as a learner would."""
    builder.form.find(path).control.value = value  # type: ignore[attr-defined]


def register(builder: ScheduleBuilder, path: str = "activities") -> Rows:
    editor = builder.form.find(path)
    assert isinstance(editor, Rows)
    return editor


def row_of(builder: ScheduleBuilder, activity: str) -> int:
    return [r["id"] for r in builder.form.value["activities"]].index(activity)


def bar_length(fig: go.FigureWidget, activity: str) -> float:
    """The length (ms on the date axis) of an activity's Gantt bar."""
    for trace in fig.data[:2]:
        if activity in trace.y:
            return float(trace.x[list(trace.y).index(activity)])
    raise AssertionError(f"no bar for {activity}")


def saved(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "schedule.json").read_text())
    return data


def chain_schedule(n: int) -> Schedule:
    """A connected network of ``n`` activities: each follows the one before it, and every
    seventh also the one seven before (SS with a lag), with three-point estimates."""
    activities = []
    for i in range(n):
        links = [{"activity": f"A{i - 1}", "type": "FS", "lag": 0}] if i else []
        if i >= 7 and i % 7 == 0:
            links.append({"activity": f"A{i - 7}", "type": "SS", "lag": 2})
        d = 1 + i % 5
        activities.append(
            {
                "id": f"A{i}",
                "name": f"Activity {i}",
                "duration": d,
                "predecessors": links,
                "estimate": {"optimistic": d * 0.8, "most_likely": d, "pessimistic": d * 1.5},
            }
        )
    return Schedule.model_validate(
        {
            "project_start": "2026-01-05",
            "deadline": "2027-12-17",
            "activities": activities,
        }
    )


# -- the first draft and the catalogue ----------------------------------------------------------


def test_first_draft_is_the_whole_catalogue(folder: Path, scenario: Scenario) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    data = b.form.value
    assert [a["id"] for a in data["activities"]] == [e.id for e in scenario.activities]
    assert data["project_start"] == scenario.start.isoformat()
    assert data["deadline"] == scenario.deadline.isoformat()
    assert b.catalogue.options == ()  # everything is in already
    assert b.add_button.disabled
    assert not (folder / "schedule.json").exists()
    assert "Finish" in b.summary.value and "P80" in b.summary.value


def test_a_removed_activity_is_added_back_from_the_catalogue_with_its_links(
    folder: Path, scenario: Scenario
) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    entry = next(e for e in scenario.activities if len(e.predecessors) >= 2)
    rows = register(b)
    rows.choose(row_of(b, entry.id))
    rows.remove_button.click()
    assert entry.id in [v for _, v in b.catalogue.options]
    b.catalogue.value = entry.id
    b.add_button.click()
    added = b.form.value["activities"][-1]
    assert added["id"] == entry.id
    assert added["estimate"] == {
        "optimistic": entry.optimistic,
        "most_likely": entry.most_likely,
        "pessimistic": entry.pessimistic,
    }
    assert [p["activity"] for p in added["predecessors"]] == [
        p.activity for p in entry.predecessors
    ]
    assert added["cost"] == entry.cost
    assert added["resource"] == entry.resource
    assert entry.id not in [v for _, v in b.catalogue.options]
    assert b.save() is not None
    assert saved(folder)["activities"][-1]["id"] == entry.id


def test_an_added_activity_is_linked_only_to_activities_in_the_schedule(
    folder: Path, scenario: Scenario
) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    entry = next(e for e in scenario.activities if len(e.predecessors) >= 2)
    gone = entry.predecessors[0].activity
    rows = register(b)
    for aid in (entry.id, gone):
        rows.choose(row_of(b, aid))
        rows.remove_button.click()
    b.add_from_catalogue(entry.id)
    links = [p["activity"] for p in b.form.value["activities"][-1]["predecessors"]]
    assert gone not in links
    assert links == [p.activity for p in entry.predecessors[1:]]
    assert b.deliverable is not None  # no dangling link to an absent activity


# -- live critical path, Gantt and Monte Carlo ------------------------------------------------


def test_editing_a_duration_moves_the_finish_and_the_gantt(
    folder: Path, scenario: Scenario
) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    assert b.cpm is not None
    before, summary = b.cpm.finish, b.summary.value
    aid = next(a for a in b.cpm.critical_ids if b.cpm.activity(a).duration > 0)
    i = row_of(b, aid)
    duration = b.form.value["activities"][i]["duration"]
    length = bar_length(b.gantt, aid)
    fill(b, f"activities[{i}].duration", duration + 20)
    assert b.cpm.finish == before + 20  # a critical activity: the finish moves one for one
    assert bar_length(b.gantt, aid) > length
    assert b.summary.value != summary
    assert b.dirty


def test_critical_activities_are_drawn_in_the_critical_colour(
    folder: Path, scenario: Scenario
) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    assert b.cpm is not None
    critical, other, milestones = b.gantt.data[:3]
    durations = dict(zip(b.cpm.ids, b.cpm.network.duration.tolist(), strict=True))
    assert critical.marker.color == CRITICAL
    assert other.marker.color == NORMAL
    assert set(critical.y) == {a for a in b.cpm.critical_ids if durations[a] > 0}
    assert not set(other.y) & set(b.cpm.critical_ids)
    assert milestones.marker.symbol == "diamond"
    assert set(milestones.y) == {a for a, d in durations.items() if d == 0}
    assert b.gantt.layout.xaxis.type == "date"


def test_the_finish_histogram_shows_p50_p80_and_the_deadline(
    folder: Path, scenario: Scenario
) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    mc = b.montecarlo
    assert mc is not None and mc.iterations == ScheduleBuilder.ITERATIONS
    bars, p50, p80, deadline = b.histogram.data
    assert abs(sum(bars.y) - 100) < 1e-6
    assert p50.name.startswith("P50")
    assert p80.name.startswith("P80")
    assert list(p80.x) == [mc.percentile_date(80).isoformat()] * 2
    assert list(deadline.x) == [scenario.deadline.isoformat()] * 2
    assert f"{mc.deadline_probability:.0%}" in deadline.name
    assert f"{mc.deadline_probability:.0%}" in b.summary.value


def test_widening_an_estimate_moves_p80_and_tops_the_tornado(
    folder: Path, scenario: Scenario
) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    assert b.montecarlo is not None and b.cpm is not None
    p80 = b.montecarlo.p80
    aid = next(a for a in b.cpm.critical_ids if b.cpm.activity(a).duration > 0)
    fill(b, f"activities[{row_of(b, aid)}].estimate.pessimistic", 400.0)
    assert b.montecarlo.p80 > p80 + 50
    assert b.tornado.data[0].y[0] == aid
    assert b.histogram.data[2].x[0] == b.montecarlo.percentile_date(80).isoformat()


def test_the_simulation_is_seeded_so_an_unchanged_plan_gives_the_same_histogram(
    tmp_path: Path, scenario: Scenario
) -> None:
    one = ScheduleBuilder(tmp_path / "one", scenario=scenario)
    two = ScheduleBuilder(tmp_path / "two", scenario=scenario)
    assert one.histogram.data[0].y == two.histogram.data[0].y


# -- invalid links ----------------------------------------------------------------------------


def test_a_link_that_makes_a_cycle_shows_the_error_and_saves_nothing(
    folder: Path, scenario: Scenario
) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    assert b.save() is not None
    on_disk = (folder / "schedule.json").read_bytes()
    first = b.form.value["activities"][0]["id"]
    follower = next(
        a["id"]
        for a in b.form.value["activities"]
        if any(p["activity"] == first for p in a["predecessors"])
    )
    gantt = [list(t.y) for t in b.gantt.data]
    register(b, "activities[0].predecessors").add_button.click()
    fill(b, "activities[0].predecessors[0].activity", follower)
    assert "cycle" in b.summary.value and follower in b.summary.value
    assert "cycle" in b.form.find("activities[0].predecessors[0].activity").errors.value
    b.save_button.click()
    assert "Not saved" in b.status.value
    assert (folder / "schedule.json").read_bytes() == on_disk
    assert [list(t.y) for t in b.gantt.data] == gantt  # the last valid plan stays drawn


def test_an_unknown_predecessor_shows_beside_the_link_and_nothing_is_saved(
    folder: Path, scenario: Scenario
) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    i = next(k for k, a in enumerate(b.form.value["activities"]) if len(a["predecessors"]) >= 2)
    path = f"activities[{i}].predecessors[1].activity"
    fill(b, path, "NO-SUCH-ACTIVITY")
    assert "unknown predecessor" in b.form.find(path).errors.value
    assert register(b, f"activities[{i}].predecessors").index == 1  # the link stays chosen
    assert "NO-SUCH-ACTIVITY" in b.summary.value
    assert b.save() is None
    assert not (folder / "schedule.json").exists()


def test_fixing_the_link_brings_the_figures_back(folder: Path, scenario: Scenario) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    path = "activities[1].predecessors[0].activity"
    good = b.form.value["activities"][1]["predecessors"][0]["activity"]
    fill(b, path, "NO-SUCH-ACTIVITY")
    fill(b, path, good)
    assert b.form.find(path).errors.value == ""
    assert "Finish" in b.summary.value
    assert b.save() is not None


# -- files: restart, baseline, large and empty schedules ---------------------------------------


def test_a_restart_restores_the_saved_schedule(folder: Path, scenario: Scenario) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    rows = register(b)
    rows.choose(len(rows.rows) - 1)  # the finish milestone: nothing links to it
    rows.remove_button.click()
    fill(b, "activities[1].duration", 11)
    b.save_button.click()
    again = ScheduleBuilder(folder, scenario=scenario)
    assert again.form.value["activities"] == saved(folder)["activities"]
    assert again.form.value["activities"][1]["duration"] == 11
    assert len(again.form.value["activities"]) == len(scenario.activities) - 1
    assert "Saved" in again.status.value and not again.dirty
    removed = scenario.activities[-1].id
    assert removed in [v for _, v in again.catalogue.options]


def test_freezing_the_baseline_saves_it(folder: Path, scenario: Scenario) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    assert "baseline" not in b.form.editors  # derived: never typed as JSON
    b.freeze_button.click()
    assert "Baseline approved" in b.baseline_status.value
    assert b.dirty
    assert b.gantt.data[3].y  # the baseline bars are drawn
    b.save_button.click()
    baseline = saved(folder)["baseline"]
    assert baseline["approved_on"] == dt.date.today().isoformat()
    assert set(baseline["activities"]) == {e.id for e in scenario.activities}
    assert b.cpm is not None
    assert baseline["finish"] == b.cpm.finish_date.isoformat()


def test_a_saved_baseline_survives_a_restart_and_later_saves(
    folder: Path, scenario: Scenario
) -> None:
    folder.mkdir(parents=True)
    shutil.copy(reference("02-planning") / "schedule.json", folder)
    first = saved(folder)["baseline"]
    b = ScheduleBuilder(folder, scenario=scenario)
    assert first["approved_on"] in b.baseline_status.value
    fill(b, "activities[1].duration", 9)
    assert b.save() is not None
    assert saved(folder)["baseline"] == first


def test_freezing_is_refused_while_the_schedule_has_problems(
    folder: Path, scenario: Scenario
) -> None:
    b = ScheduleBuilder(folder, scenario=scenario)
    fill(b, "activities[1].predecessors[0].activity", "NO-SUCH-ACTIVITY")
    assert not b.freeze_baseline()
    assert "Cannot freeze" in b.baseline_status.value
    assert "baseline" not in b.data or b.data["baseline"] is None


def test_a_300_activity_schedule_loads_and_recomputes_after_an_edit(folder: Path) -> None:
    DeliverableStore(folder).save(chain_schedule(300))
    b = ScheduleBuilder(folder)
    assert b.cpm is not None and len(b.cpm.ids) == 300
    assert len(b.gantt.data[0].y) + len(b.gantt.data[1].y) + len(b.gantt.data[2].y) == 300
    assert list(b.gantt.layout.yaxis.range) == [GANTT_ROWS - 0.5, -0.5]  # the first rows
    before = b.cpm.finish
    fill(b, "activities[299].duration", 40)
    assert b.cpm.finish == before + 40 - 5  # A299 is last on the chain; it took 5 days
    assert b.save() is not None
    assert saved(folder)["activities"][299]["duration"] == 40


def test_an_empty_schedule_says_so_and_saves(folder: Path) -> None:
    b = ScheduleBuilder(folder)
    assert b.form.value.get("activities") == []
    assert "No activities yet" in b.summary.value
    assert b.cpm is None
    assert b.save() is not None
    assert saved(folder)["activities"] == []


# -- the figure functions on their own ---------------------------------------------------------


def test_the_figure_functions_draw_a_saved_schedule() -> None:
    schedule = DeliverableStore(reference("02-planning")).load(Schedule)
    assert schedule is not None
    gantt = gantt_figure(schedule)
    assert [t.name for t in gantt.data] == [
        "Critical path",
        "Other activities",
        "Milestones",
        "Baseline",
    ]
    assert gantt.layout.width == WIDTH
    assert len(gantt.data[3].y) == len(schedule.activities)  # the reference has a baseline
    cpm = critical_path(schedule)
    assert set(gantt.data[0].y) <= set(cpm.critical_ids)
    mc = simulate(schedule, seed=1, iterations=500)
    hist = finish_histogram(mc)
    assert [t.name.split()[0] for t in hist.data] == ["Finish", "P50", "P80", "Deadline"]
    tornado = sensitivity_tornado(mc, top=5)
    values = list(tornado.data[0].x)
    assert len(values) == 5
    assert [abs(v) for v in values] == sorted((abs(v) for v in values), reverse=True)
    assert list(tornado.data[0].y) == [aid for aid, _ in mc.tornado(5)]
