"""Second look at intake and re-planning: case starts with a UTC offset or not at
midnight, what ``intake --apply`` prints, absences against overruns, and staff overtime
of an overrun across a break."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

import pytest

from llm_intake.apply import apply_requests
from llm_intake.requests import AddCase, Unavailable
from optimizer.errors import InputError
from optimizer.io.load import load_cases
from optimizer.io.project import load_project, save_project
from optimizer.model import CasePin, CaseProblem, CaseSchedule, ScheduledTask, Window
from optimizer.replan import CaseOverrun, Change, StaffUnavailable, replan, replan_problem
from tests.test_intake_apply import run_cli
from tests.test_intake_fixtures import small_ward
from tests.verify import verify_result

DUTY = [{"start": 480, "end": 1080}, {"start": 1920, "end": 2520}]  # 08–18 on both days


def _theatre(start: str = "2026-12-07T00:00:00+01:00", **sam: Any) -> CaseProblem:
    """Two days from ``start``: three optional scrub cases, room OR1 open, Sam (S1, 30 min
    overtime) and Kim (S2) on duty, 08:00–18:00 each day (from a midnight start)."""
    moment = dt.datetime.fromisoformat(start)
    late = moment.hour * 60 + moment.minute  # minutes past midnight of minute 0
    duty = [{k: v - late for k, v in w.items()} for w in DUTY]
    sam = {"available": duty} | sam
    return CaseProblem.model_validate(
        {
            "kind": "cases",
            "start": start,
            "horizon": 2880,
            "tasks": [
                {"id": t, "duration": d, "team": [{"role": "scrub"}], "optional": True}
                for t, d in (("T1", 60), ("T2", 90), ("T3", 60))
            ],
            "rooms": [{"id": "OR1", "openings": [{**w, "overtime": 60} for w in duty]}],
            "staff": [
                {"id": "S1", "name": "Sam", "roles": ["scrub"], "overtime": 30} | sam,
                {"id": "S2", "name": "Kim", "roles": ["scrub"], "available": duty},
            ],
        }
    )


def _hernia(day: int, part: Literal["morning", "afternoon"] = "morning") -> AddCase:
    return AddCase(
        procedure="hernia repair",
        duration_min=60,
        date=dt.date(2026, 12, day),
        part_of_day=part,
        roles={"scrub": 1},
    )


def _sam_off(first: int, last: int | None = None) -> Unavailable:
    return Unavailable(
        staff="S1", from_=dt.date(2026, 12, first), to=dt.date(2026, 12, last or first)
    )


def _time_off(problem: Any) -> list[tuple[int, int]]:
    return [(w.start, w.end) for w in problem.person("S1").unavailable]


# -- #1: a case added on a date when the start has a UTC offset -------------------------


@pytest.mark.parametrize("start", ["2026-12-07T00:00:00+01:00", "2026-12-07T00:00:00"])
def test_a_case_added_on_a_date_is_placed_in_the_start_s_clock(start: str) -> None:
    # 8 Dec 00:00 is minute 1440 in the start's clock; the morning ends at 13:00.
    new = apply_requests(_theatre(start), [_hernia(8)]).problem
    task = new.task("intake-1")
    assert (task.release, task.deadline) == (1440, 1440 + 13 * 60)
    assert new.start == _theatre(start).start  # the offset is kept


def test_a_case_added_by_the_cli_on_an_offset_start_is_written(tmp_path: Path) -> None:
    problem, out = tmp_path / "tz.json", tmp_path / "out.json"
    save_project(_theatre(), problem)
    text = "add a 60 minute hernia repair for scrub on 8 December afternoon"
    done = run_cli(
        text, "--problem", str(problem), "--today", "2026-12-06", "--apply", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    task = load_cases(out).task("intake-1")
    assert (task.release, task.deadline) == (1440 + 12 * 60, 2880)


# -- #9: whole days from midnight when the start is not midnight -------------------------


def test_a_case_absence_covers_calendar_days_when_the_start_is_not_midnight() -> None:
    # Start 07:00: 8 Dec 00:00 is minute 17 h = 1020, 9 Dec 00:00 is minute 2460.
    problem = _theatre("2026-12-07T07:00:00")
    assert _time_off(apply_requests(problem, [_sam_off(8)]).problem) == [(1020, 2460)]
    # 7 Dec is cut to the schedule: from its start (07:00) to midnight.
    applied = apply_requests(problem, [_sam_off(7)])
    assert _time_off(applied.problem) == [(0, 1020)]
    assert applied.changes == ["Sam: unavailable, Mon 07 Dec"]
    # 9 Dec 00:00–07:00 is the last part of the schedule.
    applied = apply_requests(problem, [_sam_off(9, 10)])
    assert _time_off(applied.problem) == [(2460, 2880)]
    assert applied.changes == [
        "Sam: unavailable, Wed 09 Dec (Thu 10 Dec is after the case schedule) "
        "(already off duty then)"
    ]


def test_a_case_on_the_first_morning_of_a_7am_start_begins_at_the_start() -> None:
    # 07:00–13:00 is minutes 0–360 (the room opens and the staff come on at 08:00: 60).
    new = apply_requests(_theatre("2026-12-07T07:00:00"), [_hernia(7)]).problem
    assert (new.task("intake-1").release, new.task("intake-1").deadline) == (0, 6 * 60)
    with pytest.raises(InputError, match=r"2026-12-06 \(afternoon\) is outside the case"):
        apply_requests(_theatre("2026-12-07T07:00:00"), [_hernia(6, "afternoon")])


def test_an_absence_outside_the_schedule_is_refused() -> None:
    with pytest.raises(InputError, match="2026-12-10–2026-12-11 is outside the case schedule"):
        apply_requests(_theatre(), [_sam_off(10, 11)])


# -- #5: the same absence twice is stored once; --apply says what changed ---------------


def test_the_same_case_absence_applied_twice_is_stored_once() -> None:
    once = apply_requests(_theatre(), [_sam_off(8)]).problem
    twice = apply_requests(once, [_sam_off(8)])
    assert _time_off(twice.problem) == [(1440, 2880)]
    assert twice.changes == ["Sam: unavailable, Tue 08 Dec (already off duty then)"]


def test_the_same_roster_absence_applied_twice_is_stored_once() -> None:
    request = Unavailable(staff="s1", from_=dt.date(2026, 12, 8), to=dt.date(2026, 12, 9))
    once = apply_requests(small_ward(), [request]).problem
    twice = apply_requests(once, [request])
    assert twice.problem.unavailability == once.unavailability
    assert len(once.unavailability) == len(small_ward().unavailability) + 1
    assert twice.changes[-1].endswith("(already recorded)")


def _pinned_file(tmp_path: Path) -> Path:
    """The offset theatre with T3 fixed on Sam at 8 Dec 08:20."""
    problem = _theatre().model_copy(
        update={"pins": (CasePin(task="T3", start=1940, room="OR1", staff=("S1",)),)}
    )
    path = tmp_path / "pinned.json"
    save_project(CaseProblem.model_validate(problem.model_dump()), path)
    return path


def test_apply_lists_the_changes_made_with_the_dropped_pin(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    text = "Sam is off sick on 8 December"
    args = ("--problem", str(_pinned_file(tmp_path)), "--today", "2026-12-06")
    done = run_cli(text, *args, "--apply", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-3:] == [
        f"applied 1 request(s); new problem written to {out}",
        "  • case T3: no longer fixed with Sam",
        "  • Sam: unavailable, Tue 08 Dec",
    ]
    assert load_project(out).pins == ()


def test_apply_with_json_keeps_stdout_one_object_and_lists_changes_on_stderr(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.json"
    args = ("--problem", str(_pinned_file(tmp_path)), "--today", "2026-12-06")
    done = run_cli("Sam is off sick on 8 December", *args, "--json", "--apply", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout)) == {"requests", "unparsed", "summary"}
    assert "  • case T3: no longer fixed with Sam" in done.stderr.splitlines()


# -- #3: an absence and an overrun of the same person, in either order --------------------

PUBLISHED = CaseSchedule(
    tasks=(
        ScheduledTask(task="T1", start=960, end=1020, room="OR1", staff=("S1",)),
        ScheduledTask(task="T2", start=500, end=590, room="OR1", staff=("S2",)),
    )
)
AWAY = StaffUnavailable(staff="S1", start=1030, end=1440)  # 17:10 – midnight
OVERRUN = CaseOverrun(task="T1", actual_end=1100)  # 16:00–18:20 instead of 17:00


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            [AWAY, OVERRUN],
            r"case 'T1' ran until Mon 07 Dec 18:20 with Sam \(S1\), who is unavailable "
            r"Mon 07 Dec 17:10 – Tue 08 Dec 00:00; start the unavailability after the case "
            r"ends \(Mon 07 Dec 18:20\)",
        ),
        (
            [OVERRUN, AWAY],
            r"Sam \(S1\) is on started case 'T1' \(Mon 07 Dec 16:00–18:20\) during the "
            r"requested unavailability \(Mon 07 Dec 17:10 – Tue 08 Dec 00:00\); start it "
            r"after the case ends \(Mon 07 Dec 18:20\)",
        ),
    ],
)
def test_an_absence_during_an_overrun_is_refused_in_either_order(
    changes: list[Change], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        replan_problem(_theatre(), PUBLISHED, changes, now=970)


def test_an_absence_after_the_overrun_is_accepted_in_either_order() -> None:
    later = StaffUnavailable(staff="S1", start=1100, end=1440)
    orders: list[list[Change]] = [[later, OVERRUN], [OVERRUN, later]]
    for changes in orders:
        problem, fixed, _ = replan_problem(_theatre(), PUBLISHED, changes, now=970)
        assert "T1" in fixed
        assert problem.person("S1").unavailable == (Window(start=1100, end=1440),)


# -- #4: staff overtime of an overrun across a break ----------------------------------------


@pytest.mark.parametrize(
    ("actual_end", "overtime"),
    [
        (760, 30),  # 12:00–12:30 break (to 12:40 on duty again)
        (800, 30),  # the break only: on duty again from 12:30
        (1100, 50),  # the break and 18:00–18:20
        (1200, 90),  # the break (30) and 18:00–19:00 (60, the allowance), the rest on duty
    ],
)
def test_an_overrun_across_a_break_costs_the_minutes_worked_off_duty(
    actual_end: int, overtime: int
) -> None:
    # Sam on duty 08:00–12:00 and 12:30–18:00 with 60 min overtime; T1 (10:40–11:40)
    # overruns. Nothing else needs Sam, so staff overtime is all of T1's off-duty time.
    breaks = [{"start": 480, "end": 720}, {"start": 750, "end": 1080}, DUTY[1]]
    problem = _theatre(available=breaks, overtime=60)
    published = CaseSchedule(
        tasks=(
            ScheduledTask(task="T1", start=640, end=700, room="OR1", staff=("S1",)),
            ScheduledTask(task="T2", start=500, end=590, room="OR1", staff=("S2",)),
        )
    )
    change = CaseOverrun(task="T1", actual_end=actual_end)
    outcome = replan(problem, published, [change], now=650, time_limit=10, workers=1, seed=0)
    verify_result(outcome.problem, outcome.result)
    assert outcome.result.terms.get("staff_overtime", 0) == overtime
    schedule = outcome.result.schedule
    assert schedule is not None and schedule.by_task()["T1"].end == actual_end
    if actual_end <= 800:  # the windows already charge it: nothing changes
        assert outcome.problem.person("S1").available == problem.person("S1").available


def test_a_plan_starting_at_seven_reaches_its_last_morning() -> None:
    # 07:00 Mon 7 Dec for 48 h: the plan touches Mon, Tue and Wed (until 07:00)
    from llm_intake.vocabulary import build_vocabulary
    from optimizer.model.cases import CaseProblem, Task

    problem = CaseProblem(
        start=dt.datetime(2026, 12, 7, 7, 0), horizon=2 * 1440, tasks=(Task(id="a", duration=30),)
    )
    vocab = build_vocabulary([problem])
    assert (vocab.case_start, vocab.case_days) == (dt.date(2026, 12, 7), 3)
