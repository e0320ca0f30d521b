"""Settings of the LLM client: endpoint, key, deadlines, cache mode; errors; key redaction.

The key lives only in :class:`ClientSettings` (kept out of its repr) and in the request header;
every message is passed through :meth:`ClientSettings.redact`, which removes every prefix and
suffix of the key of four characters or more (servers echo keys half-masked, excerpts cut them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
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


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


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
    def missing(self) -> str:
        """What an endpoint still lacks, for messages: "base URL", "model", both, or ""."""
        parts = (("base URL", self.base_url), ("model", self.model))
        return " and ".join(name for name, value in parts if not value)

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
