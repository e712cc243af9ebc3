"""Resolver and LLM-path fixes: "am" as a word, not a shift; absences of case staff through the
LLM (schema and names fitting both problems); one timeout for the whole answer; labels restored
whole."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from llm_intake.evaluate import DEFAULT_CORPUS
from llm_intake.intake import propose
from llm_intake.llm import LLMClient, LLMConfig, LLMError, llm_schema
from llm_intake.privacy import Pseudonyms, restore
from llm_intake.requests import PinShift, Unavailable
from llm_intake.resolver import Resolver, Unresolved, resolve_request
from llm_intake.rules import RuleParser
from llm_intake.vocabulary import build_vocabulary
from optimizer.io.project import load_project
from tests.test_intake_fixtures import (
    TODAY,
    Step,
    chat_reply,
    fake_llm_server,
    small_theatres,
    small_ward,
)

GOOD = json.dumps({"requests": [], "unparsed": []})
DEC_8 = dt.date(2026, 12, 8)


@pytest.fixture(scope="module")
def demo() -> list[Any]:
    """The demo ward and surgery: Grace Okafor (N02) is a nurse, Mr Daniel Okafor (GS1) a
    surgeon, Daniel Byrne (N14) a nurse, Ms Helen Marsh (GS2) a surgeon, Helen Murray (N04) a
    nurse; Ana Silva is on both lists (N01, SN01)."""
    data = DEFAULT_CORPUS.parent.parent
    return [load_project(data / "demo_ward.json"), load_project(data / "demo_surgery.json")]


def one_request(text: str) -> Any:
    extraction = RuleParser(Resolver(build_vocabulary([small_ward()])), TODAY).parse(text)
    assert len(extraction.requests) == 1, extraction
    return extraction.requests[0]


# -- #3: "am" is a shift only where it names one ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I am afraid Ana Silva is off sick tomorrow",
        "Ana Silva is off sick tomorrow, I am told",
        "Ana Silva rang at 7 am, she is off sick tomorrow",
        "Ana Silva rang at 7am, she is off sick tomorrow",
        "Ana Silva rang at seven pm, she is off sick tomorrow",
        "Ana Silva rang at 6 AM: off sick tomorrow",
        "Am I right that Ana Silva is off sick tomorrow?",
    ],
)
def test_am_as_verb_or_clock_time_keeps_the_absence_whole_day(text: str) -> None:
    request = one_request(text)
    assert isinstance(request, Unavailable)
    assert (request.staff, request.from_, request.shifts) == ("s5", dt.date(2026, 12, 10), None)


@pytest.mark.parametrize(
    ("text", "shift"),
    [
        ("Ana Silva cannot do the AM shift tomorrow", "E"),
        ("Ana Silva cannot do AM tomorrow", "E"),
        ("Ana Silva cannot do the am tomorrow", "E"),
        ("Ana Silva can't work the am shift tomorrow", "E"),
        ("Ana Silva is off tomorrow am", "E"),
        ("Ana Silva is off Thursday pm", "L"),
        ("Ana Silva cannot work mornings tomorrow", "E"),
    ],
)
def test_am_and_pm_naming_a_shift_still_limit_the_absence(text: str, shift: str) -> None:
    request = one_request(text)
    assert isinstance(request, Unavailable)
    assert (request.staff, request.from_, request.shifts) == ("s5", dt.date(2026, 12, 10), [shift])


def test_pm_shift_pin_still_reads_the_shift() -> None:
    request = one_request("Put Ana Silva on the pm tomorrow")
    assert isinstance(request, PinShift)
    assert (request.staff, request.shift) == ("s5", "L")


# -- #7: absences of case staff on the LLM path ---------------------------------------------------


def test_schema_lets_anyone_be_absent_but_pins_only_ward_staff() -> None:
    defs = llm_schema(build_vocabulary([small_ward(), small_theatres()]))["$defs"]
    absent = defs["Unavailable"]["properties"]["staff"]["enum"]
    assert {"s1", "s5", "d1", "n1"} <= set(absent)
    for model in ("PinShift", "ShiftWish"):
        staff = defs[model]["properties"]["staff"]["enum"]
        assert "s5" in staff and "d1" not in staff, model


def test_pseudonym_labels_stay_the_allowed_staff_values() -> None:
    defs = llm_schema(build_vocabulary([small_ward(), small_theatres()]), ["Person 1"])["$defs"]
    for model in ("Unavailable", "PinShift"):
        assert defs[model]["properties"]["staff"]["enum"] == ["Person 1"]


@pytest.mark.parametrize(
    ("name", "asked"),
    [
        ("Mr Okafor", ("N02", "GS1")),
        ("Okafor", ("N02", "GS1")),
        ("Daniel", ("N14", "GS1")),
        ("Helen", ("N04", "GS2")),
    ],
)
def test_absence_of_a_name_in_both_problems_is_asked_about(
    demo: list[Any], name: str, asked: tuple[str, str]
) -> None:
    resolver = Resolver(build_vocabulary(demo))
    with pytest.raises(Unresolved, match="which one") as info:
        resolve_request(Unavailable(staff=name, from_=DEC_8, to=DEC_8), resolver)
    for person_id in asked:
        assert f"({person_id})" in str(info.value)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Daniel Okafor", "GS1"),
        ("Mr Daniel Okafor", "GS1"),
        ("GS1", "GS1"),
        ("Grace Okafor", "N02"),
        ("Ana Silva", "N01"),  # a ward member's full name stays theirs, as in the rule parser
        ("SN01", "SN01"),
    ],
)
def test_absence_of_a_name_that_fits_one_person(demo: list[Any], name: str, expected: str) -> None:
    resolver = Resolver(build_vocabulary(demo))
    request = resolve_request(Unavailable(staff=name, from_=DEC_8, to=DEC_8), resolver)
    assert request.staff == expected  # type: ignore[union-attr]


def test_a_surgeon_cannot_be_pinned_to_a_ward_shift(demo: list[Any]) -> None:
    resolver = Resolver(build_vocabulary(demo))
    with pytest.raises(Unresolved, match="not on the ward"):
        resolve_request(PinShift(staff="GS1", date=DEC_8, shift="E"), resolver)


def test_a_pseudonym_for_both_lists_keeps_only_ward_staff_for_a_pin(demo: list[Any]) -> None:
    resolver = Resolver(build_vocabulary(demo))
    aliases: dict[str, tuple[str, ...]] = {
        "Person 77": ("N01", "SN01")
    }  # "Ana Silva": on the ward and a scrub nurse
    pin = PinShift(staff="Person 77", date=DEC_8, shift="E")
    assert resolve_request(pin, resolver, aliases).staff == "N01"  # type: ignore[union-attr]
    absence = Unavailable(staff="Person 77", from_=DEC_8, to=DEC_8)
    with pytest.raises(Unresolved, match="which one"):
        resolve_request(absence, resolver, aliases)


def test_llm_answer_naming_mr_okafor_is_asked_about_and_so_is_the_models_pick_of_an_id(
    demo: list[Any],
) -> None:
    """ "Mr Okafor" fits the nurse and the surgeon: the model's name is asked about, and so
    is its pick of the surgeon's id (the text does not say which one)."""

    def absence(staff: str) -> dict[str, Any]:
        return {"kind": "unavailable", "staff": staff, "from": "2026-12-08", "to": "2026-12-08"}

    answer = json.dumps({"requests": [absence("Mr Okafor"), absence("GS1")], "unparsed": []})
    with fake_llm_server([Step(answer)]) as server:
        config = LLMConfig(base_url=server.base_url, timeout=5.0)
        proposal = propose("Mr Okafor is off on Tuesday", demo, TODAY, "llm", config)
    assert proposal.requests == []
    assert len(proposal.unparsed) == 2
    for refusal in proposal.unparsed:
        assert "Grace Okafor (N02) or Mr Daniel Okafor (GS1)" in refusal.reason


# -- #12: one timeout for the whole answer ------------------------------------------------------


@contextmanager
def trickling_server(pause: float, max_seconds: float) -> Iterator[str]:
    """A server on 127.0.0.1 sending a valid reply one byte per ``pause`` (for ``max_seconds``
    at most, then the rest at once)."""
    data = json.dumps(chat_reply(GOOD)).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            started = time.monotonic()
            try:
                for i in range(len(data)):
                    if time.monotonic() - started > max_seconds:
                        self.wfile.write(data[i:])
                        return
                    self.wfile.write(data[i : i + 1])
                    self.wfile.flush()
                    time.sleep(pause)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client gave up

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_trickling_server_cannot_outlast_the_timeout() -> None:
    # one byte every 0.1 s keeps every read well inside 0.6 s, but the reply takes ~10 s
    with trickling_server(pause=0.1, max_seconds=6.0) as base_url:
        client = LLMClient(LLMConfig(base_url=base_url, timeout=0.6))
        vocab = build_vocabulary([small_ward()])
        started = time.monotonic()
        with pytest.raises(LLMError, match=r"did not answer within 0\.6 s"):
            client.extract("Ana is off tomorrow", vocab, TODAY)
        assert time.monotonic() - started < 2.0


def test_the_reask_shares_the_timeout_of_the_first_call() -> None:
    # each answer alone fits in 0.5 s, both together do not
    script = [Step("not json", delay=0.35), Step(GOOD, delay=0.35)]
    with fake_llm_server(script) as server:
        client = LLMClient(LLMConfig(base_url=server.base_url, timeout=0.5))
        vocab = build_vocabulary([small_ward()])
        with pytest.raises(LLMError, match=r"did not answer within 0\.5 s"):
            client.extract("Ana is off tomorrow", vocab, TODAY)
        assert client.calls == 2


def test_a_fast_server_still_answers_through_the_worker() -> None:
    with fake_llm_server([Step("not json"), Step(GOOD)]) as server:
        client = LLMClient(LLMConfig(base_url=server.base_url, timeout=5.0))
        extraction = client.extract("Ana is off tomorrow", build_vocabulary([small_ward()]), TODAY)
    assert client.calls == 2 and extraction.requests == []


# -- #13: labels are restored whole -------------------------------------------------------------


def test_restore_replaces_whole_labels_only(demo: list[Any]) -> None:
    resolver = Resolver(build_vocabulary(demo))
    table = Pseudonyms()
    for person in resolver.vocab.people:
        table.label((person.id,))
    assert table.aliases["Person 9"] == ("N09",)
    text = "no staff member called 'Person 99'; Person 9 and Person 10, not Person 1"
    assert restore(text, table, resolver) == (
        "no staff member called 'Person 99'; Fatima Hassan and Liam O'Connor, not Ana Silva"
    )


def test_unknown_label_from_the_llm_is_reported_as_written(demo: list[Any]) -> None:
    answer = json.dumps(
        {
            "requests": [
                {
                    "kind": "unavailable",
                    "staff": "Person 99",
                    "from": "2026-12-10",
                    "to": "2026-12-10",
                    "shifts": None,
                }
            ],
            "unparsed": [],
        }
    )
    with fake_llm_server([Step(answer)]) as server:
        config = LLMConfig(base_url=server.base_url, timeout=5.0, pseudonymise=True)
        proposal = propose("Fatima Hassan is off tomorrow", demo, TODAY, "llm", config)
    assert proposal.requests == []
    assert proposal.unparsed[0].reason == "no staff member called 'Person 99'"
