"""Policies: who decides when the simulation runs unattended.

A policy is called at the start of every week with the simulation and returns (or
yields) the decisions to take that week, dated :attr:`Simulation.week`; each decision is
applied as it comes, so a generator sees one decision's effect before choosing the
next. It reads what a project
manager can see — :meth:`Simulation.open_events`, :meth:`Simulation.forecast`,
:attr:`Simulation.history` — and must return decisions the simulation accepts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from livepmo.deliverables.decisions import Decision

if TYPE_CHECKING:
    from livepmo.execution.simulation import Simulation


def do_nothing(sim: Simulation) -> list[Decision]:
    """Decide nothing, ever: every risk runs its course and every event gets its default.

    The baseline a learner's decisions are compared with.
    """
    del sim
    return []
