"""Every picture as a plain function from a deliverable (or a computed result) to a
plotly figure, so builders, memos, decks and reports draw the same pictures."""

from __future__ import annotations

from livepmo.widgets.figures.evm import evm_s_curve, index_trend
from livepmo.widgets.figures.execution import forecast_figure
from livepmo.widgets.figures.risks import risk_heatmap
from livepmo.widgets.figures.schedule import finish_histogram, gantt_figure, sensitivity_tornado
from livepmo.widgets.figures.stakeholders import engagement_chart, power_interest_grid

__all__ = [
    "engagement_chart",
    "evm_s_curve",
    "finish_histogram",
    "forecast_figure",
    "gantt_figure",
    "index_trend",
    "power_interest_grid",
    "risk_heatmap",
    "sensitivity_tornado",
]
