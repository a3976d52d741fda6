"""The reference decision policy: what a competent project manager decides each week.

Instructor-only: it reads the scenario's true risk probabilities and the options' impacts,
which a learner can only estimate. It never reads the variant's draws (which risks strike,
which events fire, how long the work truly takes), so it decides under the same
uncertainty as a learner, with better information about the odds.

Each week, in this order:

1. Week 1: mitigate every threat whose expected harm exceeds the response's cost plus
   the harm left after it (the response with the least cost plus residual harm); take an
   opportunity's response when it pays; accept the other risks, so each risk has a
   recorded decision.
2. Answer every open event at once with the option of least weighted cost: money, plus
   delay valued at the planned daily burn, less what quality, stakeholder satisfaction
   and scope are worth. Scope pushes and regulatory changes go through change control
   (``change_request``); everything else is a ``respond_to_event`` decision.
3. Recover the schedule while the forecast finish is past the deadline: crash critical
   activities, cheapest day first, sized on the forecast *after* the week's answers.
4. Raise an exception report when, after that recovery, the forecast still breaks a
   tolerance (time, cost, scope) that has not been reported while it lasted.

The policy keeps no state between weeks (the breaches already reported are read from
the simulation's history), so it is a plain function, ``reference_policy(sim) ->
list[Decision]``, that can be passed to ``Simulation.run`` as often as needed. The tests
load it by path (``tests/execution/policies.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from livepmo.deliverables.decisions import Decision, DecisionType
from livepmo.execution import Forecast, Simulation
from livepmo.planning import critical_path
from livepmo.scenarios.schema import Impact, RiskResponse


class _Decide(Protocol):
    def __call__(self, kind: DecisionType, target: str | None = None,
                 option: str | None = None, amount: float | None = None,
                 why: str = "") -> Decision: ...


#: Share of the budget one quality point is worth.
QUALITY_WEIGHT = 0.002
#: Share of the budget one point of one stakeholder's satisfaction is worth.
SATISFACTION_WEIGHT = 0.0005
#: Share of the budget one percent of scope is worth.
SCOPE_WEIGHT = 0.01


def reference_policy(sim: Simulation) -> list[Decision]:
    """The decisions of the week being decided (see the module docstring)."""
    week = sim.week
    made: list[Decision] = []

    def decide(kind: DecisionType, target: str | None = None, option: str | None = None,
               amount: float | None = None, why: str = "") -> Decision:
        d = Decision(id=f"D{week:03d}-{len(made) + 1:02d}", week=week, type=kind,
                     target=target, option=option, amount=amount, rationale=why)
        made.append(d)
        return d

    value = valuer(sim)
    currency = sim.schedule.currency
    if week == 1:
        _risk_decisions(sim, value, decide, currency)
    answered = _answer_events(sim, value, decide, currency)
    forecast = _forecast_after(sim, made) if answered else sim.forecast()
    crashed = _recover(sim, forecast, decide, currency)
    if crashed:
        forecast = _forecast_after(sim, made)
    breached = set(forecast.breached)
    new = sorted(breached - _reported(sim))
    if new:
        text = "; ".join(b.message for b in forecast.breaches)
        decide("raise_exception", why=(
            f"Forecast breaks the {', '.join(new)} tolerance after this week's recovery "
            f"actions ({text}): the board decides, with options, through an exception report."))
    return made


def valuer(sim: Simulation) -> Callable[[Impact], float]:
    """Weighted cost of an impact (positive: harm), as the policy weighs risks and options.

    Money counts as it is; every day of delay costs the planned daily burn of the project
    (cost baseline / planned working days: a delay keeps the team on the project, and
    float is better kept for what nobody foresaw); quality, satisfaction (per stakeholder
    point) and scope are worth fixed shares of the budget.
    """
    s = sim.scenario
    plan = sim.schedule
    burn = sum(a.cost for a in plan.activities) / max(1, critical_path(plan).finish)
    budget = s.budget

    def value(impact: Impact) -> float:
        return (impact.cost + sum(impact.delay.values()) * burn
                - impact.quality * QUALITY_WEIGHT * budget
                - sum(impact.satisfaction.values()) * SATISFACTION_WEIGHT * budget
                - impact.scope_pct * SCOPE_WEIGHT * budget)

    return value


def _risk_decisions(
    sim: Simulation, value: Callable[[Impact], float],
    decide: _Decide, currency: str,
) -> None:
    for risk in sim.scenario.risks:
        harm = value(risk.impact)
        if risk.type == "opportunity":
            # An opportunity's "harm" is negative (a gain); a response that raises its
            # probability or its effect pays when the extra expected gain beats its cost.
            gain = -harm
            best = max(risk.responses, key=_net_gain(gain))
            extra = (best.probability_after * best.impact_factor - risk.probability) * gain
            if best.strategy != "accept" and extra > best.cost:
                decide("mitigate_risk", risk.id, best.id, why=(
                    f"{best.strategy.capitalize()}: expected gain rises by {extra:,.0f} "
                    f"{currency} for {best.cost:,.0f}."))
            else:
                decide("accept_risk", risk.id, why=(
                    "Taken if it comes: no response raises the expected gain by more "
                    "than it costs."))
            continue
        best = min(risk.responses, key=_cost_with(harm))
        after = best.cost + best.probability_after * best.impact_factor * harm
        before = risk.probability * harm
        if best.strategy != "accept" and after < before:
            decide("mitigate_risk", risk.id, best.id, why=(
                f"{best.strategy.capitalize()}: expected harm {before:,.0f} {currency} "
                f"falls to {after:,.0f} including the response's cost of {best.cost:,.0f}."))
        else:
            decide("accept_risk", risk.id, why=(
                f"Accepted and watched: every response costs more than the expected harm of "
                f"{before:,.0f} {currency} it would remove; covered by the contingency "
                "reserve."))


def _cost_with(harm: float) -> Callable[[RiskResponse], float]:
    """A response's cost plus the expected harm left after it."""
    def cost(r: RiskResponse) -> float:
        return r.cost + r.probability_after * r.impact_factor * harm
    return cost


def _net_gain(gain: float) -> Callable[[RiskResponse], float]:
    """An opportunity response's expected gain less its cost."""
    def net(r: RiskResponse) -> float:
        return r.probability_after * r.impact_factor * gain - r.cost
    return net


def _answer_events(
    sim: Simulation, value: Callable[[Impact], float],
    decide: _Decide, currency: str,
) -> bool:
    events = {e.id: e for e in sim.scenario.events}
    answered = False
    for event in sim.open_events():
        options = events[event.id].options
        best = min(options, key=lambda o: value(o.impact))
        default = next(o for o in options if o.id == event.default_option)
        why = (f"Least weighted cost of the {len(options)} options "
               f"({value(best.impact):,.0f} {currency} against "
               f"{value(default.impact):,.0f} for the default '{default.label}').")
        if best.id == default.id:
            why = (f"The default '{default.label}' is also the option of least weighted cost "
                   f"({value(best.impact):,.0f} {currency}); decided now, not left to lapse.")
        decide("change_request" if event.change_request else "respond_to_event",
               event.id, best.id, why=why)
        answered = True
    return answered


def _recover(
    sim: Simulation, forecast: Forecast, decide: _Decide, currency: str,
) -> bool:
    late = forecast.days_late
    if late <= 0:
        return False
    crash = {a.id: a.crash.cost_per_day for a in sim.scenario.activities if a.crash}
    candidates = sorted(
        (a for a in forecast.activities.values()
         if a.critical and a.id in crash and a.crash_days_left > 0 and a.remaining_days > 1),
        key=lambda a: (crash[a.id], a.id),
    )
    crashed = False
    for a in candidates:
        if late <= 0:
            break
        days = min(late, a.crash_days_left, a.remaining_days - 1)
        decide("crash", a.id, amount=float(days), why=(
            f"Forecast finish {forecast.finish} is {forecast.days_late} working days past "
            f"the deadline; {a.id} is critical and the cheapest day to buy "
            f"({crash[a.id]:,.0f} {currency} a day)."))
        late -= days
        crashed = True
    return crashed


def _forecast_after(sim: Simulation, decisions: Sequence[Decision]) -> Forecast:
    """The forecast once ``decisions`` are applied: a replay of the log plus them.

    The simulation cannot be copied (it holds numpy calendars), and a policy returns its
    decisions rather than applying them, so a probe replays the log into a new simulation.
    """
    probe = Simulation(sim.scenario, sim.schedule, [*sim.log.decisions, *decisions])
    return probe.forecast()


def _reported(sim: Simulation) -> set[str]:
    """Tolerances an exception report has covered, while their breach has lasted since."""
    weeks = {d.week for d in sim.log.decisions if d.type == "raise_exception"}
    reported: set[str] = set()
    for state in sim.history:
        breached = set(state.forecast.breached)
        if state.week in weeks:
            reported |= breached
        reported &= breached
    return reported

