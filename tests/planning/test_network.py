"""Building a network: from records, schedules and arrays, and what it rejects."""

from __future__ import annotations

import re

import numpy as np
import pytest

from livepmo.deliverables.schedule import Schedule
from livepmo.errors import LivepmoError
from livepmo.planning import CycleError, Network, PlanningError, _bulk, critical_path, network


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


def test_a_network_listed_predecessors_first_is_in_order_and_levelled_alike():
    records = [("A", 1, []), ("B", 1, [("A", "SS", 0)]), ("C", 1, [("B", "FS", 0),
                                                                   ("A", "FS", 0)])]
    listed = Network.from_records(records)
    shuffled = Network.from_records(records[::-1])
    assert listed.in_order
    assert not shuffled.in_order
    assert listed.levels.level.tolist() == [0, 1, 2] == shuffled.levels.level.tolist()[::-1]
    assert critical_path(listed).early_start.tolist() == [0, 0, 1]


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


# -- records matched in bulk (large inputs) -------------------------------------------------


def _records(ids: list[str], seed: int = 3) -> list[tuple[str, int, list[tuple[str, str, int]]]]:
    """Each activity after the first linked to up to three earlier ones, every link type."""
    rng = np.random.default_rng(seed)
    records = []
    for i, aid in enumerate(ids):
        preds = sorted({int(p) for p in rng.integers(0, i, size=3)}) if i else []
        links = [(ids[p], network.LINK_TYPES[(i + p) % 4], int(rng.integers(-2, 4))) for p in preds]
        records.append((aid, int(rng.integers(0, 9)), links))
    return records


ID_STYLES = {
    "short": [f"A{i}" for i in range(300)],
    "exactly eight bytes": [f"T{i:07d}" for i in range(300)],
    "several words": [f"work-package-{i}-design-review" for i in range(300)],
    "non-ASCII": [f"Étape-{i}-ü-✓" for i in range(300)],
    "sixty-four bytes": [f"{i:064d}" for i in range(300)],
    "longer than the bulk keys": [f"{i:080d}" for i in range(300)],
    "empty and prefix ids": ["", "A", "AA", "AAA"] + [f"A{i}" for i in range(296)],
    "short and long mixed": [f"A{i}" if i % 3 else f"activity-{i}-of-the-plan" for i in range(300)],
}


def _build(records, *, bulk: bool, monkeypatch: pytest.MonkeyPatch, **kwargs) -> Network:
    monkeypatch.setattr(network, "_VECTOR_MIN_ACTIVITIES", 0 if bulk else 1 << 62)
    return Network.from_records(records, **kwargs)


def _outcomes(records, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What reading ``records`` gives in bulk and one by one: the links' predecessors, or
    the error raised."""
    outcomes: list[object] = []
    for bulk in (True, False):
        try:
            outcomes.append(_build(records, bulk=bulk, monkeypatch=monkeypatch).src.tolist())
        except (PlanningError, LookupError, TypeError) as error:
            outcomes.append(f"{type(error).__name__}: {error}")
    return outcomes


@pytest.mark.parametrize("style", ID_STYLES)
def test_bulk_matching_builds_the_same_network_as_the_dictionary(
    style: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _records(ID_STYLES[style])
    ids = ID_STYLES[style]
    bulk = _build(records, bulk=True, monkeypatch=monkeypatch, earliest={ids[5]: 4})
    plain = _build(records, bulk=False, monkeypatch=monkeypatch, earliest={ids[5]: 4})
    for name in ("duration", "src", "dst", "link_type", "lag", "earliest"):
        assert np.array_equal(getattr(bulk, name), getattr(plain, name)), name
        assert getattr(bulk, name).dtype == getattr(plain, name).dtype, name
    assert list(bulk.ids) == ids
    # Only ids longer than the keys take the dictionary.
    declined = _match(ids, ids[::-1]) is None
    assert declined == (style == "longer than the bulk keys")
    assert critical_path(bulk).total_float.tolist() == critical_path(plain).total_float.tolist()


def test_a_large_network_is_matched_in_bulk_like_a_small_one() -> None:
    ids = [f"A{i}" for i in range(10_000)]
    records = _records(ids, seed=11)
    assert len(records) >= network._VECTOR_MIN_ACTIVITIES
    read = _bulk.read_activities(records, network._RECORD_FIELDS, network._LINK_FIELDS)
    assert read is not None  # no fallback to the dictionary
    net = Network.from_records(records)
    index = {aid: i for i, aid in enumerate(ids)}
    expected = [index[p] for _, _, links in records for p, _, _ in links]
    assert net.src.tolist() == expected


BAD_RECORDS = {
    "unknown predecessor": (
        [("A", 1, []), ("B", 1, [("Q", "FS", 0)])],
        "activity 'B': unknown predecessor 'Q'",
    ),
    "repeated id": (
        [("A", 1, []), ("A", 2, [("A", "FS", 0)])],
        "activity 'A': the id is used twice",
    ),
    "unknown link type": (
        [("A", 1, []), ("B", 1, [("A", "XX", 0)])],
        "activity 'B': unknown link type 'XX'",
    ),
    "link type names of other lengths": (
        [("A", 1, []), ("B", 1, [("A", "F", 0), ("A", "SSS", 0)])],
        "activity 'B': unknown link type 'F'",
    ),
    "link type in lower case": (
        [("A", 1, []), ("B", 1, [("A", "fs", 0)])],
        "activity 'B': unknown link type 'fs'",
    ),
    "NUL inside an id": (
        [("A\0B", 1, []), ("A", 1, []), ("C", 1, [("A", "FS", 0)])],
        None,
    ),
    "predecessor named by a number": (
        [("A", 1, []), ("B", 1, [(0, "FS", 0)])],
        "activity 'B': unknown predecessor 0",
    ),
    "a fractional lag": (
        [("A", 1, []), ("B", 2, [("A", "FS", 0.5)])],
        r"activity 'B': lag 0\.5 is not a whole number",
    ),
    "a fractional duration": (
        [("A", 1, []), ("B", 2.5, [("A", "FS", 0)])],
        r"activity 'B': duration 2\.5 is not a whole number",
    ),
    "a cycle": (
        [("A", 1, [("B", "FS", 0)]), ("B", 1, [("A", "SS", 0)])],
        "the links form a cycle",
    ),
}


@pytest.mark.parametrize("case", BAD_RECORDS)
def test_bad_records_fail_alike_in_bulk_and_one_by_one(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, message = BAD_RECORDS[case]
    outcomes = []
    for bulk in (True, False):
        try:
            net = _build(records, bulk=bulk, monkeypatch=monkeypatch)
        except PlanningError as error:
            outcomes.append(str(error))
        else:
            outcomes.append(net.src.tolist())
    assert outcomes[0] == outcomes[1]
    if message is not None:
        assert re.search(message, str(outcomes[0]))


def test_a_link_without_a_lag_fails_alike_in_bulk_and_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = [("A", 1, []), ("B", 1, [("A", "FS")])]
    for bulk in (True, False):
        with pytest.raises(IndexError):
            _build(records, bulk=bulk, monkeypatch=monkeypatch)


def _match(ids: list[str], names: list[str]) -> list[int] | None:
    found = _bulk.match_ids(ids, "\0".join(names), len(names))
    return None if found is None else found.tolist()


def test_bulk_matching_declines_what_it_cannot_vouch_for() -> None:
    assert _match(["A", "B"], ["B", "A", "B"]) == [1, 0, 1]
    assert _match(["A", "A"], ["A"]) is None  # repeated id
    assert _match(["A", "B"], ["C"]) is None  # unknown name
    assert _match(["A\0", "B"], ["B"]) is None  # NUL inside an id
    assert _match(["A" * 65, "B"], ["B"]) is None  # too long for the keys
    assert _match([1, 2], ["2"]) is None  # type: ignore[list-item]
    long = "a-rather-long-activity-id"
    assert _match(["A", long], ["A", long]) == [0, 1]
    assert _match(["A", "B"], ["A", long]) is None  # longer than every id
    assert _match(["A", long], [long[:8]]) is None  # a prefix of a long id
    assert _match(["", "A"], ["", "A", ""]) == [0, 1, 0]
    assert _bulk.type_codes("FS\0SS\0FF\0SF", 4).tolist() == [0, 1, 2, 3]
    assert _bulk.type_codes("FS\0XX", 2) is None
    assert _bulk.type_codes("F\0SSS", 2) is None


def test_the_finish_tests_by_arithmetic_agree_with_the_tables() -> None:
    codes = np.arange(len(network.LINK_TYPES), dtype=np.int8)
    assert network.from_finish(codes).tolist() == network.FROM_FINISH.tolist()
    assert network.to_finish(codes).tolist() == network.TO_FINISH.tolist()


def test_lags_that_numpy_reads_otherwise_in_one_chunk_are_read_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_bulk, "CHUNK_ACTIVITIES", 1)  # a chunk of one record
    base = _records([f"A{i}" for i in range(12)])
    for odd in (2.0, np.int32(2), True):
        records = [*base[:-1], (base[-1][0], base[-1][1], [(base[0][0], "FS", odd)])]
        bulk = _build(records, bulk=True, monkeypatch=monkeypatch)
        plain = _build(records, bulk=False, monkeypatch=monkeypatch)
        assert bulk.lag.tolist() == plain.lag.tolist()
        assert bulk.lag.dtype == plain.lag.dtype


def test_a_schedule_compiles_alike_in_bulk_and_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = [f"T{i}" for i in range(40)]
    schedule = Schedule.model_validate({
        "project_start": "2025-03-03",
        "activities": [
            {"id": aid, "name": aid, "duration": d,
             "predecessors": [{"activity": p, "type": k, "lag": lag} for p, k, lag in links]}
            for aid, d, links in _records(ids)
        ],
    })
    nets = []
    for bulk in (True, False):
        monkeypatch.setattr(network, "_VECTOR_MIN_ACTIVITIES", 0 if bulk else 1 << 62)
        nets.append(Network.from_schedule(schedule))
    for name in ("duration", "src", "dst", "link_type", "lag", "earliest"):
        assert np.array_equal(getattr(nets[0], name), getattr(nets[1], name)), name


@pytest.mark.parametrize(
    "link",
    [{"A", "FS", 0}, iter(("A", "FS", 0)), ("A", "FS"), "AFS"],
    ids=["set", "iterator", "short tuple", "string"],
)
def test_odd_links_fail_alike_in_bulk_and_one_by_one(
    link: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk, plain = _outcomes([("A", 1, []), ("B", 1, [("A", "FS", 0), link])], monkeypatch)
    assert bulk == plain


@pytest.mark.parametrize(
    "record",
    [("B", 1), ("B", 1, None), ("B", 1, 5), {"id": "B"}, ["B", 1, [("A", "FS", 0)]]],
    ids=["short record", "links None", "links a number", "a dict", "a list"],
)
def test_odd_records_fail_or_pass_alike_in_bulk_and_one_by_one(
    record: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk, plain = _outcomes([("A", 1, []), record], monkeypatch)
    assert bulk == plain
