"""Layering rules from DESIGN.md, enforced."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLVER_MODULES = {"ortools", "pulp", "highspy"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_solvers_import_ortools_or_pulp() -> None:
    offenders = []
    for path in sorted((ROOT / "optimizer").rglob("*.py")):
        if "solvers" in path.relative_to(ROOT / "optimizer").parts:
            continue
        bad = _imported_roots(path) & SOLVER_MODULES
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert not offenders, offenders


def test_optimizer_never_imports_dashboards() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "optimizer").rglob("*.py"))
        if {"dashboards", "streamlit"} & _imported_roots(path)
    ]
    assert not offenders, offenders


def test_library_imports_without_streamlit_or_llm_client() -> None:
    code = (
        "import sys\n"
        "import optimizer, optimizer.model, optimizer.check, optimizer.io\n"
        "import optimizer.cli\n"
        "heavy = {'streamlit', 'httpx', 'plotly'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
