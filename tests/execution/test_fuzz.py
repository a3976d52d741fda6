"""Hypothesis throws random decisions at the simulation: it never crashes, every refusal is
explained and leaves the log unchanged, and whatever was accepted replays exactly."""

from __future__ import annotations

from typing import get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livepmo.deliverables.decisions import Decision, DecisionLog, DecisionType
from livepmo.execution import DecisionError, Simulation, replay

TYPES = list(get_args(DecisionType))


def _pools(scenario):
    targets = [a.id for a in scenario.activities] + [r.id for r in scenario.risks]
    targets += [e.id for e in scenario.events] + ["S01", "NOPE"]
    options = [x.id for r in scenario.risks for x in r.responses]
    options += [o.id for e in scenario.events for o in e.options] + ["NOPE"]
    return targets, options


def decisions(scenario, week: st.SearchStrategy[int]) -> st.SearchStrategy[Decision]:
    targets, options = _pools(scenario)
    return st.builds(
        Decision,
        id=st.sampled_from([f"D{i}" for i in range(40)]),
        week=week,
        type=st.sampled_from(TYPES),
        target=st.none() | st.sampled_from(targets),
        option=st.none() | st.sampled_from(options),
        amount=st.none() | st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 6.0, 1e9]),
    )


def _history_is_never_rewritten(sim: Simulation) -> None:
    seen: dict[str, tuple[object, object]] = {}
    for week in sim.history:
        for aid, status in week.activities.items():
            start, finish = seen.get(aid, (None, None))
            assert start is None or status.start == start
            assert finish is None or status.finish == finish
            seen[aid] = (status.start, status.finish)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_interactive_decisions_are_applied_or_explained(scenario, plan, data) -> None:
    sim = Simulation(scenario, plan)
    weeks = data.draw(st.integers(1, 10), label="weeks with decisions")
    for _ in range(weeks):
        if sim.closed:
            break
        near = st.sampled_from([sim.week - 1, sim.week, sim.week, sim.week, sim.week + 1])
        for d in data.draw(st.lists(decisions(scenario, near.filter(lambda w: w >= 1)),
                                    max_size=6)):
            log = sim.log
            try:
                sim.decide(d)
            except DecisionError as err:
                assert err.decision_id == d.id
                assert err.reason.strip() and err.fix.strip()
                assert sim.log == log
        sim.advance()
    outcome = sim.run()
    assert outcome.actual_cost > 0
    _history_is_never_rewritten(sim)
    assert replay(scenario, plan, sim.log) == list(sim.history)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_random_log_replays_to_closure_or_names_its_first_invalid_decision(
    scenario, plan, data
) -> None:
    drawn = data.draw(st.lists(decisions(scenario, st.integers(1, 20)), max_size=12))
    drawn.sort(key=lambda d: d.week)
    unique = list({d.id: d for d in drawn}.values())
    unique.sort(key=lambda d: d.week)
    log = DecisionLog(decisions=unique)
    try:
        weeks = replay(scenario, plan, log)
    except DecisionError as err:
        assert err.reason.strip() and err.fix.strip()
        ids = [d.id for d in log.decisions]
        assert err.decision_id in ids
        before = log.decisions[: ids.index(err.decision_id)]
        Simulation(scenario, plan, before).run()  # everything before it is valid
    else:
        assert weeks[-1].closed
