"""What applying returns: the new problem version, re-validated, and its change lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from optimizer.errors import from_validation_error


@dataclass
class Applied:
    """The new problem version and one line per change made."""

    problem: Any
    changes: list[str] = field(default_factory=list)


def revalidate(problem: Any, source: str) -> Any:
    """``problem`` validated again as a whole (cross-references included); a rule it
    breaks is an ``InputError`` naming ``source``."""
    try:
        return type(problem).model_validate(problem.model_dump())
    except ValidationError as exc:
        raise from_validation_error(exc, file=source) from None
