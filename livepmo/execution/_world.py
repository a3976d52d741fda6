"""The project's mutable state during execution, and the primitive changes made to it.

The simulation (:mod:`livepmo.execution.simulation`) decides *when* things happen; this
module holds *what* the project is at a moment and how one impact or lever changes it.
Time is counted in working days from the schedule's start (``livepmo.planning``'s
offsets); week ``w`` covers days ``[5(w − 1), 5w)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from operator import mul
from typing import Generic, TypeAlias, TypeVar, cast, overload

import numpy as np

from livepmo.deliverables.schedule import Activity, Schedule
from livepmo.execution._reality import true_durations
from livepmo.execution._timeline import LinkRecord, Timeline, WorkNetwork
from livepmo.execution.errors import SimulationError
from livepmo.execution.state import ActivityStatus, Breach, Effect, Forecast
from livepmo.planning import EarnedValue, WorkCalendar, critical_path, earned_value
from livepmo.planning import planned_value_curve as pv_curve
from livepmo.scenarios.schema import CatalogueActivity, Crash, Impact, Scenario, StakeholderSeed

WEEK_DAYS = 5
QUALITY_START = 80
SCOPE_START = 100.0
MAX_PEOPLE = 5
PEOPLE_SPEED = 0.25  # each added person speeds the remaining work up by 25 % of a team
PEOPLE_COST = 0.4  # each added person costs 40 % of the activity's daily labour cost
#: Christensen (1993): the cumulative CPI is stable once 20 % of the work is done.
CPI_STABLE_AT = 0.2
#: Working days dated at once when the simulation first needs a date (about a year).
DATE_TABLE = 256


def week_start(week: int) -> int:
    """The first working day (offset) of ``week``."""
    return WEEK_DAYS * (week - 1)


def clamp(value: int, low: int = 0, high: int = 100) -> int:
    """``value`` limited to ``[low, high]``."""
    return max(low, min(high, value))


def half_up(value: float) -> int:
    """``value`` rounded to the nearest whole number, halves away from zero."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


@dataclass
class Work:
    """One activity of the learner's schedule as it really runs.

    ``duration`` is the true length (drawn from the catalogue, changed by impacts and
    levers), ``known`` the length the project manager can know (the plan, changed by the
    same impacts and levers). ``labour_days`` is the work content that drives its labour
    cost (the true length plus delays; crashing and added people change the calendar,
    not the work, and are charged on their own).
    """

    id: str
    planned: int
    duration: int
    known: int
    earliest: int
    links: list[LinkRecord]
    planned_cost: float
    rate: float
    flat: float
    labour_days: float
    milestone: bool
    crash: Crash | None
    in_catalogue: bool
    crashed: int = 0
    people: int = 0
    #: What rounding to whole days left over when people were added or released (true
    #: and known), so that adding and releasing them again restores the lengths exactly.
    residue: tuple[float, float] = (0.0, 0.0)
    start: int | None = None
    finish: int | None = None

    def elapsed(self, now: int) -> int:
        """Working days since it started (0 before it starts)."""
        return 0 if self.start is None else max(0, now - self.start)

    @property
    def labour_cost(self) -> float:
        """The true labour cost of the whole activity, as things stand."""
        return self.flat + self.rate * self.labour_days

    def remaining_known(self, now: int) -> int:
        """Forecast working days left (at least 1 while it runs)."""
        return remaining_known(self.known, self.start, self.finish, now)


#: What a week's status copies of one activity: start, finish, known length, people added
#: and days crashed (see :meth:`World.status`).
_WorkFacts: TypeAlias = tuple[int | None, int | None, int, int, int]


def remaining_known(known: int, start: int | None, finish: int | None, now: int) -> int:
    """Forecast working days left of work ``known`` days long (at least 1 while it runs)."""
    if finish is not None:
        return 0
    left = known - (0 if start is None else max(0, now - start))
    return max(left, 1) if start is not None else max(left, 0)


@dataclass
class EventState:
    fired: int
    respond_by: int
    escalations: int = 0
    answered: tuple[str, int, str] | None = None  # (option, week, decision id or "default")


_Statuses: TypeAlias = dict[str, ActivityStatus]
_V = TypeVar("_V")


class _MadeOnRead(Generic[_V]):
    """A value made by ``make`` when first read.

    A review reads every week's earned value and forecast, but hardly ever the statuses
    of all ~45 activities of every week, or which of them are critical; making those
    (dates, a backward pass) was most of the cost of a replay. ``make`` must not depend
    on anything that changes later. Copied or pickled as the plain value it stands for.
    """

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], _V]) -> None:
        self._make: Callable[[], _V] | None = make
        self._made: _V | None = None

    @property
    def _value(self) -> _V:
        if self._make is not None:
            self._made, self._make = self._make(), None
        return cast(_V, self._made)

    def __repr__(self) -> str:
        return repr(self._value)

    def __reduce__(self) -> tuple[type[_V], tuple[_V]]:
        return type(self._value), (self._value,)


class ActivityStatuses(_MadeOnRead[_Statuses], Mapping[str, ActivityStatus]):
    """The activities' statuses of one moment, by id (a dict, made when first read)."""

    __slots__ = ()

    def __getitem__(self, activity: str) -> ActivityStatus:
        return self._value[activity]

    def __iter__(self) -> Iterator[str]:
        return iter(self._value)

    def __len__(self) -> int:
        return len(self._value)


class CriticalActivities(_MadeOnRead[tuple[str, ...]], Sequence[str]):
    """The ids of the unfinished critical activities of one moment (a tuple, made when
    first read: it takes a backward pass)."""

    __slots__ = ()

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        return self._value[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __contains__(self, activity: object) -> bool:
        return activity in self._value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CriticalActivities):
            other = other._value
        return self._value == other

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass
class Status:
    """Earned value and the forecast at one moment (see :meth:`World.status`)."""

    pv: float
    ev: float
    ac: float
    evm: EarnedValue
    forecast: Forecast


@dataclass
class World:
    """Everything that changes during execution, built from a scenario variant and a plan."""

    scenario: Scenario
    schedule: Schedule
    calendar: WorkCalendar = field(init=False)
    work: dict[str, Work] = field(init=False)
    left_out: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        s, plan = self.scenario, self.schedule
        if s.seed is None:
            raise SimulationError(
                f"scenario {s.id!r} is not a learner's variant: it has no seed, so nothing "
                "decides which risks strike and how long the work really takes",
                fix=f"load it with load_scenario({s.id!r}, seed) (seed_for(learner) gives one)",
            )
        missing = [i for i in [*(r.id for r in s.risks), *(e.id for e in s.events)]
                   if i not in s.draws]
        if missing:
            raise SimulationError(
                f"the variant of {s.id!r} has no draw for {', '.join(missing[:5])}",
                fix=f"load the variant with load_scenario({s.id!r}, seed); do not edit draws",
            )
        if not plan.activities:
            raise SimulationError(
                "the schedule has no activities, so there is no work to execute",
                fix="build the schedule from the scenario's activity catalogue first",
            )
        self.seed: int = s.seed
        self.calendar = WorkCalendar.of(plan)
        self.curve = pv_curve(plan)
        self.bac = self.curve.bac
        self._pv_cumulative: list[float] = self.curve.cumulative.tolist()
        self._pv_origin = (
            self.calendar.offset_on_or_after(self.curve.dates[0].astype(object))
            if len(self.curve.dates) else 0
        )
        self._dates: list[date] = []
        self.deadline = self.calendar.workdays_through(s.deadline)
        if plan.baseline is not None:
            self.planned_start = plan.baseline.start
            self.planned_finish = plan.baseline.finish
            self.planned_end = self.calendar.workdays_through(plan.baseline.finish)
            costs = {aid: e.cost for aid, e in plan.baseline.activities.items()}
        else:
            cpm = critical_path(plan)
            self.planned_start = cpm.start_date
            self.planned_finish = cpm.finish_date
            self.planned_end = cpm.finish
            costs = {a.id: a.cost for a in plan.activities}
        catalogue = {a.id: a for a in s.activities}
        self.catalogue = catalogue
        true = true_durations(
            (catalogue[a.id] for a in plan.activities if a.id in catalogue), self.seed, s.id
        )
        self.work = {
            a.id: self._work(a, catalogue.get(a.id), true.get(a.id, a.duration),
                             costs.get(a.id, 0.0))
            for a in plan.activities
        }
        self.left_out = frozenset(catalogue) - frozenset(self.work)
        self.order = list(self.work)
        #: The work by activity index (the schedule's order), as timelines index it.
        self.works = list(self.work.values())
        self.network = WorkNetwork(self.order, [w.links for w in self.works])
        self._planned_costs = [w.planned_cost for w in self.works]  # fixed by the baseline
        self._labour: list[float] | None = None  # each work's labour_cost, while it holds
        self.risks = {r.id: r for r in s.risks}
        self.events = {e.id: e for e in s.events}
        self.people = {p.id: p for p in s.stakeholders}
        self.satisfaction = {p.id: p.satisfaction for p in s.stakeholders}
        self.quality = QUALITY_START
        self.scope = SCOPE_START
        self.spent = 0.0  # one-off costs: impacts, responses, crashing
        self.risk_budget = 0.0  # paid for risk responses, from contingency (PRINCE2)
        self.accrued = 0.0  # cost of added people, accrued per working day
        self.risk_p = {r.id: r.probability for r in s.risks}
        self.risk_factor = {r.id: 1.0 for r in s.risks}
        self.mitigated: dict[str, tuple[str, int]] = {}
        self.accepted: dict[str, int] = {}
        self.struck: dict[str, int] = {}
        self.fired: dict[str, EventState] = {}
        self.reported: set[str] = set()
        self.version = 0
        self._timelines: dict[tuple[int, bool], Timeline] = {}
        self.sponsor = _find(s.stakeholders, s.sponsor.name, None)
        self.reviewer = _find(s.stakeholders, s.reviewer.name, self.sponsor)

    def _work(
        self, a: Activity, entry: CatalogueActivity | None, true: int, planned_cost: float
    ) -> Work:
        """The work of activity ``a`` (``entry`` its catalogue activity, if it has one),
        which truly takes ``true`` working days."""
        earliest = (
            self.calendar.offset_on_or_after(a.start_no_earlier_than)
            if a.start_no_earlier_than is not None
            else 0
        )
        if entry is not None:
            # The catalogue's cost is the work's expected cost, priced at the mean of its
            # estimate: the skew of real durations must not overrun every plan on average.
            typical = (entry.optimistic + entry.most_likely + entry.pessimistic) / 3
            cost, crash = entry.cost, entry.crash
        else:
            typical, cost, crash = float(a.duration), a.cost, None
        work_takes_time = typical > 0
        return Work(
            id=a.id,
            planned=a.duration,
            duration=true,
            known=a.duration,
            earliest=max(earliest, 0),
            links=[(k.activity, k.type, k.lag) for k in a.predecessors],
            planned_cost=planned_cost,
            rate=cost / typical if work_takes_time else 0.0,
            flat=0.0 if work_takes_time else cost,
            labour_days=float(true),
            milestone=true == 0,
            crash=crash,
            in_catalogue=entry is not None,
        )

    # -- time ---------------------------------------------------------------------------

    def date_at(self, offset: int) -> date:
        """The date of working day ``offset``: :meth:`WorkCalendar.date_at`, from a table.

        A week's status dates about a hundred offsets; one numpy call fills the table for
        the whole run (it grows when the project outlasts it).
        """
        dates = self._dates
        if offset >= len(dates):
            more = np.arange(len(dates), max(offset + 1, 2 * len(dates), DATE_TABLE))
            dates.extend(self.calendar.dates_at(more).astype(object).tolist())
        return dates[offset] if offset >= 0 else self.calendar.date_at(offset)

    def date_of_end(self, end: int) -> date:
        """The date of the working day before offset ``end`` (an exclusive end)."""
        return self.date_at(end - 1) if end > 0 else self.calendar.first_day

    def touch(self) -> None:
        """Note that the work changed (lengths, links, starts or finishes)."""
        self.version += 1
        self._timelines.clear()

    def timeline(self, now: int, *, known: bool) -> Timeline:
        """The layout of the work at ``now``: true durations, or the known ones."""
        key = (now, known)
        laid = self._timelines.get(key)
        if laid is None:
            laid = self._timelines[key] = self._lay_out(now, known=known)
        return laid

    def _lay_out(self, now: int, *, known: bool) -> Timeline:
        works = self.works
        lengths = [w.known for w in works] if known else [w.duration for w in works]
        return self.network.lay_out(lengths, works, now)

    def went_as_laid_out(self, timeline: Timeline, now: int) -> None:
        """Note that the work went as ``timeline`` (true durations) laid it out until ``now``.

        Its starts and finishes before ``now`` were just taken from it, so it is also the
        layout at ``now`` (:meth:`WorkNetwork.carry`): a quiet week needs one layout of
        reality, not two. Unless a running activity was stretched: then it is laid out.
        """
        if not timeline.stretched:
            self._timelines[(now, False)] = self.network.carry(timeline, self.works)

    def relink(self, w: Work, links: list[LinkRecord]) -> None:
        """Give ``w`` new links (a fast-track: the same predecessors, other types or lags)."""
        w.links = links
        self.network.relink(w.id, links)
        self.touch()

    def forecast_end(self, now: int) -> int:
        """The forecast project end (exclusive offset) at ``now``."""
        return self.timeline(now, known=True).end

    @property
    def finished(self) -> bool:
        """Whether every activity is finished."""
        return all(w.finish is not None for w in self.works)

    # -- impacts and levers -------------------------------------------------------------

    def apply_impact(self, impact: Impact, now: int, factor: float = 1.0) -> Effect:
        """Apply an impact (scaled by ``factor``) at ``now``; the effect says what changed."""
        notes: list[str] = []
        cost = impact.cost * factor
        self.spent += cost
        delay = 0
        for aid, days in impact.delay.items():
            scaled = half_up(days * factor)
            if not scaled:
                continue
            if aid in self.left_out:
                notes.append(f"a delay of {scaled:+d} days on {aid!r} is dropped: "
                             "it is not in your schedule")
                continue
            w = self.work[aid]
            if w.finish is not None:
                notes.append(f"a delay of {scaled:+d} days on {aid!r} is dropped: it is finished")
                continue
            delay += self.change_length(w, now, scaled)
        scope = impact.scope_pct * factor
        self.scope = min(200.0, max(0.0, self.scope + scope))
        quality = half_up(impact.quality * factor)
        before = self.quality
        self.quality = clamp(self.quality + quality)
        moods = self.move_satisfaction(
            {who: half_up(d * factor) for who, d in impact.satisfaction.items()}
        )
        for rid, p in impact.risk_probability.items():
            if rid in self.struck:
                notes.append(f"the probability of {rid!r} no longer matters: it already struck")
            else:
                self.risk_p[rid] = p
        return Effect(
            cost=cost, delay_days=delay, scope_pct=scope, quality=self.quality - before,
            satisfaction=moods, notes=tuple(notes),
        )

    def change_length(self, w: Work, now: int, days: int) -> int:
        """Add ``days`` (negative: remove) to an unfinished activity; returns the true change.

        A running activity keeps at least one day to go; a shortened one that has not
        started keeps at least one day (none for a milestone).
        """
        self.touch()
        floor = w.elapsed(now) + 1 if w.start is not None else (0 if w.milestone else 1)
        new = max(w.duration + days, floor)
        change = new - w.duration
        w.duration = new
        w.known = max(w.known + days, floor)
        w.labour_days = max(0.0, w.labour_days + change)
        self._labour = None
        return change

    def move_satisfaction(self, changes: dict[str, int]) -> dict[str, int]:
        """Move stakeholders' satisfaction (clamped to 0–100); returns the real changes."""
        moved: dict[str, int] = {}
        for who, d in changes.items():
            if not d or who not in self.satisfaction:
                continue
            before = self.satisfaction[who]
            self.satisfaction[who] = clamp(before + d)
            moved[who] = moved.get(who, 0) + self.satisfaction[who] - before
        return moved

    def crash(self, w: Work, now: int, days: int) -> tuple[int, float]:
        """Shorten ``w`` by ``days`` of crashing; returns (true days cut, cost)."""
        assert w.crash is not None
        self.touch()
        floor = w.elapsed(now) + 1 if w.start is not None else 1
        cut = min(days, max(w.duration - floor, 0))
        w.duration -= cut
        w.known = max(w.known - days, floor)
        w.crashed += days
        cost = days * w.crash.cost_per_day
        self.spent += cost
        return cut, cost

    def staff(self, w: Work, now: int, people: int) -> int:
        """Set the people added to ``w`` to ``people``; returns the true change in days.

        The remaining work is spread over a team that is ``1 + 0.25·people`` as fast.
        """
        self.touch()
        ratio = (1 + PEOPLE_SPEED * w.people) / (1 + PEOPLE_SPEED * people)
        e = w.elapsed(now)
        before = w.duration
        lengths = []
        for length, rest in zip((w.duration, w.known), w.residue, strict=True):
            exact = (max(length - e, 1) + rest) * ratio
            days = max(1, half_up(exact))
            lengths.append((e + days, exact - days))
        (w.duration, true_rest), (w.known, known_rest) = lengths
        w.residue = (true_rest, known_rest)
        w.people = people
        return w.duration - before

    def accrue(self, timeline: Timeline, first: int, last: int) -> None:
        """Charge the added people for the working days ``[first, last)`` they worked."""
        starts, finishes = timeline.early_start, timeline.early_finish
        for k, w in enumerate(self.works):
            if w.people:
                worked = min(last, finishes[k]) - max(first, starts[k])
                if worked > 0:
                    self.accrued += worked * w.rate * PEOPLE_COST * w.people

    # -- measuring ------------------------------------------------------------------------

    def status(self, now: int) -> Status:
        """Earned value at the end of the working day before ``now``, and the forecast."""
        actual = self.timeline(now, known=False)
        known = self.timeline(now, known=True)
        works = self.works
        pct = _percent_complete(works, actual, now)
        ev = sum(map(mul, pct, self._planned_costs))
        labour = self._labour
        if labour is None:  # the work's labour changed (change_length)
            labour = self._labour = [w.labour_cost for w in works]
        ac = max(0.0, sum(map(mul, pct, labour)) + self.spent + self.accrued)
        pv = self.planned_value(now)
        evm = earned_value(pv, ev, ac, self.bac)
        trusted = self.bac > 0 and ev >= CPI_STABLE_AT * self.bac
        cost = evm.eac if trusted and evm.eac is not None else evm.eac_atypical
        days_late = known.end - self.deadline
        # The statuses and the critical activities are made when first read (most weeks
        # never are): from the timeline, which never changes, and a copy of what the work
        # may change.
        facts = [(w.start, w.finish, w.known, w.people, w.crashed) for w in works]
        forecast = Forecast(
            finish=self.date_of_end(known.end),
            days_late=days_late,
            cost=cost,
            scope_pct=self.scope,
            breaches=self.breaches(days_late, cost),
            critical=CriticalActivities(partial(self._critical, known, facts)),
            activities=ActivityStatuses(partial(self._statuses, now, pct, known, facts)),
        )
        return Status(pv=pv, ev=ev, ac=ac, evm=evm, forecast=forecast)

    def _critical(self, known: Timeline, facts: list[_WorkFacts]) -> tuple[str, ...]:
        """The unfinished critical activities (see :meth:`status`)."""
        return tuple([aid for aid, on, fact in zip(self.order, known.on_critical_path, facts,
                                                     strict=True) if on and fact[1] is None])

    def _statuses(
        self, now: int, pct: list[float], known: Timeline, facts: list[_WorkFacts]
    ) -> _Statuses:
        """Every activity's status at ``now`` (see :meth:`status`)."""
        date_at, critical = self.date_at, known.on_critical_path
        statuses = {}
        for k, (aid, w) in enumerate(zip(self.order, self.works, strict=True)):
            start, finish, length, people, crashed = facts[k]
            forecast_start, forecast_finish = _dated(known.early_start[k], known.early_finish[k])
            # A running activity's finish is a dummy: only its start is dated.
            begin = 0 if start is None else start
            first, last = _dated(begin, begin + 1 if finish is None else finish)
            statuses[aid] = ActivityStatus(
                id=aid,
                percent_complete=pct[k],
                start=None if start is None else date_at(first),
                finish=None if finish is None else date_at(last),
                forecast_start=date_at(forecast_start),
                forecast_finish=date_at(forecast_finish),
                remaining_days=remaining_known(length, start, finish, now),
                critical=critical[k] and finish is None,
                people_added=people,
                crash_days_left=0 if w.crash is None else w.crash.max_days - crashed,
            )
        return statuses

    def planned_value(self, now: int) -> float:
        """PV through the working day before ``now``: ``curve.at(date_at(now − 1))``.

        Counted in offsets instead of dates (the working days through the date of offset
        ``k`` are ``k + 1``), which saves the calendar two numpy calls a week.
        """
        cumulative = self._pv_cumulative
        done = now - self._pv_origin
        if now <= 0 or not cumulative or done <= 0:
            return 0.0
        return cumulative[min(done, len(cumulative)) - 1]

    def breaches(self, days_late: int, cost: float) -> tuple[Breach, ...]:
        """The tolerances a forecast (days late, cost at completion) breaks."""
        t = self.scenario.tolerances
        found: list[Breach] = []
        if days_late > t.time_days:
            found.append(Breach("time", f"forecast finish {days_late} working days after the "
                                f"deadline; the tolerance is {t.time_days}"))
        # Risk responses are paid from the risk budget, which (as in PRINCE2) does not count
        # against the cost tolerance: a well-managed risk must not look like a breach.
        baseline = self.bac + self.risk_budget
        limit = baseline * (1 + t.cost_pct / 100)
        if cost > limit + 1e-6:
            over = (cost / baseline - 1) * 100 if baseline else math.inf
            found.append(Breach("cost", f"forecast cost {cost:,.0f} is {over:.1f}% over the "
                                f"cost baseline {baseline:,.0f} (with responses paid from "
                                f"the risk budget); the tolerance is {t.cost_pct:g}%"))
        if self.scope < 100 - t.scope_pct - 1e-9:
            found.append(Breach("scope", f"scope delivered {self.scope:g}% is below "
                                f"{100 - t.scope_pct:g}% (tolerance {t.scope_pct:g}%)"))
        return tuple(found)


def _percent_complete(works: list[Work], actual: Timeline, now: int) -> list[float]:
    """How much of each activity is done by ``now`` in reality, 0 to 1, by index."""
    pct: list[float] = []
    for w, start, finish in zip(works, actual.early_start, actual.early_finish, strict=True):
        if finish <= start:
            pct.append(1.0 if w.finish is not None else 0.0)
        else:
            # min(1, max(0, share)), spelled out: it runs for every activity every week.
            share = (now - start) / (finish - start)
            pct.append(1.0 if share >= 1.0 else share if share > 0.0 else 0.0)
    return pct


def _dated(start: int, finish: int) -> tuple[int, int]:
    """The offsets work over ``[start, finish)`` is dated on: its first and last working
    day; a milestone (no length) on the day it closes (see livepmo.planning.workdays)."""
    if finish <= start:
        day = max(finish - 1, 0)
        return day, day
    return start, finish - 1


def _find(people: list[StakeholderSeed], name: str, other_than: str | None) -> str:
    """The stakeholder called ``name``, else the most powerful one (not ``other_than``)."""
    wanted = name.casefold().strip()
    for p in people:
        if p.name.casefold().strip() == wanted:
            return p.id
    # Ties go to the first listed (by position, not people.index: pydantic's == is slow).
    ranked = [(p.power, p.interest, -i, p.id) for i, p in enumerate(people)]
    pool = [r for r in ranked if r[3] != other_than] or ranked
    return max(pool)[3]
