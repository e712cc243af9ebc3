"""Redundant network-flow encoding of each person's work/off sequence.

The hard sequence rules (max / min consecutive work, min consecutive days off,
with the border exemptions) are already in ``constraints``; their clause form has
a weak linear relaxation, so the LP sees far more capacity than any real roster
has. Here the same rules become an automaton unrolled over the days: one 0/1
variable per (day, state) and per (day, transition), linked by flow conservation.
Its LP relaxation is the convex hull of the valid work/off sequences (network
matrices are totally unimodular), which lifts the bound a lot on Curtois–Qu.

States: ``("I", k)`` a run of k worked days that started on day 0 (exempt from the
minimum), ``("W", k)`` a run of k worked days started later, ``("O", k)`` k days
off (k capped at the minimum; a run of days off starting on day 0 starts capped).
Every state is accepting on the last day (runs touching the end are exempt).
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from optimizer.model.roster import Contract
from optimizer.solvers.cpsat.roster.variables import RosterVars

State = tuple[str, int]


def _transitions(
    contract: Contract, num_days: int
) -> tuple[list[State], dict[State, list[tuple[State, bool]]]]:
    """Automaton states and, per state, its (next state, works next day) moves."""
    max_work = min(contract.max_consecutive_work or num_days, num_days)
    min_work = contract.min_consecutive_work
    min_off = contract.min_consecutive_off
    # Without a maximum, work runs longer than the minimum are all alike.
    cap = max_work if contract.max_consecutive_work is not None else max(1, min_work)
    states: list[State] = [("I", k) for k in range(1, cap + 1)]
    states += [("W", k) for k in range(1, cap + 1)]
    states += [("O", k) for k in range(1, min_off + 1)]
    moves: dict[State, list[tuple[State, bool]]] = {}
    for kind, k in states:
        out: list[tuple[State, bool]] = []
        if kind in ("I", "W"):
            if k < cap:
                out.append(((kind, k + 1), True))
            elif contract.max_consecutive_work is None:
                out.append(((kind, k), True))
            if kind == "I" or k >= min_work:
                out.append((("O", 1 if min_off > 1 else min_off), False))
        else:
            out.append((("O", min(k + 1, min_off)), False))
            if k >= min_off:
                out.append((("W", 1), True))
        moves[(kind, k)] = out
    return states, moves


def add_sequence_flow(rv: RosterVars) -> None:
    """Add the unrolled automaton of every staff member, linked to ``work``."""
    model = rv.model
    num_days = rv.index.num_days
    for e, person in enumerate(rv.index.problem.staff):
        states, moves = _transitions(person.contract, num_days)
        work = rv.work[e]
        min_off = person.contract.min_consecutive_off
        # Day 0: a worked day starts an exempt run; a day off starts a capped off run.
        layer: dict[State, Any] = {}  # a 0/1 variable, a literal or the constant 0
        for state in states:
            layer[state] = 0
        layer[("I", 1)] = work[0]
        layer[("O", min_off)] = work[0].negated()
        for d in range(1, num_days):
            incoming: dict[State, list[cp_model.IntVar]] = {state: [] for state in states}
            worked: list[cp_model.IntVar] = []
            for state, prev in layer.items():
                if isinstance(prev, int):
                    continue
                arcs = []
                for nxt, works in moves[state]:
                    arc = model.new_bool_var(f"arc_{e}_{d}")
                    arcs.append(arc)
                    incoming[nxt].append(arc)
                    if works:
                        worked.append(arc)
                model.add(cp_model.LinearExpr.sum(arcs) == prev)
            model.add(cp_model.LinearExpr.sum(worked) == work[d])
            new_layer: dict[State, Any] = {}  # a 0/1 variable, a literal or the constant 0
            for state, arcs in incoming.items():
                if not arcs:
                    new_layer[state] = 0
                elif len(arcs) == 1:
                    new_layer[state] = arcs[0]
                else:
                    var = model.new_bool_var(f"st_{e}_{d}")
                    model.add(var == cp_model.LinearExpr.sum(arcs))
                    new_layer[state] = var
            layer = new_layer
