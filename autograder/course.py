"""The nbgrader course: the gate notebooks, their release build and the integrity check.

The notebooks under ``course/source/`` are written from the description here (and a test
keeps them equal to it), so every gate has the same shape and its points always match
the rubric:

* the brief, one builder per deliverable, the readiness check and the presentation, each
  a locked cell that calls one function of :mod:`livepmo.notebook`;
* a papermill ``parameters`` cell (scenario, seed, deliverables folder), so batch checks
  run exactly what learners run;
* one autograded test cell per group of rubric criteria, worth the group's points; it
  outputs the PMO review's score of the group, which nbgrader records as the cell's grade;
* a manually graded answer cell for the written defence and a manually graded task for
  the presentation, each with its marking scheme shown to the grader;
* the decision memo as the last output, so nbgrader's feedback carries it.

nbgrader silently scores a deleted test cell 0; :func:`missing_cells` finds such cells by
comparing a submission with the source notebook.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from livepmo.autograder.rubric import GATES, load_rubric
from livepmo.deliverables import KINDS
from livepmo.errors import LivepmoError

if TYPE_CHECKING:
    from nbgrader.apps import NbGraderAPI

#: The course root in the repository (``course/``): nbgrader_config.py and source/.
COURSE = Path(__file__).resolve().parents[1] / "course"
ORIENTATION = "00-orientation"
#: Every assignment of the course, in order.
ASSIGNMENTS = (ORIENTATION, *GATES)
#: Points of the manually graded parts of each gate.
DEFENCE_POINTS = 10
PRESENTATION_POINTS = 10

_TITLES = {
    "01-initiation": ("Gate 1 — Initiation",
                      "Is this project worth starting, and is it understood well enough to plan?"),
    "02-planning": ("Gate 2 — Planning",
                    "Can this plan deliver the business case on time, within budget, at the "
                    "confidence the board asked for?"),
    "03-execution": ("Gate 3 — Execution",
                     "Is the project under control: measured honestly, changed deliberately, "
                     "escalated in time?"),
    "04-closure": ("Gate 4 — Closure",
                   "Was it delivered, accepted and handed over, and what does the "
                   "organisation learn?"),
}

_WHAT_GOOD_LOOKS_LIKE = {
    "project": "Which project you run; written once, in the orientation.",
    "charter": "Why the project exists, measurable objectives (metric, target, date), "
               "explicit scope boundaries, budget and tolerances, and who may decide what.",
    "stakeholder_register": "Everyone who can make or break the project, by power and "
                            "interest, with an engagement strategy for each high-power one.",
    "risk_register": "Named causes, probability and impact on the 5×5 scale, and for every "
                     "high risk an owner, a response and a trigger.",
    "schedule": "Activities from the catalogue with plausible durations and estimates, one "
                "connected network, the critical path understood, P80 against the deadline, "
                "and the baseline frozen when the plan is ready.",
    "communications_plan": "Who hears what, how often and from whom.",
    "decision_log": "Every decision of the execution weeks, taken in the console.",
    "status_reports": "A status report every week, figures that agree with the earned value.",
    "change_log": "Change requests assessed (impact on time, cost, scope) before decided.",
    "issue_log": "Risks that struck, handled as issues with owners and actions.",
    "exception_reports": "An exception report, with options, when a tolerance breach is "
                         "forecast.",
    "closure_report": "Objectives against outcome, variances explained, acceptance and "
                      "handover.",
    "lessons_learned": "Specific lessons with an owner and an action, not platitudes.",
}

_DEFENCE = """\
## Written defence ({points} points, graded by the PMO)

The board reads your deliverables before the gate meeting and asks the questions listed
in the readiness check's memo (*Board questions*). Answer each of them here,
in a few sentences, with the figures from your deliverables: what you decided, why, what
it costs and what you will watch.

**Marking scheme (for the grader)**: answers every board question (4) · uses the
project's own figures (3) · names the trade-off and its consequence (3).
"""

_PRESENTATION = """\
## Gate presentation ({points} points, graded by the PMO)

Present `presentation.html` (made by the cell above from your deliverables) to the board in
at most ten minutes.

**Marking scheme (for the grader)**: a clear ask of the board (3) · the plan and its
critical path or status understood (3) · risks and decisions owned, with figures (2) ·
answers the board's questions on the last slide (2).
"""


@dataclass(frozen=True)
class CellRef:
    """An nbgrader cell of a notebook: its grade id, what it is, and its points."""

    grade_id: str
    role: str  # "test", "answer", "task" or "locked"
    points: float


# -- the notebooks ------------------------------------------------------------------------


def gate_notebook(gate: str) -> nbformat.NotebookNode:
    """The source notebook of a gate (with hidden tests; nbgrader makes the release)."""
    title, question = _TITLES[gate]
    rubric = load_rubric(gate)
    groups = rubric.grouped()
    cells = [
        _locked("intro", f"# {title}\n\n*{question}*\n\n"
                "Build the deliverables below; each builder saves its file in your "
                "deliverables folder. Run the readiness check to see the PMO review the "
                "board will see, fix what it finds and run it again. Then make your "
                "presentation, write your defence and submit. The PMO approves the gate, "
                "approves it with conditions, or sends it back for rework with specific "
                "feedback: then refine and resubmit.\n\n"
                "The review is worth " + ", ".join(
                    f"{g.title.lower()} {rubric.points_of(g):g}" for g in groups)
                + f" points; the defence {DEFENCE_POINTS} and the presentation "
                f"{PRESENTATION_POINTS}.", markdown=True),
        _locked("imports", "from livepmo.notebook import open_project, pmo_review, pmo_score"),
        _parameters(),
        _locked("project", f'project = open_project("{gate}", scenario_id, seed, deliverables)'),
        _locked("brief", "project.brief()"),
    ]
    for kind in rubric.deliverables:
        cells.append(_locked(f"about-{kind}", f"## {KINDS[kind].TITLE}\n\n"
                             f"{_WHAT_GOOD_LOOKS_LIKE[kind]}", markdown=True))
        cells.append(_locked(f"build-{kind}", f'project.build("{kind}")'))
    cells += [
        _locked("about-readiness", "## Readiness check\n\nThe same PMO review the board runs, "
                "on what you have saved. Run it as often as you like.", markdown=True),
        _locked("readiness", "project.readiness()"),
        _locked("about-presentation", "## Presentation\n\nA slide deck made from your saved "
                "deliverables, written to `presentation.html` beside this notebook.",
                markdown=True),
        _locked("presentation", "project.presentation()"),
        _locked("defence-question", _DEFENCE.format(points=DEFENCE_POINTS), markdown=True),
        _answer("defence", DEFENCE_POINTS),
        _task("presentation-grade", _PRESENTATION.format(points=PRESENTATION_POINTS),
              PRESENTATION_POINTS),
        _locked("about-review", "## PMO review (autograded)\n\nEach cell below is the "
                "review's score of one group of criteria. They run when the PMO grades "
                "your submission.", markdown=True),
    ]
    for g in groups:
        ids = ", ".join(g.criteria)
        cells.append(_test(
            f"review-{g.id}",
            f"# {g.title}: criteria {ids} ({rubric.points_of(g):g} points)\n"
            "### BEGIN HIDDEN TESTS\n"
            f'pmo_score("{gate}", "{g.id}", deliverables)\n'
            "### END HIDDEN TESTS",
            rubric.points_of(g),
        ))
    cells.append(_locked("memo", f'pmo_review("{gate}", deliverables)'))
    return _notebook(cells)


def orientation_notebook() -> nbformat.NotebookNode:
    """The orientation: how the PMO works, the rubrics, and choosing a project."""
    cells = [
        _locked("intro", _ORIENTATION_TEXT, markdown=True),
        _locked("imports", "from livepmo.notebook import choose_project, rubric_overview, "
                "scenario_overview"),
        _parameters(),
        _locked("about-scenarios", "## The projects\n\nEach is a real-world IT project with "
                "its organisation, people, catalogue of work, risks and the shocks of "
                "execution.", markdown=True),
        _locked("scenarios", "scenario_overview()"),
        _locked("about-rubrics", "## How the PMO reviews each gate\n\nThe criteria, their "
                "points and their severity: a *blocking* finding sends the gate back for "
                "rework, *major* findings become conditions of an approval.", markdown=True),
        _locked("rubrics", "rubric_overview()"),
        _locked("about-choice", "## Your project\n\nChoose a project (or enter the one your "
                "instructor assigned) and press *Choose*. Your variant is derived from your "
                "learner id, so your shocks differ from your neighbours'.", markdown=True),
        _locked("choose", "choose_project(scenario_id, seed, deliverables)"),
    ]
    return _notebook(cells)


_ORIENTATION_TEXT = """\
# Orientation — how this PMO works

You are the project manager of a real-world IT project. A PMO board approves it gate by
gate: **Initiation → Planning → Execution → Closure**.

* At each gate you build the deliverables (charter, stakeholder register, schedule, risk
  register, status reports, change requests, closure report, …) with the builders in the
  gate's notebook. Every builder saves a file; the files are what the PMO reviews.
* The **readiness check** runs the PMO's review on your files before you submit: a score
  by criterion, findings with the evidence and how to fix them, and the questions the
  board will ask.
* The PMO decides: **approved**, **approved with conditions**, **rework** (fix the
  findings and resubmit; every attempt is kept and the next memo says what changed), or
  **stop** when the business case no longer holds.
* In execution, the weeks bring shocks — vendor delays, a sponsor pushing scope, a key
  person leaving — and every decision you log has consequences in the simulation.
* Each gate ends with a presentation to the board and a written defence.
"""

def notebooks() -> dict[str, nbformat.NotebookNode]:
    """Every source notebook by assignment id."""
    return {ORIENTATION: orientation_notebook(), **{g: gate_notebook(g) for g in GATES}}


def notebook_path(course: Path, assignment: str, folder: str = "source") -> Path:
    """Where an assignment's notebook lives in a course folder."""
    return course / folder / assignment / f"{assignment}.ipynb"


def write_sources(course: Path = COURSE) -> list[Path]:
    """Write every source notebook under ``course/source``; returns the files written."""
    written = []
    for assignment, nb in notebooks().items():
        path = notebook_path(course, assignment)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        written.append(path)
    return written


# -- nbgrader ------------------------------------------------------------------------------


def new_course(target: Path) -> Path:
    """A course folder at ``target`` from this repository's course: the source notebooks
    and ``nbgrader_config.py`` (no gradebook, no release yet). Returns ``target``."""
    import shutil

    shutil.copytree(COURSE / "source", target / "source")
    shutil.copy(COURSE / "nbgrader_config.py", target)
    return target


def nbgrader_api(course: Path = COURSE, **settings: Any) -> NbGraderAPI:
    """nbgrader's Python API on a course folder, with its ``nbgrader_config.py``.

    ``settings`` override configuration values, as ``{"Execute.timeout": 10}``.
    """
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    # nbgrader runs the `alembic` command of its own environment to set up a gradebook.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    config.NbGrader.logfile = str(course / "nbgrader.log")
    for key, value in settings.items():
        section, name = key.split(".")
        setattr(getattr(config, section), name, value)
    return NbGraderAPI(config=config)


def build(course: Path = COURSE) -> dict[str, str]:
    """Write the source notebooks and generate the release version of every assignment
    (nbgrader ``generate_assignment``); returns each assignment's outcome, "ok" or the
    error. Raises :class:`CourseError` when any assignment fails."""
    write_sources(course)
    api = nbgrader_api(course)
    outcome: dict[str, str] = {}
    for assignment in ASSIGNMENTS:
        result = api.generate_assignment(assignment)
        outcome[assignment] = "ok" if result["success"] else _last_error(result)
    failed = {a: e for a, e in outcome.items() if e != "ok"}
    if failed:
        raise CourseError("; ".join(f"{a}: {e}" for a, e in failed.items()))
    return outcome


def workspace(target: Path, course: Path = COURSE) -> list[str]:
    """A learner's workspace for one machine: the release version of every assignment,
    copied into ``target`` (built first when missing). An assignment folder already there
    is left as it is: it holds the learner's work. Returns the assignments copied."""
    import shutil

    if any(not notebook_path(course, a, "release").exists() for a in ASSIGNMENTS):
        build(course)
    copied = []
    for assignment in ASSIGNMENTS:
        if (target / assignment).exists():
            continue
        shutil.copytree(course / "release" / assignment, target / assignment)
        copied.append(assignment)
    return copied


class CourseError(LivepmoError):
    """nbgrader could not build or grade the course; the message says which assignment."""


def _last_error(result: dict[str, Any]) -> str:
    lines = [ln for ln in str(result.get("log", "")).splitlines() if "ERROR" in ln]
    return lines[0] if lines else str(result.get("error", "failed")).strip().splitlines()[-1]


# -- integrity ----------------------------------------------------------------------------


def graded_cells(nb: nbformat.NotebookNode) -> list[CellRef]:
    """The nbgrader cells of a notebook that carry points or are locked."""
    refs = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if "grade_id" not in meta:
            continue
        role = ("test" if meta.get("grade") and not meta.get("solution") else
                "answer" if meta.get("grade") else
                "task" if meta.get("task") else "locked")
        refs.append(CellRef(meta["grade_id"], role, float(meta.get("points", 0) or 0)))
    return refs


def missing_cells(source: nbformat.NotebookNode,
                  submitted: nbformat.NotebookNode) -> list[CellRef]:
    """Graded cells of the source notebook that a submission no longer has.

    nbgrader restores edited locked and test cells, but a deleted one (or one whose
    nbgrader metadata was stripped) is neither restored nor reported: it just scores 0.
    """
    present = {ref.grade_id for ref in graded_cells(submitted)}
    return [ref for ref in graded_cells(source) if ref.grade_id not in present
            and ref.role in ("test", "answer", "task")]


@dataclass(frozen=True)
class SubmissionCheck:
    """What our integrity check found in one learner's submission of a gate."""

    learner: str
    missing: tuple[CellRef, ...] = ()
    unreadable: str | None = None

    @property
    def ok(self) -> bool:
        """True when the notebook reads and every graded cell is still there."""
        return not self.missing and self.unreadable is None


def check_submissions(gate: str, course: Path = COURSE) -> list[SubmissionCheck]:
    """Every submission of ``gate`` in ``course/submitted`` against the source notebook:
    the graded cells it lost, or why its notebook cannot be read. A bad notebook is
    reported and the check goes on."""
    source = read_notebook(notebook_path(course, gate))
    found = []
    for folder in sorted((course / "submitted").glob(f"*/{gate}")):
        learner = folder.parent.name
        try:
            submitted = read_notebook(folder / f"{gate}.ipynb")
        except (OSError, ValueError) as exc:  # missing, not JSON, not a notebook
            found.append(SubmissionCheck(learner, unreadable=f"{type(exc).__name__}: {exc}"))
            continue
        found.append(SubmissionCheck(learner, tuple(missing_cells(source, submitted))))
    return found


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """A notebook file as nbformat v4."""
    return nbformat.read(path, as_version=4)


# -- cells --------------------------------------------------------------------------------


def _meta(grade_id: str, **flags: Any) -> dict[str, Any]:
    nbgrader = {"grade": False, "solution": False, "locked": False, "task": False,
                "grade_id": grade_id, "schema_version": 3}
    nbgrader.update(flags)
    return {"nbgrader": nbgrader}


def _locked(grade_id: str, source: str, *, markdown: bool = False) -> nbformat.NotebookNode:
    meta = _meta(grade_id, locked=True)
    if markdown:
        return new_markdown_cell(source, metadata=meta)
    return new_code_cell(source, metadata=meta)


def _parameters() -> nbformat.NotebookNode:
    # Not locked: a learner (or papermill) sets these. Not an nbgrader cell either.
    return new_code_cell(
        "# Parameters: None means the project chosen in 00-orientation\n"
        "# (pinned in deliverables/project.json).\n"
        "scenario_id = None\n"
        "seed = None\n"
        'deliverables = "deliverables"',
        metadata={"tags": ["parameters"]},
    )


def _test(grade_id: str, source: str, points: float) -> nbformat.NotebookNode:
    return new_code_cell(source, metadata=_meta(grade_id, grade=True, locked=True,
                                                points=points))


def _answer(grade_id: str, points: float) -> nbformat.NotebookNode:
    return new_markdown_cell("YOUR ANSWER HERE",
                             metadata=_meta(grade_id, grade=True, solution=True, points=points))


def _task(grade_id: str, source: str, points: float) -> nbformat.NotebookNode:
    # Locked: nbgrader restores a task cell with its checksum only when it is locked.
    return new_markdown_cell(source, metadata=_meta(grade_id, task=True, locked=True,
                                                    points=points))


def _notebook(cells: Iterable[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    nb = new_notebook(cells=list(cells))
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"},
    }
    # Stable ids keep the committed notebooks byte-for-byte reproducible.
    for i, cell in enumerate(nb.cells):
        cell["id"] = cell["metadata"].get("nbgrader", {}).get("grade_id", f"cell-{i}")
    return nb
