"""The schedule: activities, their links and estimates, the calendar and the baseline.

Dates are computed from it by the planning engine; this module holds the data and the
rules that make a network schedulable at all (ids exist, no self-links, no cycles).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal, Self

from pydantic import Field, model_validator

from livepmo.deliverables.base import (
    Currency,
    Deliverable,
    Flag,
    Float,
    Id,
    Int,
    Model,
    Money,
    Name,
    Rules,
)

Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
LinkType = Literal["FS", "SS", "FF", "SF"]
Days = Field(ge=0, le=10_000, allow_inf_nan=False)


class Calendar(Model):
    """Which days are working days: a weekly pattern and a list of holidays."""

    workdays: list[Weekday] = Field(
        default=["Mon", "Tue", "Wed", "Thu", "Fri"], min_length=1, max_length=7
    )
    holidays: list[date] = Field(default=[], max_length=2000)

    @property
    def weekmask(self) -> str:
        """numpy's busday weekmask, e.g. '1111100'."""
        days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        return "".join("1" if d in self.workdays else "0" for d in days)


class Estimate(Model):
    """Three-point estimate in working days: optimistic ≤ most likely ≤ pessimistic."""

    optimistic: Float = Days
    most_likely: Float = Days
    pessimistic: Float = Days

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.optimistic <= self.most_likely <= self.pessimistic:
            raise ValueError(
                f"optimistic {self.optimistic:g}, most_likely {self.most_likely:g}, "
                f"pessimistic {self.pessimistic:g} are out of order; "
                "use optimistic ≤ most_likely ≤ pessimistic"
            )
        return self


class Link(Model):
    """A dependency on a predecessor; a negative lag is a lead."""

    activity: Id = Field(description="Id of the predecessor activity")
    type: LinkType = "FS"
    lag: Int = Field(default=0, ge=-1000, le=1000, description="Working days; negative = lead")


class Activity(Model):
    id: Id
    wbs: str = Field(default="", max_length=40, pattern=r"^$|^\d+(\.\d+)*$")
    name: Name
    duration: Int = Field(ge=0, le=10_000, description="Working days; 0 for a milestone")
    estimate: Estimate | None = None
    predecessors: list[Link] = Field(default=[], max_length=200)
    resource: str = Field(default="", max_length=200)
    cost: Money = 0
    milestone: Flag = False
    start_no_earlier_than: date | None = None


class BaselineEntry(Model):
    start: date
    finish: date
    duration: Int = Field(ge=0, le=10_000)
    cost: Money = 0


class Baseline(Model):
    """The plan frozen when the planning gate is approved."""

    approved_on: date
    start: date
    finish: date
    activities: dict[Id, BaselineEntry] = Field(default={}, max_length=100_000)


class Schedule(Deliverable):
    """WBS-based schedule network with calendar and (once approved) a baseline."""

    KIND = "schedule"
    TITLE = "Schedule"

    project_start: date
    deadline: date | None = None
    calendar: Calendar = Calendar()
    currency: Currency = "EUR"
    activities: list[Activity] = Field(default=[], max_length=100_000)
    baseline: Baseline | None = None

    def _rules(self, rules: Rules) -> None:
        ids = [a.id for a in self.activities]
        rules.unique(ids, "activities")
        known = set(ids)
        rules.in_order(self.project_start, self.deadline, "deadline", "project_start")
        for i, a in enumerate(self.activities):
            here = f"activities[{i}]"
            if a.milestone and a.duration != 0:
                rules.add(
                    f"{here}.duration",
                    f"milestone {a.id!r} has duration {a.duration}",
                    "a milestone takes 0 days: set duration 0 or unset milestone",
                )
            rules.in_order(
                self.project_start, a.start_no_earlier_than,
                f"{here}.start_no_earlier_than", "project_start",
            )
            seen: set[str] = set()
            for j, link in enumerate(a.predecessors):
                path = f"{here}.predecessors[{j}].activity"
                if link.activity == a.id:
                    rules.add(path, f"{a.id!r} is linked to itself", "remove the self-link")
                elif link.activity not in known:
                    rules.add(
                        path,
                        f"unknown predecessor {link.activity!r} of {a.id!r}",
                        "use the id of an activity in this schedule, or remove the link",
                    )
                elif link.activity in seen:
                    rules.add(
                        path,
                        f"{a.id!r} is linked to {link.activity!r} twice",
                        "keep one link per predecessor",
                    )
                seen.add(link.activity)
        # Self-links are reported above; leaving them out lets a real cycle show. With a
        # duplicate id the network is ambiguous (a cycle found would be made up), so the
        # check waits until the duplicate is fixed.
        cycle = (
            find_cycle(
                {a.id: [p.activity for p in a.predecessors if p.activity != a.id]
                 for a in self.activities}
            )
            if len(known) == len(ids)
            else []
        )
        if cycle:
            rules.add(
                "activities",
                "the links form a cycle: " + " → ".join([*cycle, cycle[0]]),
                "remove or reverse one link on the cycle",
            )
        if self.baseline is not None:
            rules.in_order(self.baseline.start, self.baseline.finish, "baseline.finish", "start")
            for aid, entry in self.baseline.activities.items():
                rules.in_order(
                    entry.start, entry.finish, f"baseline.activities.{aid}.finish", "its start"
                )
                if aid not in known:
                    rules.add(
                        f"baseline.activities.{aid}",
                        f"baseline names {aid!r}, which is not in the schedule",
                        "re-baseline after removing an activity",
                    )

    def key_figures(self) -> dict[str, str]:
        return {
            "activities": str(len(self.activities)),
            "milestones": str(sum(a.milestone for a in self.activities)),
            "links": str(sum(len(a.predecessors) for a in self.activities)),
            "total cost": f"{sum(a.cost for a in self.activities):,.0f} {self.currency}",
            "start": self.project_start.isoformat(),
            "deadline": self.deadline.isoformat() if self.deadline else "none",
            "baseline": f"approved {self.baseline.approved_on}" if self.baseline else "none",
        }


def find_cycle(predecessors: Mapping[str, Sequence[str]]) -> list[str]:
    """One cycle of the network, in link order, or [] when there is none.

    Iterative depth-first search (a 100k-activity chain must not hit the recursion limit).
    Links to unknown ids are ignored: they are reported on their own.
    """
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(predecessors, white)
    for root in predecessors:
        if colour[root] != white:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        colour[root] = grey
        while stack:
            node, i = stack[-1]
            preds = predecessors[node]
            if i < len(preds):
                stack[-1] = (node, i + 1)
                nxt = preds[i]
                if nxt not in colour:
                    continue
                if colour[nxt] == grey:
                    path = [n for n, _ in stack]
                    cycle = path[path.index(nxt):]
                    return cycle[::-1]  # predecessor-first order reads like the links
                if colour[nxt] == white:
                    colour[nxt] = grey
                    stack.append((nxt, 0))
            else:
                colour[node] = black
                stack.pop()
    return []
