"""Session state: one ``Workspace`` per browser session, typed accessors for pages.

Nothing here draws; pages read and change the workspace. Edited tables live in
``Family.draft`` so that an edit survives page switches and invalid input is never
thrown away. Every action that replaces a plan (problem and/or result) is recorded in
the workspace's ``History`` so that it can be undone (and redone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.jobs import SolveJob
from dashboards.optional import feature
from dashboards.solver_child import DIAGNOSIS_CANCELLED
from optimizer.model.result import Result, SolveStatus

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FAMILIES = ("roster", "cases")
LABELS = {"roster": "Staff roster", "cases": "Case schedule"}
NOUNS = {"roster": "roster", "cases": "case schedule"}
HISTORY_LIMIT = 20


@dataclass(frozen=True)
class PlanState:
    """One family's plan at one moment: what undo puts back."""

    kind: str
    problem: Any
    result: Result | None
    diagnosis: Any = None
    pending: tuple[Any, tuple[str, ...]] | None = None
    """The what-if being built on ``problem``: its problem and changes."""
    previous_plan: tuple[Any, Result] | None = None
    """The plan before the last adoption (``Family.previous_plan``)."""


@dataclass(frozen=True)
class Step:
    """One undoable action: what it did, the plans it replaced and the scenario it made."""

    action: str
    states: tuple[PlanState, ...]
    scenario: Any = None
    """The ``Scenario`` a re-plan started: undo takes it away, redo puts it back."""


@dataclass
class History:
    """Bounded undo and redo stacks shared by the families of one workspace."""

    limit: int = HISTORY_LIMIT
    undo_steps: list[Step] = field(default_factory=list)
    redo_steps: list[Step] = field(default_factory=list)

    def record(self, action: str, states: Iterable[PlanState], scenario: Any = None) -> None:
        """Remember ``states`` (the plans before ``action`` changes them)."""
        states = tuple(s for s in states if s.problem is not None)
        if not states:
            return
        self.undo_steps.append(Step(action, states, scenario))
        del self.undo_steps[: -self.limit]
        self.redo_steps.clear()

    def problems(self) -> list[Any]:
        """Every problem an undo or redo can bring back."""
        steps = [*self.undo_steps, *self.redo_steps]
        return [state.problem for step in steps for state in step.states]


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
    """Bumped when the problem is replaced (keys the table editors)."""
    revision: int = 0
    """Bumped when the problem or the result changes (keys widgets tied to one result)."""
    cache: dict[str, Any] = field(default_factory=dict)
    previous_plan: tuple[Any, Result] | None = None
    """The plan (problem, result) in use before a what-if scenario was adopted, else
    None: the calendar export cancels what it had and the current plan does not. It is
    never the problem's baseline, so later solves are not charged for moving from it."""
    recorder: Callable[[str, str], None] | None = field(default=None, repr=False, compare=False)
    """Called with (action, kind) to record this plan for undo (set by the workspace)."""
    on_replace: Callable[[str], None] | None = field(default=None, repr=False, compare=False)
    """Called with ``kind`` after the problem was replaced (the workspace drops what-ifs)."""

    def set_problem(
        self, problem: Any, *, keep_draft: bool = False, action: str = "", record: bool = True
    ) -> None:
        """Use ``problem``; drop results of the previous one and reset the editors.

        The previous plan is recorded for undo as ``action`` (described from the two
        problems when empty) unless ``record`` is False (the caller recorded it).
        """
        if record:
            self.remember(action or self._describe(problem))
        self._stop_job()
        self.result = None
        self.diagnosis = None
        self._use(problem, keep_draft=keep_draft)

    def set_result(self, result: Result | None, diagnosis: Any = None) -> None:
        self.result = result
        self.diagnosis = diagnosis
        self.cache = {}
        self.revision += 1

    def collect(self) -> bool:
        """Take in the background solve if it ended; True if the plan or job changed.

        A solve of a problem that is no longer in use is stopped and dropped. Every page
        run calls this (``app.py``), so no page shows a plan older than a finished solve.
        """
        job = self.job
        if job is None:
            return False
        if job.problem is not None and job.problem is not self.problem:
            self.job = None  # solving a problem that is no longer current: never shown
            job.cancel()
            return True
        snap = job.snapshot()
        if snap.running:
            return False
        self.job = None
        result = snap.result
        if result is not None and (
            result.status.has_solution or result.status is SolveStatus.INFEASIBLE
        ):
            self._take(result, snap.diagnosis, cancelled=snap.cancelled, error=snap.error)
        else:
            self.message = self._no_solution(cancelled=snap.cancelled, error=snap.error)
        return True

    def _take(self, result: Result, diagnosis: Any, *, cancelled: bool, error: str | None) -> None:
        """Use a finished solve's result (one undo step when it replaces a plan)."""
        if self.result is not None:
            self.remember(f"new {NOUNS[self.kind]} solve")
        if result.status is SolveStatus.INFEASIBLE and self.kind == "roster":
            diagnosis = diagnosis_shown(diagnosis, cancelled=cancelled, error=error)
        self.set_result(result, diagnosis)
        stopped_early = cancelled and result.status is SolveStatus.FEASIBLE
        self.message = "Stopped early: showing the best solution found." if stopped_early else ""

    def _no_solution(self, *, cancelled: bool, error: str | None) -> str:
        """What to say when a solve ended without a result to show."""
        kept = " The previous result is kept." if self.result is not None else ""
        if cancelled:
            return "Cancelled before a solution was found." + kept
        if error:
            return error + kept
        return "No solution within the time limit: try a longer limit." + kept

    def cached(self, key: str, compute: Any) -> Any:
        """``compute()`` once per result (cleared when the problem or result changes)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def remember(self, action: str) -> None:
        """Record the current plan for undo before ``action`` changes it."""
        if self.recorder is not None:
            self.recorder(action, self.kind)

    def restore(self, state: PlanState) -> bool:
        """Put ``state`` back; True if a running solve had to be stopped for it."""
        stopped = False
        if state.problem is not self.problem:
            stopped = self._stop_job()
        self.set_result(state.result, state.diagnosis)
        self.message = ""
        if state.problem is not self.problem:
            self._use(state.problem, keep_draft=False)
        self.previous_plan = state.previous_plan
        return stopped

    def _use(self, problem: Any, *, keep_draft: bool) -> None:
        from optimizer.io.tables.from_problem import problem_tables

        replaced = problem is not self.problem
        self.problem = problem
        if replaced:
            self.previous_plan = None
        self.message = ""
        self.cache = {}
        if not keep_draft:
            self.draft = {} if problem is None else problem_tables(problem)
        self.editor_data = {}
        self.version += 1
        self.revision += 1
        if replaced and self.on_replace is not None:
            self.on_replace(self.kind)

    def _stop_job(self) -> bool:
        """Cancel the running solve (its result belongs to the old problem)."""
        job, self.job = self.job, None
        if job is None or not job.running:
            return False
        job.cancel()
        return True

    def _describe(self, problem: Any) -> str:
        name = getattr(problem, "name", "")
        if self.problem is not None and name and name != getattr(self.problem, "name", ""):
            return f"load {NOUNS[self.kind]} '{name}'"
        return f"change to the {NOUNS[self.kind]} data"


def diagnosis_shown(diagnosis: Any, *, cancelled: bool, error: str | None = None) -> Any:
    """The diagnosis of an infeasible roster, or one note saying why there is none.

    A cancel stops the diagnosis's own solves, which then look undecided ("could not
    decide within 20 s"); that is reported as the cancel it was.
    """
    undecided = not diagnosis or (
        isinstance(diagnosis, dict)
        and diagnosis.get("feasible", False) is None
        and not diagnosis.get("conflicts")
    )
    if cancelled and undecided:
        return {"summary": DIAGNOSIS_CANCELLED}
    return diagnosis or {"summary": error or "The diagnosis is not available."}


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
    notes: list[str] = field(default_factory=list)
    """Set-up notes: days kept, cases started before "now", cases left out."""
    adopt: Any = None
    """The problem to adopt when it is not ``problem`` (a roster re-plan's kept days)."""
    infeasible: bool = False
    """The re-plan proved that no plan satisfies the hard rules."""
    diagnosis: Any = None
    """Why, for an infeasible roster re-plan (``diagnosis_shown``)."""
    hints: list[str] = field(default_factory=list)
    """Likely causes, for an infeasible case re-plan (``case_conflict_hints``)."""
    fallback: Any = None
    """For a roster re-plan: the published roster repaired for the changes, its warm
    start and the plan kept when the solver finds nothing better (``whatif.keep_better``)."""
    stopped_early: bool = False
    """The re-plan was cancelled: its result is the best found until then."""
    kept_note: str = ""
    """Why the result is the repaired published roster, not the solver's (if it is)."""
    kept_days: tuple[int, ...] = ()
    """For a roster re-plan: the days it kept as published at first (its scope); with
    ``adopt`` None it was started again without them (keeping them left no roster)."""
    solved_on: Any = None
    """For a roster re-plan around the changes: the problem its solver solves
    (``whatif.only_the_changes``) when not ``problem``; the result is costed on ``problem``."""


@dataclass
class Workspace:
    """Everything one planner's session holds."""

    roster: Family = field(default_factory=lambda: Family("roster"))
    cases: Family = field(default_factory=lambda: Family("cases"))
    scenarios: list[Scenario] = field(default_factory=list)
    """Every what-if; only those built on a family's current problem are usable."""
    pending: dict[str, tuple[Any, list[str]]] = field(default_factory=dict)
    """Per family: the what-if problem being built and the changes made to it."""
    upload_errors: list[Any] = field(default_factory=list)
    """The Data page's upload messages: text, or ``views.data.UploadProblems``."""
    last_upload: str = ""
    """Identities (name:size:file id, one a line) of the files in the uploader when last
    looked at: each file is applied once, not again after the demo is loaded or an undo
    (``dashboards.uploads.new_files``)."""
    proposal: Any = None
    history: History = field(default_factory=History)
    scenarios_named: int = 0
    """How many scenarios were named so far (names are never reused)."""
    notice: str = ""
    """One-line confirmation of the last undo / redo, shown once."""
    notes: dict[str, list[str]] = field(default_factory=dict)
    """Per family: what the Changes page must tell once (adoption, what-ifs dropped)."""

    def __post_init__(self) -> None:
        for family in (self.roster, self.cases):
            family.recorder = self._record_one
            family.on_replace = self._forget_what_ifs

    def family(self, kind: str) -> Family:
        return self.roster if kind == "roster" else self.cases

    def collect(self) -> list[str]:
        """Take in every background solve that ended; the kinds whose plan or job changed."""
        return [kind for kind in FAMILIES if self.family(kind).collect()]

    def usable_scenarios(self, kind: str) -> list[Scenario]:
        """The scenarios of ``kind`` built on the current problem (others are stale)."""
        current = self.family(kind).problem
        return [s for s in self.scenarios if s.kind == kind and s.base_problem is current]

    def stale_scenarios(self, kind: str) -> list[Scenario]:
        current = self.family(kind).problem
        return [s for s in self.scenarios if s.kind == kind and s.base_problem is not current]

    def state(self, kind: str) -> PlanState:
        """The plan of ``kind`` as undo would put it back (with its pending what-if)."""
        family = self.family(kind)
        pending = self.pending.get(kind)
        frozen = None if pending is None else (pending[0], tuple(pending[1]))
        return PlanState(
            kind, family.problem, family.result, family.diagnosis, frozen, family.previous_plan
        )

    def record(self, action: str, kinds: Iterable[str], scenario: Any = None) -> None:
        """Remember the plans of ``kinds`` before ``action`` changes them (and the scenario
        a re-plan starts); scenarios no undo or redo can reach any more are dropped."""
        self.history.record(action, [self.state(kind) for kind in kinds], scenario)
        self._prune_scenarios()

    def next_scenario_name(self) -> str:
        """A scenario name never used in this session."""
        self.scenarios_named += 1
        return f"Scenario {self.scenarios_named}"

    def _record_one(self, action: str, kind: str) -> None:
        self.record(action, [kind])

    def undo(self) -> None:
        """Undo the last recorded action; the confirmation goes to ``notice``."""
        self._travel(self.history.undo_steps, self.history.redo_steps, "Undone")

    def redo(self) -> None:
        """Redo the last undone action; the confirmation goes to ``notice``."""
        self._travel(self.history.redo_steps, self.history.undo_steps, "Redone")

    def _travel(self, source: list[Step], target: list[Step], verb: str) -> None:
        """Put back the last step of ``source``, saving today's plans as a step of ``target``."""
        if not source:
            self.notice = f"Nothing to {'undo' if verb == 'Undone' else 'redo'}."
            return
        step = source.pop()
        target.append(
            Step(step.action, tuple(self.state(s.kind) for s in step.states), step.scenario)
        )
        if step.scenario is not None:
            self._take_back_scenario(step.scenario, undo=verb == "Undone")
        stopped = [s.kind for s in step.states if self.family(s.kind).restore(s)]
        for state in step.states:
            self.notes.pop(state.kind, None)  # what was set aside is in ``target``
            if state.pending is None:
                self.pending.pop(state.kind, None)
            else:
                self.pending[state.kind] = (state.pending[0], list(state.pending[1]))
        message = f"{verb}: {step.action}."
        if stopped:
            solves = " and ".join(NOUNS[kind] for kind in stopped)
            message += f" The running {solves} solve was stopped."
        self.notice = message

    def _forget_what_ifs(self, kind: str) -> None:
        """The problem of ``kind`` was replaced: put aside what-ifs built on the old one.

        Pending changes leave with the old problem (undo brings both back), an
        unconfirmed free-text proposal is dropped, and scenarios are kept (hidden) only
        while an undo or redo can bring their base problem back.
        """
        dropped: list[str] = []
        pending = self.pending.pop(kind, None)
        if pending is not None and pending[1]:
            dropped.append(f"{len(pending[1])} what-if change(s)")
        if self.proposal is not None and self.proposal[0] == kind:
            self.proposal = None
            dropped.append("the unconfirmed free-text change")
        if dropped:
            self.notes.setdefault(kind, []).append(
                f"The {NOUNS[kind]} problem was replaced: {' and '.join(dropped)} made to the "
                "previous problem no longer apply (Undo brings the previous problem back)."
            )
        self._prune_scenarios()

    def _prune_scenarios(self) -> None:
        """Drop (and stop) scenarios whose base problem no undo or redo can bring back."""
        keep = {id(p) for p in self.history.problems()}
        keep |= {id(self.family(kind).problem) for kind in FAMILIES}
        for scenario in list(self.scenarios):
            if id(scenario.base_problem) not in keep:
                if scenario.job is not None:
                    scenario.job.cancel()
                self.scenarios.remove(scenario)

    def _take_back_scenario(self, scenario: Any, *, undo: bool) -> None:
        """Undoing a re-plan removes its scenario (stopping its solve); redo restores it."""
        if undo:
            if scenario in self.scenarios:
                self.scenarios.remove(scenario)
            if scenario.job is not None:
                scenario.job.cancel()
                scenario.job = None
                if scenario.result is None:
                    scenario.error = "the re-plan was stopped by Undo; re-plan again for a result"
        elif scenario not in self.scenarios:
            self.scenarios.append(scenario)


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
    """Load the demo hospital into both families (one undo step); returns what failed."""
    missing = []
    loaded: dict[str, Any] = {}
    for kind, loader in (("roster", demo_roster), ("cases", demo_cases)):
        try:
            problem = loader()
        except Exception as exc:  # a broken demo file must not stop the app
            missing.append(f"{LABELS[kind]}: {exc}")
            continue
        if problem is None:
            missing.append(f"{LABELS[kind]}: the demo is not available yet")
            continue
        loaded[kind] = problem
    ws.record("load the demo hospital", loaded)
    for kind, problem in loaded.items():
        ws.family(kind).set_problem(problem, record=False)
    return missing
