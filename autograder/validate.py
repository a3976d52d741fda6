"""Batch scenario validation: every gate notebook, run headless, against what it must decide.

A course author needs proof that every scenario works end to end before a cohort starts.
The validation matrix is every scenario × gate × variant, where a variant is the
instructor's reference solution or one of the gate's named mutations
(:mod:`livepmo.autograder.mutations`) applied to it. Each case runs the course's own gate
notebook (``course/source/<gate>/<gate>.ipynb``, exactly what learners run, architecture
decision 7) with papermill in a worker process, and reads the PMO review the notebook's
memo cell carries (:data:`~livepmo.autograder.review.REVIEW_MIME`).

A case passes when the actual review agrees with its expectation, by the rule the review's
own tests (``tests/autograder``) apply:

* the **reference** must be *approved* with every criterion met (no open finding);
* a **mutation** must get its declared decision, with every criterion it declares among
  the open findings. Other open findings are reported as *unexpected* but do not fail
  the case: a removed schedule, say, rightly fails every check that reads it (the planning,
  execution and closure tests allow them too).

A case whose notebook fails to execute (a cell raises, the kernel dies, a cell times out)
is a failure that carries the error; the batch goes on. The executed notebook of every
failing case is kept, with its deliverables, so the author can open and rerun it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from livepmo.autograder.course import COURSE, notebook_path
from livepmo.autograder.kernels import fork_kernels
from livepmo.autograder.mutations import Mutation, all_mutations, mutate
from livepmo.autograder.review import REVIEW_MIME
from livepmo.autograder.rubric import GATES
from livepmo.errors import LivepmoError

#: The instructor's reference solutions (in the repository, not in the installed package).
REFERENCE = Path(__file__).resolve().parents[1] / "scenarios" / "reference"
#: The variant name of the unmutated reference solution.
REFERENCE_VARIANT = "reference"
#: The scenario variant every case runs on: the reference's execution replays on it.
SEED = 0
#: Where the executed notebooks of failing cases go unless told otherwise.
KEEP = Path("validation-failures")
#: Seconds one notebook cell may run before the case fails with a timeout.
CELL_TIMEOUT = 300.0

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE = 0, 1, 2


class ValidationError(LivepmoError):
    """The validation cannot start: an unknown scenario or gate; the message names the
    known ones."""


@dataclass(frozen=True)
class Case:
    """One cell of the matrix: a scenario's gate with a variant of its deliverables, and
    what the PMO review must make of it.

    ``variant`` is ``"reference"`` or the name of one of the gate's mutations. ``exact``
    means no open finding beyond ``expects`` is allowed (the reference's rule).
    """

    scenario: str
    gate: str
    variant: str
    decision: str
    expects: frozenset[str] = frozenset()
    exact: bool = False
    seed: int = SEED

    @property
    def id(self) -> str:
        """``scenario/gate/variant``: the case's name in the table, JUnit and the keep folder."""
        return f"{self.scenario}/{self.gate}/{self.variant}"


@dataclass(frozen=True)
class Result:
    """What one case's notebook run gave: the review's decision and open findings, or the
    error that stopped the notebook; and where the executed notebook was kept, if it was."""

    case: Case
    decision: str | None
    open_findings: frozenset[str] = frozenset()
    seconds: float = 0.0
    error: str | None = None
    kept: Path | None = None

    @property
    def missing(self) -> frozenset[str]:
        """Expected findings the review left met (or never reached)."""
        return self.case.expects - self.open_findings

    @property
    def unexpected(self) -> frozenset[str]:
        """Open findings the case did not declare."""
        return self.open_findings - self.case.expects

    @property
    def passed(self) -> bool:
        """True when the review agrees with the case's expectation."""
        return (self.error is None and self.decision == self.case.decision
                and not self.missing and not (self.case.exact and self.unexpected))

    def reason(self) -> str:
        """Why the case failed, in one line (empty when it passed)."""
        if self.error is not None:
            return self.error.splitlines()[0] if self.error else "failed"
        parts = []
        if self.decision != self.case.decision:
            parts.append(f"decision {self.decision!r}, expected {self.case.decision!r}")
        if self.missing:
            parts.append("expected findings not open: " + ", ".join(sorted(self.missing)))
        if self.case.exact and self.unexpected:
            parts.append("unexpected open findings: " + ", ".join(sorted(self.unexpected)))
        return "; ".join(parts)


@dataclass
class Report:
    """The outcome of a batch: every case's result (in matrix order) and the wall time."""

    results: list[Result]
    seconds: float
    workers: int
    keep: Path
    junit: Path | None = None
    failed: list[Result] = field(init=False)

    def __post_init__(self) -> None:
        self.failed = [r for r in self.results if not r.passed]

    @property
    def ok(self) -> bool:
        """True when every case passed."""
        return not self.failed


# -- the matrix ----------------------------------------------------------------------------


def cases(scenarios: Sequence[str] = (), gates: Sequence[str] = (), *,
          seed: int = SEED) -> list[Case]:
    """The validation matrix: each scenario × gate × (the reference, then every mutation of
    that gate). Empty ``scenarios`` or ``gates`` mean all of them.

    Raises :class:`ValidationError` naming the known ones for an unknown scenario or gate,
    or a scenario without reference solutions.
    """
    from livepmo.scenarios import scenario_ids

    known = scenario_ids()
    unknown = [s for s in scenarios if s not in known]
    if unknown:
        raise ValidationError(f"no scenario {', '.join(map(repr, unknown))} "
                              f"(known: {', '.join(known)})")
    bad_gates = [g for g in gates if g not in GATES]
    if bad_gates:
        raise ValidationError(f"no gate {', '.join(map(repr, bad_gates))} "
                              f"(gates: {', '.join(GATES)})")
    chosen = list(dict.fromkeys(scenarios)) or known
    without = [s for s in chosen if not (REFERENCE / s).is_dir()]
    if without:
        raise ValidationError(f"no reference solutions for {', '.join(without)} in "
                              f"{REFERENCE} (they are in the repository, not in an install)")
    by_gate: dict[str, list[Mutation]] = {}
    for m in all_mutations():
        by_gate.setdefault(m.gate, []).append(m)
    matrix = []
    for sid in chosen:
        for gate in GATES:
            if gates and gate not in gates:
                continue
            matrix.append(Case(sid, gate, REFERENCE_VARIANT, "approved", exact=True, seed=seed))
            matrix += [Case(sid, gate, m.name, m.decision, m.expects, seed=seed)
                       for m in by_gate.get(gate, [])]
    return matrix


def prepare(case: Case, folder: Path) -> Path:
    """Lay out ``folder`` as a learner's gate folder for ``case``: ``deliverables/`` holding
    the reference (or mutated) deliverables; returns the deliverables folder.

    ``folder`` has no sibling gate folders on purpose: the notebook carries deliverables
    forward from ``../<earlier gate>/deliverables``, which would put back a deliverable a
    mutation removed. The reference folders are cumulative, so nothing needs carrying.
    """
    source = REFERENCE / case.scenario / case.gate
    if not source.is_dir():
        raise ValidationError(f"no reference solution {source}")
    target = folder / "deliverables"
    if case.variant == REFERENCE_VARIANT:
        shutil.copytree(source, target)
        return target
    mutation = next((m for m in all_mutations()
                     if m.gate == case.gate and m.name == case.variant), None)
    if mutation is None:
        raise ValidationError(f"no mutation {case.variant!r} at {case.gate}")
    return mutate(mutation, source, target)


# -- one case (runs in a worker process) ----------------------------------------------------


def run_case(case: Case, keep: Path | None = KEEP, *,
             timeout: float = CELL_TIMEOUT, course: Path = COURSE) -> Result:
    """Run ``case``'s gate notebook with papermill in a fresh temp gate folder and compare
    the review its memo cell carries with the expectation. Never raises for a bad case:
    an error is recorded in the result. A failing case's folder (executed notebook and
    deliverables) is kept in ``keep/<scenario>/<gate>/<variant>/``; a passing case
    removes what an earlier run kept there."""
    start = time.perf_counter()
    kept_at = None if keep is None else keep / case.scenario / case.gate / case.variant
    if kept_at is not None and kept_at.exists():
        shutil.rmtree(kept_at)  # stale: from an earlier run
    with tempfile.TemporaryDirectory(prefix="livepmo-validate-") as tmp:
        folder = Path(tmp) / case.gate
        folder.mkdir()
        output = folder / f"{case.gate}.ipynb"
        try:
            prepare(case, folder)
            _execute(notebook_path(course, case.gate), output, case, folder, timeout)
            decision, open_findings = read_review(output, case)
            result = Result(case, decision, open_findings, time.perf_counter() - start)
        except Exception as exc:  # a bad case is recorded, never stops the batch
            result = Result(case, None, seconds=time.perf_counter() - start,
                            error=_describe(exc))
        # Kept when there is a notebook to open: a case that failed before papermill
        # wrote one has nothing to show beyond its error.
        if not result.passed and kept_at is not None and output.exists():
            kept_at.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(folder, kept_at)
            result = Result(result.case, result.decision, result.open_findings,
                            result.seconds, result.error, kept_at)
    return result


def _execute(source: Path, output: Path, case: Case, cwd: Path, timeout: float) -> None:
    import papermill as pm

    pm.execute_notebook(
        str(source), str(output),
        parameters={"scenario_id": case.scenario, "seed": case.seed,
                    "deliverables": "deliverables"},
        cwd=str(cwd), progress_bar=False, log_output=False,
        execution_timeout=timeout,
        # Written once at the end (and on failure), not after every cell: each save
        # serialises the whole notebook, about a second per case.
        request_save_on_cell_execute=False,
        # The review is in the memo's output; the widgets' state (each plotly
        # FigureWidget carries its whole JavaScript bundle) would make it 20 MB.
        store_widget_state=False,
    )


def read_review(path: Path, case: Case) -> tuple[str, frozenset[str]]:
    """The decision and open findings of the last review an executed notebook shows
    (its memo cell's :data:`REVIEW_MIME` output). Raises :class:`ValidationError` when it
    shows none, or a review of another scenario or variant than ``case``'s."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, Any] | None = None
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if REVIEW_MIME in data:
                found = data[REVIEW_MIME]  # the memo is the notebook's last output
    if found is None:
        raise ValidationError(f"the executed notebook shows no review ({REVIEW_MIME})")
    if (found.get("scenario"), found.get("seed")) != (case.scenario, case.seed):
        raise ValidationError(
            f"the review is of scenario {found.get('scenario')!r} variant "
            f"{found.get('seed')!r}, not {case.scenario!r} variant {case.seed}")
    open_findings = frozenset(f["criterion"] for f in found["findings"] if not f["met"])
    return str(found["decision"]), open_findings


def _describe(exc: BaseException) -> str:
    """The error in a line a course author can act on, then its detail."""
    name = type(exc).__name__
    if name == "PapermillExecutionError":  # names the cell, the exception and its value
        head = (f"cell {getattr(exc, 'cell_index', '?')} raised "
                f"{getattr(exc, 'ename', '?')}: {getattr(exc, 'evalue', '')}")
        detail = "\n".join(getattr(exc, "traceback", None) or [])
    else:
        head = f"{name}: {exc}".strip().replace("\n", " ")
        detail = "".join(traceback.format_exception(exc))
    # Kernel tracebacks are coloured; XML (JUnit) allows no control characters.
    return _CONTROL.sub("", _ANSI.sub("", f"{head}\n{detail}")).rstrip()


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# -- a batch -------------------------------------------------------------------------------


def run_cases(matrix: Sequence[Case], *, workers: int | None = None, keep: Path | None = KEEP,
              timeout: float = CELL_TIMEOUT, progress: bool = True) -> Report:
    """Run every case in parallel worker processes (``workers``, default the CPU count),
    with a progress bar on stderr. Results come back in the matrix's order; a case whose
    worker died is recorded with the error and the others go on."""
    workers = workers or os.cpu_count() or 1
    start = time.perf_counter()
    results: dict[int, Result] = {}
    # spawn: a worker must not inherit the caller's ZeroMQ contexts and threads (a kernel
    # client in a forked child can hang); the cost is one interpreter start per worker.
    context = multiprocessing.get_context("spawn")
    with _progress(len(matrix), progress) as bar, ProcessPoolExecutor(
            max_workers=min(workers, max(len(matrix), 1)), mp_context=context,
            initializer=_start_worker) as pool:
        futures: dict[Future[Result], int] = {
            pool.submit(run_case, case, keep, timeout=timeout): i
            for i, case in enumerate(matrix)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except (BrokenProcessPool, OSError, RuntimeError) as exc:  # the worker died
                results[i] = Result(matrix[i], None, error=_describe(exc))
            bar.update(1)
            if not results[i].passed:
                bar.set_postfix_str(f"failed: {sum(not r.passed for r in results.values())}")
    return Report([results[i] for i in range(len(matrix))], time.perf_counter() - start,
                  workers, keep if keep is not None else KEEP)


def _start_worker() -> None:
    """Send a worker's stderr (and its kernels', which inherit it) to /dev/null: every
    kernel warns about its TCP transport, which would bury the progress bar. What goes
    wrong in a case is recorded in its result instead. Then start the worker's kernels
    as forks of a warm template (:mod:`livepmo.autograder.kernels`)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    fork_kernels()


@contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Any]:
    # tqdm ships no type information (pyproject may list it among the untyped modules).
    from tqdm import tqdm

    bar = tqdm(total=total, desc="validate", unit="case", file=sys.stderr,
               disable=not enabled, dynamic_ncols=True)
    try:
        yield bar
    finally:
        bar.close()


# -- output ---------------------------------------------------------------------------------


def table(report: Report) -> str:
    """The results as a plain-text table, one row per case, then a summary line."""
    head = ("scenario", "gate", "variant", "expected", "actual", "missing", "unexpected",
            "seconds", "")
    rows = [head]
    for r in report.results:
        rows.append((
            r.case.scenario, r.case.gate, r.case.variant, r.case.decision,
            r.decision or "error",
            ",".join(sorted(r.missing)) if r.error is None else "",
            ",".join(sorted(r.unexpected)) if r.error is None else "",
            f"{r.seconds:.1f}", "ok" if r.passed else "FAIL",
        ))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    lines = ["  ".join(str(v).rjust(w) if i == 7 else str(v).ljust(w)
                       for i, (v, w) in enumerate(zip(row, widths, strict=True))).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths).rstrip())
    total = len(report.results)
    lines.append("")
    lines.append(f"{total} cases: {total - len(report.failed)} passed, {len(report.failed)} "
                 f"failed, in {report.seconds:.1f} s with {report.workers} workers")
    return "\n".join(lines)


def junit_xml(report: Report) -> ET.ElementTree[ET.Element]:
    """The results as JUnit XML: one testcase per case (classname ``scenario.gate``, name
    the variant); a mismatch is a ``failure``, a notebook that did not run an ``error``."""
    errors = sum(r.error is not None for r in report.results)
    failures = len(report.failed) - errors
    suites = ET.Element("testsuites", name="livepmo validate", tests=str(len(report.results)),
                        failures=str(failures), errors=str(errors),
                        time=f"{report.seconds:.3f}")
    suite = ET.SubElement(suites, "testsuite", name="livepmo validate",
                          tests=str(len(report.results)), failures=str(failures),
                          errors=str(errors), skipped="0", time=f"{report.seconds:.3f}")
    for r in report.results:
        case = ET.SubElement(suite, "testcase", classname=f"{r.case.scenario}.{r.case.gate}",
                             name=r.case.variant, time=f"{r.seconds:.3f}")
        if r.passed:
            continue
        detail = "\n".join(filter(None, [
            f"expected {r.case.decision} with open findings "
            f"{', '.join(sorted(r.case.expects)) or 'none'}",
            f"actual {r.decision} with open findings "
            f"{', '.join(sorted(r.open_findings)) or 'none'}" if r.error is None else None,
            f"executed notebook kept in {r.kept}" if r.kept else None,
            r.error,
        ]))
        tag = "error" if r.error is not None else "failure"
        ET.SubElement(case, tag, message=r.reason(),
                      type="NotebookError" if r.error is not None else "Mismatch").text = detail
    ET.indent(suites)
    return ET.ElementTree(suites)


def validate(matrix: Sequence[Case], *, workers: int | None = None,
             junit: Path | None = None, keep: Path = KEEP, timeout: float = CELL_TIMEOUT,
             progress: bool = True, out: TextIO | None = None) -> int:
    """Run ``matrix``, print the table (and the failures' reasons) to ``out`` (stdout),
    write JUnit XML to ``junit`` when given, keep the failing cases' executed notebooks
    in ``keep``. Returns the exit status: 0 when every case passed, 1 otherwise."""
    out = out if out is not None else sys.stdout
    report = run_cases(matrix, workers=workers, keep=keep, timeout=timeout,
                       progress=progress)
    print(table(report), file=out)
    if report.failed:
        print("\nFailures:", file=out)
        for r in report.failed:
            print(f"  {r.case.id}: {r.reason()}", file=out)
        print(f"Executed notebooks of the failures are kept in {keep}/", file=out)
    if junit is not None:
        junit.parent.mkdir(parents=True, exist_ok=True)
        junit_xml(report).write(junit, encoding="utf-8", xml_declaration=True)
        print(f"JUnit XML: {junit}", file=out)
    return EXIT_OK if report.ok else EXIT_MISMATCH


def main(*, scenarios: Sequence[str] = (), workers: int | None = None,
         junit: Path | None = None, keep: Path = KEEP, gates: Sequence[str] = (),
         seed: int = SEED, timeout: float = CELL_TIMEOUT, progress: bool = True) -> int:
    """``livepmo validate [SCENARIO...]``: the whole matrix (or the scenarios and gates
    named) run headless; exit 0 when every case agrees with its expectation, 1 on any
    mismatch or failed notebook, 2 for a usage error (an unknown scenario or gate, a
    worker count below one)."""
    if workers is not None and workers < 1:
        print(f"livepmo validate: --workers must be at least 1, not {workers}",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        matrix = cases(scenarios, gates, seed=seed)
    except ValidationError as exc:
        print(f"livepmo validate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return validate(matrix, workers=workers, junit=junit, keep=keep, timeout=timeout,
                    progress=progress)
