"""Staff overtime has one definition: the checker's ``staff_overtime`` rule (per person
and on-duty window, from the window's end to the latest end of work running past it,
whichever window that work started in, up to the overtime's end). Re-planning an
overrun and the per-person KPI follow it; explanations say truly why an optional case
can never run."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.check import check
from optimizer.explain.case_reasons import explain_task, static_reasons
from optimizer.explain.case_utilisation import staff_utilisation
from optimizer.model.cases import (
    CaseProblem,
    CaseWeights,
    Opening,
    Resource,
    Room,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)
from optimizer.model.result import CaseSchedule, ScheduledTask
from optimizer.replan import CaseOverrun, ReplanOutcome, replan
from tests.test_case_probe_s16 import S847
from tests.verify import solve_verified, verify_result

HORIZON = 400

# -- re-planning a case that ran long ----------------------------------------------------


def _overrun(
    windows: list[tuple[int, int]], overtime: int, start: int, end: int, actual_end: int
) -> tuple[CaseProblem, ReplanOutcome]:
    """One person S, one case A they ran ``[start, end)``, now ran until ``actual_end``."""
    problem = CaseProblem(
        horizon=HORIZON,
        tasks=(Task(id="A", duration=end - start, optional=True, staff=("S",)),),
        staff=(
            StaffMember(
                id="S",
                available=tuple(Window(start=a, end=b) for a, b in windows),
                overtime=overtime,
            ),
        ),
    )
    published = CaseSchedule(tasks=(ScheduledTask(task="A", start=start, end=end, staff=("S",)),))
    change = CaseOverrun(task="A", actual_end=actual_end)
    outcome = replan(problem, published, [change], now=start + 1, time_limit=10, workers=1, seed=0)
    verify_result(outcome.problem, outcome.result)
    schedule = outcome.result.schedule
    assert schedule is not None and schedule.by_task()["A"].end == actual_end
    return problem, outcome


def _rule(windows: list[tuple[int, int]], overtime: int, start: int, end: int) -> int:
    """The rule for one case on disjoint windows, beyond the reach counting nothing:
    per window the case reaches, minutes from its end to the case's end, up to the
    overtime's end (cut at the next window's start)."""
    total = 0
    for k, (_, w_end) in enumerate(windows):
        stop = windows[k + 1][0] if k + 1 < len(windows) else HORIZON
        work_end = min(w_end + overtime, stop)
        if start < work_end:
            total += max(0, min(end, work_end) - w_end)
    return total


def _staff_overtime(outcome: ReplanOutcome) -> int:
    return outcome.result.terms.get("staff_overtime", 0)


def test_a_case_started_in_the_overtime_counts_from_the_window_s_end() -> None:
    # On duty 0–100 with 30 min overtime; A ran 110–115, then until 120: 100 → 120.
    problem, outcome = _overrun([(0, 100)], 30, 110, 115, 120)
    assert _staff_overtime(outcome) == 20 == _rule([(0, 100)], 30, 110, 120)
    assert outcome.problem.person("S").available == problem.person("S").available


def test_an_overrun_across_a_break_counts_every_window_it_reaches() -> None:
    # On duty 0–100 and 120–200 with 20 min overtime; A ran 90–200, then until 210:
    # 100 → 120 (the break) and 200 → 210.
    windows = [(0, 100), (120, 200)]
    problem, outcome = _overrun(windows, 20, 90, 200, 210)
    assert _staff_overtime(outcome) == 30 == _rule(windows, 20, 90, 210)
    assert outcome.problem.person("S").available == problem.person("S").available


def test_running_longer_never_costs_less_and_leaves_no_overtime_after() -> None:
    # On duty 0–100 and 120–200 with 40 min overtime: the reach ends at 240. Up to it
    # the windows stay; past it the second window runs on so its overtime ends with A.
    windows = [(0, 100), (120, 200)]
    costs = []
    for actual_end in (210, 230, 239, 240, 241, 300):
        problem, outcome = _overrun(windows, 40, 90, 200, actual_end)
        costs.append(_staff_overtime(outcome))
        assert costs[-1] == _rule(windows, 40, 90, actual_end)
        stretched = outcome.problem.person("S").available != problem.person("S").available
        assert stretched == (actual_end > 240)
        reach = outcome.problem.merged_work_windows_of(outcome.problem.person("S"))
        assert max(w.end for w in reach) == max(actual_end, 240)
    assert costs == [30, 50, 59, 60, 60, 60]


def test_an_overrun_past_several_breaks_pays_each_reached_window_once() -> None:
    # On duty 0–100, 140–150 and 200–300 with 20 min overtime; A ran 90–110, then until
    # 250: 100 → 120 and 150 → 170; 120–140 and 170–200 (past the reach) are on duty.
    windows = [(0, 100), (140, 150), (200, 300)]
    _, outcome = _overrun(windows, 20, 90, 110, 250)
    assert _staff_overtime(outcome) == 40 == _rule(windows, 20, 90, 250)
    reach = outcome.problem.merged_work_windows_of(outcome.problem.person("S"))
    assert [(w.start, w.end) for w in reach] == [(0, 320)]


# -- the per-person KPI equals the checker's term ------------------------------------------


def _kpi_cost(problem: CaseProblem, schedule: CaseSchedule) -> int:
    rows = staff_utilisation(problem, schedule)
    return problem.weights.staff_overtime * sum(row.overtime_minutes for row in rows)


def test_the_kpi_counts_overtime_of_a_case_started_in_an_earlier_overtime() -> None:
    problem = CaseProblem.model_validate({"kind": "cases", **S847})  # the probe's s847.json
    result, report = solve_verified(problem, time_limit=5)
    assert result.schedule is not None
    # P0 on 60–100: 50 → 70 (first window) and 90 → 100 (second window).
    rows = {row.staff: row for row in staff_utilisation(problem, result.schedule)}
    assert rows["P0"].overtime_minutes == 30
    assert _kpi_cost(problem, result.schedule) == report.cost_by_rule()["staff_overtime"] == 60


@st.composite
def _scheduled(draw: st.DrawFn) -> tuple[CaseProblem, CaseSchedule]:
    """1–2 people with 1–3 windows, 0–15 min overtime and maybe a time off, and up to
    5 cases each placed at random inside their reach without overlapping."""
    horizon = 120
    staff, placed = [], []
    for k in range(draw(st.integers(1, 2))):
        cuts = sorted(draw(st.sets(st.integers(1, horizon - 1), min_size=2, max_size=6)))
        pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
        away = draw(st.none() | st.tuples(st.integers(0, horizon - 5), st.integers(1, 5)))
        staff.append(
            StaffMember(
                id=f"p{k}",
                available=tuple(Window(start=a, end=b) for a, b in pairs),
                overtime=draw(st.integers(0, 15)),
                unavailable=() if away is None else (Window(start=away[0], end=sum(away)),),
            )
        )
    idle = Task(id="m", duration=0, optional=True)  # a problem needs a task
    problem = CaseProblem(horizon=horizon, tasks=(idle,), staff=tuple(staff))
    busy: dict[str, list[tuple[int, int]]] = {p.id: [] for p in staff}
    for i in range(draw(st.integers(0, 5))):
        person = draw(st.sampled_from(staff))
        reach = problem.merged_work_windows_of(person)
        if not reach:
            continue
        w = draw(st.sampled_from(reach))
        start = draw(st.integers(w.start, w.end - 1))
        end = draw(st.integers(start + 1, w.end))
        if any(start < b and a < end for a, b in busy[person.id]):
            continue
        busy[person.id].append((start, end))
        placed.append((f"t{i}", start, end, person.id))
    tasks = (
        *(
            Task(id=t, duration=end - start, optional=True, staff=(p,))
            for t, start, end, p in placed
        ),
        idle,
    )
    weights = CaseWeights(staff_overtime=draw(st.integers(1, 3)))
    problem = problem.model_copy(update={"tasks": tasks, "weights": weights})
    schedule = CaseSchedule(
        tasks=tuple(ScheduledTask(task=t, start=s, end=e, staff=(p,)) for t, s, e, p in placed),
        unscheduled=("m",),
    )
    return CaseProblem.model_validate(problem.model_dump()), schedule


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(_scheduled())
def test_kpi_minutes_times_the_weight_equal_the_checker_s_term(
    drawn: tuple[CaseProblem, CaseSchedule],
) -> None:
    problem, schedule = drawn
    report = check(problem, schedule)
    assert report.feasible, report.violations[:3]
    assert _kpi_cost(problem, schedule) == report.cost_by_rule().get("staff_overtime", 0)


# -- explanations of optional cases that can never run ------------------------------------


def _never_runs() -> CaseProblem:
    return CaseProblem(
        horizon=200,
        rooms=(Room(id="OR1", openings=(Opening(start=0, end=200),)),),
        resources=(Resource(id="XRAY", capacity=1), Resource(id="LASER", name="Laser", capacity=0)),
        staff=(StaffMember(id="N", roles=("nurse",)),),
        tasks=(
            Task(id="A", duration=30, team=(TeamRequirement(role="nurse"),)),
            Task(id="E", duration=30, optional=True, rooms=()),
            Task(id="X", duration=30, optional=True, resources={"XRAY": 2}),
            Task(id="L", duration=30, optional=True, resources={"LASER": 1}, rooms=()),
        ),
    )


def test_an_empty_room_list_and_a_need_above_capacity_are_explained_as_such() -> None:
    problem = _never_runs()
    result, _ = solve_verified(problem, time_limit=5)
    assert result.schedule is not None and set(result.schedule.unscheduled) == {"E", "X", "L"}
    messages = {}
    for task_id in ("E", "X", "L"):
        found = explain_task(problem, result.schedule, task_id)
        assert found is not None
        messages[task_id] = [r.message for r in found.reasons]
        assert messages[task_id] == [
            r.message for r in static_reasons(problem, problem.task(task_id))
        ]
    assert messages == {
        "E": ["its room list is empty, so no room may hold it"],
        "X": ["it needs 2 XRAY but only 1 exists"],
        "L": ["it needs 1 Laser but none exists", "its room list is empty, so no room may hold it"],
    }
