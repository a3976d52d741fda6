"""Scenarios: real-world IT projects as validated data, and per-learner variants."""

from __future__ import annotations

from livepmo.scenarios.brief import brief
from livepmo.scenarios.catalogue import schedule_from_catalogue
from livepmo.scenarios.loader import (
    LIBRARY,
    ScenarioError,
    ScenarioInfo,
    list_scenarios,
    load_scenario,
    read_scenario,
    scenario_ids,
    seed_for,
)
from livepmo.scenarios.schema import Event, RiskSeed, Scenario

__all__ = [
    "LIBRARY",
    "Event",
    "RiskSeed",
    "Scenario",
    "ScenarioError",
    "ScenarioInfo",
    "brief",
    "list_scenarios",
    "load_scenario",
    "read_scenario",
    "scenario_ids",
    "schedule_from_catalogue",
    "seed_for",
]
