"""Independent checker for case schedules (no solver imports).

Re-verifies every hard rule of ``optimizer.model.cases`` and recomputes each soft
rule's cost with a who/what/when message.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from optimizer.check.report import CheckReport, Penalty, Violation
from optimizer.model.cases import CaseProblem, Opening, Task
from optimizer.model.result import CaseSchedule, ScheduledTask


def check_cases(problem: CaseProblem, schedule: CaseSchedule) -> CheckReport:
    """Every broken hard rule and every soft penalty of ``schedule``."""
    report = CheckReport()
    placed = _placed_tasks(problem, schedule, report)
    for task_id, item in placed.items():
        _check_task(problem, problem.task(task_id), item, report)
    _check_rooms(problem, placed, report)
    _check_staff(problem, placed, report)
    _check_resources(problem, placed, report)
    _check_precedences(problem, placed, report)
    _penalties(problem, placed, report)
    return report


def _when(problem: CaseProblem, minute: int) -> str:
    moment = problem.datetime_of(minute)
    return f"t={minute}" if moment is None else moment.strftime("%a %d %b %H:%M")


def _violate(
    report: CheckReport,
    rule: str,
    message: str,
    *,
    task: str | None = None,
    staff: str | None = None,
    amount: int = 1,
) -> None:
    report.violations.append(
        Violation(rule=rule, message=message, task=task, staff=staff, amount=amount)
    )


def _placed_tasks(
    problem: CaseProblem, schedule: CaseSchedule, report: CheckReport
) -> dict[str, ScheduledTask]:
    placed: dict[str, ScheduledTask] = {}
    for item in schedule.tasks:
        if item.task not in problem.task_index:
            _violate(report, "unknown_task", f"unknown task '{item.task}'", task=item.task)
        elif item.task in placed:
            _violate(report, "duplicate", f"task '{item.task}' placed twice", task=item.task)
        else:
            placed[item.task] = item
    for task_id in schedule.unscheduled:
        if task_id not in problem.task_index:
            _violate(
                report,
                "unknown_task",
                f"unknown task '{task_id}' listed as unscheduled",
                task=task_id,
            )
        elif task_id in placed:
            _violate(
                report,
                "duplicate",
                f"task '{task_id}' is both placed and unscheduled",
                task=task_id,
            )
    for task in problem.tasks:
        if task.id not in placed and problem.must_schedule(task):
            why = "pinned" if task.optional else "mandatory"
            _violate(
                report, "unscheduled", f"{why} task '{task.id}' is not scheduled", task=task.id
            )
    return placed


def _check_task(problem: CaseProblem, task: Task, item: ScheduledTask, report: CheckReport) -> None:
    tid = task.id
    if item.end - item.start != task.duration:
        _violate(
            report,
            "duration",
            f"task '{tid}' runs {item.end - item.start} minutes, not {task.duration}",
            task=tid,
        )
    if item.start < task.release:
        _violate(
            report,
            "window",
            f"task '{tid}' starts at {item.start}, before its release {task.release}",
            task=tid,
        )
    if item.end > problem.latest_end(task):
        _violate(
            report,
            "window",
            f"task '{tid}' ends at {item.end}, after its latest end {problem.latest_end(task)}",
            task=tid,
        )
    _check_room_choice(problem, task, item, report)
    _check_team(problem, task, item, report)
    _check_listed_resources(problem, task, item, report)
    pin = problem.pin_of(tid)
    if pin is not None:
        if pin.start is not None and item.start != pin.start:
            _violate(
                report, "pin", f"task '{tid}' pinned at {pin.start} starts {item.start}", task=tid
            )
        if pin.room is not None and item.room != pin.room:
            _violate(
                report, "pin", f"task '{tid}' pinned to room '{pin.room}' is elsewhere", task=tid
            )
        for name in pin.staff:
            if name not in item.staff:
                _violate(
                    report,
                    "pin",
                    f"'{name}' is pinned to task '{tid}' but not on it",
                    task=tid,
                    staff=name,
                )


def _check_listed_resources(
    problem: CaseProblem, task: Task, item: ScheduledTask, report: CheckReport
) -> None:
    """Listed resources, when any are listed, are known and exactly the task's own.

    An empty list means "not listed" (warm starts and hand-made schedules leave it
    out); capacity is always checked from the task's needs, never from the list.
    """
    tid = task.id
    listed = list(item.resources)
    if not listed:
        return
    if len(set(listed)) != len(listed):
        _violate(report, "resources", f"task '{tid}' lists a resource twice", task=tid)
    for rid in dict.fromkeys(listed):
        if rid in problem.resource_index:
            if rid not in task.resources:
                _violate(
                    report,
                    "resources",
                    f"task '{tid}' lists resource '{rid}' it does not use",
                    task=tid,
                )
        elif rid in problem.room_index:
            _violate(
                report,
                "resources",
                f"task '{tid}' lists room '{rid}' among its resources (the room goes in 'room')",
                task=tid,
            )
        else:
            _violate(report, "resources", f"task '{tid}': unknown resource '{rid}'", task=tid)
    for rid in task.resources:
        if rid not in listed:
            _violate(
                report,
                "resources",
                f"task '{tid}' uses resource '{rid}' but does not list it",
                task=tid,
            )


def _check_room_choice(
    problem: CaseProblem, task: Task, item: ScheduledTask, report: CheckReport
) -> None:
    tid = task.id
    if not problem.needs_room(task):
        if item.room is not None:
            _violate(
                report, "room", f"task '{tid}' needs no room but is in '{item.room}'", task=tid
            )
        return
    if item.room is None:
        _violate(report, "room", f"task '{tid}' needs a room but has none", task=tid)
    elif item.room not in {r.id for r in problem.eligible_rooms(task)}:
        _violate(report, "room", f"task '{tid}' is in ineligible room '{item.room}'", task=tid)
    elif task.duration > 0 and _opening_of(problem, item.room, item) is None:
        _violate(
            report,
            "room_hours",
            f"task '{tid}' in room '{item.room}' at {_when(problem, item.start)}–"
            f"{_when(problem, item.end)} is outside the room's openings",
            task=tid,
        )


def _opening_of(problem: CaseProblem, room_id: str, item: ScheduledTask) -> Opening | None:
    for opening in problem.openings_of(problem.room(room_id)):
        if opening.start <= item.start and item.end <= opening.hard_end:
            return opening
    return None


def _check_team(problem: CaseProblem, task: Task, item: ScheduledTask, report: CheckReport) -> None:
    tid = task.id
    people = list(item.staff)
    if len(set(people)) != len(people):
        _violate(report, "team", f"task '{tid}' lists a person twice", task=tid)
    unknown = [p for p in people if p not in problem.staff_index]
    for name in unknown:
        _violate(report, "team", f"task '{tid}': unknown staff '{name}'", task=tid, staff=name)
    if unknown:
        return
    for name in task.staff:
        if name not in people:
            _violate(
                report,
                "team",
                f"named staff '{name}' is not on task '{tid}'",
                task=tid,
                staff=name,
            )
    if len(set(people)) != task.team_size:
        _violate(
            report,
            "team",
            f"task '{tid}' has {len(set(people))} people, needs {task.team_size}",
            task=tid,
        )
        return
    others = [p for p in dict.fromkeys(people) if p not in task.staff]
    slots = [need.role for need in task.team for _ in range(need.count)]
    if _max_matching(problem, others, slots) < len(slots):
        roles = ", ".join(f"{n.count} {n.role}" for n in task.team)
        _violate(
            report,
            "qualification",
            f"task '{tid}': {', '.join(others)} cannot fill the roles ({roles})",
            task=tid,
        )


def _max_matching(problem: CaseProblem, people: list[str], slots: list[str]) -> int:
    """Size of a maximum matching of people to role slots they hold."""
    holder: dict[int, str] = {}

    def augment(person: str, seen: set[int]) -> bool:
        roles = problem.person(person).roles
        for j, role in enumerate(slots):
            if role in roles and j not in seen:
                seen.add(j)
                if j not in holder or augment(holder[j], seen):
                    holder[j] = person
                    return True
        return False

    return sum(augment(person, set()) for person in people)


def _check_rooms(
    problem: CaseProblem, placed: dict[str, ScheduledTask], report: CheckReport
) -> None:
    by_room: dict[str, list[ScheduledTask]] = defaultdict(list)
    for item in placed.values():
        if item.room in problem.room_index and problem.task(item.task).duration > 0:
            by_room[item.room].append(item)
    for room_id, items in by_room.items():
        turnover = problem.turnover_of(problem.room(room_id))
        items.sort(key=lambda it: (it.start, it.end))
        for prev, nxt in pairwise(items):
            if nxt.start < prev.end:
                _violate(
                    report,
                    "room_overlap",
                    f"room '{room_id}': tasks '{prev.task}' and '{nxt.task}' overlap at "
                    f"{_when(problem, nxt.start)}",
                    task=nxt.task,
                )
            elif nxt.start < prev.end + turnover:
                _violate(
                    report,
                    "turnover",
                    f"room '{room_id}': only {nxt.start - prev.end} minutes between "
                    f"'{prev.task}' and '{nxt.task}' (turnover {turnover})",
                    task=nxt.task,
                )


def _check_staff(
    problem: CaseProblem, placed: dict[str, ScheduledTask], report: CheckReport
) -> None:
    by_person: dict[str, list[ScheduledTask]] = defaultdict(list)
    for item in placed.values():
        if problem.task(item.task).duration == 0:
            continue
        for name in dict.fromkeys(item.staff):
            if name in problem.staff_index:
                by_person[name].append(item)
    for name, items in by_person.items():
        person = problem.person(name)
        windows = problem.merged_work_windows_of(person)  # on duty or in overtime
        items.sort(key=lambda it: (it.start, it.end))
        for prev, nxt in pairwise(items):
            if nxt.start < prev.end:
                _violate(
                    report,
                    "staff_overlap",
                    f"{person.label} is on '{prev.task}' and '{nxt.task}' at "
                    f"{_when(problem, nxt.start)}",
                    staff=name,
                    task=nxt.task,
                )
        for item in items:
            if not any(w.start <= item.start and item.end <= w.end for w in windows):
                _violate(
                    report,
                    "availability",
                    f"{person.label} is off duty during '{item.task}' "
                    f"({_when(problem, item.start)}–{_when(problem, item.end)})",
                    staff=name,
                    task=item.task,
                )
        total = sum(item.end - item.start for item in items)
        if person.max_minutes is not None and total > person.max_minutes:
            _violate(
                report,
                "max_minutes",
                f"{person.label} works {total} minutes, more than {person.max_minutes}",
                staff=name,
                amount=total - person.max_minutes,
            )


def _check_resources(
    problem: CaseProblem, placed: dict[str, ScheduledTask], report: CheckReport
) -> None:
    for resource in problem.resources:
        events: list[tuple[int, int, str]] = []
        for item in placed.values():
            task = problem.task(item.task)
            units = task.resources.get(resource.id, 0)
            if units and task.duration > 0:
                events.append((item.start, units, item.task))
                events.append((item.end, -units, item.task))
        events.sort(key=lambda e: (e[0], e[1]))  # releases before uses at equal times
        level = 0
        for time, delta, task_id in events:
            level += delta
            if delta > 0 and level > resource.capacity:
                _violate(
                    report,
                    "capacity",
                    f"resource '{resource.id}': {level} units in use at "
                    f"{_when(problem, time)} (capacity {resource.capacity}) when "
                    f"'{task_id}' starts",
                    task=task_id,
                    amount=level - resource.capacity,
                )


def _check_precedences(
    problem: CaseProblem, placed: dict[str, ScheduledTask], report: CheckReport
) -> None:
    for prec in problem.precedences:
        first, second = placed.get(prec.before), placed.get(prec.after)
        if first is None or second is None:
            continue
        gap = second.start - first.end
        if gap < prec.min_lag:
            _violate(
                report,
                "precedence",
                f"'{prec.after}' starts {gap} minutes after '{prec.before}' ends; "
                f"needs at least {prec.min_lag}",
                task=prec.after,
            )
        if prec.max_lag is not None and gap > prec.max_lag:
            _violate(
                report,
                "precedence",
                f"'{prec.after}' starts {gap} minutes after '{prec.before}' ends; "
                f"allows at most {prec.max_lag}",
                task=prec.after,
            )


def _penalties(problem: CaseProblem, placed: dict[str, ScheduledTask], report: CheckReport) -> None:
    weights = problem.weights
    add = report.penalties.append
    for task in problem.tasks:
        item = placed.get(task.id)
        if item is None:
            cost = problem.unscheduled_cost(task)
            if cost and not problem.must_schedule(task):
                add(
                    Penalty(
                        rule="unscheduled",
                        cost=cost,
                        task=task.id,
                        message=f"{task.label}: not scheduled ({cost})",
                    )
                )
            continue
        if task.due is not None and item.end > task.due:
            late = item.end - task.due
            cost = weights.tardiness * task.priority * late
            if cost:
                add(
                    Penalty(
                        rule="tardiness",
                        cost=cost,
                        task=task.id,
                        amount=late,
                        message=f"{task.label}: ends {late} min after due "
                        f"{_when(problem, task.due)} ({cost})",
                    )
                )
    if weights.overtime:
        _overtime(problem, placed, report)
    if weights.staff_overtime:
        _staff_overtime(problem, placed, report)
    if weights.idle:
        _idle(problem, placed, report)
    end = max((item.end for item in placed.values()), default=0)
    if weights.makespan and end > 0:  # like the other rules: no zero-cost penalty
        add(
            Penalty(
                rule="makespan",
                cost=weights.makespan * end,
                amount=end,
                message=f"last task ends at {_when(problem, end)} ({weights.makespan * end})",
            )
        )
    if problem.baseline is not None:
        _baseline(problem, placed, report)


def _overtime(problem: CaseProblem, placed: dict[str, ScheduledTask], report: CheckReport) -> None:
    latest: dict[tuple[str, int], int] = {}
    for item in placed.values():
        if item.room not in problem.room_index or problem.task(item.task).duration == 0:
            continue
        opening = _opening_of(problem, item.room, item)
        if opening is not None and item.end > opening.end:
            key = (item.room, opening.end)
            latest[key] = max(latest.get(key, 0), item.end)
    for (room_id, end), last in sorted(latest.items()):
        minutes = last - end
        cost = problem.weights.overtime * minutes
        report.penalties.append(
            Penalty(
                rule="overtime",
                cost=cost,
                amount=minutes,
                message=f"room '{room_id}': {minutes} min overtime after "
                f"{_when(problem, end)} ({cost})",
            )
        )


def _staff_overtime(
    problem: CaseProblem, placed: dict[str, ScheduledTask], report: CheckReport
) -> None:
    """Per person and on-duty window: minutes from the window's end to the latest end of
    the person's work past it, whichever window that work started in (a case started in
    a later window is not overtime here), counted up to the window's overtime end
    (after it the next window is on duty)."""
    for person in problem.staff:
        if not person.overtime:
            continue
        spans = [
            (item.start, item.end)
            for item in placed.values()
            if person.id in item.staff and problem.task(item.task).duration > 0
        ]
        duty = problem.windows_of(person)
        for window, (_, work_end) in zip(duty, problem.work_windows_of(person), strict=True):
            last = max(
                (min(end, work_end) for start, end in spans if start < work_end),
                default=window.end,
            )
            if last <= window.end:
                continue
            minutes = last - window.end
            cost = problem.weights.staff_overtime * minutes
            report.penalties.append(
                Penalty(
                    rule="staff_overtime",
                    cost=cost,
                    staff=person.id,
                    amount=minutes,
                    message=f"{person.label}: {minutes} min overtime after "
                    f"{_when(problem, window.end)} ({cost})",
                )
            )


def _idle(problem: CaseProblem, placed: dict[str, ScheduledTask], report: CheckReport) -> None:
    """Per room opening: minutes empty between consecutive cases beyond the turnover."""
    by_opening: dict[tuple[str, int], list[ScheduledTask]] = defaultdict(list)
    for item in placed.values():
        if item.room not in problem.room_index or problem.task(item.task).duration == 0:
            continue
        opening = _opening_of(problem, item.room, item)
        if opening is not None:
            by_opening[(item.room, opening.start)].append(item)
    for (room_id, opened), items in sorted(by_opening.items()):
        turnover = problem.turnover_of(problem.room(room_id))
        items.sort(key=lambda it: (it.start, it.end))
        minutes = sum(max(0, b.start - a.end - turnover) for a, b in pairwise(items))
        if not minutes:
            continue
        cost = problem.weights.idle * minutes
        report.penalties.append(
            Penalty(
                rule="idle",
                cost=cost,
                amount=minutes,
                message=f"room '{room_id}': {minutes} min idle between cases in the opening "
                f"from {_when(problem, opened)} ({cost})",
            )
        )


def _baseline(problem: CaseProblem, placed: dict[str, ScheduledTask], report: CheckReport) -> None:
    assert problem.baseline is not None
    baseline = problem.baseline
    for old in baseline.schedule.tasks:
        if old.task not in problem.task_index:
            continue
        new = placed.get(old.task)
        label = problem.task(old.task).label
        moved = new is None or new.start != old.start or new.room != old.room
        if moved and baseline.move_weight:
            what = "dropped" if new is None else f"moved from {_when(problem, old.start)}"
            if new is not None and new.room != old.room:
                what += f" / room {old.room} → {new.room}"
            report.penalties.append(
                Penalty(
                    rule="baseline_move",
                    cost=baseline.move_weight,
                    task=old.task,
                    message=f"{label}: {what} ({baseline.move_weight})",
                )
            )
        now = set() if new is None else set(new.staff)
        for name in dict.fromkeys(old.staff):
            if name not in now and baseline.staff_weight:
                report.penalties.append(
                    Penalty(
                        rule="baseline_staff",
                        cost=baseline.staff_weight,
                        task=old.task,
                        staff=name,
                        message=f"{label}: {name} taken off the task ({baseline.staff_weight})",
                    )
                )
