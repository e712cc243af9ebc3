"""iCalendar export: one ``.ics`` file per staff member from a roster or a case schedule.

Times are the wall-clock times of the ward or theatre: floating local times by
default (calendar apps show them as written), or in ``tz`` (an IANA name such as
``"Europe/London"``) with its VTIMEZONE included. A case problem whose ``start``
carries a UTC offset fixes real instants: they are converted to ``tz``, or written
in UTC when no ``tz`` is given, and in UTC too when they fall in the hour a clock
repeats at the end of summer time (a local time there is read as its first occurrence).

Every file holds at least one component, as RFC 5545 requires: a person with no
shifts or cases gets a "no shifts" / "no cases" VJOURNAL note, which takes no time on a
calendar (most apps ignore it). UIDs are stable across runs and re-plans and distinct
for distinct ids: a roster event is a staff-day (plan name, staff, date), a case event
a person on a case of a plan (plan name, staff, plan start date, case). ``SEQUENCE``
grows with ``DTSTAMP`` (seconds since 2020), so importing a newer file updates the
events in place. A staff-day or case of the problem's ``baseline`` (the published
plan) that the person no longer works is written ``STATUS:CANCELLED``, so an import
removes it (or, in an app that ignores the status, shows it as cancelled).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import urllib.parse
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Journal

from optimizer.errors import InputError
from optimizer.model.common import APOSTROPHES
from optimizer.model.result import CaseSchedule, Result, RosterSolution, ScheduledTask
from optimizer.model.roster import RosterProblem

PRODID = "-//carealloc//roster and schedule export//EN"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _zone(tz: str | None) -> ZoneInfo | None:
    if tz is None:
        return None
    try:
        return ZoneInfo(tz)
    except Exception:
        raise InputError(f"unknown time zone '{tz}'", field="tz") from None


def _uid(*parts: object) -> str:
    """A stable UID, distinct for distinct parts: each part percent-encoded (``-`` too),
    joined by ``-``; only ``A-Z a-z 0-9 _ . ~ % -`` and the ``@carealloc`` suffix."""
    encoded = (urllib.parse.quote(str(p), safe="").replace("-", "%2D") for p in parts)
    return "-".join(encoded) + "@carealloc"


SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
"""``SEQUENCE`` counts whole seconds of ``DTSTAMP`` from here (it fits 32 bits until 2088)."""


def _sequence(stamp: dt.datetime) -> int:
    """The events' ``SEQUENCE``: seconds from 2020 to ``stamp``, so that a later export
    of the same plan carries a larger one and calendar apps take its events as updates."""
    aware = stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)
    return min(max(0, int((aware - SEQUENCE_EPOCH).total_seconds())), 2**31 - 1)


def _at(moment: dt.datetime, zone: ZoneInfo | None) -> dt.datetime:
    """A wall-clock time in ``zone`` (floating if None); an aware one converted instead
    (to UTC if no ``zone``)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone or dt.UTC)


def _repeated(local: dt.datetime) -> bool:
    """Whether ``local`` lies in an hour its zone's clock shows twice (end of summer time)."""
    return local.tzinfo is not None and (
        local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
    )


Span = tuple[dt.datetime, dt.datetime]
"""An event's start and end, as written to the calendar."""


def _span(start: dt.datetime, end: dt.datetime, zone: ZoneInfo | None) -> Span:
    """``(start, end)`` as written (see ``_at``), both in UTC when either is a real instant
    in the repeated hour of ``zone``: RFC 5545 reads such a local time as the first one."""
    span = (_at(start, zone), _at(end, zone))
    if start.tzinfo is not None and any(_repeated(moment) for moment in span):
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    return span


def _event(uid: str, stamp: dt.datetime, span: Span, summary: str, cancelled: bool) -> Event:
    """A VEVENT with its UID, ``DTSTAMP`` and ``SEQUENCE``; a cancelled one says so in its
    status and summary and takes no time (for apps that ignore the status)."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", _sequence(stamp))
    event.add("dtstart", span[0])
    event.add("dtend", span[1])
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if cancelled:
        event.add("transp", "TRANSPARENT")
    event.add("summary", f"Cancelled: {summary}" if cancelled else summary)
    return event


def _no_events_note(
    cal: Calendar, names: tuple[str, str], stamp: dt.datetime, first: dt.date, what: str
) -> None:
    """Give a calendar without events its one required component: a note that takes no time.

    ``names`` is (problem name, staff id); its UID adds the plan's first date and an
    empty last part, which no event UID has (theirs ends with a date, shift or case id).
    """
    note = Journal()
    note.add("uid", _uid(*names, f"{first:%Y%m%d}", ""))
    note.add("dtstamp", stamp)
    note.add("dtstart", first)
    note.add("summary", f"{what} – {names[0]}")
    cal.add_component(note)


def _finish(cal: Calendar, zone: ZoneInfo | None) -> bytes:
    if zone is not None:
        cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


def room_names(problem: Any) -> dict[str, str]:
    """Room id -> the name a planner reads: the room's name, with its id in brackets when
    another room has the same name (ignoring case), so that no two rooms read alike."""
    counts = Counter(room.label.casefold() for room in problem.rooms)
    return {
        room.id: room.label
        if counts[room.label.casefold()] == 1 or room.label == room.id
        else f"{room.label} ({room.id})"
        for room in problem.rooms
    }


def _shift_span(problem: RosterProblem, day: int, shift_id: str, zone: ZoneInfo | None) -> Span:
    """A shift's wall-clock start and end on ``day`` (a night shift ends the next day)."""
    shift = problem.shift(shift_id)
    begin = dt.datetime.combine(problem.date_of(day), dt.time(), tzinfo=zone)
    begin += dt.timedelta(minutes=shift.start)
    return begin, begin + dt.timedelta(minutes=shift.length_minutes)


def _roster_days(
    problem: RosterProblem, roster: RosterSolution
) -> dict[str, list[tuple[int, str]]]:
    """Staff id -> (day, shift) of each worked shift of the problem's staff, in order."""
    by_staff: dict[str, list[tuple[int, str]]] = {p.id: [] for p in problem.staff}
    for a in roster.assignments:
        if a.staff in by_staff and a.shift in problem.shift_index:
            by_staff[a.staff].append((a.day, a.shift))
    return {staff: sorted(days) for staff, days in by_staff.items()}


def _dropped_days(
    problem: RosterProblem, by_staff: Mapping[str, list[tuple[int, str]]]
) -> dict[str, list[tuple[int, str]]]:
    """Staff id -> (day, shift) of the baseline's (published) shifts on days now off."""
    dropped: dict[str, list[tuple[int, str]]] = {staff: [] for staff in by_staff}
    worked = {(staff, day) for staff, days in by_staff.items() for day, _ in days}
    for b in problem.baseline.assignments if problem.baseline is not None else ():
        if (
            b.staff in dropped
            and (b.staff, b.day) not in worked
            and b.shift in problem.shift_index
            and b.day < problem.num_days
        ):
            dropped[b.staff].append((b.day, b.shift))
    return {staff: sorted(set(days)) for staff, days in dropped.items()}


def roster_calendars(
    problem: RosterProblem,
    result: Result,
    tz: str | None = None,
    stamp: dt.datetime | None = None,
) -> dict[str, bytes]:
    """Staff id -> ``.ics`` bytes with one event per worked shift, its UID the staff-day's;
    a baseline shift on a day now off is a cancelled event. Staff with no shifts get a
    file too, holding a "no shifts" note (a VJOURNAL, taking no time)."""
    if result.roster is None:
        raise InputError("the result holds no roster to export")
    zone = _zone(tz)
    stamp = stamp or dt.datetime.now(dt.UTC)
    by_staff = _roster_days(problem, result.roster)
    dropped = _dropped_days(problem, by_staff)
    out: dict[str, bytes] = {}
    for person in problem.staff:
        cal = _calendar(f"{person.label} – {problem.name}")
        seen: set[int] = set()
        shifts = [(d, s, False) for d, s in by_staff[person.id]]
        for day, shift_id, cancelled in shifts + [(d, s, True) for d, s in dropped[person.id]]:
            date = f"{problem.date_of(day):%Y%m%d}"  # basic ISO form: no '-' to encode
            # at most one shift a day is the rule; a second one keeps an event of its own
            uid = _uid(problem.name, person.id, date, *([shift_id] if day in seen else []))
            seen.add(day)
            span = _shift_span(problem, day, shift_id, zone)
            event = _event(uid, stamp, span, f"{problem.shift(shift_id).label} shift", cancelled)
            event.add("description", f"{person.label} ({person.id}) – {problem.name}")
            cal.add_component(event)
        if not by_staff[person.id]:
            names = (problem.name, person.id)
            _no_events_note(cal, names, stamp, problem.start_date, "No shifts")
        out[person.id] = _finish(cal, zone)
    return out


def _dropped_cases(
    problem: Any, schedule: CaseSchedule, people: Iterable[str]
) -> dict[str, list[ScheduledTask]]:
    """Staff id -> each baseline (published) case the person is no longer on."""
    dropped: dict[str, list[ScheduledTask]] = {person: [] for person in people}
    baseline = getattr(problem, "baseline", None)
    now = {t.task: set(t.staff) for t in schedule.tasks}
    for old in baseline.schedule.tasks if baseline is not None else ():
        for person in old.staff:
            if person in dropped and person not in now.get(old.task, ()):
                dropped[person].append(old)
    return dropped


def schedule_calendars(
    problem: Any,
    result: Result,
    tz: str | None = None,
    stamp: dt.datetime | None = None,
) -> dict[str, bytes]:
    """Staff id -> ``.ics`` bytes with one event per case the person is on, located by
    the room's name (see ``room_names``); a baseline case the person is no longer on is
    a cancelled event. Staff on no case get a file too, holding only a "no cases" note
    (a VJOURNAL, no events)."""
    if result.schedule is None:
        raise InputError("the result holds no schedule to export")
    if problem.start is None:
        raise InputError("the case problem has no start date-time, so it has no calendar dates")
    zone = _zone(tz)
    stamp = stamp or dt.datetime.now(dt.UTC)
    by_staff: dict[str, list[Any]] = {p.id: [] for p in problem.staff}
    for placed in result.schedule.tasks:
        for person in placed.staff:
            by_staff.setdefault(person, []).append(placed)
    dropped = _dropped_cases(problem, result.schedule, by_staff)
    label = {p.id: p.label for p in problem.staff}
    rooms = room_names(problem)
    first = f"{problem.start:%Y%m%d}"  # the plan's own date: a re-used case id is another event
    out: dict[str, bytes] = {}
    for person_id, items in by_staff.items():
        cal = _calendar(f"{label.get(person_id, person_id)} – {problem.name}")
        cases = [(t, False) for t in sorted(items, key=lambda t: t.start)]
        for placed, cancelled in cases + [(t, True) for t in dropped[person_id]]:
            task = problem.task(placed.task) if placed.task in problem.task_index else None
            span = _span(problem.datetime_of(placed.start), problem.datetime_of(placed.end), zone)
            uid = _uid(problem.name, person_id, first, placed.task)
            event = _event(uid, stamp, span, task.label if task else placed.task, cancelled)
            if placed.room:
                event.add("location", rooms.get(placed.room, placed.room))
            team = ", ".join(label.get(s, s) for s in placed.staff)
            procedure = task.procedure if task else ""
            event.add("description", f"{procedure} – case {placed.task}; team: {team}".strip(" –"))
            cal.add_component(event)
        if not items:
            names = (problem.name, person_id)
            _no_events_note(cal, names, stamp, problem.start.date(), "No cases")
        out[person_id] = _finish(cal, zone)
    return out


def calendars(
    problem: Any, result: Result, tz: str | None = None, stamp: dt.datetime | None = None
) -> dict[str, bytes]:
    """Per-staff calendars of a roster or a case schedule."""
    if isinstance(problem, RosterProblem):
        return roster_calendars(problem, result, tz, stamp)
    return schedule_calendars(problem, result, tz, stamp)


_RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))} | {
    f"lpt{i}" for i in range(10)
}
"""Windows device names, which cannot be file names."""

MAX_STEM_BYTES = 200
"""File names stay under the 255-byte limit of common file systems, in any script."""


def _word_char(char: str) -> bool:
    """A letter, combining mark or digit of any script."""
    return unicodedata.category(char)[0] in "LMN"


def _runs(text: str, keep: Callable[[str], bool], sep: str) -> str:
    """``text`` with each run of characters that ``keep`` refuses replaced by ``sep``."""
    return "".join("".join(run) if kept else sep for kept, run in groupby(text, key=keep))


def _fit(stem: str) -> str:
    """``stem`` cut to at most ``MAX_STEM_BYTES`` bytes of UTF-8, between characters."""
    return stem.encode()[:MAX_STEM_BYTES].decode("utf-8", "ignore")


def _without_apostrophes(text: str) -> str:
    """``text`` with its apostrophes (``'``, ``’`` …) left out: ``O'Brien`` -> ``OBrien``."""
    return text.translate(APOSTROPHES).replace("'", "")


def file_name(staff_id: str) -> str:
    """A safe ``.ics`` file name for a staff id: its letters and digits of any script
    (``Γιάννης.ics``), ``_ . -``, and ``_`` for each run of other characters; never
    hidden, never empty, never a Windows device name. An apostrophe is left out
    (``OBrien.ics``), as in e-mail addresses."""
    text = _without_apostrophes(unicodedata.normalize("NFC", staff_id))
    stem = _fit(_runs(text, lambda c: _word_char(c) or c in "_.-", "_")).strip("._-") or "staff"
    if stem.split(".")[0].lower() in _RESERVED_NAMES:
        stem = f"staff_{stem}"
    return stem + ".ics"


def slug(text: str, limit: int = 60) -> str:
    """``text`` as lower-case ASCII letters and digits joined by single ``-`` (accents
    dropped, and apostrophes: ``o-brien`` would read as two words), at most ``limit``
    characters; empty when nothing is left."""
    plain = unicodedata.normalize("NFKD", _without_apostrophes(text))
    plain = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:limit].strip("-")


def script_slug(text: str, limit: int = 60) -> str:
    """``text`` as lower-case letters and digits of any script joined by single ``-``:
    Latin letters lose their accents (as in ``slug``), other scripts keep theirs
    (``Γιάννης`` gives ``γιάννης``); at most ``limit`` characters. Equals ``slug``
    for ASCII text."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", text.lower()):
        if not (unicodedata.combining(char) and kept and kept[-1].isascii()):
            kept.append(char)  # an accent on a Latin letter is dropped
    plain = unicodedata.normalize("NFC", "".join(kept))
    return _runs(plain, _word_char, "-").strip("-")[:limit].strip("-")


def _part(text: str) -> str:
    """A file-name part: ``slug(text)`` when it keeps a letter, else the letters of
    ``text`` in their own script (``script_slug``), so a Greek name is not lost."""
    plain = slug(text)
    return plain if re.search("[a-z]", plain) else script_slug(text) or plain


def safe_file_name(*parts: str, suffix: str, fallback: str = "export") -> str:
    """A file name from ``parts`` (empty ones left out) joined by ``_``, then ``suffix``
    (e.g. ``".ics"``): each part slugged to ``a-z 0-9 -`` when that keeps a letter,
    else kept in its own script (``_part``); at most ``MAX_STEM_BYTES`` bytes before
    the suffix, never a Windows device name, ``fallback`` when every part is empty."""
    stem = "_".join(s for s in map(_part, parts) if s) or _part(fallback) or "export"
    stem = _fit(stem).rstrip("-_")
    if stem in _RESERVED_NAMES:
        stem = f"{stem}_file"
    return stem + suffix


def unique_file_names(staff_ids: Iterable[str]) -> dict[str, str]:
    """Staff id -> ``.ics`` file name, distinct even when ids differ only in unsafe characters.

    Names are compared ignoring case and Unicode normalisation (as Windows and macOS
    file systems do); a clash gets ``-2``, ``-3`` … before ``.ics``, in the order of
    ``staff_ids``.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for staff_id in staff_ids:
        name = file_name(staff_id)
        stem, number = name.removesuffix(".ics"), 1
        while unicodedata.normalize("NFKC", name).casefold() in taken:
            number += 1
            name = f"{stem}-{number}.ics"
        taken.add(unicodedata.normalize("NFKC", name).casefold())
        names[staff_id] = name
    return names


def calendars_zip(files: Mapping[str, bytes]) -> bytes:
    """A ZIP with one ``<staff>.ics`` per staff member (distinct, safe file names; names
    in other scripts are stored as UTF-8, which the ZIP format marks as such)."""
    out = io.BytesIO()
    names = unique_file_names(files)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for staff_id, data in files.items():
            archive.writestr(names[staff_id], data)
    return out.getvalue()
