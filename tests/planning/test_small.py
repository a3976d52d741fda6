"""The plain-Python passes give exactly the numpy engine's figures on random networks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livepmo.planning import CycleError, Network, PlanningError, critical_path
from livepmo.planning.small import (
    SmallNetwork,
    compile_links,
    early_starts,
    late_starts,
    topological_order,
)

from ._reference import networks

CHECKS = settings(max_examples=150, deadline=None)


def _both(rn, deadline=None):
    engine = critical_path(Network.from_records(rn.records, earliest=rn.earliest),
                           deadline=deadline)
    small = SmallNetwork.from_records(rn.records, earliest=rn.earliest)
    return engine, small.critical_path(deadline=deadline)


@CHECKS
@given(networks(max_size=30))
def test_every_figure_equals_the_engines(rn):
    engine, small = _both(rn)
    assert list(small.ids) == list(engine.ids)
    assert small.early_start == engine.early_start.tolist()
    assert small.early_finish == engine.early_finish.tolist()
    assert small.late_start == engine.late_start.tolist()
    assert small.late_finish == engine.late_finish.tolist()
    assert small.total_float == engine.total_float.tolist()
    assert small.free_float == engine.free_float.tolist()
    assert small.critical == engine.critical.tolist()
    assert small.finish == engine.finish


@CHECKS
@given(networks(max_size=30), st.integers(-5, 60))
def test_every_figure_equals_the_engines_against_a_deadline(rn, deadline):
    engine, small = _both(rn, deadline)
    assert small.late_start == engine.late_start.tolist()
    assert small.total_float == engine.total_float.tolist()
    assert small.free_float == engine.free_float.tolist()
    assert small.critical == engine.critical.tolist()
    assert (small.finish, small.deadline) == (engine.finish, engine.deadline)


@CHECKS
@given(networks(max_size=20), st.data())
def test_a_subset_of_the_links_in_the_whole_networks_order_equals_the_engine(rn, data):
    # The simulation drops the links a started activity has met, and keeps the order.
    whole = SmallNetwork.from_records(rn.records, earliest=rn.earliest)
    kept = [(aid, d, [k for k in links if data.draw(st.booleans())])
            for aid, d, links in rn.records]
    index = {aid: i for i, aid in enumerate(whole.ids)}
    preds = [compile_links(links, index) for _, _, links in kept]
    es = early_starts(whole.order, preds, whole.duration, whole.earliest)
    finish = max((s + d for s, d in zip(es, whole.duration, strict=True)), default=0)
    ls = late_starts(whole.order, preds, whole.duration, finish)
    engine = critical_path(Network.from_records(kept, earliest=rn.earliest))
    assert es == engine.early_start.tolist()
    assert ls == engine.late_start.tolist()


def test_the_order_puts_every_activity_after_its_predecessors() -> None:
    records = [("C", 1, [("B", "FS", 0)]), ("A", 2, []), ("B", 3, [("A", "SS", 1)])]
    net = SmallNetwork.from_records(records)
    assert [net.ids[i] for i in net.order] == ["A", "B", "C"]


def test_an_empty_network_finishes_at_the_start() -> None:
    result = SmallNetwork.from_records([]).critical_path()
    assert (result.finish, result.early_start) == (0, [])


def test_a_cycle_is_named_as_the_engine_names_it() -> None:
    records = [("A", 1, [("C", "FS", 0)]), ("B", 1, [("A", "FS", 0)]),
               ("C", 1, [("B", "SS", 0)]), ("D", 1, [])]
    with pytest.raises(CycleError) as engine:
        Network.from_records(records)
    with pytest.raises(CycleError) as small:
        SmallNetwork.from_records(records)
    assert small.value.activities == engine.value.activities
    assert set(small.value.activities) == {"A", "B", "C"}


def test_a_cycle_leaves_the_order_short() -> None:
    records = [("A", 1, [("B", "FS", 0)]), ("B", 1, [("A", "FS", 0)]), ("C", 1, [])]
    index = {"A": 0, "B": 1, "C": 2}
    assert topological_order([compile_links(r[2], index) for r in records]) == [2]


@pytest.mark.parametrize(("records", "earliest", "words"), [
    ([("A", 1, [("Z", "FS", 0)])], None, "unknown predecessor 'Z'"),
    ([("A", 1, [])], {"Z": 3}, "not in the network"),
    ([("A", 1, []), ("A", 2, [])], None, "used twice"),
    ([("A", -1, [])], None, "negative"),
    ([("A", 1, []), ("B", 1, [("A", "XX", 0)])], None, "unknown link type"),
])
def test_bad_records_raise_the_engines_own_error(records, earliest, words) -> None:
    with pytest.raises(PlanningError, match=words):
        SmallNetwork.from_records(records, earliest=earliest)


def test_a_whole_float_the_engine_would_take_is_refused_with_a_reason() -> None:
    with pytest.raises(PlanningError, match="as int"):
        SmallNetwork.from_records([("A", 2.0, [])])  # type: ignore[list-item]
