"""Fresh kernels for batch runs, forked from a warm template instead of started cold.

Every submission is graded in a kernel of its own, as nbgrader does: nothing a learner's
code does can reach the next learner. Starting that kernel from nothing costs about two
seconds of CPU before the first cell runs — Python, ipykernel, then the course's own
imports (livepmo, pandas, plotly and its figure classes) — which on two cores is close to
half of what grading one gate notebook costs.

A batch worker instead starts one **kernel template** at its start: a process that
imports all of that once and then waits. Each kernel is a ``fork`` of the template, so it
starts with those modules already loaded, and is otherwise the process jupyter_client
would have started: its own session and process group (interrupts and kills reach it and
its children only), the launch's environment, working directory and connection file,
stdin on /dev/null, fresh random seeds, and the worker as its parent (the worker adopts
it, so the worker waits for it like any child, and ipykernel's parent poller stops it
when the worker dies).

It is switched on per process with :func:`fork_kernels` (the grading and validation
workers call it; JupyterLab and the nbgrader CLI start kernels as usual), and only where
it can work: Linux (a child subreaper), a launch of this interpreter's ipykernel. Any
other launch, or a template that is gone, falls back to jupyter_client's own launcher.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

#: jupyter_client's name of the provisioner (registered in pyproject.toml).
PROVISIONER = "livepmo-forked-provisioner"
#: What a gate notebook imports, loaded once by the template. ipykernel comes first: it
#: installs its comm hooks before ipywidgets is imported, as in a kernel started cold.
WARM_MODULES = (
    "ipykernel.kernelapp",
    "livepmo.notebook",
    "livepmo.widgets.builders",
    "livepmo.autograder.review",
    "plotly.graph_objects",
)
_PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h
_template: KernelTemplate | None = None


def fork_kernels() -> bool:
    """Start kernels of this process as forks of a warm template; False where it can't.

    Call it once, early, in a batch worker: it makes the process adopt its orphaned
    descendants (the forked kernels), starts the template, and makes forking the default
    way jupyter_client launches a kernel here.
    """
    global _template
    if _template is not None:
        return True
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        return False
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    _template = KernelTemplate()
    KernelProvisionerFactory.instance().default_provisioner_name = PROVISIONER
    return True


def start_connected(
    module: str, *args: str, **popen: Any
) -> tuple[subprocess.Popen[bytes], Connection]:
    """Run ``python -m module *args FD`` in a fresh interpreter, and our end of a connection
    to it: the child reads its end as ``Connection(int(sys.argv[-1]))``."""
    ours, theirs = socket.socketpair()
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args, str(theirs.fileno())],
        pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, **popen)
    theirs.close()
    return process, Connection(ours.detach())


class KernelTemplate:
    """The warm process kernels are forked from; it lives as long as this process."""

    def __init__(self) -> None:
        # Its output (and so its kernels') goes where this process's goes: the worker log.
        self.process, self.conn = start_connected("livepmo.autograder.kernels")
        atexit.register(self.close)

    def fork(self, cmd: list[str], env: dict[str, str], cwd: str) -> int | None:
        """The pid of a new kernel running ``cmd``'s ipykernel, or None when it can't."""
        if self.process.poll() is not None:
            return None
        try:
            self.conn.send({"args": cmd[3:], "env": env, "cwd": cwd, "parent": os.getpid()})
            pid: int | None = self.conn.recv()
        except (OSError, EOFError):
            return None
        return pid

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()  # the template exits when its connection ends
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching ipykernel as a fork of the template."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        forkable = cmd[:3] == [sys.executable, "-m", "ipykernel_launcher"]
        pid = None
        if _template is not None and forkable:
            env = dict(kwargs.get("env") or os.environ)
            env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
            pid = _template.fork(cmd, env, str(kwargs.get("cwd") or Path.cwd()))
        if pid is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(pid)  # type: ignore[assignment]  # a Popen to it
        self.pid = self.pgid = pid  # the kernel leads its own process group
        self.cwd = kwargs.get("cwd", Path.cwd())
        return self.connection_info


class ForkedKernel:
    """A forked kernel, as much of :class:`subprocess.Popen` as the provisioner uses."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: gone all the same
                self.returncode = -1
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.01)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


# -- the template's side ----------------------------------------------------------------


def _serve(conn: Connection) -> None:
    """The template: load what kernels need, then fork one per request until the end."""
    import importlib

    for name in WARM_MODULES:
        importlib.import_module(name)
    _warm_plotly()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        conn.send(_fork(request, conn))


def _warm_plotly() -> None:
    # plotly loads the classes of a trace type and of the layout on first use; the
    # course's template is made and registered here once, not in every kernel.
    import plotly.graph_objects as go

    from livepmo.widgets.figures._theme import TEMPLATE, course_template

    course_template()
    go.Figure([go.Scatter(), go.Bar(), go.Heatmap(), go.Histogram()],
              layout={"template": TEMPLATE})


def _fork(request: dict[str, Any], conn: Connection) -> int | None:
    """Fork twice, so the kernel is orphaned at once and adopted by the worker."""
    read, write = os.pipe()
    middle = os.fork()
    if middle == 0:
        try:
            os.close(read)
            if os.fork() == 0:
                _run_kernel(request, write, conn)
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        said = pipe.read()  # the kernel's pid, once it leads its own session
    os.waitpid(middle, 0)
    return int(said) if said else None


def _run_kernel(request: dict[str, Any], write: int, conn: Connection) -> None:
    """In the forked kernel: become the process jupyter_client would have started."""
    code = 1
    try:
        os.setsid()
        conn.close()
        os.write(write, str(os.getpid()).encode())
        os.close(write)
        # Wait to be adopted (the middle process exits at once), so ipykernel's parent
        # poller watches the worker from the start.
        deadline = time.monotonic() + 5
        while os.getppid() != request["parent"] and time.monotonic() < deadline:
            time.sleep(0.001)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _fresh_seeds()
        # ipykernel read JPY_PARENT_PID when the template imported it: say it again, so
        # its parent poller stops this kernel when the worker dies.
        args = [*request["args"], f"--IPKernelApp.parent_handle={request['parent']}"]
        sys.argv = [_launcher_file(), *args]  # as `python -m ipykernel_launcher` sets it
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _launcher_file() -> str:
    import importlib.util

    spec = importlib.util.find_spec("ipykernel_launcher")
    return str(spec.origin) if spec and spec.origin else "ipykernel_launcher.py"


def _fresh_seeds() -> None:
    # A fork inherits the template's random state; a kernel started cold seeds afresh.
    import random

    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()


if __name__ == "__main__":
    # As ipykernel_launcher does: the worker's folder is not a place to import from.
    if sys.path[0] in ("", str(Path.cwd())):
        del sys.path[0]
    _serve(Connection(int(sys.argv[-1])))
