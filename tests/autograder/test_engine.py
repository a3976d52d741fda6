"""The review engine: decision rules, board questions, the memo, the ledger's attempts and
what changed between them, and the rubric loader's errors."""

from __future__ import annotations

import gc
import importlib
import shutil
from pathlib import Path

import pytest
import yaml

from livepmo.autograder import (
    GATES,
    Ledger,
    RubricError,
    load_rubric,
    memo_html,
    memo_markdown,
    review,
)
from livepmo.autograder.findings import Finding
from livepmo.autograder.review import Review, _decide
from livepmo.autograder.rubric import RUBRICS
from livepmo.scenarios import load_scenario

REFERENCE = Path(__file__).resolve().parents[2] / "scenarios" / "reference"
# The module (livepmo.autograder.review is also the name of its function).
review_module = importlib.import_module("livepmo.autograder.review")


def _finding(cid: str, severity: str = "major", share: float = 0.0) -> Finding:
    return Finding(cid, f"title {cid}", severity, 10, 10 * share,  # type: ignore[arg-type]
                   f"message {cid}", f"fix {cid}", (), {})


# -- decision rules ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("02-planning")


def _all_met(rubric) -> list[Finding]:
    return [_finding(c.id, c.severity, 1.0) for c in rubric.criteria]


def test_all_met_is_approved(rubric) -> None:
    findings = tuple(_all_met(rubric))
    assert _decide(rubric, findings, rubric.total_points) == ("approved", ())


def test_a_blocking_finding_forces_rework(rubric) -> None:
    findings = _all_met(rubric)
    i = next(i for i, c in enumerate(rubric.criteria) if c.severity == "blocking")
    findings[i] = _finding(rubric.criteria[i].id, "blocking", 0.5)
    decision, _ = _decide(rubric, tuple(findings), rubric.total_points - 5)
    assert decision == "rework"


def test_major_findings_become_conditions(rubric) -> None:
    findings = _all_met(rubric)
    i = next(i for i, c in enumerate(rubric.criteria) if c.severity == "major")
    findings[i] = _finding(rubric.criteria[i].id, "major", 0.0)
    decision, conditions = _decide(rubric, tuple(findings), rubric.total_points - 10)
    assert decision == "approved_with_conditions"
    assert conditions == (f"{rubric.criteria[i].id} title {rubric.criteria[i].id}: "
                          f"fix {rubric.criteria[i].id}",)


def test_a_low_total_forces_rework_even_without_blocking_findings(rubric) -> None:
    # Everything fails a little but the business case (its stop criteria) holds.
    findings = [_finding(c.id, "minor", 1.0 if c.stop_on_fail else 0.0)
                for c in rubric.criteria]
    assert _decide(rubric, tuple(findings), rubric.rework_below - 1)[0] == "rework"


def test_a_broken_business_case_stops_the_project(rubric) -> None:
    findings = _all_met(rubric)
    i = next(i for i, c in enumerate(rubric.criteria) if c.stop_on_fail)
    findings[i] = _finding(rubric.criteria[i].id, rubric.criteria[i].severity, 0.0)
    assert _decide(rubric, tuple(findings), rubric.total_points - 4)[0] == "stop"


def test_an_unassessed_business_case_sends_the_work_back_instead_of_stopping(rubric) -> None:
    findings = [_finding(c.id, c.severity, 0.0) for c in rubric.criteria]
    i = next(i for i, c in enumerate(rubric.criteria) if c.stop_on_fail)
    findings[i] = Finding(**{**findings[i].__dict__, "unassessed": True})
    assert _decide(rubric, tuple(findings), 0)[0] == "rework"


def test_minor_findings_alone_are_approved(rubric) -> None:
    findings = _all_met(rubric)
    i = next(i for i, c in enumerate(rubric.criteria) if c.severity == "minor")
    findings[i] = _finding(rubric.criteria[i].id, "minor", 0.0)
    assert _decide(rubric, tuple(findings), rubric.total_points - 5)[0] == "approved"


# -- rubric files ------------------------------------------------------------------------


def test_every_gate_has_a_valid_rubric_of_at_least_ten_criteria() -> None:
    for gate in GATES:
        assert len(load_rubric(gate).criteria) >= 10, gate


@pytest.fixture
def rubrics(tmp_path: Path) -> Path:
    shutil.copy(RUBRICS / "02-planning.yaml", tmp_path / "02-planning.yaml")
    return tmp_path


def _rewrite(folder: Path, change) -> None:
    path = folder / "02-planning.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _error(folder: Path) -> RubricError:
    with pytest.raises(RubricError) as caught:
        load_rubric("02-planning", folder)
    return caught.value


def test_an_unknown_check_is_named_with_its_line(rubrics: Path) -> None:
    _rewrite(rubrics, lambda d: d["criteria"][1].__setitem__("check", "no_such_check"))
    err = _error(rubrics)
    assert err.problems[0].path == "criteria[1].check"
    assert "unknown check 'no_such_check'" in err.problems[0].message
    line = err.lines[0]
    assert line is not None
    assert "no_such_check" in (rubrics / "02-planning.yaml").read_text().splitlines()[line - 1]


def test_a_duplicate_criterion_id_is_reported(rubrics: Path) -> None:
    _rewrite(rubrics, lambda d: d["criteria"][2].__setitem__("id", d["criteria"][0]["id"]))
    assert _error(rubrics).problems[0].path == "criteria[2].id"


def test_points_that_do_not_add_up_are_reported(rubrics: Path) -> None:
    _rewrite(rubrics, lambda d: d["criteria"][0].__setitem__("points",
                                                             d["criteria"][0]["points"] + 3))
    assert "add up to" in _error(rubrics).problems[0].message


def test_an_instructor_changes_a_weight_without_code(rubrics: Path) -> None:
    def change(d: dict) -> None:
        d["criteria"][0]["points"] += 5
        d["criteria"][1]["points"] -= 5

    _rewrite(rubrics, change)
    rubric = load_rubric("02-planning", rubrics)
    original = load_rubric("02-planning")
    assert rubric.criteria[0].points == original.criteria[0].points + 5


# -- a whole review, its memo and the ledger -----------------------------------------------


@pytest.fixture(scope="module")
def planning_review() -> Review:
    return review("02-planning", REFERENCE / "wms-rollout" / "02-planning",
                  load_scenario("wms-rollout"))


def test_a_reference_planning_set_is_approved_with_board_questions(planning_review) -> None:
    assert planning_review.decision == "approved"
    assert 3 <= len(planning_review.questions) <= 5


def test_the_memo_has_the_decision_scores_and_questions(planning_review) -> None:
    text = memo_markdown(planning_review)
    assert text.startswith("# Planning gate: Approved")
    assert "## Board questions" in text and "## Score by criterion" in text
    page = memo_html(planning_review)
    assert page.startswith("<!doctype html>") and "<table>" in page


def test_an_empty_folder_gives_findings_not_exceptions(tmp_path: Path) -> None:
    for gate in GATES:
        result = review(gate, tmp_path, load_scenario("wms-rollout", 1))
        assert result.decision == "rework", gate
        assert all(not f.met for f in result.findings if f.severity == "blocking")
        assert not any("could not assess" in f.message for f in result.findings), gate


def test_a_review_gives_the_garbage_collector_back_as_it_found_it(tmp_path: Path) -> None:
    # The collector is held off while the criteria are assessed (it would walk the
    # review's models again and again): on again after, and left off if it was off.
    scenario = load_scenario("wms-rollout", 1)
    assert gc.isenabled()
    seen: list[bool] = []
    assess = review_module._assess
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(review_module, "_assess",
                      lambda ctx, c: seen.append(gc.isenabled()) or assess(ctx, c))
        review("01-initiation", tmp_path, scenario)
    assert seen and not any(seen)
    assert gc.isenabled()
    gc.disable()
    try:
        review("01-initiation", tmp_path, scenario)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_ledger_keeps_every_attempt_and_what_changed(tmp_path: Path,
                                                         planning_review) -> None:
    ledger = Ledger(tmp_path / "reviews.sqlite")
    empty = review("02-planning", tmp_path / "nothing", load_scenario("wms-rollout"))
    first, none = ledger.record("alice", empty)
    second, changes = ledger.record("alice", planning_review)
    assert (first, none, second) == (1, None, 2)
    assert changes is not None and changes.previous_attempt == 1
    assert set(changes.resolved) == {f.criterion for f in empty.findings if not f.met} - {
        f.criterion for f in planning_review.findings if not f.met}
    assert changes.new == ()
    attempts = ledger.attempts("alice", "02-planning")
    assert [a.decision for a in attempts] == ["rework", "approved"]
    assert ledger.attempts("bob", "02-planning") == []


def test_group_scores_add_up_to_the_review_score() -> None:
    folder = Path(__file__).resolve().parents[2] / "scenarios/reference/wms-rollout/01-initiation"
    result = review("01-initiation", folder, load_scenario("wms-rollout"))
    rubric = load_rubric("01-initiation")
    assert [g.id for g in result.groups] == [g.id for g in rubric.groups]
    assert sum(g.points for g in result.groups) == rubric.total_points
    assert abs(sum(g.score for g in result.groups) - result.score) < 0.05
    assert result.group("charter").points == 40


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda g: g[0]["criteria"].append("I02"), "already in group"),
        (lambda g: g[1]["criteria"].remove("I02"), "criteria in no group: I02"),
        (lambda g: g[0]["criteria"].append("X99"), "unknown criterion 'X99'"),
    ],
)
def test_rubric_groups_are_checked(tmp_path: Path, edit, message: str) -> None:
    data = yaml.safe_load((RUBRICS / "01-initiation.yaml").read_text())
    edit(data["groups"])
    (tmp_path / "01-initiation.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(RubricError, match=message):
        load_rubric("01-initiation", tmp_path)
