"""Facts beat limits: a person whose started cases already pass their ``max_minutes``
keeps them, the limit raised (with a note), and no other case can have them."""

from __future__ import annotations

from optimizer.errors import InputError
from optimizer.model.cases import StaffMember
from optimizer.replan.draft import Draft


def raise_limits(draft: Draft) -> dict[str, str]:
    """Facts beat plans: a person whose started cases (one ran long) already pass
    their ``max_minutes`` keeps them, their limit raised to those minutes. No other
    case can have them: an optional case naming them (or pinned to them) is taken out
    (returned: id -> reason); a mandatory one is an ``InputError``."""
    dropped: dict[str, str] = {}
    for person in draft.problem.staff:
        worked = _worked(draft, person.id)
        if person.max_minutes is None or worked <= person.max_minutes:
            continue
        draft.limits[person.id] = (person.max_minutes, worked)
        dropped.update(_over_limit(draft, person, worked))
    return dropped


def limit_notes(draft: Draft) -> list[str]:
    """One note per person whose ``max_minutes`` the re-plan raised."""
    return [
        f"{draft.problem.person(name).label}'s max working minutes are raised from {old} "
        f"to {new} for this re-plan: their started cases ({_started_by(draft, name)}) "
        f"already take {new} minutes"
        for name, (old, new) in draft.limits.items()
    ]


def _started_by(draft: Draft, name: str) -> str:
    """The labels of the started cases ``name`` works on."""
    return ", ".join(draft.label(t) for t, item in draft.fixed.items() if name in item.staff)


def _worked(draft: Draft, name: str) -> int:
    """The minutes ``name`` works on started cases (actual durations)."""
    return sum(
        draft.tasks[task_id].duration
        for task_id, item in draft.fixed.items()
        if name in item.staff and task_id in draft.tasks
    )


def _over_limit(draft: Draft, person: StaffMember, worked: int) -> dict[str, str]:
    """The cases left without ``person``, who already works ``worked`` minutes."""
    reason = (
        f"{person.label} already works {worked} minutes on started cases "
        f"({_started_by(draft, person.id)}), "
        f"more than their max {person.max_minutes} working minutes"
    )
    dropped: dict[str, str] = {}
    for task_id, task in list(draft.tasks.items()):
        pin = draft.pins.get(task_id)
        people = {*task.staff, *(pin.staff if pin else ())}
        if task_id in draft.fixed or task.duration == 0 or person.id not in people:
            continue
        if not task.optional or pin is not None:
            raise InputError(
                f"case '{task_id}' ({task.label}) must be scheduled with "
                f"{draft.who(person.id)}, but {reason}; mark it optional, name someone "
                "else, or correct the started cases' actual ends",
                field="actual_end",
            )
        dropped[task_id] = reason
        del draft.tasks[task_id]
    return dropped
