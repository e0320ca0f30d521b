"""The LLM-prompt baseline: one chat request per article, answered as strict JSON.

The model gets the versioned prompt (``baselines/prompts/claims_v1.txt``), the article's raw text
and its DCT (or, in ``--dct detect``, the instruction to infer it) and returns every check-worthy
claim with an exact evidence quote, a self-contained text, the claimant and a TIMEX3 date.

The answer is parsed strictly and never repaired: one JSON object (one ```json fenced block is
tolerated, nothing else), exactly the keys the prompt asks for, the right types, and dates that
pass :func:`harness.timex.validate`. Any violation makes that document an
``Extraction(error=...)``: a baseline that guessed its way through malformed answers would be
scored on the guesses, not on the model. Evidence quotes are located in the raw text by exact
substring; a quote that is not there keeps its text with no offsets, so that the scorer's text
mode can still match it while the span modes count it as missing.

Configuration: ``baselines/configs/llm-prompt.yaml`` gives the defaults; the mapping passed to
the extractor overrides them key by key; the endpoint, key, cache directory and replay mode fall
back to the ``HARNESS_LLM_*`` environment variables (see :mod:`baselines.llm_client`).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from baselines.llm_client import (
    ENV_BASE_URL,
    ENV_CACHE,
    ENV_MODEL,
    ENV_REFRESH_ERRORS,
    ENV_REPLAY,
    REDACTED,
    ChatClient,
    ChatResult,
    ClientSettings,
    LLMError,
    sha256_text,
)
from harness.extraction.api import Document, Extraction, Extractor, PredictedClaim
from harness.gold import timex

HERE = Path(__file__).resolve().parent
PROMPTS_DIR = HERE / "prompts"
DEFAULT_CONFIG_PATH = HERE / "configs" / "llm-prompt.yaml"

#: Decoding parameters: sent with the request, keyed in the cache, recorded in the signature.
DECODING_KEYS = ("temperature", "max_tokens", "seed", "top_p", "stop", "response_format")
CLIENT_KEYS = (
    "base_url",
    "model",
    "api_key",
    "timeout",
    "retries",
    "backoff",
    "backoff_max",
    "cache",
    "cache_dir",
    "replay",
    "refresh_errors",
)
CONFIG_KEYS = ("prompt", *DECODING_KEYS, *CLIENT_KEYS)

CLAIM_KEYS = ("evidence", "text", "claimant", "date", "date_text")
_DCT_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?$")
_FENCED = re.compile(r"\A```(?:json)?[ \t]*\n(?P<body>.*?)\n?[ \t]*```\Z", re.DOTALL | re.I)
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_SECTION = re.compile(r"^=== (?P<name>[a-z:]+) ===$", re.MULTILINE)
_VERSION = re.compile(r"\A# prompt: (?P<version>\S+)[ \t]*\r?\n")


class AnswerError(ValueError):
    """A model answer that breaks the format the prompt asks for (the message says where)."""


# ---------------------------------------------------------------------------------------------
# Configuration


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    """The default config overlaid with the YAML file at ``path`` (if given), validated.

    YAML is loaded safely and duplicate keys are rejected (:mod:`harness.yamlio`).
    """
    from harness.gold.yamlio import load_yaml

    config = _load_mapping(DEFAULT_CONFIG_PATH, load_yaml)
    if path is not None:
        config.update(_load_mapping(Path(path), load_yaml))
    return validate_config(config)


def _load_mapping(path: Path, load_yaml: Callable[[Path], Any]) -> dict[str, Any]:
    data = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of config keys, got {type(data).__name__}")
    return dict(data)


def resolve_config(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults from ``configs/llm-prompt.yaml`` overridden by ``config``, validated."""
    merged = load_config()
    merged.update(dict(config or {}))
    return validate_config(merged)


def validate_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """Check keys and types; raise ValueError naming the key and the fix."""
    unknown = sorted(set(config) - set(CONFIG_KEYS))
    if unknown:
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(str(key), CONFIG_KEYS, n=1)
            hints.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise ValueError(
            f"unknown llm-prompt config key(s): {', '.join(hints)}; known keys: "
            f"{', '.join(CONFIG_KEYS)}"
        )

    def need(key: str, ok: bool, what: str) -> None:
        if not ok:
            raise ValueError(
                f"llm-prompt config {key!r} must be {what}, got {config[key]!r}; "
                f"hint: see {DEFAULT_CONFIG_PATH.name} for an example"
            )

    def number(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    def integer(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    for key, value in config.items():
        if key == "prompt":
            need(key, isinstance(value, str) and bool(value), "a prompt file name")
        elif key in ("base_url", "model", "api_key", "cache_dir"):
            need(key, value is None or (isinstance(value, str) and bool(value)), "a string or null")
        elif key in ("temperature", "top_p"):
            need(key, value is None or number(value), "a number or null")
        elif key == "max_tokens":
            need(key, value is None or (integer(value) and value > 0), "a positive integer or null")
        elif key == "seed":
            need(key, value is None or integer(value), "an integer or null")
        elif key == "stop":
            ok = value is None or isinstance(value, str)
            ok = ok or (isinstance(value, list) and all(isinstance(s, str) for s in value))
            need(key, ok, "a string, a list of strings or null")
        elif key == "response_format":
            need(key, value is None or isinstance(value, dict), "a mapping or null")
        elif key == "timeout":
            need(key, number(value) and value > 0, "a positive number of seconds")
        elif key == "retries":
            need(key, integer(value) and value >= 0, "a non-negative integer")
        elif key in ("backoff", "backoff_max"):
            need(key, number(value) and value >= 0, "a non-negative number of seconds")
        elif key == "cache":
            need(key, isinstance(value, bool), "true or false")
        elif key in ("replay", "refresh_errors"):
            need(key, value is None or isinstance(value, bool), "true, false or null")
    return dict(config)


# ---------------------------------------------------------------------------------------------
# Prompt


@dataclass(frozen=True)
class Prompt:
    """A prompt file: its version (first line), sha256 (of the bytes) and sections."""

    path: str
    version: str
    sha256: str
    system: str
    user: str
    dct_given: str
    dct_detect: str

    @classmethod
    def load(cls, name: str) -> Prompt:
        """Load ``name`` from ``baselines/prompts/`` (or as a path)."""
        path = PROMPTS_DIR / name
        if not path.is_file():
            path = Path(name)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            known = ", ".join(sorted(p.name for p in PROMPTS_DIR.glob("*.txt")))
            raise ValueError(
                f"cannot read prompt file {path}: {exc.strerror}; known prompts: {known}"
            ) from None
        text = raw.decode("utf-8")
        version = _VERSION.match(text)
        if not version:
            raise ValueError(f"{path}: the first line must be '# prompt: <name>/<version>'")
        marks = list(_SECTION.finditer(text))
        sections: dict[str, str] = {}
        for i, mark in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            if mark.group("name") in sections:
                raise ValueError(f"{path}: section {mark.group('name')!r} appears twice")
            sections[mark.group("name")] = text[mark.end() : end].strip("\n")
        needed = ("system", "user", "dct:given", "dct:detect")
        missing = [n for n in needed if n not in sections]
        extra = sorted(set(sections) - set(needed))
        if missing or extra:
            raise ValueError(
                f"{path}: sections must be exactly {', '.join(needed)} "
                f"(missing: {', '.join(missing) or 'none'}; unknown: {', '.join(extra) or 'none'})"
            )
        return cls(
            path=str(path),
            version=version.group("version"),
            sha256=hashlib.sha256(raw).hexdigest(),
            system=sections["system"],
            user=sections["user"],
            dct_given=sections["dct:given"],
            dct_detect=sections["dct:detect"],
        )

    def messages(self, text: str, dct: str | None) -> list[dict[str, str]]:
        """The chat messages for one article; ``dct=None`` asks the model to infer the DCT.

        Placeholders are filled in one pass over the template, so an article that happens to
        contain ``{{DCT}}`` is sent as written.
        """
        block = self.dct_detect if dct is None else _fill(self.dct_given, {"DCT": dct})
        user = _fill(self.user, {"DCT_BLOCK": block, "ARTICLE": text, "DCT": dct or "unknown"})
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


def _fill(template: str, values: Mapping[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in values:
            raise ValueError(f"prompt placeholder {{{{{m.group(1)}}}}} has no value")
        return values[m.group(1)]

    return _PLACEHOLDER.sub(sub, template)


# ---------------------------------------------------------------------------------------------
# Answer parsing


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise AnswerError(f"duplicate key {key!r} in a JSON object")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise AnswerError(f"{name} is not valid JSON")


def parse_answer(
    content: str, doc: Document, *, detect: bool
) -> tuple[list[PredictedClaim], str | None]:
    """The claims (and, when ``detect``, the DCT) of a model answer; AnswerError if malformed."""
    body = content.strip()
    if body.startswith("```"):
        fenced = _FENCED.match(body)
        if not fenced:
            raise AnswerError("a fenced block must be the whole answer (```json, the JSON, ```)")
        body = fenced.group("body")
    try:
        data = json.loads(
            body, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise AnswerError(
            f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise AnswerError(f"expected a JSON object, got {type(data).__name__}")
    expected = {"claims", "dct"} if detect else {"claims"}
    _check_keys(data, expected, "the answer")
    dct = None
    if detect:
        dct = _check_dct(data["dct"])
    claims_data = data["claims"]
    if not isinstance(claims_data, list):
        raise AnswerError(f"'claims' must be a list, got {type(claims_data).__name__}")
    claims = []
    seen: dict[str, int] = {}
    for i, item in enumerate(claims_data):
        where = f"claims[{i}]"
        if not isinstance(item, dict):
            raise AnswerError(f"{where} must be an object, got {type(item).__name__}")
        _check_keys(item, set(CLAIM_KEYS), where)
        for key in ("evidence", "text", "claimant"):
            if not isinstance(item[key], str) or not item[key].strip():
                raise AnswerError(f"{where}.{key} must be a non-empty string, got {item[key]!r}")
        if item["date_text"] is not None and (
            not isinstance(item["date_text"], str) or not item["date_text"].strip()
        ):
            raise AnswerError(f"{where}.date_text must be a non-empty string or null")
        date = item["date"]
        if date is not None:
            try:
                # Any well-formed value: the gold dates some claims by a DURATION timex
                # ("the past 13 months" -> P13M), so durations are not rejected here.
                date = timex.validate(date)
            except timex.TimexValueError as exc:
                raise AnswerError(f"{where}.date is not a TIMEX3 value: {exc}") from None
        evidence = item["evidence"]
        nth = seen.get(evidence, 0)
        seen[evidence] = nth + 1
        start = _locate(doc.text, evidence, nth)
        claims.append(
            PredictedClaim(
                doc_id=doc.doc_id,
                text=item["text"],
                start=start,
                end=None if start is None else start + len(evidence),
                claimant=item["claimant"],
                date=date,
                date_text=item["date_text"],
            )
        )
    return claims, dct


def _check_keys(obj: Mapping[str, Any], expected: set[str], where: str) -> None:
    missing, extra = sorted(expected - set(obj)), sorted(set(obj) - expected)
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(map(repr, missing))}")
        if extra:
            parts.append(f"unexpected {', '.join(map(repr, extra))}")
        raise AnswerError(
            f"{where}: {'; '.join(parts)} (expected keys: {', '.join(sorted(expected))})"
        )


def _check_dct(value: Any) -> str:
    if not isinstance(value, str):
        raise AnswerError(f"'dct' must be a string, got {value!r}")
    try:
        norm = timex.validate(value, "DATE")
    except timex.TimexValueError as exc:
        raise AnswerError(f"'dct' is not a TIMEX3 value: {exc}") from None
    if not _DCT_SHAPE.match(norm):
        raise AnswerError(f"'dct' must be YYYY-MM-DD or YYYY-MM-DDTHH:MM, got {value!r}")
    return norm


def _locate(text: str, quote: str, nth: int) -> int | None:
    """Offset of the ``nth`` (0-based, overlapping) occurrence of ``quote``, else of the first.

    When a page repeats a headline and the model quotes it twice, the second claim gets the
    second copy (the gold annotates every copy).
    """
    starts = []
    at = text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    if not starts:
        return None
    return starts[nth] if nth < len(starts) else starts[0]


# ---------------------------------------------------------------------------------------------
# The extractor


class LLMPromptExtractor(Extractor):
    """Claims from one chat-completions request per article, parsed strictly, cached."""

    name: ClassVar[str] = "llm-prompt"
    description: ClassVar[str] = (
        "prompted LLM on an OpenAI-compatible endpoint (strict JSON, cached, replayable)"
    )

    def __init__(
        self,
        config: Mapping[str, Any] | None = None,
        *,
        env: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        resolved = resolve_config(config)
        # self.config may be logged by the harness: it must not carry a key given in the config.
        super().__init__({**resolved, "api_key": REDACTED if resolved.get("api_key") else None})
        self.prompt = Prompt.load(resolved["prompt"])
        self.settings = ClientSettings.from_config(resolved, env)
        self.client = ChatClient(self.settings, sleep=sleep)
        self.params = {k: resolved.get(k) for k in DECODING_KEYS}

    @classmethod
    def unavailable_reason(
        cls, config: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
    ) -> str | None:
        """None with an endpoint (base URL and model) or in replay-only mode; else how to enable."""
        try:
            resolved = resolve_config(config)
            Prompt.load(resolved["prompt"])
            settings = ClientSettings.from_config(resolved, env)
        except ValueError as exc:
            return f"not run: invalid llm-prompt configuration: {exc}"
        if settings.endpoint_configured:
            return None
        missing = " and ".join(
            n for n, v in (("base URL", settings.base_url), ("model", settings.model)) if not v
        )
        replay_needs = (
            f"{ENV_REPLAY}=1 replays a recorded run without a network, given the same "
            f"{ENV_BASE_URL}, {ENV_MODEL}, prompt and decoding parameters as that run (all are in "
            f"the cache key) and its cache directory ({settings.cache_dir}; {ENV_CACHE})"
        )
        if settings.cache_mode == "replay":
            return f"not run: replay-only mode without {missing}; hint: {replay_needs}"
        return (
            f"not run: no endpoint configured ({missing} missing); hint: set {ENV_BASE_URL} and "
            f"{ENV_MODEL} (and HARNESS_LLM_API_KEY if the server needs one), or base_url and "
            f"model in a config file (defaults: baselines/configs/{DEFAULT_CONFIG_PATH.name}); "
            f"{replay_needs}"
        )

    def signature(self) -> dict[str, Any]:
        """Everything that shapes the answers, and never the API key."""
        s = self.settings
        return {
            "name": self.name,
            "prompt": {
                "file": Path(self.prompt.path).name,
                "version": self.prompt.version,
                "sha256": self.prompt.sha256,
            },
            "base_url": s.redact(s.base_url) if s.base_url else None,
            "model": s.model,
            "decoding": {k: v for k, v in self.params.items() if v is not None},
            "cache": s.cache_mode,
            "refresh_errors": s.refresh_errors,
            "client": {"timeout": s.timeout, "retries": s.retries},
        }

    def extract(self, doc: Document) -> Extraction:
        """One request (or cache hit) for ``doc``; every failure is this document's error.

        Never raises for a document: an unreachable server, an HTTP error, a replay miss or an
        invalid answer comes back as ``Extraction(error=...)``, which the runner counts per
        document. A cached answer found invalid is reported as invalid again (naming its cache
        file), not replayed as an answer; with ``refresh_errors`` it is fetched again instead.
        """
        detect = doc.dct is None
        messages = self.prompt.messages(doc.text, doc.dct)
        request = {"prompt_sha256": self.prompt.sha256, "doc_sha256": sha256_text(doc.text)}
        key = self.client.key_for(messages, self.params, **request)
        try:
            result = self.client.complete(messages, self.params, **request)
            outcome = self._read(result, doc, detect)
            if isinstance(outcome, str) and result.cache == "hit" and self.settings.refresh_errors:
                result = self.client.complete(messages, self.params, refresh=True, **request)
                outcome = self._read(result, doc, detect)
        except LLMError as exc:
            usage = {
                "cache": "miss" if self.settings.cache_mode != "off" else "off",
                "cache_key": key,
            }
            return Extraction(dct=doc.dct, error=f"llm-prompt: {exc}", usage=usage)
        usage = _usage(result)
        if isinstance(outcome, str):
            return Extraction(dct=doc.dct, error=outcome + self._cached_note(key), usage=usage)
        claims, dct = outcome
        usage["evidence_unlocated"] = sum(c.start is None for c in claims)
        return Extraction(claims=tuple(claims), dct=dct if detect else doc.dct, usage=usage)

    def _read(
        self, result: ChatResult, doc: Document, detect: bool
    ) -> tuple[list[PredictedClaim], str | None] | str:
        """The claims and DCT of an answer, or why the answer is unusable (an error message)."""
        if result.finish_reason == "length":
            return (
                f"llm-prompt: the answer was cut off at max_tokens={self.params['max_tokens']}"
                "; hint: raise max_tokens in the config"
            )
        try:
            return parse_answer(result.content, doc, detect=detect)
        except AnswerError as exc:
            # Redacted before and after the cut: a key cut in two leaves no fragment.
            content = self.settings.redact(result.content.strip())
            snippet = self.settings.redact(content[:120])
            return f"llm-prompt: invalid answer: {exc}; the answer begins {snippet!r}"

    def _cached_note(self, key: str) -> str:
        """Where an invalid answer is cached and how to fetch it again (same text on miss and hit,
        so that a rerun writes the same error)."""
        path = self.client.cache_file(key)
        if path is None:
            return " (cache off: not stored)"
        if self.settings.cache_mode == "replay":
            return (
                f"; cached in {path}; hint: replay cannot fetch it again: run with the network "
                f"({ENV_REPLAY}=0) and --refresh-errors ({ENV_REFRESH_ERRORS}=1)"
            )
        return (
            f"; cached in {path}, so reruns report this error again; hint: rerun with "
            f"--refresh-errors ({ENV_REFRESH_ERRORS}=1) to fetch it again"
        )


def _usage(result: ChatResult) -> dict[str, Any]:
    return {
        "prompt_tokens": result.prompt_tokens,
        "completion_tokens": result.completion_tokens,
        "latency_s": result.latency_s,
        "attempts": result.attempts,
        "cache": result.cache,
        "cache_key": result.key,
    }
