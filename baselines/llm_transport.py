"""One HTTP exchange of the LLM client, under one overall deadline, and the reading of its reply.

No redirects (the request carries the key), one deadline per attempt covering connect, send and
the whole reply (a server that trickles bytes must not hold a document for ever), a size cap on
the reply, and a reply that is not a chat completion is a :class:`ResponseFormatError`.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import urllib.parse
from collections.abc import Mapping
from typing import Any

from baselines.llm_settings import ENV_API_KEY, ClientSettings, ResponseFormatError

#: A reply larger than this is refused (memory stays bounded whatever the server sends).
MAX_REPLY_BYTES = 64 * 1024 * 1024


#: Failures worth another attempt besides 429/5xx: timeouts, socket and TLS errors, broken replies.
_TRANSIENT = (OSError, http.client.HTTPException)


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
