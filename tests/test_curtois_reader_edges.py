"""Curtois–Qu reader edge cases: misspelt headers, strict numbers, repeats, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.errors import InputError
from optimizer.io.curtois import read_curtois
from optimizer.model.common import MAX_DAYS
from tests.test_curtois import TINY


def _read_error(tmp_path: Path, old: str, new: str) -> InputError:
    """The error reading TINY with the first ``old`` replaced by ``new``."""
    assert old in TINY
    path = tmp_path / "Tiny.txt"
    path.write_text(TINY.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_curtois(path)
    assert info.value.file == str(path)
    return info.value


@pytest.mark.parametrize(
    ("old", "new", "line", "phrase"),
    [
        ("SECTION_COVER", "section_cover", 23, "section names are upper case: SECTION_COVER"),
        ("SECTION_COVER", "Section_Cover", 23, "section names are upper case: SECTION_COVER"),
        ("SECTION_COVER", "SECTON_COVER", 23, "did you mean SECTION_COVER?"),
        ("SECTION_DAYS_OFF", "Section Days Off", 14, "did you mean SECTION_DAYS_OFF?"),
        ("SECTION_SHIFT_OFF_REQUESTS", "shift_off_requests", 20, "SECTION_SHIFT_OFF_REQUESTS"),
    ],
)
def test_misspelt_header_is_named_as_a_header(
    tmp_path: Path, old: str, new: str, line: int, phrase: str
) -> None:
    error = _read_error(tmp_path, old, new)
    assert error.line == line
    assert f"'{new}' looks like a section header" in error.message
    assert phrase in error.message
    assert "comma-separated" not in error.message  # not blamed on the previous section


def test_unknown_section_suggests_the_close_name(tmp_path: Path) -> None:
    error = _read_error(tmp_path, "SECTION_COVER", "SECTION_COVR")
    assert error.line == 23
    assert "unknown section 'SECTION_COVR'; did you mean SECTION_COVER?" in error.message


def test_one_field_data_line_is_not_taken_for_a_header(tmp_path: Path) -> None:
    # A lone id in SECTION_DAYS_OFF is a data error, not a misspelt header.
    error = _read_error(tmp_path, "A,0,1", "A")
    assert error.line == 15
    assert "SECTION_DAYS_OFF lines need EmployeeID" in error.message


@pytest.mark.parametrize(
    ("old", "new", "line", "name", "text"),
    [
        ("A,E=7|L=7,2400", "A,E=7|L=7,2_400", 11, "MaxTotalMinutes", "2_400"),
        ("A,E=7|L=7,2400", "A,E=7|L=7,+2400", 11, "MaxTotalMinutes", "+2400"),
        ("A,E=7|L=7,2400", "A,E=7|L=7,٢٤٠٠", 11, "MaxTotalMinutes", "٢٤٠٠"),
        ("# days\n7", "# days\n٣", 4, "horizon length", "٣"),
        ("# days\n7", "# days\n７", 4, "horizon length", "７"),  # full-width seven
        ("E,480,", "E,4_80,", 7, "shift length in minutes", "4_80"),
        ("A,0,1", "A,0,+1", 15, "day index", "+1"),
        ("0,E,1,100,1", "0,E,1,1_00,1", 24, "WeightForUnder", "1_00"),
        ("B,3,E,2", "B,3,E,²", 18, "request weight", "²"),
        ("A,E=7|L=7", "A,E=7|L=+7", 11, "MaxShifts limit for 'L'", "+7"),
        ("A,E=7|L=7", "A,E=7|L=٧", 11, "MaxShifts limit for 'L'", "٧"),
    ],
)
def test_numbers_are_ascii_digits_only(
    tmp_path: Path, old: str, new: str, line: int, name: str, text: str
) -> None:
    error = _read_error(tmp_path, old, new)
    assert error.line == line
    assert error.message == f"{name} must be an integer written with the digits 0-9, got '{text}'"


def test_negative_number_names_the_minimum(tmp_path: Path) -> None:
    error = _read_error(tmp_path, "0,E,1,100,1", "0,E,1,-100,1")
    assert (error.line, error.message) == (24, "WeightForUnder must be ≥ 0, got -100")


def test_spaces_around_maxshifts_limit_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "Tiny.txt"
    path.write_text(TINY.replace("A,E=7|L=7", "A,E = 7|L= 6"), encoding="utf-8")
    assert read_curtois(path).person("A").contract.max_shifts_per_type == {"E": 7, "L": 6}


def test_maxshifts_naming_a_shift_twice_is_refused(tmp_path: Path) -> None:
    error = _read_error(tmp_path, "B,E=7|L=0", "B,E=7|L=0|E=0")
    assert error.line == 12
    assert error.message == "MaxShifts gives shift 'E' twice (7 and 0)"


def test_horizon_above_the_model_limit_is_refused_on_its_line(tmp_path: Path) -> None:
    error = _read_error(tmp_path, "# days\n7", f"# days\n{MAX_DAYS + 1}")
    assert error.line == 4
    assert error.field is None
    assert error.message == f"horizon length must be at most {MAX_DAYS} days, got {MAX_DAYS + 1}"


def test_horizon_at_the_model_limit_loads(tmp_path: Path) -> None:
    path = tmp_path / "Tiny.txt"
    path.write_text(TINY.replace("# days\n7", f"# days\n{MAX_DAYS}"), encoding="utf-8")
    assert read_curtois(path).num_days == MAX_DAYS


def test_empty_staff_section_is_named(tmp_path: Path) -> None:
    staff = "A,E=7|L=7,2400,960,5,2,2,1\nB,E=7|L=0,2400,960,5,1,1,1\n"
    error = _read_error(tmp_path, staff, "")
    assert (error.line, error.message) == (10, "SECTION_STAFF lists no employees")


def test_empty_shifts_section_is_named(tmp_path: Path) -> None:
    text = "SECTION_HORIZON\n7\nSECTION_SHIFTS\n\nSECTION_STAFF\nA,,2400,0,5,1,1,1\n"
    path = tmp_path / "Tiny.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_curtois(path)
    assert (info.value.line, info.value.message) == (3, "SECTION_SHIFTS lists no shifts")
