"""Why each request is not granted: the one change that would grant it (the person off
that day, or on the wanted shift), judged in order: away, pinned, a hard rule, its cost."""

from __future__ import annotations

from collections.abc import Collection

from optimizer.check.report import CheckReport, Penalty
from optimizer.check.roster import check_roster
from optimizer.explain.refusals.records import RefusalKind, RequestRefusal
from optimizer.explain.refusals.words import REQUEST_RULES, asked, costed, impossible, none_open
from optimizer.explain.roster import costliest, roster_of
from optimizer.explain.shortfalls.day_change import Change, FullRosterCheck
from optimizer.explain.shortfalls.one_person import PersonCheck
from optimizer.model.result import Result, RosterSolution
from optimizer.model.roster import RosterProblem

RequestKey = tuple[str, int, str | None, bool]
"""(staff, day, shift or None, want): a request as the checker's penalty names it."""

_Stop = tuple[RefusalKind, str | None, str]
"""What stops a change: its kind, the checker's rule (kind rule), the words."""


def why_not_granted(
    problem: RosterProblem,
    solution: Result | RosterSolution,
    requests: Collection[RequestKey] | None = None,
    most: int | None = None,
) -> list[RequestRefusal]:
    """One ``RequestRefusal`` per request the roster does not grant (the checker's
    request penalties), by day, person and shift, each with one reason and a sentence.

    ``solution``: a roster or a ``Result`` holding one; a ``Result`` without one
    (INFEASIBLE, UNKNOWN) raises ``InputError`` naming field ``solution``.
    ``requests``: only these (staff, day, shift, want), e.g. the heaviest few; None: all.
    ``most``: at most this many, the heaviest (each costs a check of the whole roster).
    """
    roster = roster_of(problem, solution)
    report = check_roster(problem, roster)
    refused = sorted(
        (
            p
            for p in report.penalties
            if p.rule in REQUEST_RULES and (requests is None or request_key(p) in requests)
        ),
        key=lambda p: (
            p.day or 0,
            problem.staff_index.get(p.staff or "", 0),
            problem.shift_index.get(p.shift or "", -1),
            p.rule,
        ),
    )
    refused = costliest(refused, most)
    if not refused:
        return []
    judge = _Judge(problem, roster, report)
    return [judge.explain(penalty) for penalty in refused]


def request_key(penalty: Penalty) -> RequestKey:
    """The (staff, day, shift, want) of a request penalty."""
    wanted_on = penalty.rule == "shift_on_request"  # else shift_off_request
    return (penalty.staff or "", penalty.day or 0, penalty.shift, wanted_on)


class _Judge:
    """The roster's lookups, each person's one-person check and the full roster's
    checker, built once however many requests share them."""

    def __init__(self, problem: RosterProblem, roster: RosterSolution, report: CheckReport):
        self.problem = problem
        self.shift_of = roster.by_staff_day()
        self.pins: dict[tuple[str, int], str | None] = {}
        for pin in problem.pins:
            self.pins.setdefault((pin.staff, pin.day), pin.shift)
        self.checks: dict[str, PersonCheck] = {}
        self.full = FullRosterCheck(problem, roster, report)

    def explain(self, penalty: Penalty) -> RequestRefusal:
        """The refusal of one request penalty: the change that grants it, and why not."""
        staff, day, shift, want = request_key(penalty)
        problem = self.problem
        if not want:
            options: list[str | None] = [None]  # off that day
        elif shift is not None:
            options = [shift]
        else:
            options = [s.id for s in problem.shifts]
        blocked: list[tuple[str, RefusalKind, str | None, str]] = []
        costed_options: list[tuple[str | None, Change]] = []
        for option in options:
            verdict = self._verdict(staff, day, option)
            if isinstance(verdict, Change):
                costed_options.append((option, verdict))
            else:
                label = "off" if option is None else problem.shift(option).label
                blocked.append((label, *verdict))
        found = RequestRefusal(
            staff=staff,
            name=problem.person(staff).label,
            day=day,
            shift=shift,
            want=want,
            weight=penalty.cost,
            kind="cost",
            request=asked(problem, day, shift, want),
        )
        if costed_options:
            option, change = min(costed_options, key=lambda oc: oc[1].cost)
            on = None if shift is not None or option is None else problem.shift(option).label
            return found.model_copy(
                update={
                    "kind": "improves" if change.cost < 0 else "cost",
                    "cost_change": change.cost,
                    "granting_shift": option,
                    "why": costed(change, penalty, on),
                }
            )
        kinds = {kind for _, kind, _, _ in blocked}
        kind: RefusalKind = kinds.pop() if len(kinds) == 1 else "rule"
        rule = next((r for _, k, r, _ in blocked if k == "rule"), None)
        if kind == "rule" and rule is None:  # away from some shifts, pinned from others
            kind = "away"
        said = (
            impossible(blocked[0][1], blocked[0][3])
            if len(blocked) == 1
            else none_open([(label, k, s) for label, k, _, s in blocked])
        )
        return found.model_copy(update={"kind": kind, "rule": rule, "why": said})

    def _verdict(self, staff: str, day: int, option: str | None) -> _Stop | Change:
        """What stops putting ``staff`` on ``option`` on ``day`` (None: a day off), or
        else what the change does to the full roster."""
        stop = self._stop(staff, day, option)
        if stop is not None:
            return stop
        change = self.full.change(staff, day, option)
        if change.broken:  # a ward's hard rule, e.g. minimum cover
            return "rule", change.broken[0].rule, change.broken[0].message
        return change

    def _stop(self, staff: str, day: int, option: str | None) -> _Stop | None:
        """What stops putting ``staff`` on ``option`` on ``day`` (None: a day off): an
        absence, a pin or a hard rule of theirs (kind, the checker's rule, the words)."""
        problem = self.problem
        if option is not None:
            away = next(
                (u for u in problem.unavailability if u.staff == staff and u.covers(day, option)),
                None,
            )
            if away is not None:
                return "away", None, away.reason
        if (staff, day) in self.pins and self.pins[(staff, day)] != option:
            pinned = self.pins[(staff, day)]
            return "pinned", None, "a day off" if pinned is None else problem.shift(pinned).label
        if staff not in self.checks:
            row = {d: s for (who, d), s in self.shift_of.items() if who == staff}
            self.checks[staff] = PersonCheck(problem, staff, row)
        broken = self.checks[staff].first_new_violation(day, option)
        if broken is None:
            return None
        return "rule", broken.rule, broken.message.removeprefix(f"{problem.person(staff).label}: ")
