"""A what-if problem: a copy of a problem with some parts replaced, validated again."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from optimizer.errors import from_validation_error


def rebuild(problem: Any, **changes: Any) -> Any:
    """``problem`` with ``changes`` (field -> value), validated again; ``InputError`` if
    the change breaks a rule."""
    data = {name: getattr(problem, name) for name in type(problem).model_fields}
    data.update(changes)
    try:
        return type(problem).model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, file="what-if change") from None
