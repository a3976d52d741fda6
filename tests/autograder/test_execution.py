"""The execution gate: rubric, checks and mutations over every scenario's reference set.

At the execution gate a learner's folder holds the earlier gates' deliverables too: the
decision log is replayed against the approved schedule (planning) and measured against
the registers (initiation, planning). The reference keeps one folder per gate, so a
review folder here is the 01, 02 and 03 reference folders layered, later gates winning.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from livepmo.autograder.checks import CHECKS, Context
from livepmo.autograder.mutations import mutate
from livepmo.autograder.mutations.execution import GATE, MUTATIONS
from livepmo.autograder.review import review
from livepmo.autograder.rubric import load_rubric
from livepmo.scenarios import load_scenario, scenario_ids

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "scenarios" / "reference"
SCENARIOS = scenario_ids()
RUBRIC = load_rubric(GATE)
EARLIER = ("01-initiation", "02-planning")


def _source(sid: str) -> Path:
    return REFERENCE / sid / GATE


def _add_earlier_gates(sid: str, folder: Path) -> Path:
    """Complete a gate-3 folder with the earlier gates' files it does not hold itself."""
    for gate in reversed(EARLIER):  # planning's risk register wins over initiation's
        for path in (REFERENCE / sid / gate).glob("*.json"):
            if not (folder / path.name).exists():
                shutil.copy(path, folder / path.name)
    return folder


def _reference_folder(sid: str, folder: Path) -> Path:
    shutil.copytree(_source(sid), folder)
    return _add_earlier_gates(sid, folder)


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
    ctx = Context(GATE, _reference_folder(scenario.id, tmp_path / "ref"), scenario)
    for c in RUBRIC.criteria:
        outcome = CHECKS[c.check](ctx, c.params)
        assert outcome.score == 1.0, (c.id, outcome.message)


def test_reference_is_approved(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = review(GATE, _reference_folder(scenario.id, tmp_path / "ref"), scenario)
    assert r.decision == "approved", [(f.criterion, f.message) for f in r.open_findings]
    assert r.score == RUBRIC.total_points
    assert 3 <= len(r.questions) <= 5


def test_mutation_names_are_unique() -> None:
    assert len({m.name for m in MUTATIONS}) == len(MUTATIONS) >= 8
    ids = {c.id for c in RUBRIC.criteria}
    for m in MUTATIONS:
        assert m.gate == GATE and m.expects and m.expects <= ids, m.name
        assert m.decision in ("approved", "approved_with_conditions", "rework", "stop")


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_mutation_is_caught(mutation, scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = _add_earlier_gates(scenario.id, mutate(mutation, _source(scenario.id),
                                                    tmp_path / "sub"))
    r = review(GATE, folder, scenario)
    shares = {f.criterion: f.share for f in r.findings}
    for cid in mutation.expects:
        assert shares[cid] < 1, (mutation.name, cid)
    assert r.decision == mutation.decision, (
        mutation.name, r.score, [(f.criterion, f.message) for f in r.open_findings])
    open_ids = {f.criterion for f in r.open_findings}
    assert mutation.expects <= open_ids
    assert not any("could not assess" in f.message for f in r.findings)
    for f in r.open_findings:
        assert f.message and f.fix, f.criterion
    if r.open_findings:
        assert r.questions and r.questions[0].criterion in open_ids


@pytest.mark.parametrize("damage", ["empty", "garbage", "no-earlier-gates", "no-scenario",
                                    "empty-lists"])
def test_bad_submissions_give_findings_not_exceptions(damage: str, tmp_path: Path) -> None:
    sid = SCENARIOS[0]
    scenario = load_scenario(sid, seed=0)
    folder = tmp_path / "sub"
    folder.mkdir()
    if damage == "garbage":
        _reference_folder(sid, tmp_path / "ref")
        for path in (tmp_path / "ref").glob("*.json"):
            (folder / path.name).write_text('{"kind": "' + path.stem + '", "oops": [1,}')
    elif damage == "no-earlier-gates":
        shutil.rmtree(folder)
        shutil.copytree(_source(sid), folder)
        for path in folder.glob("*.json"):
            if path.stem not in RUBRIC.deliverables:
                path.unlink()
    elif damage == "no-scenario":
        shutil.rmtree(folder)
        _reference_folder(sid, folder)
        scenario = None
    elif damage == "empty-lists":
        shutil.rmtree(folder)
        _reference_folder(sid, folder)
        for kind, key in (("status_reports", "reports"), ("change_log", "requests"),
                          ("issue_log", "issues"), ("exception_reports", "reports"),
                          ("decision_log", "decisions")):
            data = json.loads((folder / f"{kind}.json").read_text())
            data[key] = []
            (folder / f"{kind}.json").write_text(json.dumps(data))
    r = review(GATE, folder, scenario)
    assert r.decision == "rework" if damage != "empty-lists" else r.decision != "approved"
    assert not any("could not assess" in f.message for f in r.findings), [
        f.message for f in r.findings if "could not assess" in f.message]
    assert all(f.message for f in r.findings if not f.met)
