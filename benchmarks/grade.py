"""`livepmo grade` against `nbgrader autograde`, side by side, in one run.

Run from the repository root::

    .venv/bin/python benchmarks/grade.py             # 40 submissions (about 12 minutes)
    .venv/bin/python benchmarks/grade.py --quick     # 6 submissions (about 3 minutes)

One course (gate 01-initiation, generated once) and one cohort of submissions: the five
scenarios' reference deliverables in turn, every third one damaged by a mutation of the
gate. The course is copied before grading, so both sides grade the same files from the
same gradebook:

* **nbgrader**: `nbgrader autograde 01-initiation` run in the course folder (serial, its
  CLI, as an instructor runs it);
* **livepmo grade**: :func:`grade_submissions` with one worker per CPU;
* **floor**: executing one submission's notebook (as autograde runs it: hidden tests
  restored, outputs cleared) once in-process with nbclient, its defaults; the median of
  three runs;
* **per submission**: `livepmo grade` with one worker on a few submissions; each
  submission's time from dispatch to merged result (median), against the floor.

The script checks that both gradebooks hold identical scores, cell by cell, and prints
a Markdown table of figures and ratios against the goals of issue 8.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import nbformat
import nbgrader
from nbclient import NotebookClient

from livepmo.autograder.course import COURSE, nbgrader_api, notebook_path, read_notebook
from livepmo.autograder.grading import grade_submissions
from livepmo.autograder.mutations import all_mutations, mutate
from livepmo.deliverables import ProjectAssignment
from livepmo.storage import DeliverableStore

GATE = "01-initiation"
REFERENCES = Path(__file__).resolve().parents[1] / "scenarios" / "reference"
BIN = Path(sys.executable).parent


def build(root: Path, n: int) -> None:
    """A course with the gate generated and ``n`` submissions."""
    shutil.copytree(COURSE / "source", root / "source")
    shutil.copy(COURSE / "nbgrader_config.py", root)
    api = nbgrader_api(root)
    assert api.generate_assignment(GATE)["success"]
    scenarios = sorted(p.name for p in REFERENCES.iterdir() if (p / GATE).is_dir())
    flaws = [m for m in all_mutations() if m.gate == GATE]
    release = read_notebook(notebook_path(root, GATE, "release"))
    for i in range(n):
        learner, scenario = f"learner{i:02d}", scenarios[i % len(scenarios)]
        folder = root / "submitted" / learner / GATE
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-09-20 10:00:00.000000 UTC")
        nbformat.write(release, folder / f"{GATE}.ipynb")
        source = REFERENCES / scenario / GATE
        if i % 3 == 2:
            mutate(flaws[i % len(flaws)], source, folder / "deliverables")
        else:
            shutil.copytree(source, folder / "deliverables")
        DeliverableStore(folder / "deliverables").save(ProjectAssignment(
            scenario=scenario, seed=0, learner=learner, assigned_on=dt.date(2026, 9, 7)))


def scores(root: Path) -> dict[str, dict[str, Any]]:
    """Every grade of every submission: (auto score, needs manual grade)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {sub.student.id: {g.name: (g.auto_score, g.needs_manual_grade)
                                 for nb in sub.notebooks for g in nb.grades}
                for sub in gb.assignment_submissions(GATE)}


def floor(root: Path, learner: str, runs: int = 3) -> float:
    """Median time to execute one submission's notebook once in-process with nbclient."""
    graded = root / "autograded" / learner / GATE
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / GATE
            shutil.copytree(graded / "deliverables", folder / "deliverables")
            nb = read_notebook(graded / f"{GATE}.ipynb")
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            started = time.perf_counter()
            NotebookClient(nb, resources={"metadata": {"path": str(folder)}},
                           allow_errors=True).execute()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6 submissions, not 40")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="livepmo grade's workers (default: one per CPU)")
    args = parser.parse_args()
    n = 6 if args.quick else 40
    workers = args.workers
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        print(f"building a course with {n} submissions …", file=sys.stderr)
        build(base / "course", n)
        theirs, ours, single = base / "theirs", base / "ours", base / "single"
        for copy in (theirs, ours, single):
            shutil.copytree(base / "course", copy)

        print("nbgrader autograde (serial, CLI) …", file=sys.stderr)
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        started = time.perf_counter()
        subprocess.run([str(BIN / "nbgrader"), "autograde", GATE], cwd=theirs, env=env,
                       check=True, capture_output=True)
        nbgrader_wall = time.perf_counter() - started

        print(f"livepmo grade ({workers} workers) …", file=sys.stderr)
        started = time.perf_counter()
        results = grade_submissions(GATE, ours, workers=workers, timeout=600)
        ours_wall = time.perf_counter() - started
        assert all(r.status == "graded" for r in results), results

        ours_scores, their_scores = scores(ours), scores(theirs)
        identical = ours_scores == their_scores and len(ours_scores) == n

        print("livepmo grade (1 worker, per submission) …", file=sys.stderr)
        few = [f"learner{i:02d}" for i in range(min(n, 6))]
        one = grade_submissions(GATE, single, workers=1, timeout=600, learners=few)
        per_submission = statistics.median(r.seconds for r in one)

        print("floor: nbclient in-process …", file=sys.stderr)
        floor_time = floor(ours, "learner00")

    ratio_wall = ours_wall / nbgrader_wall
    ratio_floor = per_submission / floor_time
    print(f"\nPython {platform.python_version()}, nbgrader {nbgrader.__version__}, "
          f"{os.cpu_count()} CPUs ({platform.machine()}); {dt.date.today()}\n")
    print("| case | livepmo grade | alternative | ratio | goal | met |")
    print("|---|---|---|---|---|---|")
    print(f"| {n} submissions of {GATE}, wall time | {ours_wall:.1f} s ({workers} workers) | "
          f"`nbgrader autograde` (CLI, serial) {nbgrader_wall:.1f} s | {ratio_wall:.2f}× | "
          f"≤ 0.5× | {'yes' if ratio_wall <= 0.5 else '**no**'} |")
    print(f"| scores, cell by cell, {n} submissions | identical: "
          f"{'yes' if identical else '**no**'} | | | identical | "
          f"{'yes' if identical else '**no**'} |")
    print(f"| one submission (1 worker, median of {len(few)}) | {per_submission:.2f} s | "
          f"floor: nbclient in-process {floor_time:.2f} s | {ratio_floor:.2f}× | ≤ 1.3× | "
          f"{'yes' if ratio_floor <= 1.3 else '**no**'} |")
    print(f"| per submission in the batch (wall × workers / n) | "
          f"{ours_wall * workers / n:.2f} s | nbgrader {nbgrader_wall / n:.2f} s | "
          f"{ours_wall * workers / nbgrader_wall:.2f}× | (for information) | |")


if __name__ == "__main__":
    main()
