"""The example ERP rollout is a complete, valid and self-consistent deliverable set."""

from __future__ import annotations

from pathlib import Path

import pytest

from livepmo.cli import main
from livepmo.deliverables import (
    KINDS,
    ChangeLog,
    Charter,
    ClosureReport,
    RiskRegister,
    Schedule,
    StakeholderRegister,
    StatusReports,
)
from livepmo.planning import critical_path, simulate
from livepmo.storage import DeliverableStore

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "erp-rollout" / "deliverables"


@pytest.fixture(scope="module")
def store() -> DeliverableStore:
    return DeliverableStore(EXAMPLE)


def test_the_example_has_every_deliverable_and_all_are_valid(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(EXAMPLE)]) == 0
    # Every deliverable; no project assignment, as KOMPASS is not a scenario of the library.
    assert sorted(p.stem for p in EXAMPLE.glob("*.json")) == sorted(set(KINDS) - {"project"})
    assert "12 file(s) checked, 0 invalid" in capsys.readouterr().err


def test_budget_is_activity_costs_plus_contingency(store: DeliverableStore) -> None:
    charter, schedule = store.load(Charter), store.load(Schedule)
    assert charter and schedule
    activity_cost = sum(a.cost for a in schedule.activities)
    assert activity_cost + charter.budget.contingency == pytest.approx(charter.budget.total)


def test_schedule_window_and_deadline_match_the_charter(store: DeliverableStore) -> None:
    charter, schedule = store.load(Charter), store.load(Schedule)
    assert charter and schedule
    assert schedule.project_start == charter.start_date
    assert schedule.deadline == charter.target_finish


def test_every_risk_owner_is_a_stakeholder(store: DeliverableStore) -> None:
    risks, register = store.load(RiskRegister), store.load(StakeholderRegister)
    assert risks and register
    names = {s.name for s in register.stakeholders}
    assert {r.owner for r in risks.risks} <= names


def test_change_impacts_name_real_activities(store: DeliverableStore) -> None:
    changes, schedule = store.load(ChangeLog), store.load(Schedule)
    assert changes and schedule
    ids = {a.id for a in schedule.activities}
    for cr in changes.requests:
        assert cr.impact is not None
        assert set(cr.impact.affected_activities) <= ids, cr.id


def test_earned_value_is_percent_complete_times_activity_cost(store: DeliverableStore) -> None:
    reports, schedule = store.load(StatusReports), store.load(Schedule)
    assert reports and schedule
    cost = {a.id: a.cost for a in schedule.activities}
    for report in reports.reports:
        earned = sum(pct / 100 * cost[aid] for aid, pct in report.percent_complete.items())
        assert earned == pytest.approx(report.evm.ev, abs=1), report.period


def test_closure_change_statistics_agree_with_the_change_log(store: DeliverableStore) -> None:
    closure, changes = store.load(ClosureReport), store.load(ChangeLog)
    assert closure and changes
    outcomes = [c.decision.outcome for c in changes.requests if c.decision]
    assert closure.changes.raised == len(changes.requests)
    assert closure.changes.approved == outcomes.count("approve")
    assert closure.changes.rejected == outcomes.count("reject")
    assert closure.changes.deferred == outcomes.count("defer")


def test_baseline_is_the_planning_engines_early_dates(store: DeliverableStore) -> None:
    schedule = store.load(Schedule)
    assert schedule and schedule.baseline
    cpm = critical_path(schedule)
    for entry_id, entry in schedule.baseline.activities.items():
        times = cpm.activity(entry_id)
        assert (times.early_start_date, times.early_finish_date) == (
            entry.start,
            entry.finish,
        ), entry_id
    assert cpm.finish_date == schedule.baseline.finish


def test_the_example_plan_meets_its_deadline_at_p80(store: DeliverableStore) -> None:
    schedule = store.load(Schedule)
    assert schedule
    assert critical_path(schedule).meets_deadline
    risk = simulate(schedule, seed=1, iterations=2000)
    assert risk.deadline_probability is not None
    assert risk.deadline_probability >= 0.8
