"""Testing single relaxations: the mildest step of each chain that resolves the named
conflict, then the whole roster, within a time budget shared by the conflict's groups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from optimizer.explain.diagnosis.changes import Candidate, Chain, chains, without
from optimizer.explain.diagnosis.members import conflict_groups, describe, group_days
from optimizer.explain.diagnosis.result import NOT_CONFIRMED, OTHERS_REMAIN
from optimizer.explain.diagnosis.words import and_
from optimizer.model.roster import RosterProblem

if TYPE_CHECKING:
    from optimizer.solvers.cpsat.diagnose import RuleInstance
    from optimizer.solvers.cpsat.runner import Clock


def _has_roster(problem: RosterProblem, time_limit: float) -> bool | None:
    """Whether the hard rules of ``problem`` can all hold, by the full CP-SAT roster model
    (much faster at finding a roster than the assumption model), stopped at its first
    roster; the roster is re-checked. Soft rules are dropped: they cannot make it fail.

    One worker and a fixed seed: the answer does not depend on the machine's load, and
    ``time_limit`` counts solver work (``runner.Clock``); inside a reproducible diagnosis
    that work is charged to the diagnosis's clock (``Clock.spending``)."""
    from optimizer.check.roster import check_roster
    from optimizer.model.result import SolveStatus
    from optimizer.solve import solve

    hard = problem.model_copy(
        update={
            "cover": tuple(
                c.model_copy(update={"under_weight": 0, "over_weight": 0}) for c in problem.cover
            ),
            "requests": (),
            "baseline": None,
        }
    )
    result = solve(
        hard,
        backend="cpsat",
        time_limit=max(0.05, time_limit),
        workers=1,
        seed=0,
        roster_staffwise=False,
        stop_after_first_solution=True,
    )
    if result.status is SolveStatus.INFEASIBLE:
        return False
    if result.roster is not None and check_roster(hard, result.roster).feasible:
        return True
    return None


class Budget:
    """The diagnosis's time: a deadline on ``clock`` shared fairly by the conflict's groups."""

    def __init__(self, clock: Clock, deadline: float, groups: int) -> None:
        self.clock = clock
        self.deadline = deadline
        self.groups_left = max(1, groups)
        self.group_deadline = deadline

    def next_group(self) -> None:
        """Start the next group: its share is what is left over the groups still to test."""
        now = self.clock.now()
        self.group_deadline = now + max(0.0, self.deadline - now) / self.groups_left
        self.groups_left = max(1, self.groups_left - 1)

    def left(self) -> float:
        """Seconds left for the current group (none after an interrupt)."""
        from optimizer.solvers.interrupts import interrupted

        return 0.0 if interrupted() else self.group_deadline - self.clock.now()


@dataclass
class _Search:
    """Smallest passing step of a chain: ``found`` passes, every step up to ``failed``
    fails; ``timed_out`` when a check ran out of time first."""

    found: int | None = None
    failed: int = -1
    timed_out: bool = False


def _smallest(size: int, test: Callable[[int], bool | None], start: int = 0) -> _Search:
    """Smallest step ``i >= start`` with ``test(i)`` True, for a ``test`` that is False
    up to some step and True from there: steps ``start``, +1, +3, +7, … then bisection."""
    out = _Search(failed=start - 1)
    probe, jump = start, 1
    while out.found is None:
        verdict = test(probe)
        if verdict is None:
            out.timed_out = True
            return out
        if verdict:
            out.found = probe
        else:
            out.failed = probe
            if probe >= size - 1:
                return out
            probe, jump = min(size - 1, probe + jump), 2 * jump
    while out.found - out.failed > 1:
        middle = (out.failed + out.found) // 2
        verdict = test(middle)
        if verdict is None:
            out.timed_out = True  # `found` still passes; a milder step may too
            return out
        if verdict:
            out.found = middle
        else:
            out.failed = middle
    return out


@dataclass
class _Option:
    """What one chain offers: ``kind`` is ``whole`` (the roster works), ``unconfirmed``
    (the whole-roster check ran out of time), ``local`` (proven: other conflicts remain)
    or ``untested`` (no time to test it)."""

    kind: str
    text: str


class Relaxer:
    """Tests the chains of each conflict group against the named conflict, then the
    whole problem."""

    def __init__(
        self, problem: RosterProblem, core: Sequence[RuleInstance], budget: Budget
    ) -> None:
        self.problem = problem
        self.core = list(core)
        self.budget = budget

    def local(self, candidate: Candidate) -> bool | None:
        from optimizer.solvers.cpsat.diagnose import is_feasible

        edited, disabled, _text = candidate
        if self.budget.left() <= 0:
            return None
        return is_feasible(edited, disabled, only=self.core, time_limit=self.budget.left())

    def whole(self, candidate: Candidate) -> bool | None:
        from optimizer.solvers.cpsat.diagnose import is_feasible

        edited, disabled, _text = candidate
        if self.budget.left() <= 0:
            return None
        if any(member.rule == "succession" for member in disabled):
            # one waived succession has no RosterProblem form: the assumption model
            return is_feasible(edited, disabled, time_limit=self.budget.left())
        return _has_roster(without(edited, disabled), self.budget.left())

    def chain(self, chain: Chain) -> _Option | None:
        """The chain's mildest step that restores the whole roster, else what is known."""
        local = _smallest(chain.size, lambda i: self.local(chain.step(i)))
        if local.found is None:  # no step resolves the named conflict, or no time to see
            return _Option("untested", "") if local.timed_out else None
        whole = _smallest(chain.size, lambda i: self.whole(chain.step(i)), start=local.found)
        if whole.found is not None:
            text = chain.step(whole.found)[2]
            if whole.found > local.found:
                text += self.why_more(chain.step(whole.failed))
            return _Option("whole", text)
        if whole.timed_out:
            return _Option("unconfirmed", chain.step(whole.failed + 1)[2] + NOT_CONFIRMED)
        return _Option("local", chain.step(local.found)[2] + OTHERS_REMAIN)

    def why_more(self, milder: Candidate) -> str:
        """Why the step just milder than the one offered is not enough: rules outside the
        named conflict that still clash with it."""
        from optimizer.solvers.cpsat.diagnose import find_core

        edited = without(milder[0], milder[1])
        core = find_core(edited, self.budget.left()).core if self.budget.left() > 0 else []
        extra = [member for member in core if member not in set(self.core)]
        if not extra:
            return " (less resolves the rules named here, not the whole roster)"
        reasons = [
            describe(edited, g[0].rule, g[0].staff, group_days(g), g[0].shift, g[0].ref, core)
            for g in conflict_groups(edited, extra)[:2]
        ]
        return " (less is not enough because " + and_(reasons) + ")"

    def group(self, group: Sequence[RuleInstance]) -> _Option | None:
        """The best option of one conflict group (one per group)."""
        self.budget.next_group()
        best: _Option | None = None
        for chain in chains(self.problem, group, self.core):
            option = self.chain(chain)
            if option is None:
                continue
            if option.kind == "whole":
                return option  # chains come mildest first
            if best is None or KINDS.index(option.kind) < KINDS.index(best.kind):
                best = option
        return best


KINDS = ("whole", "unconfirmed", "local", "untested")
