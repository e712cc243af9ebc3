"""The CLI's room table: whole numbers at 80 columns, room names give way; no wrapping in a pipe."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from rich.console import Console

from optimizer.cli import console, summaries
from optimizer.model.cases import CaseProblem, Opening, Room, Task
from optimizer.model.result import CaseSchedule, Result, ScheduledTask, SolveStatus
from tests.verify import verify_result

LONG = "Theatre 1 (orthopaedic, laminar flow, robotic arm)"


def _monday() -> tuple[CaseProblem, Result]:
    problem = CaseProblem(
        start=dt.datetime(2026, 12, 7),
        horizon=5 * 1440,
        rooms=(Room(id="OR1", name=LONG, openings=(Opening(start=480, end=1020),)),),
        tasks=(Task(id="A", duration=90), Task(id="B", duration=60)),
    )
    schedule = CaseSchedule(
        tasks=(
            ScheduledTask(task="A", start=480, end=570, room="OR1"),
            ScheduledTask(task="B", start=600, end=660, room="OR1"),
        )
    )
    result = Result(status=SolveStatus.FEASIBLE, objective=0, schedule=schedule)
    verify_result(problem, result)
    return problem, result


def _table(width: int, capsys: pytest.CaptureFixture[str]) -> list[str]:
    problem, result = _monday()
    before = console.out.width
    console.out.width = width
    try:
        summaries.print_cases_summary(problem, result)
    finally:
        console.out.width = before
    return capsys.readouterr().out.splitlines()


def test_at_80_columns_only_the_room_name_is_cut(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _table(80, capsys)
    assert all(len(line) <= 80 for line in lines)
    (row,) = [line for line in lines if "Theatre 1" in line]
    # 2 cases, 2h30 booked of 9h00 open, 27.8 %, 0 overtime, 30 idle, Mon 08:00–11:00
    numbers = ["2", "2h30", "9h00", "27.8", "0", "30", "Mon", "08:00", "Mon", "11:00"]
    assert row.split()[-10:] == numbers
    assert "…" in row and LONG not in row


def test_in_a_wide_table_the_whole_name_shows(capsys: pytest.CaptureFixture[str]) -> None:
    (row,) = [line for line in _table(160, capsys) if "Theatre 1" in line]
    assert LONG in row and "…" not in row


def test_a_pipe_gets_a_wide_console() -> None:
    piped = Console(file=io.StringIO())  # not a terminal
    console.widen_for_pipes(piped, {})
    assert piped.width == console.PIPE_WIDTH
    told = Console(file=io.StringIO(), width=80)
    console.widen_for_pipes(told, {"COLUMNS": "80"})
    assert told.width == 80
