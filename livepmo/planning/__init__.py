"""Planning maths: critical path, Monte Carlo schedule risk, earned value, risk scoring.

Core code: numpy only, no Jupyter UI. The engine counts time in working days from the
project start (offset 0 is the first working day) and maps offsets to dates through the
project calendar; :mod:`livepmo.planning.workdays` states the date conventions and
:mod:`livepmo.planning.cpm` the scheduling ones.

Typical use::

    from livepmo.planning import critical_path, simulate

    cpm = critical_path(schedule)              # ES/EF/LS/LF, floats, critical path(s)
    risk = simulate(schedule, seed=42)         # P50/P80/P90, criticality, sensitivity
"""

from __future__ import annotations

from livepmo.planning.baseline import with_baseline
from livepmo.planning.cpm import ActivityTimes, CpmResult, OpenEnds, critical_path
from livepmo.planning.evm import (
    EarnedValue,
    PlannedValueCurve,
    earned_value,
    earned_value_of,
    earned_value_per_period,
    planned_value_curve,
)
from livepmo.planning.montecarlo import MonteCarloResult, ThreePoint, simulate
from livepmo.planning.network import LINK_TYPES, CycleError, Network, PlanningError
from livepmo.planning.riskscore import (
    ContingencySuggestion,
    RiskScore,
    band_of,
    contingency_reserve,
    score_register,
    score_risk,
)
from livepmo.planning.workdays import CalendarError, WorkCalendar

__all__ = [
    "LINK_TYPES",
    "ActivityTimes",
    "CalendarError",
    "ContingencySuggestion",
    "CpmResult",
    "CycleError",
    "EarnedValue",
    "MonteCarloResult",
    "Network",
    "OpenEnds",
    "PlannedValueCurve",
    "PlanningError",
    "RiskScore",
    "ThreePoint",
    "WorkCalendar",
    "band_of",
    "contingency_reserve",
    "critical_path",
    "earned_value",
    "earned_value_of",
    "earned_value_per_period",
    "planned_value_curve",
    "score_register",
    "score_risk",
    "simulate",
    "with_baseline",
]
