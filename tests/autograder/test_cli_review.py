"""`livepmo review`: the memo on the terminal, as HTML or JSON, with attempts in a ledger."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from livepmo.cli import main

REFERENCE = Path(__file__).resolve().parents[2] / "scenarios" / "reference"
PLANNING = REFERENCE / "wms-rollout" / "02-planning"


def test_review_prints_the_memo_and_exits_0_when_approved(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["review", "02-planning", str(PLANNING), "--scenario", "wms-rollout"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Planning gate: Approved")


def test_review_exits_1_on_rework_and_names_the_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["review", "02-planning", str(tmp_path), "--scenario", "wms-rollout"]) == 1
    out = capsys.readouterr().out
    assert "Rework" in out and "schedule.json is missing" in out


def test_review_as_json_carries_every_finding(capsys: pytest.CaptureFixture[str]) -> None:
    main(["review", "02-planning", str(PLANNING), "--scenario", "wms-rollout", "--format",
          "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["decision"] == "approved"
    assert len(data["findings"]) >= 10 and all(f["met"] for f in data["findings"])


def test_review_as_html_is_a_page(capsys: pytest.CaptureFixture[str]) -> None:
    main(["review", "02-planning", str(PLANNING), "--scenario", "wms-rollout", "--format",
          "html"])
    assert capsys.readouterr().out.startswith("<!doctype html>")


def test_a_resubmission_says_what_changed(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    work, ledger = tmp_path / "work", tmp_path / "reviews.sqlite"
    shutil.copytree(PLANNING, work)
    (work / "schedule.json").unlink()
    args = ["review", "02-planning", str(work), "--scenario", "wms-rollout",
            "--learner", "alice", "--ledger", str(ledger)]
    assert main(args) == 1
    capsys.readouterr()
    shutil.copy(PLANNING / "schedule.json", work / "schedule.json")
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "## Since attempt 1" in out
    assert "- Resolved: P01" in out and "- Still open: none" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "05-nothing", "."], "no gate"),
        (["review", "02-planning", "no-such-folder"], "no such folder"),
        (["review", "02-planning", ".", "--scenario", "nope"], "no scenario"),
        (["review", "02-planning", ".", "--ledger", "x.sqlite"], "--ledger needs --learner"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err
