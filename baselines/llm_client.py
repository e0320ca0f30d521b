"""A small client for OpenAI-compatible chat-completions endpoints, with retries and a cache.

Why not a vendor SDK: the harness must run against any server that speaks the de-facto
``POST {base_url}/chat/completions`` protocol (OpenAI, vLLM, llama.cpp, Ollama, TGI ...) without
adding a dependency, so this module uses the standard library only.

Why a cache: LLM answers are expensive and not always reproducible, so every answer is stored
and a rerun (or a reviewer without an API key, in replay-only mode) gets exactly the same
predictions. The cache key covers *everything* that can change the answer -- base URL, model,
prompt file hash, messages, decoding parameters and document hash -- because a cache keyed on
less silently hands one model's answers to another.

Why so careful with the API key: results, caches and logs are shared. The key lives only in the
request header; it is kept out of reprs, and every message this module produces (errors, log
lines, cache files) is passed through :meth:`ClientSettings.redact` in case a server echoes it.
Servers often echo a key half-masked ("sk-abc...wxyz"), and an excerpt can cut a key in two, so
redaction removes every prefix and suffix of the key of four characters or more, and texts are
redacted before they are cut into excerpts.

Why no redirects and one deadline: the request carries the key in its ``Authorization`` header, so
a 3xx reply is an error (following it could hand the key to another origin), and a server that
answers one byte at a time must not hold a document for ever, so each attempt has one overall
deadline (``timeout``) covering connect, send and the whole reply, not a per-read timeout.

The parts: settings, errors and redaction in :mod:`baselines.llm_settings`, the cache key and
files in :mod:`baselines.llm_cache`, one HTTP exchange and its reply in
:mod:`baselines.llm_transport`; this module holds :class:`ChatClient` (retries, the cache in
front of the network) and re-exports the public names of the three.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from baselines.llm_cache import (
    ChatResult,
    ResponseCache,
    cache_key,
    canonical_json,
    sha256_text,
)
from baselines.llm_settings import (
    CACHE_FORMAT,
    CACHE_MODES,
    DEFAULT_CACHE_DIR,
    ENV_API_KEY,
    ENV_BASE_URL,
    ENV_CACHE,
    ENV_MODEL,
    ENV_REFRESH_ERRORS,
    ENV_REPLAY,
    MIN_KEY_FRAGMENT,
    REDACTED,
    ClientSettings,
    HTTPStatusError,
    LLMError,
    ReplayMiss,
    ResponseFormatError,
    TransportError,
    normalize_base_url,
    parse_flag,
    redact_secret,
)
from baselines.llm_transport import (
    _TRANSIENT,
    MAX_REPLY_BYTES,
    DeadlineExceeded,
    _excerpt,
    _exchange,
    _is_timeout,
    _parse_reply,
    _retry_after,
    _status_hint,
)

log = logging.getLogger(__name__)


class ChatClient:
    """Sends chat-completions requests with retries, through the cache.

    Retries (``settings.retries`` of them, after the first attempt) cover what may succeed on a
    second try: timeouts, connection errors, HTTP 429 and 5xx. Other 4xx mean the request itself
    is wrong, so they fail at once. The wait doubles from ``backoff`` up to ``backoff_max``
    seconds (a longer ``Retry-After`` is honoured up to the same cap); there is no jitter, so a
    run's timing behaviour is reproducible. ``sleep`` is injectable for tests.
    """

    def __init__(
        self,
        settings: ClientSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.settings = settings
        self.cache = ResponseCache(settings.cache_dir)
        self._sleep = sleep
        self._clock = clock

    def key_for(
        self,
        messages: Sequence[Mapping[str, str]],
        params: Mapping[str, Any],
        *,
        prompt_sha256: str | None = None,
        doc_sha256: str | None = None,
    ) -> str:
        """The cache key of a request; ``None`` parameters are not sent, so not keyed."""
        return cache_key(
            base_url=self.settings.base_url,
            model=self.settings.model,
            messages=messages,
            params={k: v for k, v in params.items() if v is not None},
            prompt_sha256=prompt_sha256,
            doc_sha256=doc_sha256,
        )

    def cache_file(self, key: str) -> Path | None:
        """Where the answer to ``key`` is (or would be) cached; None with the cache off."""
        return None if self.settings.cache_mode == "off" else self.cache.path(key)

    def complete(
        self,
        messages: Sequence[Mapping[str, str]],
        params: Mapping[str, Any],
        *,
        prompt_sha256: str | None = None,
        doc_sha256: str | None = None,
        refresh: bool = False,
    ) -> ChatResult:
        """The answer to ``messages``: from the cache when stored, else from the endpoint.

        ``params`` are the decoding parameters sent with the request (``None`` values are left
        out). ``refresh`` skips the cache lookup (the caller found the cached answer invalid) and
        overwrites the entry; it is an error in replay-only mode, which never sends anything.
        Raises :class:`LLMError` (redacted message) when no answer can be had.
        """
        s = self.settings
        params = {k: v for k, v in params.items() if v is not None}
        key = self.key_for(messages, params, prompt_sha256=prompt_sha256, doc_sha256=doc_sha256)
        if s.cache_mode != "off" and not refresh:
            entry = self.cache.get(key)
            if entry is not None:
                return self._from_entry(entry, key)
        if s.cache_mode == "replay":
            path = self.cache.path(key)
            if refresh:
                raise ReplayMiss(
                    s.redact(
                        f"replay-only mode cannot fetch the answer in {path} again; hint: run "
                        f"with the network ({ENV_REPLAY}=0) and {ENV_REFRESH_ERRORS}=1"
                    )
                )
            missing = [n for n, v in (("base_url", s.base_url), ("model", s.model)) if not v]
            why = (
                f" ({' and '.join(missing)} not set, so no recorded request can match; hint: set "
                f"{ENV_BASE_URL} and {ENV_MODEL} to the values of the recorded run)"
                if missing
                else (
                    "; hint: replay needs the cache directory, base_url, model, prompt and "
                    "decoding parameters of the recorded run, or one run with the network "
                    f"({ENV_REPLAY}=0) to fill the cache"
                )
            )
            raise ReplayMiss(
                s.redact(f"replay-only mode: no cached response {path} (key {key})") + s.redact(why)
            )
        if not s.endpoint_configured:
            raise LLMError(
                "no endpoint configured; hint: set "
                f"{ENV_BASE_URL} and {ENV_MODEL}, or base_url and model in the config"
            )
        body = {"model": s.model, "messages": [dict(m) for m in messages], **params}
        started = self._clock()
        reply, attempts = self._post(json.dumps(body).encode("utf-8"))
        latency = round(self._clock() - started, 4)
        fields = _parse_reply(reply, s)
        entry = {
            "format": CACHE_FORMAT,
            "key": key,
            "request": {
                "base_url": normalize_base_url(s.base_url or ""),
                "model": s.model,
                "prompt_sha256": prompt_sha256,
                "doc_sha256": doc_sha256,
                "params": params,
                "messages": [dict(m) for m in messages],
            },
            "response": fields,
            "latency_s": latency,
            "attempts": attempts,
        }
        # What a later hit will read, so that a miss reports the same: every string redacted.
        entry = s.redact_all(entry)
        text = json.dumps(entry, ensure_ascii=False, indent=1)
        if s.cache_mode == "readwrite":
            try:
                self.cache.put(key, text)
            except OSError as exc:  # the answer is still good; only the rerun will pay again
                log.warning(
                    "could not write cache entry %s: %s; hint: check that cache_dir (%s) is a "
                    "writable directory",
                    self.cache.path(key),
                    exc,
                    s.cache_dir,
                )
        return self._from_entry(entry, key, cache="miss" if s.cache_mode == "readwrite" else "off")

    def _from_entry(self, entry: Mapping[str, Any], key: str, cache: str = "hit") -> ChatResult:
        try:
            response = entry["response"]
            return ChatResult(
                content=response["content"],
                finish_reason=response.get("finish_reason"),
                prompt_tokens=response.get("prompt_tokens"),
                completion_tokens=response.get("completion_tokens"),
                latency_s=float(entry["latency_s"]),
                attempts=int(entry.get("attempts", 1)),
                cache=cache,
                key=key,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise LLMError(
                f"cache entry {self.cache.path(key)} is malformed ({type(exc).__name__}: {exc}); "
                "hint: delete it to fetch the answer again"
            ) from None

    def _post(self, body: bytes) -> tuple[bytes, int]:
        """POST with retries; returns the raw reply and the number of attempts."""
        s = self.settings
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if s.api_key:
            headers["Authorization"] = f"Bearer {s.api_key}"
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                status, reply_headers, payload = _exchange(s.url, body, headers, s.timeout)
                if 200 <= status < 300:
                    return payload, attempt
                retry_after = _retry_after(reply_headers.get("retry-after"))
                detail = _excerpt(payload, s, 300) if payload else "(no body)"
                if 300 <= status < 400:
                    location = reply_headers.get("location") or "(no Location header)"
                    raise HTTPStatusError(
                        s.redact(
                            f"HTTP {status} from {s.url}: a redirect to {location}, which is not "
                            "followed (the request carries the API key); hint: set base_url to "
                            "the API root the server redirects to"
                        ),
                        status,
                    ) from None
                message = s.redact(
                    f"HTTP {status} from {s.url} after {attempt} attempt(s): {detail}"
                    f"{_status_hint(status)}"
                )
                if not (status == 429 or 500 <= status < 600) or attempt > s.retries:
                    raise HTTPStatusError(message, status) from None
            except _TRANSIENT as exc:
                kind = "timed out" if _is_timeout(exc) else "connection failed"
                message = s.redact(
                    f"request to {s.url} {kind} after {attempt} attempt(s) "
                    f"(deadline {s.timeout:g} s per attempt): {type(exc).__name__}: {exc}; hint: "
                    "check that the server is up, or raise timeout/retries in the config"
                )
                if attempt > s.retries:
                    raise TransportError(message) from None
            delay = min(s.backoff * 2 ** (attempt - 1), s.backoff_max)
            if retry_after is not None:
                delay = min(max(delay, retry_after), s.backoff_max)
            log.warning("%s; retrying in %.2f s", message, delay)
            self._sleep(delay)


__all__ = [
    "CACHE_FORMAT",
    "CACHE_MODES",
    "DEFAULT_CACHE_DIR",
    "ENV_API_KEY",
    "ENV_BASE_URL",
    "ENV_CACHE",
    "ENV_MODEL",
    "ENV_REFRESH_ERRORS",
    "ENV_REPLAY",
    "MAX_REPLY_BYTES",
    "MIN_KEY_FRAGMENT",
    "REDACTED",
    "ChatClient",
    "ChatResult",
    "ClientSettings",
    "DeadlineExceeded",
    "HTTPStatusError",
    "LLMError",
    "ReplayMiss",
    "ResponseCache",
    "ResponseFormatError",
    "TransportError",
    "cache_key",
    "canonical_json",
    "normalize_base_url",
    "parse_flag",
    "redact_secret",
    "sha256_text",
]
