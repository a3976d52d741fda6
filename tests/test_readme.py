"""The README stays true: its Python examples run as written, from the repository root."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


def test_the_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_each_python_example_runs(code: str) -> None:
    # Indented inside a list item in the README; dedent by the first line's indent.
    indent = len(code) - len(code.lstrip(" "))
    source = "\n".join(line[indent:] for line in code.splitlines())
    run = subprocess.run([sys.executable, "-c", source], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip(), "an example prints what it shows"
