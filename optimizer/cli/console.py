"""The CLI's two consoles: ``out`` (stdout) and ``err`` (stderr)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from rich.console import Console

# No markup: messages hold user text such as "carealloc[highs]" or "[ICU]".
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
PIPE_WIDTH = 160
"""Table width when stdout is a file or pipe (rich would wrap tables at 80 columns)."""


def widen_for_pipes(console: Console, environ: Mapping[str, str]) -> None:
    """Give ``console`` ``PIPE_WIDTH`` columns when it writes to a file or pipe (a file
    has no width) and ``COLUMNS`` does not set one."""
    if not console.is_terminal and "COLUMNS" not in environ:
        console.width = PIPE_WIDTH


widen_for_pipes(out, os.environ)
