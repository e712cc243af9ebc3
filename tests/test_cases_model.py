"""Case-scheduling model: construction helpers and one bad-input test per rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from optimizer.errors import from_validation_error
from optimizer.model import (
    CASE_PENALTY_RULES,
    CaseBaseline,
    CasePin,
    CaseProblem,
    CaseSchedule,
    Opening,
    Precedence,
    Resource,
    Room,
    ScheduledTask,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)


def small(**changes: Any) -> dict[str, Any]:
    """A valid two-task, one-room, two-person problem as keyword arguments."""
    base: dict[str, Any] = {
        "horizon": 480,
        "tasks": [
            Task(id="hip", duration=120, team=[TeamRequirement(role="surgeon")]),
            Task(id="knee", duration=90, staff=["okafor"], room_needs=["ortho"]),
        ],
        "rooms": [Room(id="OR1", type="ortho")],
        "staff": [
            StaffMember(id="okafor", roles=["surgeon"]),
            StaffMember(id="lee", roles=["surgeon"]),
        ],
    }
    base.update(changes)
    return base


def error_of(**changes: Any) -> str:
    with pytest.raises(ValidationError) as info:
        CaseProblem(**small(**changes))
    return str(from_validation_error(info.value))


def test_valid_problem_and_lookups() -> None:
    problem = CaseProblem(**small(start="2026-12-07"))
    assert problem.start == dt.datetime(2026, 12, 7)
    assert problem.datetime_of(90) == dt.datetime(2026, 12, 7, 1, 30)
    assert problem.minute_of(dt.datetime(2026, 12, 7, 8)) == 480
    knee = problem.task("knee")
    assert [r.id for r in problem.eligible_rooms(knee)] == ["OR1"]
    assert problem.needs_room(knee)
    # Named staff are not counted among the role holders of the same task.
    assert [p.id for p in problem.qualified(knee, "surgeon")] == ["lee"]
    assert problem.unscheduled_cost(knee) == 1000
    assert set(CASE_PENALTY_RULES) >= {"unscheduled", "tardiness", "makespan"}


def test_merged_windows_and_default_openings() -> None:
    person = StaffMember(id="a", available=[Window(start=60, end=120), Window(start=0, end=60)])
    problem = CaseProblem(**small(staff=[*small()["staff"], person]))
    assert [(w.start, w.end) for w in problem.windows_of(person)] == [(0, 120)]
    assert [(o.start, o.end) for o in problem.openings_of(problem.room("OR1"))] == [(0, 480)]


def test_duplicate_ids() -> None:
    assert "task id 'hip' is used 2 times" in error_of(
        tasks=[Task(id="hip", duration=10), Task(id="hip", duration=10)]
    )


def test_unknown_named_staff() -> None:
    message = error_of(tasks=[Task(id="a", duration=10, staff=["nobody"])])
    assert "task 'a': unknown staff 'nobody'" in message


def test_unknown_room_id() -> None:
    message = error_of(tasks=[Task(id="a", duration=10, rooms=["OR9"])])
    assert "task 'a': unknown room 'OR9'" in message


def test_unknown_resource_and_over_capacity() -> None:
    assert "unknown resource 'carm'" in error_of(
        tasks=[Task(id="a", duration=10, resources={"carm": 1})]
    )
    assert "needs 3 of resource 'carm' whose capacity is 2" in error_of(
        tasks=[Task(id="a", duration=10, resources={"carm": 3})],
        resources=[Resource(id="carm", capacity=2)],
    )


def test_task_nobody_is_qualified_for() -> None:
    message = error_of(
        tasks=[Task(id="a", duration=10, team=[TeamRequirement(role="anaesthetist")])]
    )
    assert "task 'a': needs 1 'anaesthetist' but only 0 staff hold that role" in message


def test_no_room_with_capabilities() -> None:
    message = error_of(tasks=[Task(id="a", duration=10, room_needs=["cardiac"])])
    assert "task 'a': no room has the capabilities (cardiac)" in message


def test_deadline_before_release() -> None:
    with pytest.raises(ValidationError, match="deadline 10 is before its release 20"):
        Task(id="a", duration=5, release=20, deadline=10)


def test_duration_longer_than_window() -> None:
    with pytest.raises(ValidationError, match="duration 30 does not fit between release 0"):
        Task(id="a", duration=30, deadline=20)
    assert "exceeds the horizon 480" in error_of(tasks=[Task(id="a", duration=500)])


def test_duration_longer_than_any_room_opening() -> None:
    message = error_of(
        tasks=[Task(id="a", duration=120)],
        rooms=[Room(id="OR1", openings=[Opening(start=0, end=60, overtime=30)])],
    )
    assert "task 'a': duration 120 fits in no opening of its eligible rooms (OR1)" in message


def test_duration_longer_than_any_staff_window() -> None:
    message = error_of(
        tasks=[Task(id="a", duration=120, staff=["okafor"], needs_room=False)],
        staff=[StaffMember(id="okafor", available=[Window(start=0, end=60)])],
    )
    assert "named staff 'okafor' has no availability window of 120 minutes" in message
    message = error_of(
        tasks=[Task(id="a", duration=120, team=[TeamRequirement(role="rn")], needs_room=False)],
        staff=[StaffMember(id="x", roles=["rn"], available=[Window(start=0, end=60)])],
    )
    assert "needs 1 'rn' but only 0 have an availability window of 120 minutes" in message


def test_cyclic_precedences_name_the_cycle() -> None:
    tasks = [Task(id=t, duration=10) for t in ("a", "b", "c")]
    message = error_of(
        tasks=tasks,
        precedences=[
            Precedence(before="a", after="b"),
            Precedence(before="b", after="c"),
            Precedence(before="c", after="a"),
        ],
    )
    assert "cyclic precedences: 'a' → 'b' → 'c' → 'a'" in message


def test_precedence_rules() -> None:
    with pytest.raises(ValidationError, match="precedence of task 'a' on itself"):
        Precedence(before="a", after="a")
    with pytest.raises(ValidationError, match="max_lag 5 < min_lag 10"):
        Precedence(before="a", after="b", min_lag=10, max_lag=5)
    assert "unknown task 'zzz'" in error_of(precedences=[Precedence(before="hip", after="zzz")])


def test_overlapping_room_openings() -> None:
    message = error_of(
        rooms=[
            Room(
                id="OR1",
                type="ortho",
                openings=[Opening(start=0, end=200, overtime=60), Opening(start=240, end=480)],
            )
        ]
    )
    assert "room 'OR1': openings starting at 0 and 240 overlap" in message


def test_pin_rules() -> None:
    assert "unknown task 'zzz'" in error_of(pins=[CasePin(task="zzz")])
    assert "start 400 is outside the task's window [0, 480]" in error_of(
        pins=[CasePin(task="hip", start=400)]
    )
    assert "staff 'lee' is not qualified for the task" in error_of(
        pins=[CasePin(task="knee", staff=["lee"])]
    )
    assert "unknown staff 'nobody'" in error_of(pins=[CasePin(task="hip", staff=["nobody"])])
    assert "unknown room 'OR9'" in error_of(pins=[CasePin(task="hip", room="OR9")])
    assert "the task is pinned twice" in error_of(pins=[CasePin(task="hip"), CasePin(task="hip")])


def test_baseline_unknown_ids_but_cancelled_tasks_ignored() -> None:
    old = CaseSchedule(tasks=(ScheduledTask(task="gone", start=0, end=10, staff=("ghost",)),))
    assert "baseline task 'gone': unknown staff 'ghost'" in error_of(
        baseline=CaseBaseline(schedule=old)
    )
    fine = CaseSchedule(tasks=(ScheduledTask(task="gone", start=0, end=10, room="OR1"),))
    assert CaseProblem(**small(baseline=CaseBaseline(schedule=fine))).baseline is not None


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Task(id="a", duration=5, colour="red")  # type: ignore[call-arg]
