"""Following CBC's log while it runs: each improving solution, its bound, and when its
search is over; and the closing bound of a finished log."""

from __future__ import annotations

import contextlib
import re
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from optimizer.model.result import ProgressPoint
from optimizer.solvers.milp.integer_objective import ceil_bound

_CBC_SOLUTION = re.compile(r"Integer solution of (\S+) found.*?\(([\d.]+) seconds\)")
_CBC_BOUND = re.compile(r"best possible (\S+)")
_CBC_FINAL_BOUND = re.compile(r"^Lower bound:\s+(\S+)", re.MULTILINE)
_CBC_FINISHING = re.compile(r"Cbc00(01|05|11|20)I|^Result - ")
"""Log lines CBC writes once its search is over (search completed, partial search,
exiting on the gap or on the time limit) and it is writing its answer."""


class CbcLogFollower(threading.Thread):
    """Reads CBC's log file while it runs and reports each improving solution.

    An exception raised by ``report`` ends the following and kills ``process``; it is
    kept in ``error`` for the caller's thread to raise.
    """

    def __init__(
        self,
        path: Path,
        offset: float,
        report: Callable[[ProgressPoint], None],
        process: subprocess.Popen[Any] | None = None,
    ):
        super().__init__(daemon=True)
        self._path = path
        self._offset = offset
        self._report = report
        self._process = process
        self.error: BaseException | None = None
        self._stop_event = threading.Event()
        self._seen = 0
        self._best: int | None = None
        self._bound: int | None = None
        self._finishing = False

    @property
    def has_solution(self) -> bool:
        """True once CBC has logged an integer solution."""
        return self._best is not None

    @property
    def finishing(self) -> bool:
        """True once CBC has logged the end of its search."""
        return self._finishing

    @property
    def bound(self) -> int | None:
        """The last 'best possible' value CBC logged (offset applied, rounded up)."""
        return self._bound

    def run(self) -> None:
        while not self._stop_event.wait(0.2):
            self.poll()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        self.poll()

    def poll(self) -> None:
        with contextlib.suppress(OSError):
            text = self._path.read_text(errors="replace")
            lines = text.splitlines()
            # the last line may still be being written
            complete = lines[:-1] if not text.endswith("\n") else lines
            for line in complete[self._seen :]:
                if self.error is not None:
                    return
                self._read_line(line)
            self._seen = len(complete)

    def _fail(self, error: BaseException) -> None:
        """Keep the callback's exception, stop following and end CBC."""
        self.error = error
        self._stop_event.set()
        if self._process is not None and self._process.poll() is None:
            self._process.kill()

    def _read_line(self, line: str) -> None:
        if _CBC_FINISHING.search(line):
            self._finishing = True
        bound_match = _CBC_BOUND.search(line)
        if bound_match:
            with contextlib.suppress(ValueError):
                self._bound = ceil_bound(float(bound_match.group(1)) + self._offset)
        match = _CBC_SOLUTION.search(line)
        if not match:
            return
        try:
            objective = round(float(match.group(1)) + self._offset)
            seconds = float(match.group(2))
        except ValueError:
            return
        if self._best is not None and objective >= self._best:
            return
        self._best = objective
        bound = self._bound if self._bound is not None and self._bound <= objective else None
        try:
            self._report(ProgressPoint(seconds=seconds, objective=objective, bound=bound))
        except BaseException as error:  # raised again in the caller's thread
            self._fail(error)


def final_cbc_bound(log_text: str, offset: float) -> int | None:
    """CBC's closing 'Lower bound' line (printed when it stopped early), if any."""
    match = _CBC_FINAL_BOUND.search(log_text)
    if match is None:
        return None
    try:
        return ceil_bound(float(match.group(1)) + offset)
    except ValueError:
        return None
