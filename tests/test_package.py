"""The package's shape: the client's layout, the dependency direction, the pinned stack."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

import livepmo

ROOT = Path(__file__).resolve().parents[1]


def test_card_folders_are_installed_inside_the_livepmo_namespace() -> None:
    import livepmo.autograder
    import livepmo.scenarios
    import livepmo.widgets

    for module, folder in (
        (livepmo.widgets, "widgets"),
        (livepmo.autograder, "autograder"),
        (livepmo.scenarios, "scenarios"),
    ):
        assert Path(module.__file__ or "").parent == ROOT / folder


def test_core_imports_no_jupyter_ui_and_no_grader() -> None:
    code = (
        "import sys, livepmo.cli, livepmo.storage, livepmo.deliverables, livepmo.planning\n"
        "bad = {'ipywidgets', 'plotly', 'nbgrader', 'livepmo.widgets', 'livepmo.autograder'}\n"
        "print(sorted(bad & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_environment_yml_pins_the_same_stack_as_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert sorted(pip_section) == sorted(project["dependencies"])
    assert "python=3.11" in env["dependencies"]


def test_every_runtime_dependency_is_pinned_exactly() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert all("==" in dep for dep in project["dependencies"])


def test_version_is_the_distributions_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert livepmo.__version__ == project["version"]
