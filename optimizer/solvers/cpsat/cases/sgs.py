"""Serial schedule generation for pure RCPSP (no rooms, people or optional tasks).

A quick upper bound and warm start for CP-SAT: biased random sampling of
precedence-feasible task orders, each improved by forward–backward
justification (Tormos & Lova / Valls et al.), keeping the shortest schedule.
Pure Python, no solver objects.
"""

from __future__ import annotations

import heapq
import random
import time
from dataclasses import dataclass

from optimizer.model.cases import CaseProblem


@dataclass
class _Instance:
    """Integer tables of an RCPSP instance; ``mirror`` gives the time-reversed one."""

    dur: list[int]
    use: list[list[tuple[int, int]]]  # task -> [(resource, units)]
    cap: list[int]
    preds: list[list[tuple[int, int]]]  # task -> [(predecessor, min_lag)]
    succs: list[list[tuple[int, int]]]
    earliest: list[int]
    latest_end: list[int]
    rank: list[int]  # task -> position in a topological order of the precedences

    def mirror(self, horizon: int) -> _Instance:
        return _Instance(
            self.dur,
            self.use,
            self.cap,
            self.succs,
            self.preds,
            [max(0, horizon - end) for end in self.latest_end],
            [horizon - start for start in self.earliest],
            [-rank for rank in self.rank],
        )


def applicable(problem: CaseProblem) -> bool:
    """Whether the heuristic covers the problem."""
    if problem.rooms or problem.staff or not all(map(problem.must_schedule, problem.tasks)):
        return False
    return not any(p.max_lag is not None or p.min_lag < 0 for p in problem.precedences)


def _instance(problem: CaseProblem, earliest: list[int], latest_end: list[int]) -> _Instance:
    n = len(problem.tasks)
    preds: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    succs: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for prec in problem.precedences:
        a, b = problem.task_index[prec.before], problem.task_index[prec.after]
        preds[b].append((a, prec.min_lag))
        succs[a].append((b, prec.min_lag))
    return _Instance(
        dur=[t.duration for t in problem.tasks],
        use=[
            [(problem.resource_index[r], u) for r, u in t.resources.items()] for t in problem.tasks
        ],
        cap=[r.capacity for r in problem.resources],
        preds=preds,
        succs=succs,
        earliest=list(earliest),
        latest_end=list(latest_end),
        rank=_topological_rank(succs, [len(p) for p in preds]),
    )


def _topological_rank(succs: list[list[tuple[int, int]]], missing: list[int]) -> list[int]:
    """Each task's position in the topological order that takes the lowest ready index
    first (the identity when tasks are listed in precedence order, as in PSPLIB);
    tasks on a cycle come last."""
    n = len(succs)
    rank = [n + i for i in range(n)]
    ready = [i for i in range(n) if missing[i] == 0]
    position = 0
    while ready:
        i = heapq.heappop(ready)
        rank[i] = position
        position += 1
        for b, _ in succs[i]:
            missing[b] -= 1
            if missing[b] == 0:
                heapq.heappush(ready, b)
    return rank


def _serial(inst: _Instance, order: list[int], horizon: int) -> list[int] | None:
    """Start times from scheduling ``order`` (precedence-feasible) as early as possible."""
    usage = [[0] * (horizon + 1) for _ in inst.cap]
    start = [0] * len(inst.dur)
    for i in order:
        d = inst.dur[i]
        t = inst.earliest[i]
        for a, lag in inst.preds[i]:
            t = max(t, start[a] + inst.dur[a] + lag)
        use = inst.use[i]
        while True:
            if t + d > min(inst.latest_end[i], horizon):
                return None
            clash = -1
            for u in range(t + d - 1, t - 1, -1):
                if any(usage[r][u] + units > inst.cap[r] for r, units in use):
                    clash = u
                    break
            if clash < 0:
                break
            t = clash + 1
        start[i] = t
        for r, units in use:
            row = usage[r]
            for u in range(t, t + d):
                row[u] += units
    return start


def _makespan(inst: _Instance, start: list[int]) -> int:
    return max((s + d for s, d in zip(start, inst.dur, strict=True)), default=0)


def _justify(inst: _Instance, start: list[int], horizon: int) -> list[int]:
    """Forward–backward improvement until the makespan stops shrinking.

    Ties break by topological rank: a zero-duration task can tie with its successor
    (and, backwards, with its predecessor), which must still be placed after it.
    """
    best = start
    while True:
        span = _makespan(inst, best)
        ends = [s + d for s, d in zip(best, inst.dur, strict=True)]
        mirror = inst.mirror(span)
        # Equal (end, start) holds only among tasks of one duration: milestones at one
        # time go successors first, other tasks by index as before.
        back_order = sorted(
            range(len(best)),
            key=lambda i: (-ends[i], -best[i], -inst.rank[i] if inst.dur[i] == 0 else i),
        )
        back = _serial(mirror, back_order, span)
        if back is None:
            return best
        right = [span - s - d for s, d in zip(back, inst.dur, strict=True)]
        fwd_order = sorted(range(len(best)), key=lambda i: (right[i], inst.rank[i]))
        fwd = _serial(inst, fwd_order, horizon)
        if fwd is None or _makespan(inst, fwd) >= span:
            return best
        best = fwd


def _random_order(
    inst: _Instance, priority: list[int], rng: random.Random, bias: float
) -> list[int]:
    """A precedence-feasible order; lower ``priority`` first, randomised by ``bias``."""
    n = len(inst.dur)
    missing = [len(p) for p in inst.preds]
    ready = [i for i in range(n) if missing[i] == 0]
    order: list[int] = []
    while ready:
        if bias and rng.random() < bias:
            pick = rng.randrange(len(ready))
        else:
            pick = min(range(len(ready)), key=lambda k: (priority[ready[k]], ready[k]))
        i = ready.pop(pick)
        order.append(i)
        for b, _ in inst.succs[i]:
            missing[b] -= 1
            if missing[b] == 0:
                ready.append(b)
    return order


def _lower_bound(inst: _Instance) -> int:
    """Critical path and resource energy: no schedule ends earlier."""
    path = max((e + d for e, d in zip(inst.earliest, inst.dur, strict=True)), default=0)
    energy = [0] * len(inst.cap)
    for i, use in enumerate(inst.use):
        for r, units in use:
            energy[r] += units * inst.dur[i]
    by_energy = [-(-e // c) for e, c in zip(energy, inst.cap, strict=True) if c]
    return max([path, *by_energy])


def rcpsp_starts(
    problem: CaseProblem,
    earliest: list[int],
    latest_end: list[int],
    seconds: float = 0.5,
    seed: int = 0,
    max_tries: int | None = None,
) -> list[int] | None:
    """Start times of the best schedule found in about ``seconds`` (and at most
    ``max_tries`` sampled orders: set it, with a large ``seconds``, for runs that
    must not depend on the machine's speed), or None."""
    if not applicable(problem):
        return None
    inst = _instance(problem, earliest, latest_end)
    horizon = max([problem.horizon, *latest_end])
    rng = random.Random(seed)
    deadline = time.perf_counter() + seconds
    best: list[int] | None = None
    tries = 0
    lower = _lower_bound(inst)
    while tries == 0 or (
        time.perf_counter() < deadline
        and (max_tries is None or tries < max_tries)
        and (best is None or _makespan(inst, best) > lower)
    ):
        bias = 0.0 if tries == 0 else 0.3
        order = _random_order(inst, inst.latest_end, rng, bias)
        tries += 1
        start = _serial(inst, order, horizon)
        if start is None:
            if tries > 50 and best is None:
                return None
            continue
        start = _justify(inst, start, horizon)
        if best is None or _makespan(inst, start) < _makespan(inst, best):
            best = start
    return best
