"""Cohort grading: every collected submission of a gate autograded in parallel, safely.

nbgrader's ``autograde`` is serial, and its SQLite gradebook is not safe for concurrent
writers (nbgrader's issue #174). Here each worker process autogrades with nbgrader itself
in a **private course folder** holding its own copy of the gradebook, made after
``generate_assignment`` so it knows the gate. The private folder links to the course's
``source/`` and to the learner's ``submitted/<learner>`` folder, so nbgrader reads what
the learner handed in and restores locked and test cells exactly as in the course.

The parent process alone writes the course gradebook. As each worker finishes, the parent
replays what nbgrader did to the private gradebook for that learner — the calls
``autograde`` makes (``update_or_create_student``, ``update_or_create_submission`` with
the submission's timestamp) and the columns it sets (each grade's ``auto_score`` and
``needs_manual_grade``, each comment's ``auto_comment``, each notebook's
``late_submission_penalty``) — through nbgrader's own :class:`~nbgrader.api.Gradebook`,
and moves the autograded folder into ``autograded/<learner>/<gate>``. The course ends up
as ``nbgrader autograde`` leaves it, so the formgrader and ``generate_feedback`` work on
it unchanged.

A bad submission never stops the batch; it is recorded with its reason in the summary and
in ``grading/<gate>.json`` in the course folder:

* **missing** — the submission folder holds no notebook (nbgrader skips it too; the
  gradebook is not touched);
* **corrupt** — the notebook is not a notebook (not JSON, or not nbformat);
* **kernel died** — the learner's code killed the kernel (``os._exit``, a crash);
* **timeout** — the submission ran past the time limit; its worker (and so its kernel) is
  stopped and a fresh worker takes the next submission;
* **error** — nbgrader failed for another reason (the reason is its last error line).

For the failures nbgrader itself reaches (corrupt, kernel died, error) the gradebook is
left as nbgrader leaves it: the learner and the submission exist, without autograded
scores, so the formgrader lists them as needing a grade. A timeout is recorded the same
way.

Two deliberate differences from nbgrader's defaults, neither of which changes a grade:

* workers shut each kernel down at once after the last cell
  (``Execute.shutdown_kernel = "immediate"``) instead of waiting up to seconds for a
  graceful exit; every output is collected by then;
* each submission's kernel is still a process of its own, but forked from a warm
  template that has imported the course's modules once
  (:mod:`livepmo.autograder.kernels`), instead of started from nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from livepmo.autograder.course import COURSE, CourseError, nbgrader_api, notebook_path
from livepmo.autograder.kernels import fork_kernels, start_connected
from livepmo.autograder.ledger import Ledger
from livepmo.autograder.rubric import GATES

if TYPE_CHECKING:
    from livepmo.autograder.review import Review

Status = Literal["graded", "skipped", "missing", "corrupt", "kernel died", "timeout", "error"]
#: Statuses of submissions that were not graded because something was wrong with them.
BAD = frozenset({"missing", "corrupt", "kernel died", "timeout", "error"})
#: Seconds a submission may take by default (nbgrader's own limit is per cell).
DEFAULT_TIMEOUT = 300.0
#: The worker settings that differ from the course's nbgrader configuration.
_WORKER_SETTINGS = {"Execute.shutdown_kernel": "immediate"}


@dataclass(frozen=True)
class SubmissionResult:
    """What grading one learner's submission of a gate came to.

    ``score`` and ``max_score`` are the submission's totals in the course gradebook after
    grading (autograded points plus any manual points already given); None when the
    gradebook holds no submission. ``reason`` says why a submission was not graded.
    ``decision`` is the PMO review's decision when it was recorded in a ledger.
    """

    learner: str
    status: Status
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0
    reason: str = ""
    decision: str | None = None

    @property
    def ok(self) -> bool:
        """True when the submission was graded (or was already up to date)."""
        return self.status not in BAD


class GradingError(CourseError):
    """The batch cannot start: unknown gate, no course folder, no source notebook."""


# -- the batch ---------------------------------------------------------------------------


def grade_submissions(
    gate: str,
    course: Path = COURSE,
    *,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    ledger: Ledger | str | Path | None = None,
    learners: Sequence[str] | None = None,
    force: bool = True,
    settings: Mapping[str, Any] | None = None,
    progress: bool = True,
) -> list[SubmissionResult]:
    """Autograde every collected submission of ``gate`` (``course/submitted/*/<gate>``).

    Runs nbgrader's autograde in ``workers`` parallel processes (default: one per CPU),
    each in a private course folder with its own copy of the gradebook, and merges each
    result into the course gradebook in this process, one at a time. ``generate_assignment``
    runs first when the gradebook does not know the gate yet.

    ``timeout`` is the wall-clock limit of one submission in seconds: a worker that runs
    past it is stopped and the submission is recorded as a timeout. With ``force`` False a
    submission whose autograded folder is newer than its timestamp is skipped, as
    ``nbgrader autograde`` does without ``--force``. ``settings`` override nbgrader
    configuration values (``{"Execute.timeout": 30}``). With ``ledger`` (a
    :class:`~livepmo.autograder.ledger.Ledger` or its file), the PMO review of every graded
    submission is recorded in it as the learner's next attempt (the cohort dashboard reads
    it). ``learners`` limits the batch to these learners' submissions (a resubmission
    round); by default every submission folder of the gate is graded.

    Returns one result per submission, in learner order; the same results are written to
    ``course/grading/<gate>.json`` (a ``learners`` round updates its learners' entries).
    A bad submission is recorded with its reason and never stops the batch.
    """
    if gate not in GATES:
        raise GradingError(f"unknown gate {gate!r}; use one of {', '.join(GATES)}")
    course = Path(course).resolve()
    if not notebook_path(course, gate).is_file():
        raise GradingError(f"no source notebook {notebook_path(course, gate)}: is {course} "
                           "an nbgrader course folder?")
    settings = dict(settings or {})
    if ledger is not None and not isinstance(ledger, Ledger):
        ledger = Ledger(ledger)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's SQLAlchemy SAWarning noise
        api = nbgrader_api(course, **settings)
        _ensure_assignment(api, gate)
        found = sorted(p.parent.name for p in (course / "submitted").glob(f"*/{gate}")
                       if p.is_dir())
        if learners is not None:
            unknown = sorted(set(learners) - set(found))
            if unknown:
                raise GradingError(f"no submission of {gate} in {course / 'submitted'} by "
                                   + ", ".join(unknown))
            found = [learner for learner in found if learner in set(learners)]
        chosen, learners = learners, found
        results: dict[str, SubmissionResult] = {}
        todo: list[str] = []
        for learner in learners:
            early = _precheck(api, course, gate, learner, force=force)
            if early is None:
                todo.append(learner)
            else:
                results[learner] = early
        if todo:
            results.update(_run_batch(api, course, gate, todo, workers=workers,
                                      timeout=timeout, ledger=ledger, settings=settings,
                                      progress=progress))
    ordered = [results[learner] for learner in learners]
    write_report(course, gate, ordered, replace=chosen is None)
    return ordered


def report_path(course: Path, gate: str) -> Path:
    """Where the JSON report of a gate's grading is written: ``grading/<gate>.json``."""
    return Path(course) / "grading" / f"{gate}.json"


def write_report(course: Path, gate: str, results: Sequence[SubmissionResult], *,
                 replace: bool = True) -> Path:
    """Write a batch's results as JSON (atomically) and return the file.

    With ``replace`` False the results update the learners they concern in the existing
    report (a resubmission round), and the other learners' entries are kept.
    """
    from livepmo.storage import write_atomic

    path = report_path(course, gate)
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = {r.learner: asdict(r) for r in results}
    if not replace and path.exists():
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))["submissions"]
            entries = {**{e["learner"]: e for e in previous}, **entries}
        except (ValueError, KeyError, TypeError):
            pass  # a damaged report is replaced by this batch's
    submissions = [entries[learner] for learner in sorted(entries)]
    counts: dict[str, int] = {}
    for entry in submissions:
        counts[entry["status"]] = counts.get(entry["status"], 0) + 1
    document = {
        "gate": gate,
        "graded_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "counts": counts,
        "submissions": submissions,
    }
    write_atomic(path, json.dumps(document, indent=2) + "\n")
    return path


def summary_table(results: Sequence[SubmissionResult]) -> str:
    """The results as a plain-text table: learner, status, score, max, seconds, reason."""
    rows = [("learner", "status", "score", "max", "seconds", "reason")]
    for r in results:
        rows.append((
            r.learner, r.status,
            "" if r.score is None else f"{r.score:g}",
            "" if r.max_score is None else f"{r.max_score:g}",
            f"{r.seconds:.1f}", r.reason,
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths, strict=True))
             + "  " + row[5] for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 6)
    return "\n".join(line.rstrip() for line in lines)


def main(
    *,
    gate: str,
    course: Path = COURSE,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    force: bool = False,
    ledger: Path | None = None,
) -> int:
    """``livepmo grade GATE``: grade the gate's submissions, print the summary table.

    Returns 0 when every submission was graded, 1 when any was bad (each is in the table
    and in ``grading/<gate>.json`` with its reason), 2 when the batch could not start.
    """
    try:
        results = grade_submissions(
            gate, course, workers=workers, timeout=timeout, force=force,
            ledger=None if ledger is None else Ledger(ledger))
    except GradingError as exc:
        print(f"livepmo grade: {exc}", file=sys.stderr)
        return 2
    print(summary_table(results))
    bad = [r for r in results if not r.ok]
    graded = sum(r.status == "graded" for r in results)
    print(f"{len(results)} submission(s) of {gate}: {graded} graded, "
          f"{sum(r.status == 'skipped' for r in results)} up to date, {len(bad)} bad; "
          f"report: {report_path(Path(course), gate)}", file=sys.stderr)
    return 1 if bad else 0


# -- the parent's side --------------------------------------------------------------------


def _ensure_assignment(api: Any, gate: str) -> None:
    """Run generate_assignment when the gradebook does not know the gate yet."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            gb.find_assignment(gate)
            known = True
        except MissingEntry:
            known = False
    if not known:
        result = api.generate_assignment(gate)
        if not result["success"]:
            raise GradingError(f"nbgrader generate_assignment {gate} failed: "
                               + _last_error(str(result.get("log", "")) + "\n"
                                             + str(result.get("error", ""))))


def _precheck(api: Any, course: Path, gate: str, learner: str, *,
              force: bool) -> SubmissionResult | None:
    """A result for a submission that needs no worker, else None."""
    folder = course / "submitted" / learner / gate
    if not any(folder.glob("*.ipynb")):
        # nbgrader finds nothing to grade either and leaves the gradebook alone.
        return SubmissionResult(learner, "missing",
                                reason=f"no notebook in submitted/{learner}/{gate} "
                                       f"(expected {gate}.ipynb)")
    graded = course / "autograded" / learner / gate
    if not force and graded.exists():
        coursedir = api.coursedir
        new, old = (coursedir.get_existing_timestamp(str(folder)),
                    coursedir.get_existing_timestamp(str(graded)))
        if new is None or old is None or new <= old:  # nbgrader's own rule
            score, max_score = _totals(api, gate, learner)
            return SubmissionResult(learner, "skipped", score, max_score,
                                    reason="already autograded (use --force to regrade)")
    return None


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    folder: Path
    spawned: float
    ready: bool = False  # set by the worker's first message, once nbgrader is loaded
    learner: str | None = None
    started: float = 0.0


#: Seconds a new worker may take to load nbgrader before the batch gives up on it.
_STARTUP_LIMIT = 180.0


@dataclass
class _Pool:
    """Worker processes, each in its own private course folder."""

    course: Path
    gate: str
    snapshot: Path
    work: Path
    settings: dict[str, Any]
    want_review: bool
    workers: list[_Worker] = field(default_factory=list)
    _count: int = 0

    def start(self) -> _Worker:
        self._count += 1
        folder = self.work / f"worker-{self._count}"
        folder.mkdir()
        shutil.copy2(self.snapshot, folder / "gradebook.db")
        (folder / "submitted").mkdir()
        (folder / "source").symlink_to(self.course / "source", target_is_directory=True)
        (folder / "worker.json").write_text(json.dumps({
            "course": str(self.course), "gate": self.gate, "settings": self.settings,
            "review": self.want_review}), encoding="utf-8")
        # A fresh interpreter (not multiprocessing's spawn, which re-runs the caller's
        # __main__): no inherited sqlite or zmq state, and any caller may start a batch.
        with (folder / "worker.log").open("ab") as log:
            # Kernels inherit the worker's stdout/stderr: their noise goes to the log.
            process, conn = start_connected("livepmo.autograder.grading", "--worker",
                                            str(folder), stdout=log, stderr=log)
        worker = _Worker(process, conn, folder, time.perf_counter())
        self.workers.append(worker)
        return worker

    def stop(self, worker: _Worker) -> None:
        """Stop a worker at once; its kernel notices its parent is gone and exits."""
        with contextlib.suppress(OSError):
            worker.conn.close()
        if worker.process.poll() is None:
            worker.process.kill()
        worker.process.wait(10)
        self.workers.remove(worker)

    def close(self) -> None:
        for worker in list(self.workers):
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(5)
            self.stop(worker)


def _run_batch(api: Any, course: Path, gate: str, learners: list[str], *,
               workers: int | None, timeout: float, ledger: Ledger | None,
               settings: dict[str, Any], progress: bool) -> dict[str, SubmissionResult]:
    # tqdm ships no type information (pyproject may list it among the untyped modules).
    from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]

    count = max(1, min(workers or os.cpu_count() or 1, len(learners)))
    (course / "grading").mkdir(exist_ok=True)
    results: dict[str, SubmissionResult] = {}
    with tempfile.TemporaryDirectory(dir=course / "grading", prefix=f".work-{gate}-") as tmp:
        work = Path(tmp)
        snapshot = work / "gradebook.db"
        _copy_database(course / "gradebook.db", snapshot)  # knows the gate by now
        pool = _Pool(course, gate, snapshot, work, settings, ledger is not None)
        pending = deque(learners)
        bar = tqdm(total=len(learners), desc=f"grading {gate}", unit="submission",
                   file=sys.stderr, disable=not progress)

        def dispatch(worker: _Worker) -> None:
            if worker.ready and worker.learner is None and pending:
                worker.learner = pending.popleft()
                worker.started = time.perf_counter()  # the limit starts now
                worker.conn.send(worker.learner)

        try:
            for _ in range(count):
                pool.start()
            while pending or any(w.learner for w in pool.workers):
                for worker in pool.workers:
                    dispatch(worker)
                watched = [w for w in pool.workers if w.learner or not w.ready]
                if not watched:  # every worker was lost and none is left to start
                    pool.start()
                    continue
                deadlines = [w.started + timeout if w.ready else w.spawned + _STARTUP_LIMIT
                             for w in watched]
                arrived = wait([w.conn for w in watched],
                               timeout=max(0.0, min(deadlines) - time.perf_counter()))
                for worker in watched:
                    outcome = _outcome(worker, worker.conn in arrived, timeout)
                    if outcome is None:
                        continue
                    learner = worker.learner
                    seconds = time.perf_counter() - worker.started
                    worker.learner = None
                    if outcome.pop("lost", False):  # gone or stuck: a fresh worker goes on
                        pool.stop(worker)
                        if pending or learner is None:
                            pool.start()
                    else:
                        dispatch(worker)  # the next one runs while this one is merged
                    if learner is None:
                        continue
                    results[learner] = _merge(api, course, gate, learner, outcome, seconds,
                                              worker.folder, ledger)
                    bar.update()
                    bar.set_postfix_str(f"{learner}: {results[learner].status}")
        finally:
            bar.close()
            pool.close()
    return results


def _outcome(worker: _Worker, arrived: bool, timeout: float) -> dict[str, Any] | None:
    """A worker's outcome, or None while it is still within its time."""
    now = time.perf_counter()
    if arrived:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(1)
            if not worker.ready:
                raise GradingError(
                    f"a grading worker could not start (exit code {worker.process.returncode})"
                    f": {_tail(worker.folder / 'worker.log')}") from None
            return {"status": "error", "lost": True, "reason": "the grading worker died "
                    f"(exit code {worker.process.returncode})"}
        if not worker.ready:
            worker.ready = True
            return None
        return dict(message)
    if worker.ready and now - worker.started >= timeout:
        return {"status": "timeout", "lost": True,
                "reason": f"stopped after {timeout:g} s (the submission's time limit)"}
    if not worker.ready and now - worker.spawned >= _STARTUP_LIMIT:
        raise GradingError(f"a grading worker did not start within {_STARTUP_LIMIT:g} s: "
                           f"{_tail(worker.folder / 'worker.log')}")
    return None


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "no log"
    return " | ".join(text.strip().splitlines()[-lines:]) or "no log"


def _merge(api: Any, course: Path, gate: str, learner: str, outcome: dict[str, Any],
           seconds: float, private: Path, ledger: Ledger | None) -> SubmissionResult:
    """Write one worker's outcome into the course: gradebook, autograded folder, log."""
    from nbgrader.api import Gradebook

    status: Status = outcome["status"]
    reason: str = outcome.get("reason", "")
    record: dict[str, Any] | None = outcome.get("record")
    if status == "timeout":
        # What nbgrader leaves when it cannot finish: the submission, without scores.
        timestamp = api.coursedir.get_existing_timestamp(
            str(course / "submitted" / learner / gate))
        record = {"timestamp": timestamp, "notebooks": []}
    if record is not None:
        with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
            gb.update_or_create_student(learner)
            submission = gb.update_or_create_submission(gate, learner)
            submission.timestamp = record["timestamp"]
            for nb in record["notebooks"]:
                notebook = gb.find_submission_notebook(nb["name"], gate, learner)
                notebook.late_submission_penalty = nb["late_submission_penalty"]
                for name, auto_score, needs_manual_grade in nb["grades"]:
                    grade = gb.find_grade(name, nb["name"], gate, learner)
                    grade.auto_score = auto_score
                    grade.needs_manual_grade = needs_manual_grade
                for name, auto_comment in nb["comments"]:
                    gb.find_comment(name, nb["name"], gate, learner).auto_comment = auto_comment
            gb.db.commit()
    # nbgrader removes the autograded folder of a submission it (re)grades, and writes a
    # new one only when grading succeeds.
    target = course / "autograded" / learner / gate
    if target.exists():
        shutil.rmtree(target)
    produced = private / "autograded" / learner / gate
    if status == "graded" and produced.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        produced.replace(target)
    if outcome.get("log"):
        with (course / "nbgrader.log").open("a", encoding="utf-8") as log:
            log.write(outcome["log"])
    decision = None
    review: Review | None = outcome.get("review")
    if ledger is not None and status == "graded":
        if review is not None:
            ledger.record(learner, review)
            decision = review.decision
        elif outcome.get("review_error"):
            reason = f"graded; PMO review not recorded: {outcome['review_error']}"
    score, max_score = _totals(api, gate, learner)
    return SubmissionResult(learner, status, score, max_score, round(seconds, 2), reason,
                            decision)


def _totals(api: Any, gate: str, learner: str) -> tuple[float | None, float | None]:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            submission = gb.find_submission(gate, learner)
        except MissingEntry:
            return None, None
        return float(submission.score), float(submission.max_score)


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite file (its backup API, safe while others read it)."""
    with contextlib.closing(sqlite3.connect(source)) as src, \
            contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


# -- the worker's side ---------------------------------------------------------------------


def _worker_main(conn: Connection, private: Path) -> None:
    """A worker: autograde the learners the parent sends, one at a time, until None."""
    job = json.loads((private / "worker.json").read_text(encoding="utf-8"))
    course, gate = Path(job["course"]), job["gate"]
    warnings.simplefilter("ignore")  # nbgrader's SQLAlchemy SAWarning noise
    api = nbgrader_api(course, **{
        **_WORKER_SETTINGS, **job["settings"],
        "CourseDirectory.root": str(private),
        "CourseDirectory.db_url": f"sqlite:///{private / 'gradebook.db'}",
        "NbGrader.logfile": str(private / "nbgrader.log"),
    })
    fork_kernels()
    conn.send("ready")
    while True:
        try:
            learner = conn.recv()
        except EOFError:
            return
        if learner is None:
            return
        try:
            outcome = _autograde(api, course, private, gate, learner, job["review"])
        except Exception as exc:  # reported to the parent: the batch goes on
            outcome = {"status": "error", "reason": f"{type(exc).__name__}: {exc}",
                       "log": traceback.format_exc()}
        conn.send(outcome)


def _autograde(api: Any, course: Path, private: Path, gate: str, learner: str,
               want_review: bool) -> dict[str, Any]:
    link = private / "submitted" / learner
    if not link.exists():
        link.symlink_to(course / "submitted" / learner, target_is_directory=True)
    result = api.autograde(gate, learner, force=True, create=True)
    log = str(result.get("log", ""))
    outcome: dict[str, Any] = {"log": log, "record": _record(api, gate, learner)}
    if result["success"]:
        outcome["status"] = "graded"
        if want_review:
            from livepmo.autograder.review import review_project

            folder = private / "autograded" / learner / gate / "deliverables"
            try:
                outcome["review"] = review_project(gate, folder)
            except Exception as exc:  # the grade stands; the parent says why
                outcome["review_error"] = f"{type(exc).__name__}: {exc}"
        return outcome
    error = _last_error(log + "\n" + str(result.get("error", "")))
    notebook = course / "submitted" / learner / gate / f"{gate}.ipynb"
    unreadable = _unreadable(notebook) if notebook.exists() else None
    if unreadable is not None:
        outcome.update(status="corrupt", reason=f"{gate}.ipynb is not a notebook: "
                       f"{unreadable}")
    elif "DeadKernelError" in error or "Kernel died" in error:
        outcome.update(status="kernel died", reason="the kernel died while running the "
                       f"notebook (did a cell exit the process?): {error}")
    else:
        outcome.update(status="error", reason=error)
    if outcome["record"] is None:
        outcome.pop("record")
    return outcome


def _record(api: Any, gate: str, learner: str) -> dict[str, Any] | None:
    """The private gradebook's state of a learner's submission, as plain data."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            submission = gb.find_submission(gate, learner)
        except MissingEntry:
            return None
        return {
            "timestamp": submission.timestamp,
            "notebooks": [{
                "name": nb.name,
                "late_submission_penalty": nb.late_submission_penalty,
                "grades": [(g.name, g.auto_score, g.needs_manual_grade) for g in nb.grades],
                "comments": [(c.name, c.auto_comment) for c in nb.comments],
            } for nb in submission.notebooks],
        }


def _unreadable(path: Path) -> str | None:
    """Why a notebook file cannot be read, or None when it reads."""
    from livepmo.autograder.course import read_notebook

    try:
        read_notebook(path)
    except (OSError, ValueError) as exc:  # not JSON, not nbformat
        return _short(f"{type(exc).__name__}: {exc}")
    return None


_ERROR_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt))\b:? ?(.*)$")


def _last_error(text: str) -> str:
    """The last ``SomeError: message`` line of nbgrader's log, else its last error line."""
    found = [m.group(0) for line in text.splitlines() if (m := _ERROR_LINE.match(line.strip()))
             and not m.group(1).endswith("NbGraderException")]
    if found:
        return _short(found[-1])
    errors = [ln for ln in text.splitlines() if "[ERROR]" in ln]
    return _short(errors[-1] if errors else "nbgrader failed without saying why")


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


if __name__ == "__main__" and sys.argv[1:2] == ["--worker"]:
    _worker_main(Connection(int(sys.argv[-1])), Path(sys.argv[2]))
