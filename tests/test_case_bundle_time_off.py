"""Case bundles carry staff time off (``StaffMember.unavailable``) in a ``time_off`` sheet."""

from __future__ import annotations

import pytest

from dashboards.samples import small_theatre
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.cells import TableErrors
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.templates import template_xlsx
from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip
from optimizer.io.tables.to_problem import keep_fields_not_in_tables, validate_tables
from optimizer.model.cases import CaseProblem, Window
from tests.verify import solve_verified


def _theatre_with_time_off() -> CaseProblem:
    """The small theatre with the surgeon off from 10:00 to 12:00 and 15:00 to 16:00."""
    problem = small_theatre()
    off = (Window(start=600, end=720), Window(start=900, end=960))
    staff = tuple(
        person.model_copy(update={"unavailable": off}) if person.id == "S1" else person
        for person in problem.staff
    )
    return problem.model_copy(update={"staff": staff})


def test_time_off_is_a_sheet_with_one_row_per_window() -> None:
    tables = problem_tables(_theatre_with_time_off())
    rows = tables["time_off"].to_dict("records")
    assert rows == [
        {"staff": "S1", "start": "2026-12-07 10:00", "end": "2026-12-07 12:00"},
        {"staff": "S1", "start": "2026-12-07 15:00", "end": "2026-12-07 16:00"},
    ]


@pytest.mark.parametrize("suffix", ["xlsx", "zip"])
def test_time_off_survives_the_round_trip(suffix: str) -> None:
    problem = _theatre_with_time_off()
    tables = problem_tables(problem)
    data = tables_to_xlsx(tables) if suffix == "xlsx" else tables_to_zip(tables)
    back = read_bundle(f"theatre.{suffix}", data)
    assert back == problem
    surgeon = next(p for p in back.staff if p.id == "S1")
    assert [(w.start, w.end) for w in surgeon.unavailable] == [(600, 720), (900, 960)]


def test_applying_table_edits_keeps_time_off() -> None:
    """The dashboard's *Apply edits* rebuilds the problem from its tables."""
    problem = _theatre_with_time_off()
    rebuilt, errors = validate_tables(problem_tables(problem))
    assert errors == []
    kept, note = keep_fields_not_in_tables(rebuilt, problem)
    assert kept == problem
    assert note == ""


def test_time_off_for_an_unknown_person_is_named() -> None:
    tables = problem_tables(_theatre_with_time_off())
    tables["time_off"].loc[1, "staff"] = "S9"
    problem, errors = validate_tables(tables)
    assert problem is None
    assert [(e.sheet, e.field, e.message) for e in errors] == [
        ("time_off", "staff", "unknown staff 'S9'")
    ]


def test_a_bad_time_off_row_is_named_by_its_row() -> None:
    tables = problem_tables(_theatre_with_time_off())
    tables["time_off"].loc[1, "end"] = "2026-12-07 09:00"
    with pytest.raises(TableErrors) as caught:
        read_bundle("theatre.zip", tables_to_zip(tables))
    assert str(caught.value).startswith("theatre.zip/time_off.csv:2")
    assert "window ends" in str(caught.value)


def test_the_solver_keeps_cases_out_of_time_off() -> None:
    problem = read_bundle("theatre.xlsx", tables_to_xlsx(problem_tables(_theatre_with_time_off())))
    result, _ = solve_verified(problem, time_limit=20)
    assert result.schedule is not None
    with_surgeon = [t for t in result.schedule.tasks if "S1" in t.staff]
    assert with_surgeon  # the surgeon still operates, outside the time off
    for task in with_surgeon:
        assert task.end <= 600 or 720 <= task.start < 900 or task.start >= 960
        assert not (task.start < 960 and task.end > 900)


def test_the_case_template_shows_a_time_off_row() -> None:
    problem = read_bundle("template.xlsx", template_xlsx("cases"))
    assert isinstance(problem, CaseProblem)
    off = {p.id: [(w.start, w.end) for w in p.unavailable] for p in problem.staff}
    assert off["R1"] == [(720, 780)]
