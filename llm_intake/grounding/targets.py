"""Requests compared: who and which days they act on, whether two are on one target, and
whether the model's request is one the rule parser's readings allow."""

from __future__ import annotations

import datetime as dt

from llm_intake.requests import AddCase, CancelCase, Request, Unavailable


def request_people(request: Request) -> list[str]:
    """The staff ids a resolved request acts on (the surgeon of a new case)."""
    if isinstance(request, AddCase):
        return [request.surgeon] if request.surgeon else []
    staff = getattr(request, "staff", None)
    return [staff] if isinstance(staff, str) else []


def request_days(request: Request) -> list[dt.date]:
    """The days a request acts on (none for a cancelled case, or a new case with no date)."""
    if isinstance(request, Unavailable):
        count = (request.to - request.from_).days + 1
        return [request.from_ + dt.timedelta(days=i) for i in range(count)]
    date = getattr(request, "date", None)
    return [date] if isinstance(date, dt.date) else []


def same_target(rule: Request, model: Request) -> bool:
    """Whether two requests are of one kind on one person (or one case)."""
    if rule.kind != model.kind:
        return False
    if isinstance(rule, CancelCase) and isinstance(model, CancelCase):
        return rule.case == model.case
    return request_people(rule) == request_people(model)


def within(model: Request, agreeing: list[Request]) -> bool:
    """Whether the model's request is one the rule parser's same-target requests allow."""
    if isinstance(model, AddCase):
        return True
    if not isinstance(model, Unavailable):
        plain = model.model_dump()
        return any(r.model_dump() == plain for r in agreeing)
    rules = [r for r in agreeing if isinstance(r, Unavailable)]
    return all(_day_allowed(model, day, rules) for day in request_days(model))


def _day_minutes(request: Unavailable, day: dt.date) -> tuple[int, int]:
    """The minutes ``[start, end)`` of ``day`` an absence takes (0–1440 for a whole day)."""
    first = request.from_time if day == request.from_ else None
    last = request.to_time if day == request.to else None
    start = 0 if first is None else first.hour * 60 + first.minute
    return start, 24 * 60 if last is None else last.hour * 60 + last.minute


def _day_allowed(model: Unavailable, day: dt.date, rules: list[Unavailable]) -> bool:
    """Whether the rule parser's absences cover ``day`` with every shift the model names
    (a model's whole day needs a whole day; its part of a day, a part covering it)."""
    covering = [r for r in rules if r.from_ <= day <= r.to]
    first, last = _day_minutes(model, day)
    spans = [_day_minutes(r, day) for r in covering if r.shifts is None]
    if any(start <= first and last <= end for start, end in spans):
        return True
    allowed = {s for r in covering for s in r.shifts or ()}
    return bool(covering) and model.shifts is not None and set(model.shifts) <= allowed
