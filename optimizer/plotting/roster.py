"""Roster figures: the staff × day grid, coverage heatmap, minutes against contract."""

from __future__ import annotations

import plotly.graph_objects as go

from optimizer.model.result import Result, RosterSolution
from optimizer.model.roster import RosterProblem
from optimizer.plotting._common import (
    LEAVE_COLOUR,
    OFF_COLOUR,
    assigned_counts,
    colour,
    day_labels,
    minutes_worked,
    roster_of,
)

_ROW_PX = 22


def _discrete_scale(colours: list[str]) -> list[tuple[float, str]]:
    """A plotly colourscale mapping integer codes 0..n-1 to flat colours."""
    n = len(colours)
    scale: list[tuple[float, str]] = []
    for i, c in enumerate(colours):
        scale.append((i / n, c))
        scale.append(((i + 1) / n, c))
    return scale


def roster_grid(problem: RosterProblem, result: Result | RosterSolution | None) -> go.Figure:
    """Staff × days heatmap coloured by shift; leave in grey, requests marked.

    Cell text is the shift id ("Lv" for leave). A ✓ / ✗ marker sits on each
    request cell: ✓ granted, ✗ not granted (hover for the detail).
    """
    roster = roster_of(result).by_staff_day()
    codes = {s.id: i + 2 for i, s in enumerate(problem.shifts)}
    colours = [OFF_COLOUR, LEAVE_COLOUR] + [colour(i) for i in range(len(problem.shifts))]
    leave: dict[tuple[str, int], str] = {}
    for u in problem.unavailability:
        if u.whole_day:
            for d in range(u.first_day, min(u.last_day, problem.num_days - 1) + 1):
                leave[(u.staff, d)] = u.reason
    days = day_labels(problem)
    names = [p.label for p in problem.staff]
    z: list[list[int]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for person in problem.staff:
        z_row, t_row, h_row = [], [], []
        for d in range(problem.num_days):
            shift = roster.get((person.id, d))
            reason = leave.get((person.id, d))
            if shift is not None:
                code, label = codes.get(shift, 0), shift
                what = problem.shift(shift).label if shift in codes else shift
            elif reason is not None:
                code, label, what = 1, "Lv", f"off ({reason})"
            else:
                code, label, what = 0, "", "off"
            z_row.append(code)
            t_row.append(label)
            h_row.append(f"{person.label}<br>{days[d]}<br>{what}")
        z.append(z_row)
        text.append(t_row)
        hover.append(h_row)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=days,
            y=names,
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale=_discrete_scale(colours),
            zmin=-0.5,
            zmax=len(colours) - 0.5,
            showscale=False,
            xgap=1,
            ygap=1,
        )
    )
    _add_requests(fig, problem, roster, names, days)
    legend = [("off", OFF_COLOUR), ("leave", LEAVE_COLOUR)] + [
        (s.label, colour(i)) for i, s in enumerate(problem.shifts)
    ]
    for label, c in legend:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 12, "color": c, "symbol": "square"},
                name=label,
            )
        )
    fig.update_layout(
        title="Roster",
        height=max(300, 120 + _ROW_PX * len(names)),
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"type": "category", "side": "top", "tickangle": -60},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 90, "b": 40},
        plot_bgcolor="white",
    )
    return fig


def _add_requests(
    fig: go.Figure,
    problem: RosterProblem,
    roster: dict[tuple[str, int], str],
    names: list[str],
    days: list[str],
) -> None:
    """Overlay request markers: ✓ granted, ✗ not granted."""
    xs: list[str] = []
    ys: list[str] = []
    symbols: list[str] = []
    hover: list[str] = []
    label = {p.id: p.label for p in problem.staff}
    for r in problem.requests:
        if r.staff not in label or r.day >= problem.num_days:
            continue
        worked = roster.get((r.staff, r.day))
        hit = worked is not None if r.shift is None else worked == r.shift
        granted = hit if r.want else not hit
        what = "any shift" if r.shift is None else r.shift
        verb = "wants" if r.want else "does not want"
        xs.append(days[r.day])
        ys.append(label[r.staff])
        symbols.append("✓" if granted else "✗")
        state = "granted" if granted else "NOT granted"
        hover.append(f"{label[r.staff]} {verb} {what} on {days[r.day]}: {state} (w {r.weight})")
    if xs:
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="text",
                text=symbols,
                textposition="top right",
                textfont={"size": 10, "color": "black"},
                hovertext=hover,
                hoverinfo="text",
                name="request ✓ granted / ✗ not",
            )
        )


def coverage_heatmap(problem: RosterProblem, result: Result | RosterSolution | None) -> go.Figure:
    """Demand vs assigned per (shift, skill) row and day; red short, blue over."""
    counts = assigned_counts(problem, roster_of(result))
    days = day_labels(problem)
    rows = sorted(
        {(c.shift, c.skill) for c in problem.cover},
        key=lambda k: (problem.shift_index.get(k[0], 0), k[1] or ""),
    )
    required = {(c.day, c.shift, c.skill): c.required for c in problem.cover}
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    labels = [f"{shift} · {skill or 'all'}" for shift, skill in rows]
    for (shift, skill), label in zip(rows, labels, strict=True):
        z_row: list[float | None] = []
        t_row: list[str] = []
        h_row: list[str] = []
        for d in range(problem.num_days):
            need = required.get((d, shift, skill))
            have = counts.get((d, shift, skill), 0)
            if need is None:
                z_row.append(None)
                t_row.append("")
                h_row.append(f"{label}<br>{days[d]}<br>no demand ({have} on)")
                continue
            z_row.append(have - need)
            t_row.append(f"{have}/{need}")
            h_row.append(f"{label}<br>{days[d]}<br>assigned {have}, required {need}")
        z.append(z_row)
        text.append(t_row)
        hover.append(h_row)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=days,
            y=labels,
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale=[(0.0, "#d73027"), (0.5, "#ffffff"), (1.0, "#4575b4")],
            zmid=0,
            zmin=-3,
            zmax=3,
            colorbar={"title": "assigned − required"},
            xgap=1,
            ygap=1,
        )
    )
    fig.update_layout(
        title="Coverage: assigned / required",
        height=max(260, 120 + 26 * len(labels)),
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"type": "category", "tickangle": -60},
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return fig


def minutes_vs_contract(
    problem: RosterProblem, result: Result | RosterSolution | None
) -> go.Figure:
    """Worked hours per person as bars with the contract's min/max as markers."""
    worked = minutes_worked(problem, roster_of(result))
    names = [p.label for p in problem.staff]
    hours = [worked[p.id] / 60 for p in problem.staff]
    lows = [problem.minimum_minutes(e) / 60 for e in range(len(problem.staff))]
    why = [
        f" (contract {p.contract.min_minutes / 60:.1f} h less leave)"
        if problem.minimum_minutes(e) < p.contract.min_minutes
        else ""
        for e, p in enumerate(problem.staff)
    ]
    highs = [
        None if p.contract.max_minutes is None else p.contract.max_minutes / 60
        for p in problem.staff
    ]
    bar_colours = [
        "#e15759" if h < lo or (hi is not None and h > hi) else "#4e79a7"
        for h, lo, hi in zip(hours, lows, highs, strict=True)
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=hours,
            y=names,
            orientation="h",
            marker_color=bar_colours,
            name="worked hours",
            hovertemplate="%{y}: %{x:.1f} h<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=lows,
            y=names,
            customdata=why,
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 14, "color": "black"},
            name="contract min",
            hovertemplate="%{y}: min %{x:.1f} h%{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=highs,
            y=names,
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 14, "color": "#e15759"},
            name="contract max",
            hovertemplate="%{y}: max %{x:.1f} h<extra></extra>",
        )
    )
    fig.update_layout(
        title="Hours worked against contract",
        height=max(300, 100 + 18 * len(names)),
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"title": "hours"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        margin={"l": 10, "r": 10, "t": 70, "b": 40},
    )
    return fig
