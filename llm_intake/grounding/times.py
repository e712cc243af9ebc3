"""Times of day on the model's absence, checked against the times its sentence gives,
read with the rule parser's own reading (``rules.absence.said_times``)."""

from __future__ import annotations

import datetime as dt

from llm_intake.dates import find_dates
from llm_intake.dates.calendar import Window
from llm_intake.grounding import messages
from llm_intake.requests import Request, Unavailable, Unparsed
from llm_intake.rules.absence import SaidTime, said_times
from llm_intake.rules.clause import blank


def _given(said: SaidTime) -> str:
    """What a said time may be ("'2pm' as from 14:00", "'10am' as 10:00")."""
    role = "" if said.starts == said.ends else "from " if said.starts else "until "
    return f"'{said.words}' as {role}{said.time:%H:%M}"


def time_refusal(
    request: Request, text: str, today: dt.date, window: Window, described: str
) -> Unparsed | None:
    """The refusal of a ``from_time`` / ``to_time`` that ``text`` (one sentence; its dates
    read with ``today`` and ``window``) does not give as a start or an end (None when it
    does, or the request has no time)."""
    if not isinstance(request, Unavailable) or request.from_time is request.to_time is None:
        return None
    dates = find_dates(text, today, window)
    said = said_times(blank(text, [(d.start, d.end) for d in dates]))
    missing = []
    if request.from_time is not None and not any(
        s.starts and s.time == request.from_time for s in said
    ):
        missing.append(f"from {request.from_time:%H:%M}")
    if request.to_time is not None and not any(s.ends and s.time == request.to_time for s in said):
        missing.append(f"until {request.to_time:%H:%M}")
    if not missing:
        return None
    return messages.other_times(
        text, described, " or ".join(missing), ", ".join(_given(s) for s in said)
    )
