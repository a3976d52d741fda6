"""Finding, reading and varying scenarios.

Scenarios live in ``library/<id>.yaml`` beside this module. Reading one validates it in
full; every problem is reported with the file, the line and the key path. A *variant*
(``load_scenario(id, seed)``) perturbs the numbers and draws which risks strike and which
events fire, deterministically from the seed, so neighbours in a cohort meet different
shocks while the same learner always meets the same ones.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from livepmo.deliverables.versions import pydantic_problems
from livepmo.errors import Problem
from livepmo.scenarios.schema import Scenario
from livepmo.yamldata import DataFileError, locate, read_yaml

LIBRARY = Path(__file__).parent / "library"


class ScenarioError(DataFileError):
    """A scenario file is invalid or missing; ``problems`` name the key path and line."""


@dataclass(frozen=True)
class ScenarioInfo:
    """One line of the scenario list."""

    id: str
    title: str
    industry: str
    budget: str
    window: str


def scenario_ids(library: Path = LIBRARY) -> list[str]:
    """The ids of the scenarios in the library, sorted."""
    return sorted(p.stem for p in library.glob("*.yaml"))


def list_scenarios(library: Path = LIBRARY) -> list[ScenarioInfo]:
    """Every scenario in the library, validated, as a short description."""
    infos = []
    for sid in scenario_ids(library):
        s = read_scenario(library / f"{sid}.yaml")
        infos.append(
            ScenarioInfo(
                id=s.id,
                title=s.title,
                industry=s.organisation.industry,
                budget=f"{s.budget:,.0f} {s.currency}",
                window=f"{s.start} → {s.deadline}",
            )
        )
    return infos


def read_scenario(path: Path) -> Scenario:
    """Read and validate one scenario file; raises ScenarioError listing every problem."""
    data, text = read_yaml(path, ScenarioError)
    if not isinstance(data, dict):
        raise ScenarioError(path, [Problem("", "expected a mapping of scenario keys",
                                           "start the file with `id: ...`")], [1])
    computed = [k for k in ("seed", "draws") if k in data]
    problems: list[Problem] = [
        Problem(k, "is computed by load_scenario, not written", "remove it") for k in computed
    ]
    if not problems:
        try:
            scenario = Scenario.model_validate(data, context={"problems": problems})
        except ValidationError as exc:
            problems = pydantic_problems("scenario", exc)
        else:
            if scenario.id != path.stem and not problems:
                problems.append(Problem("id", f"id {scenario.id!r} is not the file name",
                                        f"name the file {scenario.id}.yaml or fix the id"))
            if not problems:
                return scenario
    raise locate(path, text, problems, ScenarioError)


def load_scenario(scenario_id: str, seed: int | None = None, library: Path = LIBRARY) -> Scenario:
    """The scenario ``scenario_id``; with a seed, the learner's deterministic variant.

    A variant scales each activity's estimates and cost, each risk's and event's
    probability, shifts event windows by up to a week, and draws the fate of every risk
    and event (a uniform number compared with the probability at run time, so a risk
    response that lowers a probability changes the outcome with the same draw, and the
    week it would strike). Same seed, same variant.
    """
    path = library / f"{scenario_id}.yaml"
    if not path.exists():
        known = ", ".join(scenario_ids(library)) or "none"
        raise ScenarioError(path, [Problem("", f"no scenario {scenario_id!r}",
                                           f"use one of: {known}")], [None])
    stat = path.stat()
    scenario = _read_cached(path, stat.st_mtime_ns, stat.st_size)
    # Callers get their own copy: the cached original must never be changed through them.
    return scenario.model_copy(deep=True) if seed is None else _variant(scenario, seed)


@functools.lru_cache(maxsize=32)
def _read_cached(path: Path, mtime_ns: int, size: int) -> Scenario:
    # Keyed by modification time and size, so an author's edit is read afresh.
    return read_scenario(path)


def seed_for(learner: str, scenario_id: str = "") -> int:
    """A stable seed from a learner id (and scenario), so neighbours differ."""
    digest = hashlib.sha256(f"{learner}\x00{scenario_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _variant(scenario: Scenario, seed: int) -> Scenario:
    # The id's hash joins the seed so one learner's seed gives unrelated draws per scenario.
    rng = np.random.default_rng([seed, seed_for("", scenario.id)])
    data = scenario.model_dump(mode="json")
    for a in data["activities"]:
        if a["milestone"]:
            continue
        f = float(rng.uniform(0.92, 1.08))  # symmetric: a variant is no harder on average
        if a["level_of_effort"]:
            f = 1.0  # its length is the project's, not an estimate of its own (the draw
            # is still taken, so the other activities' variants stay as they were)
        for k in ("optimistic", "most_likely", "pessimistic"):
            a[k] = round(a[k] * f * 2) / 2  # half days keep the order and read naturally
        a["cost"] = round(a["cost"] * float(rng.uniform(0.93, 1.07)), -2)
    draws: dict[str, dict[str, Any]] = {}
    for r in data["risks"]:
        r["probability"] = round(float(np.clip(r["probability"] * rng.uniform(0.75, 1.25),
                                               0.02, 0.95)), 3)
        first, last = r["weeks"]
        draws[r["id"]] = {"u": round(float(rng.random()), 6),
                          "week": int(rng.integers(first, last + 1))}
    for e in data["events"]:
        t = e["trigger"]
        t["probability"] = round(float(np.clip(t["probability"] * rng.uniform(0.7, 1.3),
                                               0.0, 1.0)), 3)
        shift = int(rng.integers(-1, 2))
        first, last = (max(1, w + shift) for w in t["weeks"])
        t["weeks"] = [first, last]
        draws[e["id"]] = {"u": round(float(rng.random()), 6),
                          "week": int(rng.integers(first, last + 1))}
    data["seed"] = seed
    data["draws"] = draws
    problems: list[Problem] = []
    variant = Scenario.model_validate(data, context={"problems": problems})
    if problems:  # a perturbation must never break a valid scenario; say so if it does
        raise ScenarioError(Path(f"{scenario.id}.yaml"), problems, [None] * len(problems))
    return variant
