"""``load_roster`` / ``load_cases``: one problem kind each, the other refused by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from optimizer.errors import InputError
from optimizer.io.load import load_cases, load_problem, load_roster
from optimizer.model import CaseProblem, Problem, RosterProblem

WARD = Path("data/demo_ward.json")
WEEK = Path("data/demo_surgery.json")


def test_each_loader_returns_its_own_kind() -> None:
    ward, week = load_roster(WARD), load_cases(WEEK)
    assert isinstance(ward, RosterProblem) and ward == load_problem(WARD)
    assert isinstance(week, CaseProblem) and week == load_problem(WEEK)


@pytest.mark.parametrize(
    ("loader", "path", "wanted"),
    [(load_roster, WEEK, "not a roster"), (load_cases, WARD, "not a case problem")],
)
def test_a_file_of_the_other_kind_is_refused_naming_it(
    loader: Callable[[Path], Problem], path: Path, wanted: str
) -> None:
    with pytest.raises(InputError) as caught:
        loader(path)
    assert wanted in str(caught.value) and str(path) in str(caught.value)


def test_problem_is_the_union_of_both_kinds() -> None:
    assert isinstance(load_problem(WARD), Problem)
    assert isinstance(load_problem(WEEK), Problem)
    assert not isinstance(object(), Problem)
