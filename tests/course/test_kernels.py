"""Kernels forked from a warm template (livepmo.autograder.kernels), as batch workers use them.

A worker is played by a fresh Python process (the switch is per process and makes it a
child subreaper): it calls ``fork_kernels()`` and runs a probe notebook with nbclient, the
way nbgrader's and papermill's executors do. The probe reports what the kernel sees.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

WORKER = textwrap.dedent("""
    import json, os, sys, warnings
    warnings.simplefilter("ignore")
    import nbformat
    from nbclient import NotebookClient
    from livepmo.autograder.kernels import fork_kernels

    forked = fork_kernels() if sys.argv[1] != "cold" else False
    if sys.argv[1] == "abandon":  # die with a kernel running, as a stopped worker does
        from jupyter_client import KernelManager
        km = KernelManager()
        km.start_kernel(cwd=sys.argv[2])
        km.client().wait_for_ready(timeout=60)
        print(json.dumps({"kernel": km.provisioner.pid}), flush=True)
        os._exit(0)
    os.environ["LIVEPMO_PROBE"] = "set after the template started"
    cells = [
        "import json, os, random, sys\\n"
        "warm = 'plotly.graph_objects' in sys.modules\\n"
        "print(json.dumps({'pid': os.getpid(), 'ppid': os.getppid(),"
        " 'pgid': os.getpgid(0), 'cwd': os.getcwd(), 'warm': warm,"
        " 'probe': os.environ.get('LIVEPMO_PROBE'), 'random': random.random(),"
        " 'argv0': os.path.basename(sys.argv[0]),"
        " 'parent_handle': get_ipython().kernel.parent.parent_handle}))",
        "import time\\ntime.sleep(60)",
        "print(json.dumps({'after_interrupt': True}))",
    ]
    runs = []
    for _ in range(2):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        NotebookClient(nb, timeout=3, interrupt_on_timeout=True, allow_errors=True,
                       resources={"metadata": {"path": sys.argv[2]}},
                       shutdown_kernel="immediate").execute()
        seen = json.loads(nb.cells[0].outputs[0]["text"])
        seen["interrupted"] = nb.cells[1].outputs[-1].get("ename")
        seen.update(json.loads(nb.cells[2].outputs[0]["text"]))
        runs.append(seen)
    print(json.dumps({"forked": forked, "worker": os.getpid(), "runs": runs}))
""")


def _worker(mode: str, folder: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", WORKER, mode, str(folder)],
                          capture_output=True, text=True, timeout=240, check=True)
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


@pytest.fixture(scope="module")
def forked(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    folder = tmp_path_factory.mktemp("learner")
    return _worker("fork", folder), folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking needs Linux")
def test_a_forked_kernel_is_a_fresh_warm_process_of_the_worker(
        forked: tuple[dict[str, Any], Path]) -> None:
    report, folder = forked
    assert report["forked"] is True
    first, second = report["runs"]
    for run in (first, second):
        assert run["warm"] is True  # the course's modules came with the fork
        assert run["ppid"] == report["worker"]  # adopted: the worker waits for it
        assert run["pgid"] == run["pid"]  # its own process group: signals reach it alone
        assert Path(run["cwd"]) == folder.resolve()
        assert run["probe"] == "set after the template started"  # the launch's environment
        assert run["argv0"] == "ipykernel_launcher.py"
        assert run["parent_handle"] == report["worker"]  # stops when the worker dies
    assert first["pid"] != second["pid"]
    assert first["random"] != second["random"]  # seeded afresh, not the template's state


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking needs Linux")
def test_a_cell_past_its_time_limit_is_interrupted_and_the_kernel_goes_on(
        forked: tuple[dict[str, Any], Path]) -> None:
    report, _ = forked
    for run in report["runs"]:
        assert run["interrupted"] == "KeyboardInterrupt"
        assert run["after_interrupt"] is True


def test_without_the_switch_kernels_start_cold(tmp_path: Path) -> None:
    report = _worker("cold", tmp_path)
    assert report["forked"] is False
    for run in report["runs"]:
        assert run["warm"] is False
        assert run["pgid"] == run["pid"]
        assert run["interrupted"] == "KeyboardInterrupt"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking needs Linux")
def test_a_kernel_stops_when_its_worker_dies(tmp_path: Path) -> None:
    kernel = _worker("abandon", tmp_path)["kernel"]
    deadline = time.monotonic() + 15  # ipykernel polls its parent once a second
    while _running(kernel) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(kernel)


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has stopped; only reaping is left
