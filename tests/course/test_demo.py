"""`livepmo demo` on a small cohort: built, handed in, graded in parallel, sent back,
resubmitted, feedback and dashboard written (real nbgrader, real kernels)."""

from __future__ import annotations

from pathlib import Path

import pytest

from livepmo.autograder import Ledger
from livepmo.autograder.demo import main

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]
GATE = "04-closure"  # the lightest notebook: the loop is the same at every gate


def test_a_small_cohort_goes_through_the_pmo(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    assert main(out=out, learners=2, gates=(GATE,), seed=1, workers=2) == 0
    printed = capsys.readouterr().out
    ledger = Ledger(out / "reviews.sqlite")
    strong = [a.decision for a in ledger.attempts("learner-01", GATE)]
    struggling = [a.decision for a in ledger.attempts("learner-02", GATE)]
    assert strong == ["approved"]
    assert struggling == ["rework", "approved"]  # sent back, repaired, approved
    assert "| learner-02 |" in printed and "REWORK" in printed and "→ approved" in printed
    for learner in ("learner-01", "learner-02"):
        memo = out / "course" / "feedback" / learner / GATE / f"{GATE}.html"
        assert "Board questions" in memo.read_text(encoding="utf-8")
    assert "Gate status by learner" in (out / "dashboard.html").read_text(encoding="utf-8")
    assert str(out / "dashboard.html") in printed
