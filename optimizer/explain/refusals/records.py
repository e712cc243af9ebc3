"""The record of a request the roster does not grant, and why."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, computed_field

from optimizer.model.common import Record

RefusalKind = Literal["away", "pinned", "rule", "cost", "improves"]


class RequestRefusal(Record):
    """One ungranted request and the one reason, checked in this order: ``away`` (an
    absence covers the wanted shift), ``pinned`` (pinned to something else that day),
    ``rule`` (granting it alone breaks a hard rule: the checker's message), ``cost``
    (granting it alone costs at least the request's weight) and ``improves`` (granting
    it alone would lower the penalty: the roster is not the best possible)."""

    staff: str
    name: str
    day: int
    shift: str | None = Field(description="the request's shift; None: any shift / the whole day")
    want: bool = Field(description="True: to work; False: not to work")
    weight: int = Field(description="what not granting it costs")
    kind: RefusalKind
    rule: str | None = Field(default=None, description="kind rule only: the checker's rule")
    cost_change: int | None = Field(
        default=None,
        description="kind cost and improves: the full roster's objective with the request "
        "granted (that one change alone) minus the roster's own",
    )
    granting_shift: str | None = Field(
        default=None,
        description="the shift granting it puts them on (for 'any shift' the cheapest "
        "open one); None: off that day, or no shift is open",
    )
    request: str = Field(default="", description="what was asked: 'Sat 12 Dec off'")
    why: str = Field(default="", description="why it was not granted")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def message(self) -> str:
        """The planner's sentence: who asked for what, then why not."""
        return f"{self.name} asked for {self.request} (weight {self.weight}): {self.why}"
