"""Configuration of the rule baselines: defaults < ``configs/<name>.yaml`` < overrides, checked.

A misspelt option or resolver name fails the run before the first document, with the key named
and a "did you mean" hint, rather than leaving a run that looks configured when it was not.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

CONFIG_DIR = Path(__file__).resolve().parent / "configs"


class ConfigError(ValueError):
    """A baseline configuration that cannot be used; the message names the key and the fix."""


def load_config(
    name: str, defaults: Mapping[str, Any], overrides: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The baseline's configuration: built-in defaults < ``configs/<name>.yaml`` < ``overrides``.

    Unknown keys are rejected with a "did you mean" hint: a misspelt ``min_word`` silently ignored
    would make a run look configured when it was not. The YAML file is loaded safely and with
    duplicate keys rejected (see :mod:`harness.yamlio`).
    """
    from harness.gold.yamlio import load_yaml

    config = dict(defaults)
    path = CONFIG_DIR / f"{name}.yaml"
    layers: list[tuple[str, Mapping[str, Any]]] = []
    if path.exists():
        loaded = load_yaml(path)
        if loaded is not None and not isinstance(loaded, Mapping):
            raise ConfigError(f"{path}: expected a mapping of option: value, got {type(loaded)}")
        layers.append((str(path), loaded or {}))
    layers.append(("the extractor's config", overrides or {}))
    for where, layer in layers:
        for key, value in layer.items():
            if key not in defaults:
                close = difflib.get_close_matches(str(key), list(defaults), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ConfigError(
                    f"{where}: unknown option {key!r} for the {name} baseline{hint} "
                    f"(known: {', '.join(sorted(defaults))})"
                )
            config[key] = value
    return config


def check_common_options(
    config: Mapping[str, Any], defaults: Mapping[str, Any], int_keys: Sequence[str]
) -> Any:
    """Check the options both rule baselines share; return their resolver.

    Positive integers for ``int_keys``; ``confidence`` mapping exactly the default cue kinds; the
    resolver looked up now, so that a misspelt name fails the run before any document.
    """
    for key in int_keys:
        if not isinstance(config[key], int) or config[key] < 1:
            raise ConfigError(f"option {key!r} must be a positive integer, got {config[key]!r}")
    conf = config["confidence"]
    if not isinstance(conf, dict) or set(conf) != set(defaults["confidence"]):
        raise ConfigError(
            "option 'confidence' must map exactly attributed, modal and declarative to "
            f"numbers in [0, 1], got {conf!r}"
        )
    return get_resolver(str(config["resolver"]))


def get_resolver(name: str) -> Any:
    """The shared resolver by name, with the configuration key named in any error."""
    from harness.dates.resolve import get_resolver as _get

    try:
        return _get(name)
    except (KeyError, ValueError) as exc:
        raise ConfigError(
            f"option 'resolver': {exc}; hint: use 'rules' (the default) or 'dateparser'"
        ) from None
