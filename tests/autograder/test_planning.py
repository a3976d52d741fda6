"""The planning gate's review: the rubric is consistent, every reference solution is approved
with every criterion met, every mutation gets its decision and its findings, and bad or
missing deliverables give findings, never exceptions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from livepmo.autograder.checks import CHECKS, Context, Missing
from livepmo.autograder.mutations import mutate
from livepmo.autograder.mutations.planning import MUTATIONS
from livepmo.autograder.review import review
from livepmo.autograder.rubric import load_rubric
from livepmo.scenarios.loader import load_scenario

GATE = "02-planning"
ROOT = Path(__file__).resolve().parents[2]
RUBRIC = ROOT / "autograder" / "rubrics" / f"{GATE}.yaml"
REFERENCE = ROOT / "scenarios" / "reference"
SCENARIOS = sorted(p.name for p in (ROOT / "scenarios" / "library").glob("*.yaml"))
SCENARIOS = [p.removesuffix(".yaml") for p in SCENARIOS]


@pytest.fixture(scope="module")
def scenarios() -> dict:
    return {sid: load_scenario(sid) for sid in SCENARIOS}


@pytest.fixture(scope="module")
def rubric() -> dict:
    return yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))


def reference(sid: str) -> Path:
    return REFERENCE / sid / GATE


def unfit(result) -> list[str]:
    """Findings where the review itself failed (a check raised)."""
    return [f"{f.criterion}: {f.message}" for f in result.findings
            if "could not assess" in f.message]


def test_rubric_is_consistent(rubric):
    criteria = rubric["criteria"]
    assert rubric["gate"] == GATE
    assert len(criteria) >= 10
    assert sum(c["points"] for c in criteria) == rubric["total_points"] == 100
    assert len({c["id"] for c in criteria}) == len(criteria)
    for c in criteria:
        assert c["check"] in CHECKS, c["id"]
        assert c["severity"] in ("blocking", "major", "minor")
        assert c["title"] and c["checks"] and c["feedback"] and c["question"]
    assert any(c.get("stop_on_fail") for c in criteria)
    engine = load_rubric(GATE)
    assert [c.id for c in engine.criteria] == [c["id"] for c in criteria]


def test_library_has_five_scenarios():
    assert len(SCENARIOS) == 5


@pytest.mark.parametrize("sid", SCENARIOS)
def test_reference_meets_every_criterion(sid, scenarios, rubric, tmp_path):
    folder = tmp_path / GATE
    shutil.copytree(reference(sid), folder)
    ctx = Context(GATE, folder, scenarios[sid])
    for c in rubric["criteria"]:
        outcome = CHECKS[c["check"]](ctx, c["params"] or {})
        assert outcome.score == 1.0, f"{c['id']}: {outcome.message}"
    result = review(GATE, folder, scenarios[sid])
    assert result.decision == "approved", [f.message for f in result.findings if not f.met]
    assert result.score == 100
    assert 3 <= len(result.questions) <= 5


def test_mutations_are_declared_well():
    names = [m.name for m in MUTATIONS]
    assert len(MUTATIONS) >= 8
    assert len(set(names)) == len(names)
    for m in MUTATIONS:
        assert m.gate == GATE
        assert m.expects and m.description
        assert m.decision in ("rework", "approved_with_conditions", "stop")


@pytest.mark.parametrize("sid", SCENARIOS)
@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_mutation_gets_its_findings_and_decision(sid, mutation, scenarios, tmp_path):
    folder = mutate(mutation, reference(sid), tmp_path / GATE)
    result = review(GATE, folder, scenarios[sid])
    assert not unfit(result)
    unmet = {f.criterion for f in result.findings if not f.met}
    assert mutation.expects <= unmet, f"not triggered: {sorted(mutation.expects - unmet)}"
    assert result.decision == mutation.decision, (result.score, sorted(unmet))
    for f in result.findings:
        if f.criterion in mutation.expects:
            assert f.message and f.fix
    asked = {q.criterion for q in result.questions}
    assert 3 <= len(result.questions) <= 5
    assert asked & unmet


def test_checks_give_evidence_and_board_facts(scenarios, tmp_path):
    by_name = {m.name: m for m in MUTATIONS}
    sid = SCENARIOS[0]
    folder = mutate(by_name["fat-tails"], reference(sid), tmp_path / GATE)
    result = review(GATE, folder, scenarios[sid])
    p07 = next(f for f in result.findings if f.criterion == "P07")
    assert p07.evidence and p07.evidence[0].artifact == "schedule"
    assert {"probability", "p80", "driver"} <= p07.facts.keys()
    question = next(q for q in result.questions if q.criterion == "P07")
    assert p07.facts["driver"] in question.question


def _write(folder: Path, kind: str, text: str) -> None:
    (folder / f"{kind}.json").write_text(text, encoding="utf-8")


DAMAGE = {
    "empty-folder": lambda f: [p.unlink() for p in f.glob("*.json")],
    "not-json": lambda f: _write(f, "schedule", "{ this is not json"),
    "empty-object": lambda f: _write(f, "risk_register", "{}"),
    "wrong-kind": lambda f: _write(f, "communications_plan", json.dumps({"kind": "charter"})),
    "no-activities": lambda f: _write(f, "schedule", json.dumps({
        "kind": "schedule", "schema_version": 1, "project_start": "2026-01-12",
        "deadline": "2026-10-09", "activities": []})),
    "only-milestones": lambda f: _write(f, "schedule", json.dumps({
        "kind": "schedule", "schema_version": 1, "project_start": "2026-01-12",
        "activities": [{"id": "A", "name": "Start", "duration": 0, "milestone": True},
                       {"id": "B", "name": "End", "duration": 0, "milestone": True,
                        "predecessors": [{"activity": "A"}]}]})),
    "empty-register": lambda f: _write(f, "risk_register", json.dumps({
        "kind": "risk_register", "schema_version": 1, "risks": []})),
    "empty-plan": lambda f: _write(f, "communications_plan", json.dumps({
        "kind": "communications_plan", "schema_version": 1, "communications": []})),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=str)
def test_bad_deliverables_give_findings_not_exceptions(damage, scenarios, tmp_path):
    sid = "wms-rollout"
    folder = tmp_path / GATE
    shutil.copytree(reference(sid), folder)
    DAMAGE[damage](folder)
    result = review(GATE, folder, scenarios[sid])
    assert not unfit(result)
    assert result.decision != "approved"
    assert any(not f.met for f in result.findings)


def test_review_without_scenario_gives_findings(tmp_path):
    folder = tmp_path / GATE
    shutil.copytree(reference("wms-rollout"), folder)
    result = review(GATE, folder, None)
    assert not unfit(result)
    assert result.decision == "rework"


def test_checks_raise_nothing_but_missing(scenarios, rubric, tmp_path):
    folder = tmp_path / GATE
    folder.mkdir()
    ctx = Context(GATE, folder, scenarios["wms-rollout"])
    for c in rubric["criteria"]:
        try:
            outcome = CHECKS[c["check"]](ctx, c["params"] or {})
        except Missing:
            continue
        assert 0 <= outcome.score <= 1
