"""Flaws as mutations: named ways learners damage a deliverable set, each with the
criteria it must trigger and the decision it must lead to.

Applied to every scenario's reference solutions they form the review's test matrix (and,
later, the batch validator's). Each gate's mutations live in the module of that gate.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livepmo.storage import write_atomic

Data = dict[str, dict[str, Any]]
_GATE_MODULES = ("initiation", "planning", "execution", "closure")


@dataclass(frozen=True)
class Mutation:
    """A flaw learners make: ``apply`` damages ``{kind: data}`` of a gate's set in place."""

    name: str
    gate: str
    expects: frozenset[str]
    decision: str
    apply: Callable[[Data], None]
    description: str


def all_mutations() -> list[Mutation]:
    """Every gate's mutations, in gate order."""
    found: list[Mutation] = []
    for name in _GATE_MODULES:
        module = importlib.import_module(f"livepmo.autograder.mutations.{name}")
        found.extend(module.MUTATIONS)
    return found


def mutate(mutation: Mutation, source: Path, target: Path) -> Path:
    """Write ``source``'s deliverables, damaged by ``mutation``, into ``target``.

    The damage is written as it is, valid or not: the review must cope with what learners
    hand in.
    """
    data: Data = {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(source.glob("*.json"))
    }
    mutation.apply(data)
    target.mkdir(parents=True, exist_ok=True)
    for kind, content in data.items():
        write_atomic(target / f"{kind}.json", json.dumps(content, indent=2) + "\n")
    return target
