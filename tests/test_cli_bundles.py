"""`carealloc solve` and `check` on table bundles (.xlsx, .zip of CSVs), as the dashboard
writes them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.demo.surgery import generate_surgical_week
from optimizer.io.load import detect_format, load_problem
from optimizer.io.project import load_project
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip
from tests.test_cli import _last_line, _small_ward

runner = CliRunner()


@pytest.mark.parametrize(("suffix", "write"), [(".xlsx", tables_to_xlsx), (".zip", tables_to_zip)])
def test_solve_and_check_a_roster_bundle(
    tmp_path: Path, suffix: str, write: Callable[[dict[str, pd.DataFrame]], bytes]
) -> None:
    problem = load_project(_small_ward(tmp_path))
    bundle = tmp_path / f"ward{suffix}"
    bundle.write_bytes(write(problem_tables(problem)))
    assert detect_format(bundle) == "bundle"
    assert load_problem(bundle) == problem
    out = tmp_path / "roster.csv"
    args = ["solve", str(bundle), "--time-limit", "10", "--workers", "1", "--seed", "0"]
    solved = runner.invoke(app, [*args, "--quiet", "--out", str(out)])
    assert solved.exit_code == 0, solved.output
    assert _last_line(solved.output).startswith("status=OPTIMAL objective=0 ")
    checked = runner.invoke(app, ["check", str(bundle), str(out)])
    assert checked.exit_code == 0, checked.output
    assert _last_line(checked.output) == "feasible=yes violations=0 objective=0"


def test_case_bundle_loads_as_the_same_problem(tmp_path: Path) -> None:
    problem = generate_surgical_week()
    bundle = tmp_path / "week.xlsx"
    bundle.write_bytes(tables_to_xlsx(problem_tables(problem)))
    assert load_problem(bundle) == problem
    assert load_problem(bundle, "bundle") == problem


def test_a_bad_cell_in_a_zip_bundle_names_the_file_and_line(tmp_path: Path) -> None:
    problem = load_project(_small_ward(tmp_path))
    data = tables_to_zip(problem_tables(problem))
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        files = {name: source.read(name).decode() for name in source.namelist()}
    staff = next(name for name in files if name.endswith("staff.csv"))
    lines = files[staff].splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    column = "max_shifts" if "max_shifts" in header else header[-1]
    cells[header.index(column)] = "lots"
    files[staff] = "\n".join([lines[0], "", ",".join(cells), *lines[2:]]) + "\n"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, text in files.items():
            target.writestr(name, text)
    bundle = tmp_path / "ward.zip"
    bundle.write_bytes(out.getvalue())
    result = runner.invoke(app, ["solve", str(bundle), "--time-limit", "5"])
    assert result.exit_code == 2
    assert f"ward.zip/{staff}:3" in result.output  # the blank line 2 is counted
    assert "'lots'" in result.output and "Traceback" not in result.output


def test_unknown_extension_names_the_bundle_formats(tmp_path: Path) -> None:
    path = tmp_path / "ward.ods"
    path.write_bytes(b"x")
    result = runner.invoke(app, ["solve", str(path)])
    assert result.exit_code == 2
    assert ".xlsx or .zip (tables)" in result.output
