"""Every scenario of the library runs to closure, doing nothing and with the reference
policy, and deciding well clearly pays.

Parametrised over whatever ``scenarios/library/*.yaml`` holds when the tests run; each
scenario is loaded as a learner's variant through ``load_scenario`` and executed on a
schedule built from its own catalogue (most-likely durations, catalogue links, baseline
on the CPM early dates).
"""

from __future__ import annotations

import math

import pytest

from livepmo.execution import Simulation, do_nothing
from livepmo.scenarios import load_scenario, scenario_ids, seed_for

from .plans import schedule_from_catalogue
from .policies import reference_policy

LIBRARY_IDS = scenario_ids()


@pytest.mark.parametrize("scenario_id", LIBRARY_IDS)
def test_a_library_scenario_runs_to_closure_with_and_without_decisions(scenario_id) -> None:
    scenario = load_scenario(scenario_id, seed_for("execution-check", scenario_id))
    plan = schedule_from_catalogue(scenario)
    runs = {}
    for name, policy in (("do-nothing", do_nothing), ("reference", reference_policy)):
        sim = Simulation(scenario, plan)
        outcome = sim.run(policy)
        last = sim.history[-1]
        assert sim.closed and last.closed, name
        assert all(a.finish is not None for a in last.activities.values()), name
        assert outcome.actual_finish >= outcome.actual_start
        for week in sim.history:
            figures = [week.pv, week.ev, week.ac, week.forecast.cost,
                       *(v for v in week.evm.figures().values() if v is not None)]
            assert all(math.isfinite(x) for x in figures), (name, week.week)
        runs[name] = outcome
    assert not [d for d in runs["do-nothing"].key_decisions if d.kind == "decision"]
    assert [d for d in runs["reference"].key_decisions if d.kind == "decision"]
    idle, good = runs["do-nothing"], runs["reference"]
    assert good.finish_variance_days <= idle.finish_variance_days - 10
    assert good.actual_cost < idle.actual_cost
    assert good.quality > idle.quality
