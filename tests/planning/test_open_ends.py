"""Open ends: what the schedule review uses to check the network is closed."""

from __future__ import annotations

from livepmo.planning import Network, critical_path


def _open_ends(records):
    return critical_path(Network.from_records(records)).open_ends


def test_a_closed_network_has_no_open_ends():
    ends = _open_ends([
        ("S", 0, []),
        ("A", 3, [("S", "FS", 0)]),
        ("B", 2, [("S", "FS", 0)]),
        ("Z", 0, [("A", "FS", 0), ("B", "FS", 0)]),
    ])
    assert (ends.start, ends.finish) == ("S", "Z")
    assert ends.closed
    assert ends.problems() == []


def test_activities_without_predecessor_or_successor_besides_start_and_finish_are_open():
    ends = _open_ends([
        ("S", 0, []),
        ("A", 3, [("S", "FS", 0)]),
        ("X", 2, []),  # no predecessor
        ("Y", 1, [("A", "FS", 0)]),  # no successor
        ("Z", 0, [("A", "FS", 0), ("X", "FS", 0)]),
    ])
    assert ends.start == "S"  # the milestone is taken as the start
    assert ends.finish == "Z"  # the milestone, although Y finishes later
    assert ends.without_predecessor == ("X",)
    assert ends.without_successor == ("Y",)
    assert not ends.closed


def test_problems_point_at_the_activity_in_the_schedule():
    ends = _open_ends([("S", 0, []), ("X", 2, []), ("Z", 0, [("S", "FS", 0), ("X", "FS", 0)])])
    [problem] = [p for p in ends.problems() if "X" in p.message]
    assert problem.path == "activities[1]"
    assert "no predecessor" in problem.message
    assert "'S'" in problem.fix


def test_a_start_driven_only_by_finish_links_dangles():
    ends = _open_ends([("S", 0, []), ("A", 3, [("S", "FF", 0)]), ("Z", 0, [("A", "FS", 0)])])
    assert ends.dangling_start == ("A",)


def test_a_finish_that_drives_only_start_links_dangles():
    ends = _open_ends([("S", 0, []), ("A", 3, [("S", "FS", 0)]), ("Z", 0, [("A", "SS", 0)])])
    assert ends.dangling_finish == ("A",)


def test_the_finish_is_the_activity_that_finishes_last():
    ends = _open_ends([("A", 5, []), ("B", 2, [])])
    assert ends.finish == "A"
    assert ends.without_successor == ("B",)
