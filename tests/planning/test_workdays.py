"""The project calendar: working-day offsets and dates."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from livepmo.planning import CalendarError, WorkCalendar
from livepmo.planning.workdays import _day, _days

# Monday 30 December 2024 to Friday 10 January 2025; 1 January is a holiday.
CAL = WorkCalendar(date(2024, 12, 30), holidays=(date(2025, 1, 1),))


def test_offset_zero_is_the_first_working_day():
    assert CAL.date_at(0) == date(2024, 12, 30)


def test_a_start_on_a_weekend_rolls_forward_to_monday():
    assert WorkCalendar(date(2024, 12, 28)).first_day == date(2024, 12, 30)


def test_a_start_on_a_holiday_rolls_forward():
    assert WorkCalendar(date(2025, 1, 1), holidays=(date(2025, 1, 1),)).first_day == date(
        2025, 1, 2
    )


def test_offsets_skip_weekends_and_holidays():
    days = [CAL.date_at(k) for k in range(6)]
    assert days == [
        date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 2),
        date(2025, 1, 3), date(2025, 1, 6), date(2025, 1, 7),
    ]


def test_negative_offsets_count_back_before_the_start():
    assert CAL.date_at(-1) == date(2024, 12, 27)


def test_finish_date_is_the_last_working_day_before_the_end_offset():
    assert CAL.finish_date(3) == date(2025, 1, 2)
    assert CAL.finish_date(0) == date(2024, 12, 30)


def test_a_date_on_a_non_working_day_maps_to_the_next_working_day():
    assert CAL.offset_on_or_after(date(2025, 1, 1)) == 2
    assert CAL.offset_on_or_after(date(2025, 1, 4)) == 4


def test_workdays_through_counts_the_day_itself_when_it_is_worked():
    assert CAL.workdays_through(date(2025, 1, 2)) == 3
    assert CAL.workdays_through(date(2025, 1, 5)) == 4  # Sunday: through Friday 3rd
    assert CAL.workdays_through(date(2024, 12, 29)) == 0


def test_a_six_day_week_works_saturdays():
    six = WorkCalendar(date(2025, 1, 6), weekmask="1111110")
    assert six.date_at(5) == date(2025, 1, 11)
    assert six.workdays == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


@pytest.mark.parametrize("mask", ["0000000", "11111", "1111x00"])
def test_a_weekmask_without_working_days_or_malformed_is_rejected(mask):
    with pytest.raises(CalendarError, match="weekmask"):
        WorkCalendar(date(2025, 1, 6), weekmask=mask)


@given(st.lists(st.dates(), max_size=20))
def test_dates_become_numpy_days_as_numpy_reads_them(days: list[date]) -> None:
    # The calendar converts dates by their ordinals (numpy's own reading is ten times
    # slower): the same days, from year 1 to 9999.
    assert _days(days).tolist() == np.asarray(days, dtype="datetime64[D]").tolist()
    assert [_day(d) for d in days] == [np.datetime64(d, "D") for d in days]
