"""The Curtois–Qu reader: mapping onto RosterProblem and one clear error per bad input."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from optimizer.errors import InputError
from optimizer.io.curtois import read_curtois
from optimizer.model.result import SolveStatus
from tests.verify import solve_verified

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(os.environ.get("CAREALLOC_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))

TINY = """\
# a tiny instance in the benchmark format
SECTION_HORIZON
# days
7

SECTION_SHIFTS
E,480,
L,480,E

SECTION_STAFF
A,E=7|L=7,2400,960,5,2,2,1
B,E=7|L=0,2400,960,5,1,1,1

SECTION_DAYS_OFF
A,0,1

SECTION_SHIFT_ON_REQUESTS
B,3,E,2

SECTION_SHIFT_OFF_REQUESTS
A,4,L,3

SECTION_COVER
0,E,1,100,1
1,E,1,100,1
2,L,1,100,1
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "Tiny.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_tiny_instance_maps_onto_the_model(tmp_path: Path) -> None:
    problem = read_curtois(_write(tmp_path, TINY))
    assert problem.name == "Tiny"
    assert problem.start_date == dt.date(2024, 1, 1)
    assert problem.start_date.weekday() == 0  # day 0 is a Monday
    assert problem.num_days == 7
    assert [s.id for s in problem.shifts] == ["E", "L"]
    assert problem.shift("L").forbidden_next == ("E",)
    assert problem.forbidden_successions() == {("L", "E")}
    a = problem.person("A").contract
    assert (a.max_minutes, a.min_minutes) == (2400, 960)
    assert (a.max_consecutive_work, a.min_consecutive_work, a.min_consecutive_off) == (5, 2, 2)
    assert a.max_weekends == 1
    assert problem.person("B").contract.max_shifts_per_type == {"E": 7, "L": 0}
    assert [(u.staff, u.first_day, u.last_day, u.shifts) for u in problem.unavailability] == [
        ("A", 0, 0, None),
        ("A", 1, 1, None),
    ]
    on = [r for r in problem.requests if r.want]
    off = [r for r in problem.requests if not r.want]
    assert [(r.staff, r.day, r.shift, r.weight) for r in on] == [("B", 3, "E", 2)]
    assert [(r.staff, r.day, r.shift, r.weight) for r in off] == [("A", 4, "L", 3)]
    assert [(c.day, c.shift, c.skill, c.required, c.under_weight, c.over_weight) for c in
            problem.cover] == [(0, "E", None, 1, 100, 1), (1, "E", None, 1, 100, 1),
                               (2, "L", None, 1, 100, 1)]  # fmt: skip


def test_tiny_instance_optimum(tmp_path: Path) -> None:
    # A is off on days 0-1, so B (E only, min 960 minutes = 2 shifts) covers E on days 0
    # and 1; B may not work L, so A covers L on day 2. A's run starting on day 2 must
    # last >= 2 days (it follows days off), so A also works day 3 — L, since E may not
    # follow L — which costs nothing (no cover line for day 3). B's E request on day 3
    # is granted (B's minimum run and rest are 1 day). Everything is met -> 0.
    result, _ = solve_verified(read_curtois(_write(tmp_path, TINY)))
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == 0


@pytest.mark.parametrize(
    ("old", "new", "line", "phrase"),
    [
        # wrong / misplaced section
        ("SECTION_DAYS_OFF", "SECTION_HOLIDAYS", 14, "unknown section 'SECTION_HOLIDAYS'"),
        ("SECTION_COVER", "SECTION_SHIFTS", 23, "out of order"),
        # non-numeric fields
        ("E,480,", "E,eight hours,", 7, "shift length in minutes must be an integer"),
        ("0,E,1,100,1", "0,E,one,100,1", 24, "cover requirement must be an integer"),
        ("A,E=7|L=7,2400", "A,E=7|L=x,2400", 11, "MaxShifts limit for 'L' must be an integer"),
        # unknown ids
        ("L,480,E", "L,480,N", 8, "unknown shift id 'N'"),
        ("B,3,E,2", "B,3,X,2", 18, "unknown shift id 'X'"),
        ("A,4,L,3", "Z,4,L,3", 21, "unknown employee id 'Z'"),
        # wrong field counts
        ("B,E=7|L=0,2400,960,5,1,1,1", "B,E=7|L=0,2400,960,5,1,1", 12, "need 8"),
        ("1,E,1,100,1", "1,E,1,100", 25, "need 5"),
        # out-of-range values
        ("A,0,1", "A,0,9", 15, "day 9 is outside the horizon"),
        ("0,E,1,100,1", "0,E,-1,100,1", 24, "cover requirement must be ≥ 0"),
        # beyond the model's limits: one message with the line, never a traceback
        ("0,E,1,100,1", "0,E,1,100000000000000000000,1", 24, "under_weight"),
        ("B,3,E,2", "B,3,E,100000000000000000000", 18, "weight"),
    ],
)
def test_bad_input_names_file_line_and_rule(
    tmp_path: Path, old: str, new: str, line: int, phrase: str
) -> None:
    assert old in TINY
    text = TINY.replace(old, new, 1)
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as info:
        read_curtois(path)
    error = info.value
    assert error.file == str(path)
    assert error.line == line  # 1-based, comment and blank lines counted
    assert phrase in str(error)
    assert f"{path}:{error.line}" in str(error)


def test_data_before_any_section(tmp_path: Path) -> None:
    path = _write(tmp_path, "7\n" + TINY)
    with pytest.raises(InputError, match="data before the first section") as info:
        read_curtois(path)
    assert info.value.line == 1


def test_missing_required_section(tmp_path: Path) -> None:
    text = TINY.split("SECTION_STAFF")[0]
    with pytest.raises(InputError, match="missing section 'SECTION_STAFF'"):
        read_curtois(_write(tmp_path, text))


def test_duplicate_ids(tmp_path: Path) -> None:
    text = TINY.replace("L,480,E\n", "L,480,E\nE,600,\n")
    with pytest.raises(InputError, match="shift id 'E' is defined twice") as info:
        read_curtois(_write(tmp_path, text))
    assert info.value.line == 9


def test_contract_rule_broken_names_the_line(tmp_path: Path) -> None:
    # MinTotalMinutes above MaxTotalMinutes: the model's own rule, reported at the line.
    text = TINY.replace("A,E=7|L=7,2400,960", "A,E=7|L=7,900,960")
    with pytest.raises(InputError, match="min_minutes 960 exceeds max_minutes 900") as info:
        read_curtois(_write(tmp_path, text))
    assert info.value.line == 11


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        read_curtois(tmp_path / "nope.txt")


def test_all_benchmark_instances_read() -> None:
    folder = BENCHMARKS / "curtois-nrp" / "instances"
    if not folder.is_dir():
        pytest.skip(f"Curtois–Qu benchmarks not found at {folder} (set CAREALLOC_BENCHMARKS)")
    sizes = {}
    for number in (1, 7, 12):
        problem = read_curtois(folder / f"Instance{number}.txt")
        sizes[number] = (problem.num_days, len(problem.staff), len(problem.shifts))
    # From the size table in the suite's SOURCE.md.
    assert sizes == {1: (14, 8, 1), 7: (28, 20, 3), 12: (28, 60, 10)}
    problem = read_curtois(folder / "Instance7.txt")
    assert sum(r.want for r in problem.requests) == 104
    assert sum(not r.want for r in problem.requests) == 64
    assert len(problem.cover) == 84
