"""One look for every figure: readable at JupyterLab's default width, light or dark theme.

Figures use a white plotting card (``plotly_white``): in the dark theme it reads as a
white card rather than black text on a dark page. Colours are the Okabe–Ito palette, told
apart by colour-blind readers too.
"""

from __future__ import annotations

import plotly.graph_objects as go

#: Okabe–Ito colours by meaning.
CRITICAL = "#D55E00"  # vermilion: critical, late, over budget, high
NORMAL = "#0072B2"  # blue: on plan, planned value
GOOD = "#009E73"  # green: earned, done, low
WARN = "#E69F00"  # orange: amber, medium
MUTED = "#999999"  # grey: finished, out of focus
ACTUAL = "#CC79A7"  # purple: actual cost
#: Default figure width in pixels: fits JupyterLab's default notebook width.
WIDTH = 860


def styled(fig: go.Figure, title: str, *, height: int = 420) -> go.Figure:
    """Give ``fig`` the common look and its title; returns it."""
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        height=height,
        width=WIDTH,
        margin={"l": 60, "r": 20, "t": 50, "b": 45},
        font={"size": 12},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
    )
    return fig
