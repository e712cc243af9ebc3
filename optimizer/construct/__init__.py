"""Solver-independent construction heuristics (quick feasible schedules, warm starts)."""
