"""The simulated cohort and the cohort dashboard (no nbgrader needed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from livepmo.autograder import Ledger, review
from livepmo.autograder.cohort import REFERENCE, Learner, cohort, flaw, submit
from livepmo.autograder.course import COURSE, notebook_path
from livepmo.autograder.dashboard import cohort_dashboard, summarise
from livepmo.autograder.mutations import mutate
from livepmo.scenarios import load_scenario


def test_a_cohort_spreads_over_the_scenarios_with_seeded_quality() -> None:
    people = cohort(12, seed=7)
    assert len({p.id for p in people}) == 12
    assert len({p.scenario for p in people}) == 5
    assert {"strong", "struggling"} <= {p.quality for p in people}
    assert cohort(12, seed=7) == people  # reproducible


def test_struggling_learners_are_sent_back_then_repair() -> None:
    learner = Learner("learner-x", "wms-rollout", "struggling")
    first = flaw(learner, "02-planning", 1)
    assert first is not None and first.decision == "rework"
    assert flaw(learner, "02-planning", 2) is None
    steady = flaw(Learner("l", "wms-rollout", "steady"), "02-planning", 1)
    assert steady is not None and steady.decision == "approved_with_conditions"
    assert flaw(Learner("s", "wms-rollout", "strong"), "02-planning", 1) is None


def test_a_submission_is_the_released_notebook_and_the_deliverables(tmp_path: Path) -> None:
    course = tmp_path / "course"
    release = notebook_path(course, "01-initiation", "release")
    release.parent.mkdir(parents=True)
    shutil.copy(notebook_path(COURSE, "01-initiation"), release)
    learner = Learner("learner-y", "erp-distributor", "struggling")
    name = submit(course, learner, "01-initiation")
    folder = course / "submitted" / "learner-y" / "01-initiation"
    assert (folder / "01-initiation.ipynb").exists()
    project = json.loads((folder / "deliverables" / "project.json").read_text())
    assert project["scenario"] == "erp-distributor" and project["learner"] == "learner-y"
    assert name != "reference"
    assert submit(course, learner, "01-initiation", 2) == "reference"  # the repaired work
    charter = folder / "deliverables" / "charter.json"
    assert charter.read_bytes() == (REFERENCE / "erp-distributor" / "01-initiation" /
                                    "charter.json").read_bytes()


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """Three learners at initiation: approved; rework then approved; conditions."""
    path = tmp_path / "reviews.sqlite"
    book = Ledger(path)
    scenario = load_scenario("wms-rollout", 0)
    reference = REFERENCE / "wms-rollout" / "01-initiation"
    learner = Learner("b", "wms-rollout", "struggling")
    damage = flaw(learner, "01-initiation", 1)
    assert damage is not None
    flawed = mutate(damage, reference, tmp_path / "flawed")
    steady = flaw(Learner("c", "wms-rollout", "steady"), "01-initiation", 1)
    assert steady is not None
    so_so = mutate(steady, reference, tmp_path / "so-so")
    book.record("a", review("01-initiation", reference, scenario))
    book.record("b", review("01-initiation", flawed, scenario))
    book.record("b", review("01-initiation", reference, scenario))
    book.record("c", review("01-initiation", so_so, scenario))
    return path


def test_the_summary_counts_approvals_attempts_and_findings(ledger: Path) -> None:
    summary = summarise(Ledger(ledger).history())
    assert summary.learners == 3 and summary.reviews == 4
    assert summary.approved["01-initiation"] == 3  # conditions count as approved
    assert summary.attempts_to_approval["01-initiation"] == pytest.approx(4 / 3)
    assert summary.top_findings  # the flaws left findings open


def test_the_dashboard_draws_status_findings_scores_and_attempts(ledger: Path,
                                                                  tmp_path: Path) -> None:
    page = cohort_dashboard(ledger, tmp_path / "dashboard.html").read_text()
    for title in ("Gate status by learner", "Most frequent open findings",
                  "Scores of the latest attempts", "Attempts needed to approval"):
        assert title in page
    assert page.count("Plotly.newPlot") == 4
    assert "<td>b</td><td>01-initiation</td><td>2</td><td>approved" in page


@pytest.mark.parametrize("scenario_id", ["crm-erp-integration", "erp-distributor",
                                         "win11-migration", "wms-rollout", "zero-trust-soc"])
def test_every_reference_is_approved_on_the_variant_learners_run(scenario_id: str) -> None:
    # The notebooks always pin a variant; the cohort and `livepmo validate` use seed 0.
    scenario = load_scenario(scenario_id, 0)
    for gate in ("01-initiation", "02-planning", "03-execution", "04-closure"):
        result = review(gate, REFERENCE / scenario_id / gate, scenario)
        assert (result.decision, result.score) == ("approved", 100), (gate, result.findings)
