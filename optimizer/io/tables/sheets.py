"""Bundle layout: the sheets of a roster or case bundle and their columns."""

from __future__ import annotations

import re
from collections.abc import Collection

ROSTER_SHEETS: dict[str, tuple[str, ...]] = {
    "settings": ("key", "value"),
    "shifts": (
        "id",
        "name",
        "start",
        "length_minutes",
        "forbidden_next",
        "min_rest_hours",
        "night",
    ),
    "staff": (
        "id",
        "name",
        "grade",
        "skills",
        "min_minutes",
        "max_minutes",
        "max_shifts",
        "max_shifts_per_type",
        "min_consecutive_work",
        "max_consecutive_work",
        "min_consecutive_off",
        "max_weekends",
    ),
    "cover": (
        "date",
        "shift",
        "skill",
        "required",
        "min_required",
        "under_weight",
        "over_weight",
    ),
    "leave": ("staff", "first_date", "last_date", "shifts", "reason", "counts_toward_hours"),
    "requests": ("staff", "date", "shift", "want", "weight"),
    "pins": ("staff", "date", "shift"),
}
"""Roster bundle: sheet name -> columns (lists are ``;``-separated, maps ``k=v;k=v``)."""

CASE_SHEETS: dict[str, tuple[str, ...]] = {
    "settings": ("key", "value"),
    "tasks": (
        "id",
        "name",
        "procedure",
        "duration",
        "release",
        "due",
        "deadline",
        "priority",
        "optional",
        "team",
        "staff",
        "rooms",
        "room_needs",
        "resources",
    ),
    "rooms": ("id", "name", "type", "capabilities", "turnover"),
    "openings": ("room", "start", "end", "overtime"),
    "staff": ("id", "name", "roles", "max_minutes", "overtime"),
    "availability": ("staff", "start", "end"),
    "time_off": ("staff", "start", "end"),
    "resources": ("id", "name", "capacity"),
    "precedences": ("before", "after", "min_lag", "max_lag"),
}
"""Case bundle: sheet name -> columns. Times are ``YYYY-MM-DD HH:MM`` (or minutes)."""

BUNDLE_SHEETS: frozenset[str] = frozenset(ROSTER_SHEETS) | frozenset(CASE_SHEETS)
"""Every sheet name a bundle of either kind may have."""

REQUIRED_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "roster": {
        "settings": ("key", "value"),
        "shifts": ("id", "start", "length_minutes"),
        "staff": ("id",),
        "cover": ("date", "shift", "required"),
        "leave": ("staff", "first_date", "last_date"),
        "requests": ("staff", "date", "want"),
        "pins": ("staff", "date", "shift"),
    },
    "cases": {
        "settings": ("key", "value"),
        "tasks": ("id", "duration"),
        "rooms": ("id",),
        "openings": ("room", "start", "end"),
        "staff": ("id",),
        "availability": ("staff", "start", "end"),
        "time_off": ("staff", "start", "end"),
        "resources": ("id", "capacity"),
        "precedences": ("before", "after"),
    },
}
"""Columns a sheet with rows must have; each row needs a value in them (see ``BLANK_ALLOWED``)."""

BLANK_ALLOWED: frozenset[tuple[str, str]] = frozenset({("settings", "value"), ("pins", "shift")})
"""Required columns whose cells may be empty (an empty pin shift is a day off)."""

CASE_WEIGHT_SETTINGS: dict[str, str] = {
    "unscheduled_weight": "unscheduled",
    "tardiness_weight": "tardiness",
    "overtime_weight": "overtime",
    "staff_overtime_weight": "staff_overtime",
    "idle_weight": "idle",
    "makespan_weight": "makespan",
}
"""Settings key -> ``CaseWeights`` field."""

SETTINGS_KEYS: dict[str, tuple[str, ...]] = {
    "roster": ("kind", "name", "start_date", "num_days"),
    "cases": ("kind", "name", "start", "horizon", "turnover", *CASE_WEIGHT_SETTINGS),
}
"""The keys a ``settings`` sheet may hold, per bundle kind."""


def sheets_of(kind: str) -> dict[str, tuple[str, ...]]:
    """The sheet layout of a ``"roster"`` or ``"cases"`` bundle."""
    return ROSTER_SHEETS if kind == "roster" else CASE_SHEETS


def spelled_as(text: str, known: Collection[str]) -> str:
    """A header or settings key as read: lower case, and ``Start Date`` or ``start-date``
    as ``start_date`` when that is in ``known`` (else as typed, for the message)."""
    lower = text.strip().lower()
    joined = re.sub(r"[\s\-]+", "_", lower)
    return joined if joined in known else lower


ALL_SETTINGS_KEYS: frozenset[str] = frozenset(k for keys in SETTINGS_KEYS.values() for k in keys)


def settings_key(text: str) -> str:
    """A settings key as read (``spelled_as`` the keys of either bundle kind)."""
    return spelled_as(text, ALL_SETTINGS_KEYS)
