"""Earned value: variances, indices and forecasts, and the planned-value curve.

Formulas (PMBOK): CV = EV − AC; SV = EV − PV; CPI = EV / AC; SPI = EV / PV;
EAC = BAC / CPI (typical: today's cost efficiency persists), EAC = AC + (BAC − EV)
(atypical: the rest goes to plan), EAC = AC + (BAC − EV) / (CPI · SPI) (both indices
persist); ETC = EAC − AC; VAC = BAC − EAC; TCPI = (BAC − EV) / (BAC − AC) (the cost
efficiency the remaining work needs to finish on budget). ETC and VAC use the typical
EAC, the usual default.

An index that is not defined yet (CPI while AC is 0, SPI while PV is 0, everything that
depends on them) is ``None``, and :attr:`EarnedValue.undefined` says why in words. No
result ever holds NaN or infinity.

The planned-value curve (S-curve) spreads each activity's planned cost evenly over its
working days, from the baseline when there is one (else from the CPM early dates); a
milestone's cost falls on its day.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from livepmo.planning.cpm import critical_path
from livepmo.planning.network import PlanningError
from livepmo.planning.workdays import DateArray, WorkCalendar

if TYPE_CHECKING:
    from livepmo.deliverables.schedule import Schedule
    from livepmo.deliverables.status import EvmInputs, StatusReport, StatusReports

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class EarnedValue:
    """Earned-value figures for one status date. ``None`` means not defined yet."""

    pv: float
    ev: float
    ac: float
    bac: float
    cv: float
    sv: float
    cpi: float | None
    spi: float | None
    eac: float | None
    eac_atypical: float
    eac_both: float | None
    etc: float | None
    vac: float | None
    tcpi: float | None
    #: Why each ``None`` figure is undefined, by field name.
    undefined: dict[str, str] = field(default_factory=dict)
    #: Warnings that do not make a figure undefined (e.g. the budget is overrun).
    notes: tuple[str, ...] = ()

    def figures(self) -> dict[str, float | None]:
        """The computed figures by name (the fields of a status report's indices)."""
        return {
            "cv": self.cv, "sv": self.sv, "cpi": self.cpi, "spi": self.spi,
            "eac": self.eac, "etc": self.etc, "vac": self.vac, "tcpi": self.tcpi,
        }


def earned_value(pv: float, ev: float, ac: float, bac: float) -> EarnedValue:
    """All earned-value figures from PV, EV, AC and BAC (amounts in one currency).

    Raises :class:`~livepmo.planning.network.PlanningError` for an amount that is
    negative, NaN or infinite.
    """
    for name, value in (("pv", pv), ("ev", ev), ("ac", ac), ("bac", bac)):
        if not math.isfinite(value) or value < 0:
            raise PlanningError(
                f"{name.upper()} is {value!r}", fix=f"give {name.upper()} as an amount of 0 or more"
            )
    undefined: dict[str, str] = {}
    notes: list[str] = []
    cpi = _quotient(ev, ac)
    if cpi is None:
        undefined["cpi"] = "CPI undefined: " + (
            "AC is 0 (no cost recorded yet)" if ac == 0 else "AC is too small to divide by"
        )
    spi = _quotient(ev, pv)
    if spi is None:
        undefined["spi"] = "SPI undefined: " + (
            "PV is 0 (no work was planned by this date)"
            if pv == 0
            else "PV is too small to divide by"
        )
    remaining = bac - ev
    eac: float | None = None
    if cpi is None:
        undefined["eac"] = "EAC (BAC / CPI) undefined: CPI is undefined"
    elif cpi == 0:
        undefined["eac"] = "EAC (BAC / CPI) undefined: CPI is 0 (no value earned yet)"
    elif (eac := _quotient(bac, cpi)) is None:
        undefined["eac"] = "EAC (BAC / CPI) undefined: CPI is too small to divide by"
    eac_both: float | None = None
    if cpi is None or spi is None:
        undefined["eac_both"] = (
            "EAC (both indices) undefined: " + ("CPI" if cpi is None else "SPI") + " is undefined"
        )
    elif (rest := _quotient(remaining, cpi * spi)) is None:
        undefined["eac_both"] = (
            "EAC (both indices) undefined: CPI × SPI is 0 (no value earned yet)"
            if cpi * spi == 0
            else "EAC (both indices) undefined: CPI × SPI is too small to divide by"
        )
    else:
        eac_both = ac + rest
    etc = None if eac is None else eac - ac
    vac = None if eac is None else bac - eac
    if eac is None:
        undefined["etc"] = "ETC undefined: it follows EAC, which is undefined"
        undefined["vac"] = "VAC undefined: it follows EAC, which is undefined"
    tcpi = _quotient(remaining, bac - ac)
    if tcpi is None:
        undefined["tcpi"] = (
            "TCPI undefined: the whole budget is spent (AC = BAC), so no efficiency can "
            "finish the remaining work within BAC"
            if bac == ac
            else "TCPI undefined: BAC − AC is too small to divide by"
        )
    elif ac > bac:
        notes.append(
            "AC exceeds BAC: the budget is already overrun, so TCPI against BAC is negative "
            "and not meaningful; judge the remaining work against EAC instead"
        )
    if ev > bac:
        notes.append("EV exceeds BAC: more value earned than the whole budget; check EV")
    return EarnedValue(
        pv=pv, ev=ev, ac=ac, bac=bac,
        cv=ev - ac, sv=ev - pv,
        cpi=cpi, spi=spi,
        eac=eac, eac_atypical=ac + remaining, eac_both=eac_both,
        etc=etc, vac=vac, tcpi=tcpi,
        undefined=undefined, notes=tuple(notes),
    )


def earned_value_of(inputs: EvmInputs) -> EarnedValue:
    """:func:`earned_value` of a status report's ``evm`` block."""
    return earned_value(inputs.pv, inputs.ev, inputs.ac, inputs.bac)


def earned_value_per_period(
    reports: StatusReports | Iterable[StatusReport],
) -> dict[int, EarnedValue]:
    """Earned-value figures of each status report, by period number (oldest first)."""
    items = reports.reports if hasattr(reports, "reports") else reports
    return {r.period: earned_value_of(r.evm) for r in items}


def _quotient(top: float, bottom: float) -> float | None:
    """``top / bottom``, or None when it is undefined or too large for a float."""
    if bottom == 0:
        return None
    value = top / bottom
    return value if math.isfinite(value) else None


# -- the planned-value curve -----------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PlannedValueCurve:
    """Planned value per working day and cumulative (the S-curve), from ``dates[0]`` on.

    ``source`` says where the dates and costs came from; ``left_out`` lists activities
    that are in the schedule but not in the baseline (unplanned work has no PV).
    """

    dates: DateArray
    daily: FloatArray
    cumulative: FloatArray
    bac: float
    source: Literal["baseline", "early dates"]
    left_out: tuple[str, ...]
    calendar: WorkCalendar

    def at(self, day: date) -> float:
        """Cumulative planned value through ``day`` (inclusive): PV at that status date."""
        if not len(self.dates):
            return 0.0
        first = self.dates[0].astype(object)
        done = self.calendar.workdays_through(day) - self.calendar.offset_on_or_after(first)
        if done <= 0:
            return 0.0
        return float(self.cumulative[min(done, len(self.cumulative)) - 1])

    def by_period(self, ends: Sequence[date]) -> list[float]:
        """Cumulative planned value at each of several status dates."""
        return [self.at(day) for day in ends]


def planned_value_curve(schedule: Schedule) -> PlannedValueCurve:
    """The S-curve of a schedule: baseline dates and costs, else CPM early dates and costs."""
    cal = WorkCalendar.of(schedule)
    acts = schedule.activities
    if schedule.baseline is not None:
        entries = schedule.baseline.activities
        planned = [(aid, entries[aid]) for aid in (a.id for a in acts) if aid in entries]
        left_out = tuple(a.id for a in acts if a.id not in entries)
        starts = cal.offsets_of([e.start for _, e in planned])
        ends = cal.offsets_of([_next_day(e.finish) for _, e in planned])
        costs = np.array([e.cost for _, e in planned], dtype=np.float64)
        source: Literal["baseline", "early dates"] = "baseline"
    else:
        cpm = critical_path(schedule)
        starts = cpm.early_start
        ends = cpm.early_finish
        costs = np.array([a.cost for a in acts], dtype=np.float64)
        left_out = ()
        source = "early dates"
    return _curve(cal, starts, ends, costs, source, left_out)


def _next_day(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _curve(
    cal: WorkCalendar,
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    costs: FloatArray,
    source: Literal["baseline", "early dates"],
    left_out: tuple[str, ...],
) -> PlannedValueCurve:
    if not len(starts):
        empty = np.zeros(0)
        return PlannedValueCurve(
            cal.dates_at(np.zeros(0, np.int64)), empty, empty, 0.0, source, left_out, cal
        )
    # A milestone (or work that spans no working day) takes its cost on its start day.
    ends = np.maximum(ends, starts + 1)
    origin = int(starts.min())
    length = int(ends.max()) - origin
    rate = costs / (ends - starts)
    change = np.zeros(length + 1)
    np.add.at(change, starts - origin, rate)
    np.add.at(change, ends - origin, -rate)
    daily = np.cumsum(change[:-1])
    daily[np.abs(daily) < 1e-9 * max(1.0, float(costs.sum()))] = 0.0
    cumulative = np.cumsum(daily)
    return PlannedValueCurve(
        dates=cal.dates_at(origin + np.arange(length)),
        daily=daily,
        cumulative=cumulative,
        bac=float(costs.sum()),
        source=source,
        left_out=left_out,
        calendar=cal,
    )
