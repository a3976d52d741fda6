"""Architecture decision 3: scenario + seed + decision log → state, the same every time."""

from __future__ import annotations

from livepmo.deliverables.decisions import DecisionLog
from livepmo.execution import Simulation, do_nothing, replay

from .plans import schedule_from_catalogue
from .policies import reference_policy


def test_two_runs_of_the_same_inputs_are_equal_week_by_week(scenario, plan) -> None:
    first, second = Simulation(scenario, plan), Simulation(scenario, plan)
    assert first.run(reference_policy) == second.run(reference_policy)
    assert first.history == second.history
    assert first.log == second.log


def test_replaying_the_log_reproduces_every_week_exactly(scenario, plan) -> None:
    live = Simulation(scenario, plan)
    live.run(reference_policy)
    assert len(live.log.decisions) > 10
    assert replay(scenario, plan, live.log) == list(live.history)


def test_interactive_decide_and_advance_equal_the_replay_of_the_same_log(scenario, plan) -> None:
    policy = reference_policy
    live = Simulation(scenario, plan)
    weeks = []
    while not live.closed:
        for d in policy(live):
            live.decide(d)
        weeks += live.advance()
    replayed = replay(scenario, plan, live.log)
    assert len(replayed) == len(weeks)
    for mine, theirs in zip(weeks, replayed, strict=True):
        assert mine == theirs, f"week {mine.week} differs"


def test_a_log_replayed_on_construction_can_be_continued_interactively(scenario, plan) -> None:
    live = Simulation(scenario, plan)
    live.run(reference_policy)
    half = DecisionLog(decisions=[d for d in live.log.decisions if d.week <= 4])
    resumed = Simulation(scenario, plan, half)
    assert resumed.week == max(d.week for d in half.decisions)
    for d in live.log.decisions:
        if d.week > 4:
            while resumed.week < d.week:
                resumed.advance()
            resumed.decide(d)
    resumed.run()
    assert resumed.history == live.history


def test_the_same_seed_gives_the_same_outcome_and_another_seed_another(variant) -> None:
    a, b, c = variant(11), variant(11), variant(12)
    out_a = Simulation(a, schedule_from_catalogue(a)).run(do_nothing)
    out_b = Simulation(b, schedule_from_catalogue(b)).run(do_nothing)
    out_c = Simulation(c, schedule_from_catalogue(c)).run(do_nothing)
    assert out_a == out_b
    assert (out_a.actual_finish, out_a.actual_cost) != (out_c.actual_finish, out_c.actual_cost)
