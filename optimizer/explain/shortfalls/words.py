"""The planner's words for a shortfall: each person's reason and the one sentence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from optimizer.check.report import Penalty
from optimizer.explain.shortfalls.records import Candidate, Shortfall

MOST = 3
"""People named per group before "and N more"."""

SOLVE_LONGER = "the roster is not the best possible — solve longer"


def pinned_reason(wanted: str) -> str:
    """``pinned to a day off`` / ``pinned to Early``."""
    return f"pinned to {wanted}"


def free_reason(change: int, costs: Sequence[Penalty], name: str) -> str:
    """What adding a free person would do to the penalty, with what it would cost
    (``costs``: the penalties adding them brings, the person's name left out)."""
    if change < 0:
        return f"adding them would lower the penalty by {-change}: {SOLVE_LONGER}"
    said = "; ".join(p.message.removeprefix(f"{name}: ") for p in costs)
    verb = f"raise the penalty by {change}" if change else "not lower the penalty"
    return f"adding them would {verb}" + (f": {said}" if said else "")


def sentence(shortfall: Shortfall) -> str:
    """``Of the 14 RN staff not on it: 2 are away (Ana Silva: annual leave; Jo Park: sick),
    9 work another shift that day (4 Early, 5 Late), …``, and when adding a free person
    would lower the penalty, a sentence saying so."""
    staff = "staff" if shortfall.skill is None else f"{shortfall.skill} staff"
    if not shortfall.considered:
        return f"No other {staff}: every one is on it."
    parts = [
        _group(shortfall.away, "is away", "are away"),
        _group(
            shortfall.pinned,
            "is pinned elsewhere that day",
            "are pinned elsewhere that day",
            strip="pinned to ",
        ),
        _other_shift(shortfall.other_shift),
        _blocked(shortfall.blocked),
        _free(shortfall.free),
    ]
    said = ", ".join(part for part in parts if part)
    text = f"Of the {shortfall.considered} {staff} not on it: {said}."
    lower = [
        c for c in shortfall.free if (c.cost_change or 0) < 0
    ]  # ``free`` is sorted: lowest first
    if lower:
        also = f" (so would {len(lower) - 1} more)" if len(lower) > 1 else ""
        gain = -(lower[0].cost_change or 0)
        text += f" Adding {lower[0].name} would lower the penalty by {gain}{also}: {SOLVE_LONGER}."
    return text


def _group(people: Sequence[Candidate], one: str, many: str, strip: str = "") -> str:
    """``2 are away (Ana Silva: annual leave; Jo Park: sick)``, at most ``MOST`` named
    (``strip``: a start of the reasons that the group's words already say)."""
    if not people:
        return ""
    shown = [f"{c.name}: {c.reason.removeprefix(strip)}" for c in people]
    return f"{len(people)} {one if len(people) == 1 else many} ({_some(shown)})"


def _blocked(people: Sequence[Candidate]) -> str:
    """``3 cannot take it without breaking a rule (with the shift added: Sam Lee: Night
    on Sat 12 Dec may not follow Late on Fri 11 Dec; …)``: the checker's messages, which
    name the person (their "; " read as ", " inside the list)."""
    if not people:
        return ""
    shown = [
        c.reason.replace("; ", ", ")
        if c.reason.startswith(c.name)
        else f"{c.name}: {c.reason.replace('; ', ', ')}"
        for c in people
    ]
    rule = "cannot take it without breaking a rule"
    return f"{len(people)} {rule} (with the shift added: {_some(shown)})"


def _free(people: Sequence[Candidate]) -> str:
    """``2 could take it (Kim Lee: would raise the penalty by 50: request for a day off on
    Sat 12 Dec not granted (150); Bo Chan: would lower the penalty by 100)``."""
    if not people:
        return ""
    shown = [
        f"{c.name}: would lower the penalty by {-c.cost_change}"
        if c.cost_change is not None and c.cost_change < 0
        else f"{c.name}: {c.reason.removeprefix('adding them ')}"
        for c in people
    ]
    return f"{len(people)} could take it ({_some(shown)})"


def _some(said: Sequence[str]) -> str:
    """The first ``MOST`` of ``said``, then ``and N more``."""
    more = [f"and {len(said) - MOST} more"] if len(said) > MOST else []
    return "; ".join([*said[:MOST], *more])


def _other_shift(people: Sequence[Candidate]) -> str:
    """``9 work another shift that day (4 Early, 5 Late)``; names when three or fewer."""
    if not people:
        return ""
    verb = "works" if len(people) == 1 else "work"
    if len(people) <= MOST:
        detail = "; ".join(f"{c.name}: {c.reason.removeprefix('on ')}" for c in people)
    else:
        shifts = Counter(c.reason.removeprefix("on ") for c in people)
        detail = ", ".join(f"{n} {label}" for label, n in shifts.items())
    return f"{len(people)} {verb} another shift that day ({detail})"
