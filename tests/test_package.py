"""The package's shape: the client's layout, the dependency direction, the pinned stack."""

from __future__ import annotations

import json
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


_IRI_PROBE = """
import json, sys
{first}
import jsonschema
import plotly.graph_objects as go
go.FigureWidget()  # imports nbformat, hence jsonschema, as a learner's first builder does
before = "lark" in sys.modules
checker = jsonschema.FormatChecker()
values = ["http://例え.テスト/a?b=1#c", "not an iri", "../a b", "urn:isbn:0451450523", ""]
answers = [[checker.conforms(v, f) for f in ("iri", "iri-reference")] for v in values]
from rfc3987_syntax import RFC3987_SYNTAX_TERMS  # noqa: F401 - any other name still works
print(json.dumps({{"parser_built_before_use": before, "answers": answers}}))
"""


def test_the_iri_parser_is_built_on_first_use_with_the_same_answers() -> None:
    # jsonschema builds rfc3987_syntax's Earley parsers (seconds) when nbformat imports it;
    # with livepmo imported first they are built only when an "iri" format is checked.
    def probe(first: str) -> dict[str, object]:
        done = subprocess.run([sys.executable, "-c", _IRI_PROBE.format(first=first)],
                              capture_output=True, text=True, check=True, timeout=300)
        return json.loads(done.stdout)

    deferred, plain = probe("import livepmo"), probe("")
    assert deferred["parser_built_before_use"] is False
    assert plain["parser_built_before_use"] is True  # what the deferral saves
    assert deferred["answers"] == plain["answers"]
