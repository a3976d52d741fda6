"""Execution: the event-sourced, deterministic simulation of a learner's project.

State = f(scenario variant, schedule, decision log), computed week by week (architecture
decision 3). Typical use::

    from livepmo.execution import Simulation
    from livepmo.scenarios import load_scenario, seed_for

    scenario = load_scenario("erp-distributor", seed_for("learner-17", "erp-distributor"))
    sim = Simulation(scenario, schedule, log)   # replays the learner's decisions
    sim.open_events()                           # what waits for an answer this week
    sim.decide(decision)                        # checked, applied, logged
    week = sim.advance()[0]                     # EVM, forecast, what happened
    outcome = sim.run()                         # on to closure: the closure figures
"""

from __future__ import annotations

from livepmo.execution.errors import DecisionError, SimulationError
from livepmo.execution.policies import do_nothing
from livepmo.execution.simulation import Policy, Simulation, replay
from livepmo.execution.state import (
    ActivityStatus,
    Breach,
    Effect,
    EventChoice,
    Forecast,
    Occurrence,
    OpenEvent,
    Outcome,
    WeekState,
)

__all__ = [
    "ActivityStatus",
    "Breach",
    "DecisionError",
    "Effect",
    "EventChoice",
    "Forecast",
    "Occurrence",
    "OpenEvent",
    "Outcome",
    "Policy",
    "Simulation",
    "SimulationError",
    "WeekState",
    "do_nothing",
    "replay",
]
