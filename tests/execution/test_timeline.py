"""The weekly layout keeps history: what started keeps its start, what finished its dates."""

from __future__ import annotations

from livepmo.execution._timeline import Piece, lay_out


def test_work_not_started_starts_no_earlier_than_now() -> None:
    t = lay_out([Piece("A", 4, (), earliest=0), Piece("B", 2, [("A", "FS", 0)], earliest=0)], 3)
    assert (t.start["A"], t.finish["A"], t.start["B"], t.finish["B"], t.end) == (3, 7, 7, 9, 9)


def test_a_finished_activity_keeps_its_dates_whatever_its_predecessors_do() -> None:
    pieces = [Piece("A", 20, (), earliest=0),
              Piece("B", 3, [("A", "FS", -18)], earliest=0, start=2, finish=5)]
    t = lay_out(pieces, 6)
    assert (t.start["B"], t.finish["B"]) == (2, 5)


def test_a_running_activity_keeps_its_start_when_a_lead_predecessor_slips() -> None:
    # B started two days before A was due to finish (FS with a lead); A then slipped.
    pieces = [Piece("A", 12, (), earliest=0, start=0),
              Piece("B", 5, [("A", "FS", -2)], earliest=0, start=8)]
    t = lay_out(pieces, 9)
    assert (t.start["B"], t.finish["B"]) == (8, 13)


def test_a_running_activity_held_by_a_finish_link_is_stretched_not_moved() -> None:
    # B (3 days, running since day 2) may finish only when A finishes (FF); A, not started,
    # now ends on day 15: B keeps its start and waits.
    pieces = [Piece("A", 10, (), earliest=0),
              Piece("B", 3, [("A", "FF", 0)], earliest=0, start=2),
              Piece("C", 1, [("B", "FS", 0)], earliest=0)]
    t = lay_out(pieces, 5)
    assert (t.start["B"], t.finish["B"]) == (2, 15)
    assert t.start["C"] == 15 and t.end == 16
    assert {"A", "C"} <= t.critical


def test_a_running_activity_ends_no_earlier_than_the_end_of_today() -> None:
    t = lay_out([Piece("A", 3, (), earliest=0, start=0)], 7)
    assert t.finish["A"] == 8
