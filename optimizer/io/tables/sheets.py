"""Bundle layout: the sheets of a roster or case bundle and their columns."""

from __future__ import annotations

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
    "leave": ("staff", "first_date", "last_date", "shifts", "reason"),
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
    "staff": ("id", "name", "roles", "max_minutes"),
    "availability": ("staff", "start", "end"),
    "resources": ("id", "name", "capacity"),
    "precedences": ("before", "after", "min_lag", "max_lag"),
}
"""Case bundle: sheet name -> columns. Times are ``YYYY-MM-DD HH:MM`` (or minutes)."""
