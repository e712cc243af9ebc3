"""Case-schedule figures: Gantt by room and by staff member, room utilisation."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from optimizer.explain.case_utilisation import room_utilisation as utilisation_of_rooms
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, Result, ScheduledTask
from optimizer.plotting._common import colour

_ON_TIME = "#4e79a7"
_LATE = "#f28e2b"


def schedule_of(result: Result | CaseSchedule | None) -> CaseSchedule:
    """The schedule inside ``result`` (empty if there is none)."""
    if isinstance(result, CaseSchedule):
        return result
    if result is not None and result.schedule is not None:
        return result.schedule
    return CaseSchedule()


def _clock(problem: CaseProblem, minute: int) -> str:
    when = problem.datetime_of(minute)
    return str(minute) if when is None else when.strftime("%a %d %b %H:%M")


def _gantt(
    problem: CaseProblem,
    rows: list[tuple[str, ScheduledTask]],
    row_order: list[str],
    colour_of: Callable[[ScheduledTask], tuple[str, str]],
    title: str,
) -> go.Figure:
    """Horizontal bars [start, end) per row; one trace per colour group."""
    groups: dict[str, list[tuple[str, ScheduledTask]]] = {}
    colours: dict[str, str] = {}
    for row, placed in rows:
        group, c = colour_of(placed)
        groups.setdefault(group, []).append((row, placed))
        colours[group] = c
    fig = go.Figure()
    dated = problem.start is not None
    for group, items in groups.items():
        bases: list[object] = []
        widths: list[float] = []
        hover: list[str] = []
        labels: list[str] = []
        for _, placed in items:
            task = problem.task(placed.task) if placed.task in problem.task_index else None
            label = task.label if task else placed.task
            if dated:
                bases.append(problem.datetime_of(placed.start))
                widths.append((placed.end - placed.start) * 60_000)
            else:
                bases.append(placed.start)
                widths.append(placed.end - placed.start)
            labels.append(placed.task)
            people = ", ".join(placed.staff) or "nobody"
            hover.append(
                f"<b>{label}</b> ({placed.task})<br>{_clock(problem, placed.start)} – "
                f"{_clock(problem, placed.end)}<br>room {placed.room or '—'}<br>staff {people}"
            )
        fig.add_trace(
            go.Bar(
                base=bases,
                x=widths,
                y=[row for row, _ in items],
                orientation="h",
                marker_color=colours[group],
                name=group,
                text=labels,
                textposition="inside",
                insidetextanchor="middle",
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_layout(
        title=title,
        barmode="overlay",
        height=max(260, 100 + 28 * len(row_order)),
        yaxis={
            "autorange": "reversed",
            "type": "category",
            "categoryorder": "array",
            "categoryarray": row_order,
        },
        xaxis={"type": "date" if dated else "linear", "title": None if dated else "minutes"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        margin={"l": 10, "r": 10, "t": 70, "b": 40},
    )
    return fig


def _late_colour(problem: CaseProblem) -> Callable[[ScheduledTask], tuple[str, str]]:
    def pick(placed: ScheduledTask) -> tuple[str, str]:
        task = problem.task(placed.task) if placed.task in problem.task_index else None
        if task is not None and task.due is not None and placed.end > task.due:
            return "late", _LATE
        return "on time", _ON_TIME

    return pick


def gantt_by_room(problem: CaseProblem, result: Result | CaseSchedule | None) -> go.Figure:
    """One row per room; bars are cases (orange when they end after their due time)."""
    schedule = schedule_of(result)
    rows = [(t.room or "no room", t) for t in schedule.tasks]
    order = [r.id for r in problem.rooms]
    order += sorted({row for row, _ in rows} - set(order))
    return _gantt(problem, rows, order, _late_colour(problem), "Cases by room")


def gantt_by_staff(problem: CaseProblem, result: Result | CaseSchedule | None) -> go.Figure:
    """One row per staff member with cases; bars coloured by room."""
    schedule = schedule_of(result)
    label = {p.id: p.label for p in problem.staff}
    rows = [(label.get(s, s), t) for t in schedule.tasks for s in t.staff]
    used = {row for row, _ in rows}
    order = [label[p.id] for p in problem.staff if label[p.id] in used]
    room_colour = {r.id: colour(i) for i, r in enumerate(problem.rooms)}

    def by_room(placed: ScheduledTask) -> tuple[str, str]:
        room = placed.room or "no room"
        return room, room_colour.get(room, "#9e9e9e")

    return _gantt(problem, rows, order, by_room, "Cases by staff member")


def room_utilisation(problem: CaseProblem, result: Result | CaseSchedule | None) -> go.Figure:
    """Per room: case minutes as a share of the open minutes plus the overtime used
    (``optimizer.explain.case_utilisation``: at most 100 % for a feasible schedule)."""
    names, shares, hover = [], [], []
    for util in utilisation_of_rooms(problem, schedule_of(result)):
        share = 100 * util.utilisation
        names.append(util.name)
        shares.append(round(share, 1))
        overtime = f" + {util.overtime_minutes} min overtime" if util.overtime_minutes else ""
        hover.append(
            f"{util.name}: {util.booked_minutes / 60:.1f} h of cases in "
            f"{util.open_minutes / 60:.1f} h open{overtime}"
        )
    fig = go.Figure(
        go.Bar(
            x=names,
            y=shares,
            marker_color=["#e15759" if s > 100 else "#59a14f" for s in shares],
            text=[f"{s:.0f}%" for s in shares],
            textposition="outside",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_layout(
        title="Room utilisation (case time / (open time + overtime used))",
        height=320,
        yaxis={"title": "%", "rangemode": "tozero"},
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return fig
