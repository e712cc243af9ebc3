"""Background solves: the solver runs in a child process, a thread relays its progress.

Why a process: the ``solve()`` façade has no stop hook, so cancelling means
signalling the solver's process (``python -m dashboards.solver_child``). Cancel
sends SIGINT first — CP-SAT catches it (``catch_sigint_signal``) and returns the
best solution found so far — and terminates the process if it has not finished
within ``grace`` seconds. A reader thread turns the child's JSON lines into
progress points; the Streamlit script never blocks, pages poll ``snapshot()``.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from optimizer.model.result import ProgressPoint, Result


@dataclass
class Snapshot:
    """What a page shows about a job at one moment."""

    running: bool
    seconds: float
    points: list[ProgressPoint]
    result: Result | None
    error: str | None
    cancelled: bool
    diagnosis: Any = None


@dataclass
class SolveJob:
    """One background solve of a roster or case problem."""

    job: dict[str, Any]
    label: str = ""
    grace: float = 3.0
    points: list[ProgressPoint] = field(default_factory=list)
    result: Result | None = None
    error: str | None = None
    diagnosis: Any = None
    cancelled: bool = False
    started: float = 0.0
    finished: float | None = None
    problem: Any = field(default=None, repr=False, compare=False)
    """The problem object being solved: a result is only used while it is still current."""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._reader = threading.Thread(target=self._pump, daemon=True)

    @classmethod
    def start_for(
        cls,
        problem: Any,
        *,
        time_limit: float,
        workers: int | None = None,
        seed: int | None = 0,
        hint: Any = None,
        label: str = "",
        diagnosis_time_limit: float = 20.0,
        **params: Any,
    ) -> SolveJob:
        """Start solving ``problem`` in the background and return the running job."""
        kind = "roster" if getattr(problem, "kind", "roster") == "roster" else "cases"
        options: dict[str, Any] = {"time_limit": time_limit, "workers": workers, "seed": seed}
        options.update(params)
        if options.get("backend", "cpsat") == "cpsat":
            options.setdefault("catch_sigint_signal", True)
        job = cls(
            job={
                "kind": kind,
                "problem": problem.model_dump_json(),
                "hint": None if hint is None else hint.model_dump_json(),
                "options": options,
                "diagnosis_time_limit": diagnosis_time_limit,
            },
            label=label,
            problem=problem,
        )
        job.start()
        return job

    @property
    def kind(self) -> str:
        return str(self.job["kind"])

    def start(self) -> None:
        self.started = time.monotonic()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "dashboards.solver_child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(self.job))
        self._process.stdin.close()
        self._reader.start()

    def _pump(self) -> None:
        """Relay the child's lines until it exits."""
        process = self._process
        assert process is not None and process.stdout is not None
        for line in process.stdout:
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                continue
            with self._lock:
                self._receive(message)
        code = process.wait()
        with self._lock:
            if self.result is None and self.error is None:
                self.error = (
                    "cancelled: the solver was stopped before it found a solution"
                    if self.cancelled
                    else f"the solver process ended unexpectedly (exit code {code})"
                )
            self.finished = time.monotonic()

    def _receive(self, message: dict[str, Any]) -> None:
        kind = message.pop("type", "")
        if kind == "point":
            self.points.append(ProgressPoint.model_validate(message))
        elif kind == "result":
            self.result = Result.model_validate(message["result"])
        elif kind == "diagnosis":
            self.diagnosis = message["diagnosis"]
        elif kind == "error":
            self.error = str(message.get("message", "unknown error"))

    @property
    def running(self) -> bool:
        with self._lock:
            return self.finished is None

    def snapshot(self) -> Snapshot:
        with self._lock:
            end = self.finished if self.finished is not None else time.monotonic()
            return Snapshot(
                running=self.finished is None,
                seconds=end - self.started,
                points=list(self.points),
                result=self.result,
                error=self.error,
                cancelled=self.cancelled,
                diagnosis=self.diagnosis,
            )

    def cancel(self) -> None:
        """Ask the solver to stop (keeps its best solution); kill it after ``grace`` s."""
        with self._lock:
            if self.finished is not None or self._process is None:
                return
            self.cancelled = True
        try:
            self._process.send_signal(signal.SIGINT)
        except ProcessLookupError:
            return
        threading.Thread(target=self._terminate_later, daemon=True).start()

    def _terminate_later(self) -> None:
        process = self._process
        assert process is not None
        try:
            process.wait(timeout=self.grace)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()

    def wait(self, timeout: float) -> bool:
        """Block until the job ends (tests and scripts only); True if it ended."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                return True
            time.sleep(0.1)
        return not self.running
