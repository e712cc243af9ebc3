"""A hard wall-clock stop for a solver process that runs past its time limit.

CBC's own limit does not cover reading the model, its root LP or preprocessing, and
HiGHS's does not cover reading the model; the watchdog asks the process to stop
(SIGINT: CBC then stops and writes its best solution, as on its own limit) a little
after the limit, and kills it if it has not ended after a grace period — a longer one
when the process says it is already finishing (CBC stopped its search and is writing
its answer), so that a solution found in time is not lost. A process that has found
no solution has nothing to lose and is killed at once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

STOP_SLACK = 0.1
"""Seconds past the time limit before the process is asked to stop."""
STOP_GRACE = 0.5
"""Seconds between asking the process to stop and killing it."""
FINISH_GRACE = 5.0
"""Further seconds before the kill while the process reports that it is finishing."""
INTERRUPT_GRACE = 15.0
"""Seconds between asking the process to stop and killing it after ``stop_now``: there
is no time limit to keep then, and CBC answers SIGINT only between the steps of its
root heuristics (a second Ctrl-C ends it at once)."""
POLL = 0.05
"""Seconds between two looks for ``stop_now`` while the process runs."""


class Watchdog:
    """``with Watchdog(process, limit) as dog:`` stops ``process`` once ``limit`` seconds
    (plus ``STOP_SLACK``) have passed, or at once after ``dog.stop_now()`` (Ctrl-C or
    SIGTERM); ``dog.stopped`` tells whether it had to. ``has_solution()`` says whether
    the process has found a solution (else it is killed at once), ``finishing()``
    whether it is already on its way out."""

    def __init__(
        self,
        process: subprocess.Popen[Any],
        limit: float | None,
        has_solution: Callable[[], bool] = lambda: True,
        finishing: Callable[[], bool] = lambda: False,
    ) -> None:
        self._process = process
        self._limit = limit
        self._has_solution = has_solution
        self._finishing = finishing
        self._finished = threading.Event()
        self._early = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self.stopped = False
        self.interrupted = False  # it was stop_now, not the limit

    def __enter__(self) -> Watchdog:
        self._thread.start()
        return self

    def stop_now(self) -> None:
        """Stop the process now, as at its limit (it keeps its best solution)."""
        self._early.set()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._finished.set()
        if self._thread.is_alive():
            self._thread.join()
        if self._process.poll() is None:  # an error in the with-block: never leave it running
            self._process.kill()
            self._process.wait()

    def _watch(self) -> None:
        if self._wait_for_stop():
            return
        self.stopped = True
        self.interrupted = self._early.is_set()
        if not self._has_solution():
            self._process.kill()
            return
        self._interrupt()
        if self._finished.wait(INTERRUPT_GRACE if self.interrupted else STOP_GRACE):
            return
        if self._finishing() and self._finished.wait(FINISH_GRACE):
            return
        self._process.kill()

    def _wait_for_stop(self) -> bool:
        """Wait until the limit has passed or ``stop_now``; True if the process ended
        first."""
        end = None if self._limit is None else time.monotonic() + max(0.0, self._limit)
        while not self._early.is_set():
            left = None if end is None else end + STOP_SLACK - time.monotonic()
            if left is not None and left <= 0:
                break
            if self._finished.wait(POLL if left is None else min(POLL, left)):
                return True
        return self._finished.is_set()

    def _interrupt(self) -> None:
        if os.name == "posix":
            self._process.send_signal(signal.SIGINT)
        else:  # no SIGINT for a child on Windows
            self._process.kill()
