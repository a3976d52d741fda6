"""Doing nothing and deciding well both reach closure, with clearly different outcomes."""

from __future__ import annotations

import pytest

from livepmo.execution import Simulation, do_nothing

from .plans import schedule_from_catalogue
from .policies import reference_policy


@pytest.mark.parametrize("seed", [1, 7, 21])
def test_the_good_policy_beats_doing_nothing_on_time_cost_and_satisfaction(variant, seed) -> None:
    scenario = variant(seed)
    plan = schedule_from_catalogue(scenario)
    idle = Simulation(scenario, plan).run(do_nothing)
    good = Simulation(scenario, plan).run(reference_policy)
    assert idle.weeks > 0 and good.weeks > 0  # both closed
    assert not [d for d in idle.key_decisions if d.kind == "decision"]
    assert good.finish_variance_days <= idle.finish_variance_days - 5
    assert good.actual_cost < idle.actual_cost
    assert good.satisfaction_average >= idle.satisfaction_average + 5
    assert good.quality > idle.quality


def test_doing_nothing_lets_every_fired_event_default(scenario, plan) -> None:
    outcome = Simulation(scenario, plan).run(do_nothing)
    defaults = [d.subject for d in outcome.key_decisions if d.kind == "default"]
    assert sorted(defaults) == sorted(outcome.events_fired)
