"""From a scenario's activity catalogue to a learner's schedule."""

from __future__ import annotations

from collections.abc import Collection

from livepmo.deliverables.schedule import Activity, Estimate, Link, Schedule
from livepmo.scenarios.schema import CatalogueActivity, Scenario


def schedule_from_catalogue(scenario: Scenario, *, leave_out: Collection[str] = ()) -> Schedule:
    """A schedule of the catalogue's activities (less ``leave_out``) at their most likely
    durations in whole working days, with the catalogue's estimates, links, costs and
    resources, and the scenario's start, deadline and calendar. Links to activities left
    out are dropped. It is where a learner's plan starts, not a finished plan."""
    activities = [
        to_activity(a, leave_out) for a in scenario.activities if a.id not in leave_out
    ]
    return Schedule(
        project_start=scenario.start,
        deadline=scenario.deadline,
        calendar=scenario.calendar,
        currency=scenario.currency,
        activities=activities,
    )


def to_activity(entry: CatalogueActivity, leave_out: Collection[str] = ()) -> Activity:
    """One catalogue entry as a schedule activity (most likely duration, rounded half up)."""
    return Activity(
        id=entry.id,
        wbs=entry.wbs,
        name=entry.name,
        duration=0 if entry.milestone else max(1, int(entry.most_likely + 0.5)),
        estimate=Estimate(
            optimistic=entry.optimistic,
            most_likely=entry.most_likely,
            pessimistic=entry.pessimistic,
        ),
        predecessors=[
            Link(activity=p.activity, type=p.type, lag=p.lag)
            for p in entry.predecessors
            if p.activity not in leave_out
        ],
        resource=entry.resource,
        cost=entry.cost,
        milestone=entry.milestone,
    )
