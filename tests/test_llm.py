"""The llm-prompt baseline, its client and cache, against a scripted fake server on 127.0.0.1.

No test reaches the real network: each one starts an ``http.server`` on an ephemeral port that
answers from a script (status, body, delay) and records every request it receives.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baselines.llm_client import (
    REDACTED,
    ChatClient,
    ClientSettings,
    HTTPStatusError,
    ReplayMiss,
    cache_key,
    redact_secret,
    sha256_text,
)
from baselines.llm_prompt import (
    DEFAULT_CONFIG_PATH,
    PROMPTS_DIR,
    AnswerError,
    LLMPromptExtractor,
    Prompt,
    load_config,
    parse_answer,
)
from harness.extraction.api import Document
from harness.extraction.registry import load_extractor_class
from tests.llm_fake import FakeServer, clear_llm_environment, running_server

ROOT = Path(__file__).resolve().parent.parent
SEED_004 = (ROOT / "seeds" / "004_8d517ec488ed0d82.txt").read_text(encoding="utf-8")
DOC = Document("004_8d517ec488ed0d82", SEED_004, "2023-09-12T07:30")
HEADLINE = "Kremlin announces Kim Jong-un's visit to Russia"
SECRET = "sk-test-SECRET-9f8e7d6c5b4a"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with running_server() as fake:
        yield fake


@pytest.fixture(autouse=True)
def _no_ambient_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_llm_environment(monkeypatch)


class Sleeps(list):
    """Records the backoff waits instead of sleeping them."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make(
    server: FakeServer | None, cache_dir: Path, sleeps: Sleeps | None = None, **config: Any
) -> LLMPromptExtractor:
    base: dict[str, Any] = {
        "base_url": server.url if server else None,
        "model": "test-model",
        "cache_dir": str(cache_dir),
        "timeout": 0.5,
        "retries": 2,
        "backoff": 0.25,
    }
    base.update(config)
    return LLMPromptExtractor(base, env={}, sleep=sleeps if sleeps is not None else Sleeps())


def claim(evidence: str, **fields: Any) -> dict[str, Any]:
    item = {
        "evidence": evidence,
        "text": fields.pop("text", evidence + "."),
        "claimant": "<AUTHOR>",
        "date": None,
        "date_text": None,
    }
    item.update(fields)
    return item


def answer(*claims: dict[str, Any], **top: Any) -> str:
    return json.dumps({**top, "claims": list(claims)})


VALID = answer(
    claim(HEADLINE, claimant="the Kremlin", date="FUTURE_REF"),
    claim(HEADLINE, claimant="the Kremlin", date="FUTURE_REF"),
    claim("The forum began on Sunday", date="2023-09-10", date_text="Sunday"),
    claim("Kim visited Russia in 2019", date="2019"),
)


# ---------------------------------------------------------------------------------------------
# Answers and offsets


def test_valid_answer_gives_claims_with_exact_offsets(server: FakeServer, tmp_path: Path) -> None:
    server.reply(VALID)
    ex = make(server, tmp_path).extract(DOC)
    assert ex.error is None
    assert ex.dct == "2023-09-12T07:30"
    first, second, forum, unlocated = ex.claims
    # Seed 004 by hand: "Breaking: " (10 chars), the 47-char headline, then "\n\n", the byline
    # (24), "\n\n", the stamp (25), "\n\n": the second copy starts at 10+47+2+24+2+25+2 = 112.
    assert (first.start, first.end) == (10, 57)
    assert (second.start, second.end) == (112, 159)
    assert SEED_004[forum.start : forum.end] == "The forum began on Sunday"
    assert forum.start == SEED_004.index("The forum began on Sunday")
    assert (forum.claimant, forum.date, forum.date_text) == ("<AUTHOR>", "2023-09-10", "Sunday")
    assert first.claimant == "the Kremlin" and first.doc_id == DOC.doc_id
    # Not in the text: kept, with its text, but without offsets.
    assert (unlocated.start, unlocated.end) == (None, None)
    assert unlocated.text == "Kim visited Russia in 2019."
    assert ex.usage["evidence_unlocated"] == 1
    assert ex.usage["prompt_tokens"] == 1234 and ex.usage["completion_tokens"] == 56
    assert ex.usage["cache"] == "miss" and ex.usage["attempts"] == 1


def test_request_carries_model_prompt_dct_article_and_decoding(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply(answer())
    make(server, tmp_path, temperature=0, max_tokens=321, seed=7).extract(DOC)
    (request,) = server.requests
    assert request["path"] == "/v1/chat/completions"
    body = request["body"]
    assert body["model"] == "test-model"
    assert (body["temperature"], body["max_tokens"], body["seed"]) == (0, 321, 7)
    assert "top_p" not in body and "response_format" not in body  # null = not sent
    system, user = body["messages"]
    assert system["role"] == "system" and "check-worthy" in system["content"]
    assert "The article's publication date (DCT) is 2023-09-12T07:30." in user["content"]
    assert SEED_004 in user["content"]
    assert "Authorization" not in request["headers"]  # no key configured, none sent


def test_empty_claim_list_is_a_valid_answer(server: FakeServer, tmp_path: Path) -> None:
    server.reply(answer())
    ex = make(server, tmp_path).extract(DOC)
    assert ex.error is None and ex.claims == ()


def test_one_fenced_json_block_is_tolerated(server: FakeServer, tmp_path: Path) -> None:
    server.reply("```json\n" + answer(claim("The forum began on Sunday")) + "\n```")
    ex = make(server, tmp_path).extract(DOC)
    assert ex.error is None and len(ex.claims) == 1


@pytest.mark.parametrize(
    "content",
    [
        "Here are the claims:\n" + answer(),
        answer() + "\nHope this helps.",
        "```json\n" + answer() + "\n```\nDone.",
        "```json\n" + answer() + "\n```\n```json\n" + answer() + "\n```",
        "{'claims': []}",
        "",
    ],
    ids=["prose-before", "prose-after", "prose-after-fence", "two-fences", "python-dict", "empty"],
)
def test_invalid_json_is_recorded_as_error(
    server: FakeServer, tmp_path: Path, content: str
) -> None:
    server.reply(content)
    ex = make(server, tmp_path).extract(DOC)
    assert ex.claims == ()
    assert ex.error is not None and ex.error.startswith("llm-prompt: invalid answer:")
    assert ex.usage["cache"] == "miss"  # the call happened and is logged


def test_date_that_is_not_a_timex_value_is_recorded_as_error(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply(answer(claim("The forum began on Sunday", date="next Tuesday")))
    ex = make(server, tmp_path).extract(DOC)
    assert ex.claims == ()
    assert "claims[0].date is not a TIMEX3 value" in (ex.error or "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (json.dumps({"claims": {}}), "'claims' must be a list"),
        (json.dumps({"items": []}), "missing 'claims'"),
        (answer(extra=1), "unexpected 'extra'"),
        (json.dumps({"claims": [{"evidence": "x", "text": "y"}]}), "missing 'claimant'"),
        (answer(claim("The forum began on Sunday", confidence=0.9)), "unexpected 'confidence'"),
        (answer(claim("The forum began on Sunday", claimant=None)), "claimant must be a non-empty"),
        (answer(claim("", text="x")), "evidence must be a non-empty string"),
        (answer(claim("The forum began on Sunday", date=2023)), "not a TIMEX3 value"),
        (answer(claim("The forum began on Sunday", date="")), "not a TIMEX3 value"),
        (answer(claim("The forum began on Sunday", date="2023-02-30")), "not a calendar day"),
        (answer(claim("The forum began on Sunday", date_text=5)), "date_text must be"),
        (json.dumps({"claims": ["The forum began on Sunday"]}), "claims[0] must be an object"),
        ('{"claims": [], "claims": []}', "duplicate key 'claims'"),
        ('{"claims": [NaN]}', "NaN is not valid JSON"),
        (json.dumps([]), "expected a JSON object"),
    ],
)
def test_schema_violation_is_recorded_as_error(
    server: FakeServer, tmp_path: Path, content: str, message: str
) -> None:
    server.reply(content)
    ex = make(server, tmp_path).extract(DOC)
    assert ex.claims == ()
    assert message in (ex.error or "")


def test_parse_answer_normalizes_valid_dates_and_accepts_durations() -> None:
    claims, dct = parse_answer(
        answer(
            claim("The forum began on Sunday", date="2023-09-12t07:30:00"),
            # The gold dates "visited China four times in the past 13 months" by P13M (seed 003).
            claim("The forum began on Sunday", date="p13m"),
        ),
        DOC,
        detect=False,
    )
    assert dct is None
    assert [c.date for c in claims] == ["2023-09-12T07:30", "P13M"]


def test_truncated_answer_is_recorded_as_error(server: FakeServer, tmp_path: Path) -> None:
    server.reply(answer(), finish_reason="length")
    ex = make(server, tmp_path, max_tokens=10).extract(DOC)
    assert "cut off at max_tokens=10" in (ex.error or "")


def test_reply_that_is_not_a_chat_completion_is_recorded_as_error(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply(body=b"<html>hello</html>")
    ex = make(server, tmp_path).extract(DOC)
    assert "is not a chat-completions response (not JSON)" in (ex.error or "")


# ---------------------------------------------------------------------------------------------
# DCT detection


def test_detect_mode_asks_for_the_dct_and_returns_it(server: FakeServer, tmp_path: Path) -> None:
    server.reply(answer(claim("The forum began on Sunday"), dct="2023-09-12T07:30"))
    ex = make(server, tmp_path).extract(Document(DOC.doc_id, DOC.text, None))
    assert ex.error is None and ex.dct == "2023-09-12T07:30"
    user = server.requests[0]["body"]["messages"][1]["content"]
    assert "publication date (DCT) is not given" in user
    assert "2023-09-12T07:30" not in user


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (answer(), "missing 'dct'"),
        (answer(dct="September 12"), "'dct' is not a TIMEX3 value"),
        (answer(dct="2023-09"), "'dct' must be YYYY-MM-DD or YYYY-MM-DDTHH:MM"),
    ],
)
def test_detect_mode_rejects_missing_or_imprecise_dct(
    server: FakeServer, tmp_path: Path, content: str, message: str
) -> None:
    server.reply(content)
    ex = make(server, tmp_path).extract(Document(DOC.doc_id, DOC.text, None))
    assert ex.dct is None and message in (ex.error or "")


def test_given_dct_mode_rejects_a_dct_key(server: FakeServer, tmp_path: Path) -> None:
    server.reply(answer(dct="2023-09-12"))
    assert "unexpected 'dct'" in (make(server, tmp_path).extract(DOC).error or "")


# ---------------------------------------------------------------------------------------------
# Retries


def test_http_500_then_200_is_retried_and_succeeds(server: FakeServer, tmp_path: Path) -> None:
    sleeps = Sleeps()
    server.reply(status=500, body=b'{"error": "overloaded"}')
    server.reply(VALID)
    ex = make(server, tmp_path, sleeps).extract(DOC)
    assert ex.error is None and len(ex.claims) == 4
    assert len(server.requests) == 2
    assert sleeps == [0.25]
    assert ex.usage["attempts"] == 2


def test_backoff_doubles_and_is_capped(server: FakeServer, tmp_path: Path) -> None:
    sleeps = Sleeps()
    for _ in range(3):
        server.reply(status=503, body=b"busy")
    server.reply(answer())
    ex = make(server, tmp_path, sleeps, retries=3, backoff=0.5, backoff_max=1.5).extract(DOC)
    assert ex.error is None
    assert sleeps == [0.5, 1.0, 1.5]


def test_http_429_is_retried_and_honours_retry_after(server: FakeServer, tmp_path: Path) -> None:
    sleeps = Sleeps()
    server.reply(status=429, body=b"slow down", headers={"Retry-After": "2"})
    server.reply(answer())
    ex = make(server, tmp_path, sleeps).extract(DOC)
    assert ex.error is None and sleeps == [2.0]


def test_http_400_is_not_retried(server: FakeServer, tmp_path: Path) -> None:
    sleeps = Sleeps()
    server.reply(status=400, body=b'{"error": "unknown parameter seed"}')
    server.reply(answer())  # must never be fetched
    ex = make(server, tmp_path, sleeps).extract(DOC)
    assert len(server.requests) == 1 and sleeps == []
    assert "HTTP 400" in (ex.error or "") and "unknown parameter seed" in (ex.error or "")
    assert "hint:" in (ex.error or "")


def test_retries_exhausted_on_5xx_is_recorded_as_error(server: FakeServer, tmp_path: Path) -> None:
    for _ in range(3):
        server.reply(status=502, body=b"bad gateway")
    ex = make(server, tmp_path, retries=2).extract(DOC)
    assert len(server.requests) == 3
    assert "HTTP 502" in (ex.error or "") and "after 3 attempt(s)" in (ex.error or "")


def test_timeout_is_retried_then_recorded_as_error(server: FakeServer, tmp_path: Path) -> None:
    sleeps = Sleeps()
    server.reply(answer(), delay=2.0)
    server.reply(answer(), delay=2.0)
    ex = make(server, tmp_path, sleeps, timeout=0.1, retries=1).extract(DOC)
    assert len(server.requests) == 2 and sleeps == [0.25]
    assert ex.claims == ()
    assert "timed out after 2 attempt(s)" in (ex.error or "")
    assert not list(tmp_path.glob("*.json"))  # failures are not cached


def test_connection_refused_is_recorded_as_error(tmp_path: Path) -> None:
    fake = FakeServer()  # bound but never serving: take its port, then close it
    url = fake.url
    fake.httpd.server_close()
    ex = make(None, tmp_path, base_url=url, retries=1).extract(DOC)
    assert "connection failed after 2 attempt(s)" in (ex.error or "")


# ---------------------------------------------------------------------------------------------
# Cache


def test_cache_miss_then_hit_calls_server_once_with_identical_extraction(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply(VALID)
    first = make(server, tmp_path).extract(DOC)
    second = make(server, tmp_path).extract(DOC)
    assert len(server.requests) == 1
    assert (first.usage["cache"], second.usage["cache"]) == ("miss", "hit")
    assert second.claims == first.claims and second.dct == first.dct and second.error is None
    # On a hit the stored latency is reported, so reruns write identical files.
    assert {**first.usage, "cache": "hit"} == dict(second.usage)
    third = make(server, tmp_path).extract(DOC)
    assert third == second


def test_cache_entry_is_one_json_file_per_key_written_atomically(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply(VALID)
    ex = make(server, tmp_path).extract(DOC)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [f"{ex.usage['cache_key']}.json"]  # no temp file left behind
    entry = json.loads((tmp_path / files[0]).read_text(encoding="utf-8"))
    assert entry["key"] == ex.usage["cache_key"]
    assert entry["request"]["model"] == "test-model"
    assert entry["response"]["content"] == VALID


def test_invalid_answer_is_cached_so_reruns_give_the_same_error(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply("not json")
    first = make(server, tmp_path).extract(DOC)
    second = make(server, tmp_path).extract(DOC)
    assert len(server.requests) == 1
    assert first.error == second.error and first.error is not None


def test_cache_off_always_calls_the_server(server: FakeServer, tmp_path: Path) -> None:
    server.reply(answer())
    server.reply(answer())
    for _ in range(2):
        assert make(server, tmp_path, cache=False).extract(DOC).usage["cache"] == "off"
    assert len(server.requests) == 2 and not list(tmp_path.iterdir())


def test_unwritable_cache_dir_logs_a_warning_and_keeps_the_answer(
    server: FakeServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    server.reply(VALID)
    ex = make(server, blocker / "cache").extract(DOC)
    assert ex.error is None and len(ex.claims) == 4
    assert "could not write cache entry" in caplog.text


def _key(ex: LLMPromptExtractor, doc: Document = DOC) -> str:
    return ex.client.key_for(
        ex.prompt.messages(doc.text, doc.dct),
        ex.params,
        prompt_sha256=ex.prompt.sha256,
        doc_sha256=sha256_text(doc.text),
    )


def test_cache_key_changes_with_model_prompt_temperature_and_document(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/v1"
    base = make(None, tmp_path, base_url=url)
    edited = tmp_path / "claims_edited.txt"
    edited.write_text(
        (PROMPTS_DIR / "claims_v1.txt").read_text(encoding="utf-8") + "Be brief.\n",
        encoding="utf-8",
    )
    keys = {
        "base": _key(base),
        "model": _key(make(None, tmp_path, base_url=url, model="other-model")),
        "prompt": _key(make(None, tmp_path, base_url=url, prompt=str(edited))),
        "temperature": _key(make(None, tmp_path, base_url=url, temperature=0.7)),
        "max_tokens": _key(make(None, tmp_path, base_url=url, max_tokens=100)),
        "seed": _key(make(None, tmp_path, base_url=url, seed=99)),
        "response_format": _key(
            make(None, tmp_path, base_url=url, response_format={"type": "json_object"})
        ),
        "base_url": _key(make(None, tmp_path, base_url="http://127.0.0.1:10/v1")),
        "document": _key(base, Document(DOC.doc_id, DOC.text + " ", DOC.dct)),
        "dct": _key(base, Document(DOC.doc_id, DOC.text, "2023-09-11")),
    }
    assert len(set(keys.values())) == len(keys)


def test_cache_key_ignores_what_cannot_change_the_answer(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/v1"
    base = _key(make(None, tmp_path, base_url=url))
    assert _key(make(None, tmp_path, base_url=url + "/")) == base
    assert _key(make(None, tmp_path, base_url=url, api_key=SECRET)) == base
    assert _key(make(None, tmp_path, base_url=url, timeout=9, retries=0)) == base
    assert _key(make(None, tmp_path / "elsewhere", base_url=url)) == base


def test_cache_key_covers_each_field() -> None:
    args: dict[str, Any] = {
        "base_url": "http://h/v1",
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}],
        "params": {"temperature": 0},
        "prompt_sha256": "p",
        "doc_sha256": "d",
    }
    base = cache_key(**args)
    changes = {
        "base_url": "http://h/v2",
        "model": "m2",
        "messages": [{"role": "user", "content": "hi!"}],
        "params": {"temperature": 0.5},
        "prompt_sha256": "p2",
        "doc_sha256": "d2",
    }
    for field, value in changes.items():
        assert cache_key(**{**args, field: value}) != base, field
    assert cache_key(**{**args, "params": {"temperature": 0}}) == base


def test_replay_only_with_empty_cache_errors_without_any_request(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply(answer())
    ex = make(server, tmp_path, replay=True).extract(DOC)
    assert server.requests == []
    assert ex.claims == () and ex.error is not None
    assert "replay-only mode: no cached response" in ex.error
    assert ex.usage["cache"] == "miss"


def test_replay_only_serves_a_recorded_answer_without_any_request(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply(VALID)
    recorded = make(server, tmp_path).extract(DOC)
    replayed = LLMPromptExtractor(
        {"cache_dir": str(tmp_path)},
        env={
            "HARNESS_LLM_REPLAY": "1",
            "HARNESS_LLM_BASE_URL": server.url,
            "HARNESS_LLM_MODEL": "test-model",
        },
    ).extract(DOC)
    assert len(server.requests) == 1
    assert replayed.claims == recorded.claims and replayed.usage["cache"] == "hit"


def test_replay_only_without_model_says_why_nothing_matches(tmp_path: Path) -> None:
    ex = LLMPromptExtractor({"cache_dir": str(tmp_path), "replay": True}, env={}).extract(DOC)
    assert "base_url and model not set" in (ex.error or "")


def test_replay_client_raises_replay_miss(tmp_path: Path) -> None:
    settings = ClientSettings(
        base_url="http://127.0.0.1:9/v1", model="m", cache_dir=str(tmp_path), cache_mode="replay"
    )
    client = ChatClient(settings)
    with pytest.raises(ReplayMiss, match="no cached response"):
        client.complete([{"role": "user", "content": "hi"}], {})


# ---------------------------------------------------------------------------------------------
# Availability, configuration, signature


def test_no_endpoint_makes_the_extractor_unavailable() -> None:
    reason = LLMPromptExtractor.unavailable_reason({}, env={})
    assert reason is not None
    assert reason.startswith("not run: no endpoint configured")
    assert "HARNESS_LLM_BASE_URL" in reason and "HARNESS_LLM_MODEL" in reason
    assert "llm-prompt.yaml" in reason


def test_model_without_base_url_is_still_unavailable() -> None:
    reason = LLMPromptExtractor.unavailable_reason({"model": "m"}, env={})
    assert reason is not None and reason.startswith("not run: no endpoint configured")


def test_endpoint_from_environment_or_replay_makes_it_available(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = {"HARNESS_LLM_BASE_URL": "http://127.0.0.1:9/v1", "HARNESS_LLM_MODEL": "m"}
    assert LLMPromptExtractor.unavailable_reason({}, env=env) is None
    assert LLMPromptExtractor.unavailable_reason({}, env={**env, "HARNESS_LLM_REPLAY": "1"}) is None
    assert LLMPromptExtractor.unavailable_reason({"replay": True}, env=env) is None
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert LLMPromptExtractor.unavailable_reason() is None  # os.environ by default


def test_config_overrides_environment(tmp_path: Path) -> None:
    env = {"HARNESS_LLM_MODEL": "env-model", "HARNESS_LLM_CACHE": str(tmp_path / "env")}
    from_env = LLMPromptExtractor({}, env=env)
    assert from_env.settings.model == "env-model"
    assert from_env.settings.cache_dir == str(tmp_path / "env")
    assert LLMPromptExtractor({"model": "cfg-model"}, env=env).settings.model == "cfg-model"


def test_cache_dir_defaults_to_dot_cache_llm() -> None:
    assert LLMPromptExtractor({}, env={}).settings.cache_dir == ".cache/llm"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"temprature": 0.5}, "did you mean 'temperature'?"),
        ({"retries": -1}, "'retries' must be a non-negative integer"),
        ({"timeout": "fast"}, "'timeout' must be a positive number"),
        ({"cache": "yes"}, "'cache' must be true or false"),
        ({"base_url": "127.0.0.1:8000"}, "is not an http(s) URL"),
        ({"prompt": "missing.txt"}, "cannot read prompt file"),
        ({"replay": True, "cache": False}, "replay-only mode needs the cache"),
    ],
)
def test_invalid_config_is_rejected_with_a_hint(config: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as info:
        LLMPromptExtractor(config, env={})
    assert message in str(info.value)
    reason = LLMPromptExtractor.unavailable_reason(config, env={})
    assert reason is not None and message in reason


def test_invalid_replay_flag_in_environment_is_rejected() -> None:
    with pytest.raises(ValueError, match="HARNESS_LLM_REPLAY='maybe' is not a flag"):
        LLMPromptExtractor({}, env={"HARNESS_LLM_REPLAY": "maybe"})


def test_default_config_file_loads_with_deterministic_decoding() -> None:
    config = load_config()
    assert config["temperature"] == 0
    assert isinstance(config["seed"], int) and config["max_tokens"] > 0
    assert config["base_url"] is None and config["model"] is None and config["api_key"] is None


def test_config_file_with_duplicate_key_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("model: a\nmodel: b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate key 'model'"):
        load_config(path)


def test_signature_records_prompt_model_decoding_and_cache_mode(tmp_path: Path) -> None:
    ex = make(None, tmp_path, base_url="http://127.0.0.1:9/v1", temperature=0.2, replay=True)
    sig = ex.signature()
    assert sig["name"] == "llm-prompt"
    assert sig["prompt"]["version"] == "claims/v1"
    assert sig["prompt"]["sha256"] == ex.prompt.sha256 and len(ex.prompt.sha256) == 64
    assert (sig["base_url"], sig["model"]) == ("http://127.0.0.1:9/v1", "test-model")
    assert sig["decoding"]["temperature"] == 0.2 and "seed" in sig["decoding"]
    assert sig["cache"] == "replay"


def test_registry_resolves_llm_prompt() -> None:
    assert load_extractor_class("llm-prompt") is LLMPromptExtractor
    assert LLMPromptExtractor.name == "llm-prompt"


# ---------------------------------------------------------------------------------------------
# The prompt


def test_prompt_file_is_versioned_and_has_every_section() -> None:
    prompt = Prompt.load("claims_v1.txt")
    assert (
        (PROMPTS_DIR / "claims_v1.txt")
        .read_text(encoding="utf-8")
        .startswith("# prompt: claims/v1\n")
    )
    assert prompt.version == "claims/v1"
    for key in ('"evidence"', '"text"', '"claimant"', '"date"', '"date_text"', "<AUTHOR>"):
        assert key in prompt.user + prompt.system
    assert '"dct"' in prompt.dct_detect and "{{DCT}}" in prompt.dct_given
    assert "#" not in prompt.system.splitlines()[0]  # the header comments are not sent


def test_prompt_fills_placeholders_once_and_leaves_the_article_verbatim() -> None:
    prompt = Prompt.load("claims_v1.txt")
    article = "Odd text with {{DCT}} and {{ARTICLE}} in it."
    system, user = prompt.messages(article, "2023-09-11")
    assert article in user["content"]
    assert "{{" not in user["content"].replace(article, "")
    assert "(DCT) is 2023-09-11." in user["content"]
    assert system["content"] == prompt.system


def test_prompt_without_version_line_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text("=== system ===\nx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="first line must be '# prompt:"):
        Prompt.load(str(path))


def test_default_config_path_points_at_the_shipped_file() -> None:
    assert DEFAULT_CONFIG_PATH.is_file() and DEFAULT_CONFIG_PATH.name == "llm-prompt.yaml"


# ---------------------------------------------------------------------------------------------
# The API key


def test_api_key_appears_in_no_cache_file_signature_error_or_log(
    server: FakeServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # The server echoes the Authorization header in its error bodies and in the answer itself.
    server.reply(status=500, body=b'{"error": "bad key {AUTH}"}')
    server.reply(answer(claim("The forum began on Sunday", text="Key {AUTH} leaked.")))
    server.reply(status=401, body=b'{"error": "invalid key {AUTH}"}')
    ex = make(server, tmp_path, api_key=SECRET)
    ok = ex.extract(DOC)
    failed = ex.extract(Document("other", "Another article.", "2023-09-11"))
    replay = make(server, tmp_path, api_key=SECRET, replay=True)
    missed = replay.extract(Document("third", "Unseen article.", "2023-09-11"))

    assert server.requests[0]["headers"]["Authorization"] == f"Bearer {SECRET}"  # it is sent
    assert ok.error is None and "[redacted]" in ok.claims[0].text
    assert failed.error is not None and "HTTP 401" in failed.error and "[redacted]" in failed.error
    assert missed.error is not None
    texts = [p.read_text(encoding="utf-8") for p in tmp_path.rglob("*") if p.is_file()]
    assert texts  # the cache was written
    texts += [
        json.dumps(ex.signature()),
        json.dumps(replay.signature()),
        repr(ok),
        repr(failed),
        repr(missed),
        repr(ex.settings),
        json.dumps(ex.config),
        caplog.text,
    ]
    for text in texts:
        assert SECRET not in text

    settings = ClientSettings(
        base_url=server.url, model="m", api_key=SECRET, cache_mode="off", retries=0
    )
    client = ChatClient(settings)
    server.reply(status=403, body=b"forbidden {AUTH}")
    with pytest.raises(HTTPStatusError) as info:
        client.complete([{"role": "user", "content": "hi"}], {})
    assert info.value.status == 403
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_answer_error_is_a_value_error() -> None:
    with pytest.raises(AnswerError):
        parse_answer("[]", DOC, detect=False)
    assert issubclass(AnswerError, ValueError)


# ---------------------------------------------------------------------------------------------
# Invalid answers in the cache, and --refresh-errors


def test_cached_invalid_answer_names_its_cache_file_and_is_refetched_on_refresh(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply("not json")
    first = make(server, tmp_path).extract(DOC)
    path = tmp_path / f"{first.usage['cache_key']}.json"
    assert path.is_file() and first.error is not None
    assert f"cached in {path}" in first.error and "--refresh-errors" in first.error
    assert "HARNESS_LLM_REFRESH_ERRORS=1" in first.error
    again = make(server, tmp_path).extract(DOC)  # replayed as the same error, never as claims
    assert again.error == first.error and again.claims == () and len(server.requests) == 1

    server.reply(VALID)
    refreshed = make(server, tmp_path, refresh_errors=True).extract(DOC)
    assert len(server.requests) == 2
    assert refreshed.error is None and len(refreshed.claims) == 4
    assert refreshed.usage["cache"] == "miss"
    later = make(server, tmp_path).extract(DOC)  # the refetched answer replaced the entry
    assert later.usage["cache"] == "hit" and later.claims == refreshed.claims
    assert len(server.requests) == 2


def test_refresh_errors_from_the_environment_refetches_a_truncated_answer(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply(answer(), finish_reason="length")
    cut = make(server, tmp_path).extract(DOC)
    assert "cut off at max_tokens" in (cut.error or "") and "cached in" in (cut.error or "")
    server.reply(VALID)
    base = {"model": "test-model", "cache_dir": str(tmp_path), "base_url": server.url}
    ex = LLMPromptExtractor(base, env={"HARNESS_LLM_REFRESH_ERRORS": "1"}).extract(DOC)
    assert ex.error is None and len(ex.claims) == 4 and len(server.requests) == 2


def test_refresh_errors_leaves_a_valid_cached_answer_alone(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply(VALID)
    make(server, tmp_path).extract(DOC)
    hit = make(server, tmp_path, refresh_errors=True).extract(DOC)
    assert hit.usage["cache"] == "hit" and len(server.requests) == 1


def test_replay_cannot_refresh_and_says_how(server: FakeServer, tmp_path: Path) -> None:
    server.reply("not json")
    make(server, tmp_path).extract(DOC)
    ex = make(server, tmp_path, replay=True, refresh_errors=True).extract(DOC)
    assert len(server.requests) == 1
    assert ex.claims == () and "replay-only mode cannot fetch the answer in" in (ex.error or "")
    plain = make(server, tmp_path, replay=True).extract(DOC)
    assert "replay cannot fetch it again" in (plain.error or "")


def test_errors_that_are_not_answers_are_never_cached(server: FakeServer, tmp_path: Path) -> None:
    server.reply(status=500, body=b"boom")
    server.reply(body=b"<html>not a chat completion</html>")
    ex = make(server, tmp_path, retries=0)
    assert "HTTP 500" in (ex.extract(DOC).error or "")
    assert "not a chat-completions response" in (ex.extract(DOC).error or "")
    assert not list(tmp_path.iterdir())


def test_refresh_errors_config_must_be_a_flag() -> None:
    with pytest.raises(ValueError, match="refresh_errors"):
        LLMPromptExtractor({"refresh_errors": "yes"}, env={})
    with pytest.raises(ValueError, match="HARNESS_LLM_REFRESH_ERRORS"):
        LLMPromptExtractor({}, env={"HARNESS_LLM_REFRESH_ERRORS": "maybe"})


# ---------------------------------------------------------------------------------------------
# Replay as its hint says


def test_replay_hint_lists_what_replay_needs_and_following_it_replays(
    server: FakeServer, tmp_path: Path
) -> None:
    server.reply(VALID)
    recorded = make(server, tmp_path).extract(DOC)
    cache = {"cache_dir": str(tmp_path)}
    reason = LLMPromptExtractor.unavailable_reason(cache, env={"HARNESS_LLM_REPLAY": "1"})
    assert reason is not None and reason.startswith("not run: replay-only mode without")
    for needed in ("HARNESS_LLM_BASE_URL", "HARNESS_LLM_MODEL", str(tmp_path), "HARNESS_LLM_CACHE"):
        assert needed in reason
    # Do what the hint says, with the server gone: every answer comes from the cache.
    server.httpd.shutdown()
    server.httpd.server_close()
    env = {
        "HARNESS_LLM_REPLAY": "1",
        "HARNESS_LLM_BASE_URL": server.url,
        "HARNESS_LLM_MODEL": "test-model",
    }
    assert LLMPromptExtractor.unavailable_reason(cache, env=env) is None
    replayed = LLMPromptExtractor(cache, env=env).extract(DOC)
    assert replayed.error is None and replayed.claims == recorded.claims
    assert replayed.usage["cache"] == "hit" and len(server.requests) == 1


def test_no_endpoint_hint_says_what_replay_needs() -> None:
    reason = LLMPromptExtractor.unavailable_reason({}, env={}) or ""
    assert "HARNESS_LLM_REPLAY=1 replays a recorded run" in reason
    assert "same HARNESS_LLM_BASE_URL, HARNESS_LLM_MODEL" in reason


def test_replay_miss_names_the_cache_file(tmp_path: Path) -> None:
    ex = make(None, tmp_path, base_url="http://127.0.0.1:9/v1", replay=True).extract(DOC)
    assert f"no cached response {tmp_path / ex.usage['cache_key']}.json" in (ex.error or "")


# ---------------------------------------------------------------------------------------------
# One deadline per attempt, and no redirects


class TrickleServer:
    """A raw TCP server on 127.0.0.1 that answers with one byte every ``every`` seconds.

    ``head`` is sent first at full speed; then the rest trickles. Every loop is bounded (at most
    ``max_bytes`` bytes per connection, a few connections) and stops when the test ends.
    """

    def __init__(self, head: bytes, trickle: bytes, every: float = 0.5, max_bytes: int = 60):
        self.head, self.trickle, self.every, self.max_bytes = head, trickle, every, max_bytes
        self.stop = threading.Event()
        self.connections = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set() and self.connections < 5:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(2.0)
                conn.recv(65536)  # the request; its content does not matter here
                conn.sendall(self.head)
                for i in range(self.max_bytes):
                    if self.stop.wait(self.every):
                        return
                    conn.sendall(self.trickle[i % len(self.trickle) : i % len(self.trickle) + 1])
            except OSError:
                return  # the client hung up: what the deadline should do

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.mark.parametrize(
    ("head", "trickle"),
    [
        (b"", b"HTTP/1.1 200 OK\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 999\r\n\r\n",
         b'{"choices": [{"message": {"content": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}]}'),
    ],
    ids=["trickled-headers", "trickled-body"],
)  # fmt: skip
def test_a_server_that_trickles_bytes_is_cut_off_at_the_deadline(
    tmp_path: Path, head: bytes, trickle: bytes
) -> None:
    slow = TrickleServer(head, trickle, every=0.5)
    try:
        ex = make(None, tmp_path, base_url=slow.url, timeout=1.0, retries=0)
        started = time.perf_counter()
        result = ex.extract(DOC)
        elapsed = time.perf_counter() - started
    finally:
        slow.close()
    # Each byte arrives well within any per-read timeout; only an overall deadline stops it.
    assert elapsed < 4.0, elapsed
    assert result.claims == () and "timed out after 1 attempt(s)" in (result.error or "")
    assert "no complete reply within 1 s" in (result.error or "")
    assert not list(tmp_path.iterdir())


def test_redirects_are_not_followed_and_the_key_stays_home(
    server: FakeServer, tmp_path: Path
) -> None:
    other = FakeServer()
    other.thread.start()
    try:
        other.reply(VALID)
        target = other.url + "/chat/completions"
        for status in (302, 307, 308):
            server.reply(status=status, body=b"moved", headers={"Location": target})
        ex = make(server, tmp_path, api_key=SECRET, retries=2)
        errors = [ex.extract(DOC).error or "" for _ in range(3)]
    finally:
        other.stop.set()
        other.httpd.shutdown()
        other.httpd.server_close()
    assert other.requests == []  # nothing, and so no Authorization header, reached the target
    assert len(server.requests) == 3  # one attempt each: a redirect is not retried
    for status, error in zip((302, 307, 308), errors, strict=True):
        assert f"HTTP {status}" in error and "not followed" in error and target in error
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------------------------------------
# No fragment of the key anywhere


def _fragments(key: str, n: int = 4) -> list[str]:
    return [key[i : i + n] for i in range(len(key) - n + 1)]


def _leaks(text: str, key: str) -> list[str]:
    """Fragments of ``key`` (4 characters or more) in ``text`` outside the redaction marks."""
    pieces = text.split(REDACTED)
    return [f for f in _fragments(key) for piece in pieces if f in piece]


KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
FILLER_ALPHABET = " .,;:!?\n\"'()éü→"


@given(
    key=st.text(KEY_ALPHABET, min_size=4, max_size=64),
    before=st.text(FILLER_ALPHABET, max_size=40),
    after=st.text(FILLER_ALPHABET, max_size=40),
    cut=st.integers(min_value=0, max_value=200),
    other_cut=st.integers(min_value=0, max_value=200),
)
@settings(max_examples=300, deadline=None)
def test_redaction_leaves_no_fragment_of_a_key_cut_by_an_excerpt(
    key: str, before: str, after: str, cut: int, other_cut: int
) -> None:
    text = before + key + after
    start = len(before)
    cut, other_cut = min(cut, len(text)), min(other_cut, len(text))
    # An excerpt that cuts the key at one end, at every possible position, and one cut both
    # sides (the key whole, or cut only where the excerpt does not reach).
    excerpts = [text[:cut], text[cut:], text[min(cut, start) : max(other_cut, start + len(key))]]
    for excerpt in excerpts:
        assert _leaks(redact_secret(excerpt, key), key) == [], excerpt
    # Half-masked echoes as servers print them: "sk-ab...wxyz", "sk-ab****".
    echo = f"{key[: max(4, cut % len(key))]}...{key[-max(4, other_cut % len(key)) :]}"
    assert _leaks(redact_secret(before + echo + after, key), key) == []


def test_redaction_keeps_text_without_the_key_intact() -> None:
    assert redact_secret("nothing to hide here", SECRET) == "nothing to hide here"
    assert redact_secret(f"a {SECRET} b", SECRET) == f"a {REDACTED} b"
    assert redact_secret(f"a {SECRET[:10]}", SECRET) == f"a {REDACTED}"
    assert redact_secret(f"{SECRET[-6:]} b", SECRET) == f"{REDACTED} b"
    assert redact_secret(f"x {SECRET[:3]} y", SECRET) == f"x {SECRET[:3]} y"  # under 4 chars


@pytest.mark.parametrize("offset", [0, 1, 5, 10, 15, 20, 23])
def test_no_key_fragment_in_any_error_excerpt_or_cache_file(
    server: FakeServer, tmp_path: Path, offset: int, caplog: pytest.LogCaptureFixture
) -> None:
    """The server puts the key where each excerpt (300, 200 and 120 characters) cuts it."""
    # Unlike SECRET ("...test..."), no fragment of this key occurs in a pytest path by chance.
    key = "sk-Q7vXz9LmPw2RtY8kJ4nB"
    caplog.set_level(logging.DEBUG)
    # HTTP error body: cut at 300 characters.
    server.reply(status=400, body=(("e" * (300 - offset)) + key + " tail").encode())
    # Not a chat completion: the reply excerpt is cut at 200 characters.
    server.reply(body=(("r" * (200 - offset)) + key + " tail").encode())
    # An invalid answer: its excerpt is cut at 120 characters (and the answer is cached).
    server.reply(("a" * (120 - offset)) + key + " and " + key[:9] + "..." + key[-5:])
    ex = make(server, tmp_path, api_key=key, retries=0)
    docs = [Document(f"d{i}", f"Article {i}.", "2023-09-11") for i in range(3)]
    errors = [ex.extract(d).error or "" for d in docs]
    assert "HTTP 400" in errors[0] and "not a chat-completions" in errors[1]
    assert "invalid answer" in errors[2]
    texts = errors + [p.read_text(encoding="utf-8") for p in tmp_path.iterdir()] + [caplog.text]
    assert len(texts) == 5  # three errors, one cache file, the log
    for text in texts:
        assert _leaks(text, key) == [], text


def test_evaluate_refresh_errors_flag_reaches_the_llm_extractor(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import harness.reporting.evaluate as evaluate
    from harness.cli import main

    seen: list[bool] = []

    def fake_run(opts: Any) -> evaluate.EvaluateResult:
        config = {"cache_dir": str(tmp_path), "base_url": "http://127.0.0.1:9/v1", "model": "m"}
        seen.append(LLMPromptExtractor(config).settings.refresh_errors)
        return evaluate.EvaluateResult("board")

    monkeypatch.setattr(evaluate, "evaluate", fake_run)
    out = str(tmp_path / "out")
    for argv in (["--gold", "annotations"], ["--gold", "annotations", "--refresh-errors"]):
        assert main(["evaluate", "--extractors", "llm-prompt", "--out", out, *argv]) == 0
    assert seen == [False, True]
