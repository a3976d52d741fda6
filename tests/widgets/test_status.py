"""The status-report builder and its EVM dashboard, and the plain EVM figures."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest

from livepmo.deliverables import Schedule, StatusReports
from livepmo.planning import earned_value, planned_value_curve
from livepmo.storage import DeliverableStore
from livepmo.widgets.figures.evm import evm_s_curve, index_trend
from livepmo.widgets.status import StatusReport

from .conftest import reference


@pytest.fixture
def execution(folder: Path) -> Path:
    """A deliverables folder holding the reference execution-gate files (schedule too)."""
    shutil.copytree(reference("03-execution"), folder)
    return folder


def fill(builder: StatusReport, path: str, value: object) -> None:
    """Type a value into the field at ``path``, as a learner would."""
    builder.form.find(path).control.value = value  # type: ignore[attr-defined]


def saved_reports(folder: Path) -> list[dict[str, Any]]:
    reports: list[dict[str, Any]] = json.loads((folder / "status_reports.json").read_text())[
        "reports"
    ]
    return reports


def trace(fig: Any, name: str) -> Any:
    return next(t for t in fig.data if t.name == name)


def test_an_empty_register_draws_empty_charts_and_saves(folder: Path) -> None:
    b = StatusReport(folder)
    assert b.rows.rows == []
    assert [t.name for t in b.s_curve.data] == ["PV", "EV", "AC"]
    assert all(len(t.y) == 0 for t in b.s_curve.data)
    assert [t.name for t in b.trend.data] == ["CPI", "SPI"]
    assert "no schedule.json" in b.notes.value
    assert "Choose a report" in b.comparison.value
    assert b.fill_button.disabled
    assert b.save() is not None
    assert saved_reports(folder) == []


def test_the_reference_reports_load_and_the_s_curve_has_their_pv_ev_ac(
    execution: Path,
) -> None:
    b = StatusReport(execution)
    saved = saved_reports(execution)
    assert len(b.rows.rows) == len(saved)
    for name, field in (("PV", "pv"), ("EV", "ev"), ("AC", "ac")):
        assert list(trace(b.s_curve, name).y) == [r["evm"][field] for r in saved]
    ends = [str(d) for d in trace(b.s_curve, "EV").x]
    assert ends == [r["period_end"] for r in saved]


def test_the_s_curve_draws_the_baseline_planned_value(execution: Path) -> None:
    b = StatusReport(execution)
    schedule = DeliverableStore(execution).load(Schedule)
    assert schedule is not None
    curve = planned_value_curve(schedule)
    baseline = trace(b.s_curve, "PV (baseline)")
    assert list(baseline.y) == pytest.approx(curve.cumulative.tolist())
    assert baseline.y[-1] == pytest.approx(curve.bac)
    assert "agrees" in b.comparison.value  # the reference's PV follows the baseline


def test_the_trend_has_each_periods_cpi_and_spi_and_the_one_line(execution: Path) -> None:
    b = StatusReport(execution)
    saved = saved_reports(execution)
    expected = [earned_value(**r["evm"]) for r in saved]
    assert list(trace(b.trend, "CPI").x) == [r["period"] for r in saved]
    assert list(trace(b.trend, "CPI").y) == pytest.approx([e.cpi for e in expected])
    assert list(trace(b.trend, "SPI").y) == pytest.approx([e.spi for e in expected])
    assert any(s.y0 == s.y1 == 1.0 for s in b.trend.layout.shapes)


def test_ac_of_zero_reads_not_defined_and_leaves_a_gap_not_nan(execution: Path) -> None:
    b = StatusReport(execution)
    b.rows.choose(0)
    fill(b, "reports[0].evm.ac", 0.0)
    assert "not defined yet" in b.comparison.value
    assert "AC is 0" in b.comparison.value
    cpi = list(trace(b.trend, "CPI").y)
    assert cpi[0] is None
    assert all(v is None or math.isfinite(v) for v in cpi)
    assert "nan" not in b.comparison.value.lower()
    assert "inf" not in b.comparison.value.lower()


def test_a_stated_index_that_differs_from_the_recomputed_one_is_shown(
    execution: Path,
) -> None:
    b = StatusReport(execution)
    b.rows.choose(2)
    fill(b, "reports[2].reported.cpi", "0.9")
    assert "differs by" in b.comparison.value


def test_fill_in_the_computed_indices_writes_them_and_save_keeps_them(
    execution: Path,
) -> None:
    b = StatusReport(execution)
    b.rows.choose(3)
    for field in ("cv", "cpi", "tcpi"):
        fill(b, f"reports[3].reported.{field}", "")
    b.fill_button.click()
    b.save_button.click()
    report = saved_reports(execution)[3]
    expected = earned_value(**report["evm"]).figures()
    for field, value in expected.items():
        assert report["reported"][field] == pytest.approx(value, rel=1e-4, abs=0.01)


def test_the_next_weeks_report_starts_with_the_baselines_pv(
    folder: Path,
) -> None:
    shutil.copytree(reference("02-planning"), folder)
    b = StatusReport(folder)
    b.next_button.click()
    b.next_button.click()
    schedule = DeliverableStore(folder).load(Schedule)
    assert schedule is not None
    curve = planned_value_curve(schedule)
    first, second = b.rows.rows
    assert (first["period"], second["period"]) == (1, 2)
    assert first["period_start"] == schedule.project_start.isoformat()
    assert second["evm"]["pv"] == pytest.approx(
        curve.at(schedule.project_start.fromisoformat(second["period_end"])), abs=0.01
    )
    assert second["evm"]["bac"] == pytest.approx(curve.bac)
    fill(b, "reports[1].evm.ev", 1_000.0)
    assert b.save() is not None


def test_invalid_input_shows_the_problem_and_writes_nothing(execution: Path) -> None:
    b = StatusReport(execution)
    original = (execution / "status_reports.json").read_bytes()
    b.rows.choose(1)
    fill(b, "reports[1].evm.pv", 9e9)  # more than the budget at completion
    b.save_button.click()
    assert (execution / "status_reports.json").read_bytes() == original
    assert "Not saved" in b.status.value
    assert "exceeds BAC" in b.form.find("reports[1].evm.pv").errors.value


def test_a_report_with_problems_is_left_out_of_the_charts_and_named(
    execution: Path,
) -> None:
    b = StatusReport(execution)
    b.rows.choose(1)
    fill(b, "reports[1].period_start", None)
    assert len(trace(b.s_curve, "EV").y) == len(b.rows.rows) - 1
    assert "#2" in b.notes.value
    assert "has problems" in b.comparison.value


def test_a_restart_restores_the_saved_reports(execution: Path) -> None:
    b = StatusReport(execution)
    b.rows.choose(0)
    fill(b, "reports[0].variance_explanation", "Licences paid up front: cost ahead of plan.")
    b.save_button.click()
    again = StatusReport(execution)  # the cell run again after a kernel restart
    assert again.rows.rows == b.rows.rows
    assert again.rows.rows[0]["variance_explanation"].startswith("Licences paid")
    assert list(trace(again.s_curve, "AC").y) == list(trace(b.s_curve, "AC").y)


def test_the_figures_are_plain_functions_of_the_deliverables(execution: Path) -> None:
    store = DeliverableStore(execution)
    reports, schedule = store.load(StatusReports), store.load(Schedule)
    assert reports is not None and schedule is not None
    s_curve = evm_s_curve(reports, schedule, currency="EUR")
    assert [t.name for t in s_curve.data] == ["PV (baseline)", "PV", "EV", "AC"]
    assert s_curve.layout.width == 860
    trend = index_trend(reports.reports[:3])
    assert list(trace(trend, "SPI").x) == [1, 2, 3]
