"""What a solve with a solution prints: the result tables, costs and reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from optimizer.cli.console import out
from optimizer.model.cases import CaseProblem
from optimizer.model.result import Result
from optimizer.model.roster import RosterProblem

if TYPE_CHECKING:
    from optimizer.check.report import Penalty


def print_solution(problem: Any, result: Result, lexicographic: bool) -> None:
    """The summary of a solve with a solution: tables, costs, the lexicographic stages."""
    if isinstance(problem, RosterProblem):
        print_roster_summary(problem, result, top=10)
    elif isinstance(problem, CaseProblem):
        if problem.rooms:
            print_cases_summary(problem, result)
        print_case_costs(problem, result)
        print_case_reasons(problem, result, top=10)
    if lexicographic and "lexicographic: " in result.message:
        out.print(f"Stages: {result.message.partition('lexicographic: ')[2]}")


def print_roster_summary(problem: RosterProblem, result: Result, top: int) -> None:
    """The roster's measures and costs per rule, then its ``top`` penalties."""
    from optimizer.explain.roster import RULE_LABELS, penalty_breakdown, roster_kpis

    assert result.roster is not None
    kpis = roster_kpis(problem, result.roster)
    table = Table(title=f"{problem.name}: {problem.num_days} days, {len(problem.staff)} staff")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("coverage met", f"{kpis.coverage_met_pct:.1f} %")
    table.add_row("requests granted", f"{kpis.requests_granted_pct:.1f} %")
    table.add_row("shifts worked", str(kpis.shifts_worked))
    table.add_row("nights per person (min–max)", f"{kpis.nights.minimum}–{kpis.nights.maximum}")
    table.add_row(
        "weekends per person (min–max)", f"{kpis.weekends.minimum}–{kpis.weekends.maximum}"
    )
    table.add_section()  # the costs below are penalty points, not counts
    for rule, cost in sorted(kpis.cost_by_rule.items(), key=lambda item: -item[1]):
        table.add_row(f"cost: {RULE_LABELS.get(rule, rule).lower()}", str(cost))
    out.print(table)
    penalties = penalty_breakdown(problem, result.roster)
    if penalties:
        out.print(f"Top penalties ({min(top, len(penalties))} of {len(penalties)}):")
        why = _why_short(problem, result, penalties[:top])
        for penalty in penalties[:top]:
            out.print(f"  • {penalty.message}")
            said = why.get((penalty.day, penalty.shift, penalty.skill))
            if penalty.rule == "under_cover" and said:
                out.print(f"    why: {said}")
        print_refusals(problem, result, penalties)


WHY_SHORT_SHOWN = 5
"""Understaffed shifts of the top penalties explained with a "why:" line."""


def _why_short(
    problem: RosterProblem, result: Result, shown: list[Penalty]
) -> dict[tuple[int | None, str | None, str | None], str]:
    """The "why:" sentence of the first ``WHY_SHORT_SHOWN`` understaffed shifts in
    ``shown``, by (day, shift, skill)."""
    from optimizer.explain.shortfalls import why_short

    keys = [(p.day, p.shift, p.skill) for p in shown if p.rule == "under_cover"]
    demands = {(d, s, k) for d, s, k in keys[:WHY_SHORT_SHOWN] if d is not None and s}
    if not demands:
        return {}
    return {(f.day, f.shift, f.skill): f.why for f in why_short(problem, result, demands)}


REFUSALS_SHOWN = 3
"""Ungranted requests explained in the summary, the heaviest first."""


def print_refusals(problem: RosterProblem, result: Result, penalties: list[Penalty]) -> None:
    """``Requests not granted (N):`` and why, for the ``REFUSALS_SHOWN`` heaviest
    (``penalties``: the roster's, most expensive first; only those shown are explained)."""
    from optimizer.explain.refusals import why_not_granted
    from optimizer.explain.refusals.why import request_key
    from optimizer.explain.refusals.words import REQUEST_RULES

    refused = [request_key(p) for p in penalties if p.rule in REQUEST_RULES]
    if not refused:
        return
    heaviest = refused[:REFUSALS_SHOWN]
    found = why_not_granted(problem, result, requests=set(heaviest))
    found.sort(key=lambda r: heaviest.index((r.staff, r.day, r.shift, r.want)))
    out.print(f"Requests not granted ({len(refused)}):")
    for refusal in found[:REFUSALS_SHOWN]:
        out.print(f"  • {refusal.message}")


def print_cases_summary(problem: Any, result: Result) -> None:
    """One row per room: cases, booked and open time, use, overtime, idle, first and last."""
    from rich import box

    from optimizer.explain.case_time import weekday_time, when
    from optimizer.explain.case_utilisation import room_summary

    week = problem.horizon <= 7 * 1440  # within one week the weekday names the day
    header = ("room", "cases", "booked", "open", "use %", "overtime", "idle", "first", "last")
    rows = []
    for row in room_summary(problem, result, weekday_time if week else when):
        rows.append(
            (
                row.name or row.room,
                str(row.cases),
                row.booked,
                row.open,
                f"{row.utilisation_pct:.1f}",
                str(row.overtime_minutes),
                str(row.idle_minutes),
                row.first_start,
                row.last_end,
            )
        )
    # Only the room names give way on a narrow terminal; the numbers stay whole.
    widths = [max(len(cells[i]) for cells in [header, *rows]) for i in range(len(header))]
    room_width = max(8, out.width - sum(widths[1:]) - 2 * len(header))
    title = f"{getattr(problem, 'name', 'cases')}: rooms (overtime and idle in minutes)"
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, collapse_padding=True)
    fits = room_width >= widths[0]
    table.add_column("room", overflow="ellipsis", no_wrap=True, width=None if fits else room_width)
    for column in header[1:]:
        table.add_column(column, justify="right", no_wrap=True)
    for cells in rows:
        table.add_row(*cells)
    out.print(table)


def print_case_costs(problem: Any, result: Result) -> None:
    """The cost per rule in the planner's words, and who works overtime."""
    from optimizer.explain.case_reasons import RULE_WORDS
    from optimizer.explain.case_utilisation import staff_utilisation

    costs = [f"{RULE_WORDS.get(rule, rule)} {cost}" for rule, cost in result.terms.items() if cost]
    if costs:
        out.print("Costs: " + ", ".join(costs))
    if result.schedule is not None:
        overtime = [
            f"{person.name} {person.overtime_minutes} min"
            for person in staff_utilisation(problem, result.schedule)
            if person.overtime_minutes
        ]
        if overtime:
            out.print("Staff overtime: " + ", ".join(overtime))


def print_case_reasons(problem: Any, result: Result, top: int) -> None:
    """The costliest ``top`` cases left out or ending late, each with its reasons."""
    from optimizer.explain.case_reasons import explain_task

    if result.schedule is None:
        return
    placed = result.schedule.by_task()
    costs: dict[str, int] = {}
    for task in problem.tasks:
        item = placed.get(task.id)
        if item is None:
            costs[task.id] = problem.unscheduled_cost(task)
        elif task.due is not None and item.end > task.due:
            costs[task.id] = problem.weights.tardiness * task.priority * (item.end - task.due)
    if not costs:
        return
    ranked = sorted(costs, key=lambda task_id: -costs[task_id])
    shown = f"{min(top, len(ranked))} of {len(ranked)}"
    out.print(f"Cases left out or late ({shown}, costliest first):")
    for task_id in ranked[:top]:
        found = explain_task(problem, result.schedule, task_id)
        if found is not None:
            out.print(f"  • {found.message} (cost {costs[task_id]})")
