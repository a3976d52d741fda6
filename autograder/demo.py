"""The whole PMO on a simulated cohort, with one command (`make demo`, `livepmo demo`).

From nothing: the course is built (nbgrader releases every gate), a cohort hands in each
gate (see :mod:`livepmo.autograder.cohort`), every gate is graded in parallel
(:mod:`livepmo.autograder.grading`), learners sent back for rework hand in their repaired
work and are graded again, the feedback (with the decision memo) is generated, and the
cohort dashboard is written. SQLite throughout; no server.
"""

from __future__ import annotations

import shutil
import sys
import time
import warnings
from pathlib import Path

from livepmo.autograder.cohort import Learner, cohort, submit
from livepmo.autograder.course import nbgrader_api, new_course
from livepmo.autograder.dashboard import cohort_dashboard, summarise
from livepmo.autograder.grading import grade_submissions
from livepmo.autograder.ledger import Ledger
from livepmo.autograder.rubric import GATES


def main(*, out: Path, learners: int = 12, workers: int | None = None,
         gates: tuple[str, ...] = GATES, seed: int = 2026) -> int:
    """Run the demo into ``out`` (replaced if it exists); print the summary and the files."""
    started = time.monotonic()
    if out.exists():
        shutil.rmtree(out)
    course = new_course(out / "course")
    ledger_path = out / "reviews.sqlite"
    people = cohort(learners, seed=seed)
    _say(f"Building the course in {course} …")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's SQLAlchemy noise
        api = nbgrader_api(course)
        for gate in gates:
            result = api.generate_assignment(gate)
            if not result["success"]:
                _say(f"nbgrader could not release {gate}:\n{result.get('log', '')}")
                return 1
        for gate in gates:
            _say(f"\n{gate}: {len(people)} learners hand in")
            for learner in people:
                submit(course, learner, gate)
            grade_submissions(gate, course, workers=workers, ledger=ledger_path)
            again = _sent_back(Ledger(ledger_path), people, gate)
            if again:
                _say(f"{gate}: {len(again)} sent back for rework resubmit: "
                     + ", ".join(learner.id for learner in again))
                for learner in again:
                    submit(course, learner, gate, 2)
                grade_submissions(gate, course, workers=workers, ledger=ledger_path,
                                  learners=[learner.id for learner in again])
            api.generate_feedback(gate)
    dashboard = cohort_dashboard(ledger_path, out / "dashboard.html")
    _print_summary(people, Ledger(ledger_path), gates)
    summary = summarise(Ledger(ledger_path).history())
    print(f"\n{summary.learners} learners, {summary.reviews} reviews in "
          f"{time.monotonic() - started:.0f} s.")
    print(f"Dashboard:       {dashboard}")
    print(f"Feedback memos:  {course / 'feedback'}/<learner>/<gate>/<gate>.html")
    print(f"Gradebook:       {course / 'gradebook.db'} (nbgrader's formgrader reads it)")
    print(f"Review ledger:   {ledger_path}")
    return 0


def _sent_back(ledger: Ledger, people: list[Learner], gate: str) -> list[Learner]:
    """Learners whose latest review at ``gate`` is rework: they resubmit."""
    back = []
    for learner in people:
        attempts = ledger.attempts(learner.id, gate)
        if attempts and attempts[-1].decision == "rework":
            back.append(learner)
    return back


def _print_summary(people: list[Learner], ledger: Ledger, gates: tuple[str, ...]) -> None:
    short = {"approved": "approved", "approved_with_conditions": "conditions",
             "rework": "REWORK", "stop": "STOP"}
    print("\n| learner | scenario | quality | " + " | ".join(gates) + " |")
    print("|---|---|---|" + "---|" * len(gates))
    for learner in people:
        cells = []
        for gate in gates:
            attempts = ledger.attempts(learner.id, gate)
            trail = " → ".join(f"{short.get(a.decision, a.decision)} {a.score:g}"
                               for a in attempts) or "not graded"
            cells.append(trail)
        print(f"| {learner.id} | {learner.scenario} | {learner.quality} | "
              + " | ".join(cells) + " |")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
