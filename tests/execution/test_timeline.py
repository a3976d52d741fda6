"""The weekly layout keeps history: what started keeps its start, what finished its dates."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from livepmo.execution._timeline import Piece, WorkNetwork, lay_out
from livepmo.planning import Network, critical_path


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


# -- the plain-Python layout equals the one made with livepmo.planning.critical_path ------


def _reference_lay_out(pieces, now):
    """The layout as it was first written: records into a numpy Network, critical_path
    over it, stretched activities laid out again (obvious, not fast)."""
    stretch = dict.fromkeys((p.id for p in pieces), 0)
    for _ in range(len(pieces) + 1):
        records, earliest = [], {}
        for p in pieces:
            if p.finish is not None and p.start is not None:
                records.append((p.id, p.finish - p.start, ()))
                earliest[p.id] = p.start
            elif p.start is not None:
                length = max(p.duration, now - p.start + 1) + stretch[p.id]
                records.append((p.id, length, [k for k in p.links if k[1] in ("FF", "SF")]))
                earliest[p.id] = p.start
            else:
                records.append((p.id, p.duration, p.links))
                earliest[p.id] = max(p.earliest, now)
        cpm = critical_path(Network.from_records(records, earliest=earliest))
        es = dict(zip(cpm.ids, cpm.early_start.tolist(), strict=True))
        gaps = {p.id: es[p.id] - p.start for p in pieces
                if p.start is not None and p.finish is None and es[p.id] > p.start}
        if not gaps:
            ef = dict(zip(cpm.ids, cpm.early_finish.tolist(), strict=True))
            return es, ef, cpm.finish, frozenset(cpm.critical_ids)
        for aid, gap in gaps.items():
            stretch[aid] += gap
    raise AssertionError("unsettled")


@st.composite
def _histories(draw):
    """Random networks (every link type, lags and leads, earliest starts) part-way done."""
    n = draw(st.integers(1, 12))
    now = draw(st.integers(0, 20))
    pieces = []
    for j in range(n):
        preds = draw(st.lists(st.integers(0, j - 1), max_size=3, unique=True)) if j else []
        links = [(f"A{i}", draw(st.sampled_from(("FS", "SS", "FF", "SF"))),
                  draw(st.integers(-3, 3))) for i in preds]
        state = draw(st.sampled_from(("waiting", "running", "finished")))
        start = finish = None
        if state != "waiting":
            start = draw(st.integers(0, now))
        if state == "finished":
            finish = draw(st.integers(start, now))
        pieces.append(Piece(f"A{j}", draw(st.integers(0, 8)), links,
                            earliest=draw(st.integers(0, 10)), start=start, finish=finish))
    order = draw(st.permutations(range(n)))
    return [pieces[i] for i in order], now


@settings(max_examples=300, deadline=None)
@given(_histories())
def test_the_layout_equals_the_one_critical_path_gives(history) -> None:
    pieces, now = history
    es, ef, end, critical = _reference_lay_out(pieces, now)
    t = lay_out(pieces, now)
    assert (t.start, t.finish, t.end, t.critical) == (es, ef, end, critical)


@settings(max_examples=300, deadline=None)
@given(_histories(), st.integers(1, 8))
def test_a_week_that_went_as_laid_out_needs_no_new_layout(history, days) -> None:
    # The simulation's bookkeeping: over [now, later) the work starts and finishes as laid
    # out; laid out again at `later` it is where it was (unless something was stretched).
    pieces, now = history
    later = now + days
    network = WorkNetwork([p.id for p in pieces], [p.links for p in pieces])
    durations = [p.duration for p in pieces]
    before = network.lay_out(durations, pieces, now)
    assume(not before.stretched)
    went = []
    for p, start, finish in zip(pieces, before.early_start, before.early_finish, strict=True):
        if p.finish is None:
            if p.start is None and (start < later or finish <= later):
                p = replace(p, start=start)
            if finish <= later:
                p = replace(p, finish=finish)
        went.append(p)
    carried, laid = network.carry(before, went), network.lay_out(durations, went, later)
    assert (carried.start, carried.finish, carried.end) == (laid.start, laid.finish, laid.end)
    assert carried.critical == laid.critical
