"""The change requests free text turns into (the JSON contract of ``carealloc intake``).

Every request is a frozen pydantic record with a ``kind`` discriminator. Ids are
the loaded problems' own ids; dates are ``YYYY-MM-DD``. Serialise with
``request_to_json`` (field names ``from`` and ``set`` are Python keywords, so the
models hold them as ``from_`` / ``set_`` with aliases).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    TypeAdapter,
    WithJsonSchema,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from llm_intake.refusals import RefusalKind


class _Request(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, str_strip_whitespace=True
    )


AbsenceReason = Literal["sickness", "annual leave", "study leave", "training", "leave"]
"""Why someone is away, as the rule parser read it (stored as ``Unavailability.reason``)."""

HH_MM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
"""A time of day as the LLM schema asks for it ("14:00")."""


def _whole_minute(value: dt.time | None) -> dt.time | None:
    """A time of day in whole minutes with no time zone (``HH:MM``), or None."""
    if value is not None and (value.tzinfo is not None or value.second or value.microsecond):
        raise ValueError(f"a time of day is HH:MM, not '{value.isoformat()}'")
    return value


ClockTime = Annotated[
    dt.time | None,
    AfterValidator(_whole_minute),
    PlainSerializer(lambda time: f"{time:%H:%M}", when_used="json-unless-none"),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": HH_MM}, {"type": "null"}]}),
]
"""An optional time of day: ``HH:MM`` in JSON and, nullable, in the JSON schema."""


class Unavailable(_Request):
    """Hard: ``staff`` works none of ``shifts`` (all shifts if None) from ``from`` to ``to``.

    Case-scheduling staff only: ``from_time`` / ``to_time`` cut the absence to part of a
    day (from ``from`` at ``from_time``, midnight if None, to ``to`` at ``to_time``, the
    day's end if None); shift-rostered staff name shifts instead.
    """

    kind: Literal["unavailable"] = "unavailable"
    staff: str = Field(min_length=1)
    from_: dt.date = Field(alias="from")
    to: dt.date
    shifts: list[str] | None = None
    # case staff only (the resolver refuses them for ward staff; the grounding checks a
    # model's against the text); left out of the dump when null
    from_time: ClockTime = None
    to_time: ClockTime = None
    # a label only: left out of the JSON contract and the LLM schema; requests that differ
    # only in it ask for the same change (equal, same hash)
    reason: SkipJsonSchema[AbsenceReason | None] = Field(default=None, exclude=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Unavailable):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    def __hash__(self) -> int:
        return hash(self.model_dump_json())

    @model_serializer(mode="wrap")
    def _without_null_times(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The dump without ``from_time`` / ``to_time`` when null (whole days or shifts)."""
        data: dict[str, Any] = handler(self)
        for key in ("from_time", "to_time"):
            if data.get(key, 0) is None:
                del data[key]
        return data

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.to < self.from_:
            raise ValueError(f"'to' {self.to} is before 'from' {self.from_}")
        if self.shifts is not None and not self.shifts:
            raise ValueError("'shifts' must be null (all shifts) or name at least one shift")
        timed = self.from_time is not None or self.to_time is not None
        if timed and self.shifts is not None:
            raise ValueError("give either 'shifts' or 'from_time'/'to_time', not both")
        first, last = self.from_time, self.to_time
        if self.from_ == self.to and first is not None and last is not None and last <= first:
            raise ValueError(f"'to_time' {last:%H:%M} is not after 'from_time' {first:%H:%M}")
        return self


class ShiftWish(_Request):
    """Soft: ``staff`` wants (``want``) or does not want a shift on ``date`` (any shift if None)."""

    kind: Literal["shift_request"] = "shift_request"
    staff: str = Field(min_length=1)
    date: dt.date
    shift: str | None = None
    want: bool


class CoverChange(_Request):
    """Change the cover of (date, shift, skill): by ``delta`` or to ``set`` (exactly one)."""

    kind: Literal["cover_change"] = "cover_change"
    date: dt.date
    shift: str = Field(min_length=1)
    skill: str | None = None
    delta: int | None = None
    set_: int | None = Field(default=None, alias="set", ge=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.delta is None) == (self.set_ is None):
            raise ValueError("a cover change needs exactly one of 'delta' and 'set'")
        if self.delta == 0:
            raise ValueError("'delta' must not be 0")
        return self


class AddCase(_Request):
    """A new case to schedule."""

    kind: Literal["add_case"] = "add_case"
    procedure: str = Field(min_length=1)
    duration_min: int = Field(gt=0, le=24 * 60)
    surgeon: str | None = None
    room: str | None = None
    date: dt.date | None = None
    part_of_day: Literal["morning", "afternoon"] | None = None
    roles: dict[str, int] = Field(default_factory=dict)
    priority: Literal["elective", "urgent", "emergency"] = "elective"

    @model_validator(mode="after")
    def _positive_roles(self) -> Self:
        for role, count in self.roles.items():
            if count < 1:
                raise ValueError(f"role '{role}' needs a count of at least 1, got {count}")
        return self


class PinShift(_Request):
    """Hard: ``staff`` works ``shift`` on ``date``."""

    kind: Literal["pin"] = "pin"
    staff: str = Field(min_length=1)
    date: dt.date
    shift: str = Field(min_length=1)


class CancelCase(_Request):
    """A case of the case schedule that will not happen (``case``: its id).

    Applied like the re-plan's ``optimizer.replan.CancelCase``: the case leaves the
    problem with its pins and precedences (and the baseline schedule)."""

    kind: Literal["cancel_case"] = "cancel_case"
    case: str = Field(min_length=1)


AnyRequest = Unavailable | ShiftWish | CoverChange | AddCase | PinShift | CancelCase
"""The request models (``Request`` is their discriminated union)."""

Request = Annotated[AnyRequest, Field(discriminator="kind")]
"""One change request (a discriminated union on ``kind``)."""

REQUEST_KINDS = ("unavailable", "shift_request", "cover_change", "add_case", "pin", "cancel_case")

_REQUEST_ADAPTER: TypeAdapter[Any] = TypeAdapter(Request)


class Unparsed(_Request):
    """A piece of text that did not become a request, and why."""

    text: str
    reason: str
    # the rule parser's kind of refusal (None for the model's own and the grounding's);
    # left out of the JSON contract and the LLM schema
    kind: SkipJsonSchema[RefusalKind | None] = Field(default=None, exclude=True)


class Extraction(_Request):
    """What a parser returns before resolution: requests plus what it could not use."""

    requests: list[Request] = Field(default_factory=list)
    unparsed: list[Unparsed] = Field(default_factory=list)


def parse_request(data: Any) -> AnyRequest:
    """Validate one request dict (raises ``pydantic.ValidationError``)."""
    result: AnyRequest = _REQUEST_ADAPTER.validate_python(data)
    return result


def request_to_json(request: BaseModel) -> dict[str, Any]:
    """The contract's JSON object for one request (aliases, ISO dates, nulls kept but
    for an absence's null ``from_time`` / ``to_time``)."""
    data: dict[str, Any] = request.model_dump(mode="json", by_alias=True)
    return data


def extraction_schema() -> dict[str, Any]:
    """JSON schema of ``Extraction`` as sent to an LLM (``response_format``)."""
    schema: dict[str, Any] = Extraction.model_json_schema(by_alias=True, mode="validation")
    return schema
