"""A thin client for any OpenAI-compatible ``POST {base}/v1/chat/completions``.

The answer must be an ``Extraction`` (schema generated from the pydantic request
models). Dialects: ``json_schema`` (``response_format`` with the schema),
``json_object`` (``response_format: json_object`` plus the schema in the prompt)
and ``prompt`` (schema in the prompt only). Temperature 0, one re-ask quoting the
validation errors — then fail closed with ``LLMError``: nothing is ever guessed from
an invalid answer. The timeout bounds the whole answer (both calls), however slowly
the server sends it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import os
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

import httpx
from pydantic import ValidationError

from llm_intake.requests import Extraction, extraction_schema
from llm_intake.vocabulary import Person, Vocabulary
from optimizer.errors import CareallocError, InputError

Dialect = Literal["json_schema", "json_object", "prompt"]
DIALECTS: tuple[Dialect, ...] = ("json_schema", "json_object", "prompt")
ENV_BASE_URL = "CAREALLOC_LLM_BASE_URL"
ENV_MODEL = "CAREALLOC_LLM_MODEL"
ENV_API_KEY = "CAREALLOC_LLM_API_KEY"
ENV_DIALECT = "CAREALLOC_LLM_DIALECT"
ENV_TIMEOUT = "CAREALLOC_LLM_TIMEOUT"


class LLMError(CareallocError):
    """The LLM could not produce a valid answer (the intake fails closed)."""


@dataclass(frozen=True)
class LLMConfig:
    """Where and how to call the LLM. The LLM path is off unless ``base_url`` is set."""

    base_url: str
    model: str = "default"
    api_key: str | None = None
    dialect: Dialect = "json_schema"
    timeout: float = 60.0
    max_tokens: int = 1024
    pseudonymise: bool = False

    def __post_init__(self) -> None:
        check_base_url(self.base_url, "--llm-base-url")
        check_timeout(self.timeout, "--llm-timeout")

    @classmethod
    def from_env(
        cls,
        base_url: str | None = None,
        *,
        model: str | None = None,
        dialect: str | None = None,
        timeout: float | None = None,
        pseudonymise: bool = False,
    ) -> LLMConfig:
        """Options first, then ``CAREALLOC_LLM_*`` variables; no base URL → ``InputError``."""
        base = base_url or os.environ.get(ENV_BASE_URL, "")
        if not base.strip():
            raise InputError(
                f"the LLM parser is off: give --llm-base-url or set {ENV_BASE_URL} "
                "(e.g. http://127.0.0.1:8080)",
                field="--parser",
            )
        check_base_url(base, "--llm-base-url" if base_url else ENV_BASE_URL)
        chosen = dialect or os.environ.get(ENV_DIALECT) or "json_schema"
        if chosen not in DIALECTS:
            raise InputError(
                f"unknown LLM dialect '{chosen}'; expected one of {', '.join(DIALECTS)}",
                field="--llm-dialect" if dialect else ENV_DIALECT,
            )
        env_timeout = os.environ.get(ENV_TIMEOUT)
        try:
            seconds = timeout if timeout is not None else float(env_timeout or 60.0)
        except ValueError:
            raise InputError(f"{ENV_TIMEOUT}='{env_timeout}' is not a number") from None
        check_timeout(seconds, "--llm-timeout" if timeout is not None else ENV_TIMEOUT)
        return cls(
            base_url=base.strip().rstrip("/"),
            model=model or os.environ.get(ENV_MODEL, "default"),
            api_key=os.environ.get(ENV_API_KEY) or None,
            dialect=chosen,
            timeout=seconds,
            pseudonymise=pseudonymise,
        )


def check_base_url(base: str, source: str) -> None:
    """An http(s) URL with a host and a valid port, or ``InputError`` naming ``source``."""
    if not re.match(r"^https?://", base.strip()):
        raise InputError(f"LLM base URL '{base}' must start with http:// or https://", field=source)
    try:
        url = httpx.URL(base.strip())
        port = url.port
    except (httpx.InvalidURL, ValueError) as exc:
        raise InputError(
            f"LLM base URL '{base}' is not a valid URL ({exc})", field=source
        ) from None
    if not url.host:
        raise InputError(f"LLM base URL '{base}' has no host name", field=source)
    if port is not None and not 0 < port < 65536:
        raise InputError(f"LLM base URL '{base}' has port {port}, not 1–65535", field=source)


MAX_TIMEOUT = 24 * 3600.0
"""The longest LLM timeout accepted (seconds)."""


def check_timeout(seconds: float, source: str) -> None:
    """Seconds above 0 and at most ``MAX_TIMEOUT``, or ``InputError`` naming ``source``."""
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT):
        raise InputError(
            f"the LLM timeout must be a number of seconds above 0 and at most "
            f"{MAX_TIMEOUT:g}, not {seconds:g}",
            field=source,
        )


STRING_LIMITS = {"text": 300, "reason": 200, "procedure": 120}
"""``maxLength`` of free strings in the LLM schema (64 for ids and names)."""

BOUNDED_STRING_KEYS = frozenset({"format", "enum", "const", "pattern"})
"""Keys that bound a string schema already (no ``maxLength`` added)."""


LIST_LIMITS = {"requests": 20, "unparsed": 10}
"""``maxItems`` of the answer's lists, checked on every answer (not every server enforces it)."""


ENUM_FIELDS = {
    "staff": "people",
    "surgeon": "surgeons",
    "shift": "shifts",
    "shifts": "shifts",
    "skill": "skills",
    "room": "rooms",
    "case": "cases",
}
"""Request fields whose values the schema limits to the loaded problems' ids."""

DEF_ENUM_FIELDS = {"Unavailable": {"staff": "anyone"}}
"""Per request model, fields limited to another id list (anyone can be absent)."""


def _vocabulary_enums(vocab: Vocabulary, people: list[str] | None) -> dict[str, list[str]]:
    return {
        "people": people if people is not None else [p.id for p in vocab.roster_staff],
        "anyone": people if people is not None else [p.id for p in vocab.people],
        "surgeons": people if people is not None else [p.id for p in vocab.case_staff],
        "shifts": [s.id for s in vocab.shifts],
        "skills": list(vocab.skills),
        "rooms": [r.id for r in vocab.rooms],
        "cases": list(dict.fromkeys(c.id for c in vocab.cases)),
    }


def _restrict(node: Any, enums: dict[str, list[str]], model: str = "") -> None:
    """Put ``enum`` on every string schema under an id field (inside anyOf/items too)."""
    if not isinstance(node, dict):
        return
    fields = {**ENUM_FIELDS, **DEF_ENUM_FIELDS.get(model, {})}
    for name, prop in node.get("properties", {}).items():
        if name in fields:
            values = enums[fields[name]]
            targets = [prop, *prop.get("anyOf", [])]
            targets += [t["items"] for t in list(targets) if isinstance(t.get("items"), dict)]
            for target in targets:
                if target.get("type") == "string" and values:
                    target["enum"] = values
                    target.pop("maxLength", None)
                    target.pop("minLength", None)
                if target.get("type") == "array" and values:
                    target["maxItems"] = len(values)
    for child_name, child in node.get("$defs", {}).items():
        _restrict(child, enums, child_name)


def _child_name(name: str, key: str) -> str:
    """The property name a schema node under ``key`` of node ``name`` belongs to: a
    property's own name, kept through its ``anyOf`` and ``items`` ("" elsewhere)."""
    if "properties" in (name, key):
        return key
    return name if key in ("anyOf", "items") else ""


def llm_schema(vocab: Vocabulary | None = None, people: list[str] | None = None) -> dict[str, Any]:
    """The ``Extraction`` schema in the subset strict structured-output servers accept.

    With a vocabulary, id fields are limited to the loaded problems' ids (``people``:
    the allowed staff values instead, e.g. pseudonym labels), so a grammar-enforcing
    server cannot produce an unknown id.

    Every property is required (optional ones are nullable), ``oneOf`` becomes
    ``anyOf``, ``title``/``default``/``discriminator`` keys are dropped, and free
    strings get a ``maxLength`` so that a grammar-constrained model always ends them.
    """
    schema = copy.deepcopy(extraction_schema())

    def clean(node: Any, name: str = "") -> Any:
        if isinstance(node, dict):
            node = {
                k: clean(v, _child_name(name, k))
                for k, v in node.items()
                if k not in ("title", "default")
            }
            node.pop("discriminator", None)
            if "oneOf" in node:
                node["anyOf"] = node.pop("oneOf")
            if node.get("type") == "object" and "properties" in node:
                node["required"] = list(node["properties"])
            if node.get("type") == "string" and not BOUNDED_STRING_KEYS & set(node):
                node["maxLength"] = STRING_LIMITS.get(name, 64)
            return node
        if isinstance(node, list):
            return [clean(v, name) for v in node]
        return node

    cleaned: dict[str, Any] = clean(schema)
    for name, limit in LIST_LIMITS.items():
        cleaned["properties"][name]["maxItems"] = limit
    if vocab is not None:
        _restrict(cleaned, _vocabulary_enums(vocab, people))
        if not vocab.case_staff:
            _drop_times(cleaned)
    return cleaned


PART_DAY_FIELDS = ("from_time", "to_time")
"""An absence's times of day: only case-scheduling staff have them."""


def _drop_times(schema: dict[str, Any]) -> None:
    """Leave an absence's times out of ``schema`` (no case staff loaded: a small
    grammar-bound model fills them in for ward staff, and runs out of tokens)."""
    absence = schema.get("$defs", {}).get("Unavailable", {})
    for name in PART_DAY_FIELDS:
        absence.get("properties", {}).pop(name, None)
    if "required" in absence:
        absence["required"] = [r for r in absence["required"] if r not in PART_DAY_FIELDS]


def _person_entry(person: Person, mixed: bool) -> str:
    """``id = name`` for the prompt; case staff marked ``(theatre)`` when ward staff are
    loaded too, so that the model knows who may be away part of a day."""
    mark = " (theatre)" if mixed and person.family == "cases" else ""
    return f"{person.id} = {person.name}{mark}"


def _calendar(today: dt.date, vocab: Vocabulary) -> str:
    first = min(d for d in (today, vocab.roster_start, vocab.case_start) if d is not None)
    last_candidates = [today + dt.timedelta(days=13)]
    if vocab.roster_start:
        last_candidates.append(vocab.roster_start + dt.timedelta(days=vocab.roster_days - 1))
    if vocab.case_start:
        last_candidates.append(vocab.case_start + dt.timedelta(days=max(vocab.case_days, 1) - 1))
    last = max(last_candidates)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return ", ".join(f"{d:%a} {d.isoformat()}" for d in days[:70])


def system_prompt(
    vocab: Vocabulary,
    today: dt.date,
    dialect: Dialect,
    private: bool,
    schema: dict[str, Any] | None = None,
) -> str:
    """Instructions, the closed vocabulary and a calendar (the schema too, unless enforced)."""
    lines = [
        "You turn a hospital planner's message into scheduling change requests.",
        'Reply with one JSON object {"requests": [...], "unparsed": [...]} and nothing else.',
        "Request kinds: unavailable (staff cannot work from..to, shifts null = all shifts); "
        "shift_request (a wish: want true to work, false to be off; shift null = any shift); "
        "cover_change (change how many staff a shift needs: delta OR set, the other null); "
        "pin (staff must work that shift); add_case (a new surgical case); "
        "cancel_case (a case of the schedule is called off: case = its id).",
        "Put every part of the message that is not such a request, or that is unclear or "
        "ambiguous, into unparsed with a short reason. Never guess.",
        f"Today is {today:%A} {today.isoformat()}. Dates are YYYY-MM-DD. Calendar: "
        + _calendar(today, vocab),
    ]
    mixed = bool(vocab.case_staff and vocab.roster_staff) and not private
    if vocab.case_staff:
        who = "case-scheduling staff (marked theatre below)" if mixed else "case-scheduling staff"
        lines.append(
            f"unavailable from_time/to_time (HH:MM): only for {who} away part of a day"
            " (afternoon = from_time 12:00, morning = to_time 13:00); null for whole days"
            + (" and for ward staff." if mixed else ".")
        )
    if private:
        lines.append("People are written as labels like 'Person 3'; copy the label exactly.")
    elif vocab.people:
        lines.append(
            "People (use the id): " + "; ".join(_person_entry(p, mixed) for p in vocab.people)
        )
    if vocab.shifts:
        lines.append(
            "Shifts (use the id): "
            + "; ".join(f"{s.id} = {s.name or s.id} ({s.period})" for s in vocab.shifts)
        )
    if vocab.skills:
        lines.append("Skills: " + ", ".join(vocab.skills))
    if vocab.rooms:
        lines.append("Rooms (use the id): " + "; ".join(f"{r.id} = {r.name}" for r in vocab.rooms))
    if vocab.roles:
        lines.append("Roles: " + ", ".join(vocab.roles))
    if vocab.cases:
        lines.append(
            "Cases (use the id): " + "; ".join(f"{c.id} = {c.procedure}" for c in vocab.cases)
        )
    if dialect != "json_schema":
        lines.append("The JSON must match this JSON schema: " + json.dumps(schema or llm_schema()))
    return "\n".join(lines)


def _first_json_object(content: str) -> str:
    """The JSON object in a reply that may wrap it in prose or a code fence."""
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", content, re.DOTALL)
    if fenced:
        return fenced.group(1)
    start, end = content.find("{"), content.rfind("}")
    return content[start : end + 1] if 0 <= start < end else content


class LLMClient:
    """Calls the server; ``extract`` returns a validated ``Extraction`` or raises ``LLMError``."""

    def __init__(self, config: LLMConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self._transport = transport
        self.calls = 0

    def _body(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "temperature": 0,
            "max_tokens": self.config.max_tokens,
        }
        if self.config.dialect == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "extraction", "strict": True, "schema": schema},
            }
        elif self.config.dialect == "json_object":
            body["response_format"] = {"type": "json_object"}
        return body

    def _timed_out(self) -> LLMError:
        return LLMError(f"the LLM server did not answer within {self.config.timeout:g} s")

    def _post(self, messages: list[dict[str, str]], schema: dict[str, Any], deadline: float) -> str:
        """One call; gives up at ``deadline`` (``time.monotonic``) however the server behaves."""
        self.calls += 1
        url = f"{self.config.base_url}/v1/chat/completions"
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        status, data = self._fetch(url, self._body(messages, schema), headers, deadline)
        if status != 200:
            text = data.decode("utf-8", errors="replace")
            raise LLMError(f"the LLM server answered HTTP {status}: {text[:200]}")
        try:
            content = json.loads(data)["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise LLMError("the LLM server's reply is not an OpenAI chat completion") from None
        if not isinstance(content, str):
            raise LLMError("the LLM server's reply has no text content")
        return content

    def _fetch(
        self, url: str, body: dict[str, Any], headers: dict[str, str], deadline: float
    ) -> tuple[int, bytes]:
        """Status and body of a POST, read in a worker thread the caller waits for until
        ``deadline`` only — a server that trickles bytes cannot hold the intake."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._timed_out()
        outcome: list[tuple[int, bytes] | BaseException] = []

        def run() -> None:
            try:
                outcome.append(self._read(url, body, headers, deadline, remaining))
            except BaseException as exc:  # handed to the waiting caller
                outcome.append(exc)

        worker = threading.Thread(target=run, name="carealloc-llm", daemon=True)
        worker.start()
        worker.join(remaining)
        if not outcome:
            raise self._timed_out()
        result = outcome[0]
        if isinstance(result, httpx.TimeoutException | TimeoutError):
            raise self._timed_out()
        if isinstance(result, httpx.HTTPError):
            raise LLMError(f"cannot reach the LLM server at {url}: {result}")
        if isinstance(result, httpx.InvalidURL):
            raise InputError(f"the LLM URL '{url}' is not valid ({result})", field="--llm-base-url")
        if isinstance(result, BaseException):
            raise result
        return result

    def _read(
        self,
        url: str,
        body: dict[str, Any],
        headers: dict[str, str],
        deadline: float,
        remaining: float,
    ) -> tuple[int, bytes]:
        """Stream the reply, stopping at ``deadline`` (so an abandoned worker ends soon)."""
        timeout = httpx.Timeout(remaining)
        with (
            httpx.Client(timeout=timeout, transport=self._transport) as client,
            client.stream("POST", url, json=body, headers=headers) as response,
        ):
            chunks: list[bytes] = []
            for chunk in response.iter_bytes():
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunks.append(chunk)
            return response.status_code, b"".join(chunks)

    @staticmethod
    def _validate(content: str) -> tuple[Extraction | None, str]:
        try:
            data = json.loads(_first_json_object(content))
        except json.JSONDecodeError as exc:
            return None, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        try:
            extraction = Extraction.model_validate(data)
        except ValidationError as exc:
            problems = [
                f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
                for e in exc.errors(include_url=False)[:8]
            ]
            return None, "does not match the schema: " + "; ".join(problems)
        for name, limit in LIST_LIMITS.items():
            if (count := len(getattr(extraction, name))) > limit:
                return None, f"does not match the schema: {name}: {count} items, at most {limit}"
        return extraction, ""

    def extract(
        self, text: str, vocab: Vocabulary, today: dt.date, people: list[str] | None = None
    ) -> Extraction:
        """Requests from ``text``: at most two calls (one re-ask), then ``LLMError``.

        ``config.timeout`` bounds the whole of it, both calls together.

        ``people`` replaces the staff ids the schema allows (pseudonym labels).
        """
        schema = llm_schema(vocab, people)
        messages = [
            {
                "role": "system",
                "content": system_prompt(
                    vocab, today, self.config.dialect, self.config.pseudonymise
                ),
            },
            {"role": "user", "content": text},
        ]
        deadline = time.monotonic() + self.config.timeout
        content = self._post(messages, schema, deadline)
        extraction, problem = self._validate(content)
        if extraction is not None:
            return extraction
        messages += [
            {"role": "assistant", "content": content},
            {
                "role": "user",
                "content": f"Your answer {problem}. Reply again with only the corrected "
                "JSON object.",
            },
        ]
        content = self._post(messages, schema, deadline)
        extraction, second = self._validate(content)
        if extraction is not None:
            return extraction
        raise LLMError(f"the LLM's answer was invalid twice; last answer {second}")
