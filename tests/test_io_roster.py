"""Project JSON and roster CSV: round trips and one clear message per bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimizer.demo.ward import default_path, generate_ward
from optimizer.errors import InputError
from optimizer.io.load import load_problem
from optimizer.io.project import load_project, problem_to_json, save_project
from optimizer.io.roster_csv import read_roster_csv, roster_to_csv
from optimizer.model.result import Assignment, RosterSolution


def test_demo_ward_file_is_the_generator_output() -> None:
    assert load_project(default_path()) == generate_ward()


def test_demo_ward_is_deterministic_per_seed() -> None:
    assert generate_ward(5) == generate_ward(5)
    assert generate_ward(5) != generate_ward(6)


def test_project_json_round_trip(tmp_path: Path) -> None:
    problem = generate_ward()
    path = tmp_path / "ward.json"
    save_project(problem, path)
    assert json.loads(path.read_text())["kind"] == "roster"
    assert load_problem(path) == problem


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n "kind": "roster",\n "num_days": ,\n}\n')
    with pytest.raises(InputError) as info:
        load_project(path)
    assert str(info.value).startswith(f"{path}:3: not valid JSON")


def test_invalid_model_names_the_field_and_rule(tmp_path: Path) -> None:
    data = json.loads(problem_to_json(generate_ward()))
    data["staff"][2]["contract"]["min_minutes"] = 99999
    path = tmp_path / "ward.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as info:
        load_project(path)
    message = str(info.value)
    assert "field 'staff.2.contract'" in message
    assert "min_minutes 99999 exceeds max_minutes" in message


def test_cross_reference_errors_name_the_ids(tmp_path: Path) -> None:
    data = json.loads(problem_to_json(generate_ward()))
    data["requests"][0]["staff"] = "ghost"
    data["cover"][0]["skill"] = "ECMO"
    path = tmp_path / "ward.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as info:
        load_project(path)
    assert "unknown staff 'ghost'" in str(info.value)
    assert "demand for skill 'ECMO' that nobody has" in str(info.value)


def test_unknown_kind_and_extension_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"kind": "payroll"}')
    with pytest.raises(InputError, match="unknown problem kind 'payroll'"):
        load_problem(path)
    other = tmp_path / "x.xml"
    other.write_text("<x/>")
    with pytest.raises(InputError, match="cannot tell the format"):
        load_problem(other)


def test_roster_csv_round_trip(tmp_path: Path) -> None:
    roster = RosterSolution(
        assignments=(
            Assignment(staff="N02", day=3, shift="L"),
            Assignment(staff="N01", day=0, shift="E"),
        )
    )
    text = roster_to_csv(roster)
    assert text.splitlines() == ["staff,day,shift", "N01,0,E", "N02,3,L"]
    path = tmp_path / "r.csv"
    path.write_text(text)
    assert set(read_roster_csv(path).assignments) == set(roster.assignments)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("who,when\n", ":1: the first line must be the header"),
        ("staff,day,shift\nN01,zero,E\n", ":2, field 'day': day 'zero' must be a whole number"),
        ("staff,day,shift\nN01,1\n", ":2: expected 3 fields"),
    ],
)
def test_roster_csv_errors_name_the_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        read_roster_csv(path)
    assert expected in str(info.value)
