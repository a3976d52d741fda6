"""The synthetic scenario is a valid scenario, loaded the way learners' variants are."""

from __future__ import annotations

from livepmo.scenarios import load_scenario

from .conftest import SEED
from .scenario_factory import SCENARIO_ID


def test_the_fixture_loads_a_valid_library_file_as_a_seeded_variant(library, base) -> None:
    assert (library / f"{SCENARIO_ID}.yaml").is_file()
    assert base.seed is None and not base.draws
    assert load_scenario(SCENARIO_ID, SEED, library=library) != base


def test_the_synthetic_scenario_meets_the_schema_minimums(scenario) -> None:
    assert len(scenario.stakeholders) >= 10
    assert len(scenario.activities) >= 35
    assert len(scenario.risks) >= 12
    assert len(scenario.events) >= 12
    assert scenario.seed == SEED
    assert set(scenario.draws) == {r.id for r in scenario.risks} | {e.id for e in scenario.events}
