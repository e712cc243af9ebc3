"""carealloc: hospital resource allocation with operations research."""

from optimizer.solve import solve, solve_many

__all__ = ["solve", "solve_many"]
