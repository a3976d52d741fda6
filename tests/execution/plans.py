"""Learner schedules built from a scenario's catalogue, as a diligent learner would."""

from __future__ import annotations

from collections.abc import Collection

from livepmo.deliverables.schedule import Schedule
from livepmo.planning import with_baseline
from livepmo.scenarios import schedule_from_catalogue as _from_catalogue
from livepmo.scenarios.schema import Scenario


def schedule_from_catalogue(
    scenario: Scenario, *, leave_out: Collection[str] = (), baseline: bool = True
) -> Schedule:
    """The catalogue's plan at most-likely durations, baselined on the CPM early dates."""
    plan = _from_catalogue(scenario, leave_out=leave_out)
    return with_baseline(plan, scenario.start) if baseline else plan
