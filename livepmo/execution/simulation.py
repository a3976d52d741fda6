"""The execution simulation: state = f(scenario variant, schedule, decision log), week by week.

Architecture decision 3: execution is event-sourced. The same learner (seed) with the same
schedule and the same decision log always gets the same weeks, to the cent. Interactive
use (:meth:`Simulation.decide` then :meth:`Simulation.advance`) and replaying a log run
the very same steps in the very same order:

1. at the start of week ``w``, risks strike and events fire (scenario order, risks first);
2. the decisions dated ``w`` are applied, in log order (interactively: as they are taken);
3. the work progresses through the week's five working days;
4. events whose window to answer ends in week ``w`` and have no answer get their default
   option (at closure, every event still open does);
5. the week's state is taken, with earned value and the forecast.

A risk strikes in the week of its draw when the draw's ``u`` is below its probability —
the variant's, or the chosen response's ``probability_after`` when it was mitigated in an
earlier week — and its impact is scaled by the response's ``impact_factor``. An event
fires in the week of its draw when ``u`` is below its trigger's probability and its
preconditions hold at the start of that week.

Reality differs from the plan: each catalogue activity truly takes a duration drawn once
from its triangular estimate (see ``_reality``), and costs its catalogue cost per expected
day (the mean of the estimate) for every day of work, plus crashing, added people and
one-off impacts. Risk responses are paid from the risk budget, which does not count against
the cost tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TypeAlias

from livepmo.deliverables.decisions import Decision, DecisionLog
from livepmo.deliverables.schedule import Schedule
from livepmo.execution._checks import CHANGE_REQUEST_KINDS, check
from livepmo.execution._world import PEOPLE_COST, EventState, Work, World, week_start
from livepmo.execution.errors import SimulationError
from livepmo.execution.state import (
    Effect,
    EventChoice,
    Forecast,
    OccurrenceKind,
    OpenEvent,
    Outcome,
    WeekState,
)
from livepmo.execution.state import Occurrence as Occ
from livepmo.scenarios.schema import Event, EventOption, Precondition, RiskSeed, Scenario

#: A policy decides for the project manager: called once per week before the week runs,
#: it returns (or yields) the decisions to take, dated the week being decided.
Policy: TypeAlias = "Callable[[Simulation], Iterable[Decision]]"

ESCALATION_WEEKS = 2
ESCALATION_GOODWILL = -5
FAST_TRACK_QUALITY = -5
EXCEPTION_GOODWILL = (10, 5)  # reviewer, sponsor: "no surprises"
CRY_WOLF_GOODWILL = -5  # reviewer, when no breach was forecast
DEFAULT_MAX_WEEKS = 520


@dataclass
class _WeekLog:
    risks: list[Occ] = field(default_factory=list)
    events: list[Occ] = field(default_factory=list)
    decisions: list[Occ] = field(default_factory=list)
    defaults: list[Occ] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, occurrence: Occ) -> Occ:
        bucket = {"risk": self.risks, "event": self.events, "decision": self.decisions,
                  "default": self.defaults}[occurrence.kind]
        bucket.append(occurrence)
        self.notes.extend(occurrence.effect.notes)
        return occurrence


class Simulation:
    """A learner's project in execution, replaying ``log`` (if given) on construction.

    ``scenario`` must be a learner's variant (``load_scenario(id, seed)``); ``schedule``
    is the learner's plan (its baseline, when approved, gives the planned value and the
    cost baseline). After construction the start of the week being decided
    (:attr:`week`) has been simulated: its risks and events are known and decisions dated
    that week can be taken with :meth:`decide`; :meth:`advance` runs the rest of it.

    Raises :class:`~livepmo.execution.errors.SimulationError` for unusable inputs and
    :class:`~livepmo.execution.errors.DecisionError` for the first invalid decision of
    the log, naming it.
    """

    def __init__(
        self,
        scenario: Scenario,
        schedule: Schedule,
        log: DecisionLog | Iterable[Decision] | None = None,
    ) -> None:
        self._world = World(scenario, schedule)
        self._drawn = _drawn_by_week(scenario)
        self._taken: dict[str, Decision] = {}
        self._history: list[WeekState] = []
        self._week = 1
        self._closed = False
        self._log = _WeekLog()
        self._begin_week()
        decisions = log.decisions if isinstance(log, DecisionLog) else list(log or ())
        for d in decisions:
            while not self._closed and self._week < d.week:
                self._end_week()
            self.decide(d)

    # -- reading ------------------------------------------------------------------------

    @property
    def scenario(self) -> Scenario:
        """The scenario variant being executed."""
        return self._world.scenario

    @property
    def schedule(self) -> Schedule:
        """The learner's schedule being executed."""
        return self._world.schedule

    @property
    def week(self) -> int:
        """The week being decided: its start has been simulated, the rest has not."""
        return self._week

    @property
    def closed(self) -> bool:
        """Whether the project is closed (every activity finished)."""
        return self._closed

    @property
    def history(self) -> tuple[WeekState, ...]:
        """The state at the end of every week simulated so far, oldest first."""
        return tuple(self._history)

    @property
    def log(self) -> DecisionLog:
        """The decisions applied so far, in order (a copy: change it through :meth:`decide`)."""
        return DecisionLog(decisions=list(self._taken.values()))

    def open_events(self) -> list[OpenEvent]:
        """The events that fired and wait for an answer, in the order they fired."""
        out = []
        for eid, st in self._world.fired.items():
            if st.answered is None:
                e = self._world.events[eid]
                out.append(OpenEvent(
                    id=e.id, title=e.title, kind=e.kind, message=e.message,
                    from_stakeholder=e.from_stakeholder, fired_week=st.fired,
                    respond_by_week=st.respond_by,
                    options=tuple(EventChoice(o.id, o.label, o.consequence) for o in e.options),
                    default_option=e.default_option,
                    change_request=e.kind in CHANGE_REQUEST_KINDS,
                ))
        return out

    def forecast(self) -> Forecast:
        """The forecast now: after this week's shocks and the decisions taken so far."""
        return self._world.status(self._now).forecast

    # -- acting -------------------------------------------------------------------------

    def decide(self, decision: Decision) -> None:
        """Validate and apply one decision dated the week being decided, and log it.

        Raises :class:`~livepmo.execution.errors.DecisionError` (with the reason and how
        to fix it) when the decision is invalid now; the state and the log are then
        unchanged.
        """
        check(decision, self._world, self._week, self._closed, self._taken)
        occurrence = self._apply(decision)
        self._taken[decision.id] = decision
        self._log.add(occurrence)

    def advance(self, weeks: int = 1) -> list[WeekState]:
        """Run the rest of the current week and up to ``weeks − 1`` more; their states.

        Each new week's shocks are simulated at once, so decisions can be taken for it.
        Nothing happens once the project is closed (an empty list).
        """
        states: list[WeekState] = []
        for _ in range(weeks):
            if self._closed:
                break
            states.append(self._end_week())
        return states

    def run(self, policy: Policy | None = None, *, max_weeks: int = DEFAULT_MAX_WEEKS) -> Outcome:
        """Advance until every activity is finished, asking ``policy`` for decisions weekly.

        ``policy(sim)`` is called at the start of each week and returns the decisions to
        take (dated :attr:`week`); each is applied as it comes, so a generator policy sees
        the effect of one decision before it chooses the next. Without a policy nothing is
        decided. Raises
        :class:`~livepmo.execution.errors.SimulationError` if the project is not closed by
        ``max_weeks``.
        """
        while not self._closed:
            if self._week > max_weeks:
                raise SimulationError(
                    f"the project is still running after {max_weeks} weeks",
                    fix="check the schedule's durations, or raise max_weeks",
                )
            if policy is not None:
                for d in policy(self):
                    self.decide(d)
            self._end_week()
        return self.outcome()

    def outcome(self) -> Outcome:
        """The project at closure (see :class:`~livepmo.execution.state.Outcome`)."""
        if not self._closed:
            raise SimulationError(
                f"the project is still running (week {self._week})",
                fix="advance until it closes, or call run()",
            )
        world, s = self._world, self._world.scenario
        last = self._history[-1]
        starts = [w.start for w in world.work.values() if w.start is not None]
        end = max(w.finish for w in world.work.values() if w.finish is not None)
        begin = min(starts)
        cost = last.ac
        bac = world.bac
        overrun = (cost / s.budget - 1) * 100 if s.budget else 0.0
        notes: list[str] = []
        case = s.business_case
        if overrun > case.max_cost_overrun_pct:
            notes.append(f"cost {overrun:+.1f}% against the budget {s.budget:,.0f} exceeds the "
                         f"{case.max_cost_overrun_pct:g}% the business case allows")
        if world.scope < case.min_scope_pct:
            notes.append(f"scope delivered {world.scope:g}% is below the "
                         f"{case.min_scope_pct:g}% the benefits need")
        holds = not notes
        if holds:
            notes.append(f"cost {overrun:+.1f}% against the budget (limit "
                         f"+{case.max_cost_overrun_pct:g}%) and scope {world.scope:g}% "
                         f"(at least {case.min_scope_pct:g}%) keep the case")
        sat = dict(world.satisfaction)
        key = tuple(
            o for state in self._history for o in (*state.decisions, *state.defaults)
        )
        return Outcome(
            scenario=s.id,
            seed=world.seed,
            weeks=last.week,
            currency=world.schedule.currency,
            planned_start=world.planned_start,
            planned_finish=world.planned_finish,
            actual_start=world.calendar.date_at(begin),
            actual_finish=world.date_of_end(end),
            deadline=s.deadline,
            finish_variance_days=end - world.planned_end,
            deadline_variance_days=end - world.deadline,
            planned_cost=bac,
            actual_cost=cost,
            cost_variance_pct=(cost / bac - 1) * 100 if bac else 0.0,
            budget=s.budget,
            scope_pct=world.scope,
            quality=world.quality,
            satisfaction=sat,
            satisfaction_average=sum(sat.values()) / len(sat),
            events_fired=tuple(world.fired),
            risks_struck=tuple(world.struck),
            business_case_holds=holds,
            business_case_notes=tuple(notes),
            key_decisions=key,
        )

    # -- the weekly steps -----------------------------------------------------------------

    @property
    def _now(self) -> int:
        return week_start(self._week)

    def _measured(self, now: int, change: Callable[[], Effect]) -> Effect:
        """Apply ``change`` and add how far it moved the forecast finish."""
        before = self._world.forecast_end(now)
        effect = change()
        return replace(effect, finish_days=self._world.forecast_end(now) - before)

    def _occurrence(
        self, kind: OccurrenceKind, oid: str, title: str, message: str, effect: Effect,
        subject: str | None = None, option: str | None = None,
    ) -> Occ:
        return Occ(week=self._week, kind=kind, id=oid, title=title, message=message,
                   effect=effect, subject=subject, option=option)

    def _begin_week(self) -> None:
        """Step 1: the risks and events of the week strike at its start."""
        world, w, now = self._world, self._week, self._now
        draws = world.scenario.draws
        risks, events = self._drawn.get(w, ((), ()))
        for r in risks:
            draw = draws[r.id]
            if r.id in world.struck or draw.u >= world.risk_p[r.id]:
                continue
            world.struck[r.id] = w
            strike = partial(world.apply_impact, r.impact, now, world.risk_factor[r.id])
            effect = self._measured(now, strike)
            what = "opportunity" if r.type == "opportunity" else "risk"
            self._log.add(self._occurrence(
                "risk", r.id, r.title, f"The {what} {r.title!r} occurred: {r.event} "
                f"Effect: {r.effect}", effect,
            ))
        for e in events:
            draw = draws[e.id]
            if (e.id in world.fired or draw.u >= e.trigger.probability
                    or not all(self._holds(p) for p in e.trigger.requires)):
                continue
            world.fired[e.id] = EventState(fired=w, respond_by=w + e.respond_within_weeks)
            effect = self._measured(now, partial(self._fire, e, now))
            self._log.add(self._occurrence("event", e.id, e.title, e.message, effect))

    def _fire(self, e: Event, now: int) -> Effect:
        world = self._world
        effect = world.apply_impact(e.impact, now)
        reactions: dict[str, int] = {}
        says: list[str] = []
        for person in world.scenario.stakeholders:
            for reaction in person.reactions:
                if reaction.to == e.kind:
                    reactions[person.id] = reaction.satisfaction
                    if reaction.says:
                        says.append(f"{person.name}: {reaction.says}")
        moved = world.move_satisfaction(reactions)
        return replace(effect, satisfaction=_merge(effect.satisfaction, moved),
                       notes=(*effect.notes, *says))

    def _mitigated(self, risk_id: str) -> bool:
        # Taking a response whose strategy is "accept" is a decision, not a mitigation: it
        # must not switch off the events that an unmitigated risk lets loose.
        taken = self._world.mitigated.get(risk_id)
        if taken is None:
            return False
        responses = self._world.risks[risk_id].responses
        return next(r for r in responses if r.id == taken[0]).strategy != "accept"

    def _holds(self, pre: Precondition) -> bool:
        world = self._world
        if pre.risk_not_mitigated is not None:
            return not self._mitigated(pre.risk_not_mitigated)
        if pre.risk_mitigated is not None:
            return self._mitigated(pre.risk_mitigated)
        if pre.risk_occurred is not None:
            return pre.risk_occurred in world.struck
        if pre.event_fired is not None:
            return pre.event_fired in world.fired
        if pre.event_not_fired is not None:
            return pre.event_not_fired not in world.fired
        # An activity the learner left out never starts and never runs: the event that
        # needs it cannot happen.
        if pre.activity_started is not None:
            w = world.work.get(pre.activity_started)
            return w is not None and w.start is not None
        if pre.activity_not_finished is not None:
            w = world.work.get(pre.activity_not_finished)
            return w is not None and w.finish is None
        return True

    def _end_week(self) -> WeekState:
        """Steps 3 to 5: progress, defaults of expiring events, the week's state."""
        world, w = self._world, self._week
        first, last = week_start(w), week_start(w + 1)
        timeline = world.timeline(first, known=False)
        world.touch()
        for work, start, finish in zip(
            world.works, timeline.early_start, timeline.early_finish, strict=True
        ):
            if work.finish is not None:
                continue
            if work.start is None and (start < last or finish <= last):
                work.start = start
            if finish <= last:
                work.finish = finish
        world.went_as_laid_out(timeline, last)
        world.accrue(timeline, first, last)
        closed = world.finished
        for eid, st in list(world.fired.items()):
            if st.answered is None and (st.respond_by <= w or closed):
                self._default(world.events[eid], st, last, closed)
        status = world.status(last)
        world.reported &= set(status.forecast.breached)
        log = self._log
        state = WeekState(
            week=w,
            end=world.date_at(last - 1),
            pv=status.pv,
            ev=status.ev,
            ac=status.ac,
            bac=world.bac,
            evm=status.evm,
            forecast=status.forecast,
            scope_pct=world.scope,
            quality=world.quality,
            satisfaction=dict(world.satisfaction),
            risks_struck=tuple(log.risks),
            events_fired=tuple(log.events),
            decisions=tuple(log.decisions),
            defaults=tuple(log.defaults),
            notes=tuple(log.notes),
            open_events=tuple(e for e, s in world.fired.items() if s.answered is None),
            closed=closed,
        )
        self._history.append(state)
        self._log = _WeekLog()
        if closed:
            self._closed = True
        else:
            self._week += 1
            self._begin_week()
        return state

    def _default(self, e: Event, st: EventState, now: int, closed: bool) -> None:
        option = next(o for o in e.options if o.id == e.default_option)
        st.answered = (option.id, self._week, "default")
        effect = self._measured(now, lambda: self._world.apply_impact(option.impact, now))
        why = ("the project closed with it unanswered" if closed and st.respond_by > self._week
               else f"nobody answered by week {st.respond_by}")
        self._log.add(self._occurrence(
            "default", e.id, f"{e.title}: {option.label} (default)",
            f"{why}, so the default applies: {option.consequence}", effect,
            subject=e.id, option=option.id,
        ))

    # -- decisions ------------------------------------------------------------------------

    def _apply(self, d: Decision) -> Occ:
        """Apply a checked decision; the occurrence says what it did."""
        now = self._now
        said: list[tuple[str, str]] = []

        def change() -> Effect:
            effect, title, message = self._take(d, now)
            said.append((title, message))
            return effect

        effect = self._measured(now, change)
        title, message = said[0]
        return self._occurrence("decision", d.id, title, message, effect, d.target, d.option)

    def _take(self, d: Decision, now: int) -> tuple[Effect, str, str]:
        """The change a decision makes: (effect, title, message)."""
        world = self._world
        if d.type == "raise_exception":
            return self._exception()
        assert d.target is not None  # checked: every other type has a target
        if d.type in ("respond_to_event", "change_request"):
            e = world.events[d.target]
            option = _option(e, d.option)
            world.fired[e.id].answered = (option.id, d.week, d.id)
            effect = world.apply_impact(option.impact, now)
            return effect, f"{e.title}: {option.label}", option.consequence
        if d.type == "escalate":
            st = world.fired[d.target]
            st.respond_by += ESCALATION_WEEKS
            st.escalations += 1
            moved = world.move_satisfaction({world.sponsor: ESCALATION_GOODWILL})
            return Effect(satisfaction=moved), f"escalate {d.target}", (
                f"Escalated to the sponsor: the answer to {d.target!r} is now due by week "
                f"{st.respond_by}; the sponsor's goodwill suffers.")
        if d.type in ("mitigate_risk", "accept_risk"):
            return self._risk_decision(d, d.target)
        return self._lever(d, world.work[d.target], now)

    def _risk_decision(self, d: Decision, target: str) -> tuple[Effect, str, str]:
        world = self._world
        risk = world.risks[target]
        if d.type == "accept_risk":
            world.accepted[target] = d.week
            return Effect(), f"accept risk {target}", (
                f"The risk {risk.title!r} is accepted: no action now; it is watched.")
        response = next(r for r in risk.responses if r.id == d.option)
        world.mitigated[target] = (response.id, d.week)
        world.risk_p[target] = response.probability_after
        world.risk_factor[target] = response.impact_factor
        world.spent += response.cost
        world.risk_budget += response.cost
        return (Effect(cost=response.cost), f"{response.strategy} risk {target}",
                response.description)

    def _exception(self) -> tuple[Effect, str, str]:
        world = self._world
        forecast = world.status(self._now).forecast
        breached = set(forecast.breached)
        reviewer, sponsor = world.reviewer, world.sponsor
        if breached - world.reported:
            world.reported |= breached
            up_reviewer, up_sponsor = EXCEPTION_GOODWILL
            moved = _merge(world.move_satisfaction({reviewer: up_reviewer}),
                           world.move_satisfaction({sponsor: up_sponsor}))
            text = "; ".join(b.message for b in forecast.breaches)
            return Effect(satisfaction=moved), "exception report", (
                f"Exception report raised on a forecast breach ({text}): the board "
                "appreciates hearing it early.")
        if breached:
            note = "the breach was already reported; nothing new to escalate"
            return Effect(notes=(note,)), "exception report", (
                "Exception report raised again on a breach the board already knows.")
        moved = world.move_satisfaction({reviewer: CRY_WOLF_GOODWILL})
        return Effect(satisfaction=moved), "exception report", (
            "Exception report raised, but no tolerance breach is forecast: the reviewer "
            "questions the alarm.")

    def _lever(self, d: Decision, work: Work, now: int) -> tuple[Effect, str, str]:
        world = self._world
        days = int(d.amount) if d.amount is not None else 0
        if d.type == "crash":
            cut, cost = world.crash(work, now, days)
            notes = () if cut == days else (
                f"only {cut} of the {days} days could be cut in reality",)
            return (Effect(cost=cost, delay_days=-cut, notes=notes),
                    f"crash {work.id} by {days} days",
                    f"Extra effort shortens {work.id!r} by {days} working days.")
        if d.type == "fast_track":
            changed = []
            links = []
            for pred, kind, lag in work.links:
                if kind == "FS":
                    other = world.work[pred]
                    length = (other.finish - other.start if other.finish is not None
                              and other.start is not None else other.known)
                    lag = max(0, math.ceil(length / 2) + lag)
                    kind = "SS"
                    changed.append(f"{pred} → {work.id} now starts {lag} days after {pred} starts")
                links.append((pred, kind, lag))
            world.relink(work, links)
            before = world.quality
            world.quality = max(0, world.quality + FAST_TRACK_QUALITY)
            return (Effect(quality=world.quality - before),
                    f"fast-track {work.id}",
                    f"{work.id!r} overlaps its predecessors: " + "; ".join(changed) + ".")
        people = days if d.type == "add_resource" else -days
        delta = world.staff(work, now, work.people + people)
        accrual = people * work.rate * PEOPLE_COST * work.remaining_known(now)
        if people > 0:
            before = world.quality
            world.quality = max(0, world.quality - people)
            return (Effect(cost=accrual, delay_days=delta, quality=world.quality - before),
                    f"add {people} people to {work.id}",
                    f"{people} more people work on {work.id!r}; they cost "
                    f"{PEOPLE_COST:.0%} of its daily labour each and need onboarding.")
        return (Effect(cost=accrual, delay_days=delta),
                f"release {-people} people from {work.id}",
                f"{-people} added people leave {work.id!r}.")


def replay(
    scenario: Scenario, schedule: Schedule, log: DecisionLog | Iterable[Decision]
) -> list[WeekState]:
    """Every week of the project from the scenario variant, the schedule and the log.

    Replays the log (raising :class:`~livepmo.execution.errors.DecisionError` on its
    first invalid decision, naming it) and runs on to closure with no further decisions.
    """
    sim = Simulation(scenario, schedule, log)
    sim.run()
    return list(sim.history)


def _drawn_by_week(
    scenario: Scenario,
) -> dict[int, tuple[list[RiskSeed], list[Event]]]:
    """The risks and the events whose draw falls in each week, in scenario order: a week
    looks at its own, not at every risk and event of the scenario."""
    drawn: dict[int, tuple[list[RiskSeed], list[Event]]] = {}
    for r in scenario.risks:
        drawn.setdefault(scenario.draws[r.id].week, ([], []))[0].append(r)
    for e in scenario.events:
        drawn.setdefault(scenario.draws[e.id].week, ([], []))[1].append(e)
    return drawn


def _option(e: Event, option: str | None) -> EventOption:
    return next(o for o in e.options if o.id == option)


def _merge(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out
