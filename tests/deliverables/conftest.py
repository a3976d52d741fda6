"""Fixtures: the ``livepmo`` command run in-process, and a learner's deliverables folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from livepmo.cli import main
from livepmo.storage import DeliverableStore


@dataclass(frozen=True)
class CliRun:
    """What one ``livepmo`` command did: exit status and printed text."""

    code: int
    out: str
    err: str

    def lines_about(self, file: Path | str) -> list[str]:
        """The printed lines that report on ``file``."""
        return [line for line in self.out.splitlines() if line.startswith(f"{file}: ")]


Cli = Callable[..., CliRun]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run ``livepmo ARGS...`` in this process, as the console script would."""

    def run(*args: str | Path) -> CliRun:
        capsys.readouterr()  # start from nothing
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse ends --help, --version and usage errors so
            code = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run


@pytest.fixture
def store(tmp_path: Path) -> DeliverableStore:
    """An empty deliverables folder of one learner."""
    return DeliverableStore(tmp_path / "deliverables")
