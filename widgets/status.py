"""The status-report builder: weekly reports with an earned-value dashboard.

The dashboard draws the S-curve (the baseline's planned value over time with each
report's PV, EV and AC) and the CPI / SPI trend, and sets the chosen report's stated
indices beside the ones :func:`livepmo.planning.earned_value` computes from the report's
own PV, EV, AC and BAC. It only shows; the PMO review decides what counts (widgets never
grade). An index that is not defined yet (AC = 0, PV = 0) reads "not defined yet".
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

import ipywidgets as w
import plotly.graph_objects as go
from pydantic import ValidationError

from livepmo.deliverables import Deliverable, Schedule, StatusReports
from livepmo.deliverables.status import StatusReport as _Report
from livepmo.errors import LivepmoError
from livepmo.planning import EarnedValue, PlannedValueCurve, earned_value, planned_value_curve
from livepmo.widgets._builder import Builder
from livepmo.widgets._form import Rows
from livepmo.widgets._views import SavedDeliverable, redraw
from livepmo.widgets.figures.evm import evm_s_curve, index_trend

_D = TypeVar("_D", bound=Deliverable)

#: Indices in the order a status report lists them; ratios are shown to three decimals.
_INDEX_FIELDS = ("cv", "sv", "cpi", "spi", "eac", "etc", "vac", "tcpi")
_RATIOS = frozenset({"cpi", "spi", "tcpi"})
#: A stated figure within rounding of the computed one reads as agreeing (display only).
_ROUNDING = {"ratio": 0.005, "money": 1.0}
_NOT_DEFINED = "not defined yet"
_MUTED = "var(--jp-ui-font-color2, #666)"
_ERROR = "var(--jp-error-color1, #c62828)"
_GOOD = "var(--jp-success-color1, #2e7d32)"


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _show(value: float | None, field: str) -> str:
    if value is None:
        return _NOT_DEFINED
    return f"{value:,.3f}" if field in _RATIOS else _money(value)


def _cell(text: str, *, colour: str | None = None, title: str = "") -> str:
    style = "padding: 1px 12px 1px 0" + (f"; color: {colour}" if colour else "")
    tip = f' title="{html.escape(title)}"' if title else ""
    return f"<td style='{style}'{tip}>{text}</td>"


def _valid_reports(rows: Sequence[Any]) -> tuple[list[_Report], list[int]]:
    """The rows of a register being edited that are valid reports, and the indices of the
    others (left out of the charts until their problems are fixed)."""
    good: list[_Report] = []
    bad: list[int] = []
    for i, row in enumerate(rows):
        try:
            good.append(_Report.model_validate(row))
        except ValidationError:
            bad.append(i)
    return good, bad


class StatusReport(Builder[StatusReports]):
    """Write the weekly status reports (``status_reports.json``) with an EVM dashboard.

    Above the register: the S-curve (PV from the baseline in ``schedule.json`` of the same
    folder, and each report's PV, EV and AC), the CPI / SPI trend with the 1.0 line, and
    for the chosen report its stated indices beside the recomputed ones. "Fill in the
    computed indices" copies the recomputed CV, SV, CPI, SPI, EAC, ETC, VAC and TCPI into
    the chosen report; "Add the next week's report" starts a report for the week after
    the last one, with PV and BAC taken from the baseline.
    """

    MODEL = StatusReports
    #: The baseline's planned-value curve, when the folder's schedule gives one.
    _curve: PlannedValueCurve | None = None
    _curve_of: Schedule | None = None
    _curve_cached: PlannedValueCurve | None = None
    _curve_problem = ""
    #: What the charts were last drawn from: typing a narrative does not redraw them.
    _drawn: object = None

    def views(self) -> list[w.Widget]:
        self._quiet = False
        self._schedule = SavedDeliverable(self.store, Schedule)
        self.s_curve = go.FigureWidget()
        self.trend = go.FigureWidget()
        charts = w.Tab([self.s_curve, self.trend])
        charts.set_title(0, "S-curve (PV / EV / AC)")
        charts.set_title(1, "CPI / SPI trend")
        self.notes = w.HTML()
        self.comparison = w.HTML()
        self.fill_button = w.Button(
            description="Fill in the computed indices",
            icon="calculator",
            layout=w.Layout(width="auto"),
            tooltip="Copy CV, SV, CPI, SPI, EAC, ETC, VAC and TCPI computed from this "
            "report's PV, EV, AC and BAC into its reported figures",
        )
        self.next_button = w.Button(
            description="Add the next week's report",
            icon="plus",
            layout=w.Layout(width="auto"),
            tooltip="Start a report for the week after the last one, with PV and BAC from "
            "the baseline schedule",
        )
        self.fill_button.on_click(lambda _: self.fill_indices())
        self.next_button.on_click(lambda _: self.add_next_report())
        self.rows.picker.observe(lambda _: self._show_comparison(), names="value")
        heading = w.HTML("<b>The chosen report's figures: stated and recomputed</b>")
        return [
            self.notes,
            charts,
            heading,
            self.comparison,
            w.HBox([self.fill_button, self.next_button]),
        ]

    @property
    def rows(self) -> Rows:
        """The register of reports (its list, buttons and the chosen report's form)."""
        rows = self.form.find("reports")
        assert isinstance(rows, Rows)
        return rows

    # -- live views -------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._quiet:
            return
        reports, bad = _valid_reports(self.rows.rows)
        schedule, why = self._schedule.get()
        notes: list[str] = []
        if schedule is None:
            curve = None
            notes.append(f"{why} Without it the S-curve shows the reported figures only.")
        else:
            curve, problem = self._curve_from(schedule)
            if problem:
                notes.append(f"The planned-value curve cannot be drawn: {html.escape(problem)}")
        if curve is not None and curve.source != "baseline":
            notes.append(
                "The schedule has no approved baseline yet: the planned "
                "value follows its early dates."
            )
        if bad:
            notes.append(
                f"{len(bad)} report{'s are' if len(bad) > 1 else ' is'} left out of the charts "
                "until its problems are fixed (Save shows them): "
                + ", ".join(f"#{i + 1}" for i in bad)
            )
        self._curve = curve
        self.notes.value = "".join(f"<div style='color: {_MUTED}'>{n}</div>" for n in notes)
        currency = (
            schedule.currency
            if schedule is not None
            else (self.scenario.currency if self.scenario is not None else "")
        )
        drawn = (id(curve), currency, [(r.period, r.period_end, r.evm) for r in reports])
        if drawn != self._drawn:
            self._drawn = drawn
            redraw(self.s_curve, evm_s_curve(reports, curve, currency=currency))
            redraw(self.trend, index_trend(reports))
        self._show_comparison()

    def _curve_from(self, schedule: Schedule) -> tuple[PlannedValueCurve | None, str]:
        """The schedule's planned-value curve, or why there is none; computed once per
        schedule file (typing in a report does not change it)."""
        if schedule is not self._curve_of:
            try:
                self._curve_cached, self._curve_problem = planned_value_curve(schedule), ""
            except LivepmoError as exc:
                self._curve_cached, self._curve_problem = None, str(exc)
            self._curve_of = schedule
        return self._curve_cached, self._curve_problem

    def _chosen(self) -> tuple[int, _Report] | None:
        """The chosen report, when it is a valid one."""
        i = self.rows.index
        if i is None:
            return None
        good, _ = _valid_reports([self.rows.rows[i]])
        return (i, good[0]) if good else None

    def _show_comparison(self) -> None:
        chosen = self._chosen()
        self.fill_button.disabled = chosen is None
        if chosen is None:
            self.comparison.value = (
                f"<div style='color: {_MUTED}'>"
                + (
                    "Choose a report in the list below."
                    if self.rows.index is None
                    else "This report has problems (Save shows them beside the fields): fix "
                    "PV, EV, AC, BAC, the period and its dates to compare its figures."
                )
                + "</div>"
            )
            return
        _, report = chosen
        self.comparison.value = _comparison_html(report, self._curve)

    # -- actions ------------------------------------------------------------------------------

    def fill_indices(self) -> None:
        """Write the indices computed from the chosen report's PV, EV, AC and BAC into its
        reported figures (undefined ones are left blank)."""
        chosen = self._chosen()
        if chosen is None:
            return
        i, report = chosen
        figures = _figures(report).figures()
        self._quietly(
            [
                partial(
                    self.form.find(f"reports[{i}].reported.{f}").set,
                    None if v is None else round(v, 4 if f in _RATIOS else 2),
                )
                for f, v in figures.items()
            ]
        )

    def add_next_report(self) -> int:
        """Add a report for the week after the last one and choose it; returns its index.

        The period, its dates, PV (the baseline's planned value at the period end) and BAC
        are filled in; EV, AC, the RAG status and the narrative are the learner's.
        """
        reports, _ = _valid_reports(self.rows.rows)
        last = max(reports, key=lambda r: r.period, default=None)
        schedule, _ = self._schedule.get()
        if last is not None:
            start = last.period_end + dt.timedelta(days=1)
        elif schedule is not None:
            start = schedule.project_start
        elif self.scenario is not None:
            start = self.scenario.start
        else:
            start = dt.date.today()
        while start.weekday() >= 5:  # a week's report starts on its first weekday
            start += dt.timedelta(days=1)
        end = start + dt.timedelta(days=4 - start.weekday())
        curve = self._curve
        bac = curve.bac if curve is not None else (last.evm.bac if last is not None else 0.0)
        row = {
            "period": last.period + 1 if last is not None else 1,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "rag": "green",
            "evm": {
                "pv": round(curve.at(end), 2) if curve is not None else 0.0,
                "ev": 0.0,
                "ac": 0.0,
                "bac": bac,
            },
        }
        return self.rows.add(row)

    def _quietly(self, steps: Sequence[Callable[[], object]]) -> None:
        """Run several form edits and redraw once at the end, not after each one."""
        self._quiet = True
        try:
            for step in steps:
                step()
        finally:
            self._quiet = False
        self.refresh()


def _figures(report: _Report) -> EarnedValue:
    e = report.evm
    return earned_value(e.pv, e.ev, e.ac, e.bac)


def _comparison_html(report: _Report, curve: PlannedValueCurve | None = None) -> str:
    """One report's stated indices beside the recomputed ones, as an HTML table.

    With the baseline's planned-value ``curve``, the stated PV is also set beside the
    planned value of the baseline at the period end.
    """
    ev = _figures(report)
    head = (
        f"<div>Week {report.period} ({report.period_start} – {report.period_end}): "
        f"PV {_money(ev.pv)}, EV {_money(ev.ev)}, AC {_money(ev.ac)}, "
        f"BAC {_money(ev.bac)}</div>"
    )
    if curve is not None:
        planned = curve.at(report.period_end)
        same = abs(planned - ev.pv) <= _ROUNDING["money"]
        head += (
            f"<div>The baseline plans {_money(planned)} by {report.period_end}: the "
            f"stated PV {'agrees' if same else 'differs by ' + _money(ev.pv - planned)}"
            ".</div>"
        )
    rows = [
        "<tr>"
        + "".join(
            f"<th style='text-align: left; padding-right: 12px'>{h}</th>"
            for h in ("Figure", "Stated", "Recomputed", "")
        )
        + "</tr>"
    ]
    computed = ev.figures()
    for field in _INDEX_FIELDS:
        stated = getattr(report.reported, field)
        value = computed[field]
        reason = ev.undefined.get(field, "")
        if value is None:
            remark, colour = "", _MUTED
        elif stated is None:
            remark, colour = "not stated", _MUTED
        else:
            kind = "ratio" if field in _RATIOS else "money"
            gap = stated - value
            agrees = abs(gap) <= _ROUNDING[kind]
            remark = "✓ agrees" if agrees else f"differs by {_show(gap, field)}"
            colour = _GOOD if agrees else _ERROR
        rows.append(
            "<tr>"
            + _cell(field.upper())
            + _cell("—" if stated is None else _show(stated, field))
            + _cell(_show(value, field), colour=_MUTED if value is None else None, title=reason)
            + _cell(html.escape(reason) if value is None else remark, colour=colour)
            + "</tr>"
        )
    notes = "".join(f"<div style='color: {_MUTED}'>{html.escape(n)}</div>" for n in ev.notes)
    return (
        f"<div style='color: var(--jp-ui-font-color1)'>{head}"
        f"<table style='margin: 4px 0'>{''.join(rows)}</table>{notes}</div>"
    )
