"""What the simulation reports: the state after each week, and the outcome at closure.

Every type here is a frozen dataclass of plain values (dates, numbers, text, tuples and
dicts of them), so two runs can be compared with ``==`` and a week's state can be shown,
stored or graded without the simulation that produced it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from livepmo.planning import EarnedValue

OccurrenceKind = Literal["risk", "event", "decision", "default"]
Tolerance = Literal["time", "cost", "scope"]


@dataclass(frozen=True)
class Effect:
    """What one occurrence did to the project, as far as it can be measured when it happens.

    ``cost`` is the one-off cost charged (negative: a saving; for added people, the cost
    they will accrue over the remaining days as known then), ``delay_days`` the working
    days added to activities in reality (summed over activities; negative: days saved),
    ``finish_days`` how far the *forecast* finish moved (working days, + is later),
    ``scope_pct``, ``quality`` and ``satisfaction`` (per stakeholder id) the changes of
    those figures, and ``notes`` what was dropped or limited, in words.
    """

    cost: float = 0.0
    delay_days: int = 0
    finish_days: int = 0
    scope_pct: float = 0.0
    quality: int = 0
    satisfaction: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def describe(self, currency: str = "EUR") -> str:
        """The effect in one line, e.g. ``cost +12,000 EUR; finish +3 working days``."""
        parts: list[str] = []
        if self.cost:
            parts.append(f"cost {self.cost:+,.0f} {currency}")
        if self.finish_days:
            parts.append(f"forecast finish {self.finish_days:+d} working days")
        if self.delay_days:
            parts.append(f"work {self.delay_days:+d} days")
        if self.scope_pct:
            parts.append(f"scope {self.scope_pct:+g}%")
        if self.quality:
            parts.append(f"quality {self.quality:+d}")
        parts.extend(f"satisfaction of {who} {d:+d}" for who, d in self.satisfaction.items() if d)
        return "; ".join(parts) if parts else "no measurable effect"


@dataclass(frozen=True)
class Occurrence:
    """Something that happened in a week: a risk struck, an event fired, a decision applied,
    or an event's default option applied because nobody answered in time.

    ``id`` is the risk, event or decision id; ``subject`` what a decision or default acted
    on (activity, risk or event id); ``option`` the option or response chosen.
    """

    week: int
    kind: OccurrenceKind
    id: str
    title: str
    message: str
    effect: Effect
    subject: str | None = None
    option: str | None = None


@dataclass(frozen=True)
class Breach:
    """A tolerance the forecast breaks (PRINCE2: raise an exception report)."""

    tolerance: Tolerance
    message: str


@dataclass(frozen=True)
class ActivityStatus:
    """One activity of the learner's schedule as the project manager sees it.

    ``start`` and ``finish`` are the actual dates once they happened; the forecast dates
    come from the plan adjusted by every known change (delays, crashing, resources) and
    by the progress so far. ``remaining_days`` is the forecast work left, in working days.
    """

    id: str
    percent_complete: float
    start: date | None
    finish: date | None
    forecast_start: date
    forecast_finish: date
    remaining_days: int
    critical: bool
    people_added: int
    crash_days_left: int


@dataclass(frozen=True)
class Forecast:
    """Where the project is heading, as a project manager can know it at one moment.

    The finish comes from a forward pass over the known durations; ``days_late`` counts
    working days past the scenario's deadline (negative: days to spare). ``cost`` is the
    estimate at completion: BAC / CPI once 20 % of the value is earned (the cumulative
    CPI is stable from there, Christensen 1993), before that AC + (BAC − EV).
    """

    finish: date
    days_late: int
    cost: float
    scope_pct: float
    breaches: tuple[Breach, ...]
    critical: Sequence[str]
    activities: Mapping[str, ActivityStatus]

    @property
    def breached(self) -> tuple[Tolerance, ...]:
        """The tolerances the forecast breaks."""
        return tuple(b.tolerance for b in self.breaches)


@dataclass(frozen=True)
class EventChoice:
    """One option of an open event, as the learner sees it."""

    id: str
    label: str
    consequence: str


@dataclass(frozen=True)
class OpenEvent:
    """An event that fired and waits for an answer.

    Answer it with a ``respond_to_event`` decision (or ``change_request`` when
    ``change_request`` is true) dated no later than ``respond_by_week``; otherwise
    ``default_option`` applies at the end of that week.
    """

    id: str
    title: str
    kind: str
    message: str
    from_stakeholder: str | None
    fired_week: int
    respond_by_week: int
    options: tuple[EventChoice, ...]
    default_option: str
    change_request: bool


@dataclass(frozen=True)
class WeekState:
    """The project at the end of one week.

    Earned value is at the week's last working day (``end``); ``risks_struck`` and
    ``events_fired`` happened at the start of the week, ``decisions`` were applied in log
    order, ``defaults`` are events whose window closed this week unanswered.
    """

    week: int
    end: date
    pv: float
    ev: float
    ac: float
    bac: float
    evm: EarnedValue
    forecast: Forecast
    scope_pct: float
    quality: int
    satisfaction: Mapping[str, int]
    risks_struck: tuple[Occurrence, ...]
    events_fired: tuple[Occurrence, ...]
    decisions: tuple[Occurrence, ...]
    defaults: tuple[Occurrence, ...]
    notes: tuple[str, ...]
    open_events: tuple[str, ...]
    closed: bool

    @property
    def activities(self) -> Mapping[str, ActivityStatus]:
        """Every activity's status at the end of the week."""
        return self.forecast.activities

    @property
    def percent_complete(self) -> dict[str, float]:
        """Percent complete (0 to 1) per activity id."""
        return {aid: a.percent_complete for aid, a in self.forecast.activities.items()}

    @property
    def forecast_finish(self) -> date:
        """The forecast finish date at the end of the week."""
        return self.forecast.finish

    @property
    def forecast_cost(self) -> float:
        """The forecast cost at completion (EAC) at the end of the week."""
        return self.forecast.cost


@dataclass(frozen=True)
class Outcome:
    """The project at closure: what the closure report compares against the baseline.

    Variances are actual minus planned: ``finish_variance_days`` in working days (+ late),
    ``cost_variance_pct`` in % of the planned cost (BAC). The business case holds while
    the actual cost overruns the budget by no more than its ``max_cost_overrun_pct`` and
    the scope delivered is at least its ``min_scope_pct``; ``business_case_notes`` says why.
    """

    scenario: str
    seed: int
    weeks: int
    currency: str
    planned_start: date
    planned_finish: date
    actual_start: date
    actual_finish: date
    deadline: date
    finish_variance_days: int
    deadline_variance_days: int
    planned_cost: float
    actual_cost: float
    cost_variance_pct: float
    budget: float
    scope_pct: float
    quality: int
    satisfaction: Mapping[str, int]
    satisfaction_average: float
    events_fired: tuple[str, ...]
    risks_struck: tuple[str, ...]
    business_case_holds: bool
    business_case_notes: tuple[str, ...]
    key_decisions: tuple[Occurrence, ...]

    def key_figures(self) -> dict[str, str]:
        """The figures a closure report opens with, as printable text."""
        return {
            "finish": f"{self.actual_finish} (planned {self.planned_finish}, "
            f"{self.finish_variance_days:+d} working days)",
            "cost": f"{self.actual_cost:,.0f} {self.currency} (planned {self.planned_cost:,.0f},"
            f" {self.cost_variance_pct:+.1f}%)",
            "scope delivered": f"{self.scope_pct:g}%",
            "quality": str(self.quality),
            "stakeholder satisfaction": f"{self.satisfaction_average:.1f} average",
            "business case": "holds" if self.business_case_holds else "fails",
            "risks struck": str(len(self.risks_struck)),
            "events": str(len(self.events_fired)),
            "decisions": str(sum(d.kind == "decision" for d in self.key_decisions)),
        }
