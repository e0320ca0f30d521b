"""A fake OpenAI-compatible server for the LLM tests, and a guard against ambient settings."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class FakeServer:
    """An OpenAI-compatible endpoint that plays a script of replies and records the requests."""

    def __init__(self) -> None:
        self.script: list[tuple[int, bytes, float, dict[str, str]]] = []
        self.requests: list[dict[str, Any]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                with server.lock:
                    server.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    step = server.script.pop(0) if server.script else None
                if step is None:
                    status, payload, delay, headers = 599, b"script exhausted", 0.0, {}
                else:
                    status, payload, delay, headers = step
                if delay:
                    server.stop.wait(delay)
                payload = payload.replace(b"{AUTH}", self.headers.get("Authorization", "").encode())
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        # A short poll interval keeps shutdown, and so each test, fast.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def reply(
        self,
        content: str | None = None,
        *,
        status: int = 200,
        body: bytes | None = None,
        delay: float = 0.0,
        finish_reason: str = "stop",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Queue one reply: a chat completion carrying ``content``, or a raw ``body``."""
        if body is None:
            body = json.dumps(
                {
                    "id": "cmpl-1",
                    "object": "chat.completion",
                    "model": "test-model",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": content},
                            "finish_reason": finish_reason,
                        }
                    ],
                    "usage": {"prompt_tokens": 1234, "completion_tokens": 56},
                }
            ).encode()
        self.script.append((status, body, delay, headers or {}))


@contextmanager
def running_server() -> Iterator[FakeServer]:
    """A started FakeServer, shut down on exit."""
    fake = FakeServer()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.stop.set()
        fake.httpd.shutdown()
        fake.httpd.server_close()


def clear_llm_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's HARNESS_LLM_* or proxy variables must not leak into the tests."""
    for var in ("BASE_URL", "MODEL", "API_KEY", "CACHE", "REPLAY", "REFRESH_ERRORS"):
        monkeypatch.delenv(f"HARNESS_LLM_{var}", raising=False)
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
