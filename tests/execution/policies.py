"""A good (reference) policy: what a competent project manager would decide each week.

Instructor-only in spirit: it reads the scenario's true risk probabilities and the
options' impacts, which a learner only estimates. It never reads the variant's draws.

* Week 1: mitigate each threat whose expected harm exceeds the response's cost plus the
  harm left after it; exploit an opportunity when that pays; accept the other risks.
* Every week: answer each open event at once with the option of least weighted cost
  (cost + delay × daily burn − quality, satisfaction and scope terms), as a change
  request for scope pushes and regulatory changes.
* Raise an exception report when the forecast breaks a tolerance not yet reported.
* Crash critical activities, cheapest first, while the forecast finish is past the
  deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from livepmo.scenarios.schema import Impact

from livepmo.deliverables.decisions import Decision
from livepmo.execution import Simulation
from livepmo.planning import critical_path

QUALITY_WEIGHT = 0.002  # share of the budget one quality point is worth
SATISFACTION_WEIGHT = 0.0005  # per stakeholder point
SCOPE_WEIGHT = 0.01  # per % of scope


class GoodPolicy:
    """A generator policy: each decision is applied before the next is chosen, so a crash
    is sized on the forecast after the week's events were answered. It remembers which
    tolerance breaches it already reported."""

    def __init__(self) -> None:
        self.reported: set[str] = set()
        self.value: Callable[[Impact], float] | None = None

    def __call__(self, sim: Simulation) -> Iterator[Decision]:
        count = 0

        def decision(kind: str, target: str | None = None, option: str | None = None,
                     amount: float | None = None, why: str = "") -> Decision:
            nonlocal count
            count += 1
            return Decision(id=f"G{sim.week:03d}-{count:02d}", week=sim.week, type=kind,
                            target=target, option=option, amount=amount, rationale=why)

        value = self.value = self.value or _valuer(sim)
        if sim.week == 1:
            for risk in sim.scenario.risks:
                harm = value(risk.impact)
                best = min(risk.responses,
                           key=lambda r, h=harm: r.cost + r.probability_after * r.impact_factor * h)
                after = best.cost + best.probability_after * best.impact_factor * harm
                if after < risk.probability * harm:
                    yield decision("mitigate_risk", risk.id, best.id, why="harm exceeds cost")
                else:
                    yield decision("accept_risk", risk.id, why="not worth a response")
        events = {e.id: e for e in sim.scenario.events}
        for event in sim.open_events():
            best_option = min(events[event.id].options, key=lambda o: value(o.impact))
            yield decision("change_request" if event.change_request else "respond_to_event",
                           event.id, best_option.id, why="least weighted cost")
        forecast = sim.forecast()
        breached = set(forecast.breached)
        self.reported &= breached
        if breached - self.reported:
            self.reported |= breached
            yield decision("raise_exception", why="a tolerance breach is forecast")
        late = forecast.days_late
        crash = {a.id: a.crash.cost_per_day for a in sim.scenario.activities if a.crash}
        candidates = sorted(
            (a for a in forecast.activities.values()
             if a.critical and a.id in crash and a.crash_days_left > 0 and a.remaining_days > 1),
            key=lambda a: crash[a.id],
        )
        for a in candidates:
            if late <= 0:
                break
            days = min(late, a.crash_days_left, a.remaining_days - 1)
            yield decision("crash", a.id, amount=float(days), why="forecast finish is late")
            late -= days


def _valuer(sim: Simulation) -> Callable[[Impact], float]:
    """Weighted cost of an impact: money, plus delay at the planned daily burn, minus what
    quality, satisfaction and scope are worth."""
    s = sim.scenario
    plan = sim.schedule
    days = max(1, critical_path(plan).finish)
    burn = sum(a.cost for a in plan.activities) / days

    def value(impact: Impact) -> float:
        return (impact.cost + sum(impact.delay.values()) * burn
                - impact.quality * QUALITY_WEIGHT * s.budget
                - sum(impact.satisfaction.values()) * SATISFACTION_WEIGHT * s.budget
                - impact.scope_pct * SCOPE_WEIGHT * s.budget)

    return value
