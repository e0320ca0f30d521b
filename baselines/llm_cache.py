"""The answer cache of the LLM client: the key (everything that can change an answer) and the files.

A cache keyed on less than the base URL, model, prompt file, messages, decoding parameters and
document silently hands one model's answers to another; entries are written atomically.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baselines.llm_settings import CACHE_FORMAT, normalize_base_url

log = logging.getLogger("baselines.llm_client")  # one logger for the client and its parts


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
        from harness.extraction.atomic import write_text_atomic

        return write_text_atomic(self.path(key), text)
