"""The registry of named checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from livepmo.autograder.context import Context
    from livepmo.autograder.findings import Outcome

Params: TypeAlias = Mapping[str, Any]
Check: TypeAlias = "Callable[[Context, Params], Outcome]"

CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register a check under ``name`` (the name rubrics use)."""

    def register(fn: Check) -> Check:
        if name in CHECKS:
            raise ValueError(f"check {name!r} is registered twice")
        CHECKS[name] = fn
        return fn

    return register
