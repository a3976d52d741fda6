"""Properties of the critical path method on random networks with mixed links and lags."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from livepmo.planning import Network, critical_path
from livepmo.planning.cpm import _passes, link_weights

from ._reference import networks, reference_fs, reference_mixed, topological

CHECKS = settings(max_examples=80, deadline=None)


def _solve(rn, **kwargs):
    net = Network.from_records(rn.records, earliest=rn.earliest)
    return critical_path(net, **kwargs)


def _by_id(result, values):
    return dict(zip(result.ids, np.asarray(values).tolist(), strict=True))


@CHECKS
@given(networks())
def test_early_start_never_after_late_start_without_deadline(rn):
    result = _solve(rn)
    assert (result.early_start <= result.late_start).all()


@CHECKS
@given(networks())
def test_floats_are_not_negative_without_deadline(rn):
    result = _solve(rn)
    assert (result.total_float >= 0).all()
    assert (result.free_float >= 0).all()
    assert (result.free_float <= result.total_float).all()


@CHECKS
@given(networks())
def test_finish_is_the_largest_early_finish(rn):
    result = _solve(rn)
    assert result.finish == result.early_finish.max()
    assert (result.late_finish <= result.finish).all()


@CHECKS
@given(networks())
def test_every_activity_starts_at_or_after_project_start_and_its_constraint(rn):
    result = _solve(rn)
    floor = [rn.earliest.get(aid, 0) for aid in result.ids]
    assert (result.early_start >= floor).all()
    assert (result.early_finish == result.early_start + result.network.duration).all()


@CHECKS
@given(networks())
def test_early_and_late_dates_satisfy_every_link(rn):
    result = _solve(rn)
    net = result.network
    w = link_weights(net.link_type, net.lag, net.duration[net.src], net.duration[net.dst])
    assert (result.early_start[net.dst] >= result.early_start[net.src] + w).all()
    assert (result.late_start[net.dst] >= result.late_start[net.src] + w).all()


@CHECKS
@given(networks())
def test_critical_activities_form_a_chain_from_a_start_to_the_finish(rn):
    result = _solve(rn)
    net = result.network
    floor = dict.fromkeys(result.ids, 0) | rn.earliest
    es, ef, tf = (_by_id(result, a) for a in (result.early_start, result.early_finish,
                                                 result.total_float))
    w = link_weights(net.link_type, net.lag, net.duration[net.src], net.duration[net.dst])
    driving = {
        (net.id_of(int(s)), net.id_of(int(t)))
        for s, t, k in zip(net.src, net.dst, w, strict=True)
        if es[net.id_of(int(t))] == es[net.id_of(int(s))] + k
    }
    paths = result.critical_paths(limit=50)
    assert paths
    for path in paths:
        assert es[path[0]] == floor[path[0]]  # set by the project start or its constraint
        assert ef[path[-1]] == result.finish
        assert all(tf[a] == 0 for a in path)
        assert all(pair in driving for pair in pairwise(path))
    assert set(result.critical_ids) == {a for path in paths for a in path} or len(paths) == 50


@CHECKS
@given(networks(max_size=30), st.one_of(st.none(), st.integers(0, 60)), st.randoms(),
       st.integers(1, 12))
def test_block_by_block_and_level_by_level_passes_agree(rn, deadline, rand, block):
    """A network listed in a topological order is passed block by block, any other level
    by level; both ways give the same figures, whatever the order of the links and the
    size of the blocks."""
    by_id = {record[0]: record for record in rn.records}
    listed = Network.from_records([by_id[aid] for aid in topological(rn.records)],
                                  earliest=rn.earliest)
    assert listed.in_order
    shuffled = list(range(listed.link_count))
    rand.shuffle(shuffled)
    links = Network(listed.duration, listed.src[shuffled], listed.dst[shuffled],
                    listed.link_type[shuffled], listed.lag[shuffled],
                    ids=listed.ids, earliest=listed.earliest)
    for net in (listed, links):
        by_links = _passes(net, deadline, by_levels=False, block=block)
        by_levels = _passes(net, deadline, by_levels=True)
        for mine, theirs in zip(by_links, by_levels, strict=True):
            assert np.array_equal(mine, theirs)


@CHECKS
@given(networks(types=("FS",)))
def test_finish_to_start_results_equal_the_reference(rn):
    result = _solve(rn)
    ref = reference_fs(rn.records, rn.earliest)
    assert result.finish == ref["finish"]
    for name, values in (
        ("es", result.early_start), ("ef", result.early_finish), ("ls", result.late_start),
        ("lf", result.late_finish), ("tf", result.total_float), ("ff", result.free_float),
    ):
        assert _by_id(result, values) == ref[name], name


@CHECKS
@given(networks(), st.one_of(st.none(), st.integers(0, 40)))
def test_mixed_link_results_equal_the_relaxation_reference(rn, deadline):
    result = _solve(rn, deadline=deadline)
    ref = reference_mixed(rn.records, rn.earliest, deadline)
    assert result.finish == ref["finish"]
    for name, values in (
        ("es", result.early_start), ("ef", result.early_finish), ("ls", result.late_start),
        ("lf", result.late_finish), ("tf", result.total_float),
    ):
        assert _by_id(result, values) == ref[name], name


@CHECKS
@given(networks(), st.integers(0, 40))
def test_a_deadline_bounds_late_finish_and_shows_lateness_as_negative_float(rn, deadline):
    result = _solve(rn, deadline=deadline)
    assert (result.late_finish <= min(deadline, result.finish)).all()
    assert result.total_float.min() == min(0, deadline - result.finish)
    assert result.deadline_slack == deadline - result.finish
