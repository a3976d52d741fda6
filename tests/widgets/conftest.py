"""Builders are tested without a browser or a kernel: set values, click, read files."""

from __future__ import annotations

from pathlib import Path

import pytest

from livepmo.scenarios import load_scenario
from livepmo.scenarios.schema import Scenario

REFERENCE = Path(__file__).resolve().parents[2] / "scenarios" / "reference"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty deliverables folder."""
    return tmp_path / "deliverables"


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    """The ERP scenario as a learner with seed 0 gets it."""
    return load_scenario("erp-distributor", 0)


def reference(gate: str, scenario_id: str = "erp-distributor") -> Path:
    """The instructor's reference deliverables folder of a gate (cumulative)."""
    return REFERENCE / scenario_id / gate
