"""Monte Carlo schedule risk: reproducible, exact at zero width, statistically sound."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings

from livepmo.deliverables.schedule import Schedule
from livepmo.planning import Network, PlanningError, ThreePoint, critical_path, simulate

from ._reference import networks
from .test_cpm_examples import MILWAUKEE

# Milwaukee Paper's three-point estimates (Heizer & Render), in weeks.
MILWAUKEE_ESTIMATES = {
    "A": (1, 2, 3), "B": (2, 3, 4), "C": (1, 2, 3), "D": (2, 4, 6),
    "E": (1, 4, 7), "F": (1, 2, 9), "G": (3, 4, 11), "H": (1, 2, 3),
}


def _milwaukee():
    net = Network.from_records(MILWAUKEE)
    table = np.array([MILWAUKEE_ESTIMATES[a] for a in net.ids], dtype=float)
    return net, ThreePoint(table[:, 0], table[:, 1], table[:, 2])


def test_the_same_seed_gives_the_same_numbers():
    net, est = _milwaukee()
    first = simulate(net, seed=11, iterations=2000, estimates=est)
    again = simulate(net, seed=11, iterations=2000, estimates=est)
    assert np.array_equal(first.finish, again.finish)
    assert np.array_equal(first.criticality, again.criticality)
    assert np.array_equal(first.sensitivity, again.sensitivity)


def test_a_different_seed_gives_different_numbers():
    net, est = _milwaukee()
    first = simulate(net, seed=11, iterations=500, estimates=est)
    other = simulate(net, seed=12, iterations=500, estimates=est)
    assert not np.array_equal(first.finish, other.finish)


def test_zero_width_estimates_reproduce_the_deterministic_cpm_exactly():
    net = Network.from_records(MILWAUKEE)
    result = simulate(net, seed=1, iterations=300)
    cpm = critical_path(net)
    assert (result.finish == cpm.finish).all()
    assert np.array_equal(result.criticality, cpm.critical.astype(float))
    assert result.p50 == result.p90 == cpm.finish
    assert (result.sensitivity == 0).all()
    assert result.tornado() == []


@settings(max_examples=25, deadline=None)
@given(networks())
def test_zero_width_estimates_reproduce_cpm_on_random_mixed_networks(rn):
    net = Network.from_records(rn.records, earliest=rn.earliest)
    cpm = critical_path(net)
    for distribution in ("triangular", "pert"):
        result = simulate(net, seed=3, iterations=40, distribution=distribution)
        assert (result.finish == cpm.finish).all()
        assert np.array_equal(result.criticality, cpm.critical.astype(float))


def test_zero_width_estimates_reproduce_cpm_across_several_chunks(monkeypatch):
    from livepmo.planning import montecarlo

    monkeypatch.setattr(montecarlo, "CHUNK_BYTES", 1)  # the smallest chunks
    net = Network.from_records(MILWAUKEE)
    result = simulate(net, seed=1, iterations=150)
    assert (result.finish == critical_path(net).finish).all()


def test_triangular_samples_have_the_triangular_mean():
    net = Network.from_records([("A", 4, [])])
    result = simulate(net, seed=5, iterations=40_000,
                      estimates=ThreePoint(np.array([2.0]), np.array([4.0]), np.array([9.0])))
    assert result.finish.mean() == pytest.approx((2 + 4 + 9) / 3, abs=0.03)
    assert result.finish.min() >= 2
    assert result.finish.max() <= 9


def test_pert_samples_have_the_pert_mean():
    net = Network.from_records([("A", 4, [])])
    result = simulate(net, seed=5, iterations=40_000, distribution="pert",
                      estimates=ThreePoint(np.array([2.0]), np.array([4.0]), np.array([9.0])))
    assert result.finish.mean() == pytest.approx((2 + 4 * 4 + 9) / 6, abs=0.03)


def test_two_equal_parallel_paths_are_each_critical_about_half_the_time():
    net = Network.from_records(
        [("A", 5, []), ("B", 5, []), ("Z", 0, [("A", "FS", 0), ("B", "FS", 0)])]
    )
    est = ThreePoint(np.array([3.0, 3, 0]), np.array([5.0, 5, 0]), np.array([9.0, 9, 0]))
    result = simulate(net, seed=2, iterations=20_000, estimates=est)
    assert result.criticality_of("A") == pytest.approx(0.5, abs=0.02)
    assert result.criticality_of("B") == pytest.approx(0.5, abs=0.02)
    assert result.criticality_of("Z") == 1.0


def test_sensitivity_ranks_the_activity_that_drives_the_finish_first():
    net, est = _milwaukee()
    result = simulate(net, seed=4, iterations=20_000, estimates=est)
    top, corr = result.tornado(top=1)[0]
    assert top == "G"  # the widest estimate on the critical path (3 / 4 / 11)
    assert 0.5 < corr <= 1
    assert (np.abs(result.sensitivity) <= 1).all()


def test_milwaukee_finishes_within_sixteen_weeks_about_as_often_as_the_textbook_says():
    # Heizer & Render give 71.57 % for 16 weeks from the critical path alone (PERT normal
    # approximation); a simulation of the whole network with PERT durations lands near it,
    # lower, because other paths can become critical.
    net, est = _milwaukee()
    result = simulate(net, seed=8, iterations=20_000, estimates=est, distribution="pert",
                      deadline=16)
    assert result.deadline_probability == pytest.approx(0.66, abs=0.06)


def test_percentiles_are_simulated_finishes_in_order():
    net, est = _milwaukee()
    result = simulate(net, seed=9, iterations=3000, estimates=est)
    assert result.p50 <= result.p80 <= result.p90
    assert np.mean(result.finish <= result.p80) >= 0.8
    assert result.p80 in result.finish


def test_a_schedule_brings_its_estimates_calendar_and_deadline():
    schedule = Schedule.model_validate({
        "project_start": "2025-01-06",
        "deadline": "2025-01-17",
        "activities": [
            {"id": "A", "name": "Build", "duration": 5,
             "estimate": {"optimistic": 4, "most_likely": 5, "pessimistic": 9}},
            {"id": "B", "name": "Test", "duration": 3, "predecessors": [{"activity": "A"}]},
        ],
    })
    result = simulate(schedule, seed=1, iterations=4000)
    assert result.deadline == 10
    assert result.finish.min() >= 7
    assert result.criticality_of("B") == 1.0  # no estimate: a fixed duration
    assert result.sensitivity[1] == 0.0
    assert date(2025, 1, 15) <= result.percentile_date(80) <= date(2025, 1, 21)
    assert result.finish_dates().dtype == np.dtype("datetime64[D]")
    assert 0 < result.deadline_probability < 1


def test_estimates_out_of_order_are_rejected_naming_the_activity():
    net = Network.from_records([("A", 4, []), ("B", 2, [])])
    est = ThreePoint(np.array([1.0, 3.0]), np.array([4.0, 2.0]), np.array([5.0, 4.0]))
    with pytest.raises(PlanningError, match="activity 'B': estimate 3 / 2 / 4 is out of order"):
        simulate(net, seed=1, estimates=est)


def test_at_least_one_iteration_is_needed():
    with pytest.raises(PlanningError, match="at least 1 iteration"):
        simulate(Network.from_records([("A", 1, [])]), seed=1, iterations=0)


def test_a_calendar_is_needed_for_dates():
    result = simulate(Network.from_records([("A", 1, [])]), seed=1, iterations=10)
    with pytest.raises(PlanningError, match="no calendar"):
        result.percentile_date(80)


def test_a_shallow_network_runs_in_single_precision():
    net, est = _milwaukee()
    assert simulate(net, seed=1, iterations=10, estimates=est).precision == "float32"


def test_a_deep_network_runs_in_double_precision():
    chain = [("A0", 1, [])] + [(f"A{i}", 1, [(f"A{i - 1}", "FS", 0)]) for i in range(1, 2000)]
    net = Network.from_records(chain)
    result = simulate(net, seed=1, iterations=5)
    assert result.precision == "float64"
    assert (result.finish == 2000).all()


def test_single_and_double_precision_agree_within_sampling_noise(monkeypatch):
    from livepmo.planning import montecarlo

    net, est = _milwaukee()
    single = simulate(net, seed=6, iterations=20_000, estimates=est)
    monkeypatch.setattr(montecarlo, "_precision", lambda net, est: "float64")
    double = simulate(net, seed=6, iterations=20_000, estimates=est)
    assert double.precision == "float64"
    assert abs(single.p80 - double.p80) < 0.1
    assert np.abs(single.criticality - double.criticality).max() < 0.02
    assert np.abs(single.sensitivity - double.sensitivity).max() < 0.03


def test_zero_width_estimates_are_exact_in_double_precision_too(monkeypatch):
    from livepmo.planning import montecarlo

    monkeypatch.setattr(montecarlo, "_precision", lambda net, est: "float64")
    net = Network.from_records(MILWAUKEE)
    result = simulate(net, seed=1, iterations=100)
    assert (result.finish == critical_path(net).finish).all()
    assert np.array_equal(result.criticality, critical_path(net).critical.astype(float))
