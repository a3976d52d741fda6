"""Worked examples checked to the day."""

from __future__ import annotations

from datetime import date

import pytest

from livepmo.deliverables.schedule import Schedule
from livepmo.planning import Network, critical_path

COLUMNS = ("early_start", "early_finish", "late_start", "late_finish", "total_float")


def _rows(result):
    table = result.table()
    return {aid: tuple(table[c][i] for c in COLUMNS) for i, aid in enumerate(table["id"])}


# Heizer & Render, Operations Management, chapter "Project Management": the Milwaukee
# Paper Manufacturing pollution-control project (weeks). Published table: ES, EF, LS, LF,
# slack; critical path A-C-E-G-H; 15 weeks.
MILWAUKEE = [
    ("A", 2, []),
    ("B", 3, []),
    ("C", 2, [("A", "FS", 0)]),
    ("D", 4, [("A", "FS", 0), ("B", "FS", 0)]),
    ("E", 4, [("C", "FS", 0)]),
    ("F", 3, [("C", "FS", 0)]),
    ("G", 5, [("D", "FS", 0), ("E", "FS", 0)]),
    ("H", 2, [("F", "FS", 0), ("G", "FS", 0)]),
]


def test_milwaukee_paper_matches_the_textbook_table():
    result = critical_path(Network.from_records(MILWAUKEE))
    assert _rows(result) == {
        "A": (0, 2, 0, 2, 0),
        "B": (0, 3, 1, 4, 1),
        "C": (2, 4, 2, 4, 0),
        "D": (3, 7, 4, 8, 1),
        "E": (4, 8, 4, 8, 0),
        "F": (4, 7, 10, 13, 6),
        "G": (8, 13, 8, 13, 0),
        "H": (13, 15, 13, 15, 0),
    }
    assert result.finish == 15
    assert result.critical_paths() == [("A", "C", "E", "G", "H")]


def test_milwaukee_paper_free_float():
    result = critical_path(Network.from_records(MILWAUKEE))
    free = dict(zip(result.ids, result.free_float.tolist(), strict=True))
    # D can slip 1 week before G's early start (8 - 7); F 6 weeks before H's (13 - 7).
    assert free == {"A": 0, "B": 0, "C": 0, "D": 1, "E": 0, "F": 6, "G": 0, "H": 0}


# The precedence-diagram example of open course material ("Network Construction -
# Precedence Diagram Method": activities A-N, start-to-start links B-A, J-G, K-I), in days.
# Every figure below was checked by hand: e.g. J starts at max(EF C 15, ES G 14) = 15;
# G's late start is held to LS J = 23 by the SS link although N would allow 25.
PDM = [
    ("A", 2, []),
    ("B", 10, [("A", "SS", 0)]),
    ("C", 13, [("A", "FS", 0)]),
    ("D", 12, [("A", "FS", 0)]),
    ("E", 12, [("B", "FS", 0)]),
    ("F", 7, [("B", "FS", 0)]),
    ("G", 10, [("D", "FS", 0)]),
    ("H", 16, [("D", "FS", 0)]),
    ("I", 6, [("F", "FS", 0)]),
    ("J", 12, [("C", "FS", 0), ("G", "SS", 0)]),
    ("K", 5, [("I", "SS", 0)]),
    ("L", 8, [("E", "FS", 0), ("I", "FS", 0), ("K", "FS", 0)]),
    ("M", 5, [("H", "FS", 0)]),
    ("N", 3, [("G", "FS", 0), ("J", "FS", 0), ("L", "FS", 0), ("M", "FS", 0)]),
]


def test_precedence_diagram_example_with_start_to_start_links():
    result = critical_path(Network.from_records(PDM))
    assert _rows(result) == {
        "A": (0, 2, 0, 2, 0),
        "B": (0, 10, 4, 14, 4),
        "C": (2, 15, 10, 23, 8),
        "D": (2, 14, 2, 14, 0),
        "E": (10, 22, 15, 27, 5),
        "F": (10, 17, 14, 21, 4),
        "G": (14, 24, 23, 33, 9),
        "H": (14, 30, 14, 30, 0),
        "I": (17, 23, 21, 27, 4),
        "J": (15, 27, 23, 35, 8),
        "K": (17, 22, 22, 27, 5),
        "L": (23, 31, 27, 35, 4),
        "M": (30, 35, 30, 35, 0),
        "N": (35, 38, 35, 38, 0),
    }
    assert result.critical_paths() == [("A", "D", "H", "M", "N")]


# Hand-computed: every link type, a lag, a lead, a start-no-earlier-than and milestones.
#   S start milestone; A 5d after S; B 3d SS+2 on A; C 4d FF+1 on A; D 2d FS-1 (a lead)
#   on B; E 3d SF+5 on C; F 2d after D and E, not before day 8; Z finish milestone.
# Forward: A 0-5; B 2-5 (A starts 0, +2); C finishes 6 (A finishes 5, +1) so 2-6;
#   D 4-6 (B finishes 5, -1); E finishes 7 (C starts 2, +5) so 4-7; F max(6, 7, 8) = 8-10;
#   Z 10. Backward from 10: F 8-10; E LF = LS F = 8 so 5-8; D 6-8; C LS = min(LF Z 10 - 4,
#   LF E 8 - 5) = 3 so 3-7; B LF = LS D + 1 = 7 so 4-7; A LS = min(LS B - 2 = 2,
#   LF C - 1 - 5 = 1) = 1 so 1-6; S LF = LS A = 1.
MIXED = [
    ("S", 0, []),
    ("A", 5, [("S", "FS", 0)]),
    ("B", 3, [("A", "SS", 2)]),
    ("C", 4, [("A", "FF", 1)]),
    ("D", 2, [("B", "FS", -1)]),
    ("E", 3, [("C", "SF", 5)]),
    ("F", 2, [("D", "FS", 0), ("E", "FS", 0)]),
    ("Z", 0, [("F", "FS", 0), ("C", "FS", 0)]),
]


def test_mixed_links_lags_and_constraint_worked_by_hand():
    result = critical_path(Network.from_records(MIXED, earliest={"F": 8}))
    assert _rows(result) == {
        "S": (0, 0, 1, 1, 1),
        "A": (0, 5, 1, 6, 1),
        "B": (2, 5, 4, 7, 2),
        "C": (2, 6, 3, 7, 1),
        "D": (4, 6, 6, 8, 2),
        "E": (4, 7, 5, 8, 1),
        "F": (8, 10, 8, 10, 0),
        "Z": (10, 10, 10, 10, 0),
    }
    free = dict(zip(result.ids, result.free_float.tolist(), strict=True))
    assert free == {"S": 0, "A": 0, "B": 0, "C": 0, "D": 2, "E": 1, "F": 0, "Z": 0}
    # The path starts at F: its start is set by its constraint, not by a predecessor.
    assert result.critical_paths() == [("F", "Z")]


def test_a_missed_deadline_shows_negative_float_along_the_late_chain():
    result = critical_path(Network.from_records(MILWAUKEE), deadline=13)
    floats = dict(zip(result.ids, result.total_float.tolist(), strict=True))
    assert floats == {"A": -2, "B": -1, "C": -2, "D": -1, "E": -2, "F": 4, "G": -2, "H": -2}
    assert result.deadline_slack == -2
    assert result.meets_deadline is False
    assert result.critical_paths() == [("A", "C", "E", "G", "H")]


def test_a_deadline_with_room_keeps_the_critical_path_at_zero_float():
    result = critical_path(Network.from_records(MILWAUKEE), deadline=20)
    assert result.total_float.min() == 0
    assert result.deadline_slack == 5
    assert result.meets_deadline is True


# Calendar example, checked on a 2024/2025 calendar: the project starts on Saturday
# 28 December 2024 (rolls to Monday 30th); 1 January 2025 is a holiday.
#   A 3 days: Mon 30 Dec, Tue 31 Dec, (holiday), Thu 2 Jan -> finishes Thu 2 Jan.
#   B 2 days after A: Fri 3 Jan, (weekend), Mon 6 Jan -> finishes Mon 6 Jan.
#   M milestone after B: dated on the day it closes, when B ends: Mon 6 Jan.
#   C 1 day, not before Sunday 5 Jan -> Mon 6 Jan.
def _calendar_schedule(deadline):
    return Schedule.model_validate({
        "project_start": "2024-12-28",
        "deadline": deadline,
        "calendar": {"holidays": ["2025-01-01"]},
        "activities": [
            {"id": "A", "name": "Build", "duration": 3},
            {"id": "B", "name": "Test", "duration": 2, "predecessors": [{"activity": "A"}]},
            {"id": "C", "name": "Train", "duration": 1, "start_no_earlier_than": "2025-01-05"},
            {"id": "M", "name": "Go-live", "duration": 0, "milestone": True,
             "predecessors": [{"activity": "B"}, {"activity": "C"}]},
        ],
    })


def test_calendar_dates_skip_the_weekend_and_the_holiday():
    result = critical_path(_calendar_schedule("2025-01-06"))
    dates = result.table()
    assert dict(zip(dates["id"], dates["early_start_date"], strict=True)) == {
        "A": date(2024, 12, 30), "B": date(2025, 1, 3), "C": date(2025, 1, 6),
        "M": date(2025, 1, 6),
    }
    assert dict(zip(dates["id"], dates["early_finish_date"], strict=True)) == {
        "A": date(2025, 1, 2), "B": date(2025, 1, 6), "C": date(2025, 1, 6),
        "M": date(2025, 1, 6),
    }
    assert result.start_date == date(2024, 12, 30)
    assert result.finish_date == date(2025, 1, 6)


def test_deadline_date_on_the_finish_day_is_met():
    result = critical_path(_calendar_schedule("2025-01-06"))
    assert result.deadline == 5
    assert result.meets_deadline is True
    assert result.deadline_slack == 0


def test_deadline_date_a_working_day_early_gives_one_day_of_negative_float():
    result = critical_path(_calendar_schedule("2025-01-03"))
    assert result.deadline_slack == -1
    assert result.activity("B").total_float == -1
    assert result.activity("B").late_finish_date == date(2025, 1, 3)


@pytest.mark.parametrize("deadline", ["2025-01-04", "2025-01-05"])
def test_deadline_on_a_weekend_counts_the_working_days_before_it(deadline):
    assert critical_path(_calendar_schedule(deadline)).deadline_slack == -1
