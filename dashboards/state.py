"""Session state: one ``Workspace`` per browser session, typed accessors for pages.

Nothing here draws; pages read and change the workspace. Edited tables live in
``Family.draft`` so that an edit survives page switches and invalid input is never
thrown away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.jobs import SolveJob
from dashboards.optional import feature
from optimizer.model.result import Result

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FAMILIES = ("roster", "cases")
LABELS = {"roster": "Staff roster", "cases": "Case schedule"}


@dataclass
class Family:
    """The problem, its solve and its editable tables for one problem family."""

    kind: str
    problem: Any = None
    result: Result | None = None
    job: SolveJob | None = None
    diagnosis: Any = None
    message: str = ""
    draft: dict[str, pd.DataFrame] = field(default_factory=dict)
    editor_data: dict[str, pd.DataFrame] = field(default_factory=dict)
    version: int = 0
    cache: dict[str, Any] = field(default_factory=dict)

    def set_problem(self, problem: Any, *, keep_draft: bool = False) -> None:
        """Use ``problem``; drop results of the previous one and reset the editors."""
        from optimizer.io.tables.from_problem import problem_tables

        if self.job is not None:
            self.job.cancel()
        self.problem = problem
        self.result = None
        self.job = None
        self.diagnosis = None
        self.message = ""
        self.cache = {}
        if not keep_draft:
            self.draft = problem_tables(problem)
        self.editor_data = {}
        self.version += 1

    def set_result(self, result: Result | None, diagnosis: Any = None) -> None:
        self.result = result
        self.diagnosis = diagnosis
        self.cache = {}

    def cached(self, key: str, compute: Any) -> Any:
        """``compute()`` once per result (cleared when the problem or result changes)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


@dataclass
class Scenario:
    """A what-if: changes applied to a baseline and the re-planned result."""

    name: str
    kind: str
    changes: list[str]
    base_problem: Any
    base_result: Result
    problem: Any
    result: Result | None = None
    job: SolveJob | None = None
    error: str = ""


@dataclass
class Workspace:
    """Everything one planner's session holds."""

    roster: Family = field(default_factory=lambda: Family("roster"))
    cases: Family = field(default_factory=lambda: Family("cases"))
    scenarios: list[Scenario] = field(default_factory=list)
    pending: dict[str, tuple[Any, list[str]]] = field(default_factory=dict)
    """Per family: the what-if problem being built and the changes made to it."""
    upload_errors: list[str] = field(default_factory=list)
    last_upload: str = ""
    proposal: Any = None

    def family(self, kind: str) -> Family:
        return self.roster if kind == "roster" else self.cases


def workspace() -> Workspace:
    """This session's workspace (created with the demo hospital loaded)."""
    if "workspace" not in st.session_state:
        fresh = Workspace()
        load_demo(fresh)
        st.session_state["workspace"] = fresh
    ws: Workspace = st.session_state["workspace"]
    return ws


def demo_roster() -> Any:
    """The demo ward: ``data/demo_ward.json``, else the seeded generator."""
    from optimizer.io.project import load_project

    path = DATA / "demo_ward.json"
    if path.is_file():
        return load_project(path)
    generate = feature("optimizer.demo.ward", "generate_ward")
    return None if generate is None else generate()


def demo_cases() -> Any:
    """The demo surgical week: ``data/demo_surgery.json``, else its generator, else None."""
    from optimizer.io.project import load_project

    path = DATA / "demo_surgery.json"
    if path.is_file():
        return load_project(path)
    for name in ("generate_surgery", "generate_week", "generate_surgical_week"):
        generate = feature("optimizer.demo.surgery", name)
        if generate is not None:
            return generate()
    return None


def load_demo(ws: Workspace) -> list[str]:
    """Load the demo hospital into both families; returns what could not be loaded."""
    missing = []
    for kind, loader in (("roster", demo_roster), ("cases", demo_cases)):
        try:
            problem = loader()
        except Exception as exc:  # a broken demo file must not stop the app
            problem = None
            missing.append(f"{LABELS[kind]}: {exc}")
        if problem is None:
            if not any(m.startswith(LABELS[kind]) for m in missing):
                missing.append(f"{LABELS[kind]}: the demo is not available yet")
            continue
        ws.family(kind).set_problem(problem)
    return missing
