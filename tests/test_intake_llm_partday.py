"""The LLM path returns part-day absences of case staff (``from_time`` / ``to_time``), scripted
on the fake OpenAI-compatible server: a time the sentence gives is applied as that window; a
time it does not give, a whole day where it gives part of one, or a time for ward staff is
refused. Demo hospital, today Mon 7 Dec 2026 (Tuesday is 8 Dec, day 1 of the case week)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from llm_intake.apply import apply_requests
from llm_intake.intake import propose
from llm_intake.llm import LLMConfig, llm_schema, system_prompt
from llm_intake.proposal import Proposal
from llm_intake.requests import Unavailable, request_to_json
from llm_intake.vocabulary import build_vocabulary
from optimizer.model.cases import Absence
from tests.test_intake_edge_cases import demo_surgery, demo_ward
from tests.test_intake_fixtures import Step, fake_llm_server

MONDAY = dt.date(2026, 12, 7)
TUESDAY = dt.date(2026, 12, 8)
DAY = 24 * 60
WHOLE_TUESDAY = {
    "kind": "unavailable",
    "staff": "GYN1",
    "from": "2026-12-08",
    "to": "2026-12-08",
    "shifts": None,
}
"""The JSON of Ms Rachel Bennett's whole Tuesday away (no null times)."""


@pytest.fixture(scope="module")
def demo() -> list[Any]:
    """The demo ward (Priya Patel is N06) and theatres (Ms Rachel Bennett is GYN1)."""
    return [demo_ward(), demo_surgery()]


def _absence(staff: str, first: str | None = None, last: str | None = None) -> dict[str, Any]:
    """The model's answer: ``staff`` away on Tuesday, from ``first`` until ``last``."""
    day = TUESDAY.isoformat()
    return {
        "kind": "unavailable",
        "staff": staff,
        "from": day,
        "to": day,
        "shifts": None,
        "from_time": first,
        "to_time": last,
    }


def _ask(text: str, answer: dict[str, Any], demo: list[Any]) -> tuple[Proposal, dict[str, Any]]:
    """The proposal from the scripted answer, and the body the server received."""
    reply = json.dumps({"requests": [answer], "unparsed": []})
    with fake_llm_server([Step(reply)]) as server:
        llm = LLMConfig(base_url=server.base_url, timeout=5)
        proposal = propose(text, demo, MONDAY, "llm", llm)
    return proposal, server.received[0]["body"]


# -- (a) a part of a day the sentence gives is applied as that window ----------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "start", "end"),
    [
        ("Ms Rachel Bennett is off sick Tuesday afternoon", "12:00", None, 12 * 60, DAY),
        ("Ms Rachel Bennett is off sick Tuesday morning", None, "13:00", 0, 13 * 60),
        ("Rachel Bennett is off sick from 2pm on Tuesday", "14:00", None, 14 * 60, DAY),
        ("Rachel Bennett is off sick Tuesday from 10am until 2.30pm", "10:00", "14:30", 600, 870),
    ],
)
def test_a_grounded_part_day_absence_is_applied_as_that_window(
    text: str, first: str | None, last: str | None, start: int, end: int, demo: list[Any]
) -> None:
    proposal, _ = _ask(text, _absence("GYN1", first, last), demo)
    assert proposal.unparsed == []
    [request] = proposal.requests
    times = {"from_time": first, "to_time": last}
    assert request_to_json(request) == WHOLE_TUESDAY | {k: v for k, v in times.items() if v}
    applied = apply_requests(demo[1], list(proposal.requests))
    away = Absence(start=DAY + start, end=DAY + end, reason="sickness")  # Tuesday is day 1
    assert applied.problem.person("GYN1").unavailable[-1] == away


# -- (b) a time the sentence does not give is refused ----------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "reason"),
    [
        (  # a clock time that is not in the text
            "Rachel Bennett is unavailable from 2pm on Tuesday",
            "09:00",
            None,
            "the text does not give from 09:00 (it gives only '2pm' as from 14:00)",
        ),
        (  # the text's time, the wrong way round ("until 2pm" for "from 2pm")
            "Rachel Bennett is unavailable from 2pm on Tuesday",
            None,
            "14:00",
            "the text does not give until 14:00 (it gives only '2pm' as from 14:00)",
        ),
        (  # "afternoon" starts at 12:00, as the rule parser reads it
            "Ms Rachel Bennett is off sick Tuesday afternoon",
            "13:00",
            None,
            "the text does not give from 13:00 (it gives only 'afternoon' as from 12:00)",
        ),
        (  # no time of day at all
            "Rachel Bennett is off on Tuesday",
            "12:00",
            None,
            "the text does not give from 12:00 (it gives no time of day)",
        ),
    ],
)
def test_a_time_the_sentence_does_not_give_is_refused(
    text: str, first: str | None, last: str | None, reason: str, demo: list[Any]
) -> None:
    proposal, _ = _ask(text, _absence("GYN1", first, last), demo)
    assert proposal.requests == []
    [refusal] = proposal.unparsed
    assert refusal.text == text
    assert refusal.reason.startswith("the language model proposed 'Ms Rachel Bennett unavailable")
    assert reason in refusal.reason
    assert refusal.reason.endswith("nothing is proposed from it, say the time again")


def test_a_whole_day_for_part_of_one_is_refused_naming_the_rule_parsers_reading(
    demo: list[Any],
) -> None:
    text = "Ms Rachel Bennett is off sick Tuesday afternoon"
    proposal, _ = _ask(text, _absence("GYN1"), demo)
    assert proposal.requests == []
    [refusal] = proposal.unparsed
    assert "the rule parser reads this as 'Ms Rachel Bennett unavailable Tue 8 Dec from 12:00'" in (
        refusal.reason
    )


def test_a_narrower_reading_than_the_sentences_time_span_is_refused(demo: list[Any]) -> None:
    text = "Rachel Bennett is away Tuesday from 10am until 2pm"
    proposal, _ = _ask(text, _absence("GYN1", "10:00"), demo)  # to_time left out
    assert proposal.requests == []
    assert "from 10:00 until 14:00'" in proposal.unparsed[0].reason


# -- (c) times on a ward absence -------------------------------------------------------------


def test_times_for_ward_staff_are_refused(demo: list[Any]) -> None:
    proposal, _ = _ask("Priya Patel is off sick Tuesday afternoon", _absence("N06", "12:00"), demo)
    assert proposal.requests == []
    [refusal] = proposal.unparsed
    assert refusal.reason == "a ward absence is on whole days or shifts; which shift?"
    assert json.loads(refusal.text)["from_time"] == "12:00"


# -- (d) the schema and the prompt ----------------------------------------------------------


def test_the_schema_and_prompt_offer_the_times_and_the_dump_leaves_out_null_ones(
    demo: list[Any],
) -> None:
    vocab = build_vocabulary(demo)
    unavailable = llm_schema(vocab)["$defs"]["Unavailable"]
    assert {"from_time", "to_time"} <= set(unavailable["required"])
    for key in ("from_time", "to_time"):
        text, null = unavailable["properties"][key]["anyOf"]
        assert null == {"type": "null"} and "maxLength" not in text
        assert re.fullmatch(text["pattern"], "14:30")
        assert not re.search(text["pattern"], "14:30:00") and not re.search(text["pattern"], "2pm")
    prompt = system_prompt(vocab, MONDAY, "json_schema", private=False)
    assert "from_time/to_time (HH:MM): only for case-scheduling staff" in prompt
    proposal, body = _ask("Rachel Bennett is off on Tuesday", _absence("GYN1"), demo)
    sent = body["response_format"]["json_schema"]["schema"]["$defs"]["Unavailable"]
    assert "from_time" in sent["properties"]
    assert request_to_json(proposal.requests[0]) == WHOLE_TUESDAY  # no null times


def test_a_mixed_hospitals_prompt_says_who_is_theatre_staff(demo: list[Any]) -> None:
    mixed = system_prompt(build_vocabulary(demo), MONDAY, "json_schema", private=False)
    assert "GYN1 = Ms Rachel Bennett (theatre)" in mixed
    assert "N06 = Priya Patel;" in mixed  # ward staff unmarked
    assert "null for whole days and for ward staff." in mixed
    theatres = system_prompt(build_vocabulary([demo[1]]), MONDAY, "json_schema", private=False)
    assert "(theatre)" not in theatres and "null for whole days." in theatres
    private = system_prompt(build_vocabulary(demo), MONDAY, "json_schema", private=True)
    assert "(theatre)" not in private and "marked theatre" not in private


def test_a_time_with_seconds_or_a_time_zone_is_invalid() -> None:
    base = {"staff": "GYN1", "from": TUESDAY, "to": TUESDAY}
    assert Unavailable.model_validate({**base, "from_time": "14:00:00"}).from_time == dt.time(14)
    for bad in ("14:00:30", "14:00Z"):
        with pytest.raises(ValueError, match="a time of day is HH:MM"):
            Unavailable.model_validate({**base, "from_time": bad})
