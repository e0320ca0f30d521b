"""An LLM judge as a similarity strategy: "do these two claims report the same fact?".

Why a judge: paraphrases that share few words ("Analysts expect no deal" / "Experts do not
anticipate an agreement") defeat TF-IDF and static embeddings; an entailment-style judgment
does not. Why here and not in the harness: it is a plugin like any other (entry point
``llm-judge`` in the group ``harness.similarities``), so the harness core never imports
``baselines``.

It sends one chat-completions request per (gold claim, predicted claim) pair, through the same
client and cache as the llm-prompt extractor (:mod:`baselines.llm_client`): the cache key covers
endpoint, model, prompt file hash, messages and decoding parameters, so reruns are free and a
reviewer can replay them without a network. The prompt is a versioned file
(``baselines/prompts/judge_v1.txt``). The answer must be exactly ``{"same_fact": true|false}``;
anything else is an error that stops the scoring with the cache file to inspect, never a silent
"no match". Without an endpoint (and not in replay-only mode) the strategy is "not run".

Cost: a document with g gold claims and p predictions takes g·p requests.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from baselines.llm_client import REDACTED, ChatClient, ClientSettings, LLMError
from harness.gold.corpus import Corpus
from harness.scoring.similarity import TextSimilarity

HERE = Path(__file__).resolve().parent
DEFAULT_CONFIG_PATH = HERE / "configs" / "llm-judge.yaml"
DECODING_KEYS = ("temperature", "max_tokens", "seed", "top_p", "stop", "response_format")


class JudgeError(RuntimeError):
    """The judge gave no usable verdict for a pair; the message names the pair and the cache."""


@dataclass(frozen=True)
class JudgePrompt:
    """A judge prompt file: version (first line), sha256 of its bytes, system and user messages."""

    path: str
    version: str
    sha256: str
    system: str
    user: str

    @classmethod
    def load(cls, name: str) -> JudgePrompt:
        from baselines.llm_config import read_prompt

        path, version, sha256, pairs = read_prompt(name, "judge prompt")
        sections = dict(pairs)
        if sorted(sections) != ["system", "user"] or len(pairs) != 2:
            raise ValueError(f"{path}: sections must be exactly 'system' and 'user', once each")
        if "{{REFERENCE}}" not in sections["user"] or "{{CANDIDATE}}" not in sections["user"]:
            raise ValueError(
                f"{path}: the user section needs {{{{REFERENCE}}}} and {{{{CANDIDATE}}}}"
            )
        return cls(
            str(path),
            version,
            sha256,
            sections["system"],
            sections["user"],
        )

    def messages(self, reference: str, candidate: str) -> list[dict[str, str]]:
        user = self.user.replace("{{REFERENCE}}", reference).replace("{{CANDIDATE}}", candidate)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


def resolve_config(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults from ``configs/llm-judge.yaml`` overridden by ``config``, validated.

    The keys are the llm-prompt extractor's, so its validation applies; its messages are
    relabelled to name this strategy and file.
    """
    from baselines.llm_prompt import validate_config
    from harness.gold.yamlio import load_yaml

    merged = dict(load_yaml(DEFAULT_CONFIG_PATH) or {})
    merged.update(dict(config or {}))
    try:
        return validate_config(merged)
    except ValueError as exc:
        msg = str(exc).replace("llm-prompt.yaml", DEFAULT_CONFIG_PATH.name)
        raise ValueError(msg.replace("llm-prompt", "llm-judge")) from None


def parse_verdict(content: str) -> bool:
    """``{"same_fact": true|false}`` exactly (white space aside); ValueError otherwise."""
    try:
        obj = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(obj, dict) or set(obj) != {"same_fact"}:
        raise ValueError('expected exactly {"same_fact": true|false}')
    if not isinstance(obj["same_fact"], bool):
        raise ValueError(f"same_fact must be true or false, got {obj['same_fact']!r}")
    return obj["same_fact"]


class LLMJudgeSimilarity(TextSimilarity):
    """1.0 when the judge says two claims report the same fact, else 0.0."""

    name: ClassVar[str] = "llm-judge"
    expensive: ClassVar[bool] = True
    description: ClassVar[str] = (
        "LLM judge on an OpenAI-compatible endpoint: same fact or not (cached, replayable)"
    )

    def __init__(
        self,
        corpus: Corpus,
        config: Mapping[str, Any] | None = None,
        *,
        env: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        resolved = resolve_config(config)
        super().__init__(
            corpus, {**resolved, "api_key": REDACTED if resolved.get("api_key") else None}
        )
        self.prompt = JudgePrompt.load(resolved["prompt"])
        self.settings = ClientSettings.from_config(resolved, env)
        self.client = ChatClient(self.settings, sleep=sleep)
        self.params = {k: resolved.get(k) for k in DECODING_KEYS}
        self.usage = {"requests": 0, "cache_hits": 0}

    @classmethod
    def unavailable_reason(
        cls, config: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
    ) -> str | None:
        from baselines.llm_config import settings_or_problem

        settings = settings_or_problem("llm-judge", JudgePrompt.load, config, env, resolve_config)
        if isinstance(settings, str):
            return settings
        if settings.endpoint_configured:
            return None
        missing = settings.missing
        return (
            f"no endpoint configured ({missing} missing); hint: set HARNESS_LLM_BASE_URL and "
            "HARNESS_LLM_MODEL (the same variables as the llm-prompt extractor), or base_url and "
            f"model in {DEFAULT_CONFIG_PATH.name}"
        )

    def signature(self) -> dict[str, Any]:
        from baselines.llm_config import run_signature

        return run_signature(self.name, self.settings, self.prompt, self.params)

    def judge(self, reference: str, candidate: str) -> bool:
        """One verdict, from the cache or the endpoint; :class:`JudgeError` when there is none."""
        messages = self.prompt.messages(reference, candidate)
        try:
            result = self.client.complete(messages, self.params, prompt_sha256=self.prompt.sha256)
        except LLMError as exc:
            raise JudgeError(
                f"llm-judge: no verdict for {candidate!r} vs {reference!r}: {exc}"
            ) from None
        self.usage["requests"] += 1
        self.usage["cache_hits"] += result.cache == "hit"
        try:
            return parse_verdict(result.content)
        except ValueError as exc:
            where = self.client.cache_file(result.key)
            raise JudgeError(
                f"llm-judge: invalid answer for {candidate!r} vs {reference!r}: {exc}"
                + (f"; the answer is cached in {where}" if where else "")
            ) from None

    def text_matrix(self, gold: Sequence[str], pred: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(gold), len(pred)))
        for i, g in enumerate(gold):
            for j, p in enumerate(pred):
                out[i, j] = float(self.judge(g, p))
        return out
