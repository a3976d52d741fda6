"""Working days ↔ calendar dates: the project calendar the planning engine counts in.

The engine computes in *offsets*: whole working days from the project start, where
offset 0 is the first working day on or after the project start date. A calendar maps
offsets to dates and back with numpy's business-day functions, using the schedule's
weekly pattern (``Calendar.weekmask``) and its holidays.

Date conventions (the same everywhere in ``livepmo.planning``):

* an activity that starts at offset ``s`` starts on the morning of working day ``s``;
* an activity that finishes at offset ``f`` (exclusive end: ``f = s + duration``) does
  its last work on working day ``f - 1``, which is its finish date;
* a milestone (duration 0) at offset ``k`` marks the end of working day ``k - 1`` and is
  dated on that day, as MS Project and Primavera date a finish milestone on the day its
  last predecessor ends; a milestone at offset 0 (the project start) is dated day 0;
* a deadline date allows work up to and including that date: the number of working days
  available is the count of working days from the start through the deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import numpy.typing as npt

from livepmo.errors import LivepmoError

if TYPE_CHECKING:
    from livepmo.deliverables.schedule import Schedule

DateArray: TypeAlias = npt.NDArray[np.datetime64]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class CalendarError(LivepmoError):
    """A calendar that has no working days, or a malformed weekmask."""


@dataclass(frozen=True)
class WorkCalendar:
    """The project calendar: which days are worked, and where offset 0 falls.

    ``project_start`` is the date as planned; :attr:`first_day` is the first working day on
    or after it (a start on a weekend or holiday rolls forward). ``weekmask`` has seven
    characters, Monday first, ``1`` for a working day (``"1111100"``: Monday to Friday).
    """

    project_start: date
    weekmask: str = "1111100"
    holidays: tuple[date, ...] = ()
    first_day: date = field(init=False)
    _busdays: np.busdaycalendar = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.weekmask) != 7 or set(self.weekmask) - {"0", "1"} or "1" not in self.weekmask:
            raise CalendarError(
                f"weekmask {self.weekmask!r} is not seven 0/1 characters with a working day "
                "(use e.g. '1111100' for Monday to Friday)"
            )
        busdays = np.busdaycalendar(
            weekmask=self.weekmask,
            holidays=_days(sorted(set(self.holidays))),
        )
        object.__setattr__(self, "_busdays", busdays)
        first = np.busday_offset(_day(self.project_start), 0, roll="forward", busdaycal=busdays)
        object.__setattr__(self, "first_day", first.astype(object))

    @classmethod
    def of(cls, schedule: Schedule) -> WorkCalendar:
        """The calendar of a schedule: its start, working weekdays and holidays."""
        return cls(
            project_start=schedule.project_start,
            weekmask=schedule.calendar.weekmask,
            holidays=tuple(schedule.calendar.holidays),
        )

    @property
    def workdays(self) -> tuple[str, ...]:
        """The working weekdays, e.g. ``("Mon", "Tue", "Wed", "Thu", "Fri")``."""
        return tuple(d for d, flag in zip(_DAYS, self.weekmask, strict=True) if flag == "1")

    # -- offsets to dates -------------------------------------------------------------

    def date_at(self, offset: int) -> date:
        """The date of working day ``offset`` (0 is :attr:`first_day`; negative is before)."""
        day: date = np.busday_offset(
            _day(self.first_day), int(offset), roll="forward", busdaycal=self._busdays
        ).astype(object)
        return day

    def dates_at(self, offsets: npt.ArrayLike) -> DateArray:
        """The dates of many working-day offsets at once, as ``datetime64[D]``."""
        result: DateArray = np.busday_offset(
            _day(self.first_day),
            np.asarray(offsets, dtype=np.int64),
            roll="forward",
            busdaycal=self._busdays,
        )
        return result

    def finish_date(self, end: int) -> date:
        """The date of the last working day before offset ``end`` (an exclusive end).

        Work that ends at offset ``end`` is done on working day ``end - 1``; an ``end`` of 0
        (nothing to do) is dated :attr:`first_day`.
        """
        return self.date_at(end - 1) if end > 0 else self.first_day

    # -- dates to offsets -------------------------------------------------------------

    def offset_on_or_after(self, day: date) -> int:
        """The offset of the first working day on or after ``day`` (negative if before).

        This is how a start-no-earlier-than date becomes an earliest start offset.
        """
        return int(np.busday_count(_day(self.first_day), _day(day), busdaycal=self._busdays))

    def workdays_through(self, day: date) -> int:
        """How many working days there are from :attr:`first_day` through ``day`` inclusive.

        This is how a deadline becomes a latest finish offset: finishing at an offset up to
        this number meets the deadline. It is 0 (or negative) for a day before the start.
        """
        return self.offset_on_or_after(day + timedelta(days=1))

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day in this calendar."""
        return bool(np.is_busday(_day(day), busdaycal=self._busdays))

    def offsets_of(self, days: Sequence[date] | DateArray) -> npt.NDArray[np.int64]:
        """:meth:`offset_on_or_after` for many dates at once."""
        ends = days if isinstance(days, np.ndarray) else _days(days)
        counts: npt.NDArray[np.int64] = np.busday_count(
            _day(self.first_day), ends.astype("datetime64[D]"), busdaycal=self._busdays
        ).astype(np.int64)
        return counts


def deadline_offset(deadline: date | int | None, calendar: WorkCalendar | None) -> int | None:
    """A deadline as the number of working days available (``None`` stays ``None``).

    An int is taken as that number already; a date is counted through ``calendar``
    (:meth:`WorkCalendar.workdays_through`), which it then needs.
    """
    if deadline is None or isinstance(deadline, int):
        return deadline
    if calendar is None:
        raise CalendarError(
            f"a deadline date ({deadline.isoformat()}) needs a calendar to count working days "
            "(pass calendar=WorkCalendar(...), or the deadline as a number of working days)"
        )
    return calendar.workdays_through(deadline)


# numpy reads a date object in about 3 µs (it goes through its fields); its ordinal, the
# day number datetime64 counts from 1970-01-01, in a tenth of that.
_EPOCH = date(1970, 1, 1).toordinal()


def _day(value: date) -> np.datetime64:
    return np.datetime64(value.toordinal() - _EPOCH, "D")


def _days(values: Sequence[date]) -> DateArray:
    """Dates as ``datetime64[D]``, by their ordinals (see :func:`_day`)."""
    ordinals = np.fromiter(map(date.toordinal, values), np.int64, len(values))
    ordinals -= _EPOCH
    return ordinals.astype("datetime64[D]")
