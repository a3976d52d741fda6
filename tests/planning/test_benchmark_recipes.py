"""The planning benchmark's alternatives compute what the engine computes: a ratio against
a recipe that got the answer wrong would say nothing (benchmarks/planning.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from livepmo.planning import Network, ThreePoint, critical_path


def _benchmark() -> ModuleType:
    path = Path(__file__).parents[2] / "benchmarks" / "planning.py"
    spec = importlib.util.spec_from_file_location("planning_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("window", [None, 8], ids=["random", "deep"])
def test_the_benchmark_recipes_agree_with_the_engine(window: int | None) -> None:
    bench = _benchmark()
    records = bench.random_records(300, seed=11, window=window)
    net = Network.from_records(records)
    result = critical_path(net)
    total, free = result.total_float.tolist(), result.free_float.tolist()

    assert bench.cpm_networkx(records) == (
        dict(zip(net.ids, total, strict=True)),
        dict(zip(net.ids, free, strict=True)),
    )
    lists = (a.tolist() for a in (net.duration, net.src, net.dst, net.link_type, net.lag))
    assert bench.cpm_networkx_arrays(*lists) == (dict(enumerate(total)), dict(enumerate(free)))
    assert bench.forward_pass_floor(records) == result.early_start.tolist()

    # The plain-Python Monte Carlo, its estimates of zero width: every iteration is the CPM.
    d = net.duration.astype(np.float64)
    loop = bench.PlainPythonSimulation(records, ThreePoint(d, d, d))
    finishes, critical = loop.run(3, seed=5)
    assert finishes == [result.finish] * 3
    assert critical == [3 * int(f == 0) for f in total]
