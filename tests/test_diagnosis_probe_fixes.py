"""Probe fixes of the roster diagnosis, its CLI output and the roster wording.

Every instance runs over the week of Mon 14 Dec 2026; the expected answer is derived in
the comment. A relaxation the diagnosis offers is re-solved and re-checked here.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

import optimizer.explain.diagnosis as diagnosis_module
import optimizer.explain.diagnosis.relaxations as relaxations_module
import optimizer.solvers.cpsat.correction as correction_module
import optimizer.solvers.cpsat.diagnose as diagnose_module
from dashboards import solver_child
from optimizer.check import check
from optimizer.cli import app
from optimizer.cli.commands.solve import NO_LIMIT_NOTE
from optimizer.cli.errors import error_lines
from optimizer.errors import CareallocError
from optimizer.explain.diagnosis import (
    FEASIBLE_BUT_NO_ROSTER,
    NOT_CONFIRMED,
    OTHERS_REMAIN,
    Diagnosis,
    diagnose_roster,
)
from optimizer.explain.roster import roster_kpis
from optimizer.io.load import load_problem
from optimizer.io.project import load_project, load_result, save_project
from optimizer.io.tables.from_problem import roster_tables
from optimizer.io.tables.to_bundle import tables_to_zip
from optimizer.model.cases import CasePin, CaseProblem, Room, Task
from optimizer.model.result import Result, SolveStatus
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    Pin,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
    Unavailability,
)
from optimizer.solvers.cpsat.correction import CorrectionResult
from optimizer.solvers.cpsat.diagnose import CoreResult
from tests.test_bench import _suite
from tests.verify import solve_verified

runner = CliRunner()
MONDAY = dt.date(2026, 12, 14)
EARLY = ShiftType(id="E", name="Early", start="07:00", length_minutes=480)
NIGHT = ShiftType(id="N", name="Night", start="21:00", length_minutes=600, forbidden_next=("E",))


def _ward(num_days: int = 7, **extra: Any) -> RosterProblem:
    fields: dict[str, Any] = {
        "start_date": MONDAY,
        "num_days": num_days,
        "shifts": (EARLY, NIGHT),
        "staff": (
            Staff(id="jo", name="Jo Park", skills=("ICU",)),
            Staff(id="sam", name="Sam Lee", skills=("ICU",)),
            Staff(id="ana", name="Ana Silva"),
        ),
    }
    return RosterProblem(**(fields | extra))


def _night_floors(days: range) -> tuple[CoverDemand, ...]:
    return tuple(
        CoverDemand(day=d, shift="N", skill="ICU", required=1, min_required=1) for d in days
    )


def _only_jo(limit: int, nights: range, num_days: int) -> RosterProblem:
    """Jo is the only ICU nurse, with at most ``limit`` Nights; every Night in ``nights``
    needs one ICU nurse (hard)."""
    return _ward(
        num_days,
        staff=(
            Staff(
                id="jo",
                name="Jo Park",
                skills=("ICU",),
                contract=Contract(max_shifts_per_type={"N": limit}),
            ),
        ),
        cover=_night_floors(nights),
    )


def _pins_break_succession() -> RosterProblem:
    # Night Mon then Early Tue is forbidden; Sam is pinned to both
    return _ward(pins=(Pin(staff="sam", day=0, shift="N"), Pin(staff="sam", day=1, shift="E")))


# -- defect 2: a limit is searched up to what the conflict needs -----------------------------


@pytest.mark.parametrize(
    ("limit", "num_days", "nights", "needed"),
    [
        (1, 14, range(0, 14, 2), 7),  # 7 Night floors on alternate days: 7 Nights, not 2
        (0, 14, range(14), 14),  # a Night floor every day of two weeks: 14 Nights at once
    ],
)
def test_a_limit_is_raised_as_far_as_one_change_needs(
    limit: int, num_days: int, nights: range, needed: int
) -> None:
    problem = _only_jo(limit, nights, num_days)
    diagnosis = diagnose_roster(problem, 20)
    option = f"allow Jo Park up to {needed} Night shifts (now {limit})"
    assert diagnosis.relaxations[0].startswith(option)
    assert not any(r.endswith(OTHERS_REMAIN) for r in diagnosis.relaxations)
    relaxed = _only_jo(needed, nights, num_days)
    result, _report = solve_verified(relaxed, time_limit=10)
    assert result.status is SolveStatus.OPTIMAL
    fewer = _only_jo(needed - 1, nights, num_days)  # one less is not enough
    assert diagnose_roster(fewer, 10).feasible is False


def test_a_step_beyond_the_named_conflict_says_what_else_binds() -> None:
    # Jo must work 24 h (3 Earlies) in 5 days: annual leave Mon–Tue and sickness Wed–Thu
    # leave Friday only. Any 3 blocked days conflict with the minimum (16 h would do for
    # them); the whole week allows 8 h, and the other blocked day is why.
    problem = _ward(
        5,
        shifts=(EARLY,),
        staff=(Staff(id="jo", name="Jo Park", contract=Contract(min_minutes=1440)),),
        unavailability=(
            Unavailability(staff="jo", first_day=0, last_day=1, reason="annual leave"),
            Unavailability(staff="jo", first_day=2, last_day=3, reason="sickness"),
        ),
    )
    diagnosis = diagnose_roster(problem, 20)
    option = diagnosis.relaxations[0]
    assert option.startswith("lower Jo Park's minimum hours from 24 h to 8 h (less is not ")
    assert "because Jo Park is unavailable (" in option
    relaxed = problem.model_copy(
        update={"staff": (Staff(id="jo", name="Jo Park", contract=Contract(min_minutes=480)),)}
    )
    solve_verified(relaxed, time_limit=10)


# -- defect 1: checks that run out of time -------------------------------------------------


def test_a_whole_roster_check_out_of_time_is_not_confirmed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # every whole-roster check times out (as under heavy load): the options resolve the
    # named conflict, but nothing may claim that other conflicts remain
    real = diagnose_module.is_feasible

    def slow(problem: RosterProblem, *args: Any, **kwargs: Any) -> bool | None:
        return real(problem, *args, **kwargs) if kwargs.get("only") is not None else None

    monkeypatch.setattr(diagnose_module, "is_feasible", slow)
    monkeypatch.setattr(relaxations_module, "_has_roster", lambda problem, limit: None)
    diagnosis = diagnose_roster(_pins_break_succession(), 20)
    assert len(diagnosis.relaxations) == 3
    assert all(r.endswith(NOT_CONFIRMED) for r in diagnosis.relaxations)
    assert "other conflicts remain" not in " ".join(diagnosis.messages())
    assert "no single change resolves it" not in diagnosis.summary


def test_a_conflict_not_proven_smallest_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    real = diagnose_module.find_core

    def unfinished(problem: RosterProblem, time_limit: float = 20.0) -> CoreResult:
        found = real(problem, time_limit)
        return CoreResult(feasible=found.feasible, core=found.core, minimal=False)

    monkeypatch.setattr(diagnose_module, "find_core", unfinished)
    diagnosis = diagnose_roster(_pins_break_succession(), 20)
    assert not diagnosis.minimal
    assert any("a smaller conflicting set may exist" in line for line in diagnosis.messages())


def test_the_solvers_verdict_is_never_contradicted(monkeypatch: pytest.MonkeyPatch) -> None:
    feasible = _ward()
    assert diagnose_roster(feasible, 10, proven_infeasible=True).summary == FEASIBLE_BUT_NO_ROSTER
    assert solver_child._diagnose(feasible, 10)["summary"] == FEASIBLE_BUT_NO_ROSTER
    monkeypatch.setattr(
        diagnose_module, "find_core", lambda problem, time_limit=20.0: CoreResult(feasible=None)
    )
    # and the correction-set fallback finds nothing either
    monkeypatch.setattr(correction_module, "find_correction", lambda *a, **k: CorrectionResult())
    undecided = diagnose_roster(_pins_break_succession(), 10, proven_infeasible=True)
    assert undecided.feasible is None
    assert undecided.summary.startswith("Which hard rules clash could not be found within ")
    assert "whether" not in undecided.summary


def test_cli_gives_the_diagnosis_its_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ward.json"
    save_project(_pins_break_succession(), path)
    seen: list[float] = []

    def recording(problem: RosterProblem, time_limit: float = 20.0, **kwargs: Any) -> Diagnosis:
        seen.append(time_limit)
        return Diagnosis(feasible=False, summary="planted")

    monkeypatch.setattr(diagnosis_module, "diagnose_roster", recording)
    for args in (["--time-limit", "7"], []):
        outcome = runner.invoke(app, ["solve", str(path), "--workers", "1", "--quiet", *args])
        assert outcome.exit_code == 1
        assert "  • planted" in outcome.output
    assert seen == [7.0, 60.0]


def test_cli_never_says_both_cannot_and_can_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a solver that stops without a roster and calls it INFEASIBLE (as CBC can when its
    # time limit ends in preprocessing) on a ward whose rules can all hold
    solve_module = importlib.import_module("optimizer.solve")  # `optimizer.solve` is the function
    path = tmp_path / "ward.json"
    save_project(_ward(), path)
    monkeypatch.setattr(
        solve_module, "solve", lambda *args, **kwargs: Result(status=SolveStatus.INFEASIBLE)
    )
    outcome = runner.invoke(app, ["solve", str(path), "--time-limit", "5", "--quiet"])
    assert outcome.exit_code == 1
    assert "cannot all hold" not in outcome.output
    assert "the solver stopped without a roster, and its time limit may be too short" in (
        " ".join(outcome.output.split())
    )


# -- defect 3: the count of a hard minimum and the fix agree -------------------------------


def _four_icu(**extra: Any) -> RosterProblem:
    # Night Tue needs all 4 ICU nurses (hard); Jo and Sam are on leave that day. One
    # leave day already conflicts with the minimum, but the shift has only 2 nurses:
    # 2 agency nurses, not 1, and both people on leave are named.
    names = {"jo": "Jo Park", "sam": "Sam Lee", "ana": "Ana Silva", "ben": "Ben Cho"}
    staff = tuple(Staff(id=i, name=n, skills=("ICU",)) for i, n in names.items())
    fields: dict[str, Any] = {
        "staff": staff,
        "cover": (CoverDemand(day=1, shift="N", skill="ICU", required=4, min_required=4),),
        "unavailability": (
            Unavailability(staff="jo", first_day=1, last_day=1, reason="annual leave"),
            Unavailability(staff="sam", first_day=1, last_day=1, reason="study leave"),
        ),
    }
    return _ward(**(fields | extra))


AGENCY = (
    "allow agency cover: 2 ICU-skilled nurses from outside the team on Night Tue 15 Dec "
    "(or lower the hard minimum from 4 to 2)"
)


def test_a_hard_minimum_names_everyone_on_leave_and_sizes_the_fix() -> None:
    problem = _four_icu()
    diagnosis = diagnose_roster(problem, 20)
    assert [c.rule for c in diagnosis.conflicts].count("unavailable") == 1
    assert (
        "only 2 are available because Jo Park is unavailable (annual leave) on Tue 15 Dec and "
        "Sam Lee is unavailable (study leave) on Tue 15 Dec: " + AGENCY
    ) in diagnosis.summary
    assert diagnosis.relaxations[0] == AGENCY
    relaxed = problem.model_copy(
        update={"cover": (problem.cover[0].model_copy(update={"min_required": 2}),)}
    )
    solve_verified(relaxed, time_limit=10)


def test_the_sized_fix_holds_with_other_conflicts_too() -> None:
    # Ben is also pinned to Night Thu and Early Fri, a forbidden succession
    problem = _four_icu(
        pins=(Pin(staff="ben", day=3, shift="N"), Pin(staff="ben", day=4, shift="E"))
    )
    diagnosis = diagnose_roster(problem, 20)
    assert "only 2 are available because" in diagnosis.summary
    assert AGENCY + OTHERS_REMAIN in diagnosis.relaxations


# -- defects 5 and 7: wording --------------------------------------------------------------


def test_leave_of_some_shifts_is_described_with_them() -> None:
    problem = _ward(
        cover=(CoverDemand(day=1, shift="N", skill="ICU", required=2, min_required=2),),
        unavailability=(
            Unavailability(staff="jo", first_day=0, last_day=2, shifts=("N",), reason="childcare"),
        ),
    )
    diagnosis = diagnose_roster(problem, 20)
    assert "Jo Park is unavailable (childcare) for Night on Tue 15 Dec" in diagnosis.summary
    assert "ask Jo Park to move the childcare for Night on Tue 15 Dec" in diagnosis.relaxations


def test_counts_are_singular_when_one() -> None:
    diagnosis = diagnose_roster(_only_jo(1, range(0, 7, 2), 7), 20)
    assert "Jo Park may work at most 1 Night shift" in [c.message for c in diagnosis.conflicts]
    weekend = _ward(
        staff=(Staff(id="sam", name="Sam Lee", contract=Contract(max_weekends=0)),),
        pins=(Pin(staff="sam", day=5, shift="E"),),  # Saturday 19 Dec
    )
    messages = [c.message for c in diagnose_roster(weekend, 20).conflicts]
    assert "Sam Lee may not work at weekends" in messages


def test_one_more_rule_is_singular() -> None:
    # Sam may work at most 3 days in a row but is pinned Mon–Thu, each day to another
    # shift, so each pin is a conflict of its own: the summary leads with the limit, names
    # three pins and "1 more rule"
    shifts = tuple(
        ShiftType(id=f"S{i}", name=f"Shift {i}", start="08:00", length_minutes=60) for i in range(4)
    )
    problem = _ward(
        shifts=shifts,
        staff=(Staff(id="sam", name="Sam Lee", contract=Contract(max_consecutive_work=3)),),
        pins=tuple(Pin(staff="sam", day=d, shift=f"S{d}") for d in range(4)),
    )
    diagnosis = diagnose_roster(problem, 20)
    assert len(diagnosis.conflicts) == 5
    assert " and 1 more rule:" in diagnosis.summary


# -- defect 4: roster validation names people, dates and shifts ----------------------------


def test_pin_messages_name_the_person_date_and_shifts() -> None:
    with pytest.raises(ValidationError) as caught:
        _ward(
            unavailability=(Unavailability(staff="jo", first_day=1, last_day=1),),
            pins=(
                Pin(staff="jo", day=1, shift="N"),
                Pin(staff="sam", day=2, shift="N"),
                Pin(staff="sam", day=2, shift="E"),
            ),
        )
    text = str(caught.value)
    assert (
        "pins[0] of Jo Park ('jo') (Tue 15 Dec): pinned to Night on a day Jo Park is "
        "unavailable (leave)"
    ) in text
    assert "pins[2] of Sam Lee ('sam') (Wed 16 Dec): the day is pinned twice (Night and Early)" in (
        text
    )
    assert "(day " not in text


def test_a_bundle_places_the_pin_message_on_its_line(tmp_path: Path) -> None:
    tables = roster_tables(_ward())
    tables["pins"] = pd.DataFrame(
        [
            {"staff": "sam", "date": "2026-12-15", "shift": "N"},
            {"staff": "sam", "date": "2026-12-15", "shift": "E"},
        ]
    )
    path = tmp_path / "ward.zip"
    path.write_bytes(tables_to_zip(tables))
    with pytest.raises(CareallocError) as caught:
        load_problem(path)
    lines, _hidden = error_lines(caught.value)
    (line,) = [line for line in lines if "pins.csv" in line]
    assert "pins.csv:3" in line  # the header is line 1, the second pin line 3
    assert "Sam Lee ('sam') (Tue 15 Dec): the day is pinned twice (Night and Early)" in line


# -- defect 6: refused requests of weight 0 ------------------------------------------------


def test_a_refused_request_of_weight_0_counts_as_refused() -> None:
    # Jo is pinned to Early on Mon and asked for Mon off at weight 0: refused, at no cost
    problem = _ward(
        pins=(Pin(staff="jo", day=0, shift="E"),),
        requests=(ShiftRequest(staff="jo", day=0, want=False, weight=0),),
    )
    result, _report = solve_verified(problem, time_limit=10)
    assert result.roster is not None
    assert roster_kpis(problem, result.roster).requests_granted_pct == 0.0


# -- the command line --------------------------------------------------------------------------


def test_solve_without_a_time_limit_says_so_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "ward.json"
    save_project(_ward(), path)
    out = tmp_path / "result.json"
    args = ["solve", str(path), "--workers", "1", "--seed", "0", "--out", str(out)]
    talking = runner.invoke(app, args)
    assert talking.exit_code == 0, talking.output
    assert NO_LIMIT_NOTE in " ".join(talking.output.split())
    assert check(load_project(path), load_result(out)).feasible
    quiet = runner.invoke(app, [*args, "--quiet"])
    assert quiet.exit_code == 0 and "note:" not in quiet.output
    helped = runner.invoke(app, ["solve", "--help"], env={"COLUMNS": "200"})
    assert "runs until proven optimal" in " ".join(helped.output.split())


@pytest.mark.parametrize(
    "bad", [["--workers", "0"], ["--seed", "-1"], ["--param", "bogus_param=3"], ["--backend", "x"]]
)
def test_a_bad_option_is_the_only_message_no_note_about_a_solve_first(
    tmp_path: Path, bad: list[str]
) -> None:
    path = tmp_path / "ward.json"
    save_project(_ward(), path)
    refused = runner.invoke(app, ["solve", str(path), *bad])
    assert refused.exit_code == 2, refused.output
    assert "note:" not in refused.output and "error:" in refused.output


def test_bench_refuses_an_unknown_instance_before_the_table(tmp_path: Path) -> None:
    outcome = runner.invoke(app, ["bench", str(_suite(tmp_path)), "--instances", "Nope"])
    assert outcome.exit_code == 2
    assert "no instance matches 'Nope'" in outcome.output
    assert "objective" not in outcome.output  # no table header


def test_cases_summary_shows_idle_minutes(tmp_path: Path) -> None:
    # two 60-minute cases pinned at 0 and 200 in one room with a 10-minute turnover:
    # the room stands empty 200 - 60 - 10 = 130 minutes between them
    problem = CaseProblem(
        horizon=600,
        tasks=(Task(id="a", duration=60), Task(id="b", duration=60)),
        rooms=(Room(id="R1", turnover=10),),
        pins=(CasePin(task="a", start=0, room="R1"), CasePin(task="b", start=200, room="R1")),
    )
    path, out = tmp_path / "cases.json", tmp_path / "result.json"
    save_project(problem, path)
    args = ["solve", str(path), "--time-limit", "10", "--workers", "1", "--out", str(out)]
    outcome = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert outcome.exit_code == 0, outcome.output
    lines = outcome.output.splitlines()
    header = next(line for line in lines if line.split()[:2] == ["room", "cases"])
    assert header.index("overtime") < header.index("idle") < header.index("first")
    row = next(line for line in lines if line.lstrip().startswith("R1"))
    assert row.split()[-3:] == ["130", "t=0", "t=260"]  # idle minutes, first, last
    assert check(problem, load_result(out)).feasible


def test_a_shift_with_everyone_qualified_away_says_none_is_available() -> None:
    problem = RosterProblem.model_validate(
        {
            "name": "two away",
            "start_date": "2026-12-14",
            "num_days": 3,
            "shifts": [{"id": "N", "name": "Night", "start": "21:30", "length_minutes": 600}],
            "staff": [
                {"id": "n1", "name": "Jo Park", "skills": ["RN", "ICU"]},
                {"id": "n2", "name": "Sam Lee", "skills": ["RN", "ICU"]},
                {"id": "n3", "name": "Ana Silva", "skills": ["RN"]},
            ],
            "cover": [{"day": 1, "shift": "N", "skill": "ICU", "required": 2, "min_required": 2}],
            "unavailability": [
                {"staff": "n1", "first_day": 1, "last_day": 1, "reason": "annual leave"},
                {"staff": "n2", "first_day": 1, "last_day": 1, "reason": "annual leave"},
            ],
        }
    )
    found = diagnose_roster(problem, time_limit=20)
    text = " ".join(found.messages())
    assert "none is available" in text and "only 0" not in text
