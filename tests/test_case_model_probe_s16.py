"""Probe s16/p5 and p6 on the case model and its files: a cancelled or dropped case
takes its precedences along (A), re-plan labels tell cases with one name apart (B),
per-person windows worked out once (C), messages about rooms (D), optional cases
that can never run and milestones outside openings are accepted (E), and the
messages about formats and solutions of the other kind (F)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from optimizer.cli.help_texts import FORMAT_HELP, INPUT_HELP
from optimizer.errors import InputError
from optimizer.explain.case_reasons import explain_task
from optimizer.io.load import detect_format, load_problem
from optimizer.io.project import save_result
from optimizer.io.schedule_csv import read_schedule_csv
from optimizer.io.solution import read_solution
from optimizer.model.cases import (
    CaseProblem,
    Opening,
    Precedence,
    Room,
    StaffMember,
    Task,
    Window,
)
from optimizer.model.result import (
    Assignment,
    CaseSchedule,
    Result,
    RosterSolution,
    ScheduledTask,
    SolveStatus,
)
from optimizer.replan import CancelCase, StaffUnavailable, replan
from tests.verify import solve_verified, verify_result

MONDAY = dt.datetime(2026, 12, 7)
H8, H9, H10, H11, H18 = 480, 540, 600, 660, 1080
FAST = dict(time_limit=5, workers=1, seed=0)
DATA = Path(__file__).resolve().parent.parent / "data"


def _theatre(*precedences: Precedence, names: Sequence[str] = "ABC") -> CaseProblem:
    """OR1 08–18; Mr Okafor's 60-minute cases A, B, C (optional), named ``names``."""
    return CaseProblem(
        start=MONDAY,
        horizon=1440,
        tasks=tuple(
            Task(id=t, name=n, duration=60, optional=True, staff=("S1",))
            for t, n in zip("ABC", names, strict=True)
        ),
        rooms=(Room(id="OR1", openings=(Opening(start=H8, end=H18),)),),
        staff=(StaffMember(id="S1", name="Mr Okafor"),),
        precedences=precedences,
    )


def _published() -> CaseSchedule:
    return CaseSchedule(
        tasks=tuple(
            ScheduledTask(task=t, start=H8 + 60 * i, end=H9 + 60 * i, room="OR1", staff=("S1",))
            for i, t in enumerate("ABC")
        )
    )


# -- A: a case taken out takes its precedences with it --------------------------------


def test_a_cancelled_or_dropped_case_takes_its_precedences_with_it() -> None:
    # A → B → C. Cancelling B drops both links (no A → C is made up); cancelling A or
    # C drops the one link they are on. Nothing else changes: objective 0 each time.
    chain = _theatre(Precedence(before="A", after="B"), Precedence(before="B", after="C"))
    for cancelled, kept in (("B", []), ("A", [("B", "C")]), ("C", [("A", "B")])):
        outcome = replan(chain, _published(), [CancelCase(task=cancelled)], **FAST)
        verify_result(outcome.problem, outcome.result)
        assert outcome.result.objective == 0
        assert [(p.before, p.after) for p in outcome.problem.precedences] == kept
    assert outcome.notes == ["re-plan: C is cancelled; its precedence 'B' → 'C' is dropped with it"]
    middle = replan(chain, _published(), [CancelCase(task="B")], **FAST)
    assert middle.notes == [
        "re-plan: B is cancelled; its precedences 'A' → 'B' and 'B' → 'C' are dropped with "
        "it, so 'A' and 'C' are no longer ordered through it: add a precedence between them "
        "if one must still follow the other"
    ]
    # C may run only 10:00–11:00 and Mr Okafor is away then: C is dropped as unplaceable,
    # and its precedence B → C goes with it.
    late = chain.model_copy(
        update={
            "tasks": (
                *chain.tasks[:2],
                chain.tasks[2].model_copy(update={"release": H10, "deadline": H11}),
            )
        }
    )
    late = CaseProblem.model_validate(late.model_dump())
    away = StaffUnavailable(staff="S1", start=H10, end=H11)
    dropped = replan(late, _published(), [away], **FAST)
    verify_result(dropped.problem, dropped.result)
    assert set(dropped.dropped) == {"C"}
    assert [(p.before, p.after) for p in dropped.problem.precedences] == [("A", "B")]
    assert dropped.notes == ["re-plan: C is dropped; its precedence 'B' → 'C' is dropped with it"]


# -- B: re-plan moves tell two cases of one name apart -------------------------------


def test_replan_moves_carry_the_id_when_a_name_is_shared_or_missing() -> None:
    # A and B are both "Hernia repair", C is "Knee" (unique). Cancelling A and C and
    # closing nothing: B stays. Then B and C cancelled.
    problem = _theatre(names=("Hernia repair", "Hernia repair", "Knee"))
    outcome = replan(problem, _published(), [CancelCase(task="A"), CancelCase(task="C")], **FAST)
    verify_result(outcome.problem, outcome.result)
    assert outcome.messages() == [
        "Hernia repair (A): cancelled (was Mon 07 Dec 08:00)",
        "Knee: cancelled (was Mon 07 Dec 10:00)",
    ]
    # Mr Okafor is away 08:00–10:00: A and B (both "Hernia repair") can only move; one
    # is dropped from the schedule (room and surgeon full), and each line names its case.
    away = StaffUnavailable(staff="S1", start=H8, end=H10)
    short = problem.model_copy(
        update={"rooms": (Room(id="OR1", openings=(Opening(start=H8, end=H11),)),)}
    )
    moved = replan(CaseProblem.model_validate(short.model_dump()), _published(), [away], **FAST)
    verify_result(moved.problem, moved.result)
    lines = moved.messages()
    assert lines and all(
        line.startswith(("Hernia repair (A)", "Hernia repair (B)")) for line in lines
    )
    unnamed = _theatre(names=("", "", ""))
    bare = replan(unnamed, _published(), [CancelCase(task="A")], **FAST)
    assert bare.messages() == ["A: cancelled (was Mon 07 Dec 08:00)"]


# -- C: a person's windows and a room's openings, worked out once -----------------------


def test_windows_are_worked_out_once_and_model_copy_starts_afresh() -> None:
    # S1 on duty 0–100 and 200–300 with 30 min overtime, away 120–150: the overtime
    # after 100 stops at 120 (away), the one after 300 at the horizon (320).
    person = StaffMember(
        id="S1",
        available=(Window(start=200, end=300), Window(start=0, end=100)),
        overtime=30,
        unavailable=(Window(start=120, end=150),),
    )
    room = Room(id="OR1", openings=(Opening(start=200, end=300), Opening(start=0, end=100)))
    problem = CaseProblem(
        horizon=320, tasks=(Task(id="A", duration=10),), rooms=(room,), staff=(person,)
    )
    assert problem.work_windows_of(person) == [(0, 120), (200, 320)]
    assert [o.start for o in problem.openings_of(room)] == [0, 200]
    first, again = problem.windows_of(person), problem.windows_of(person)
    assert first == again and first[0] is again[0]  # cached, not rebuilt
    first.clear()  # a caller's list is its own
    assert problem.windows_of(person) == again
    # A copy with other tasks or another horizon must not keep the original's lookups.
    copy = problem.model_copy(update={"tasks": (Task(id="B", duration=10),), "horizon": 310})
    assert copy.task_index == {"B": 0}
    assert copy.work_windows_of(copy.staff[0]) == [(0, 120), (200, 310)]
    # A changed copy of a person is worked out on its own, never from the cache.
    free = person.model_copy(update={"unavailable": ()})
    assert problem.work_windows_of(free) == [(0, 130), (200, 320)]


# -- D: messages about rooms -----------------------------------------------------------


def test_room_messages_say_what_is_wrong(tmp_path: Path) -> None:
    base = {"kind": "cases", "horizon": 600, "tasks": [{"id": "C1", "duration": 60}]}
    room = {"id": "OR1", "openings": [{"start": 480, "end": 600}]}
    empty = {**base, "rooms": [room], "tasks": [{"id": "C1", "duration": 60, "rooms": []}]}
    with pytest.raises(ValueError, match=r"task 'C1': its room list is empty \(rooms: \[\]\)"):
        CaseProblem.model_validate(empty)
    needs = {**base, "tasks": [{"id": "C1", "duration": 60, "needs_room": True}]}
    with pytest.raises(ValueError, match=r"task 'C1' needs a room .* the problem has no rooms"):
        CaseProblem.model_validate(needs)
    problem = CaseProblem.model_validate({**base, "rooms": [room, {**room, "id": "OR2"}]})
    csv = tmp_path / "two.csv"
    for cell in ("room:OR1;room:OR1", "OR1;room:OR2"):
        csv.write_text(f"task,start,end,staff,resources\nC1,480,540,,{cell}\n", encoding="utf-8")
        with pytest.raises(InputError, match="two rooms given") as caught:
            read_schedule_csv(csv, problem, strict=False)
        assert caught.value.line == 2 and caught.value.field == "resources"
    csv.write_text("task,start,end,staff,resources\nC1,480,540,,OR2\n", encoding="utf-8")
    assert read_schedule_csv(csv, problem).tasks[0].room == "OR2"


# -- E: optional cases that can never run, and milestones outside openings --------------


def test_an_optional_case_that_can_never_run_and_a_milestone_are_accepted() -> None:
    # S1 is never on duty: optional C1 (named on S1) stays out at 1000, C2 runs with S2.
    data: dict[str, Any] = {
        "kind": "cases",
        "horizon": 600,
        "staff": [
            {"id": "S1", "roles": ["surg"], "available": []},
            {"id": "S2", "roles": ["surg"]},
        ],
        "tasks": [
            {"id": "C1", "duration": 60, "staff": ["S1"], "optional": True},
            {"id": "C2", "duration": 60, "team": [{"role": "surg"}]},
        ],
    }
    problem = CaseProblem.model_validate(data)
    result, _ = solve_verified(problem, time_limit=5)
    assert result.schedule is not None and result.schedule.unscheduled == ("C1",)
    assert result.objective == 1000
    why = explain_task(problem, result.schedule, "C1")
    assert why is not None and [r.message for r in why.reasons] == ["S1 is not on duty at all"]
    mandatory = {**data, "tasks": [{**data["tasks"][0], "optional": False}, data["tasks"][1]]}
    with pytest.raises(ValueError, match="named staff 'S1' has no availability window"):
        CaseProblem.model_validate(mandatory)
    # A milestone at 60 or later, OR1 open 0–50: it takes no room time, so it is valid;
    # the solver places it at 60 in OR1 and the checker agrees (idle/overtime weighted).
    milestone = CaseProblem.model_validate(
        {
            "kind": "cases",
            "horizon": 100,
            "rooms": [{"id": "OR1", "openings": [{"start": 0, "end": 50}]}],
            "tasks": [{"id": "M1", "duration": 0, "release": 60}],
            "weights": {"idle": 1, "overtime": 1},
        }
    )
    placed, _ = solve_verified(milestone, time_limit=5)
    assert placed.objective == 0 and placed.schedule is not None
    assert [(t.task, t.start, t.room) for t in placed.schedule.tasks] == [("M1", 60, "OR1")]


# -- F: format and solution messages -----------------------------------------------


def test_format_messages_name_xlsm_and_the_option_and_wrong_kind_solutions(
    tmp_path: Path,
) -> None:
    with pytest.raises(InputError, match="unknown format 'xyz'") as caught:
        load_problem(DATA / "demo_surgery.json", "xyz")
    assert caught.value.field == "fmt"
    with pytest.raises(InputError, match=r"\.json, \.xlsm, \.xlsx or \.zip"):
        detect_format(Path("ward.xls"))
    with pytest.raises(InputError, match=r"an \.xlsx or \.xlsm workbook") as bundle:
        load_problem(DATA / "demo_surgery.json", "bundle")
    assert bundle.value.field == "fmt"
    assert ".xlsm" in INPUT_HELP and ".xlsm" in FORMAT_HELP
    cases, roster = load_problem(DATA / "demo_surgery.json"), load_problem(DATA / "demo_ward.json")
    roster_csv, cases_csv = tmp_path / "roster.csv", tmp_path / "schedule.csv"
    roster_csv.write_text("staff,day,shift\nN1,0,D\n", encoding="utf-8")
    cases_csv.write_text("task;start;end;staff;resources\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"is a roster .* but the problem is a case problem"):
        read_solution(roster_csv, cases)
    with pytest.raises(InputError, match=r"is a case schedule .* the problem is a roster problem"):
        read_solution(cases_csv, roster)
    roster_json = tmp_path / "roster.json"
    save_result(
        Result(
            status=SolveStatus.FEASIBLE,
            roster=RosterSolution(assignments=(Assignment(staff="N1", day=0, shift="D"),)),
        ),
        roster_json,
    )
    with pytest.raises(InputError, match=r"the result holds a roster .* case problem"):
        read_solution(roster_json, cases)
