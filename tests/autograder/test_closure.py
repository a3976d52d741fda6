"""The closure gate: rubric, checks and mutations over every scenario's reference set."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from livepmo.autograder.checks import CHECKS, Context, Missing
from livepmo.autograder.mutations import mutate
from livepmo.autograder.mutations.closure import GATE, MUTATIONS
from livepmo.autograder.review import review
from livepmo.autograder.rubric import load_rubric
from livepmo.scenarios import load_scenario, scenario_ids

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "scenarios" / "reference"
SCENARIOS = scenario_ids()
RUBRIC = load_rubric(GATE)


def _source(sid: str) -> Path:
    return REFERENCE / sid / GATE


@pytest.fixture(scope="module", params=SCENARIOS)
def scenario(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return load_scenario(request.param, seed=0)


def test_rubric_shape() -> None:
    assert RUBRIC.gate == GATE
    assert len(RUBRIC.criteria) >= 10
    assert sum(c.points for c in RUBRIC.criteria) == RUBRIC.total_points
    assert {c.severity for c in RUBRIC.criteria} == {"blocking", "major", "minor"}
    # The gate's folder holds the whole project so far; the rubric names this gate's own.
    assert set(RUBRIC.deliverables) <= {p.stem for p in _source(SCENARIOS[0]).glob("*.json")}
    for c in RUBRIC.criteria:
        assert c.check in CHECKS


def test_reference_meets_every_criterion(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "ref"
    shutil.copytree(_source(scenario.id), folder)
    ctx = Context(GATE, folder, scenario)
    for c in RUBRIC.criteria:
        outcome = CHECKS[c.check](ctx, c.params)
        assert outcome.score == 1.0, (c.id, outcome.message)


def test_reference_is_approved(scenario) -> None:  # type: ignore[no-untyped-def]
    r = review(GATE, _source(scenario.id), scenario)
    assert r.decision == "approved", [(f.criterion, f.message) for f in r.open_findings]
    assert r.score == RUBRIC.total_points
    assert not r.open_findings


def test_mutation_names_are_unique() -> None:
    assert len({m.name for m in MUTATIONS}) == len(MUTATIONS) >= 8
    ids = {c.id for c in RUBRIC.criteria}
    for m in MUTATIONS:
        assert m.gate == GATE and m.expects and m.expects <= ids, m.name
        assert m.decision in {"approved", "approved_with_conditions", "rework", "stop"}


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_mutation(mutation, scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = mutate(mutation, _source(scenario.id), tmp_path / mutation.name)
    # The checks themselves: the declared criteria are not fully met, none raises.
    ctx = Context(GATE, folder, scenario)
    scores = {}
    for c in RUBRIC.criteria:
        try:
            scores[c.id] = CHECKS[c.check](ctx, c.params).score
        except Missing:
            scores[c.id] = 0.0
    assert all(scores[i] < 1 for i in mutation.expects), scores
    # The review: the declared decision, the declared findings among the open ones.
    r = review(GATE, folder, scenario)
    open_ids = {f.criterion for f in r.open_findings}
    assert mutation.expects <= open_ids, (mutation.expects - open_ids)
    assert r.decision == mutation.decision, [(f.criterion, f.message) for f in r.open_findings]
    assert not any("could not assess" in f.message for f in r.findings)
    assert 1 <= len(r.questions) <= 5


@pytest.mark.parametrize("content", [
    "", "{", "[]", "null", '{"kind": "closure_report"}',
    '{"kind": "closure_report", "schema_version": 1, "summary": 5}',
])
def test_bad_files_give_findings_not_exceptions(content: str, tmp_path: Path) -> None:
    sid = SCENARIOS[0]
    shutil.copytree(_source(sid), tmp_path / "f")
    for name in ("closure_report.json", "lessons_learned.json"):
        (tmp_path / "f" / name).write_text(content, encoding="utf-8")
    r = review(GATE, tmp_path / "f", load_scenario(sid, seed=0))
    assert r.decision == "rework"
    assert not any("could not assess" in f.message for f in r.findings)


def test_empty_folder_and_no_scenario(tmp_path: Path) -> None:
    r = review(GATE, tmp_path)
    assert r.decision == "rework"
    assert not any("could not assess" in f.message for f in r.findings)
    # Without a scenario the checks that can still run do so on the report alone.
    r = review(GATE, _source(SCENARIOS[0]))
    assert not any("could not assess" in f.message for f in r.findings)


def test_odd_but_valid_values(tmp_path: Path) -> None:
    """Zero costs, empty lists, odd params: findings, never exceptions."""
    sid = SCENARIOS[0]
    data = {p.stem: json.loads(p.read_text()) for p in _source(sid).glob("*.json")}
    rep = data["closure_report"]
    rep.update(planned_cost=0.0, actual_cost=0.0, objectives=[], acceptance=[], open_items=[],
               variance_explanation="")
    data["lessons_learned"]["lessons"] = []
    folder = tmp_path / "odd"
    folder.mkdir()
    for kind, content in data.items():
        (folder / f"{kind}.json").write_text(json.dumps(content))
    ctx = Context(GATE, folder, load_scenario(sid, seed=0))
    for c in RUBRIC.criteria:
        for params in (c.params, {}, dict.fromkeys(c.params, "x")):
            outcome = CHECKS[c.check](ctx, params)
            assert 0.0 <= outcome.score <= 1.0


def test_board_questions_come_from_weak_findings(tmp_path: Path) -> None:
    sid = SCENARIOS[0]
    m = next(x for x in MUTATIONS if x.name == "copy-paste-closure")
    folder = mutate(m, _source(sid), tmp_path / "cp")
    r = review(GATE, folder, load_scenario(sid, seed=0))
    asked = {q.criterion for q in r.questions}
    assert 3 <= len(r.questions) <= 5
    assert asked <= {f.criterion for f in r.open_findings}
    assert all("{" not in q.question for q in r.questions)
