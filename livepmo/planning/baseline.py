"""Freezing a schedule's baseline: the plan the planning gate approves.

The baseline is the CPM early dates with each activity's duration and cost, fixed from
the day the plan is approved; execution measures progress (PV, variances) against it.
"""

from __future__ import annotations

from datetime import date

from livepmo.deliverables.schedule import Baseline, BaselineEntry, Schedule
from livepmo.planning.cpm import critical_path


def with_baseline(schedule: Schedule, approved_on: date) -> Schedule:
    """A copy of ``schedule`` whose baseline is its current plan, approved on that day."""
    cpm = critical_path(schedule)
    dates = cpm.dates()
    entries = {
        a.id: BaselineEntry(
            start=dates["early_start"][i].astype(object),
            finish=dates["early_finish"][i].astype(object),
            duration=a.duration,
            cost=a.cost,
        )
        for i, a in enumerate(schedule.activities)
    }
    baseline = Baseline(
        approved_on=approved_on, start=cpm.start_date, finish=cpm.finish_date, activities=entries
    )
    return schedule.model_copy(update={"baseline": baseline})
