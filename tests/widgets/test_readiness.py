"""The readiness panel: the PMO's own review at the click of a button, with its memo."""

from __future__ import annotations

import html
from pathlib import Path

from livepmo.widgets.readiness import ReadinessPanel

from .conftest import reference


def memo_text(panel: ReadinessPanel) -> str:
    """The memo as the learner reads it (the panel embeds the page in an iframe)."""
    return html.unescape(panel.memo.value)


def test_nothing_runs_before_the_button_is_pressed(folder):
    panel = ReadinessPanel("01-initiation", folder)

    assert panel.result is None
    assert panel.memo.value == ""
    assert "01-initiation" in panel.summary.value


def test_a_reference_folder_shows_the_decision_and_the_memo(scenario):
    panel = ReadinessPanel("01-initiation", reference("01-initiation"), scenario)

    panel.run_button.click()

    assert panel.result is not None
    assert panel.result.review.decision == "approved"
    assert "Approved" in panel.summary.value
    assert f"score {panel.result.review.score:g} / 100" in panel.summary.value
    assert "<iframe" in panel.memo.value
    assert "Initiation gate: Approved" in memo_text(panel)  # the memo's own heading


def test_an_empty_folder_shows_rework_and_the_missing_deliverables(folder):
    panel = ReadinessPanel("01-initiation", folder)

    panel.run_button.click()

    assert "Rework" in panel.summary.value
    memo = memo_text(panel)
    for name in ("charter.json", "stakeholder_register.json", "risk_register.json"):
        assert f"<code>{name} = missing</code>" in memo


def test_an_unreadable_file_is_reported_in_the_memo_not_raised(tmp_path: Path):
    (tmp_path / "charter.json").write_text("{not json", encoding="utf-8")
    panel = ReadinessPanel("01-initiation", tmp_path)

    panel.run_button.click()

    assert panel.result is not None
    assert "charter.json = invalid" in memo_text(panel)


def test_a_check_that_cannot_run_says_why(folder):
    panel = ReadinessPanel("05-afterlife", folder)

    panel.run_button.click()

    assert panel.result is None
    assert "could not run" in panel.summary.value
    assert "no rubric for gate" in panel.summary.value
    assert panel.memo.value == ""


def test_with_a_ledger_each_run_is_an_attempt_and_says_what_changed(folder, tmp_path: Path):
    panel = ReadinessPanel(
        "01-initiation", folder, learner="learner-17", ledger=tmp_path / "ledger.sqlite"
    )
    panel.run_button.click()
    assert "attempt 1" in panel.summary.value

    panel.run_button.click()

    assert "attempt 2" in panel.summary.value
    assert "since attempt 1" in panel.summary.value
