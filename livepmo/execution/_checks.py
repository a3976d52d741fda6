"""Whether a decision can be taken now; every refusal says why and how to fix it.

A check only reads the project's state; it never changes it, so a refused decision
leaves the simulation and its log exactly as they were. Limits are judged on what the
project manager can know (the forecast lengths), never on the hidden true ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NoReturn, TypeAlias

from livepmo.deliverables.decisions import Decision
from livepmo.execution._world import MAX_PEOPLE, Work, World, week_start
from livepmo.execution.errors import DecisionError
from livepmo.scenarios.schema import Event, RiskSeed

CHANGE_REQUEST_KINDS = ("scope_push", "regulatory")

_Fail: TypeAlias = Callable[[str, str], NoReturn]

_TARGETS = {
    "respond_to_event": "event",
    "change_request": "event",
    "escalate": "event",
    "crash": "activity",
    "fast_track": "activity",
    "add_resource": "activity",
    "release_resource": "activity",
    "mitigate_risk": "risk",
    "accept_risk": "risk",
}


def check(
    d: Decision, world: World, week: int, closed: bool, taken: dict[str, Decision]
) -> None:
    """Raise :class:`DecisionError` unless ``d`` can be applied now, in ``week``."""

    def fail(reason: str, fix: str) -> NoReturn:
        raise DecisionError(d.id, reason, fix)

    if d.id in taken:
        other = taken[d.id]
        fail(f"the id is already used by the {other.type} decision of week {other.week}",
             "give every decision its own id")
    if closed:
        fail(f"the project closed at the end of week {week}: every activity is finished",
             "decisions end with the project; record lessons in the closure report instead")
    if d.week < week:
        fail(f"it is dated week {d.week}, but week {week} is being decided: a decision "
             "cannot be dated in the past", f"date it week {week}")
    if d.week > week:
        fail(f"it is dated week {d.week}, but the simulation is deciding week {week}",
             f"advance the simulation to week {d.week} first, or date the decision week {week}")
    expected = _TARGETS.get(d.type)
    if expected is None:  # raise_exception: it needs no target
        return
    if d.target is None:
        fail(f"{d.type} needs a target {expected}", f"set target to the id of the {expected}")
    kind = _kind_of(d.target, world)
    if kind != expected:
        if kind is None:
            fail(f"there is no {expected} {d.target!r}",
                 f"use one of the {expected} ids: {_sample(_ids(expected, world))}")
        if kind == "left-out activity" and expected == "activity":
            fail(f"{d.target!r} is in the catalogue but not in your schedule, so it is not done",
                 f"use an activity of your schedule: {_sample(world.order)}")
        fail(f"{d.target!r} is {_article(kind)} {kind}, but {d.type} acts on {_article(expected)}"
             f" {expected}", f"use one of the {expected} ids: {_sample(_ids(expected, world))}")
    if expected == "activity":
        _check_activity(d, world, world.work[d.target], week, fail)
    elif expected == "risk":
        _check_risk(d, world, world.risks[d.target], fail)
    else:
        _check_event(d, world, world.events[d.target], fail)


def _check_activity(d: Decision, world: World, w: Work, week: int, fail: _Fail) -> None:
    now = week_start(week)
    if w.finish is not None:
        fail(f"{w.id!r} is already finished", "act on an activity that is not finished: "
             + _sample(a for a, x in world.work.items() if x.finish is None))
    if d.type == "fast_track":
        if w.start is not None:
            fail(f"{w.id!r} has already started: only work not started can be fast-tracked",
                 "fast-track an activity that has not started yet")
        if not any(link[1] == "FS" for link in w.links):
            fail(f"{w.id!r} has no finish-to-start predecessor left to overlap",
                 "fast-track an activity that waits for a predecessor to finish")
        return
    if d.type == "crash":
        if w.crash is None:
            fail(f"{w.id!r} has no crash data: it cannot be shortened by adding effort",
                 "crash an activity whose catalogue entry has crash data: "
                 + _sample(a for a, x in world.work.items()
                           if x.crash is not None and x.finish is None))
        left = w.crash.max_days - w.crashed
        room = min(left, w.remaining_known(now) - 1)
        days = _whole(d.amount)
        if days is None or days < 1:
            fail(f"crash needs amount = the whole working days to cut, got {d.amount!r}",
                 f"set amount to a whole number from 1 to {max(room, 1)}")
        if left < 1:
            fail(f"{w.id!r} is already crashed by its maximum of {w.crash.max_days} days",
                 "crash another critical activity, add people or fast-track")
        if days > left:
            fail(f"{w.id!r} can be crashed by at most {left} more days, not {days}",
                 f"set amount to {left} or less")
        if days > room:
            fail(f"{w.id!r} has {w.remaining_known(now)} working days to go; at least one "
                 f"must remain, so it cannot be cut by {days}",
                 f"set amount to {room} or less" if room >= 1 else "crash another activity")
        return
    if w.milestone:
        fail(f"{w.id!r} is a milestone: it has no work to staff",
             "add people to an activity that takes time")
    people = _whole(d.amount)
    if d.type == "add_resource":
        room = MAX_PEOPLE - w.people
        if people is None or people < 1:
            fail(f"add_resource needs amount = the number of people to add, got {d.amount!r}",
                 f"set amount to a whole number from 1 to {max(room, 1)}")
        if people > room:
            fail(f"{w.id!r} has {w.people} people added; at most {MAX_PEOPLE} can be added "
                 f"to one activity, so not {people} more",
                 f"set amount to {room} or less" if room else "the activity is fully staffed")
        return
    if w.people == 0:
        fail(f"no people were added to {w.id!r}, so none can be released",
             "release people only from an activity you added people to")
    if people is None or not 1 <= people <= w.people:
        fail(f"release_resource needs amount = the number of people to release "
             f"(1 to {w.people}), got {d.amount!r}", f"set amount to 1 to {w.people}")


def _check_risk(d: Decision, world: World, risk: RiskSeed, fail: _Fail) -> None:
    responses = [r.id for r in risk.responses]
    if d.option is None and d.type == "mitigate_risk":
        fail(f"mitigate_risk needs option = the response to take against {risk.id!r}",
             f"set option to one of {_sample(responses)}")
    if d.option is not None and d.option not in responses:
        fail(f"{risk.id!r} has no response {d.option!r}",
             f"set option to one of {_sample(responses)}")
    if risk.id in world.struck:
        fail(f"{risk.id!r} already struck in week {world.struck[risk.id]}: it is an issue now",
             "deal with its consequences: crash, add people, answer the events it caused")
    if risk.id in world.mitigated:
        response, week = world.mitigated[risk.id]
        fail(f"{risk.id!r} already has the response {response!r} since week {week}",
             "a risk takes one response; choose it well the first time")
    if d.type == "accept_risk" and risk.id in world.accepted:
        fail(f"{risk.id!r} was already accepted in week {world.accepted[risk.id]}",
             "accept a risk once; mitigate it instead if you changed your mind")


def _check_event(d: Decision, world: World, event: Event, fail: _Fail) -> None:
    state = world.fired.get(event.id)
    open_now = [e for e, s in world.fired.items() if s.answered is None]
    if state is None:
        fail(f"event {event.id!r} has not fired, so there is nothing to answer",
             f"answer an open event: {_sample(open_now)}" if open_now else
             "no event is open now; wait until one fires")
    if state.answered is not None:
        option, week, by = state.answered
        if by == "default":
            fail(f"the window to answer {event.id!r} closed in week {week}: its default "
                 f"option {option!r} was applied", "answer events within their window")
        fail(f"{event.id!r} was already answered with {option!r} by decision {by!r} "
             f"in week {week}", "an event is answered once")
    if d.type == "escalate":
        return
    if d.type == "change_request" and event.kind not in CHANGE_REQUEST_KINDS:
        fail(f"{event.id!r} is a {event.kind} event, not a change request",
             "answer it with respond_to_event; change_request answers scope_push and "
             "regulatory events")
    options = [o.id for o in event.options]
    if d.option is None:
        fail(f"{d.type} needs option = the chosen option of {event.id!r}",
             f"set option to one of {_sample(options)}")
    if d.option not in options:
        fail(f"{event.id!r} has no option {d.option!r}", f"set option to one of {_sample(options)}")


def _kind_of(target: str, world: World) -> str | None:
    if target in world.work:
        return "activity"
    if target in world.left_out:
        return "left-out activity"
    if target in world.risks:
        return "risk"
    if target in world.events:
        return "event"
    if target in world.people:
        return "stakeholder"
    return None


def _ids(kind: str, world: World) -> list[str]:
    if kind == "activity":
        return world.order
    if kind == "risk":
        return list(world.risks)
    return list(world.events)


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _whole(amount: float | None) -> int | None:
    if amount is None or amount != int(amount):
        return None
    return int(amount)


def _sample(ids: Iterable[str], limit: int = 6) -> str:
    items = list(ids)
    if not items:
        return "none"
    shown = ", ".join(items[:limit])
    return shown + (f" (and {len(items) - limit} more)" if len(items) > limit else "")
