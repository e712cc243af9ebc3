"""carealloc: hospital resource allocation with operations research.

Bad input anywhere in the API raises ``InputError`` (a ``CareallocError``, as is every
error carealloc raises on purpose); both live in ``optimizer.errors`` and are exported here.
"""

from optimizer.errors import CareallocError, InputError, SolverUnavailableError
from optimizer.solve import BatchError, solve, solve_many

__all__ = [
    "BatchError",
    "CareallocError",
    "InputError",
    "SolverUnavailableError",
    "solve",
    "solve_many",
]
