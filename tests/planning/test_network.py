"""Building a network: from records, schedules and arrays, and what it rejects."""

from __future__ import annotations

import numpy as np
import pytest

from livepmo.deliverables.schedule import Schedule
from livepmo.errors import LivepmoError
from livepmo.planning import CycleError, Network, PlanningError, critical_path


def test_a_cycle_is_rejected_naming_its_activities_in_link_order():
    records = [
        ("A", 1, [("C", "FS", 0)]),
        ("B", 1, [("A", "FS", 0)]),
        ("C", 1, [("B", "SS", 2)]),
        ("D", 1, []),
    ]
    with pytest.raises(CycleError) as caught:
        Network.from_records(records)
    cycle = caught.value.activities
    assert sorted(cycle) == ["A", "B", "C"]
    # Each activity is a predecessor of the next, and the last of the first.
    links = {("C", "A"), ("A", "B"), ("B", "C")}
    assert all((cycle[k], cycle[(k + 1) % 3]) in links for k in range(3))
    assert " → ".join([*cycle, cycle[0]]) in str(caught.value)
    assert "remove or reverse one link" in str(caught.value)


def test_a_cycle_error_is_a_livepmo_error():
    with pytest.raises(LivepmoError):
        Network.from_records([("A", 1, [("B", "FS", 0)]), ("B", 1, [("A", "FS", 0)])])


def test_a_cycle_in_raw_arrays_names_the_activity_indices():
    with pytest.raises(CycleError) as caught:
        Network([1, 1, 1, 1], src=[0, 1, 2, 3], dst=[1, 2, 3, 1], link_type=[0, 0, 0, 0],
                lag=[0, 0, 0, 0])
    assert sorted(caught.value.activities) == ["1", "2", "3"]


def test_a_cycle_downstream_of_acyclic_work_is_still_found():
    records = [("S", 0, []), ("X", 1, [("S", "FS", 0), ("Y", "FS", 0)]), ("Y", 1, [("X", "FF", 0)])]
    with pytest.raises(CycleError) as caught:
        Network.from_records(records)
    assert sorted(caught.value.activities) == ["X", "Y"]


def test_a_self_link_is_a_cycle_of_one():
    with pytest.raises(CycleError, match="'A' is linked to itself") as caught:
        Network.from_records([("A", 1, [("A", "FS", 0)])])
    assert caught.value.activities == ("A",)


def test_an_unknown_predecessor_names_the_activity_and_the_id():
    with pytest.raises(PlanningError, match="activity 'B': unknown predecessor 'Q'"):
        Network.from_records([("A", 1, []), ("B", 1, [("Q", "FS", 0)])])


def test_a_repeated_id_is_rejected():
    with pytest.raises(PlanningError, match="activity 'A': the id is used twice"):
        Network.from_records([("A", 1, []), ("A", 2, [])])


def test_an_unknown_link_type_is_rejected():
    with pytest.raises(PlanningError, match="unknown link type 'XX'"):
        Network.from_records([("A", 1, []), ("B", 1, [("A", "XX", 0)])])


def test_a_negative_duration_is_rejected():
    with pytest.raises(PlanningError, match="activity 'B': duration -2 is negative"):
        Network.from_records([("A", 1, []), ("B", -2, [])])


def test_arrays_of_different_lengths_are_rejected():
    with pytest.raises(PlanningError, match="one value per link"):
        Network([1, 2], src=[0], dst=[1, 0], link_type=[0], lag=[0])


def test_link_types_may_be_given_by_name():
    net = Network([2, 3], src=[0], dst=[1], link_type=["SS"], lag=[1])
    assert critical_path(net).early_start.tolist() == [0, 1]


def test_levels_follow_the_longest_chain_of_links():
    net = Network.from_records([
        ("C", 1, [("B", "FS", 0), ("A", "FS", 0)]),
        ("A", 1, []),
        ("B", 1, [("A", "SS", 0)]),
    ])
    assert net.level_count == 3
    assert net.levels.level.tolist() == [2, 0, 1]


def test_an_empty_network_has_no_dates_and_finishes_at_zero():
    result = critical_path(Network.from_records([]))
    assert result.finish == 0
    assert result.critical_paths() == []
    assert result.open_ends.start is None


def test_a_schedule_compiles_to_the_same_network_as_its_records():
    schedule = Schedule.model_validate({
        "project_start": "2025-03-03",
        "activities": [
            {"id": "A", "name": "a", "duration": 2},
            {"id": "B", "name": "b", "duration": 3,
             "predecessors": [{"activity": "A", "type": "SS", "lag": 1}]},
            {"id": "C", "name": "c", "duration": 1, "start_no_earlier_than": "2025-03-10",
             "predecessors": [{"activity": "B", "type": "FF", "lag": -1}]},
        ],
    })
    net = Network.from_schedule(schedule)
    same = Network.from_records(
        [("A", 2, []), ("B", 3, [("A", "SS", 1)]), ("C", 1, [("B", "FF", -1)])],
        earliest={"C": 5},
    )
    for name in ("duration", "src", "dst", "link_type", "lag", "earliest"):
        assert np.array_equal(getattr(net, name), getattr(same, name)), name
    assert list(net.ids) == ["A", "B", "C"]


def test_network_arrays_are_read_only():
    net = Network.from_records([("A", 1, [])])
    with pytest.raises(ValueError, match="read-only"):
        net.duration[0] = 5


def test_a_duration_that_is_not_a_whole_number_names_the_activity():
    with pytest.raises(PlanningError, match=r"activity 'B': duration 2\.5 is not a whole number"):
        Network.from_records([("A", 1, []), ("B", 2.5, [])])


def test_a_lag_that_is_not_a_whole_number_names_the_successor():
    with pytest.raises(PlanningError, match=r"activity 'B': lag 0\.5 is not a whole number"):
        Network.from_records([("A", 1, []), ("B", 2, [("A", "FS", 0.5)])])


def test_whole_number_floats_are_accepted():
    net = Network([2.0, 3.0], src=[0], dst=[1], link_type=[0], lag=[1.0])
    assert critical_path(net).finish == 6


def test_repeated_ids_given_with_arrays_are_rejected():
    with pytest.raises(PlanningError, match="used twice"):
        Network([1, 1], src=[], dst=[], link_type=[], lag=[], ids=["A", "A"])


def test_with_times_plans_like_a_network_built_afresh() -> None:
    records = [("A", 3, []), ("B", 2, [("A", "FS", 1)]), ("C", 4, [("A", "SS", 0)]),
               ("D", 0, [("B", "FS", 0), ("C", "FF", -1)])]
    base = Network.from_records(records)
    moved = base.with_times([5, 1, 2, 0], [2, 0, 0, 0])
    fresh = Network.from_records(
        [(aid, d, links) for (aid, _, links), d in zip(records, [5, 1, 2, 0], strict=True)],
        earliest={"A": 2},
    )
    a, b = critical_path(moved), critical_path(fresh)
    assert a.early_start.tolist() == b.early_start.tolist()
    assert a.total_float.tolist() == b.total_float.tolist()
    assert critical_path(base).early_start.tolist() == [0, 4, 0, 6]  # the original is intact
