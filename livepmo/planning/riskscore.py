"""Risk scoring: 5×5 bands, PMBOK's numeric scale, expected monetary value, contingency.

Both scales place a risk on the same 5×5 grid: probability rank 1–5 × impact rank 1–5
gives the *grid score* 1–25, banded 1–4 low, 5–9 medium, 10–15 high (escalate to the
sponsor), 16–25 critical. On the 5×5 scale the ranks are the values themselves; on
PMBOK's numeric scale (P ∈ {.1, .3, .5, .7, .9}, I ∈ {.05, .1, .2, .4, .8}) a value's
rank is its position on the scale. PMBOK's numeric score P × I is reported too, but
banding by grid position keeps one risk in one band whichever scale the register uses,
and the grid is what a reviewer reads a heat map by. (Thresholds on P × I itself, such
as 0.05 and 0.18, draw three bands, not four, and differ between organisations.)

Expected monetary value (EMV) = probability (as a fraction; the 5×5 ranks map to 10,
30, 50, 70 and 90 %) × cost impact; positive for a threat (exposure), negative for an
opportunity. The contingency reserve suggested for a register is the EMV of its open
risks, threats minus opportunities, never below zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from livepmo.deliverables.risks import PMBOK_IMPACT, PMBOK_PROBABILITY, Risk, RiskRegister
from livepmo.planning.network import PlanningError

Band = Literal["low", "medium", "high", "critical"]
Scale = Literal["5x5", "pmbok"]

#: Upper grid score of each band, in order.
BANDS: Final[tuple[tuple[int, Band], ...]] = (
    (4, "low"), (9, "medium"), (15, "high"), (25, "critical"),
)
#: Probability as a fraction for 5×5 ranks 1–5 (the same values as PMBOK's scale).
PROBABILITY_OF_RANK: Final = PMBOK_PROBABILITY
#: Share of the threat EMV that the listed drivers of a contingency explain.
DRIVER_SHARE: Final = 0.8


def band_of(grid_score: int) -> Band:
    """The band of a 5×5 grid score (1–25)."""
    for upper, band in BANDS:
        if grid_score <= upper:
            if grid_score < 1:
                break
            return band
    raise PlanningError(f"grid score {grid_score} is outside 1 to 25", fix="use P × I of ranks 1–5")


@dataclass(frozen=True)
class RiskScore:
    """One risk placed on the grid, with its expected values."""

    id: str
    title: str
    type: Literal["threat", "opportunity"]
    status: Literal["open", "occurred", "closed"]
    probability_rank: int
    impact_rank: int
    grid_score: int
    band: Band
    #: P × I on the register's own scale (1–25 on 5×5; 0.005–0.72 on PMBOK's).
    score: float
    #: Probability as a fraction (0.1 to 0.9).
    probability: float
    #: Expected monetary value: + exposure for a threat, − for an opportunity; None
    #: without a cost impact.
    emv: float | None
    #: Expected schedule impact in working days (signed like ``emv``); None without one.
    emv_days: float | None


def score_risk(risk: Risk, scale: Scale = "5x5") -> RiskScore:
    """Place one risk on the grid; see the module docstring for the scales and bands."""
    p_rank = _rank(risk.probability, PMBOK_PROBABILITY, scale, risk.id, "probability")
    i_rank = _rank(risk.impact, PMBOK_IMPACT, scale, risk.id, "impact")
    grid = p_rank * i_rank
    fraction = PROBABILITY_OF_RANK[p_rank - 1]
    sign = 1.0 if risk.type == "threat" else -1.0
    return RiskScore(
        id=risk.id,
        title=risk.title,
        type=risk.type,
        status=risk.status,
        probability_rank=p_rank,
        impact_rank=i_rank,
        grid_score=grid,
        band=band_of(grid),
        score=risk.probability * risk.impact,
        probability=fraction,
        emv=None if risk.cost_impact is None else sign * fraction * risk.cost_impact,
        emv_days=(
            None
            if risk.schedule_impact_days is None
            else sign * fraction * risk.schedule_impact_days
        ),
    )


def score_register(register: RiskRegister) -> list[RiskScore]:
    """Every risk of the register scored, highest grid score first (then by id)."""
    scores = [score_risk(r, register.scale) for r in register.risks]
    return sorted(scores, key=lambda s: (-s.grid_score, -s.score, s.id))


@dataclass(frozen=True)
class ContingencySuggestion:
    """A contingency reserve sized from a register's open risks, and what drives it."""

    #: Suggested reserve: threat EMV minus opportunity EMV, not below zero.
    amount: float
    #: Sum of the open threats' EMV (≥ 0).
    threat_emv: float
    #: Sum of the open opportunities' EMV (≤ 0).
    opportunity_emv: float
    #: The largest threats that together make up at least 80 % of the threat EMV.
    drivers: tuple[tuple[str, float], ...]
    #: Every open risk with a cost impact and its EMV, largest exposure first.
    contributions: tuple[tuple[str, float], ...]
    #: Open risks without a cost impact: they are not in the amount.
    not_costed: tuple[str, ...]
    #: The same sum for schedule impact, in working days (a schedule reserve).
    schedule_days: float

    def explain(self) -> str:
        """The suggestion in one sentence, naming its drivers."""
        if not self.contributions:
            return "No open risk has a cost impact, so there is no basis for a reserve."
        drivers = ", ".join(f"{rid} ({emv:,.0f})" for rid, emv in self.drivers)
        text = (
            f"Suggested contingency {self.amount:,.0f}: open threats' EMV "
            f"{self.threat_emv:,.0f} minus opportunities' {-self.opportunity_emv:,.0f}"
        )
        if drivers:
            text += f"; driven by {drivers}"
        if self.not_costed:
            text += f"; not costed: {', '.join(self.not_costed)}"
        return text + "."


def contingency_reserve(register: RiskRegister) -> ContingencySuggestion:
    """Suggest a contingency reserve from the register's open risks (see the module doc)."""
    open_scores = [s for s in score_register(register) if s.status == "open"]
    costed = [(s.id, s.emv) for s in open_scores if s.emv is not None]
    contributions = tuple(sorted(costed, key=lambda c: (-c[1], c[0])))
    threats = [c for c in contributions if c[1] > 0]
    threat_emv = sum(emv for _, emv in threats)
    opportunity_emv = sum(emv for _, emv in contributions if emv < 0)
    drivers: list[tuple[str, float]] = []
    covered = 0.0
    for rid, emv in threats:
        if covered >= DRIVER_SHARE * threat_emv:
            break
        drivers.append((rid, emv))
        covered += emv
    days = sum(s.emv_days for s in open_scores if s.emv_days is not None)
    return ContingencySuggestion(
        amount=max(0.0, threat_emv + opportunity_emv),
        threat_emv=threat_emv,
        opportunity_emv=opportunity_emv,
        drivers=tuple(drivers),
        contributions=contributions,
        not_costed=tuple(s.id for s in open_scores if s.emv is None),
        schedule_days=max(0.0, days),
    )


def _rank(value: float, pmbok: tuple[float, ...], scale: Scale, rid: str, what: str) -> int:
    if scale == "5x5":
        if value == int(value) and 1 <= value <= 5:
            return int(value)
        allowed = "a whole number from 1 to 5"
    else:
        for rank, level in enumerate(pmbok, start=1):
            if abs(value - level) < 1e-9:
                return rank
        allowed = "one of " + ", ".join(f"{v:g}" for v in pmbok)
    raise PlanningError(
        f"{what} {value:g} is not on the {scale} scale", fix=f"use {allowed}", where=f"risk {rid!r}"
    )
