"""Objective and bound over solve time."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from optimizer.model.result import ProgressPoint, Result


def progress_chart(progress: Result | Sequence[ProgressPoint]) -> go.Figure:
    """Step lines of incumbent objective and best bound against seconds."""
    points = progress.progress if isinstance(progress, Result) else list(progress)
    seconds = [p.seconds for p in points]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=seconds,
            y=[p.objective for p in points],
            mode="lines+markers",
            line={"shape": "hv", "color": "#4e79a7"},
            name="objective",
        )
    )
    bounds = [(p.seconds, p.bound) for p in points if p.bound is not None]
    fig.add_trace(
        go.Scatter(
            x=[s for s, _ in bounds],
            y=[b for _, b in bounds],
            mode="lines+markers",
            line={"shape": "hv", "color": "#59a14f", "dash": "dot"},
            name="bound",
        )
    )
    fig.update_layout(
        title="Solve progress",
        height=280,
        xaxis={"title": "seconds", "rangemode": "tozero"},
        yaxis={"title": "penalty"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
    )
    return fig
