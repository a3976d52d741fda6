"""The weekly status is cheap to take but means the same: the activities' statuses are made
when first read, dates come from a table, planned value is counted in offsets."""

from __future__ import annotations

import copy
import pickle

from livepmo.execution import Simulation, replay
from livepmo.execution._world import World, week_start

from .plans import schedule_from_catalogue
from .policies import reference_policy


def test_statuses_read_at_the_end_equal_those_read_week_by_week(scenario, plan) -> None:
    live = Simulation(scenario, plan)
    seen = []
    while not live.closed:
        for d in reference_policy(live):
            live.decide(d)
        week = live.advance()[0]
        seen.append(dict(week.activities))  # made now, before the next week changes the work
    weeks = replay(scenario, plan, live.log)  # made only now, after the whole run
    assert [dict(w.activities) for w in weeks] == seen


def test_statuses_compare_print_and_copy_as_the_dict_they_stand_for(scenario, plan) -> None:
    sim = Simulation(scenario, plan)
    week = sim.advance(3)[-1]
    statuses = week.activities
    plain = dict(statuses)
    assert statuses == plain and plain == statuses
    assert repr(statuses) == repr(plain)
    assert pickle.loads(pickle.dumps(statuses)) == plain
    assert type(copy.deepcopy(statuses)) is dict
    assert list(statuses) == [a.id for a in plan.activities]


def test_planned_value_counted_in_offsets_is_the_curve_at_the_status_date(scenario) -> None:
    for plan in (schedule_from_catalogue(scenario),
                 schedule_from_catalogue(scenario, baseline=False)):
        world = World(scenario, plan)
        for now in range(-2, week_start(2 * world.planned_end // 5 + 10)):
            expected = world.curve.at(world.calendar.date_at(now - 1)) if now > 0 else 0.0
            assert world.planned_value(now) == expected, now


def test_the_date_table_gives_the_calendars_dates(scenario, plan) -> None:
    world = World(scenario, plan)
    offsets = [700, *range(-3, 300), 1200]  # the table grows past its first fill
    assert [world.date_at(k) for k in offsets] == [world.calendar.date_at(k) for k in offsets]
    assert world.date_of_end(0) == world.calendar.finish_date(0)
    assert world.date_of_end(17) == world.calendar.finish_date(17)
