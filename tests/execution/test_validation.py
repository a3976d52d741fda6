"""Invalid decisions are refused with the reason and the fix; the log stays unchanged."""

from __future__ import annotations

import pytest

from livepmo.deliverables.decisions import Decision, DecisionLog
from livepmo.execution import DecisionError, Simulation, replay

from .conftest import staged
from .plans import schedule_from_catalogue


def _d(did: str = "D1", week: int = 1, **fields: object) -> Decision:
    return Decision.model_validate({"id": did, "week": week, "type": "crash", **fields})


def refused(sim: Simulation, decision: Decision, *words: str) -> DecisionError:
    """Assert ``decision`` is refused with ``words`` in the reason, leaving sim unchanged."""
    log, history, week = sim.log, sim.history, sim.week
    forecast, events = sim.forecast(), sim.open_events()
    with pytest.raises(DecisionError) as caught:
        sim.decide(decision)
    err = caught.value
    assert err.decision_id == decision.id
    assert err.reason and err.fix
    for word in words:
        assert word in err.reason, err.reason
    assert sim.log == log
    assert (sim.history, sim.week, sim.open_events(), sim.forecast()) == (
        history, week, events, forecast)
    return err


@pytest.fixture
def sim(scenario, plan) -> Simulation:
    """Week 3 of a project whose only shocks are E01 (week 2) and E09 (week 3), and R01
    that strikes in week 2."""
    s = Simulation(staged(scenario, strike={"R01": 2}, fire={"E01": 2, "E09": 3}), plan)
    s.advance(2)
    return s


def test_an_unknown_activity_is_refused_with_the_valid_ids(sim) -> None:
    err = refused(sim, _d(week=3, type="crash", target="NOPE", amount=1), "no activity 'NOPE'")
    assert "BLD-1" in err.fix


def test_an_unknown_risk_and_an_unknown_event_are_refused(sim) -> None:
    refused(sim, _d(week=3, type="mitigate_risk", target="R99", option="R99-M"), "no risk 'R99'")
    refused(sim, _d(week=3, type="respond_to_event", target="E99", option="X"), "no event 'E99'")


def test_an_option_that_does_not_exist_is_refused_with_the_options(sim) -> None:
    err = refused(sim, _d(week=3, type="respond_to_event", target="E09", option="PARTY"),
                  "no option 'PARTY'")
    assert "MEET" in err.fix and "IGNORE" in err.fix
    refused(sim, _d(week=3, type="mitigate_risk", target="R02", option="R01-M"),
            "no response 'R01-M'")


def test_answering_an_event_that_has_not_fired_is_refused(sim) -> None:
    err = refused(sim, _d(week=3, type="respond_to_event", target="E05", option="CONTAIN"),
                  "has not fired")
    assert "E09" in err.fix  # the open events are offered instead


def test_answering_an_event_whose_window_closed_is_refused(sim) -> None:
    # E01 fired in week 2 with one week to answer: its default applied at the end of week 3.
    sim.advance()
    refused(sim, _d(week=4, type="respond_to_event", target="E01", option="SWITCH"),
            "window", "closed in week 3", "'WAIT'")


def test_answering_an_event_twice_is_refused(sim) -> None:
    sim.decide(_d("A", week=3, type="respond_to_event", target="E09", option="MEET"))
    refused(sim, _d("B", week=3, type="respond_to_event", target="E09", option="IGNORE"),
            "already answered", "'A'")


def test_a_decision_dated_in_the_past_is_refused(sim) -> None:
    refused(sim, _d(week=2, type="respond_to_event", target="E09", option="MEET"),
            "week 2", "past")


def test_a_decision_dated_in_a_future_week_is_refused_interactively(sim) -> None:
    err = refused(sim, _d(week=5, type="respond_to_event", target="E09", option="MEET"),
                  "week 5")
    assert "advance" in err.fix


def test_crashing_beyond_the_maximum_is_refused(sim) -> None:
    refused(sim, _d(week=3, target="BLD-4", amount=4), "at most 3 more days")
    sim.decide(_d("C1", week=3, target="BLD-4", amount=2))
    refused(sim, _d("C2", week=3, target="BLD-4", amount=2), "at most 1 more days")


def test_crashing_an_activity_without_crash_data_is_refused(sim) -> None:
    err = refused(sim, _d(week=3, target="DES-4", amount=1), "no crash data")
    assert "BLD-" in err.fix


def test_crashing_needs_a_whole_positive_number_of_days(sim) -> None:
    refused(sim, _d(week=3, target="BLD-4"), "amount")
    refused(sim, _d(week=3, target="BLD-4", amount=1.5), "amount")
    refused(sim, _d(week=3, target="BLD-4", amount=-1), "amount")


def test_acting_on_a_finished_activity_is_refused(sim) -> None:
    for kind, amount in (("crash", 1), ("add_resource", 1), ("fast_track", None)):
        refused(sim, _d(week=3, type=kind, target="PLAN", amount=amount), "already finished")


def test_mitigating_a_risk_that_already_struck_is_refused(sim) -> None:
    refused(sim, _d(week=3, type="mitigate_risk", target="R01", option="R01-M"),
            "already struck in week 2")


def test_mitigating_a_risk_twice_is_refused(sim) -> None:
    sim.decide(_d("M1", week=3, type="mitigate_risk", target="R02", option="R02-M"))
    refused(sim, _d("M2", week=3, type="mitigate_risk", target="R02", option="R02-A"),
            "already has the response 'R02-M'")


def test_a_duplicate_decision_id_is_refused(sim) -> None:
    sim.decide(_d("SAME", week=3, type="accept_risk", target="R12"))
    refused(sim, _d("SAME", week=3, type="accept_risk", target="R11"), "already used")


@pytest.mark.parametrize(("kind", "target", "said"), [
    ("crash", "R02", "'R02' is a risk, but crash acts on an activity"),
    ("mitigate_risk", "BLD-1", "'BLD-1' is an activity, but mitigate_risk acts on a risk"),
    ("respond_to_event", "S01", "'S01' is a stakeholder, but respond_to_event acts on an event"),
    ("escalate", "R02", "'R02' is a risk, but escalate acts on an event"),
])
def test_a_target_of_the_wrong_kind_is_refused(sim, kind, target, said) -> None:
    refused(sim, _d(week=3, type=kind, target=target, option="X", amount=1), said)


def test_a_decision_without_its_target_is_refused(sim) -> None:
    refused(sim, _d(week=3, type="fast_track"), "needs a target activity")


def test_a_change_request_answers_only_scope_and_regulatory_events(sim) -> None:
    err = refused(sim, _d(week=3, type="change_request", target="E09", option="MEET"),
                  "not a change request")
    assert "respond_to_event" in err.fix


def test_fast_tracking_work_that_started_is_refused(scenario, plan) -> None:
    sim = Simulation(staged(scenario), plan)
    sim.advance(3)
    running = [a.id for a in sim.forecast().activities.values() if a.start and not a.finish]
    assert running
    refused(sim, _d(week=4, type="fast_track", target=running[0]), "already started")
    refused(sim, _d(week=4, type="fast_track", target="START"), "already finished")


def test_staffing_limits_are_enforced(sim) -> None:
    refused(sim, _d(week=3, type="add_resource", target="BLD-1", amount=6), "at most 5")
    refused(sim, _d(week=3, type="release_resource", target="BLD-1", amount=1),
            "no people were added")
    refused(sim, _d(week=3, type="add_resource", target="END", amount=1), "milestone")
    sim.decide(_d("P1", week=3, type="add_resource", target="BLD-1", amount=2))
    refused(sim, _d("P2", week=3, type="release_resource", target="BLD-1", amount=3), "1 to 2")


def test_a_closed_project_takes_no_more_decisions(scenario, plan) -> None:
    sim = Simulation(scenario, plan)
    sim.run()
    err = refused(sim, _d("LATE", week=sim.week, type="raise_exception"), "closed")
    assert err.fix
    assert sim.advance() == []


def test_an_activity_left_out_of_the_schedule_cannot_be_acted_on(scenario) -> None:
    plan = schedule_from_catalogue(scenario, leave_out={"DOC-6"})
    sim = Simulation(staged(scenario), plan)
    refused(sim, _d(type="add_resource", target="DOC-6", amount=1), "not in your schedule")


def test_replay_raises_on_the_first_invalid_decision_and_names_it(scenario, plan) -> None:
    log = DecisionLog(decisions=[
        _d("OK", week=1, type="accept_risk", target="R12"),
        _d("BAD", week=2, type="crash", target="DES-1", amount=1),
        _d("ALSO-BAD", week=2, type="crash", target="NOPE", amount=1),
    ])
    with pytest.raises(DecisionError) as caught:
        replay(scenario, plan, log)
    assert caught.value.decision_id == "BAD"
    assert "'BAD'" in str(caught.value) and "no crash data" in str(caught.value)
