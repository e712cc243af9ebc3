"""``carealloc convert INPUT --out OUTPUT``: a problem between project JSON and table
bundles (and from the benchmark formats), lossless where the formats allow it, and
saying what a bundle leaves out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.io.load import load_problem
from optimizer.io.project import save_project
from optimizer.model.cases import CaseProblem
from optimizer.model.roster import Baseline, BaselineShift, RosterProblem

ROOT = Path(__file__).resolve().parents[1]
DEMO_WARD = ROOT / "data" / "demo_ward.json"
DEMO_SURGERY = ROOT / "data" / "demo_surgery.json"

runner = CliRunner()


def _convert(source: Path, target: Path, *more: str) -> Any:
    return runner.invoke(app, ["convert", str(source), "--out", str(target), *more])


@pytest.mark.parametrize("demo", [DEMO_WARD, DEMO_SURGERY], ids=["ward", "surgery"])
@pytest.mark.parametrize("suffix", [".xlsx", ".zip"])
def test_the_demo_problems_go_to_a_bundle_and_back_unchanged(
    tmp_path: Path, demo: Path, suffix: str
) -> None:
    original = load_problem(demo)
    bundle, back = tmp_path / f"demo{suffix}", tmp_path / "back.json"
    there = _convert(demo, bundle)
    assert there.exit_code == 0, there.output
    assert "warning" not in there.output  # nothing left out
    again = _convert(bundle, back)
    assert again.exit_code == 0, again.output
    assert load_problem(bundle) == original
    assert load_problem(back) == original
    assert back.read_text(encoding="utf-8") == demo.read_text(encoding="utf-8")


def test_one_summary_line_names_the_file_and_the_problem(tmp_path: Path) -> None:
    ward = _convert(DEMO_WARD, tmp_path / "ward.xlsx")
    name = load_problem(DEMO_WARD).name
    assert (
        ward.output.strip() == f"wrote {tmp_path / 'ward.xlsx'}: roster '{name}', 30 staff, 28 days"
    )
    week = load_problem(DEMO_SURGERY)
    assert isinstance(week, CaseProblem)
    cases = _convert(DEMO_SURGERY, tmp_path / "week.json")
    assert cases.output.strip() == (
        f"wrote {tmp_path / 'week.json'}: cases '{week.name}', {len(week.tasks)} cases, "
        f"{len(week.rooms)} rooms, {len(week.staff)} staff"
    )


def test_benchmark_formats_convert_to_bundles_and_json(tmp_path: Path) -> None:
    from tests.test_curtois import TINY as CURTOIS
    from tests.test_psplib import TINY as PSPLIB

    for name, text in (("Tiny.txt", CURTOIS), ("tiny.sm", PSPLIB)):
        source = tmp_path / name
        source.write_text(text, encoding="utf-8")
        original = load_problem(source)
        for suffix in (".xlsx", ".zip", ".json"):
            target = tmp_path / f"{source.stem}{suffix}"
            outcome = _convert(source, target)
            assert outcome.exit_code == 0, outcome.output
            assert load_problem(target) == original


def test_a_roster_baseline_is_named_as_left_out_of_a_bundle(tmp_path: Path) -> None:
    ward = load_problem(DEMO_WARD)
    assert isinstance(ward, RosterProblem)
    published = Baseline(
        assignments=(BaselineShift(staff="N01", day=0, shift=ward.shifts[0].id),),
        change_weight=5,
    )
    source = tmp_path / "replan.json"
    save_project(ward.model_copy(update={"baseline": published}), source)
    target = tmp_path / "replan.xlsx"
    outcome = _convert(source, target)
    assert outcome.exit_code == 0, outcome.output
    text = " ".join(outcome.output.split())
    assert f"warning: a table bundle has no place for these, so {target} leaves them out" in text
    assert "• baseline (the published roster: 1 shifts)" in text
    assert load_problem(target) == ward  # everything else kept
    kept = _convert(source, tmp_path / "replan-copy.json")  # JSON keeps everything
    assert "warning" not in kept.output
    assert load_problem(tmp_path / "replan-copy.json") == load_problem(source)


def test_case_pins_penalties_and_room_needs_are_named(tmp_path: Path) -> None:
    week = load_problem(DEMO_SURGERY)
    assert isinstance(week, CaseProblem)
    first, second, third, *rest = week.tasks
    changed = CaseProblem.model_validate(
        {
            **week.model_dump(),
            "tasks": [
                first.model_copy(update={"unscheduled_penalty": 5000}).model_dump(),
                second.model_copy(update={"needs_room": False}).model_dump(),
                third.model_dump(),
                *(t.model_dump() for t in rest),
            ],
            "pins": [{"task": third.id}],
        }
    )
    source = tmp_path / "week.json"
    save_project(changed, source)
    outcome = _convert(source, tmp_path / "week.zip")
    assert outcome.exit_code == 0, outcome.output
    text = " ".join(outcome.output.split())
    assert f"• tasks[].unscheduled_penalty (1: {first.id})" in text
    assert f"• tasks[].needs_room (1: {second.id})" in text
    assert f"• pins (1: {third.id})" in text
    assert load_problem(tmp_path / "week.zip") == week  # the rest read back as it was


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("ward.json", "ward.csv", "field '--out': the output must end in .json, .xlsx or .zip"),
        ("ward.json", "ward.xlsm", "field '--out': the output must end in .json, .xlsx or .zip"),
        ("ward.json", "ward.json", "is also the input file"),
        ("missing.json", "out.xlsx", "missing.json: file not found"),
        ("broken.json", "out.xlsx", "broken.json:1: not valid JSON"),
        ("ward.json", "no-such-folder/out.zip", "does not exist; create it first"),
        ("short.json", "out.xlsx", "field 'length_minutes'"),
    ],
)
def test_bad_input_is_one_message_and_nothing_written(
    tmp_path: Path, source: str, target: str, message: str
) -> None:
    (tmp_path / "ward.json").write_bytes(DEMO_WARD.read_bytes())
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    short = load_problem(DEMO_WARD)
    assert isinstance(short, RosterProblem)
    half_hour = short.shifts[0].model_copy(update={"length_minutes": 30})
    save_project(
        short.model_copy(update={"shifts": (half_hour, *short.shifts[1:])}),
        tmp_path / "short.json",
    )  # a bundle would read 30 as hours typed as minutes
    before = sorted(p.name for p in tmp_path.iterdir())
    outcome = _convert(tmp_path / source, tmp_path / target)
    assert outcome.exit_code == 2
    assert message in " ".join(outcome.output.split())
    assert "Traceback" not in outcome.output and "wrote" not in outcome.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_an_existing_output_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "ward.xlsx"
    target.write_bytes(b"an older export")
    outcome = _convert(DEMO_WARD, target)
    assert outcome.exit_code == 0, outcome.output
    assert load_problem(target) == load_problem(DEMO_WARD)


def test_format_names_the_input_format(tmp_path: Path) -> None:
    source = tmp_path / "ward.data"
    source.write_bytes(DEMO_WARD.read_bytes())
    guessed = _convert(source, tmp_path / "a.xlsx")
    assert guessed.exit_code == 2 and "cannot tell the format" in guessed.output
    named = _convert(source, tmp_path / "a.xlsx", "--format", "json")
    assert named.exit_code == 0, named.output
    assert load_problem(tmp_path / "a.xlsx") == load_problem(DEMO_WARD)


@pytest.mark.parametrize("demo", [DEMO_WARD, DEMO_SURGERY], ids=["ward", "surgery"])
def test_a_name_without_a_suffix_is_a_folder_of_csv_files_and_back(
    tmp_path: Path, demo: Path
) -> None:
    folder, back = tmp_path / "demo", tmp_path / "back.json"
    there = _convert(demo, folder)
    assert there.exit_code == 0, there.output
    assert there.output.strip().startswith(f"wrote {folder}/: ")
    assert all(path.suffix == ".csv" for path in folder.iterdir())
    assert (folder / "settings.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's UTF-8
    again = _convert(folder, back)
    assert again.exit_code == 0, again.output
    assert back.read_text(encoding="utf-8") == demo.read_text(encoding="utf-8")
    rewritten = _convert(demo, folder)  # its own sheets are replaced
    assert rewritten.exit_code == 0, rewritten.output


def test_a_folder_with_another_bundles_sheets_is_refused_and_left_as_it_was(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "demo"
    assert _convert(DEMO_WARD, folder).exit_code == 0
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    refused = _convert(DEMO_SURGERY, folder)
    assert refused.exit_code == 2
    assert "holds sheet files this problem does not write (cover.csv, leave.csv" in refused.output
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    file_without_suffix = tmp_path / "notes"
    file_without_suffix.write_text("x", encoding="utf-8")
    refused = _convert(DEMO_WARD, file_without_suffix)
    assert refused.exit_code == 2 and "the output must end in" in refused.output
    assert _convert(folder, folder).exit_code == 2  # the input itself
