"""PSPLIB reader, schedule CSV contract, and bad-file messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from optimizer.check import check
from optimizer.errors import InputError
from optimizer.io.psplib import read_psplib
from optimizer.io.schedule_csv import read_schedule_csv, schedule_to_csv, write_schedule_csv
from optimizer.model import (
    CaseProblem,
    CaseSchedule,
    Resource,
    Room,
    ScheduledTask,
    SolveStatus,
    StaffMember,
    Task,
)
from tests.verify import solve_verified

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(os.environ.get("CAREALLOC_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))

# 3 real jobs (2, 3, 4) + dummies 1 and 5; R1 capacity 2.
# Jobs 2 and 3 (2 units each) cannot overlap; 4 (no resource) follows 2. Optimum:
# 2 [0,3), 3 [3,5), 4 [3,7) → makespan 7 (3 first gives 2 [2,5), 4 [5,9) = 9).
TINY = """\
************************************************************************
file with basedata            : tiny.bas
initial value random generator: 1
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  5
horizon                       :  9
RESOURCES
  - renewable                 :  1   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PROJECT INFORMATION:
pronr.  #jobs rel.date duedate tardcost  MPM-Time
    1      3      0        7        1        7
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           5
   4        1          1           5
   5        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1
------------------------------------------------------------------------
  1      1     0       0
  2      1     3       2
  3      1     2       2
  4      1     4       0
  5      1     0       0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1
    2
************************************************************************
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tiny.sm"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_jobs_resources_and_precedences(tmp_path: Path) -> None:
    problem = read_psplib(write(tmp_path, TINY))
    assert [t.id for t in problem.tasks] == ["1", "2", "3", "4", "5"]
    assert [t.duration for t in problem.tasks] == [0, 3, 2, 4, 0]
    assert problem.task("2").resources == {"R1": 2}
    assert problem.resources == (Resource(id="R1", capacity=2),)
    assert {(p.before, p.after) for p in problem.precedences} == {
        ("1", "2"),
        ("1", "3"),
        ("2", "4"),
        ("3", "5"),
        ("4", "5"),
    }
    assert problem.weights.makespan == 1 and problem.weights.unscheduled == 0
    assert problem.name == "tiny" and problem.start is None


def test_tiny_instance_optimum_and_csv_contract(tmp_path: Path) -> None:
    problem = read_psplib(write(tmp_path, TINY))
    result, _ = solve_verified(problem, time_limit=10)
    assert result.objective == 7
    assert result.schedule is not None
    text = schedule_to_csv(result.schedule)
    lines = text.splitlines()
    assert lines[0] == "task,start,end,staff,resources"
    assert "2,0,3,,R1" in lines and "4,3,7,," in lines
    out = tmp_path / "schedule.csv"
    write_schedule_csv(result.schedule, out)
    again = read_schedule_csv(out, problem)
    assert check(problem, again).objective == 7
    assert again.by_task() == result.schedule.by_task()


def test_project_scheduling_runs_without_lp_unless_asked(tmp_path: Path) -> None:
    from optimizer.demo.surgery import generate_surgical_week
    from optimizer.solvers.cpsat.cases import _no_lp_portfolio
    from optimizer.solvers.options import SolveOptions

    problem = read_psplib(write(tmp_path, TINY))
    assert _no_lp_portfolio(problem, SolveOptions())
    assert not _no_lp_portfolio(problem, SolveOptions(params={"linearization_level": 2}))
    assert not _no_lp_portfolio(problem, SolveOptions(params={"subsolvers": ["default_lp"]}))
    assert not _no_lp_portfolio(generate_surgical_week(), SolveOptions())
    for params in ({}, {"linearization_level": 2}):  # no-LP portfolio; LP and cliques
        result, _ = solve_verified(problem, time_limit=10, workers=2, **params)
        assert (result.status, result.objective, result.bound) == (SolveStatus.OPTIMAL, 7, 7)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("PRECEDENCE RELATIONS:", "PRECEDENCES:", "no line starting 'PRECEDENCE RELATIONS'"),
        (
            "  2      1     3       2",
            "  2      1     x       2",
            "tiny.sm:29: request row, field 3: 'x'",
        ),
        ("   2        1          1           4", "   7        1          1           4", ":20:"),
        ("   2        1          1           4", "   2        1          1           9", ":20:"),
        ("   2        1          1           4", "   2        2          1           4", "modes"),
        ("   2        1          1           4", "   2        1          2           4", "lists 1"),
        ("  - nonrenewable              :  0", "  - nonrenewable              :  1", ":10:"),
        ("  2      1     3       2", "  2      1     3       5", "requests 5 of resource R 1"),
        ("    2\n****", "    2  3\n****", "expected 1 resource availabilities, found 2"),
        ("horizon                       :  9", "horizon                       :", "no value"),
    ],
    ids=[
        "missing section",
        "non-numeric",
        "wrong job row",
        "bad successor",
        "multi-mode",
        "successor count",
        "nonrenewable",
        "over capacity",
        "availability count",
        "missing value",
    ],
)
def test_bad_files_name_file_line_and_rule(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in TINY
    with pytest.raises(InputError) as info:
        read_psplib(write(tmp_path, TINY.replace(old, new, 1)))
    assert message in str(info.value)
    assert "tiny.sm" in str(info.value)


def test_truncated_file_and_missing_file(tmp_path: Path) -> None:
    cut = TINY[: TINY.index("  4      1     4")]
    with pytest.raises(InputError, match="ends too early"):
        read_psplib(write(tmp_path, cut))
    with pytest.raises(InputError, match="cannot read the file"):
        read_psplib(tmp_path / "absent.sm")


def test_cyclic_precedences_in_a_file_are_reported(tmp_path: Path) -> None:
    text = TINY.replace(
        "   4        1          1           5", "   4        1          1           2"
    )
    with pytest.raises(InputError, match="cyclic precedences: '2' → '4' → '2'"):
        read_psplib(write(tmp_path, text))


def test_schedule_csv_rooms_staff_and_bad_rows(tmp_path: Path) -> None:
    problem = CaseProblem(
        horizon=100,
        tasks=[Task(id="a", duration=10, staff=["x", "y"], resources={"carm": 1})],
        rooms=[Room(id="OR1")],
        staff=[StaffMember(id="x"), StaffMember(id="y")],
        resources=[Resource(id="carm", capacity=1)],
    )
    schedule = CaseSchedule(
        tasks=(
            ScheduledTask(
                task="a", start=5, end=15, room="OR1", staff=("x", "y"), resources=("carm",)
            ),
        )
    )
    text = schedule_to_csv(schedule)
    assert text.splitlines()[1] == "a,5,15,x;y,room:OR1;carm"
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    assert read_schedule_csv(path) == schedule  # self-describing without the problem
    path.write_text("task,start,end,staff,resources\na,5,15,x;y,OR1;carm\n", encoding="utf-8")
    assert read_schedule_csv(path, problem) == schedule  # bare room id, given the problem
    for body, message in [
        ("a,five,15,x,\n", "s.csv:2, field 'start': start 'five' must be a whole number"),
        ("b,5,15,x,\n", "s.csv:2, field 'task': unknown task 'b'"),
        ("a,5,15,z,\n", "unknown staff 'z'"),
        ("a,5,15,x,room:OR1;drill\n", "unknown room or resource 'drill'"),
        ("a,5,15\n", "expected 5 fields"),
    ]:
        path.write_text("task,start,end,staff,resources\n" + body, encoding="utf-8")
        with pytest.raises(InputError) as info:
            read_schedule_csv(path, problem)
        assert message in str(info.value)
    path.write_text("job,start\n", encoding="utf-8")
    with pytest.raises(InputError, match="header task,start,end,staff,resources"):
        read_schedule_csv(path, problem)


def test_real_j30_file_when_available() -> None:
    path = BENCHMARKS / "rcpsp-psplib" / "instances" / "j30" / "j301_1.sm"
    if not path.is_file():
        pytest.skip(f"PSPLIB benchmarks not found at {path} (set CAREALLOC_BENCHMARKS)")
    problem = read_psplib(path)
    assert len(problem.tasks) == 32
    assert [r.capacity for r in problem.resources] == [12, 13, 4, 12]
    assert problem.task("2").duration == 8 and problem.task("2").resources == {"R1": 4}
    assert len(problem.precedences) == sum(1 for p in problem.precedences if p.before != "32")


def test_bench_reads_psplib_best_known_table(tmp_path: Path) -> None:
    from optimizer.bench import read_best_known, run_bench

    suite = tmp_path / "suite"
    (suite / "instances" / "j30").mkdir(parents=True)
    (suite / "instances" / "j30" / "tiny.sm").write_text(TINY, encoding="utf-8")
    (suite / "best_known.csv").write_text(
        "set,instance,file_included,lb,ub,optimal\nj30,tiny,yes,7,7,yes\n", encoding="utf-8"
    )
    assert read_best_known(suite / "best_known.csv") == {"tiny": 7}
    rows = run_bench(suite, time_limit=10, workers=1, select="tiny*", seed=0)
    assert [(r.instance, r.objective, r.best_known, r.gap_pct) for r in rows] == [
        ("j30/tiny", 7, 7, 0.0)
    ]
