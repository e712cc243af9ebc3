"""PSPLIB single-mode RCPSP reader (``.sm``) onto the case-scheduling model.

Jobs become tasks whose ids are the PSPLIB job numbers (``"1"`` … ``"n+2"``, the
dummies included), renewable resources ``R 1``… become capacity resources
``R1``…, successor lists become zero-lag precedences, and the objective is the
makespan (``weights.makespan = 1``, every other weight 0). One time unit is one
"minute"; the problem has no start datetime. Format: the benchmark's SOURCE.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from optimizer.errors import InputError, from_validation_error
from optimizer.io.load import read_text
from optimizer.model.cases import CaseProblem, CaseWeights, Precedence, Resource, Task

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
"""ASCII digits only: ``str.isdigit`` also accepts ``²``, which ``int`` rejects."""
_MAX_DIGITS = 18


@dataclass
class _Lines:
    """The file's lines with 1-based numbers, read front to back."""

    path: str
    lines: list[str]
    pos: int = 0

    def error(self, message: str, line: int | None = None) -> InputError:
        return InputError(message, file=self.path, line=line if line is not None else self.pos)

    def find(self, prefix: str) -> tuple[int, str]:
        """The next line starting with ``prefix`` (case-insensitive), as (number, text)."""
        while self.pos < len(self.lines):
            text = self.lines[self.pos]
            self.pos += 1
            if text.strip().lower().startswith(prefix.lower()):
                return self.pos, text
        raise InputError(f"no line starting '{prefix}' (PSPLIB .sm layout)", file=self.path)

    def next_data(self) -> tuple[int, list[str]]:
        """The next line that is not blank, a row of '*' or a row of '-'."""
        while self.pos < len(self.lines):
            text = self.lines[self.pos].strip()
            self.pos += 1
            if text and set(text) - {"*", "-"}:
                return self.pos, text.split()
        raise InputError("the file ends too early (PSPLIB .sm layout)", file=self.path)


def _ints(src: _Lines, line: int, fields: list[str], what: str) -> list[int]:
    """The fields as integers; a bad one is named by its position on the line."""
    values = []
    for number, text in enumerate(fields, start=1):
        if not _WHOLE_NUMBER.fullmatch(text):
            raise src.error(f"{what}, field {number}: '{text}' is not a whole number", line)
        if len(text.lstrip("-")) > _MAX_DIGITS:
            raise src.error(f"{what}, field {number}: '{text[:20]}…' is too large", line)
        values.append(int(text))
    return values


def _header_value(src: _Lines, prefix: str) -> tuple[int, int]:
    """(line number, value) of the next ``prefix : value`` header line."""
    line, text = src.find(prefix)
    value = text.split(":", 1)[1].split() if ":" in text else []
    if not value:
        raise src.error(f"'{prefix}' has no value", line)
    return line, _ints(src, line, value[:1], prefix)[0]


def read_psplib(path: str | Path) -> CaseProblem:
    """Read a single-mode PSPLIB ``.sm`` file; bad files raise ``InputError``."""
    path = Path(path)
    src = _Lines(str(path), read_text(path).splitlines())
    jobs_line, jobs = _header_value(src, "jobs (incl. supersource/sink")
    _, horizon = _header_value(src, "horizon")
    _, renewable = _header_value(src, "- renewable")
    for kind in ("- nonrenewable", "- doubly constrained"):
        line, count = _header_value(src, kind)
        if count:
            raise src.error(f"{kind[2:]} resources are not supported (single-mode RCPSP)", line)
    if jobs < 2:
        raise src.error(f"at least 2 jobs (source and sink) are needed, found {jobs}", jobs_line)
    successors = _precedences(src, jobs)
    durations, requests, request_lines = _requests(src, jobs, renewable)
    capacities = _availabilities(src, renewable)
    for j, row in enumerate(requests):
        for k, units in enumerate(row):
            if units > capacities[k]:
                raise src.error(
                    f"job {j + 1} requests {units} of resource R {k + 1} whose availability "
                    f"is {capacities[k]}",
                    request_lines[j],
                )
    resources = [Resource(id=f"R{k + 1}", capacity=c) for k, c in enumerate(capacities)]
    tasks = [
        Task(
            id=str(j + 1),
            duration=durations[j],
            resources={f"R{k + 1}": u for k, u in enumerate(requests[j]) if u},
        )
        for j in range(jobs)
    ]
    precedences = [
        Precedence(before=str(j + 1), after=str(s)) for j in range(jobs) for s in successors[j]
    ]
    try:
        return CaseProblem(
            name=path.stem,
            horizon=max(horizon, sum(durations), 1),
            tasks=tuple(tasks),
            resources=tuple(resources),
            precedences=tuple(precedences),
            weights=CaseWeights(unscheduled=0, tardiness=0, overtime=0, makespan=1),
        )
    except ValidationError as exc:
        raise from_validation_error(exc, file=str(path)) from None


def _precedences(src: _Lines, jobs: int) -> list[list[int]]:
    src.find("PRECEDENCE RELATIONS")
    src.find("jobnr.")
    successors: list[list[int]] = []
    for j in range(1, jobs + 1):
        line, fields = src.next_data()
        values = _ints(src, line, fields, "precedence row")
        if len(values) < 3 or values[0] != j:
            raise src.error(f"expected the precedence row of job {j}", line)
        if values[1] != 1:
            raise src.error(f"job {j} has {values[1]} modes; only single-mode is supported", line)
        count, succ = values[2], values[3:]
        if len(succ) != count:
            raise src.error(f"job {j} announces {count} successors but lists {len(succ)}", line)
        for s in succ:
            if not 1 <= s <= jobs or s == j:
                raise src.error(f"job {j}: successor {s} is not a job number 1..{jobs}", line)
        successors.append(succ)
    return successors


def _requests(
    src: _Lines, jobs: int, renewable: int
) -> tuple[list[int], list[list[int]], list[int]]:
    src.find("REQUESTS/DURATIONS")
    src.find("jobnr.")
    durations: list[int] = []
    requests: list[list[int]] = []
    lines: list[int] = []
    for j in range(1, jobs + 1):
        line, fields = src.next_data()
        values = _ints(src, line, fields, "request row")
        if len(values) != 3 + renewable or values[0] != j:
            raise src.error(
                f"expected job {j}'s row: job, mode, duration and {renewable} requests", line
            )
        if values[2] < 0 or min(values[3:], default=0) < 0:
            raise src.error(f"job {j}: durations and requests must be ≥ 0", line)
        durations.append(values[2])
        requests.append(values[3:])
        lines.append(line)
    return durations, requests, lines


def _availabilities(src: _Lines, renewable: int) -> list[int]:
    src.find("RESOURCEAVAILABILITIES")
    src.next_data()  # the "R 1  R 2 ..." header
    line, fields = src.next_data()
    values = _ints(src, line, fields, "resource availabilities")
    if len(values) != renewable:
        raise src.error(f"expected {renewable} resource availabilities, found {len(values)}", line)
    if min(values, default=0) < 0:
        raise src.error("resource availabilities must be ≥ 0", line)
    return values
