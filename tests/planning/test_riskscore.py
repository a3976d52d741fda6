"""Risk scores, bands, expected monetary value and the contingency suggestion."""

from __future__ import annotations

import pytest

from livepmo.deliverables.risks import Risk, RiskRegister
from livepmo.planning import (
    PlanningError,
    band_of,
    contingency_reserve,
    score_register,
    score_risk,
)

STATEMENT = {"cause": "c", "event": "e", "effect": "f"}


def _risk(rid, p, i, **extra):
    return Risk.model_validate(
        {"id": rid, "title": rid, "statement": STATEMENT, "probability": p, "impact": i, **extra}
    )


@pytest.mark.parametrize(
    ("score", "band"),
    [(1, "low"), (4, "low"), (5, "medium"), (9, "medium"), (10, "high"), (15, "high"),
     (16, "critical"), (25, "critical")],
)
def test_five_by_five_bands(score, band):
    assert band_of(score) == band


def test_a_grid_score_outside_the_grid_is_rejected():
    with pytest.raises(PlanningError):
        band_of(26)


def test_a_five_by_five_score_is_probability_times_impact():
    score = score_risk(_risk("R1", 3, 4))
    assert (score.grid_score, score.score, score.band) == (12, 12, "high")
    assert score.probability == 0.5


def test_a_pmbok_risk_is_banded_by_its_place_on_the_grid():
    score = score_risk(_risk("R1", 0.5, 0.4), scale="pmbok")
    assert score.score == pytest.approx(0.2)
    assert (score.probability_rank, score.impact_rank, score.grid_score) == (3, 4, 12)
    assert score.band == "high"


def test_a_value_off_the_scale_names_the_risk():
    with pytest.raises(PlanningError, match=r"risk 'R9': impact 0\.3 is not on the pmbok scale"):
        score_risk(_risk("R9", 0.5, 0.3), scale="pmbok")


def test_emv_is_positive_for_threats_and_negative_for_opportunities():
    threat = score_risk(_risk("T", 4, 3, cost_impact=10_000, schedule_impact_days=10))
    chance = score_risk(_risk("O", 2, 3, type="opportunity", cost_impact=5_000))
    assert threat.emv == pytest.approx(7_000)  # 70 % × 10,000
    assert threat.emv_days == pytest.approx(7)
    assert chance.emv == pytest.approx(-1_500)  # 30 % × 5,000
    assert score_risk(_risk("N", 2, 2)).emv is None


def test_the_register_is_ordered_by_score():
    register = RiskRegister.model_validate({"risks": [
        _risk("LOW", 1, 2).model_dump(), _risk("TOP", 5, 5).model_dump(),
        _risk("MID", 2, 3).model_dump(),
    ]})
    assert [s.id for s in score_register(register)] == ["TOP", "MID", "LOW"]


def test_contingency_is_threat_emv_minus_opportunity_emv_of_open_risks():
    register = RiskRegister.model_validate({"risks": [
        _risk("T1", 5, 4, cost_impact=100_000).model_dump(),  # 90,000
        _risk("T2", 3, 3, cost_impact=20_000).model_dump(),  # 10,000
        _risk("T3", 1, 2, cost_impact=10_000).model_dump(),  # 1,000
        _risk("O1", 2, 2, type="opportunity", cost_impact=10_000).model_dump(),  # -3,000
        _risk("X", 5, 5, cost_impact=1_000_000, status="closed").model_dump(),
        _risk("N", 4, 4).model_dump(),
    ]})
    reserve = contingency_reserve(register)
    assert reserve.threat_emv == pytest.approx(101_000)
    assert reserve.opportunity_emv == pytest.approx(-3_000)
    assert reserve.amount == pytest.approx(98_000)
    assert [rid for rid, _ in reserve.drivers] == ["T1"]  # 90,000 of 101,000 is over 80 %
    assert reserve.not_costed == ("N",)
    assert "T1" in reserve.explain() and "98,000" in reserve.explain()


def test_contingency_never_goes_below_zero():
    register = RiskRegister.model_validate({"risks": [
        _risk("T", 1, 1, cost_impact=1_000).model_dump(),
        _risk("O", 5, 5, type="opportunity", cost_impact=50_000).model_dump(),
    ]})
    assert contingency_reserve(register).amount == 0


def test_an_empty_register_suggests_no_reserve():
    reserve = contingency_reserve(RiskRegister.model_validate({"risks": []}))
    assert reserve.amount == 0
    assert "no basis" in reserve.explain()
