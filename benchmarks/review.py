"""A full PMO gate review of a reference solution: every check, recomputation included.

Target (issue 5): at most 20 ms per gate review. Run from the repository root:

    .venv/bin/python benchmarks/review.py
    .venv/bin/python benchmarks/review.py --gate 03-execution   # one gate (repeatable)

Prints, per scenario and gate, the best of several runs of ``review()`` with the rubric
loaded once (as a grader reviewing a cohort does), and the same with the rubric read from
its YAML file each time. Everything else — reading and validating the deliverables, the
critical path, the Monte Carlo, the execution replay — is inside the timed call.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

from livepmo.autograder import GATES, load_rubric, review
from livepmo.scenarios import load_scenario, scenario_ids

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "scenarios" / "reference"
REPEATS = 15


def best_ms(run) -> float:
    run()  # warm: imports, caches of the scenario loader
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gate", action="append", choices=GATES,
                        help="time only this gate (repeat for several); default: all")
    gates = parser.parse_args().gate or list(GATES)
    print(f"Python {platform.python_version()}, numpy {np.__version__}, "
          f"{platform.machine()}; best of {REPEATS} runs")
    print("| scenario | gate | review (rubric loaded once) | with rubric load | target |")
    print("|---|---|---|---|---|")
    worst = 0.0
    rubrics = {gate: load_rubric(gate) for gate in gates}
    for sid in scenario_ids():
        for gate in gates:
            seed = 0 if gate in ("03-execution", "04-closure") else None
            scenario = load_scenario(sid, seed)
            folder = REFERENCE / sid / gate
            loaded = best_ms(lambda g=gate, f=folder, s=scenario: review(g, f, s, rubrics[g]))
            fresh = best_ms(lambda g=gate, f=folder, s=scenario: review(g, f, s))
            worst = max(worst, loaded)
            print(f"| {sid} | {gate} | {loaded:.1f} ms | {fresh:.1f} ms | ≤ 20 ms |")
    print(f"\nworst gate review: {worst:.1f} ms ({'met' if worst <= 20 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
