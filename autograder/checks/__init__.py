"""The checks a rubric can name: small functions over deliverables, scenario and maths.

A check is registered under its name with :func:`check` and called as
``fn(ctx, params) -> Outcome``, where ``params`` are the criterion's thresholds from the
rubric YAML. A check that needs a deliverable calls ``ctx.require(Model)``; a missing or
invalid one becomes a finding of score 0 that names the file and its problems.
"""

from __future__ import annotations

# Importing the gate modules registers their checks.
from livepmo.autograder.checks import closure, execution, initiation, planning
from livepmo.autograder.checks._registry import CHECKS, Check, Params, check
from livepmo.autograder.context import Context, Missing

__all__ = ["CHECKS", "Check", "Context", "Missing", "Params", "check", "closure",
           "execution", "initiation", "planning"]
