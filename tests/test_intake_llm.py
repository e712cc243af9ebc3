"""LLM client against a scripted OpenAI-compatible server on 127.0.0.1: dialects, one re-ask,
fail closed on malformed JSON, schema violations, timeouts and HTTP errors; pseudonymisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llm_intake.intake import propose
from llm_intake.llm import (
    STRING_LIMITS,
    LLMClient,
    LLMConfig,
    LLMError,
    llm_schema,
    system_prompt,
)
from llm_intake.privacy import pseudonymise
from llm_intake.resolver import Resolver
from llm_intake.vocabulary import build_vocabulary
from optimizer.errors import InputError
from tests.test_intake_fixtures import TODAY, Step, fake_llm_server, small_ward

GOOD = json.dumps(
    {
        "requests": [
            {
                "kind": "unavailable",
                "staff": "s5",
                "from": "2026-12-10",
                "to": "2026-12-11",
                "shifts": None,
            }
        ],
        "unparsed": [],
    }
)
SCHEMA_VIOLATION = json.dumps(
    {
        "requests": [
            {
                "kind": "cover_change",
                "date": "2026-12-10",
                "shift": "N",
                "skill": None,
                "delta": 1,
                "set": 2,
            }
        ],
        "unparsed": [],
    }
)
MALFORMED = '{"requests": [{"kind": "unavailable", "staff": '


def config(base_url: str, **kw: object) -> LLMConfig:
    return LLMConfig(base_url=base_url, timeout=kw.pop("timeout", 2.0), **kw)  # type: ignore[arg-type]


def extract(base_url: str, text: str = "Ana is off Thu-Fri", **kw: object):  # type: ignore[no-untyped-def]
    vocab = build_vocabulary([small_ward()])
    client = LLMClient(config(base_url, **kw))
    return client, client.extract(text, vocab, TODAY)


def test_valid_answer_needs_one_call_and_sends_schema_temperature_zero() -> None:
    with fake_llm_server([Step(GOOD)]) as server:
        client, extraction = extract(server.base_url)
    assert client.calls == 1
    assert extraction.requests[0].staff == "s5"
    sent = server.received[0]
    assert sent["path"] == "/v1/chat/completions"
    body = sent["body"]
    assert body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == llm_schema(
        build_vocabulary([small_ward()])
    )
    assert "2026-12-09" in body["messages"][0]["content"]


@pytest.mark.parametrize("bad", [MALFORMED, SCHEMA_VIOLATION, "Sure! Here you go.", "[]"])
def test_one_reask_with_the_errors_then_success(bad: str) -> None:
    with fake_llm_server([Step(bad), Step(GOOD)]) as server:
        client, extraction = extract(server.base_url)
    assert client.calls == 2
    assert len(extraction.requests) == 1
    reask = server.received[1]["body"]["messages"]
    assert reask[-2] == {"role": "assistant", "content": bad}
    assert reask[-1]["role"] == "user"
    assert "Your answer" in reask[-1]["content"]


def test_reask_quotes_the_validation_error() -> None:
    with fake_llm_server([Step(SCHEMA_VIOLATION), Step(GOOD)]) as server:
        extract(server.base_url)
    assert (
        "exactly one of 'delta' and 'set'" in server.received[1]["body"]["messages"][-1]["content"]
    )


@pytest.mark.parametrize("second", [MALFORMED, SCHEMA_VIOLATION])
def test_fails_closed_after_the_second_invalid_answer(second: str) -> None:
    with (
        fake_llm_server([Step(MALFORMED), Step(second), Step(GOOD)]) as server,
        pytest.raises(LLMError, match="invalid twice"),
    ):
        extract(server.base_url)
    assert len(server.received) == 2  # never a third call


@pytest.mark.parametrize("status", [400, 401, 429, 500, 503])
def test_http_errors_fail_closed_without_retry(status: int) -> None:
    with (
        fake_llm_server([Step(status=status), Step(GOOD)]) as server,
        pytest.raises(LLMError, match=f"HTTP {status}"),
    ):
        extract(server.base_url)
    assert len(server.received) == 1


def test_timeout_fails_closed() -> None:
    with (
        fake_llm_server([Step(GOOD, delay=1.0)]) as server,
        pytest.raises(LLMError, match=r"did not answer within 0\.3 s"),
    ):
        extract(server.base_url, timeout=0.3)


def test_reply_that_is_not_a_chat_completion_fails_closed() -> None:
    with (
        fake_llm_server([Step(body=b"<html>gateway</html>")]) as server,
        pytest.raises(LLMError, match="not an OpenAI chat completion"),
    ):
        extract(server.base_url)


def test_unreachable_server_fails_closed() -> None:
    with fake_llm_server([]) as server:
        url = server.base_url
    with pytest.raises(LLMError, match="cannot reach"):
        extract(url)


@pytest.mark.parametrize(
    ("dialect", "has_format", "schema_in_prompt"),
    [
        ("json_schema", "json_schema", False),
        ("json_object", "json_object", True),
        ("prompt", None, True),
    ],
)
def test_dialects(dialect: str, has_format: str | None, schema_in_prompt: bool) -> None:
    fenced = f"Here it is:\n```json\n{GOOD}\n```"
    with fake_llm_server([Step(fenced)]) as server:
        _, extraction = extract(server.base_url, dialect=dialect)
    body = server.received[0]["body"]
    assert (body.get("response_format") or {}).get("type") == has_format
    assert ("JSON schema" in body["messages"][0]["content"]) == schema_in_prompt
    assert extraction.requests[0].staff == "s5"


def test_llm_schema_is_strict_friendly_and_closed_over_the_vocabulary() -> None:
    text = json.dumps(llm_schema())
    assert "oneOf" not in text and "discriminator" not in text and '"default"' not in text
    schema = llm_schema(build_vocabulary([small_ward()]))
    unavailable = schema["$defs"]["Unavailable"]
    # a ward alone has no case staff: no times of day (a small grammar-bound model fills them)
    assert set(unavailable["required"]) == {"kind", "staff", "from", "to", "shifts"}
    assert not {"from_time", "to_time"} & set(unavailable["properties"])
    generic = llm_schema()["$defs"]["Unavailable"]["required"]
    assert {"from_time", "to_time"} <= set(generic)
    unparsed = schema["$defs"]["Unparsed"]["properties"]
    procedure = schema["$defs"]["AddCase"]["properties"]["procedure"]
    limits = (
        unparsed["text"]["maxLength"],
        unparsed["reason"]["maxLength"],
        procedure["maxLength"],
    )
    assert limits == (STRING_LIMITS["text"], STRING_LIMITS["reason"], STRING_LIMITS["procedure"])
    ward_prompt = system_prompt(build_vocabulary([small_ward()]), TODAY, "json_schema", False)
    assert "from_time" not in ward_prompt
    assert unavailable["properties"]["staff"]["enum"] == ["s1", "s2", "s3", "s4", "s5"]
    shifts = unavailable["properties"]["shifts"]["anyOf"][0]
    assert (shifts["items"]["enum"], shifts["maxItems"]) == (["E", "L", "N"], 3)
    private = llm_schema(build_vocabulary([small_ward()]), ["Person 1", "Person 2"])
    assert private["$defs"]["PinShift"]["properties"]["staff"]["enum"] == ["Person 1", "Person 2"]


def test_config_is_off_without_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAREALLOC_LLM_BASE_URL", raising=False)
    with pytest.raises(InputError, match="LLM parser is off"):
        LLMConfig.from_env(None)
    with pytest.raises(InputError, match="unknown LLM dialect"):
        LLMConfig.from_env("http://127.0.0.1:1", dialect="xml")
    monkeypatch.setenv("CAREALLOC_LLM_BASE_URL", "http://127.0.0.1:9/")
    assert LLMConfig.from_env(None).base_url == "http://127.0.0.1:9"


def test_propose_resolves_names_and_words_from_the_llm() -> None:
    answer = json.dumps(
        {
            "requests": [
                {"kind": "pin", "staff": "Ana Silva", "date": "2026-12-10", "shift": "nights"},
                {
                    "kind": "shift_request",
                    "staff": "Patel",
                    "date": "2026-12-11",
                    "shift": None,
                    "want": False,
                },
                {
                    "kind": "unavailable",
                    "staff": "s3",
                    "from": "2027-02-01",
                    "to": "2027-02-02",
                    "shifts": None,
                },
            ],
            "unparsed": [{"text": "lunch?", "reason": "not a request"}],
        }
    )
    with fake_llm_server([Step(answer)]) as server:
        text = "Ana Silva on nights Thursday; Patel wants Friday off; s3 is off 1-2 Feb. Lunch?"
        proposal = propose(text, [small_ward()], TODAY, "llm", config(server.base_url))
    out = proposal.to_json()
    assert out["requests"] == [{"kind": "pin", "staff": "s5", "date": "2026-12-10", "shift": "N"}]
    reasons = " ".join(u["reason"] for u in out["unparsed"])
    assert "could be Priya Patel (s1) or Raj Patel (s2)" in reasons  # ambiguous: asked, not guessed
    assert "outside the plan" in reasons
    assert "not a request" in reasons


def test_pseudonymisation_keeps_names_on_the_machine_and_maps_back() -> None:
    text = "Ana Silva is off tomorrow; Patel wants Friday off; Sam Lee too."
    resolver = Resolver(build_vocabulary([small_ward()]))
    sent, table = pseudonymise(text, resolver)
    for name in ("Ana", "Silva", "Patel", "Sam", "Lee"):
        assert name not in sent
    answer = json.dumps(
        {
            "requests": [
                {
                    "kind": "unavailable",
                    "staff": table.label(("s5",)),
                    "from": "2026-12-10",
                    "to": "2026-12-10",
                    "shifts": None,
                },
                {
                    "kind": "shift_request",
                    "staff": table.label(("s1", "s2")),
                    "date": "2026-12-11",
                    "shift": None,
                    "want": False,
                },
            ],
            "unparsed": [],
        }
    )
    with fake_llm_server([Step(answer)]) as server:
        proposal = propose(
            text, [small_ward()], TODAY, "llm", config(server.base_url, pseudonymise=True)
        )
    prompt = json.dumps(server.received[0]["body"]["messages"])
    for name in ("Ana", "Silva", "Patel", "Priya", "Raj"):
        assert name not in prompt
    assert [r.staff for r in proposal.requests] == ["s5"]  # type: ignore[union-attr]
    assert "Priya Patel (s1) or Raj Patel (s2)" in proposal.unparsed[0].reason


def test_corpus_evaluation_of_the_llm_path(tmp_path: Path) -> None:
    """The evaluation command scores an LLM server: here one that answers one message right
    and reads an absence into the other, which asks for none (a pick between the two
    Patels would be refused by the grounding checks, so the wrong person is a named one)."""
    from llm_intake.evaluate import evaluate
    from optimizer.io.project import save_project

    save_project(small_ward(), tmp_path / "ward.json")
    right = {
        "kind": "shift_request",
        "staff": "s3",
        "date": "2026-12-11",
        "shift": None,
        "want": False,
    }
    entries = [
        {
            "id": "a",
            "text": "Sam Lee wants Friday off",
            "today": "2026-12-09",
            "problems": ["ward.json"],
            "expected": [right],
            "tags": [],
        },
        {
            "id": "b",
            "text": "Priya Patel phoned about tomorrow",
            "today": "2026-12-09",
            "problems": ["ward.json"],
            "expected": [],
            "tags": ["out_of_scope"],
        },
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(e) for e in entries) + "\n", encoding="utf-8")
    wrong = {
        "kind": "unavailable",
        "staff": "s1",
        "from": "2026-12-10",
        "to": "2026-12-10",
        "shifts": None,
    }
    script = [
        Step(json.dumps({"requests": [right], "unparsed": []})),
        Step(json.dumps({"requests": [wrong], "unparsed": []})),
    ]
    with fake_llm_server(script) as server:
        scores = evaluate(corpus, "llm", config(server.base_url))
    assert scores.messages == 2
    assert scores.recall() == 1.0
    assert scores.precision() == 5 / 10  # 5 right fields, 5 fields of the wrong request
    assert scores.wrong_person == 1
