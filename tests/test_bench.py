"""The benchmark runner (``optimizer.bench``) and ``carealloc bench``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer.bench import BenchRow, find_instances, read_best_known, run_bench, to_markdown
from optimizer.cli import app
from optimizer.errors import InputError
from tests.test_curtois import TINY


def _suite(tmp_path: Path, header: str = "instance,days,best_lb,best_ub") -> Path:
    """Three tiny Curtois files (Tiny1, Tiny2, Tiny10) and a best-known table."""
    suite = tmp_path / "suite"
    (suite / "instances").mkdir(parents=True)
    for name in ("Tiny1", "Tiny2", "Tiny10"):
        (suite / "instances" / f"{name}.txt").write_text(TINY, encoding="utf-8")
    # Tiny1's optimum is 0 (tests/test_curtois.py); Tiny2 claims 4 (so our 0 is -100 %).
    (suite / "best_known.csv").write_text(
        f"{header}\nTiny1,7,0,0\nTiny2,7,4,4\nTiny10,7,,\n", encoding="utf-8"
    )
    return suite


def test_best_known_column_detection(tmp_path: Path) -> None:
    path = tmp_path / "best_known.csv"
    path.write_text("instance,best_lb,best_ub\nA,1,2\nB,3,\n", encoding="utf-8")
    assert read_best_known(path) == {"A": 2, "B": None}
    path.write_text("name,makespan_lb,UB\nj301_1,40,43\n", encoding="utf-8")
    assert read_best_known(path) == {"j301_1": 43}
    path.write_text("name,best known value\nX,12.0\n", encoding="utf-8")
    assert read_best_known(path) == {"X": 12}
    path.write_text("instance,days\nA,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="no best-known column"):
        read_best_known(path)


def test_instances_in_natural_order_and_selection(tmp_path: Path) -> None:
    folder = _suite(tmp_path) / "instances"
    assert [p.stem for p in find_instances(folder)] == ["Tiny1", "Tiny2", "Tiny10"]
    assert [p.stem for p in find_instances(folder, "Tiny10,Tiny2")] == ["Tiny2", "Tiny10"]
    assert [p.stem for p in find_instances(folder, "Tiny1*")] == ["Tiny1", "Tiny10"]
    with pytest.raises(InputError, match="no instance matches"):
        find_instances(folder, "Nothing")
    (folder / "j30").mkdir()
    (folder / "Tiny2.txt").rename(folder / "j30" / "Tiny2.txt")
    # the row names a file in a subfolder as j30/Tiny2: that name selects it too
    assert [p.stem for p in find_instances(folder, "j30/Tiny2")] == ["Tiny2"]
    assert [p.stem for p in find_instances(folder, "j30/*.txt")] == ["Tiny2"]


def test_run_bench_rows_and_gap(tmp_path: Path) -> None:
    seen: list[BenchRow] = []
    rows = run_bench(_suite(tmp_path), time_limit=20, workers=1, seed=0, on_row=seen.append)
    assert rows == seen
    assert [r.instance for r in rows] == ["Tiny1", "Tiny2", "Tiny10"]
    assert all(r.status == "OPTIMAL" and r.objective == 0 for r in rows)
    assert [r.best_known for r in rows] == [0, 4, None]
    assert rows[0].gap_pct == 0.0
    assert rows[1].gap_pct == -100.0  # (0 - 4) / 4
    assert rows[2].gap_pct is None
    table = to_markdown(rows, title="t")
    assert "| Tiny2 | OPTIMAL | 0 | 4 | -100.00 | 0 |" in table


def test_bad_instance_gives_an_error_row_and_the_rest_still_run(tmp_path: Path) -> None:
    suite = _suite(tmp_path)
    (suite / "instances" / "Tiny2.txt").write_text(TINY.replace("E,480,", "E,x,"), "utf-8")
    rows = run_bench(suite, time_limit=20, workers=1, seed=0)
    assert [r.status for r in rows] == ["OPTIMAL", "BAD INPUT", "OPTIMAL"]
    assert "Tiny2.txt:7" in rows[1].message
    assert "must be an integer" in rows[1].message


def test_cli_bench_names_why_an_instance_failed(tmp_path: Path) -> None:
    suite = _suite(tmp_path)
    (suite / "instances" / "Tiny2.txt").write_text(TINY.replace("E,480,", "E,x,"), "utf-8")
    args = ["bench", str(suite), "--time-limit", "20", "--workers", "1", "--instances", "Tiny2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output  # bad input (was 1, as for no solution)
    text = " ".join(result.output.split())  # the console may wrap long lines
    assert "Tiny2: " in text and "must be an integer" in text
    assert "BAD INPUT" in text and "bad_input=1" in text


def test_bad_parameter_stops_the_bench_at_once(tmp_path: Path) -> None:
    suite = _suite(tmp_path)
    seen: list[BenchRow] = []
    with pytest.raises(InputError, match="unknown CP-SAT parameter 'nonsense'"):
        run_bench(suite, time_limit=20, workers=1, on_row=seen.append, nonsense=1)
    assert seen == []
    with pytest.raises(InputError, match="workers must be at least 1"):
        run_bench(suite, time_limit=20, workers=0, on_row=seen.append)
    assert seen == []
    result = CliRunner().invoke(app, ["bench", str(suite), "--param", "linearization_level=high"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "'linearization_level' cannot be 'high': it takes a whole number" in text
    assert "Tiny1" not in result.output


def test_cli_bench_writes_markdown_and_csv(tmp_path: Path) -> None:
    suite = _suite(tmp_path)
    md, table = tmp_path / "out.md", tmp_path / "out.csv"
    result = CliRunner().invoke(
        app,
        [
            "bench",
            str(suite),
            "--time-limit",
            "20",
            "--workers",
            "1",
            "--instances",
            "Tiny1,Tiny2",
            "--out-md",
            str(md),
            "--out-csv",
            str(table),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "instances=2 with_solution=2" in result.output
    assert "| Tiny1 | OPTIMAL | 0 | 0 | 0.00 | 0 |" in md.read_text(encoding="utf-8")
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["instance"] for r in rows] == ["Tiny1", "Tiny2"]
    assert rows[1]["gap_pct"] == "-100.00"


def test_cli_bench_bad_suite_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bench", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "missing: no such file or folder" in result.output


def test_cli_bench_bad_best_known_exits_2_before_the_table(tmp_path: Path) -> None:
    suite = _suite(tmp_path)
    (suite / "best_known.csv").write_bytes(b"instance,best_ub\nTiny1,6\xe907\n")
    result = CliRunner().invoke(app, ["bench", str(suite), "--time-limit", "1"])
    assert result.exit_code == 2
    assert "best_known.csv:2" in result.output and "UTF-8" in result.output
    assert "instance" not in result.output.split("error:")[0]  # no empty table first


def test_cli_bench_passes_parameters_and_names_them(tmp_path: Path) -> None:
    suite, md = _suite(tmp_path), tmp_path / "out.md"
    args = ["bench", str(suite), "--time-limit", "20", "--workers", "1", "--instances", "Tiny1"]
    params = ["--param", "seed=3", "--param", "roster_staffwise=true"]
    result = CliRunner().invoke(app, [*args, *params, "--out-md", str(md)])
    assert result.exit_code == 0, result.output
    text = md.read_text(encoding="utf-8")
    assert "seed=3, roster_staffwise=true" in text
    assert "| Tiny1 | OPTIMAL | 0 | 0 | 0.00 | 0 |" in text


def test_cli_bench_bad_parameter_exits_2_before_solving(tmp_path: Path) -> None:
    suite = _suite(tmp_path)
    result = CliRunner().invoke(app, ["bench", str(suite), "--param", "staffwise"])
    assert result.exit_code == 2
    assert "--param" in result.output and "NAME=VALUE" in result.output
    assert "Tiny1" not in result.output
