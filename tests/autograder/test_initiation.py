"""The initiation gate: its rubric, its checks on every scenario's reference solution, and
the flaws (mutations) the review must catch with the findings and decision they declare."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from livepmo.autograder.checks import CHECKS, Context, Missing
from livepmo.autograder.findings import Outcome
from livepmo.autograder.mutations import mutate
from livepmo.autograder.mutations.initiation import MUTATIONS
from livepmo.autograder.review import review
from livepmo.autograder.rubric import load_rubric
from livepmo.scenarios import load_scenario, scenario_ids

GATE = "01-initiation"
REFERENCE = Path(__file__).resolve().parents[2] / "scenarios" / "reference"
SCENARIOS = scenario_ids()


@pytest.fixture(scope="module")
def rubric():
    return load_rubric(GATE)


@pytest.fixture(scope="module")
def scenarios():
    return {sid: load_scenario(sid) for sid in SCENARIOS}


def _run(ctx: Context, criterion) -> Outcome:
    try:
        return CHECKS[criterion.check](ctx, criterion.params)
    except Missing as missing:
        return Outcome(0.0, str(missing))


def _outcomes(rubric, folder: Path, scenario) -> dict[str, Outcome]:
    ctx = Context(GATE, folder, scenario)
    return {c.id: _run(ctx, c) for c in rubric.criteria}


# -- the rubric ------------------------------------------------------------------------------


def test_rubric_has_enough_criteria_covering_every_severity(rubric) -> None:
    assert len(rubric.criteria) >= 10
    assert sum(c.points for c in rubric.criteria) == rubric.total_points == 100
    assert {c.severity for c in rubric.criteria} == {"blocking", "major", "minor"}
    assert any(c.stop_on_fail for c in rubric.criteria)


def test_every_mutation_names_known_criteria_and_a_decision(rubric) -> None:
    ids = {c.id for c in rubric.criteria}
    assert len(MUTATIONS) >= 8
    assert len({m.name for m in MUTATIONS}) == len(MUTATIONS)
    for m in MUTATIONS:
        assert m.gate == GATE
        assert m.expects and m.expects <= ids, m.name
        assert m.decision in {"rework", "approved_with_conditions", "stop"}


# -- the reference solutions pass -------------------------------------------------------------


@pytest.mark.parametrize("sid", SCENARIOS)
def test_reference_meets_every_criterion(rubric, scenarios, sid: str) -> None:
    outcomes = _outcomes(rubric, REFERENCE / sid / GATE, scenarios[sid])
    unmet = {cid: o.message for cid, o in outcomes.items() if o.score < 1}
    assert unmet == {}


@pytest.mark.parametrize("sid", SCENARIOS)
def test_reference_is_approved(scenarios, sid: str) -> None:
    # Speed is measured by benchmarks/review.py, not asserted here.
    result = review(GATE, REFERENCE / sid / GATE, scenarios[sid])
    assert result.decision == "approved", [f.message for f in result.open_findings]


# -- the mutations are caught -------------------------------------------------------------------


@pytest.mark.parametrize("sid", SCENARIOS)
@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_mutation_triggers_exactly_its_criteria_and_decision(
    rubric, scenarios, tmp_path: Path, sid: str, mutation
) -> None:
    folder = mutate(mutation, REFERENCE / sid / GATE, tmp_path / GATE)
    outcomes = _outcomes(rubric, folder, scenarios[sid])
    unmet = {cid for cid, o in outcomes.items() if o.score < 1}
    assert unmet == mutation.expects
    for cid in unmet:  # a finding says what is wrong, where and how to fix it
        o = outcomes[cid]
        assert 0 <= o.score < 1 and o.message
    result = review(GATE, folder, scenarios[sid])
    assert result.decision == mutation.decision
    assert {f.criterion for f in result.open_findings} == mutation.expects
    assert 3 <= len(result.questions) <= 5
    assert not any("{" in q.question for q in result.questions)


def test_failed_checks_fill_their_board_question(rubric, scenarios, tmp_path: Path) -> None:
    """Every criterion's question can be asked from the facts of its own failure."""
    by_id = {c.id: c for c in rubric.criteria}
    asked: set[str] = set()
    for i, mutation in enumerate(MUTATIONS):
        folder = mutate(mutation, REFERENCE / SCENARIOS[0] / GATE, tmp_path / str(i))
        for f in review(GATE, folder, scenarios[SCENARIOS[0]]).open_findings:
            if f.criterion in mutation.expects and f.facts and not f.unassessed:
                by_id[f.criterion].question.format_map(f.facts)
                asked.add(f.criterion)
    assert asked >= {c.id for c in rubric.criteria} - {"I01"}


# -- bad input gives findings, never exceptions ----------------------------------------------------


BAD_FILES = {
    "empty-object": "{}",
    "not-json": "this is not json {",
    "a-list": "[1, 2, 3]",
    "wrong-kind": json.dumps({"kind": "schedule", "schema_version": 1}),
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_garbage_deliverables_give_findings_not_exceptions(
    rubric, scenarios, tmp_path: Path, content: str
) -> None:
    sid = SCENARIOS[0]
    folder = tmp_path / GATE
    shutil.copytree(REFERENCE / sid / GATE, folder)
    for kind in ("charter", "stakeholder_register", "risk_register"):
        (folder / f"{kind}.json").write_text(content, encoding="utf-8")
    outcomes = _outcomes(rubric, folder, scenarios[sid])
    assert outcomes["I01"].score == 0
    assert review(GATE, folder, scenarios[sid]).decision == "rework"


def test_empty_folder_and_no_scenario_is_rework(rubric, tmp_path: Path) -> None:
    outcomes = _outcomes(rubric, tmp_path, None)
    assert outcomes["I01"].score == 0
    result = review(GATE, tmp_path)
    assert result.decision == "rework"


def test_reference_without_scenario_is_still_approved(rubric) -> None:
    folder = REFERENCE / SCENARIOS[0] / GATE
    assert review(GATE, folder).decision == "approved"


def test_partial_credit_is_the_share_of_items_that_pass(rubric, scenarios, tmp_path) -> None:
    sid = SCENARIOS[0]
    folder = tmp_path / GATE
    shutil.copytree(REFERENCE / sid / GATE, folder)
    path = folder / "charter.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["objectives"][0]["target"] = "better"
    path.write_text(json.dumps(data), encoding="utf-8")
    outcome = _outcomes(rubric, folder, scenarios[sid])["I05"]
    n = len(data["objectives"])
    assert outcome.score == pytest.approx((n - 1) / n)
    assert any(e.path == "objectives[0].target" for e in outcome.evidence)
