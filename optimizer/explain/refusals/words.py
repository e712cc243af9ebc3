"""The planner's words for an ungranted request: what was asked, what granting it would
bring, and why it was not granted."""

from __future__ import annotations

from collections.abc import Sequence

from optimizer.check.report import Penalty
from optimizer.explain.shortfalls.day_change import Change
from optimizer.explain.shortfalls.words import SOLVE_LONGER
from optimizer.model.roster import RosterProblem

REQUEST_RULES = ("shift_on_request", "shift_off_request")
"""The checker's penalty rules of an ungranted request."""


def asked(problem: RosterProblem, day: int, shift: str | None, want: bool) -> str:
    """``Sat 12 Dec off``, ``no Night on Sat 12 Dec``, ``Night on Sat 12 Dec``, ``a shift
    on Sat 12 Dec``."""
    when = problem.day_label(day)
    if shift is None:
        return f"a shift on {when}" if want else f"{when} off"
    label = problem.shift(shift).label
    return f"{label} on {when}" if want else f"no {label} on {when}"


def impossible(kind: str, said: str) -> str:
    """``impossible: away that day (annual leave)`` / ``impossible: pinned to Early that
    day`` / ``granting it alone would break a hard rule: …``."""
    if kind == "away":
        return f"impossible: away that day ({said})"
    if kind == "pinned":
        return f"impossible: pinned to {said} that day"
    return f"granting it alone would break a hard rule: {said}"


def none_open(blocked: Sequence[tuple[str, str, str]]) -> str:
    """``no shift is open that day (Early: away, training; Late: …)`` from (shift label,
    kind, what the checker or the data says) per shift; ``on any shift, …`` when every
    shift is stopped alike."""
    if len({(kind, said) for _, kind, said in blocked}) == 1:  # the same on every shift
        _, kind, said = blocked[0]
        return f"on any shift, {impossible(kind, said)}"
    shown = [
        f"{label}: away, {said}"
        if kind == "away"
        else f"{label}: pinned to {said}"
        if kind == "pinned"
        else f"{label}: {said}"
        for label, kind, said in blocked
    ]
    return f"no shift is open that day ({'; '.join(shown)})"


def costed(change: Change, refused: Penalty, on: str | None) -> str:
    """What granting it alone would do, against the request's weight: ``granting it alone
    would leave Night shift Sat 12 Dec 1 RN short (+100), more than the request's weight``
    (``on``: the shift chosen for an 'any shift' request)."""
    effects = _effects(change, refused)
    said = ", ".join(effects[:-1]) + f" and {effects[-1]}" if len(effects) > 1 else "".join(effects)
    alone = f"granting it alone (on {on}, the cheapest open shift)" if on else "granting it alone"
    if change.cost < 0:
        lower = f"lower the penalty by {-change.cost}: {SOLVE_LONGER}"
        if not effects:
            return f"{alone} would {lower}"
        net = change.cost + refused.cost
        than = ", less than the request's weight," if net > 0 else " as well,"
        return f"{alone} would {said}{than} so it would {lower}"
    net = change.cost + refused.cost
    total = f": {net:+d} in all" if len(effects) > 1 else ""
    than = "more than" if change.cost > 0 else "as much as"
    return f"{alone} would {said}{total}, {than} the request's weight"


def _effects(change: Change, refused: Penalty) -> list[str]:
    """Each penalty granting it changes, the request's own left out, largest first:
    ``leave Night shift Sat 12 Dec 1 RN short (+100)``, ``change Early shift Sat 12 Dec:
    3 → 2 RN more than needed (-10)``, ``remove Early shift Sat 12 Dec: 1 RN more than
    needed (-10)``; a penalty that only changes size is said once, with the difference."""
    before = {_key(p): p for p in change.ended if p.message != refused.message}
    parts: list[tuple[int, str]] = []
    for after in change.brought:
        old = before.pop(_key(after), None)
        delta = after.cost - (old.cost if old else 0)
        parts.append((delta, f"{_brings(after, old)} ({delta:+d})"))
    for old in before.values():
        parts.append((-old.cost, f"remove {_bare(old)} ({-old.cost:+d})"))
    return [text for _, text in sorted(parts, key=lambda part: -part[0])]


def _brings(after: Penalty, old: Penalty | None) -> str:
    """``leave Night shift Sat 12 Dec 1 RN short``, ``bring <the checker's words>``; with
    the amount before when it only changes size (``2 → 3 RN short``)."""
    said = _bare(after)
    if old is not None and old.amount != after.amount:
        said = said.replace(f": {after.amount} ", f": {old.amount} → {after.amount} ", 1)
    if after.rule == "under_cover":
        return "leave " + said.replace(": ", " ", 1)
    return f"{'bring' if old is None else 'change'} {said}"


def _bare(penalty: Penalty) -> str:
    """The checker's message without its cost."""
    return penalty.message.removesuffix(f" ({penalty.cost})")


def _key(penalty: Penalty) -> tuple[str, str | None, int | None, str | None, str | None]:
    return (penalty.rule, penalty.staff, penalty.day, penalty.shift, penalty.skill)
