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
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import logging
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_BASE_URL = "HARNESS_LLM_BASE_URL"
ENV_MODEL = "HARNESS_LLM_MODEL"
ENV_API_KEY = "HARNESS_LLM_API_KEY"
ENV_CACHE = "HARNESS_LLM_CACHE"
ENV_REPLAY = "HARNESS_LLM_REPLAY"
ENV_REFRESH_ERRORS = "HARNESS_LLM_REFRESH_ERRORS"

DEFAULT_CACHE_DIR = ".cache/llm"
#: Bumped when the cache entry layout or the key recipe changes, so old entries stop matching.
CACHE_FORMAT = 1
CACHE_MODES = ("readwrite", "replay", "off")
REDACTED = "[redacted]"
#: Shortest prefix or suffix of the API key that is redacted wherever it appears.
MIN_KEY_FRAGMENT = 4
#: A reply larger than this is refused (memory stays bounded whatever the server sends).
MAX_REPLY_BYTES = 64 * 1024 * 1024

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}

log = logging.getLogger(__name__)

#: Failures worth another attempt besides 429/5xx: timeouts, socket and TLS errors, broken replies.
_TRANSIENT = (OSError, http.client.HTTPException)


class LLMError(RuntimeError):
    """A request that produced no usable answer; the message says why and what to check."""


class ReplayMiss(LLMError):
    """Replay-only mode and no cached response for this request: nothing was sent."""


class HTTPStatusError(LLMError):
    """The server answered with an error status (after retries, for 429 and 5xx)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class TransportError(LLMError):
    """Timeouts and connection failures that outlasted the retries."""


class ResponseFormatError(LLMError):
    """A 2xx reply that is not a chat-completions response."""


@dataclass(frozen=True)
class ClientSettings:
    """Where and how to send requests, and how to cache them.

    Build it with :meth:`from_config`, which applies the precedence *config value, then
    environment variable, then built-in default*. ``cache_mode`` is ``readwrite`` (use and fill
    the cache), ``replay`` (cache only, never the network) or ``off``.
    """

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 120.0
    retries: int = 3
    backoff: float = 1.0
    backoff_max: float = 30.0
    cache_dir: str = DEFAULT_CACHE_DIR
    cache_mode: str = "readwrite"
    #: Fetch again a cached answer that the caller found invalid (instead of replaying the error).
    refresh_errors: bool = False

    def __post_init__(self) -> None:
        if self.base_url is not None and not self.base_url.startswith(("http://", "https://")):
            raise ValueError(
                f"base_url {self.redact(self.base_url)!r} is not an http(s) URL; hint: give the "
                "API root, e.g. http://127.0.0.1:8000/v1 (without /chat/completions)"
            )
        if self.cache_mode not in CACHE_MODES:
            raise ValueError(
                f"cache mode {self.cache_mode!r} is not one of {', '.join(CACHE_MODES)}"
            )
        if not self.timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {self.timeout!r}")
        if self.retries < 0 or self.backoff < 0 or self.backoff_max < 0:
            raise ValueError("retries, backoff and backoff_max must not be negative")

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any], env: Mapping[str, str] | None = None
    ) -> ClientSettings:
        """Settings from a config mapping, falling back to ``HARNESS_LLM_*`` variables."""
        env = os.environ if env is None else env

        def pick(key: str, var: str) -> str | None:
            value = config.get(key)
            if value is None:
                value = env.get(var) or None
            return value

        replay = config.get("replay")
        if replay is None:
            replay = parse_flag(env.get(ENV_REPLAY, ""), ENV_REPLAY)
        use_cache = config.get("cache", True)
        if replay and not use_cache:
            raise ValueError(
                "replay-only mode needs the cache; hint: set cache: true or replay off"
            )
        mode = "replay" if replay else ("readwrite" if use_cache else "off")
        refresh = config.get("refresh_errors")
        if refresh is None:
            refresh = parse_flag(env.get(ENV_REFRESH_ERRORS, ""), ENV_REFRESH_ERRORS)
        defaults = cls()
        return cls(
            base_url=pick("base_url", ENV_BASE_URL),
            model=pick("model", ENV_MODEL),
            api_key=pick("api_key", ENV_API_KEY),
            timeout=float(config.get("timeout", defaults.timeout)),
            retries=int(config.get("retries", defaults.retries)),
            backoff=float(config.get("backoff", defaults.backoff)),
            backoff_max=float(config.get("backoff_max", defaults.backoff_max)),
            cache_dir=pick("cache_dir", ENV_CACHE) or DEFAULT_CACHE_DIR,
            cache_mode=mode,
            refresh_errors=bool(refresh),
        )

    @property
    def endpoint_configured(self) -> bool:
        return bool(self.base_url and self.model)

    @property
    def url(self) -> str:
        """The chat-completions URL of ``base_url``."""
        return normalize_base_url(self.base_url or "") + "/chat/completions"

    def redact(self, text: str) -> str:
        """``text`` without the API key or any prefix or suffix of it of 4 characters or more."""
        return redact_secret(text, self.api_key)

    def redact_all(self, value: Any) -> Any:
        """``value`` (JSON-like) with :meth:`redact` applied to every string in it, keys too."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {self.redact_all(k): self.redact_all(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.redact_all(v) for v in value]
        return value


def redact_secret(text: str, secret: str | None, min_fragment: int = MIN_KEY_FRAGMENT) -> str:
    """``text`` with ``secret`` and each prefix or suffix of it (``min_fragment`` chars or more)
    replaced by ``[redacted]``.

    Prefixes catch a key cut at the end of an excerpt or echoed as "sk-abc...", suffixes one cut
    at the start or echoed as "...wxyz". Linear in ``len(text) * len(secret)``: each occurrence of
    the secret's first (last) ``min_fragment`` characters is extended as far as it matches.
    """
    if not secret:
        return text
    if len(secret) < min_fragment:
        return text.replace(secret, REDACTED)
    spans: list[tuple[int, int]] = []
    head, tail = secret[:min_fragment], secret[-min_fragment:]
    at = text.find(head)
    while at != -1:
        n = min_fragment
        while n < len(secret) and at + n < len(text) and text[at + n] == secret[n]:
            n += 1
        spans.append((at, at + n))
        at = text.find(head, at + 1)
    at = text.find(tail)
    while at != -1:
        stop, n = at + min_fragment, min_fragment
        while n < len(secret) and stop - n - 1 >= 0 and text[stop - n - 1] == secret[-n - 1]:
            n += 1
        spans.append((stop - n, stop))
        at = text.find(tail, at + 1)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out += [text[pos:start], REDACTED]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def parse_flag(value: str, name: str) -> bool:
    """An environment flag: 1/true/yes/on or 0/false/no/off/empty (case-insensitive)."""
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ValueError(f"{name}={value!r} is not a flag; hint: use 1 to enable or 0 to disable")


def normalize_base_url(base_url: str) -> str:
    """``http://h/v1/`` and ``http://h/v1`` are the same endpoint, and share cache entries."""
    return base_url.rstrip("/")


def canonical_json(obj: Any) -> str:
    """One spelling per value (sorted keys, no blanks), so equal requests hash equally."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(
    *,
    base_url: str | None,
    model: str | None,
    messages: Sequence[Mapping[str, str]],
    params: Mapping[str, Any],
    prompt_sha256: str | None,
    doc_sha256: str | None,
) -> str:
    """The sha256 of everything that can change the answer (and nothing secret).

    The messages already contain the prompt and the document; their hashes are keyed as well so
    that the entry says, in so many words, which prompt file and which document it answers.
    """
    material = {
        "format": CACHE_FORMAT,
        "base_url": normalize_base_url(base_url) if base_url else None,
        "model": model,
        "prompt_sha256": prompt_sha256,
        "doc_sha256": doc_sha256,
        "params": dict(params),
        "messages": [dict(m) for m in messages],
    }
    return sha256_text(canonical_json(material))


@dataclass(frozen=True)
class ChatResult:
    """One answer. ``latency_s`` is the wall time of the request, retries included; on a cache
    hit it is the latency recorded when the answer was fetched, so reruns log the same numbers."""

    content: str
    finish_reason: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_s: float
    attempts: int
    cache: str  # "hit", "miss" or "off"
    key: str


class ResponseCache:
    """One JSON file per key, ``<dir>/<key>.json``, written atomically (temp file + rename) so
    that an interrupted run never leaves a half-written entry for the next run to trust."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored entry, or None when absent or unreadable (an unreadable one is logged)."""
        path = self.path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable cache entry %s: %s", path, exc)
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            log.warning("ignoring cache entry %s: it does not belong to key %s", path, key)
            return None
        return entry

    def put(self, key: str, text: str) -> Path:
        """Store the serialized entry ``text`` under ``key``."""
        from harness.extraction.predictions import write_text_atomic

        return write_text_atomic(self.path(key), text)


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


class DeadlineExceeded(TimeoutError):
    """The whole exchange (connect, send, reply) outlasted its deadline."""


def _exchange(
    url: str, body: bytes, headers: Mapping[str, str], deadline_s: float
) -> tuple[int, dict[str, str], bytes]:
    """One POST: (status, lower-cased headers, body), all within ``deadline_s`` seconds.

    ``http.client`` rather than ``urllib``: it never follows redirects. The socket timeout alone
    bounds each read, not the exchange, so a watchdog shuts the socket down at the deadline; a
    read blocked on a server that trickles bytes then returns, and the exchange fails.
    """
    parts = urllib.parse.urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(parts.hostname or "", parts.port, timeout=deadline_s)
    expired = threading.Event()

    def cut() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed: nothing left to cut
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    watchdog = threading.Timer(deadline_s, cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        try:
            conn.request("POST", path, body=body, headers=dict(headers))
            response = conn.getresponse()
            limit = MAX_REPLY_BYTES if 200 <= response.status < 300 else 2000
            chunks, size = [], 0
            while size <= limit:
                chunk = response.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > limit and 200 <= response.status < 300:
                raise http.client.HTTPException(f"the reply is larger than {MAX_REPLY_BYTES} bytes")
            payload = b"".join(chunks)[:limit]
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set():
                raise DeadlineExceeded(f"no complete reply within {deadline_s:g} s") from None
            raise exc
        if expired.is_set():
            raise DeadlineExceeded(f"no complete reply within {deadline_s:g} s")
        reply_headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, reply_headers, payload
    finally:
        watchdog.cancel()
        watchdog.join()  # never let the watchdog touch a socket number that close() freed
        conn.close()


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, TimeoutError) or "timed out" in str(exc)


def _retry_after(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:  # an HTTP date: fall back to the exponential schedule
        return None


def _excerpt(raw: bytes, settings: ClientSettings, limit: int) -> str:
    """The first ``limit`` characters of ``raw``, on one line, redacted before and after the cut
    (so that a key cut in two by the excerpt leaves no fragment behind)."""
    text = settings.redact(raw.decode("utf-8", "replace")).strip().replace("\n", " ")
    return settings.redact(text[:limit] + " ...") if len(text) > limit else text


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return f"; hint: check the API key ({ENV_API_KEY})"
    if status == 404:
        return "; hint: check base_url (the API root, e.g. http://host:8000/v1) and the model name"
    if status in (400, 422):
        return (
            "; hint: check the model name and the decoding parameters this server accepts "
            "(seed, response_format, max_tokens)"
        )
    return ""


def _parse_reply(raw: bytes, settings: ClientSettings) -> dict[str, Any]:
    """The fields kept from a chat-completions reply; raises ResponseFormatError otherwise."""

    def fail(why: str) -> ResponseFormatError:
        snippet = _excerpt(raw, settings, 200)
        return ResponseFormatError(
            settings.redact(
                f"reply from {settings.url} is not a chat-completions response ({why}); it "
                f"begins: {snippet!r}; hint: is base_url the API root of an OpenAI-compatible "
                "server?"
            )
        )

    try:
        reply = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise fail("not JSON") from None
    if not isinstance(reply, dict):
        raise fail("not a JSON object")
    choices = reply.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise fail("no choices")
    message = choices[0].get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        raise fail("choices[0].message.content is not a string")
    usage = reply.get("usage") if isinstance(reply.get("usage"), dict) else {}

    def count(name: str) -> int | None:
        value = usage.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    finish = choices[0].get("finish_reason")
    return {
        "content": content,
        "finish_reason": finish if isinstance(finish, str) else None,
        "prompt_tokens": count("prompt_tokens"),
        "completion_tokens": count("completion_tokens"),
        "model": reply.get("model") if isinstance(reply.get("model"), str) else None,
    }
