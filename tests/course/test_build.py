"""`livepmo course build`: every assignment released by nbgrader, with nothing to give away."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

from livepmo.autograder.course import ASSIGNMENTS, COURSE, new_course
from livepmo.cli import main

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = new_course(tmp_path_factory.mktemp("course") / "course")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["course", "build", "--course", str(root)]) == 0
    return root


def test_every_assignment_is_released(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for assignment in ASSIGNMENTS:
        assert (built / "release" / assignment / f"{assignment}.ipynb").exists()
    assert (built / "gradebook.db").exists()


def test_the_release_gives_nothing_away(built: Path) -> None:
    reference = Path(__file__).resolve().parents[2] / "scenarios" / "reference"
    reference_texts = {p.read_text(encoding="utf-8")[:200] for p in reference.rglob("*.json")}
    for path in (built / "release").rglob("*"):
        if not path.is_file():
            continue
        assert path.suffix == ".ipynb", path  # no deliverable, reference or other file
        text = path.read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in text and "pmo_score(" not in text, path
        assert "BEGIN SOLUTION" not in text, path
        assert not any(ref in text for ref in reference_texts), path


def test_a_workspace_gets_the_release_and_keeps_the_learners_work(built: Path,
                                                                 tmp_path: Path) -> None:
    target = tmp_path / "workspace"
    assert main(["course", "workspace", str(target), "--course", str(built)]) == 0
    for assignment in ASSIGNMENTS:
        assert (target / assignment / f"{assignment}.ipynb").exists()
    mine = target / "01-initiation" / "01-initiation.ipynb"
    mine.write_text("my work")
    assert main(["course", "workspace", str(target), "--course", str(built)]) == 0
    assert mine.read_text() == "my work"


def test_the_check_reports_an_unreadable_notebook_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "course"
    shutil.copytree(COURSE / "source", root / "source")
    broken = root / "submitted" / "bob" / "01-initiation"
    broken.mkdir(parents=True)
    (broken / "01-initiation.ipynb").write_text("{not a notebook")
    intact = root / "submitted" / "carol" / "01-initiation"
    intact.mkdir(parents=True)
    shutil.copy(root / "source" / "01-initiation" / "01-initiation.ipynb", intact)
    assert main(["course", "check", "01-initiation", "--course", str(root)]) == 1
    out = capsys.readouterr()
    assert out.out.startswith("bob: the notebook cannot be read:")
    assert "carol" not in out.out
    assert "2 submission(s) checked, 1 with problems" in out.err
