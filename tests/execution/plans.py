"""Learner schedules built from a scenario's catalogue, as a diligent learner would."""

from __future__ import annotations

import math
from collections.abc import Collection

from livepmo.scenarios.schema import Scenario

from livepmo.deliverables.schedule import (
    Activity,
    Baseline,
    BaselineEntry,
    Estimate,
    Link,
    Schedule,
)
from livepmo.planning import critical_path


def schedule_from_catalogue(
    scenario: Scenario, *, leave_out: Collection[str] = (), baseline: bool = True
) -> Schedule:
    """Most-likely durations (whole days), the catalogue's links and costs, baselined on
    the CPM early dates. Links to activities left out are dropped."""
    kept = [a for a in scenario.activities if a.id not in leave_out]
    activities = [
        Activity(
            id=a.id, wbs=a.wbs, name=a.name,
            duration=0 if a.milestone else max(1, math.floor(a.most_likely + 0.5)),
            estimate=Estimate(optimistic=a.optimistic, most_likely=a.most_likely,
                              pessimistic=a.pessimistic),
            predecessors=[Link(activity=p.activity, type=p.type, lag=p.lag)
                          for p in a.predecessors if p.activity not in leave_out],
            resource=a.resource, cost=a.cost, milestone=a.milestone,
        )
        for a in kept
    ]
    plan = Schedule(project_start=scenario.start, deadline=scenario.deadline,
                    calendar=scenario.calendar, currency=scenario.currency,
                    activities=activities)
    if not baseline:
        return plan
    cpm = critical_path(plan)
    dates = cpm.dates()
    index = {aid: i for i, aid in enumerate(cpm.ids)}
    entries = {
        a.id: BaselineEntry(
            start=dates["early_start"][index[a.id]].astype(object),
            finish=dates["early_finish"][index[a.id]].astype(object),
            duration=a.duration, cost=a.cost,
        )
        for a in activities
    }
    return plan.model_copy(update={"baseline": Baseline(
        approved_on=scenario.start, start=cpm.start_date, finish=cpm.finish_date,
        activities=entries,
    )})
