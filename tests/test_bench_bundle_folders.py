"""`carealloc bench` over a folder with one folder of CSV files per ward: each such
folder (a table bundle) is one instance named after it, read by ``load_problem``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer.bench import BAD_INPUT, collect_instances, run_bench
from optimizer.cli import app
from optimizer.io.load import load_problem
from optimizer.io.project import save_project
from tests.test_cli_batch import FAST, _rows, _text, _theatre, _verify_written, _ward
from tests.test_folder_bundles import bundle_files, folder_of

runner = CliRunner()


def _wards(tmp_path: Path) -> Path:
    """``wards/``: a roster bundle folder, a case bundle folder, a project JSON, notes and
    best-known values for two of them."""
    wards = tmp_path / "wards"
    wards.mkdir()
    folder_of(wards / "ward7b", bundle_files(_ward()))
    folder_of(wards / "theatre8a", bundle_files(_theatre()))
    save_project(_ward(), wards / "ward9.json")
    (wards / "README.md").write_text("one folder per ward\n", encoding="utf-8")
    (wards / "best_known.csv").write_text(
        "instance,best_known\nward7b,0\nward9,0\n", encoding="utf-8"
    )
    return wards


def _names(*sources: Path | str, select: str | None = None) -> list[str]:
    return [item.name for item in collect_instances(list(sources), select).instances]


def test_the_fixture_folders_are_the_problems(tmp_path: Path) -> None:
    wards = _wards(tmp_path)
    assert load_problem(wards / "ward7b") == _ward()
    assert load_problem(wards / "theatre8a") == _theatre()


def test_each_bundle_folder_is_one_instance_solved_and_checked(tmp_path: Path) -> None:
    wards, out = _wards(tmp_path), tmp_path / "solutions"
    table = out / "bench.csv"
    args = ["bench", str(wards), *FAST, "--out-dir", str(out), "--out-csv", str(table)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output  # was: only ward9, the CSV files skipped
    assert "instances=3 with_solution=3" in _text(result.output)
    rows = _rows(table)
    assert list(rows) == ["theatre8a", "ward7b", "ward9"]
    assert {row["status"] for row in rows.values()} == {"OPTIMAL"}
    assert [rows[name]["best_known"] for name in rows] == ["", "0", "0"]
    inputs = {"theatre8a": "theatre8a", "ward7b": "ward7b", "ward9": "ward9.json"}
    for name, file in inputs.items():
        _verify_written(wards / file, out, name, rows[name]["objective"])
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["bench.csv", *(f"{name}{suffix}" for name in inputs for suffix in (".csv", ".json"))]
    )


def test_a_bundle_folder_given_directly_is_one_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wards, out = _wards(tmp_path), tmp_path / "solutions"
    args = ["bench", f"{wards / 'ward7b'}/", *FAST, "--out-dir", str(out)]
    result = runner.invoke(app, [*args, "--out-csv", str(tmp_path / "bench.csv")])
    assert result.exit_code == 0, result.output  # was 2: "no instance files found"
    rows = _rows(tmp_path / "bench.csv")
    assert list(rows) == ["ward7b"]
    assert rows["ward7b"]["best_known"] == "0"  # from the best_known.csv beside it
    _verify_written(wards / "ward7b", out, "ward7b", rows["ward7b"]["objective"])
    monkeypatch.chdir(wards / "ward7b")
    assert _names(".") == ["ward7b"]  # named by the folder, not ""
    assert collect_instances(".").instances[0].best_known == 0


def test_glob_patterns_and_sub_folders_find_bundle_folders(tmp_path: Path) -> None:
    wards = _wards(tmp_path)
    # a sheet saved as Text (Tab delimited) is part of its folder, never an instance
    (wards / "ward7b" / "requests.csv").rename(wards / "ward7b" / "requests.txt")
    assert load_problem(wards / "ward7b") == _ward()
    assert _names(f"{wards}/*") == ["theatre8a", "ward7b", "ward9"]
    assert _names(f"{wards}/**", wards / "ward7b") == ["theatre8a", "ward7b", "ward9"]
    north = wards / "north"
    north.mkdir()
    folder_of(north / "ward12", bundle_files(_ward()))
    (north / "empty").mkdir()
    assert _names(wards) == ["north/ward12", "theatre8a", "ward7b", "ward9"]


def test_instances_selects_bundle_folders_by_name(tmp_path: Path) -> None:
    wards, table = _wards(tmp_path), tmp_path / "bench.csv"
    args = ["bench", str(wards), *FAST, "--instances", "ward7*", "--out-csv", str(table)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output  # was 2: "no instance matches"
    assert list(_rows(table)) == ["ward7b"]
    assert _rows(table)["ward7b"]["objective"] == "0"
    assert _names(wards, select="theatre8a,ward9") == ["theatre8a", "ward9"]
    assert _names(wards, select="ward9.json") == ["ward9"]


def test_a_bad_bundle_folder_gets_its_row_naming_the_file_inside(tmp_path: Path) -> None:
    wards, out = _wards(tmp_path), tmp_path / "solutions"
    staff = wards / "ward7b" / "staff.csv"
    staff.write_text(
        staff.read_text(encoding="utf-8").replace("S1,,,,0,,,", "S1,,,,0,,lots,"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["bench", str(wards), *FAST, "--out-dir", str(out)])
    assert result.exit_code == 2, result.output  # bad input, as for a bad instance file
    text = _text(result.output)
    assert f"ward7b: {staff}:3, field 'max_shifts'" in text
    assert "instances=3 with_solution=2 bad_input=1" in text
    assert sorted(p.name for p in out.iterdir()) == [
        "theatre8a.csv",
        "theatre8a.json",
        "ward9.csv",
        "ward9.json",
    ]
    _verify_written(wards / "theatre8a", out, "theatre8a", "0")
    # in Python: a sheet no bundle has, named with its folder
    rota = wards / "theatre8a" / "rota.csv"
    rota.write_text("nurse,day\nS1,Monday\n", encoding="utf-8")
    rows = run_bench(wards / "theatre8a", time_limit=3, workers=1, seed=0)
    assert [(row.instance, row.status) for row in rows] == [("theatre8a", BAD_INPUT)]
    assert f"{rota}" in rows[0].message and "unknown sheet 'rota'" in rows[0].message


def test_out_dir_in_a_bundle_folder(tmp_path: Path) -> None:
    wards = _wards(tmp_path)
    ward = wards / "ward7b"
    before = sorted(p.name for p in ward.iterdir())
    for source in (wards, ward):  # the solutions would be mixed into its sheets
        result = runner.invoke(app, ["bench", str(source), *FAST, "--out-dir", str(ward)])
        assert result.exit_code == 2, result.output
        assert "is the solutions folder or inside it" in _text(result.output)
        assert sorted(p.name for p in ward.iterdir()) == before
    inside = ward / "solutions"  # a bundle's sub-folders are not read: run twice
    for _ in range(2):
        result = runner.invoke(app, ["bench", str(wards), *FAST, "--out-dir", str(inside)])
        assert result.exit_code == 0, result.output
        assert "instances=3 with_solution=3" in _text(result.output)
    _verify_written(ward, inside, "ward7b", "0")
    assert load_problem(ward) == _ward()
