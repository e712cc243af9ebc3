"""What a finished CBC run means: our status, and a note when it ended abnormally.

Read from the first line of CBC's solution file, its log and how the process ended,
not from PuLP's status, because CBC 2.10 misleads in three ways:

* a time limit that ends during preprocessing is reported as "Integer infeasible"
  ("Pre-processing says infeasible or unbounded"), so "infeasible" is a proof only
  when CBC finished before its time limit could have stopped it;
* a time limit that ends during the root LP, before branch and bound, is reported as
  "Stopped on iterations - objective value ..." with the LP's fractional values,
  which PuLP reads as an integer solution; a stop is a solution only when branch and
  bound ran (its "Result - " summary is in the log) and found one;
* it sometimes crashes (segmentation fault) on short limits: a solver failure, not bad
  input; so is an exit without an answer before its time limit (a broken binary, or
  ``cbc_options`` such as ``stop``), which is no time-out.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass

from optimizer.model.result import SolveStatus

NO_INTEGER_SOLUTION = "no integer solution"
BRANCH_AND_BOUND_SUMMARY = "Result - "


@dataclass(frozen=True)
class CbcOutcome:
    """How a CBC process ended."""

    returncode: int
    seconds: float
    """Wall-clock seconds around the process (never less than CBC's own clocks)."""
    limit: float | None
    """The time limit CBC was given (``-sec``, elapsed time), if any."""
    stopped: bool
    """Our watchdog had to stop it (it ran past its own limit)."""
    header: str
    """The first line of CBC's solution file; empty when it wrote none."""
    log: str
    interrupted: bool = False
    """The watchdog stopped it because of Ctrl-C or SIGTERM, not its time limit."""


def verdict(outcome: CbcOutcome) -> tuple[SolveStatus, str]:
    """Our status, and a note saying why there is no answer (empty for a normal run)."""
    if outcome.returncode != 0:
        return SolveStatus.UNKNOWN, _failure(outcome)
    header = outcome.header
    if not header:
        if proof_possible(outcome):
            return SolveStatus.UNKNOWN, _no_answer(outcome)
        return SolveStatus.UNKNOWN, "CBC wrote no solution" + _last_line(outcome.log)
    if header.startswith("Optimal"):
        return SolveStatus.OPTIMAL, ""
    if header.startswith(("Infeasible", "Integer infeasible")):
        if proof_possible(outcome):
            return SolveStatus.INFEASIBLE, ""
        return SolveStatus.UNKNOWN, (
            f"CBC reported '{header.split(' - ')[0]}' only after reaching its time limit "
            "(while preprocessing), which proves nothing"
        )
    if header.startswith("Stopped") and _has_solution(outcome):
        return SolveStatus.FEASIBLE, ""
    if outcome.stopped:
        return SolveStatus.UNKNOWN, _stopped(outcome, "stopped")
    return SolveStatus.UNKNOWN, ""


def _stopped(outcome: CbcOutcome, how: str) -> str:
    """Why the watchdog stopped CBC (``how``: stopped or ended)."""
    if outcome.interrupted:
        return f"CBC was {how} by the interrupt (Ctrl-C or SIGTERM) without a roster"
    return f"CBC ran past its time limit and was {how}"


def solver_failed(outcome: CbcOutcome) -> bool:
    """True when CBC crashed, failed, or ended without an answer before its time limit
    (a broken binary, or options that stop it), rather than running out of time."""
    if outcome.stopped:
        return False
    return outcome.returncode != 0 or (not outcome.header and proof_possible(outcome))


def proof_possible(outcome: CbcOutcome) -> bool:
    """True when CBC ended before its time limit, so its verdict is not a time-out's."""
    if outcome.limit is None:
        return not outcome.stopped
    return not outcome.stopped and outcome.seconds < outcome.limit


def _has_solution(outcome: CbcOutcome) -> bool:
    return NO_INTEGER_SOLUTION not in outcome.header and BRANCH_AND_BOUND_SUMMARY in outcome.log


def _failure(outcome: CbcOutcome) -> str:
    code = outcome.returncode
    if outcome.stopped:
        return _stopped(outcome, "ended")
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"CBC crashed ({name})" + _last_line(outcome.log)
    return f"CBC failed (exit code {code})" + _last_line(outcome.log)


def _no_answer(outcome: CbcOutcome) -> str:
    spent = f"{outcome.seconds:.1f} s"
    if outcome.limit is not None:
        spent += f" of its {outcome.limit:.1f} s time limit"
    return f"CBC ended without an answer (exit code 0) after {spent}" + _last_line(outcome.log)


def _last_line(log: str) -> str:
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    return f"; its last words: {lines[-1][:200]!r}" if lines else ""
