"""A live one-line display of a running solve on stderr."""

from __future__ import annotations

import time

from rich.live import Live
from rich.text import Text

from optimizer.cli.console import err
from optimizer.model.result import ProgressPoint


class LiveProgress:
    """A one-line live display of incumbent, bound and elapsed time (stderr)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and err.is_terminal
        self.start = time.perf_counter()
        self.latest: ProgressPoint | None = None
        self._live = Live(get_renderable=self._render, console=err, refresh_per_second=4)

    def _render(self) -> Text:
        elapsed = time.perf_counter() - self.start
        if self.latest is None:
            return Text(f"searching… {elapsed:5.1f} s", style="dim")
        gap = ""
        if self.latest.bound is not None:
            rel = max(0, self.latest.objective - self.latest.bound) / max(1, self.latest.objective)
            gap = f"  gap {100 * rel:.1f} %"
        return Text(
            f"incumbent {self.latest.objective}  bound {self.latest.bound}{gap}  {elapsed:5.1f} s"
        )

    def __call__(self, point: ProgressPoint) -> None:
        self.latest = point

    def __enter__(self) -> LiveProgress:
        if self.enabled:
            self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._live.__exit__(None, None, None)
