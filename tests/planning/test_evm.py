"""Earned value: hand-computed figures, undefined indices, and the planned-value curve."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livepmo.deliverables.schedule import Schedule
from livepmo.deliverables.status import StatusReports
from livepmo.planning import PlanningError, earned_value, earned_value_per_period
from livepmo.planning.evm import planned_value_curve


def test_figures_match_a_hand_computed_status():
    # BAC 100,000; planned 50,000 by now; earned 40,000; spent 45,000.
    result = earned_value(pv=50_000, ev=40_000, ac=45_000, bac=100_000)
    assert result.cv == -5_000
    assert result.sv == -10_000
    assert result.cpi == pytest.approx(40 / 45)
    assert result.spi == pytest.approx(0.8)
    assert result.eac == pytest.approx(112_500)  # 100,000 / 0.8889
    assert result.eac_atypical == 105_000  # 45,000 + 60,000
    assert result.eac_both == pytest.approx(129_375)  # 45,000 + 60,000 / (0.8889 × 0.8)
    assert result.etc == pytest.approx(67_500)
    assert result.vac == pytest.approx(-12_500)
    assert result.tcpi == pytest.approx(60_000 / 55_000)
    assert result.undefined == {}


def test_a_project_ahead_and_under_budget():
    result = earned_value(pv=20_000, ev=25_000, ac=20_000, bac=80_000)
    assert (result.cv, result.sv) == (5_000, 5_000)
    assert result.cpi == 1.25
    assert result.spi == 1.25
    assert result.eac == 64_000
    assert result.vac == 16_000
    assert result.tcpi == pytest.approx(55_000 / 60_000)


def test_cpi_is_undefined_while_nothing_is_spent_and_says_so():
    result = earned_value(pv=10_000, ev=0, ac=0, bac=50_000)
    assert result.cpi is None
    assert result.undefined["cpi"] == "CPI undefined: AC is 0 (no cost recorded yet)"
    assert result.eac is None and result.etc is None and result.vac is None
    assert "etc" in result.undefined and "vac" in result.undefined
    assert result.eac_atypical == 50_000


def test_spi_is_undefined_while_nothing_is_planned_and_says_so():
    result = earned_value(pv=0, ev=0, ac=1_000, bac=50_000)
    assert result.spi is None
    assert "PV is 0" in result.undefined["spi"]
    assert result.eac_both is None
    assert result.cpi == 0
    assert "CPI is 0" in result.undefined["eac"]


def test_tcpi_is_undefined_when_the_whole_budget_is_spent():
    result = earned_value(pv=100, ev=80, ac=100, bac=100)
    assert result.tcpi is None
    assert "AC = BAC" in result.undefined["tcpi"]


def test_an_overrun_budget_is_noted():
    result = earned_value(pv=100, ev=80, ac=120, bac=100)
    assert result.tcpi == pytest.approx(-1.0)
    assert any("AC exceeds BAC" in note for note in result.notes)


@pytest.mark.parametrize("field", ["pv", "ev", "ac", "bac"])
@pytest.mark.parametrize("value", [-1.0, math.nan, math.inf])
def test_amounts_must_be_finite_and_not_negative(field, value):
    amounts = {"pv": 1.0, "ev": 1.0, "ac": 1.0, "bac": 1.0, field: value}
    with pytest.raises(PlanningError, match=field.upper()):
        earned_value(**amounts)


@settings(max_examples=150, deadline=None)
@given(*(st.one_of(st.just(0.0), st.floats(0, 1e9)) for _ in range(4)))
def test_no_figure_is_ever_nan_or_infinite(pv, ev, ac, bac):
    result = earned_value(pv, ev, ac, bac)
    for name, value in result.figures().items():
        if value is None:
            assert result.undefined[name]
        else:
            assert math.isfinite(value), name
    assert math.isfinite(result.eac_atypical)


def test_figures_per_period_follow_the_status_reports():
    reports = StatusReports.model_validate({"reports": [
        {"period": 1, "period_start": "2025-01-06", "period_end": "2025-01-10", "rag": "green",
         "evm": {"pv": 10_000, "ev": 10_000, "ac": 9_000, "bac": 100_000}},
        {"period": 2, "period_start": "2025-01-13", "period_end": "2025-01-17", "rag": "amber",
         "evm": {"pv": 20_000, "ev": 16_000, "ac": 20_000, "bac": 100_000}},
    ]})
    by_period = earned_value_per_period(reports)
    assert list(by_period) == [1, 2]
    assert by_period[1].cpi == pytest.approx(10 / 9)
    assert by_period[2].spi == pytest.approx(0.8)


def _schedule(baseline=None):
    return Schedule.model_validate({
        "project_start": "2025-01-06",
        "calendar": {"holidays": ["2025-01-08"]},
        "activities": [
            {"id": "A", "name": "Build", "duration": 4, "cost": 4_000},
            {"id": "M", "name": "Sign-off", "duration": 0, "milestone": True, "cost": 500,
             "predecessors": [{"activity": "A"}]},
            {"id": "B", "name": "Roll out", "duration": 2, "cost": 1_000,
             "predecessors": [{"activity": "M"}]},
        ],
        "baseline": baseline,
    })


def test_the_pv_curve_spreads_cost_over_working_days_from_the_early_dates():
    # A: Mon 6, Tue 7, (holiday Wed 8), Thu 9, Fri 10 -> 1,000 a day; M on Mon 13
    # (500); B: Mon 13, Tue 14 -> 500 a day.
    curve = planned_value_curve(_schedule())
    assert curve.source == "early dates"
    assert [d.astype(object) for d in curve.dates] == [
        date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 9), date(2025, 1, 10),
        date(2025, 1, 13), date(2025, 1, 14),
    ]
    assert curve.daily.tolist() == [1000, 1000, 1000, 1000, 1000, 500]
    assert curve.at(date(2025, 1, 8)) == 2_000
    assert curve.at(date(2025, 1, 12)) == 4_000
    assert curve.at(date(2025, 1, 13)) == 5_000
    assert curve.at(date(2025, 1, 31)) == curve.bac == 5_500
    assert curve.at(date(2025, 1, 1)) == 0


def test_the_pv_curve_uses_the_baseline_when_there_is_one():
    baseline = {
        "approved_on": "2025-01-03", "start": "2025-01-06", "finish": "2025-01-17",
        "activities": {
            "A": {"start": "2025-01-06", "finish": "2025-01-10", "duration": 4, "cost": 3_000},
            "B": {"start": "2025-01-16", "finish": "2025-01-17", "duration": 2, "cost": 2_000},
        },
    }
    curve = planned_value_curve(_schedule(baseline))
    assert curve.source == "baseline"
    assert curve.left_out == ("M",)
    assert curve.at(date(2025, 1, 10)) == 3_000
    assert curve.by_period([date(2025, 1, 15), date(2025, 1, 16)]) == [3_000, 4_000]
    assert curve.bac == 5_000
