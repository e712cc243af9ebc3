"""The typed Python API as an analyst meets it: the README example passes
``mypy --strict``, explanations take a Result, errors are exported and name Python
arguments."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import optimizer
from optimizer.errors import CareallocError, InputError
from optimizer.explain.roster import penalty_breakdown, roster_kpis
from optimizer.io.load import load_cases, load_problem, load_roster
from optimizer.model.result import CaseSchedule, Result, RosterSolution
from optimizer.model.roster import Contract, CoverDemand, RosterProblem, ShiftType, Staff
from tests.verify import solve_verified

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"

EXTRA_TYPED_USE = """
from optimizer import CareallocError, InputError, solve
from optimizer.explain.roster import penalty_breakdown, roster_kpis
from optimizer.io.load import load_roster
from optimizer.model.result import Result

def explain(path: str) -> list[str]:
    problem = load_roster(path)
    result: Result = solve(problem, time_limit=1)
    try:
        pct: float = roster_kpis(problem, result).coverage_met_pct
        return [p.message for p in penalty_breakdown(problem, result)] + [str(pct)]
    except InputError as exc:
        field: str | None = exc.field
        return [str(field)]
    except CareallocError:
        return []
"""


def readme_python_block() -> str:
    """The first ```python block of the README's *Python API* section."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Python API\n", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "README's Python API section has no ```python block"
    return match.group(1)


def run_mypy_strict(tmp_path: Path, sources: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` on ``sources`` (file name -> code) with the checkout on
    MYPYPATH, as an analyst's script that imports the installed package."""
    for name, code in sources.items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(REPO)}
    command = [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent"]
    command += ["--cache-dir", str(tmp_path / ".mypy_cache"), *sources]
    return subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )


def test_readme_example_and_typed_use_pass_mypy_strict(tmp_path: Path) -> None:
    done = run_mypy_strict(
        tmp_path, {"readme_api.py": readme_python_block(), "typed_use.py": EXTRA_TYPED_USE}
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found in 2 source files" in done.stdout


def test_mypy_run_finds_the_package_and_reports_a_wrong_argument(tmp_path: Path) -> None:
    """The check above could fail: a roster that may be None is refused."""
    wrong = (
        "from optimizer import solve\n"
        "from optimizer.explain.roster import roster_kpis\n"
        "from optimizer.io.load import load_roster\n"
        "p = load_roster('x.json')\n"
        "roster_kpis(p, solve(p).roster)\n"
    )
    done = run_mypy_strict(tmp_path, {"wrong.py": wrong})
    assert done.returncode == 1
    assert '"roster_kpis" has incompatible type "RosterSolution | None"' in done.stdout
    assert "import-not-found" not in done.stdout


def _ward() -> RosterProblem:
    """Two nights, one ICU nurse each; only Ana (at most one night) holds ICU.

    Optimum = 100: one night is one ICU nurse short.
    """
    return RosterProblem(
        start_date=dt.date(2024, 1, 1),
        num_days=2,
        shifts=(ShiftType(id="N", name="Night", start="21:00", length_minutes=600),),
        staff=(
            Staff(id="A", name="Ana", skills=("ICU",), contract=Contract(max_shifts=1)),
            Staff(id="B", name="Ben", skills=("RN",), contract=Contract(max_shifts=0)),
        ),
        cover=tuple(CoverDemand(day=d, shift="N", skill="ICU", required=1) for d in range(2)),
    )


def test_explanations_take_a_result_and_agree_with_its_roster() -> None:
    problem = _ward()
    result, report = solve_verified(problem, time_limit=5)
    assert result.objective == report.objective == 100
    assert result.roster is not None
    from_result = penalty_breakdown(problem, result)
    assert from_result == penalty_breakdown(problem, result.roster)
    assert [p.cost for p in from_result] == [100]
    assert roster_kpis(problem, result) == roster_kpis(problem, result.roster)
    assert roster_kpis(problem, result).coverage_met_pct == 50.0


@pytest.mark.parametrize("explain", [penalty_breakdown, roster_kpis])
@pytest.mark.parametrize(
    ("solution", "says"),
    [
        (Result(status="UNKNOWN"), "this UNKNOWN result holds no solution"),
        (Result(status="INFEASIBLE"), "this INFEASIBLE result holds no solution"),
        (Result(status="OPTIMAL", schedule=CaseSchedule()), "holds a CaseSchedule"),
        (None, "got None (result.roster is None when the solve found no roster)"),
        (CaseSchedule(), "got a CaseSchedule"),
    ],
)
def test_explanations_refuse_a_missing_roster_with_input_error(
    explain: object, solution: object, says: str
) -> None:
    assert callable(explain)
    with pytest.raises(InputError, match=re.escape(says)) as caught:
        explain(_ward(), solution)
    assert caught.value.field == "solution"


def test_explanations_refuse_a_case_problem() -> None:
    cases = load_cases(DATA / "demo_surgery.json")
    with pytest.raises(InputError, match="needs a RosterProblem, got a CaseProblem") as caught:
        roster_kpis(cases, RosterSolution())  # type: ignore[arg-type]
    assert caught.value.field == "problem"


def test_errors_are_exported_from_the_package() -> None:
    assert {"InputError", "CareallocError", "BatchError", "solve", "solve_many"} <= set(
        optimizer.__all__
    )
    assert optimizer.InputError is InputError
    assert optimizer.CareallocError is CareallocError
    assert issubclass(optimizer.BatchError, optimizer.CareallocError)
    assert all(hasattr(optimizer, name) for name in optimizer.__all__)


def test_load_problem_names_the_python_argument_fmt() -> None:
    with pytest.raises(InputError, match="unknown format 'xml'") as caught:
        load_problem(DATA / "demo_ward.json", fmt="xml")
    assert caught.value.field == "fmt"
    assert str(caught.value).startswith("field 'fmt': ")
    with pytest.raises(InputError, match="a bundle must be") as bundle:
        load_problem(DATA / "demo_ward.json", fmt="bundle")
    assert bundle.value.field == "fmt"


@pytest.mark.parametrize(
    ("path", "got"), [(5, "got int"), (None, "got None"), (b"ward.json", "got bytes")]
)
@pytest.mark.parametrize("load", [load_problem, load_roster, load_cases])
def test_loaders_refuse_a_non_path_with_input_error(load: object, path: object, got: str) -> None:
    assert callable(load)
    with pytest.raises(InputError, match=f"needs a file path .*{got}") as caught:
        load(path)
    assert caught.value.field == "path"


def test_install_mode_lets_mypy_see_the_package() -> None:
    """The default editable install's import hook is invisible to mypy; the Makefile and
    the install instructions use a mode mypy follows."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    install = next(
        i
        for i, line in enumerate(makefile.splitlines())
        if "pip install" in line and " -e " in line
    )
    assert "editable_mode=compat" in "".join(makefile.splitlines()[install : install + 2])
    guide = (REPO / "docs/user-guide.md").read_text(encoding="utf-8")
    installing = guide.split("## Installing without make", 1)[1]
    assert "pip install -e . --config-settings editable_mode=compat" in installing
