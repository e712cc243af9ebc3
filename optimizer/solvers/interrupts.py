"""Ctrl-C and SIGTERM during a solve: stop the searches, keep the best found.

Within a ``stoppable()`` block (``solve``, ``solve_lexicographic``, ``run_bench``,
``diagnose_roster`` and the CLI commands enter one) the first Ctrl-C in the main
thread does not raise ``KeyboardInterrupt``: it marks the process as interrupted and
stops every running search (each registers itself with ``searching``; a search that
starts later stops at once). The searches return their best solution, loops that
chain solves end at their next ``interrupted()`` check, and ``solve`` says so in
``Result.message`` (``interrupted: ...``). A second signal raises
``KeyboardInterrupt`` as usual. SIGTERM is handled the same way once the program asks
for it (``take_sigterm``: the CLI does). Outside the block, and in other threads,
Python's own handling applies; the state is cleared when the outermost block ends.

CP-SAT must not install its own SIGINT handler (``catch_sigint_signal``): OR-Tools
9.15 leaves SIGINT at SIG_DFL after a solve, so the next Ctrl-C would kill Python.
"""

from __future__ import annotations

import itertools
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

Stop = Callable[[], None]
"""Asks one running search to stop (called again until the search has ended)."""

RESTOP_SECONDS = 0.05
"""How often searches that are still running after an interrupt are asked again (a
search that was just starting may have missed the first request)."""

_SIGNAL_NAMES: dict[int, str] = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}


class _State:
    """The process-wide interrupt state (one per process; guarded by ``lock``, which
    the signal handler may take again in the main thread while it holds it)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reason: str | None = None
        self.sticky = False
        self.searches: dict[int, Stop] = {}
        self.keys = itertools.count()
        self.depth = 0
        self.sigterm = False
        self.restopper: threading.Thread | None = None


_state = _State()


def interrupted() -> bool:
    """True once Ctrl-C or SIGTERM (or ``stop_everything``) stopped the searches."""
    return _state.reason is not None


def reason() -> str | None:
    """What stopped the searches (``"Ctrl-C"``, ``"SIGTERM"``, ...), or None."""
    return _state.reason


def note(has_solution: bool) -> str:
    """The sentence an interrupted solve's ``Result.message`` starts with."""
    what = reason() or "an interrupt"
    if has_solution:
        return f"interrupted: {what} stopped the search; this is the best solution found by then"
    return f"interrupted: {what} stopped the search before any solution was found"


def marked(message: str, has_solution: bool) -> str:
    """``message`` with the interrupt ``note`` in front (once)."""
    if message.startswith("interrupted:"):
        return message
    return f"{note(has_solution)}; {message}" if message else note(has_solution)


def request_stop(why: str) -> None:
    """Mark the process interrupted by ``why`` and stop every running search."""
    restopper = None
    with _state.lock:
        if _state.reason is None:
            _state.reason = why
        stops = list(_state.searches.values())
        if _state.restopper is None or not _state.restopper.is_alive():
            restopper = threading.Thread(
                target=_keep_stopping, name="carealloc interrupt", daemon=True
            )
            _state.restopper = restopper
    for stop in stops:
        stop()
    if restopper is not None:
        restopper.start()


def stop_everything(why: str) -> None:
    """Stop for good: as ``request_stop``, and the state survives later ``stoppable``
    blocks (a worker of a cancelled batch)."""
    _state.sticky = True
    request_stop(why)


def _keep_stopping() -> None:
    """Ask the searches still running again, until none is left (or the state clears)."""
    while True:
        time.sleep(RESTOP_SECONDS)
        with _state.lock:
            if _state.reason is None or not _state.searches:
                return
            stops = list(_state.searches.values())
        for stop in stops:
            stop()


@contextmanager
def searching(stop: Stop) -> Iterator[bool]:
    """Register a running search that ``stop`` ends; yields True when the process is
    already interrupted (the search should then not start, or stop at once)."""
    with _state.lock:
        key = next(_state.keys)
        _state.searches[key] = stop
        late = _state.reason is not None
    try:
        yield late
    finally:
        with _state.lock:
            del _state.searches[key]


def fresh_process() -> None:
    """Start from a clean state in a new (forked) process."""
    global _state
    _state = _State()


def take_sigterm() -> None:
    """Handle SIGTERM like Ctrl-C from now on: within ``stoppable`` it stops the
    searches, elsewhere it raises ``KeyboardInterrupt`` (main thread only)."""
    _state.sigterm = True
    signal.signal(signal.SIGTERM, _raise_interrupt)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _stop_searches(signum: int, frame: FrameType | None) -> None:
    """The handler within ``stoppable``: the first signal stops, a second one raises."""
    if interrupted():
        raise KeyboardInterrupt
    request_stop(_SIGNAL_NAMES.get(signum, f"signal {signum}"))


@contextmanager
def stoppable() -> Iterator[None]:
    """Within the block, in the main thread, Ctrl-C (and SIGTERM after ``take_sigterm``)
    stop the searches instead of raising; the outermost block restores the handlers and
    clears the interrupt when it ends (read ``interrupted()`` within it). In other
    threads it does nothing (signals reach the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outermost = _state.depth == 0
    previous: dict[int, object] = {}
    if outermost:
        if not _state.sticky:
            _state.reason = None
        previous = _install()
    _state.depth += 1
    try:
        yield
    finally:
        _state.depth -= 1
        if outermost:
            for signum, handler in previous.items():
                signal.signal(signum, handler)  # type: ignore[arg-type]
            if not _state.sticky:
                _state.reason = None


def _install() -> dict[int, object]:
    """Put ``_stop_searches`` on SIGINT (unless ignored) and, if taken, SIGTERM; the
    handlers it replaced."""
    previous: dict[int, object] = {}
    wanted = [signal.SIGINT, *([signal.SIGTERM] if _state.sigterm else [])]
    for signum in wanted:
        handler = signal.getsignal(signum)
        if handler is signal.SIG_IGN or handler is None:
            continue  # ignored on purpose (a background job), or not set from Python
        previous[signum] = handler
        signal.signal(signum, _stop_searches)
    return previous
