"""Configuration and prompt of the LLM-prompt baseline: the options, their checks, the prompt file.

Defaults come from ``baselines/configs/llm-prompt.yaml``, overridden key by key; unknown keys and
bad values are refused with the key named. A prompt file is versioned (``# prompt: NAME``) and
hashed, and both go into the cache key and the signature.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baselines.llm_settings import ClientSettings

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


_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_SECTION = re.compile(r"^=== (?P<name>[a-z:]+) ===$", re.MULTILINE)
_VERSION = re.compile(r"\A# prompt: (?P<version>\S+)[ \t]*\r?\n")


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


def settings_or_problem(
    kind: str,
    load_prompt: Callable[[str], object],
    config: Mapping[str, Any] | None,
    env: Mapping[str, str] | None,
    resolve: Callable[[Mapping[str, Any] | None], dict[str, Any]] | None = None,
) -> ClientSettings | str:
    """The client settings of an LLM plugin's configuration, or why it is invalid.

    Shared by the plugins' ``unavailable_reason``: the configuration must validate and its
    prompt file (read by ``load_prompt``) must load before an endpoint is looked for.
    ``resolve`` merges the plugin's own defaults (default: the llm-prompt extractor's).
    """
    try:
        resolved = (resolve or resolve_config)(config)
        load_prompt(resolved["prompt"])
        return ClientSettings.from_config(resolved, env)
    except ValueError as exc:
        return f"invalid {kind} configuration: {exc}"


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
# Signature


def run_signature(
    name: str, settings: Any, prompt: Any, params: Mapping[str, Any]
) -> dict[str, Any]:
    """What shapes an LLM's answers, shared by the extractor and the judge; never the API key."""
    return {
        "name": name,
        "prompt": {
            "file": Path(prompt.path).name,
            "version": prompt.version,
            "sha256": prompt.sha256,
        },
        "base_url": settings.redact(settings.base_url) if settings.base_url else None,
        "model": settings.model,
        "decoding": {k: v for k, v in params.items() if v is not None},
        "cache": settings.cache_mode,
    }


# Prompt


def prompt_path(name: str) -> Path:
    """A prompt named in ``baselines/prompts/``, or else taken as a path."""
    path = PROMPTS_DIR / name
    return path if path.is_file() else Path(name)


def prompt_sections(text: str) -> list[tuple[str, str]]:
    """The ``# section`` blocks of a prompt file, in order, repeats included."""
    marks = list(_SECTION.finditer(text))
    return [
        (
            mark.group("name"),
            text[mark.end() : (marks[i + 1].start() if i + 1 < len(marks) else len(text))].strip(
                "\n"
            ),
        )
        for i, mark in enumerate(marks)
    ]


def read_prompt(
    name: str, what: str, list_known: bool = False
) -> tuple[Path, str, str, list[tuple[str, str]]]:
    """A prompt file's path, version (first line), sha256 of its bytes and ``# section`` blocks.

    Shared by the extractor's and the judge's prompts, which then check their own sections.
    ``what`` names the file in the read error; ``list_known`` adds the shipped prompts' names.
    """
    path = prompt_path(name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        known = ""
        if list_known:
            known = "; known prompts: " + ", ".join(
                sorted(p.name for p in PROMPTS_DIR.glob("*.txt"))
            )
        raise ValueError(f"cannot read {what} {path}: {exc.strerror}{known}") from None
    text = raw.decode("utf-8")
    version = _VERSION.match(text)
    if not version:
        raise ValueError(f"{path}: the first line must be '# prompt: <name>/<version>'")
    return path, version.group("version"), hashlib.sha256(raw).hexdigest(), prompt_sections(text)


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
        path, version, sha256, pairs = read_prompt(name, "prompt file", list_known=True)
        sections: dict[str, str] = {}
        for section, body in pairs:
            if section in sections:
                raise ValueError(f"{path}: section {section!r} appears twice")
            sections[section] = body
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
            version=version,
            sha256=sha256,
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
