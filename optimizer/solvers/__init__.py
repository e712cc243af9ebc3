"""Backends. Only this package imports ortools or pulp (a test enforces it)."""

from __future__ import annotations

BACKENDS = ("cpsat", "milp")

FAMILY_BACKENDS = {"roster": ("cpsat", "milp"), "cases": ("cpsat",)}
"""Which backends solve which problem family."""
