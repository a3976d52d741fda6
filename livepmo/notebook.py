"""The face the course notebooks call: one function per notebook cell.

Like the CLI, this module sits above every part (widgets, the PMO review, scenarios) and
holds no logic of its own beyond wiring them: a gate notebook opens the learner's project,
shows the brief, draws one builder per cell, runs the readiness check, makes the gate
presentation, and its autograded cells ask for the PMO review's score of one group of
criteria. The same notebook runs in a learner's kernel, in nbgrader's autograde and
headless under papermill (architecture decision 7).

The learner's project (scenario, variant seed, learner) is pinned in
``deliverables/project.json`` the first time a gate is opened; deliverables of earlier
gates are carried forward from the sibling gate folders (``../01-initiation/deliverables``
and so on), because nbgrader collects each gate's folder on its own.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import shutil
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livepmo.deliverables import KINDS, ProjectAssignment
from livepmo.errors import LivepmoError
from livepmo.storage import DeliverableStore

# Every gate notebook imports this module first. plotly's FigureWidget imports nbformat,
# whose jsonschema imports rfc3987_syntax when it is installed, and that package builds an
# Earley parser at import: 2.5 s of every kernel's start (7 s on a busy machine), for an
# IRI format check nothing in a notebook kernel uses. Marked absent, jsonschema skips that
# one format.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    import ipywidgets as w

    from livepmo.autograder.review import Review
    from livepmo.scenarios.schema import Scenario

#: The gates in order, and the folder of the orientation notebook that comes first.
ORIENTATION = "00-orientation"
GATES = ("01-initiation", "02-planning", "03-execution", "04-closure")

class ProjectError(LivepmoError):
    """The notebook cannot tell which project it is about; the message says what to do."""


@dataclass(frozen=True)
class Project:
    """A learner's project at one gate: the assignment, its scenario and the folder."""

    gate: str
    assignment: ProjectAssignment
    folder: Path
    carried: tuple[str, ...] = ()

    @property
    def scenario(self) -> Scenario:
        """The learner's variant of the scenario."""
        return _scenario(self.assignment.scenario, self.assignment.seed)

    def brief(self) -> _Markdown:
        """The scenario brief, as the learner's first cell shows it."""
        from livepmo.scenarios.brief import brief

        a = self.assignment
        head = (f"*Project of **{a.learner}**: scenario `{a.scenario}`, variant {a.seed}. "
                f"Deliverables are saved in `{self.folder}`.*")
        if self.carried:
            head += f"\n\n*Carried forward from the earlier gates: {', '.join(self.carried)}.*"
        return _Markdown(head + "\n\n" + brief(self.scenario))

    def build(self, kind: str) -> w.Widget:
        """The builder of one deliverable kind, loaded from the learner's saved file."""
        from livepmo.widgets import builder_for

        return builder_for(kind, self.folder, scenario=self.scenario)

    def readiness(self) -> w.Widget:
        """The readiness check: the PMO review of this gate, run before submitting."""
        from livepmo.widgets import ReadinessPanel

        return ReadinessPanel(self.gate, self.folder, scenario=self.scenario,
                              learner=self.assignment.learner)

    def presentation(self) -> Any:
        """Write the gate presentation (``presentation.html`` beside the notebook) and show it."""
        from livepmo.widgets.deck import gate_deck

        return gate_deck(self.gate, self.folder, self.scenario,
                         out=self.folder.parent / "presentation.html")


def open_project(
    gate: str,
    scenario_id: str | None = None,
    seed: int | None = None,
    deliverables: str | Path = "deliverables",
    *,
    learner: str | None = None,
) -> Project:
    """The learner's project at ``gate``, pinned in ``<deliverables>/project.json``.

    Deliverables missing here are first carried forward from earlier gates' folders. When
    ``project.json`` exists it decides the project; ``scenario_id`` and ``seed`` must then
    agree with it or be left as None. Without one, ``scenario_id`` is required; the seed
    defaults to one derived from the learner's id (``learner``, else the JupyterHub user,
    else the login name), so neighbours get different shocks.
    """
    if gate not in (ORIENTATION, *GATES):
        raise ProjectError(f"unknown gate {gate!r}; use one of {', '.join(GATES)}")
    folder = Path(deliverables)
    carried = _carry_forward(gate, folder)
    store = DeliverableStore(folder)
    saved = store.load(ProjectAssignment)
    if saved is not None:
        if scenario_id not in (None, saved.scenario) or seed not in (None, saved.seed):
            raise ProjectError(
                f"{store.path(ProjectAssignment)} is project {saved.scenario!r} variant "
                f"{saved.seed}, but the parameters ask for {scenario_id!r} variant {seed}: "
                "set scenario_id and seed to None to go on with the saved project, or use "
                "another deliverables folder for another project")
        return Project(gate, saved, folder, carried)
    if scenario_id is None:
        raise ProjectError(
            f"no project is chosen yet for {folder}: choose one in 00-orientation, or set "
            "scenario_id in the parameters cell (run `livepmo scenarios` for the list)")
    from livepmo.scenarios import load_scenario, seed_for

    load_scenario(scenario_id)  # an unknown id fails here, naming the known ones
    who = learner or os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
    assignment = ProjectAssignment(
        scenario=scenario_id,
        seed=seed if seed is not None else seed_for(who, scenario_id),
        learner=who,
        assigned_on=dt.date.today(),
    )
    store.save(assignment)
    return Project(gate, assignment, folder, carried)


def pmo_score(gate: str, group: str, deliverables: str | Path = "deliverables") -> float:
    """The PMO review's score of one group of criteria: what an autograded cell outputs.

    nbgrader scores a test cell by the number it outputs, so each group's cell returns its
    points earned. The review is run once per notebook run and shared by the cells.
    """
    return _review(gate, str(Path(deliverables).resolve()), _fingerprint(Path(deliverables))) \
        .group(group).score


def pmo_review(gate: str, deliverables: str | Path = "deliverables") -> Review:
    """The PMO review of the saved deliverables (the memo shows when a cell returns it)."""
    return _review(gate, str(Path(deliverables).resolve()), _fingerprint(Path(deliverables)))


def choose_project(
    scenario_id: str | None = None, seed: int | None = None,
    deliverables: str | Path = "deliverables",
) -> w.Widget:
    """The orientation's project chooser; with ``scenario_id`` (papermill) it pins it at once."""
    from livepmo.widgets import ProjectChooser

    if scenario_id is not None:
        open_project(ORIENTATION, scenario_id, seed, deliverables)
    return ProjectChooser(deliverables)


def scenario_overview() -> _Markdown:
    """The scenarios a learner can choose, as a table."""
    from livepmo.scenarios import list_scenarios

    rows = [f"| `{s.id}` | {s.title} |" for s in list_scenarios()]
    return _Markdown("| id | project |\n|---|---|\n" + "\n".join(rows))


def rubric_overview() -> _Markdown:
    """Every gate's criteria with their points and severity, as the PMO applies them."""
    from livepmo.autograder import load_rubric

    parts = []
    for gate in GATES:
        rubric = load_rubric(gate)
        rows = "\n".join(f"| {c.id} | {c.title} | {c.points:g} | {c.severity} |"
                         for c in rubric.criteria)
        parts.append(f"### {rubric.title} ({rubric.total_points:g} points; rework below "
                     f"{rubric.rework_below:g})\n\n| id | criterion | points | severity |\n"
                     f"|---|---|---|---|\n{rows}")
    return _Markdown("\n\n".join(parts))


# -- internals ---------------------------------------------------------------------------


class _Markdown:
    """Markdown a notebook shows rendered (and a terminal shows as text)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def _carry_forward(gate: str, folder: Path) -> tuple[str, ...]:
    """Copy deliverables this gate's folder lacks from the earlier gates' folders."""
    order = (ORIENTATION, *GATES)
    earlier = order[: order.index(gate)]
    carried: list[str] = []
    for previous in reversed(earlier):  # the latest version of each deliverable wins
        source = folder.resolve().parent.parent / previous / folder.name
        if not source.is_dir():
            continue
        for kind in KINDS:
            src, dst = source / f"{kind}.json", folder / f"{kind}.json"
            if src.exists() and not dst.exists():
                folder.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
                carried.append(kind)
    return tuple(carried)


@lru_cache(maxsize=8)
def _scenario(scenario_id: str, seed: int) -> Scenario:
    from livepmo.scenarios import load_scenario

    return load_scenario(scenario_id, seed)


def _fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What the review depends on: each file's name, size and modification time."""
    if not folder.is_dir():
        return ()
    return tuple(
        (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.json"))
    )


@lru_cache(maxsize=8)
def _review(gate: str, folder: str, fingerprint: tuple[tuple[str, int, int], ...]) -> Review:
    # Keyed by the files' fingerprint: the cells of one run share one review, and a
    # deliverable saved in between is reviewed afresh.
    from livepmo.autograder.review import review_project

    return review_project(gate, folder)
