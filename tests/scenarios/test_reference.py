"""The instructor-only reference solutions: complete, valid, consistent with the engines,
reproducible from the generator, and never shipped to learners."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from livepmo.cli import main
from livepmo.deliverables import (
    Charter,
    ClosureReport,
    CommunicationsPlan,
    DecisionLog,
    RiskRegister,
    Schedule,
    StakeholderRegister,
    StatusReports,
)
from livepmo.execution import Simulation
from livepmo.planning import critical_path, earned_value, simulate
from livepmo.scenarios import load_scenario, scenario_ids
from livepmo.storage import DeliverableStore, check_files

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "scenarios" / "reference"
GATES = {
    "01-initiation": {"charter", "stakeholder_register", "risk_register"},
    "02-planning": {"schedule", "risk_register", "communications_plan"},
    "03-execution": {"status_reports", "change_log", "decision_log", "issue_log",
                     "exception_reports"},
    "04-closure": {"closure_report", "lessons_learned"},
}
IDS = scenario_ids()


@cache
def _build() -> ModuleType:
    """scenarios/reference/build.py, loaded by path: it is not an installed module."""
    spec = importlib.util.spec_from_file_location("livepmo_reference_build",
                                                  REFERENCE / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _store(sid: str, gate: str) -> DeliverableStore:
    return DeliverableStore(REFERENCE / sid / gate)


def _load(sid: str, gate: str, model: type) -> object:
    item = _store(sid, gate).load(model)
    assert item is not None, f"{sid}/{gate}: no {model.KIND}"
    return item


def test_the_library_has_the_five_scenarios_the_references_cover() -> None:
    assert len(IDS) >= 5
    assert sorted(p.name for p in REFERENCE.iterdir() if p.is_dir()) == IDS


@pytest.mark.parametrize("sid", IDS)
def test_every_gate_has_its_reference_set_and_every_file_is_valid(sid: str) -> None:
    so_far: set[str] = set()
    for gate, kinds in GATES.items():
        # Each gate's folder is the learner's folder at that gate: everything so far.
        so_far |= kinds
        folder = REFERENCE / sid / gate
        assert {p.stem for p in folder.glob("*.json")} == so_far, f"{sid}/{gate}"
        for result in check_files([folder]):
            assert not result.problems, f"{result.path}: {result.problems}"


def test_livepmo_check_accepts_the_whole_reference_folder() -> None:
    assert main(["check", "--quiet", str(REFERENCE)]) == 0


@pytest.mark.parametrize("sid", IDS)
def test_reference_schedule_meets_the_deadline_at_the_scenario_confidence(sid: str) -> None:
    schedule = _load(sid, "02-planning", Schedule)
    assert isinstance(schedule, Schedule)
    scenario = load_scenario(sid)
    result = simulate(schedule, seed=_build().MC_SEED, iterations=5000)
    assert result.deadline_probability is not None
    assert result.deadline_probability >= scenario.confidence
    assert critical_path(schedule).meets_deadline


@pytest.mark.parametrize("sid", IDS)
def test_reference_baseline_equals_the_cpm_early_dates(sid: str) -> None:
    schedule = _load(sid, "02-planning", Schedule)
    assert isinstance(schedule, Schedule) and schedule.baseline is not None
    cpm = critical_path(schedule)
    dates = cpm.dates()
    for i, aid in enumerate(cpm.ids):
        entry = schedule.baseline.activities[aid]
        assert entry.start == dates["early_start"][i].astype(object), aid
        assert entry.finish == dates["early_finish"][i].astype(object), aid
    assert schedule.baseline.start == cpm.start_date
    assert schedule.baseline.finish == cpm.finish_date


@pytest.mark.parametrize("sid", IDS)
def test_reference_schedule_is_the_whole_catalogue_with_its_links(sid: str) -> None:
    schedule = _load(sid, "02-planning", Schedule)
    assert isinstance(schedule, Schedule)
    scenario = load_scenario(sid)
    acts = {a.id: a for a in schedule.activities}
    assert set(acts) == {a.id for a in scenario.activities}
    for a in scenario.activities:
        mine = acts[a.id]
        assert mine.cost == a.cost
        assert mine.estimate is not None and mine.estimate.most_likely == a.most_likely
        assert abs(mine.duration - a.most_likely) <= 0.5
        assert [(p.activity, p.type, p.lag) for p in mine.predecessors] == [
            (p.activity, p.type, p.lag) for p in a.predecessors]
    assert schedule.deadline == scenario.deadline
    assert schedule.calendar == scenario.calendar


@pytest.mark.parametrize("sid", IDS)
def test_budget_is_cost_baseline_plus_a_contingency_within_the_scenarios(sid: str) -> None:
    charter = _load(sid, "01-initiation", Charter)
    schedule = _load(sid, "02-planning", Schedule)
    assert isinstance(charter, Charter) and isinstance(schedule, Schedule)
    scenario = load_scenario(sid)
    bac = sum(a.cost for a in schedule.activities)
    assert charter.budget.total == pytest.approx(bac + charter.budget.contingency)
    assert 0 < charter.budget.contingency <= scenario.contingency
    assert charter.budget.total <= scenario.budget


@pytest.mark.parametrize("sid", IDS)
def test_every_risk_has_an_owner_a_response_and_a_trigger(sid: str) -> None:
    register = _load(sid, "02-planning", RiskRegister)
    people = _load(sid, "01-initiation", StakeholderRegister)
    assert isinstance(register, RiskRegister) and isinstance(people, StakeholderRegister)
    names = {s.name for s in people.stakeholders}
    assert {r.id for r in register.risks} == {r.id for r in load_scenario(sid).risks}
    for r in register.risks:
        assert r.owner in names, r.id
        assert r.response is not None and r.response.actions, r.id
        assert r.trigger and r.contingency, r.id


@pytest.mark.parametrize("sid", IDS)
def test_every_high_power_stakeholder_has_a_strategy_and_a_channel(sid: str) -> None:
    people = _load(sid, "01-initiation", StakeholderRegister)
    plan = _load(sid, "02-planning", CommunicationsPlan)
    assert isinstance(people, StakeholderRegister) and isinstance(plan, CommunicationsPlan)
    reached = {who for c in plan.communications for who in c.audience}
    assert reached == {s.id for s in people.stakeholders}
    for s in people.stakeholders:
        if s.power >= 4:
            assert s.strategy, s.id


@pytest.mark.parametrize("sid", IDS)
def test_execution_replays_from_the_decision_log_to_the_reported_figures(sid: str) -> None:
    schedule = _load(sid, "02-planning", Schedule)
    log = _load(sid, "03-execution", DecisionLog)
    reports = _load(sid, "03-execution", StatusReports)
    closure = _load(sid, "04-closure", ClosureReport)
    assert isinstance(schedule, Schedule) and isinstance(log, DecisionLog)
    assert isinstance(reports, StatusReports) and isinstance(closure, ClosureReport)
    sim = Simulation(load_scenario(sid, _build().REFERENCE_SEED), schedule, log)
    outcome = sim.run()
    assert [r.period for r in reports.reports] == [w.week for w in sim.history]
    cost = {a.id: a.cost for a in schedule.activities}
    for report, week in zip(reports.reports, sim.history, strict=True):
        assert report.evm.pv == pytest.approx(week.pv, abs=0.01)
        assert report.evm.ac == pytest.approx(week.ac, abs=0.01)
        assert report.evm.ev == pytest.approx(week.ev, rel=1e-3, abs=1)
        earned = sum(pct / 100 * cost[aid] for aid, pct in report.percent_complete.items())
        assert report.evm.ev == pytest.approx(earned, abs=0.01)
        figures = earned_value(report.evm.pv, report.evm.ev, report.evm.ac, report.evm.bac)
        for name, value in figures.figures().items():
            got = getattr(report.reported, name)
            assert (got is None) == (value is None), (report.period, name)
            if value is not None:
                assert got == pytest.approx(value, rel=1e-3, abs=0.01), (report.period, name)
    assert closure.actual_finish == outcome.actual_finish
    assert closure.actual_cost == pytest.approx(outcome.actual_cost, abs=0.01)
    assert closure.planned_finish == outcome.planned_finish


@pytest.mark.slow
def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    sid = "wms-rollout" if "wms-rollout" in IDS else IDS[0]
    written = _build().build(sid, tmp_path)
    assert written
    for path in written:
        committed = REFERENCE / path.relative_to(tmp_path)
        assert path.read_bytes() == committed.read_bytes(), committed


@pytest.mark.slow
def test_the_wheel_excludes_the_references(tmp_path: Path) -> None:
    # Built from a clean copy: setuptools' build/ folder in a work tree can keep stale
    # files, and the test must not leave one behind either.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", "test-artifacts"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(tmp_path),
         "--quiet"],
        check=True, capture_output=True, text=True,
    )
    wheel = next(tmp_path.glob("livepmo-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if "reference" in n]
    shipped = {Path(n).name for n in names if n.startswith("livepmo/scenarios/library/")}
    assert {f"{sid}.yaml" for sid in IDS} <= shipped
