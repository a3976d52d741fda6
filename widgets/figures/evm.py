"""Earned-value pictures: the PV / EV / AC S-curve and the CPI / SPI trend.

Both are plain functions of the status reports (and, for the S-curve, the baseline
schedule), so the status builder, feedback memos and steering-committee decks draw the
same pictures. Indices come from :func:`livepmo.planning.earned_value_per_period`; an
index that is not defined yet (CPI while AC is 0, SPI while PV is 0) is a gap in its
line, never NaN or infinity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import plotly.graph_objects as go

from livepmo.deliverables import Schedule, StatusReports
from livepmo.deliverables.status import StatusReport
from livepmo.planning import PlannedValueCurve, earned_value_per_period, planned_value_curve
from livepmo.widgets.figures._theme import ACTUAL, GOOD, MUTED, NORMAL, WARN, styled

Reports = StatusReports | Iterable[StatusReport]


def _ordered(reports: Reports) -> list[StatusReport]:
    """The reports oldest first (a register being edited may be out of order)."""
    items = reports.reports if isinstance(reports, StatusReports) else list(reports)
    return sorted(items, key=lambda r: r.period)


def evm_s_curve(
    reports: Reports,
    baseline: Schedule | PlannedValueCurve | None = None,
    *,
    currency: str = "",
) -> go.Figure:
    """The S-curve: the baseline's planned value over time and each report's PV, EV and AC.

    ``baseline`` is the schedule (its planned-value curve is computed with
    :func:`~livepmo.planning.planned_value_curve`) or a curve already computed; without
    it only the reported figures are drawn. Traces, in order: ``PV (baseline)`` when
    there is a baseline, then ``PV``, ``EV`` and ``AC`` at each report's period end; the
    budget at completion of the latest report is a dashed line.
    """
    items = _ordered(reports)
    curve = planned_value_curve(baseline) if isinstance(baseline, Schedule) else baseline
    fig = go.Figure()
    if curve is not None and len(curve.dates):
        fig.add_trace(
            go.Scatter(
                x=curve.dates.astype(object).tolist(),
                y=curve.cumulative.tolist(),
                name="PV (baseline)",
                mode="lines",
                line={"color": NORMAL, "width": 1.5},
                opacity=0.55,
                hovertemplate="%{x|%Y-%m-%d}: planned %{y:,.0f}<extra>PV (baseline)</extra>",
            )
        )
    ends: list[date] = [r.period_end for r in items]
    periods = [r.period for r in items]
    for name, values, colour, dash in (
        ("PV", [r.evm.pv for r in items], NORMAL, "dot"),
        ("EV", [r.evm.ev for r in items], GOOD, "solid"),
        ("AC", [r.evm.ac for r in items], ACTUAL, "solid"),
    ):
        fig.add_trace(
            go.Scatter(
                x=ends,
                y=values,
                name=name,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2.5},
                marker={"size": 5},
                customdata=periods,
                hovertemplate=f"week %{{customdata}}: {name} %{{y:,.0f}}<extra></extra>",
            )
        )
    if items:
        bac = items[-1].evm.bac
        fig.add_hline(
            y=bac,
            line={"color": MUTED, "dash": "dash", "width": 1},
            annotation_text=f"BAC {bac:,.0f}",
            annotation_position="top left",
        )
    styled(fig, "Earned value: planned, earned and actual cost to date")
    fig.update_layout(
        xaxis_title="Period end",
        yaxis_title=f"Cumulative {currency}".strip() if currency else "Cumulative amount",
        hovermode="x unified",
    )
    if not items:
        _say_empty(fig, "No status reports yet: the reported PV, EV and AC appear here")
    return fig


def index_trend(reports: Reports) -> go.Figure:
    """CPI and SPI per period, recomputed from each report's PV, EV and AC, with the 1.0 line.

    Above 1.0 is under budget (CPI) or ahead of plan (SPI). A period whose index is not
    defined yet (AC = 0 or PV = 0) is a gap in the line. Traces: ``CPI``, ``SPI``.
    """
    items = _ordered(reports)
    figures = earned_value_per_period(items)
    periods = [r.period for r in items]
    fig = go.Figure()
    for name, values, colour in (
        ("CPI", [figures[p].cpi for p in periods], ACTUAL),
        ("SPI", [figures[p].spi for p in periods], NORMAL),
    ):
        fig.add_trace(
            go.Scatter(
                x=periods,
                y=values,
                name=name,
                mode="lines+markers",
                line={"color": colour, "width": 2.5},
                marker={"size": 6},
                connectgaps=False,
                hovertemplate=f"week %{{x}}: {name} %{{y:.2f}}<extra></extra>",
            )
        )
    fig.add_hline(
        y=1.0,
        line={"color": WARN, "dash": "dash", "width": 1.5},
        annotation_text="1.0 = on plan",
        annotation_position="bottom right",
    )
    styled(fig, "Cost and schedule performance (CPI, SPI) by period", height=320)
    fig.update_layout(
        xaxis_title="Period (project week)", yaxis_title="Index", hovermode="x unified"
    )
    fig.update_xaxes(tick0=1, dtick=_tick_step(periods))
    if not items:
        _say_empty(fig, "No status reports yet: CPI and SPI appear here")
    return fig


def _tick_step(periods: Sequence[int]) -> int:
    """A whole-week tick step that keeps about ten labels on the axis."""
    span = (max(periods) - min(periods)) if periods else 0
    return max(1, round(span / 10))


def _say_empty(fig: go.Figure, text: str) -> None:
    fig.add_annotation(
        text=text,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font={"color": MUTED, "size": 14},
    )
