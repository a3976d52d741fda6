"""How the weeks unfold: reality, risks, events, levers, earned value and the outcome."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from livepmo.deliverables.decisions import Decision
from livepmo.execution import DecisionError, Simulation, SimulationError, do_nothing
from livepmo.execution._reality import (
    _triangular,
    first_doubles,
    stable_hash,
    true_durations,
)
from livepmo.scenarios.schema import CatalogueActivity, Draw

from .conftest import staged
from .plans import schedule_from_catalogue
from .policies import reference_policy


def _d(did: str, week: int, kind: str, target: str | None = None, **fields: object) -> Decision:
    return Decision.model_validate({"id": did, "week": week, "type": kind, "target": target,
                                    **fields})


def _with_draw(scenario, key: str, u: float, week: int):
    return scenario.model_copy(update={"draws": {**scenario.draws, key: Draw(u=u, week=week)}})


def _workdays(first: date, last: date) -> int:
    return int(np.busday_count(first, last)) + 1


# -- inputs ---------------------------------------------------------------------------------


def test_a_scenario_without_seed_is_refused_with_how_to_load_a_variant(base, plan) -> None:
    with pytest.raises(SimulationError, match=r"load_scenario\('synthetic-crm', seed\)"):
        Simulation(base, plan)


# -- reality ----------------------------------------------------------------------------------


def test_true_durations_are_drawn_once_within_the_estimates_and_differ_from_the_plan(
    scenario, plan
) -> None:
    planned = {a.id: a.duration for a in plan.activities}
    drawn = true_durations(scenario.activities, 7, scenario.id)
    assert drawn == true_durations(scenario.activities, 7, scenario.id)
    assert drawn.keys() == {a.id for a in scenario.activities}
    for a in scenario.activities:
        assert math.floor(a.optimistic) <= drawn[a.id] <= math.ceil(a.pessimistic)
        assert (drawn[a.id] == 0) == a.milestone
    assert sum(drawn[k] != planned[k] for k in planned) > len(planned) // 2
    assert drawn != true_durations(scenario.activities, 8, scenario.id)
    # One activity's draw does not depend on which others are drawn with it.
    for a in scenario.activities:
        assert true_durations([a], 7, scenario.id) == {a.id: drawn[a.id]}


@pytest.mark.parametrize("seed", [0, 7, 123_456_789, 2**32 - 1, 2**32, 2**40 + 3])
def test_true_durations_are_the_draws_of_the_documented_seed_list(scenario, seed) -> None:
    drawn = true_durations(scenario.activities, seed, scenario.id)
    for a in scenario.activities:
        if a.milestone or a.pessimistic <= a.optimistic:
            continue
        words = [seed, stable_hash(scenario.id), stable_hash(a.id)]
        value = np.random.default_rng(words).triangular(a.optimistic, a.most_likely,
                                                        a.pessimistic)
        assert drawn[a.id] == max(1, math.floor(value + 0.5)), a.id


_WORD = st.integers(0, 2**32 - 1)


@given(seed=_WORD, scenario_word=_WORD, words=st.lists(_WORD, min_size=1, max_size=8))
def test_the_first_doubles_are_numpys_for_every_seed(
    seed: int, scenario_word: int, words: list[int]
) -> None:
    # first_doubles seeds every activity at once, by numpy's arithmetic: the same bits.
    got = first_doubles(seed, scenario_word, np.array(words, np.uint32))
    want = [np.random.default_rng([seed, scenario_word, w]).random() for w in words]
    assert got.tolist() == want


@given(
    seed=_WORD,
    estimate=st.tuples(*[st.floats(0, 400, allow_subnormal=False)] * 3)
    .map(sorted)
    .filter(lambda e: e[2] > e[0]),
)
def test_a_drawn_duration_is_numpys_triangular_draw(seed: int, estimate: list[float]) -> None:
    low, mode, high = estimate
    want = np.random.default_rng([seed, stable_hash("s"), stable_hash("A1")]).triangular(
        low, mode, high
    )
    u = first_doubles(seed, stable_hash("s"), np.array([stable_hash("A1")], np.uint32))
    got = _triangular(u, *(np.array([v]) for v in estimate))
    assert got.tolist() == [want]  # the very same double
    activity = CatalogueActivity.model_construct(
        id="A1", milestone=False, optimistic=low, most_likely=mode, pessimistic=high
    )
    assert true_durations([activity], seed, "s") == {"A1": max(1, math.floor(want + 0.5))}


def test_without_shocks_each_activity_runs_for_its_true_duration(scenario, plan) -> None:
    sim = Simulation(staged(scenario), plan)
    sim.run()
    final = sim.history[-1].activities
    drawn = true_durations(scenario.activities, 7, scenario.id)
    for a in scenario.activities:
        if a.milestone or any(p.type == "FF" for p in a.predecessors):
            continue  # an FF link may hold an activity open after its work is done
        status = final[a.id]
        assert status.start and status.finish
        assert _workdays(status.start, status.finish) == drawn[a.id], a.id


def test_an_activity_not_in_the_catalogue_runs_for_its_planned_duration(scenario, plan) -> None:
    from livepmo.deliverables.schedule import Activity, Link

    extra = Activity(id="EXTRA", name="Learner's own review", duration=4, cost=3000.0,
                     predecessors=[Link(activity="PLAN")])
    own = plan.model_copy(update={"activities": [*plan.activities, extra]})
    sim = Simulation(staged(scenario), own)
    sim.run()
    status = sim.history[-1].activities["EXTRA"]
    assert _workdays(status.start, status.finish) == 4


# -- history is never rewritten -------------------------------------------------------------


@pytest.mark.parametrize("seed", [3, 21])
@pytest.mark.parametrize("policy", [do_nothing, reference_policy], ids=["do-nothing", "good"])
def test_started_and_finished_activities_keep_their_dates(variant, seed, policy) -> None:
    scenario = variant(seed)
    sim = Simulation(scenario, schedule_from_catalogue(scenario))
    sim.run(policy)
    seen: dict[str, tuple[date | None, date | None]] = {}
    for week in sim.history:
        for aid, status in week.activities.items():
            start, finish = seen.get(aid, (None, None))
            if start is not None:
                assert status.start == start, f"{aid} start moved in week {week.week}"
            if finish is not None:
                assert status.finish == finish, f"{aid} finish moved in week {week.week}"
            if status.finish is not None:
                assert status.start is not None and status.start <= status.finish
                assert status.finish <= week.end
                assert status.percent_complete == 1.0
            seen[aid] = (status.start, status.finish)


# -- earned value --------------------------------------------------------------------------


def test_earned_value_is_finite_every_week_and_complete_at_closure(scenario, plan) -> None:
    sim = Simulation(scenario, plan)
    outcome = sim.run(reference_policy)
    for week in sim.history:
        numbers = [week.pv, week.ev, week.ac, week.bac, week.forecast.cost,
                   *(v for v in week.evm.figures().values() if v is not None)]
        assert all(math.isfinite(x) for x in numbers), week.week
        assert 0 <= week.ev <= week.bac + 1e-6
    last = sim.history[-1]
    assert last.closed and last.ev == pytest.approx(last.bac)
    assert last.pv == pytest.approx(last.bac)
    assert outcome.actual_cost == last.ac
    assert [w.week for w in sim.history] == list(range(1, len(sim.history) + 1))


def test_pv_follows_the_baseline_s_curve(scenario, plan) -> None:
    from livepmo.planning import planned_value_curve

    sim = Simulation(scenario, plan)
    sim.advance(4)
    curve = planned_value_curve(plan)
    assert [w.pv for w in sim.history] == [curve.at(w.end) for w in sim.history]


# -- risks -----------------------------------------------------------------------------------


def test_a_risk_strikes_in_its_week_when_its_draw_is_below_its_probability(scenario, plan) -> None:
    sim = Simulation(_with_draw(staged(scenario), "R02", 0.3, 3), plan)
    states = sim.advance(3)
    assert [o.id for o in states[2].risks_struck] == ["R02"]
    effect = states[2].risks_struck[0].effect
    assert effect.cost == 6000 and effect.delay_days == 8 and effect.quality == -2


def test_mitigating_before_the_strike_week_lowers_the_probability(scenario, plan) -> None:
    sim = Simulation(_with_draw(staged(scenario), "R02", 0.3, 3), plan)
    sim.decide(_d("M", 1, "mitigate_risk", "R02", option="R02-M"))
    weeks = sim.advance(3)
    assert weeks[0].decisions[0].effect.cost == 1500
    assert not any(w.risks_struck for w in weeks)


def test_a_mitigated_risk_that_strikes_anyway_does_less_harm(scenario, plan) -> None:
    sim = Simulation(_with_draw(staged(scenario), "R02", 0.05, 3), plan)
    sim.decide(_d("M", 1, "mitigate_risk", "R02", option="R02-M"))
    effect = sim.advance(3)[2].risks_struck[0].effect
    assert (effect.cost, effect.delay_days) == (3000, 4)


def test_mitigating_in_the_strike_week_is_too_late(scenario, plan) -> None:
    sim = Simulation(_with_draw(staged(scenario), "R02", 0.3, 3), plan)
    sim.advance(2)  # deciding week 3: R02 struck at its start, before any decision
    with pytest.raises(DecisionError, match="already struck in week 3"):
        sim.decide(_d("M", 3, "mitigate_risk", "R02", option="R02-M"))
    assert [o.id for o in sim.advance()[0].risks_struck] == ["R02"]


def test_an_impact_can_raise_the_true_probability_of_another_risk(scenario, plan) -> None:
    # E09 ignored (its default) sets R06's probability to 0.9; its draw of 0.8 then strikes.
    quiet = _with_draw(staged(scenario, fire={"E09": 2}), "R06", 0.8, 5)
    struck = [o.id for w in Simulation(quiet, plan).advance(5) for o in w.risks_struck]
    assert struck == ["R06"]
    answered = Simulation(quiet, plan)
    answered.advance()
    answered.decide(_d("MEET", 2, "respond_to_event", "E09", option="MEET"))
    assert not any(w.risks_struck for w in answered.advance(4))


def test_an_impact_on_a_finished_activity_is_dropped_with_a_note(scenario, plan) -> None:
    sim = Simulation(staged(scenario, strike={"R01": 12}), plan)
    weeks = sim.advance(12)
    assert weeks[-1].activities["BLD-1"].finish is not None
    effect = weeks[-1].risks_struck[0].effect
    assert effect.delay_days == 0
    assert any("'BLD-1' is dropped: it is finished" in n for n in weeks[-1].notes)


def test_an_impact_on_an_activity_left_out_is_dropped_with_a_note(scenario) -> None:
    plan = schedule_from_catalogue(scenario, leave_out={"BLD-2"})
    sim = Simulation(staged(scenario, fire={"E01": 2}), plan)
    weeks = sim.advance(3)  # nobody answers E01: its default WAIT delays BLD-2 in week 3
    default = weeks[2].defaults[0]
    assert (default.id, default.option) == ("E01", "WAIT")
    assert any("'BLD-2' is dropped: it is not in your schedule" in n for n in weeks[2].notes)


# -- events ----------------------------------------------------------------------------------


def test_an_event_fires_only_when_its_preconditions_hold(scenario, plan) -> None:
    alone = Simulation(staged(scenario, fire={"E10": 6}), plan)
    assert not any(w.events_fired for w in alone.advance(6))
    after_e01 = Simulation(staged(scenario, fire={"E01": 3, "E10": 6}), plan)
    fired = [o.id for w in after_e01.advance(6) for o in w.events_fired]
    assert fired == ["E01", "E10"]


def test_a_firing_event_moves_the_stakeholders_who_react_to_its_kind(scenario, plan) -> None:
    sim = Simulation(staged(scenario, fire={"E01": 2}), plan)
    fired = sim.advance(2)[1].events_fired[0]
    assert dict(fired.effect.satisfaction) == {"S03": -4, "S05": -3}
    assert sim.open_events()[0].id == "E01"


def test_an_event_with_no_time_to_respond_is_answered_the_same_week_or_defaults(
    scenario, plan
) -> None:
    sim = Simulation(staged(scenario, fire={"E05": 6}), plan)
    sim.advance(5)
    (event,) = sim.open_events()
    assert (event.id, event.fired_week, event.respond_by_week) == ("E05", 6, 6)
    state = sim.advance()[0]
    assert [(o.id, o.option) for o in state.defaults] == [("E05", "DOWNPLAY")]
    answered = Simulation(staged(scenario, fire={"E05": 6}), plan)
    answered.advance(5)
    answered.decide(_d("C", 6, "respond_to_event", "E05", option="CONTAIN"))
    assert answered.advance()[0].defaults == ()


def test_escalating_extends_the_window_by_two_weeks_and_costs_the_sponsor(scenario, plan) -> None:
    sim = Simulation(staged(scenario, fire={"E01": 2}), plan)
    sim.advance()
    before = sim.history[-1].satisfaction["S01"]
    sim.decide(_d("ESC", 2, "escalate", "E01"))
    assert sim.open_events()[0].respond_by_week == 5
    weeks = sim.advance(4)
    assert weeks[0].satisfaction["S01"] == before - 5
    assert [w.week for w in weeks if w.defaults] == [5]


def test_a_change_request_answers_a_scope_push(scenario, plan) -> None:
    sim = Simulation(staged(scenario, fire={"E02": 4}), plan)
    sim.advance(3)
    assert sim.open_events()[0].change_request
    sim.decide(_d("CR", 4, "change_request", "E02", option="APPROVE"))
    state = sim.advance()[0]
    assert state.scope_pct == 105 and state.decisions[0].effect.cost == 12000


# -- levers ------------------------------------------------------------------------------------


def test_crashing_a_critical_activity_pulls_the_forecast_finish_in(scenario, plan) -> None:
    sim = Simulation(staged(scenario), plan)
    before = sim.forecast()
    assert "SIT" in before.critical
    sim.decide(_d("C", 1, "crash", "SIT", amount=3))
    after = sim.forecast()
    assert after.days_late == before.days_late - 3
    effect = sim.advance()[0].decisions[0].effect
    assert (effect.cost, effect.finish_days) == (6000, -3)
    assert after.activities["SIT"].crash_days_left == 0


def test_fast_tracking_overlaps_the_predecessor_and_costs_quality(scenario, plan) -> None:
    sim = Simulation(staged(scenario), plan)
    before = sim.forecast()
    sim.decide(_d("F", 1, "fast_track", "BLD-1"))
    state = sim.advance()[0]
    assert state.quality == 75 and state.decisions[0].effect.quality == -5
    assert "BLD-1 now starts 3 days after DES-1 starts" in state.decisions[0].message
    assert sim.forecast().activities["BLD-1"].forecast_start < before.activities[
        "BLD-1"].forecast_start


def test_added_people_speed_the_work_up_cost_money_and_quality(scenario, plan) -> None:
    plain = Simulation(staged(scenario), plan)
    plain.run()
    sim = Simulation(staged(scenario), plan)
    planned = next(a.duration for a in plan.activities if a.id == "BLD-1")
    sim.decide(_d("P", 1, "add_resource", "BLD-1", amount=2))
    status = sim.forecast().activities["BLD-1"]
    assert status.people_added == 2
    assert status.remaining_days == math.floor(planned / 1.5 + 0.5)  # a team 1.5 times as fast
    outcome = sim.run()
    assert outcome.quality == 78
    final, base = sim.history[-1].activities["BLD-1"], plain.history[-1].activities["BLD-1"]
    assert final.finish < base.finish
    assert outcome.actual_cost > plain.outcome().actual_cost


def test_released_people_stop_costing_and_slow_the_work_down(scenario, plan) -> None:
    sim = Simulation(staged(scenario), plan)
    sim.decide(_d("P", 1, "add_resource", "BLD-1", amount=2))
    sim.decide(_d("R", 1, "release_resource", "BLD-1", amount=2))
    status = sim.forecast().activities["BLD-1"]
    planned = next(a.duration for a in plan.activities if a.id == "BLD-1")
    assert status.people_added == 0 and status.remaining_days == planned
    plain = Simulation(staged(scenario), plan).run()
    assert sim.run().actual_cost == plain.actual_cost  # released before they worked a day


def test_an_exception_on_a_forecast_breach_earns_goodwill_once(scenario, plan) -> None:
    tight = staged(scenario).model_copy(update={"deadline": date(2027, 2, 1)})
    sim = Simulation(tight, plan)
    assert sim.forecast().breached == ("time",)
    sim.decide(_d("X1", 1, "raise_exception"))
    sim.decide(_d("X2", 1, "raise_exception"))
    first, second = sim.advance()[0].decisions
    assert dict(first.effect.satisfaction) == {"S02": 10, "S01": 5}
    assert dict(second.effect.satisfaction) == {}
    assert "already reported" in second.effect.notes[0]


def test_an_exception_without_a_forecast_breach_costs_the_reviewer(scenario, plan) -> None:
    sim = Simulation(staged(scenario), plan)
    assert sim.forecast().breaches == ()
    sim.decide(_d("X", 1, "raise_exception"))
    assert dict(sim.advance()[0].decisions[0].effect.satisfaction) == {"S02": -5}


# -- the outcome -------------------------------------------------------------------------------


def test_the_outcome_sums_up_the_project_against_its_baseline(scenario, plan) -> None:
    sim = Simulation(scenario, plan)
    with pytest.raises(SimulationError, match="still running"):
        sim.outcome()
    outcome = sim.run(reference_policy)
    last = sim.history[-1]
    assert outcome.weeks == last.week
    assert outcome.planned_finish == plan.baseline.finish
    assert outcome.actual_finish == max(a.finish for a in last.activities.values())
    assert outcome.planned_cost == last.bac == sum(a.cost for a in plan.activities)
    assert outcome.cost_variance_pct == pytest.approx(
        (outcome.actual_cost / outcome.planned_cost - 1) * 100)
    assert outcome.satisfaction == last.satisfaction
    assert outcome.satisfaction_average == pytest.approx(
        sum(last.satisfaction.values()) / len(last.satisfaction))
    assert [d.id for d in outcome.key_decisions if d.kind == "decision"] == [
        d.id for d in sim.log.decisions]
    assert outcome.business_case_notes
    assert set(outcome.key_figures()) >= {"finish", "cost", "business case"}
    assert all(d.effect.describe() for d in outcome.key_decisions)


def test_the_business_case_fails_beyond_its_cost_overrun(scenario, plan) -> None:
    strict = scenario.model_copy(update={"business_case": scenario.business_case.model_copy(
        update={"max_cost_overrun_pct": 0.0})})
    outcome = Simulation(strict, plan).run()
    assert not outcome.business_case_holds
    assert "business case allows" in outcome.business_case_notes[0]
