"""New cases (``add_case``): duration, surgeon, room, roles, priority and procedure."""

from __future__ import annotations

import re

from llm_intake.dates import number
from llm_intake.refusals import RefusalKind
from llm_intake.requests import AddCase
from llm_intake.resolver import Resolver, Span
from llm_intake.rules.case_words import (
    CASE_PARTS,
    CASE_TIME,
    DURATION,
    NOT_URGENT,
    PRIORITY,
    PRIORITY_WORDS,
    PROCEDURE_PHRASE,
    ROLE_COUNT,
    ROOM_LIKE,
    TITLED,
)
from llm_intake.rules.clause import Clause, NotUnderstood, blank, date_refusal
from llm_intake.rules.days import check_horizon
from llm_intake.rules.patterns import NEGATION

_I = re.IGNORECASE


def add_case_request(resolver: Resolver, clause: Clause) -> AddCase:
    text = clause.text
    lasting = DURATION.search(text)
    if lasting is None:
        raise NotUnderstood("how long is the case (e.g. '90 min')?", RefusalKind.UNREADABLE)
    duration = _minutes(lasting)
    for hit in clause.dates:
        if hit.error:
            raise date_refusal(hit)
    if len(clause.dates) > 1 or (clause.dates and not clause.dates[0].single):
        raise NotUnderstood("a case takes one date; which one?", RefusalKind.SEVERAL_NAMED)
    date = clause.dates[0].first if clause.dates else None
    if clause.dates:
        check_horizon(clause.dates, resolver.vocab.case_start, resolver.vocab.case_days)
    _named_people_known(clause)
    surgeon = _surgeon(resolver, clause)
    room_spans = resolver.find_rooms(text)
    _case_words_known(resolver, clause, lasting, room_spans)
    rooms = list(dict.fromkeys(r.id for r in room_spans))
    if len(rooms) > 1:
        raise NotUnderstood("more than one room named; which one?", RefusalKind.SEVERAL_NAMED)
    roles = _roles(resolver, text, surgeon)
    priority = _priority(text)
    part = next((p for p, pat in CASE_PARTS if pat.search(text)), None)
    procedure = _procedure(resolver, blank(text, [lasting.span()]))
    return AddCase(
        procedure=procedure,
        duration_min=duration,
        surgeon=surgeon,
        room=rooms[0] if rooms else None,
        date=date,
        part_of_day=part,
        roles=roles,
        priority=priority,
    )


def _case_words_known(
    resolver: Resolver, clause: Clause, lasting: re.Match[str], rooms: list[Span]
) -> None:
    """A detail of a new case that would be lost is refused, as the LLM path refuses it:
    a negated detail ("not in OR 6"), an unknown room ("OR 7", "the cath lab") or role
    ("2 perfusionists"), a time other than morning or afternoon ("at 2pm")."""
    text = clause.text
    spans = [lasting.span(), *((d.start, d.end) for d in clause.dates)]
    spans += [(r.start, r.end) for r in rooms] + [(p.start, p.end) for p in clause.people]
    plain = blank(text, spans)
    plain = blank(plain, [m.span() for m in NOT_URGENT.finditer(plain)])
    if m := NEGATION.search(plain):
        detail = re.split(r"[,;(]", text[m.start() :])[0].strip()
        raise NotUnderstood(
            f"a negated detail ('{detail}'); say what the case needs instead", RefusalKind.NEGATED
        )
    for m in ROOM_LIKE.finditer(text):
        if not any(r.start < m.end() and m.start() < r.end for r in rooms):
            place = re.sub(r"^(?:in|into)\s+", "", m.group(0), flags=_I)
            known = ", ".join(r.id for r in resolver.vocab.rooms)
            raise NotUnderstood(
                f"unknown room '{place}' (the rooms are {known})", RefusalKind.UNREADABLE
            )
    roles = resolver.find_roles(text)
    for m in ROLE_COUNT.finditer(text):
        start, end = m.span("role") if m.group("role") else m.span("role2")
        if not any(r.start < end and start < r.end for r in roles):
            known = ", ".join(resolver.vocab.roles)
            raise NotUnderstood(
                f"unknown role '{text[start:end]}' (the roles are {known})", RefusalKind.UNREADABLE
            )
    clock = CASE_TIME.search(plain)
    when = clock.group(0) if clock else "tonight" if any(d.tonight for d in clause.dates) else ""
    if when:
        raise NotUnderstood(
            f"a case time of '{when}' is not supported; say 'morning' or 'afternoon'",
            RefusalKind.UNREADABLE,
        )


def _named_people_known(clause: Clause) -> None:
    """A titled name ("Mr Patel") that is nobody in the case problem is not dropped."""
    for m in TITLED.finditer(clause.text):
        inside = [p for p in clause.people if p.start <= m.start("name") < p.end]
        if not inside or not inside[0].ids:
            raise NotUnderstood(
                f"no one called '{m.group(0)}' in the case problem", RefusalKind.UNREADABLE
            )


def _surgeon(resolver: Resolver, clause: Clause) -> str | None:
    surgeons = {p.id for p in resolver.vocab.case_staff if any("surg" in r for r in p.roles)}
    found: list[str] = []
    for mention in clause.people:
        ids = tuple(i for i in mention.ids if not surgeons or i in surgeons)
        if not ids:
            continue
        if len(ids) > 1:
            raise NotUnderstood(
                f"'{mention.text}' could be {resolver.describe(ids)}; which one?",
                RefusalKind.AMBIGUOUS_NAME,
            )
        found.append(ids[0])
    found = list(dict.fromkeys(found))
    if len(found) > 1:
        raise NotUnderstood(
            "more than one surgeon named; which one operates?", RefusalKind.SEVERAL_NAMED
        )
    return found[0] if found else None


def _roles(resolver: Resolver, text: str, surgeon: str | None) -> dict[str, int]:
    roles: dict[str, int] = {}
    for span in resolver.find_roles(text):
        before = text[: span.start]
        m = re.search(
            r"\b(\d+|an?|one|two|three|four|a\s+couple\s+of)\s+(?:more\s+|extra\s+)?$",
            before,
            _I,
        )
        after = re.match(r"\s*(?:x|×)\s*(\d+)\b", text[span.end :], _I)
        if m:
            roles[span.id] = number(m.group(1)) or 1
        elif after:
            roles[span.id] = int(after.group(1))
    return roles


def _procedure(resolver: Resolver, text: str) -> str:
    """The procedure named in ``text`` (the case's duration already blanked out)."""
    folded = text.lower()
    for proc in sorted(resolver.vocab.procedures, key=len, reverse=True):
        if proc and re.search(rf"\b{re.escape(proc.lower())}\b", folded):
            return proc
    spans = [(m.start(), m.end()) for m in NOT_URGENT.finditer(text)]
    text = blank(text, spans)
    text = blank(text, [(m.start(), m.end()) for m in PRIORITY_WORDS.finditer(text)])
    m = PROCEDURE_PHRASE.search(text)
    if m is None or not m.group("proc").strip():
        raise NotUnderstood("which procedure?", RefusalKind.UNREADABLE)
    proc = re.sub(r"\s+", " ", m.group("proc")).strip(" -/")
    generic = {"case", "patient", "procedure", "operation", "op", "surgery", "list", "slot"}
    named = [m for m in resolver.find_people(proc) if m.ids and not m.fuzzy]
    if proc.lower() in generic or named or TITLED.search(proc):
        raise NotUnderstood("which procedure?", RefusalKind.UNREADABLE)
    return proc


def _priority(text: str) -> str:
    """ "elective", "urgent" or "emergency"; "non-urgent", "low priority" are elective."""
    calm = NOT_URGENT.search(text)
    rest = NOT_URGENT.sub(" ", text)
    if re.search(r"\b(?:medium|moderate)[\s-]+priority\b", rest, _I):
        raise NotUnderstood(
            "which priority: elective, urgent or emergency?", RefusalKind.UNREADABLE
        )
    pressing = next((p for p, pat in PRIORITY if pat.search(rest)), None)
    if calm and pressing:
        raise NotUnderstood(
            f"both {pressing} and '{calm.group(0)}'; which priority?", RefusalKind.UNREADABLE
        )
    return pressing or "elective"


def _minutes(m: re.Match[str]) -> int:
    if m.group("h"):
        return round(float(m.group("h")) * 60) + int(m.group("hm") or 0)
    if m.group("h2"):
        return int(m.group("h2")) * 60 + int(m.group("m2"))
    if m.group("m"):
        return int(m.group("m"))
    if m.group("half"):
        return 30
    if m.group("hhalf"):
        return 90
    return 60 + int(m.group("onem") or 0)
