"""A change proposal: resolved requests, what was not understood, and a plain summary.

Nothing is applied here; ``llm_intake.apply`` does that after confirmation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from llm_intake.requests import (
    AddCase,
    CancelCase,
    CoverChange,
    PinShift,
    Request,
    ShiftWish,
    Unavailable,
    Unparsed,
    request_to_json,
)
from llm_intake.vocabulary import Vocabulary


class Proposal(BaseModel):
    """What the intake understood from one message (the ``--json`` output)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    requests: list[Request] = Field(default_factory=list)
    unparsed: list[Unparsed] = Field(default_factory=list)
    summary: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "requests": [request_to_json(r) for r in self.requests],
            "unparsed": [{"text": u.text, "reason": u.reason} for u in self.unparsed],
            "summary": self.summary,
        }


def article(word: str) -> str:
    """The indefinite article for ``word`` ("an early", "a late")."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def fmt_date(date: dt.date) -> str:
    return f"{date:%a} {date.day} {date:%b}"


def fmt_range(first: dt.date, last: dt.date) -> str:
    """ "1–7 Dec", "28 Dec–3 Jan", or one day "Tue 1 Dec"."""
    if first == last:
        return fmt_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b}"
    return f"{first.day} {first:%b}–{last.day} {last:%b}"


def in_plan(first: dt.date, last: dt.date, window: tuple[dt.date, dt.date] | None) -> str:
    """The range as it will apply, saying which days fall outside the plan.

    "11–13 Dec (14 Dec is after the plan)"; the range unchanged when it fits.
    """
    if window is None or (window[0] <= first and last <= window[1]):
        return fmt_range(first, last)
    start, end = max(first, window[0]), min(last, window[1])
    notes: list[str] = []
    if first < window[0]:
        notes.append(_outside(first, window[0] - dt.timedelta(days=1), "before"))
    if last > window[1]:
        notes.append(_outside(window[1] + dt.timedelta(days=1), last, "after"))
    if start > end:
        return f"{fmt_range(first, last)} (outside the plan)"
    return f"{fmt_range(start, end)} ({'; '.join(notes)})"


def _outside(first: dt.date, last: dt.date, side: str) -> str:
    verb = "is" if first == last else "are"
    days = f"{first.day} {first:%b}" if first == last else fmt_range(first, last)
    return f"{days} {verb} {side} the plan"


class _Describer:
    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def who(self, person_id: str | None) -> str:
        """The person's name; with the id and problem when someone else has the same name."""
        if not person_id:
            return "someone"
        label = self.vocab.label(person_id)
        if sum(1 for p in self.vocab.people if (p.name or p.id) == label) < 2:
            return label
        where = (
            "on the ward" if self.vocab.family_of(person_id) == "roster" else "in the case schedule"
        )
        return f"{label} ({person_id}, {where})"

    def shift(self, shift_id: str | None) -> str:
        for shift in self.vocab.shifts:
            if shift.id == shift_id:
                return shift.name or shift.id
        return shift_id or "any"

    def room(self, room_id: str | None) -> str:
        for room in self.vocab.rooms:
            if room.id == room_id:
                return room.name or room.id
        return room_id or ""

    def __call__(self, req: Request) -> str:
        if isinstance(req, Unavailable):
            shifts = (
                ""
                if req.shifts is None
                else " for " + "/".join(self.shift(s).lower() for s in req.shifts) + " shifts"
            )
            when = in_plan(req.from_, req.to, self.vocab.window(self.vocab.family_of(req.staff)))
            if req.from_time is not None:
                when += f" from {req.from_time:%H:%M}"
            if req.to_time is not None:
                when += f" until {req.to_time:%H:%M}"
            return f"{self.who(req.staff)} unavailable{shifts} {when}"
        if isinstance(req, ShiftWish):
            if req.shift is None:
                wish = "to work" if req.want else "a day off"
                return f"{self.who(req.staff)} would like {wish} on {fmt_date(req.date)}"
            verb = "would like" if req.want else "would rather not work"
            shift = self.shift(req.shift).lower()
            on = fmt_date(req.date)
            return f"{self.who(req.staff)} {verb} {article(shift)} {shift} shift on {on}"
        if isinstance(req, CoverChange):
            who = req.skill or "staff"
            if req.delta is not None:
                change = f"{req.delta:+d} {who}"
            else:
                change = f"{who} set to {req.set_}"
            return f"{self.shift(req.shift)} cover {fmt_date(req.date)}: {change}"
        if isinstance(req, PinShift):
            return (
                f"{self.who(req.staff)} fixed to the {self.shift(req.shift).lower()} shift on "
                f"{fmt_date(req.date)}"
            )
        if isinstance(req, CancelCase):
            return f"{self.case(req.case)} cancelled"
        return self._case(req)

    def case(self, case_id: str) -> str:
        """ "case C013 (Laparoscopic cholecystectomy)" (the id alone without a procedure)."""
        case = self.vocab.case(case_id)
        procedure = case.procedure if case is not None else ""
        return f"case {case_id} ({procedure})" if procedure else f"case {case_id}"

    def _case(self, req: AddCase) -> str:
        parts = [f"new {req.priority} case: {req.procedure}, {req.duration_min} min"]
        if req.surgeon:
            parts.append(f"surgeon {self.who(req.surgeon)}")
        if req.room:
            parts.append(f"in {self.room(req.room)}")
        if req.date:
            when = fmt_date(req.date) + (f" {req.part_of_day}" if req.part_of_day else "")
            parts.append(f"on {when}")
        if req.roles:
            parts.append("team " + ", ".join(f"{n} {role}" for role, n in req.roles.items()))
        return ", ".join(parts)


def describe(request: Request, vocab: Vocabulary) -> str:
    """One request in words ("Ana Silva unavailable Thu 10 Dec")."""
    return _Describer(vocab)(request)


def summarize(requests: list[Request], unparsed: list[Unparsed], vocab: Vocabulary) -> str:
    """One plain-language paragraph: what was understood and what was not."""
    describe = _Describer(vocab)
    parts: list[str] = []
    if requests:
        parts.append("I understood: " + "; ".join(describe(r) for r in requests) + ".")
    if unparsed:
        parts.append(
            "Not understood: " + "; ".join(f"“{u.text}” ({u.reason})" for u in unparsed) + "."
        )
    if not parts:
        return "I did not find any change request."
    return " ".join(parts)


def make_proposal(requests: list[Request], unparsed: list[Unparsed], vocab: Vocabulary) -> Proposal:
    return Proposal(
        requests=requests, unparsed=unparsed, summary=summarize(requests, unparsed, vocab)
    )


ParserName = Literal["rules", "llm"]
