"""`livepmo validate` against running the same notebooks one by one with papermill's CLI.

Run from the repository root::

    .venv/bin/python benchmarks/validate.py                    # erp-distributor's matrix
    .venv/bin/python benchmarks/validate.py --all              # every scenario's matrix
    .venv/bin/python benchmarks/validate.py --cli-sample 16    # CLI on 16 spread-out cases

Both sides run the same cases (scenario × gate × reference and every mutation), each in
its own temp gate folder laid out by :func:`livepmo.autograder.validate.prepare`:

* **livepmo validate**: :func:`~livepmo.autograder.validate.validate` over the matrix with
  its worker processes (default: the CPU count), timed from the call to the last result
  (worker start-up included);
* **papermill CLI, one by one**: ``papermill <gate>.ipynb out.ipynb -p scenario_id … -p
  seed 0 -p deliverables deliverables --cwd <folder>`` per case, serially, as an author
  would script it; the same review is read from each executed notebook and compared.

The serial CLI costs about 10 s a case here; with ``--cli-sample N`` it runs on N cases
spread evenly over the matrix and the whole is extrapolated from their mean (the cost is
linear in the cases), as the output says. The figures are wall times of one run; the
machine (2 vCPUs) may be shared with other work.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from livepmo.autograder.course import COURSE, notebook_path
from livepmo.autograder.validate import Case, cases, prepare, read_review, run_cases

PAPERMILL = Path(sys.executable).parent / "papermill"


def cli_case(case: Case, root: Path) -> tuple[float, str | None]:
    """One case through papermill's CLI: its wall time and the decision (None: failed)."""
    folder = root / case.scenario / case.variant / case.gate
    folder.mkdir(parents=True)
    prepare(case, folder)
    output = folder / f"{case.gate}.ipynb"
    command = [str(PAPERMILL), str(notebook_path(COURSE, case.gate)), str(output),
               "-p", "scenario_id", case.scenario, "-p", "seed", str(case.seed),
               "-p", "deliverables", "deliverables", "--cwd", str(folder),
               "--no-progress-bar"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return seconds, None
    return seconds, read_review(output, case)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=["erp-distributor"])
    parser.add_argument("--all", action="store_true", help="every scenario's matrix")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cli-sample", type=int, default=0, metavar="N",
                        help="run the CLI on N cases spread over the matrix (0: all)")
    args = parser.parse_args()
    matrix = cases([] if args.all else args.scenarios)
    what = "every scenario" if args.all else ", ".join(args.scenarios)

    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        report = run_cases(matrix, workers=args.workers, keep=Path(tmp) / "kept")
        ours = report.seconds
        decisions = {r.case.id: r.decision for r in report.results}

        step = max(1, len(matrix) // args.cli_sample) if args.cli_sample else 1
        sample = matrix[::step][: args.cli_sample or None]
        root = Path(tmp) / "cli"
        spent, agree = 0.0, 0
        for i, case in enumerate(sample, 1):
            seconds, decision = cli_case(case, root)
            spent += seconds
            agree += decision == decisions[case.id]
            print(f"\rpapermill CLI: {i}/{len(sample)} cases", end="", file=sys.stderr)
        print(file=sys.stderr)
        shutil.rmtree(root, ignore_errors=True)
    cli_total = spent / len(sample) * len(matrix)
    extrapolated = len(sample) < len(matrix)

    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs "
          f"({platform.machine()}), {args.workers} workers; {time.strftime('%Y-%m-%d')}")
    print(f"Matrix: {what}: {len(matrix)} cases "
          f"({sum(c.variant == 'reference' for c in matrix)} references, "
          f"{sum(c.variant != 'reference' for c in matrix)} mutations); "
          f"{len(matrix) - len(report.failed)} passed validation\n")
    print("| case | livepmo validate | papermill CLI, one by one | ratio |")
    print("|---|---|---|---|")
    note = f" (timed on {len(sample)} cases, × {len(matrix) / len(sample):.1f})" \
        if extrapolated else ""
    print(f"| whole matrix, wall | {ours:,.1f} s | {cli_total:,.1f} s{note} | "
          f"{ours / cli_total:.2f}× ({cli_total / ours:.1f}× faster) |")
    print(f"| per case, wall | {ours / len(matrix):.2f} s | {spent / len(sample):.2f} s | "
          f"{ours / len(matrix) / (spent / len(sample)):.2f}× |")
    busy = sum(r.seconds for r in report.results) / len(matrix)
    print(f"| per case, in its worker | {busy:.2f} s |  |  |")
    print(f"| same decision as validate | | {agree}/{len(sample)} cases | |")


if __name__ == "__main__":
    main()
