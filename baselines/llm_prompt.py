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

The options and the prompt file are :mod:`baselines.llm_config`, the answer parser
:mod:`baselines.llm_answer`; this module holds the extractor and re-exports their public names.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from baselines.llm_answer import (
    CLAIM_KEYS,
    AnswerError,
    parse_answer,
)
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
from baselines.llm_config import (
    CLIENT_KEYS,
    CONFIG_KEYS,
    DECODING_KEYS,
    DEFAULT_CONFIG_PATH,
    HERE,
    PROMPTS_DIR,
    Prompt,
    load_config,
    resolve_config,
    run_signature,
    settings_or_problem,
    validate_config,
)
from harness.extraction.api import Document, Extraction, Extractor, PredictedClaim

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
        settings = settings_or_problem("llm-prompt", Prompt.load, config, env)
        if isinstance(settings, str):
            return f"not run: {settings}"
        if settings.endpoint_configured:
            return None
        missing = settings.missing
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
            **run_signature(self.name, s, self.prompt, self.params),
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


__all__ = [
    "CLAIM_KEYS",
    "CLIENT_KEYS",
    "CONFIG_KEYS",
    "DECODING_KEYS",
    "DEFAULT_CONFIG_PATH",
    "HERE",
    "PROMPTS_DIR",
    "AnswerError",
    "LLMPromptExtractor",
    "Prompt",
    "load_config",
    "parse_answer",
    "resolve_config",
    "validate_config",
]
