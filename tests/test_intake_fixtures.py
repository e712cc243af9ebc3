"""Shared intake test helpers (no tests): tiny problems and a scripted OpenAI-compatible server."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from optimizer.model.cases import CaseProblem, Room, StaffMember, Task
from optimizer.model.roster import CoverDemand, RosterProblem, ShiftType, Staff

START = dt.date(2026, 12, 7)  # a Monday
TODAY = dt.date(2026, 12, 9)  # Wednesday of the first week


def small_ward() -> RosterProblem:
    """5 nurses (two Patels), early/late/night, 14 days from Monday 7 Dec 2026."""
    return RosterProblem(
        name="fixture ward",
        start_date=START,
        num_days=14,
        shifts=(
            ShiftType(id="E", name="Early", start="07:00", length_minutes=480),
            ShiftType(id="L", name="Late", start="14:00", length_minutes=480),
            ShiftType(id="N", name="Night", start="21:30", length_minutes=600),
        ),
        staff=(
            Staff(id="s1", name="Priya Patel", grade="RN", skills=("RN", "charge")),
            Staff(id="s2", name="Raj Patel", grade="RN", skills=("RN",)),
            Staff(id="s3", name="Sam Lee", grade="RN", skills=("RN",)),
            Staff(id="s4", name="Samuel Okoro", grade="HCA", skills=("HCA",)),
            Staff(id="s5", name="Ana Silva", grade="RN", skills=("RN", "IV")),
        ),
        cover=(CoverDemand(day=4, shift="N", skill="RN", required=2),),
    )


def small_theatres() -> CaseProblem:
    """Two theatres, two surgeons, an anaesthetist and a scrub nurse; 5 days."""
    return CaseProblem(
        name="fixture theatres",
        start=dt.datetime(2026, 12, 7),
        horizon=5 * 24 * 60,
        tasks=(Task(id="c1", procedure="hip replacement", duration=120, staff=("d1",)),),
        rooms=(Room(id="OR1", name="Theatre 1"), Room(id="OR2", name="Theatre 2")),
        staff=(
            StaffMember(id="d1", name="Helen Ward", roles=("surgeon",)),
            StaffMember(id="d2", name="Omar Haddad", roles=("surgeon",)),
            StaffMember(id="a1", name="Lena Berg", roles=("anaesthetist",)),
            StaffMember(id="n1", name="Tom Reid", roles=("scrub nurse",)),
        ),
    )


def chat_reply(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
    }


@dataclass
class Step:
    """One scripted answer: JSON ``content``, or an HTTP ``status``, raw ``body``, or a delay."""

    content: str | None = None
    status: int = 200
    body: bytes | None = None
    delay: float = 0.0


@dataclass
class FakeServer:
    """What the fake server received, and its base URL."""

    base_url: str
    script: list[Step]
    received: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def fake_llm_server(script: list[Step]) -> Iterator[FakeServer]:
    """An OpenAI-compatible server on 127.0.0.1 (ephemeral port) replaying ``script``.

    Every request consumes one step; when the script is exhausted the server
    answers HTTP 500. The thread is stopped when the context ends.
    """
    state = FakeServer("", list(script))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            payload = json.loads(self.rfile.read(length) or b"{}")
            with lock:
                state.received.append({"path": self.path, "body": payload})
                step = state.script.pop(0) if state.script else Step(status=500)
            if step.delay:
                time.sleep(step.delay)
            if step.body is not None:
                data = step.body
            elif step.status != 200:
                data = b'{"error": {"message": "scripted failure"}}'
            else:
                data = json.dumps(chat_reply(step.content or "")).encode()
            try:
                self.send_response(step.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
