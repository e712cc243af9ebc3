"""Ctrl-C while ``carealloc`` is still loading (its first ~0.4 s import the solver stack)
ends with one line, "interrupted", and exit code 130: never a Python traceback.

The console script is started for real and SIGINT sent once its imports are under way:
as soon as a compiled library of the virtual environment (pydantic's, the first the CLI
loads) is mapped into the process, then a little later. Watching the process's memory
map, not a clock, keeps the test independent of how loaded the machine is.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

DELAYS = (0.0, 0.05, 0.1)
"""Seconds between the first library loaded and the Ctrl-C."""

RUN_SECONDS = 8.0
"""The most one start of ``carealloc --help`` may take here."""


def console_script() -> str:
    """The ``carealloc`` command of this environment."""
    beside = Path(sys.executable).with_name("carealloc")
    found = str(beside) if beside.exists() else shutil.which("carealloc")
    if found is None:
        pytest.fail("the carealloc console script is not installed (make)")
    return found


def loading_libraries(pid: int) -> bool:
    """Whether the process has mapped a compiled library of the virtual environment."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:  # it ended already
        return False
    return any("site-packages" in line and ".so" in line for line in maps.splitlines())


def interrupted_while_loading(delay: float) -> subprocess.CompletedProcess[str] | None:
    """Run ``carealloc --help`` and send SIGINT ``delay`` s after its first library
    loaded; the finished run, or None when it ended before the signal could be sent."""
    process = subprocess.Popen(
        [console_script(), "--help"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + RUN_SECONDS
    try:
        while not loading_libraries(process.pid):
            if process.poll() is not None or time.monotonic() > deadline:
                return None
            time.sleep(0.002)
        time.sleep(delay)
        if process.poll() is not None:
            return None
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=max(0.5, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_ctrl_c_while_the_cli_loads_says_interrupted_and_exits_130() -> None:
    runs = {delay: interrupted_while_loading(delay) for delay in DELAYS}
    sent = {delay: run for delay, run in runs.items() if run is not None}
    assert 0.0 in sent, "carealloc --help ended before its libraries were seen loading"
    for delay, run in sent.items():
        assert "Traceback" not in run.stderr, (delay, run.stderr)
        assert run.returncode == 130, (delay, run.returncode, run.stderr)
        assert len(run.stderr.splitlines()) <= 1, (delay, run.stderr)
    assert sent[0.0].stderr == "interrupted\n"  # still importing: the entry module's line
    assert sent[0.0].stdout == ""
