"""The course's look: plotly_white, in a template that is cheap to set on every figure."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from livepmo.widgets.figures._theme import TEMPLATE, TRACES, course_template, styled

WIDGETS = Path(__file__).resolve().parents[2] / "widgets"


def test_the_course_template_is_plotly_white_for_what_the_course_draws() -> None:
    white = pio.templates["plotly_white"].to_plotly_json()
    ours = course_template().to_plotly_json()
    kept = {k: v for k, v in white["layout"].items() if k not in ("geo", "polar", "scene",
                                                                   "ternary")}
    assert ours["layout"] == kept
    assert ours["data"] == {kind: white["data"][kind] for kind in TRACES}


def test_every_trace_type_the_course_draws_keeps_its_plotly_white_style() -> None:
    # A trace type added to a figure later must be added to TRACES, or it would lose the
    # look plotly_white gives it.
    styled_by_white = set(pio.templates["plotly_white"].to_plotly_json()["data"])
    drawn = {name.lower() for path in WIDGETS.rglob("*.py")
             for name in re.findall(r"\bgo\.([A-Z]\w*)\(", path.read_text())}
    drawn -= {"figure", "figurewidget"}
    assert drawn, "no traces found: the scan is broken"
    assert drawn & styled_by_white <= set(TRACES)


def test_a_styled_figure_carries_the_course_template() -> None:
    fig = styled(go.Figure(go.Bar(x=[1], y=[2])), "A title")
    assert fig.layout.template.to_plotly_json() == pio.templates[TEMPLATE].to_plotly_json()
    assert fig.layout.template.layout.plot_bgcolor == "white"
