"""carealloc: hospital resource allocation with operations research."""

from optimizer.solve import BatchError, solve, solve_many

__all__ = ["BatchError", "solve", "solve_many"]
