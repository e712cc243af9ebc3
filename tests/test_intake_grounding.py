"""The LLM path refuses a request for someone the text does not name (a hallucinated or
guessed person), against the scripted OpenAI-compatible server; named people still pass."""

from __future__ import annotations

import json
from typing import Any

import pytest

from llm_intake.intake import propose
from llm_intake.llm import LLMConfig
from llm_intake.privacy import pseudonymise
from llm_intake.proposal import Proposal
from llm_intake.resolver import Resolver
from llm_intake.vocabulary import build_vocabulary
from tests.test_intake_fixtures import TODAY, Step, fake_llm_server, small_theatres, small_ward


def _absence(staff: str) -> dict[str, Any]:
    """The model's answer: ``staff`` unavailable tomorrow (Thu 10 Dec)."""
    return {
        "kind": "unavailable",
        "staff": staff,
        "from": "2026-12-10",
        "to": "2026-12-10",
        "shifts": None,
    }


def _ask(text: str, requests: list[dict[str, Any]], **config: Any) -> Proposal:
    answer = json.dumps({"requests": requests, "unparsed": []})
    problems: list[Any] = [small_ward(), small_theatres()]
    with fake_llm_server([Step(answer)]) as server:
        llm = LLMConfig(base_url=server.base_url, timeout=5, **config)
        return propose(text, problems, TODAY, "llm", llm)


def test_a_person_the_text_does_not_name_is_refused_with_name_and_text() -> None:
    text = "Ana Silva is off sick tomorrow"
    proposal = _ask(text, [_absence("s3")])  # the model picked Sam Lee
    assert proposal.requests == []
    [refusal] = proposal.unparsed
    assert refusal.text == text
    assert "Sam Lee (s3) is not named in the text" in refusal.reason
    assert "'Sam Lee unavailable Thu 10 Dec'" in refusal.reason
    assert "Sam Lee (s3) is not named" in proposal.summary


@pytest.mark.parametrize(
    ("text", "staff"),
    [
        ("Sam Lee is off sick tomorrow", "s3"),  # full name
        ("Lee is off sick tomorrow", "s3"),  # surname
        ("sam lee is off sick tomorrow", "s3"),  # lower case
        ("Ana Slva is off sick tomorrow", "s5"),  # misspelt, one person fits
        ("S3 is off sick tomorrow", "s3"),  # the id
    ],
)
def test_a_person_the_text_names_in_any_accepted_form_passes(text: str, staff: str) -> None:
    proposal = _ask(text, [_absence(staff)])
    assert [r.model_dump(by_alias=True)["staff"] for r in proposal.requests] == [staff]
    assert proposal.unparsed == []


def test_only_the_unnamed_request_of_two_is_refused() -> None:
    proposal = _ask("Ana Silva is off tomorrow", [_absence("s5"), _absence("s1")])
    assert [r.model_dump(by_alias=True)["staff"] for r in proposal.requests] == ["s5"]
    assert len(proposal.unparsed) == 1
    assert "Priya Patel (s1) is not named" in proposal.unparsed[0].reason


def test_a_surgeon_the_text_does_not_name_is_refused() -> None:
    case = {
        "kind": "add_case",
        "procedure": "hernia repair",
        "duration_min": 60,
        "surgeon": "d2",
        "room": "OR1",
        "date": "2026-12-10",
        "part_of_day": None,
        "roles": {},
        "priority": "elective",
    }
    named = _ask("Add a 60 min hernia repair for Mr Haddad in OR1 tomorrow", [case])
    assert len(named.requests) == 1 and named.unparsed == []
    unnamed = _ask("Add a 60 min hernia repair for Ms Ward in OR1 tomorrow", [case])
    assert unnamed.requests == []
    assert "Omar Haddad (d2) is not named in the text" in unnamed.unparsed[0].reason


def test_a_pseudonym_of_someone_the_text_does_not_name_is_refused() -> None:
    text = "Ana Silva is off tomorrow"
    resolver = Resolver(build_vocabulary([small_ward(), small_theatres()]))
    _, table = pseudonymise(text, resolver)
    requests = [_absence(table.label(("s5",))), _absence(table.label(("s3",)))]
    proposal = _ask(text, requests, pseudonymise=True)
    assert [r.model_dump(by_alias=True)["staff"] for r in proposal.requests] == ["s5"]
    assert "Sam Lee (s3) is not named in the text" in proposal.unparsed[0].reason
