"""`livepmo validate`: the gate notebooks run headless with papermill over a scenario's whole
matrix (reference and every mutation, every gate), the review read from the memo cell, and
a wrong expectation caught, kept and reported (real kernels, real papermill)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from livepmo.autograder.mutations import all_mutations
from livepmo.autograder.rubric import GATES
from livepmo.autograder.validate import Case, cases, main, validate

SCENARIO = "erp-distributor"


def test_the_matrix_is_every_gate_with_its_reference_and_every_mutation() -> None:
    matrix = cases([SCENARIO])
    assert len(matrix) == len(GATES) + len(all_mutations())
    assert len({c.id for c in matrix}) == len(matrix)
    references = [c for c in matrix if c.variant == "reference"]
    assert [c.gate for c in references] == list(GATES)
    assert all(c.decision == "approved" and c.exact and not c.expects for c in references)
    flaw = next(m for m in all_mutations() if m.gate == "02-planning")
    (case,) = [c for c in matrix if c.variant == flaw.name]
    assert (case.decision, case.expects, case.exact) == (flaw.decision, flaw.expects, False)


def test_an_unknown_scenario_is_a_usage_error_naming_the_known_ones(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(scenarios=["erp-distributer"]) == 2
    err = capsys.readouterr().err
    assert "no scenario 'erp-distributer'" in err and SCENARIO in err and "wms-rollout" in err


@pytest.mark.slow
def test_a_whole_scenario_passes_with_one_junit_testcase_per_case(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junit, keep = tmp_path / "junit.xml", tmp_path / "failures"
    status = main(scenarios=[SCENARIO], junit=junit, keep=keep)
    out = capsys.readouterr().out
    assert status == 0, out
    root = ET.parse(junit).getroot()  # well formed, or this raises
    testcases = root.findall("./testsuite/testcase")
    expected = cases([SCENARIO])
    assert len(testcases) == len(expected) == int(root.get("tests", "0"))
    assert {(t.get("classname"), t.get("name")) for t in testcases} == {
        (f"{c.scenario}.{c.gate}", c.variant) for c in expected}
    assert root.find(".//failure") is None and root.find(".//error") is None
    assert f"{len(expected)} cases: {len(expected)} passed, 0 failed" in out
    assert not keep.exists()  # nothing failed, nothing kept


@pytest.mark.slow
def test_a_wrong_expectation_fails_the_batch_and_keeps_the_executed_notebook(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wrong = Case(SCENARIO, "04-closure", "reference", "rework", exact=True)
    broken = Case(SCENARIO, "04-closure", "no-such-flaw", "rework")  # never reaches a kernel
    junit, keep = tmp_path / "junit.xml", tmp_path / "failures"
    assert validate([wrong, broken], junit=junit, keep=keep) == 1
    out = capsys.readouterr().out
    assert "decision 'approved', expected 'rework'" in out  # and the batch went on:
    assert "no mutation 'no-such-flaw'" in out
    kept = keep / SCENARIO / "04-closure" / "reference"
    assert (kept / "04-closure.ipynb").is_file()
    assert (kept / "deliverables" / "closure_report.json").is_file()
    root = ET.parse(junit).getroot()
    (failure,) = root.findall(".//failure")
    assert "expected 'rework'" in failure.get("message", "")
    assert str(kept) in (failure.text or "")
    (error,) = root.findall(".//error")
    assert "no-such-flaw" in error.get("message", "")
