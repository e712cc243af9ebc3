"""Cases, rooms and staff in the planner's words (names, dates and times, not ids)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from optimizer.errors import InputError


def case_words(task: Any) -> str:
    """A case in a sentence: "case C013 Laparoscopic cholecystectomy", "Case 4 (C4)"."""
    label = task.label
    if label.startswith(task.id):
        return f"case {label}"
    return (
        f"{label} ({task.id})" if label.lower().startswith("case") else f"case {label} ({task.id})"
    )


def case_names(tasks: list[Any], limit: int = 6) -> str:
    """``"C013 Hip replacement, Case 4 (C4) and 2 more"``: the first ``limit`` cases named."""
    names = [t.label if t.label.startswith(t.id) else f"{t.label} ({t.id})" for t in tasks]
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" and {more} more" if more > 0 else "")


_PIN_PATH = r"\bpins\[\d+\] of task '([^:]+?)'(?=:)"
"""The model's path to a pin, ``pins[3] of task 'O'Brien 2':``, with the task id as group 1:
an id holds no colon, so the quote before the colon ends it, apostrophes and all."""


def _quoted_ids(ids: Iterable[str]) -> str:
    """A regex of one of ``ids`` in single quotes, the id as group 1: ``'O'Brien'`` whole,
    not cut at its apostrophe into ``'O'``; longest ids first, and not inside a word.
    ``ids`` must not be empty."""
    alternatives = "|".join(map(re.escape, sorted(set(ids), key=len, reverse=True)))
    return rf"(?<!\w)'({alternatives})'(?!\w)"


def in_words(problem: Any, error: InputError) -> InputError:
    """``error`` with the case, room and staff ids of ``problem`` as their names and
    minute ranges as dates and times."""
    from optimizer.explain.case_time import time_span, when

    names = {p.id: p.label for p in problem.staff}
    names.update({r.id: r.label for r in problem.rooms})
    names.update({t.id: t.label for t in problem.tasks})

    def span(match: re.Match[str]) -> str:
        return time_span(problem, int(match[1]), int(match[2]))

    def moment(match: re.Match[str]) -> str:
        return f"{'at' if match[1] else 'start'} {when(problem, int(match[2]))}"

    def listed(match: re.Match[str]) -> str:
        return "(" + ", ".join(names.get(i, i) for i in match[1].split(", ")) + ")"

    def pinned(task_id: str) -> str:
        task = problem.task(task_id) if task_id in problem.task_index else None
        return "the pin of " + (case_words(task) if task else f"case {task_id}")

    pins = re.findall(_PIN_PATH, error.message)
    text = re.sub(r"\[(\d+), (\d+)[\])]", span, error.message)
    text = re.sub(r"\b(at )?start (\d+)\b", moment, text)  # "at start 1920"
    text = re.sub(_PIN_PATH, "\0", text)  # named last: "Case 2 (C2)" keeps its id
    text = re.sub(r"\b(?:precedences|tasks|rooms|staff)\[\d+\] (?:of )?", "", text)
    if names:
        text = re.sub(_quoted_ids(names), lambda m: names[m[1]], text)
    text = re.sub(r"\(([^()]*)\)", listed, text)
    for task_id in pins:
        text = text.replace("\0", pinned(task_id), 1)
    return InputError(text, file=error.file, line=error.line, field=error.field)
