"""Fixes from a second look at the day's changes: ``--param`` with a ``solve()`` argument
or a bad switch value, decimal-comma hints in whole-number cells, a header merged down
into the data, zero-cost lexicographic stages, NumPy bools, and ``time_off`` rows outside
the plan or reversed."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import optimizer.lexicographic as lexicographic
from dashboards.samples import small_theatre
from optimizer import solve, solve_many
from optimizer.bench import run_bench
from optimizer.cli import app
from optimizer.errors import InputError
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.cells import BadCell, TableErrors, parse_int
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.templates import template_xlsx
from optimizer.io.tables.to_bundle import tables_to_zip
from optimizer.lexicographic import solve_lexicographic
from optimizer.model.cases import CaseProblem
from optimizer.model.result import Result, SolveStatus
from optimizer.model.roster import CoverDemand, RosterProblem, ShiftType, Staff
from optimizer.solve import check_params
from optimizer.solvers.options import check_callback_options
from tests.test_api_probe_fixes import _suite
from tests.verify import solve_verified, verify_result


def _ward(required: int) -> RosterProblem:
    """Three nurses, one early shift on Monday needing ``required``: optimum 0 up to 3
    (no over-staffing needed), 100 per nurse missing beyond."""
    return RosterProblem(
        start_date=dt.date(2026, 12, 7),
        num_days=1,
        shifts=(ShiftType(id="E", start="07:00", length_minutes=480),),
        staff=tuple(Staff(id=f"S{i}") for i in range(3)),
        cover=(CoverDemand(day=0, shift="E", required=required),),
    )


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "ward.json"
    path.write_text(_ward(2).model_dump_json(), encoding="utf-8")
    return path


# -- --param: solve() arguments are refused, naming the option -------------------------


@pytest.mark.parametrize(
    ("param", "words"),
    [
        ("seed=5", "'seed' is not a backend parameter; use --seed"),
        ("time_limit=3", "'time_limit' is not a backend parameter; use --time-limit"),
        ("workers=2", "use --workers"),
        ("backend=milp", "use --backend"),
        ("hint=x", "'hint' is not a backend parameter; it is set only from Python"),
        ("stage_weights=x", "'stage_weights' is not a backend parameter"),
        ("log=true", "'log' is not a backend parameter"),
    ],
)
def test_cli_solve_refuses_a_solve_argument_as_param(
    tmp_path: Path, param: str, words: str
) -> None:
    args = ["solve", str(_project(tmp_path)), "--time-limit", "5", "--param", param]
    for extra in ([], ["--lexicographic"]):
        result = CliRunner().invoke(app, [*args, *extra])
        assert result.exit_code == 2, result.output
        text = " ".join(result.output.split())
        assert text.startswith("error: field '--param': ")  # no traceback, nothing solved
        assert words in text


@pytest.mark.parametrize(
    ("param", "words"),
    [
        ("time_limit=3", "'time_limit' is not a backend parameter; use --time-limit"),
        ("workers=2", "use --workers"),
        ("backend=milp", "use --backend"),
        ("stage_weights=x", "'stage_weights' is not a backend parameter"),
        ("stage_caps=x", "'stage_caps' is not a backend parameter"),
        ("hint=x", "'hint' is not a backend parameter"),
        ("roster_staffwise=maybe", "roster_staffwise must be true or false (or auto"),
        ("roster_staffwise=False", "got 'False'"),  # Python's spelling is text here
        ("roster_staffwise_share=abc", "a number above 0 and at most 1"),
        ("roster_staffwise_share=5", "got 5"),
        ("roster_staffwise_share=0", "got 0"),
        ("roster_groups=auto", "roster_groups must be true or false, got 'auto'"),
        ("case_lns=1", "case_lns must be true or false (or auto"),
        ("seed=-1", "field '--param seed': the seed must be"),  # bench has no --seed
    ],
)
def test_cli_bench_refuses_bad_params_before_the_table(
    tmp_path: Path, param: str, words: str
) -> None:
    args = ["bench", str(_suite(tmp_path)), "--time-limit", "1", "--workers", "1"]
    result = CliRunner().invoke(app, [*args, "--param", param])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert text.startswith("error:")  # not even the table header first
    assert words in text
    assert "Tiny1" not in result.output


def test_cli_bench_still_takes_seed_and_switches(tmp_path: Path) -> None:
    """``bench`` has no ``--seed``: ``--param seed=N`` is its way to a seeded run."""
    params = ["--param", "seed=2", "--param", "roster_staffwise=false"]
    params += ["--param", "roster_staffwise_share=1"]
    args = ["bench", str(_suite(tmp_path)), "--time-limit", "20", "--workers", "1"]
    result = CliRunner().invoke(app, [*args, *params])
    assert result.exit_code == 0, result.output
    assert "Tiny1" in result.output and "OPTIMAL" in result.output


# -- switch values from Python -----------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"roster_staffwise": "False"}, "roster_staffwise"),
        ({"roster_staffwise": 0}, "roster_staffwise"),
        ({"roster_lns": "auto"}, "roster_lns"),
        ({"roster_staffwise_share": 1.5}, "roster_staffwise_share"),
        ({"roster_staffwise_share": True}, "roster_staffwise_share"),
        ({"roster_staffwise_share": float("nan")}, "roster_staffwise_share"),
        ({"case_lns": "yes"}, "case_lns"),
    ],
)
def test_solve_checks_switch_values_before_solving(params: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        solve(_ward(2), time_limit=5, workers=1, **params)
    assert caught.value.field == field
    with pytest.raises(InputError) as batch:  # a batch too, before any process starts
        solve_many([_ward(2)], time_limit=5, show_progress=False, **params)
    assert batch.value.field == field


def test_switch_values_are_made_plain() -> None:
    checked = check_params(
        {
            "roster_staffwise": np.bool_(False),
            "case_lns": "auto",
            "roster_staffwise_share": np.float32(0.5),
            "linearization_level": 2,
        }
    )
    assert checked == {
        "roster_staffwise": False,
        "case_lns": "auto",
        "roster_staffwise_share": 0.5,
        "linearization_level": 2,
    }
    assert type(checked["roster_staffwise"]) is bool
    assert type(checked["roster_staffwise_share"]) is float


def test_numpy_switches_and_log_solve() -> None:
    result, _ = solve_verified(
        _ward(4),
        time_limit=20,
        log=np.bool_(False),
        roster_staffwise=np.bool_(True),
        roster_staffwise_share=np.float64(1.0),
    )
    assert result.objective == 100  # one nurse short
    assert check_callback_options(None, np.bool_(True)) == (None, True)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"stage_weights": "x"}, "stage_weights"),
        ({"stage_caps": "x"}, "stage_caps"),
        ({"stage_caps": [({"under_cover": 1}, "10")]}, "stage_caps"),
    ],
)
def test_stage_arguments_of_the_wrong_shape_are_input_errors(
    kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(InputError) as caught:
        solve(_ward(2), time_limit=5, workers=1, **kwargs)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"hint": Result(status=SolveStatus.FEASIBLE)}, "not every instance of a suite"),
        ({"stage_weights": {"under_cover": 1}}, "solve_lexicographic"),
        ({"roster_staffwise": "no"}, "roster_staffwise must be true or false"),
    ],
)
def test_run_bench_refuses_before_loading_anything(
    tmp_path: Path, params: dict[str, Any], words: str
) -> None:
    loaded: list[Path] = []

    def loader(path: Path) -> Any:
        loaded.append(path)
        raise AssertionError("nothing is loaded after a bad setting")

    with pytest.raises(InputError, match=words):
        run_bench(_suite(tmp_path), time_limit=5, loader=loader, **params)
    assert loaded == []


# -- decimal commas in whole-number cells -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2,400", "'2,400' must be a whole number; write 2400 (no thousands separator)"),
        ("1,234,567", "'1,234,567' must be a whole number; write 1234567 (no thousands"),
        ("11,5", "'11,5' must be a whole number"),
    ],
)
def test_whole_number_cells_name_the_comma(text: str, message: str) -> None:
    with pytest.raises(BadCell) as caught:
        parse_int(text)
    assert str(caught.value).startswith(message)
    if text == "11,5":
        assert str(caught.value) == message  # no thousands hint for a decimal comma


def test_a_grouped_max_minutes_is_named_in_the_bundle() -> None:
    tables = problem_tables(read_bundle("t.xlsx", template_xlsx("roster")))
    first = tables["staff"].index[0]
    tables["staff"].loc[first, "max_minutes"] = "2,400"
    with pytest.raises(TableErrors) as caught:
        read_bundle("ward.zip", tables_to_zip(tables))
    text = str(caught.value)
    assert "ward.zip/staff.csv:2, field 'max_minutes'" in text
    assert "write 2400 (no thousands separator)" in text


# -- a header merged down into the data -----------------------------------------------------


def test_a_header_merged_down_into_the_rows_is_named() -> None:
    book = load_workbook(io.BytesIO(template_xlsx("roster")))
    sheet = book["cover"]
    sheet["A2"] = sheet["A3"] = None
    sheet.merge_cells("A1:A3")
    data = io.BytesIO()
    book.save(data)
    with pytest.raises(InputError) as caught:
        read_bundle("ward.xlsx", data.getvalue())
    text = str(caught.value)
    assert text.startswith("ward.xlsx [cover]:1, field 'date': the header cell 'date' is merged")
    assert "(A1:A3)" in text and "must be a date" not in text


# -- lexicographic stages that cost 0 are optimal --------------------------------------------


def _unproven(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every stage's solve reports FEASIBLE, as when its time box ends before a proof."""
    real = lexicographic.solve

    def solve_unproven(*args: Any, **kwargs: Any) -> Result:
        result = real(*args, **kwargs)
        result.status = SolveStatus.FEASIBLE
        return result

    monkeypatch.setattr(lexicographic, "solve", solve_unproven)


def test_a_stage_costing_zero_is_optimal_unproven(monkeypatch: pytest.MonkeyPatch) -> None:
    _unproven(monkeypatch)
    # Nothing can cost: cover 2 of 3 nurses, no requests.
    result = solve_lexicographic(_ward(2), time_limit_per_stage=10, workers=1, seed=0)
    verify_result(_ward(2), result)
    assert result.objective == 0
    assert result.status is SolveStatus.OPTIMAL
    assert "(FEASIBLE)" not in result.message and result.message.count("=0 (OPTIMAL)") == 3


def test_a_costing_stage_stays_unproven(monkeypatch: pytest.MonkeyPatch) -> None:
    _unproven(monkeypatch)
    # Cover 4 with 3 nurses: one missing (100) that no proof came for.
    result = solve_lexicographic(_ward(4), time_limit_per_stage=10, workers=1, seed=0)
    verify_result(_ward(4), result)
    assert result.objective == 100
    assert result.status is SolveStatus.FEASIBLE
    assert "under_cover=100 (FEASIBLE)" in result.message
    assert "over_cover=0 (OPTIMAL)" in result.message


# -- time_off rows: clipped to the plan, reversed ones in date-times -------------------------


def _theatre_tables(*rows: tuple[str, str, str]) -> dict[str, Any]:
    tables = problem_tables(small_theatre())  # 2026-12-07 00:00, horizon 1440
    frame = tables["time_off"]
    tables["time_off"] = frame.iloc[0:0].copy()
    for number, (person, start, end) in enumerate(rows):
        tables["time_off"].loc[number] = [person, start, end]
    return tables


def test_time_off_reaching_outside_the_plan_is_clipped() -> None:
    tables = _theatre_tables(
        ("S1", "2026-12-06 20:00", "2026-12-07 10:00"),  # sick since the night before
        ("A1", "2026-12-07 17:00", "2026-12-09 08:00"),  # off beyond the plan's end
        ("R1", "2026-12-01 08:00", "2026-12-02 08:00"),  # wholly before: left out
        ("R2", "2026-12-08 08:00", "2026-12-08 09:00"),  # wholly after: left out
    )
    problem = read_bundle("theatre.zip", tables_to_zip(tables))
    assert isinstance(problem, CaseProblem)
    off = {p.id: [(w.start, w.end) for w in p.unavailable] for p in problem.staff}
    assert off == {"S1": [(0, 600)], "A1": [(1020, 1440)], "R1": [], "R2": []}
    result, _ = solve_verified(problem, time_limit=20)
    assert result.schedule is not None
    surgeon = [t for t in result.schedule.tasks if "S1" in t.staff]
    assert surgeon and all(t.start >= 600 for t in surgeon)


def test_a_reversed_time_off_row_is_named_in_date_times() -> None:
    tables = _theatre_tables(("S1", "2026-12-07 11:00", "2026-12-07 10:00"))
    with pytest.raises(TableErrors) as caught:
        read_bundle("theatre.zip", tables_to_zip(tables))
    assert str(caught.value) == (
        "theatre.zip/time_off.csv:2: window ends (2026-12-07 10:00) at or before it "
        "starts (2026-12-07 11:00)"
    )


def test_a_bad_time_off_cell_is_still_refused() -> None:
    tables = _theatre_tables(("S1", "2026-12-07 10:00:30", "2026-12-07 11:00"))
    with pytest.raises(TableErrors, match="must be a whole minute"):
        read_bundle("theatre.zip", tables_to_zip(tables))


def test_a_reversed_opening_is_named_in_date_times() -> None:
    tables = problem_tables(small_theatre())
    first = tables["openings"].index[0]
    tables["openings"].loc[first, ["start", "end"]] = ["2026-12-07 18:00", "2026-12-07 08:00"]
    with pytest.raises(TableErrors) as caught:
        read_bundle("theatre.zip", tables_to_zip(tables))
    assert str(caught.value).startswith(
        "theatre.zip/openings.csv:2: opening ends (2026-12-07 08:00) at or before it "
        "starts (2026-12-07 18:00)"
    )
