"""iCalendar export: one ``.ics`` file per staff member from a roster or a case schedule.

Times are the wall-clock times of the ward or theatre: floating local times by
default (calendar apps show them as written), or in ``tz`` (an IANA name such as
``"Europe/London"``) with its VTIMEZONE included. A case problem whose ``start``
carries a UTC offset fixes real instants: they are converted to ``tz``, or written
in UTC when no ``tz`` is given.

Every file holds at least one component, as RFC 5545 requires: a person with no
shifts or cases gets a "no shifts" / "no cases" VJOURNAL note, which takes no time on a
calendar (most apps ignore it). UIDs are stable across runs and distinct for
distinct ids.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import urllib.parse
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Journal

from optimizer.errors import InputError
from optimizer.model.result import Result
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


def _at(moment: dt.datetime, zone: ZoneInfo | None) -> dt.datetime:
    """A wall-clock time in ``zone`` (floating if None); an aware one converted instead
    (to UTC if no ``zone``)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone or dt.UTC)


def _no_events_note(
    cal: Calendar, names: tuple[str, str], stamp: dt.datetime, first: dt.date, what: str
) -> None:
    """Give a calendar without events its one required component: a note that takes no time.

    ``names`` is (problem name, staff id); its UID has two parts, events three or four.
    """
    note = Journal()
    note.add("uid", _uid(*names))
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


def roster_calendars(
    problem: RosterProblem,
    result: Result,
    tz: str | None = None,
    stamp: dt.datetime | None = None,
) -> dict[str, bytes]:
    """Staff id -> ``.ics`` bytes with one event per worked shift; staff with no shifts
    get a file too, holding only a "no shifts" note (a VJOURNAL, no events)."""
    if result.roster is None:
        raise InputError("the result holds no roster to export")
    zone = _zone(tz)
    stamp = stamp or dt.datetime.now(dt.UTC)
    by_staff: dict[str, list[tuple[int, str]]] = {p.id: [] for p in problem.staff}
    for a in result.roster.assignments:
        if a.staff in by_staff and a.shift in problem.shift_index:
            by_staff[a.staff].append((a.day, a.shift))
    out: dict[str, bytes] = {}
    for person in problem.staff:
        cal = _calendar(f"{person.label} – {problem.name}")
        for day, shift_id in sorted(by_staff[person.id]):
            shift = problem.shift(shift_id)
            begin = dt.datetime.combine(problem.date_of(day), dt.time(), tzinfo=zone)
            begin += dt.timedelta(minutes=shift.start)
            event = Event()
            date = f"{problem.date_of(day):%Y%m%d}"  # basic ISO form: no '-' to encode
            event.add("uid", _uid(problem.name, person.id, date, shift.id))
            event.add("dtstamp", stamp)
            event.add("dtstart", begin)
            event.add("dtend", begin + dt.timedelta(minutes=shift.length_minutes))
            event.add("summary", f"{shift.label} shift")
            event.add("description", f"{person.label} ({person.id}) – {problem.name}")
            cal.add_component(event)
        if not by_staff[person.id]:
            names = (problem.name, person.id)
            _no_events_note(cal, names, stamp, problem.start_date, "No shifts")
        out[person.id] = _finish(cal, zone)
    return out


def schedule_calendars(
    problem: Any,
    result: Result,
    tz: str | None = None,
    stamp: dt.datetime | None = None,
) -> dict[str, bytes]:
    """Staff id -> ``.ics`` bytes with one event per case the person is on, located by
    the room's name (see ``room_names``); staff on no case get a file too, holding only
    a "no cases" note (a VJOURNAL, no events)."""
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
    label = {p.id: p.label for p in problem.staff}
    rooms = room_names(problem)
    out: dict[str, bytes] = {}
    for person_id, items in by_staff.items():
        cal = _calendar(f"{label.get(person_id, person_id)} – {problem.name}")
        for placed in sorted(items, key=lambda t: t.start):
            task = problem.task(placed.task) if placed.task in problem.task_index else None
            event = Event()
            event.add("uid", _uid(problem.name, person_id, placed.task))
            event.add("dtstamp", stamp)
            event.add("dtstart", _at(problem.datetime_of(placed.start), zone))
            event.add("dtend", _at(problem.datetime_of(placed.end), zone))
            event.add("summary", task.label if task else placed.task)
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


def file_name(staff_id: str) -> str:
    """A safe ``.ics`` file name for a staff id (never hidden, never empty)."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", staff_id).strip("._-") or "staff"
    if stem.split(".")[0].lower() in _RESERVED_NAMES:
        stem = f"staff_{stem}"
    return stem + ".ics"


def slug(text: str, limit: int = 60) -> str:
    """``text`` as lower-case ASCII letters and digits joined by single ``-`` (accents
    dropped), at most ``limit`` characters; empty when nothing is left."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:limit].strip("-")


def safe_file_name(*parts: str, suffix: str, fallback: str = "export") -> str:
    """A file name from the slugs of ``parts`` (empty ones left out) joined by ``_``,
    then ``suffix`` (e.g. ``".ics"``): only ``a-z 0-9 - _`` before the suffix, never a
    Windows device name, ``fallback`` when every part is empty."""
    stem = "_".join(s for s in map(slug, parts) if s) or slug(fallback) or "export"
    if stem in _RESERVED_NAMES:
        stem = f"{stem}_file"
    return stem + suffix


def unique_file_names(staff_ids: Iterable[str]) -> dict[str, str]:
    """Staff id -> ``.ics`` file name, distinct even when ids differ only in unsafe characters.

    Names are compared ignoring case (as Windows and macOS file systems do); a
    clash gets ``-2``, ``-3`` … before ``.ics``, in the order of ``staff_ids``.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for staff_id in staff_ids:
        name = file_name(staff_id)
        stem, number = name.removesuffix(".ics"), 1
        while name.lower() in taken:
            number += 1
            name = f"{stem}-{number}.ics"
        taken.add(name.lower())
        names[staff_id] = name
    return names


def calendars_zip(files: Mapping[str, bytes]) -> bytes:
    """A ZIP with one ``<staff>.ics`` per staff member (distinct, safe file names)."""
    out = io.BytesIO()
    names = unique_file_names(files)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for staff_id, data in files.items():
            archive.writestr(names[staff_id], data)
    return out.getvalue()
