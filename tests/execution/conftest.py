"""Fixtures: the synthetic scenario written as YAML into a library folder and loaded as a
learner's variant through ``load_scenario``, and a schedule built from its catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from livepmo.deliverables.schedule import Schedule
from livepmo.scenarios import load_scenario
from livepmo.scenarios.schema import Draw, Scenario

from .plans import schedule_from_catalogue
from .scenario_factory import SCENARIO_ID, write_library

SEED = 7


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_library(tmp_path_factory.mktemp("library"))


@pytest.fixture(scope="session")
def base(library: Path) -> Scenario:
    return load_scenario(SCENARIO_ID, library=library)


@pytest.fixture(scope="session")
def variant(library: Path) -> Callable[[int], Scenario]:
    """A learner's variant by seed, exactly as ``load_scenario(id, seed)`` gives it."""
    cache: dict[int, Scenario] = {}

    def load(seed: int) -> Scenario:
        if seed not in cache:
            cache[seed] = load_scenario(SCENARIO_ID, seed, library=library)
        return cache[seed]

    return load


@pytest.fixture(scope="session")
def scenario(variant: Callable[[int], Scenario]) -> Scenario:
    return variant(SEED)


@pytest.fixture(scope="session")
def plan(scenario: Scenario) -> Schedule:
    return schedule_from_catalogue(scenario)


def staged(
    scenario: Scenario, strike: dict[str, int] | None = None, fire: dict[str, int] | None = None
) -> Scenario:
    """The variant with its fate rewritten: only the risks in ``strike`` and the events in
    ``fire`` happen, in the weeks given (events still need their preconditions)."""
    chosen = {**(strike or {}), **(fire or {})}
    draws = {
        key: Draw(u=0.0, week=chosen[key]) if key in chosen else Draw(u=1.0, week=draw.week)
        for key, draw in scenario.draws.items()
    }
    return scenario.model_copy(update={"draws": draws})
