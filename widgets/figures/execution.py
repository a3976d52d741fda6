"""The execution weeks in pictures: the forecast finish and cost, week by week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from livepmo.execution import WeekState
from livepmo.widgets.figures._theme import ACTUAL, CRITICAL, MUTED, NORMAL, styled


def forecast_figure(
    weeks: Sequence[WeekState],
    *,
    deadline: dt.date | None = None,
    budget: float | None = None,
    currency: str = "EUR",
) -> go.Figure:
    """The forecast finish and the cost forecast (EAC) at the end of every week so far.

    Top: the forecast finish date against the deadline; bottom: the estimate at completion
    and the actual cost so far against the budget. Weeks whose forecast is past the
    deadline or over the budget are marked in the critical colour. ``weeks`` are the
    simulation's week states (``Simulation.history`` or ``replay(...)``).
    """
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.14,
        subplot_titles=("Forecast finish", f"Cost, {currency}"),
    )
    x = [s.week for s in weeks]
    span = [min(x, default=1), max(x, default=1)]
    finish = [s.forecast.finish for s in weeks]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=finish,
            mode="lines+markers",
            name="Forecast finish",
            line={"color": NORMAL},
            marker={
                "color": [
                    CRITICAL if deadline is not None and f > deadline else NORMAL for f in finish
                ],
                "size": 7,
            },
            hovertemplate="week %{x}: finish %{y|%d %b %Y}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=span if deadline is not None else [],
            y=[deadline, deadline] if deadline else [],
            mode="lines",
            name="Deadline",
            line={"color": CRITICAL, "dash": "dash"},
            hovertemplate="deadline %{y|%d %b %Y}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    eac = [s.forecast.cost for s in weeks]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=eac,
            mode="lines+markers",
            name="Cost forecast (EAC)",
            line={"color": NORMAL},
            marker={
                "color": [CRITICAL if budget is not None and c > budget else NORMAL for c in eac],
                "size": 7,
            },
            hovertemplate="week %{x}: EAC %{y:,.0f}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[s.ac for s in weeks],
            mode="lines",
            name="Actual cost so far",
            line={"color": ACTUAL},
            hovertemplate="week %{x}: AC %{y:,.0f}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=span if budget is not None else [],
            y=[budget, budget] if budget is not None else [],
            mode="lines",
            name="Budget",
            line={"color": MUTED, "dash": "dash"},
            hovertemplate="budget %{y:,.0f}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    fig.update_xaxes(title_text="week", row=2, col=1, dtick=1 if len(x) <= 20 else None)
    fig.update_yaxes(tickformat="%d %b %Y", row=1, col=1)
    fig.update_yaxes(tickformat=",.0f", row=2, col=1)
    return styled(fig, "Forecast week by week", height=460)


# -- the console --------------------------------------------------------------------------
