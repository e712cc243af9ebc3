"""The ``carealloc`` console script: the CLI (``optimizer.cli``) with Ctrl-C or SIGTERM at
any moment ending in one line, "interrupted", and exit code 130, never a traceback.

It lives outside the ``optimizer`` package on purpose: importing any module of that
package first runs ``optimizer/__init__.py``, which loads the solver stack (about 0.4 s),
and an interrupt during that import printed a ``KeyboardInterrupt`` traceback. Only the
standard library is imported here before the interrupt handling is in place.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

INTERRUPTED = 130
"""Exit code after Ctrl-C or SIGTERM (128 + SIGINT), as ``optimizer.cli.errors.INTERRUPTED``."""

STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _stop_while_loading(signum: int, frame: FrameType | None) -> None:
    """End the process at once: while the CLI loads nothing has started or been written,
    and an exception raised inside an import could be swallowed by a library."""
    os.write(2, b"interrupted\n")
    os._exit(INTERRUPTED)


def main() -> None:
    """Load the CLI with an interrupt ending the process quietly, then run it: from there
    it handles interrupts itself (a solve stops and reports its best solution first)."""
    previous = {signum: signal.signal(signum, _stop_while_loading) for signum in STOPPING_SIGNALS}
    from optimizer.cli import main as run_cli

    for signum, handler in previous.items():
        signal.signal(signum, handler)
    try:
        run_cli()
    except KeyboardInterrupt:  # before the CLI's own handling started
        print("interrupted", file=sys.stderr)
        sys.exit(INTERRUPTED)


if __name__ == "__main__":
    main()
