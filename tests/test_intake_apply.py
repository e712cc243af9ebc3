"""Applying confirmed requests yields a new, valid problem version; the CLI contract."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from llm_intake.apply import apply_requests
from llm_intake.requests import AddCase, CoverChange, PinShift, Request, ShiftWish, Unavailable
from optimizer.errors import InputError
from optimizer.io.load import load_roster
from optimizer.io.project import save_project
from optimizer.model.result import Assignment, Result, RosterSolution, SolveStatus
from tests.test_intake_fixtures import small_theatres, small_ward


def d(day: int) -> dt.date:
    return dt.date(2026, 12, day)


def test_roster_requests_become_model_records() -> None:
    ward = small_ward()
    requests: list[Request] = [
        Unavailable(staff="s1", from_=d(8), to=d(9), shifts=["N"]),
        ShiftWish(staff="s2", date=d(11), shift=None, want=False),
        CoverChange(date=d(11), shift="N", skill="RN", delta=1),  # day 4: 2 → 3
        CoverChange(date=d(12), shift="E", skill=None, set_=4),  # new demand
        PinShift(staff="s3", date=d(10), shift="L"),
    ]
    applied = apply_requests(ward, requests)
    new = applied.problem
    assert new is not ward and ward.unavailability == ()  # the old version is untouched
    (unav,) = new.unavailability
    assert (unav.staff, unav.first_day, unav.last_day, unav.shifts) == ("s1", 1, 2, ("N",))
    (req,) = new.requests
    assert (req.staff, req.day, req.shift, req.want) == ("s2", 4, None, False)
    cover = {(c.day, c.shift, c.skill): c.required for c in new.cover}
    assert cover == {(4, "N", "RN"): 3, (5, "E", None): 4}
    assert [(p.staff, p.day, p.shift) for p in new.pins] == [("s3", 3, "L")]
    assert new.baseline is None


def test_previous_result_becomes_the_baseline() -> None:
    previous = Result(
        status=SolveStatus.FEASIBLE,
        roster=RosterSolution(assignments=(Assignment(staff="s1", day=0, shift="E"),)),
    )
    applied = apply_requests(small_ward(), [], previous)
    assert applied.problem.baseline is not None
    assert [(a.staff, a.day, a.shift) for a in applied.problem.baseline.assignments] == [
        ("s1", 0, "E")
    ]


def test_cover_never_goes_below_zero_and_pin_on_leave_is_refused() -> None:
    new = apply_requests(small_ward(), [CoverChange(date=d(11), shift="N", skill="RN", delta=-5)])
    assert new.problem.cover[0].required == 0
    with pytest.raises(InputError, match="unavailable"):
        apply_requests(
            small_ward(),
            [
                Unavailable(staff="s1", from_=d(8), to=d(9), shifts=None),
                PinShift(staff="s1", date=d(9), shift="E"),
            ],
        )
    with pytest.raises(InputError, match="outside the roster"):
        apply_requests(small_ward(), [PinShift(staff="s1", date=d(30), shift="E")])


def test_add_case_becomes_a_task() -> None:
    case = AddCase(
        procedure="hip revision",
        duration_min=120,
        surgeon="d2",
        room="OR2",
        date=d(9),
        part_of_day="morning",
        roles={"anaesthetist": 1},
        priority="urgent",
    )
    new = apply_requests(small_theatres(), [case]).problem
    task = new.task("intake-1")
    day = 2 * 24 * 60  # Wednesday 9 Dec is day 2 of the horizon
    assert (task.release, task.deadline) == (day, day + 13 * 60)
    assert (task.staff, task.rooms, task.priority) == (("d2",), ("OR2",), 3)
    assert [(t.role, t.count) for t in task.team] == [("anaesthetist", 1)]


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Done:
    """``carealloc intake ARGS`` in-process (typer's runner), with the LLM path unset."""
    from typer.testing import CliRunner

    from optimizer.cli import app

    result = CliRunner(env={"CAREALLOC_LLM_BASE_URL": ""}).invoke(app, ["intake", *args])
    return Done(result.exit_code, result.stdout, result.stderr)


@pytest.fixture()
def ward_file(tmp_path: Path) -> Path:
    path = tmp_path / "ward.json"
    save_project(small_ward(), path)
    return path


def test_cli_json_is_exactly_one_object_and_apply_writes_a_new_version(
    ward_file: Path, tmp_path: Path
) -> None:
    text = "Ana Silva is off sick tomorrow. Patel wants Friday off."
    done = run_cli(text, "--problem", str(ward_file), "--today", "2026-12-09", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"requests", "unparsed", "summary"}
    assert data["requests"] == [
        {
            "kind": "unavailable",
            "staff": "s5",
            "from": "2026-12-10",
            "to": "2026-12-10",
            "shifts": None,
        }
    ]
    assert data["unparsed"][0]["text"] == "Patel wants Friday off"
    assert data["summary"].startswith("I understood: Ana Silva unavailable Thu 10 Dec")
    out = tmp_path / "new.json"
    done = run_cli(
        text, "--problem", str(ward_file), "--today", "2026-12-09", "--apply", "--out", str(out)
    )
    assert done.returncode == 1, done.stderr  # part of the text was not understood
    assert "NOT applied" in done.stderr
    assert load_roster(out).unavailability[0].staff == "s5"
    assert load_roster(ward_file).unavailability == ()  # the input file is unchanged


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--problem", "missing.json", "--today", "2026-12-09"], "file not found"),
        (["--problem", "{ward}", "--today", "9/12/2026"], "YYYY-MM-DD"),
        (["--problem", "{ward}"], "--today"),
        (["--problem", "{ward}", "--today", "2026-12-09", "--parser", "llm"], "LLM parser is off"),
        (["--problem", "{ward}", "--today", "2026-12-09", "--parser", "gpt"], "unknown parser"),
        (["--problem", "{ward}", "--today", "2026-12-09", "--apply"], "--apply and --out"),
        (
            ["--problem", "{ward}", "--today", "2026-12-09", "--apply", "--out", "x/new.json"],
            "the folder x does not exist",
        ),
        (
            ["--problem", "{ward}", "--today", "2026-12-09", "--apply", "--out", "new.csv"],
            "the output must end in .json",
        ),
    ],
)
def test_cli_bad_input_is_one_message_and_exit_2(
    ward_file: Path, args: list[str], message: str
) -> None:
    args = [a.replace("{ward}", str(ward_file)) for a in args]
    done = run_cli("Ana is off tomorrow", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_applied_proposal_resolves_with_minimal_disruption() -> None:
    """Roster the fixture ward, report one of the two Friday-night RNs off sick, apply with
    the roster as baseline and re-solve: that person is off and exactly one other RN takes
    the night if needed — baseline changes cost 10 each, a missing RN 100."""
    from llm_intake.intake import propose
    from tests.test_intake_fixtures import TODAY
    from tests.verify import solve_verified

    ward = small_ward()
    first, _ = solve_verified(ward, time_limit=20)
    assert first.roster is not None
    friday = 4  # 11 Dec
    on_night = sorted(
        a.staff for a in first.roster.assignments if (a.day, a.shift) == (friday, "N")
    )
    rns = [s for s in on_night if "RN" in ward.person(s).skills]
    assert len(rns) >= 2  # the demand: 2 RNs, under_weight 100
    sick = ward.person(rns[0])
    # exactly 2 RNs: one replacement is needed (2 changes); more: none (1 change)
    expected_changes = 2 if len(rns) == 2 else 1
    proposal = propose(f"{sick.name} is off sick on Friday", [ward], TODAY)
    assert [(r.kind, r.staff) for r in proposal.requests] == [("unavailable", sick.id)]  # type: ignore[union-attr]
    new = apply_requests(ward, list(proposal.requests), first).problem
    second, _ = solve_verified(new, time_limit=20)
    assert second.roster is not None
    before = first.roster.by_staff_day()
    after = second.roster.by_staff_day()
    assert (sick.id, friday) not in after
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert len(changed) == expected_changes and (sick.id, friday) in changed, changed


def test_cli_llm_failure_fails_closed_with_exit_1(ward_file: Path) -> None:
    from tests.test_intake_fixtures import Step, fake_llm_server

    with fake_llm_server([Step(status=503)]) as server:
        done = run_cli(
            "Ana Silva is off sick tomorrow",
            "--problem",
            str(ward_file),
            "--today",
            "2026-12-09",
            "--parser",
            "llm",
            "--llm-base-url",
            server.base_url,
            "--json",
        )
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["requests"] == []
    assert "HTTP 503" in data["unparsed"][0]["reason"]


def test_cli_apply_with_previous_result_sets_the_baseline(ward_file: Path, tmp_path: Path) -> None:
    previous = tmp_path / "result.json"
    previous.write_text(
        Result(
            status=SolveStatus.FEASIBLE,
            roster=RosterSolution(assignments=(Assignment(staff="s3", day=1, shift="L"),)),
        ).model_dump_json(),
        encoding="utf-8",
    )
    out = tmp_path / "new.json"
    done = run_cli(
        "Put Sam Lee on nights on Friday",
        "--problem",
        str(ward_file),
        "--today",
        "2026-12-09",
        "--apply",
        "--out",
        str(out),
        "--previous",
        str(previous),
    )
    assert done.returncode == 0, done.stderr
    new = load_roster(out)
    assert [(p.staff, p.day, p.shift) for p in new.pins] == [("s3", 4, "N")]
    assert new.baseline is not None
    assert [(a.staff, a.day, a.shift) for a in new.baseline.assignments] == [("s3", 1, "L")]
