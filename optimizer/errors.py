"""Error types with one clear, user-facing message each."""

from __future__ import annotations


class CareallocError(Exception):
    """Base class of every error carealloc raises on purpose."""


class InputError(CareallocError):
    """Bad input: names where (file, line, field) and which rule was broken.

    The CLI prints ``str(error)`` and exits with code 2.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file if self.line is None else f"{self.file}:{self.line}")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class SolverUnavailableError(CareallocError):
    """A requested backend or solver binary is not installed."""


def from_validation_error(exc: object, file: str | None = None) -> InputError:
    """One clear ``InputError`` from a pydantic ``ValidationError``.

    Names the first failing field path and the rule; further errors are counted.
    """
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return InputError(str(exc), file=file)
    errors = exc.errors(include_url=False)
    first = errors[0]
    path = ".".join(str(part) for part in first.get("loc", ()))
    message = str(first.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem(s))"
    return InputError(message, file=file, field=path or None)
