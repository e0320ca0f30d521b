"""The registry of installed extractors: entry points of the group ``harness.extractors``.

Every extractor, this project's own included, registers the way a third party's would,
with an entry point ``name = "package.module:Class"`` (this project's are in pyproject.toml), so
the harness never names one. Targets are imported lazily on first use: a broken or heavy
extractor (spaCy, an HTTP client) costs nothing until it is asked for, and ``harness --help``
imports none.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
from importlib import metadata
from pathlib import Path

from harness.extraction.api import Extractor

ENTRY_POINT_GROUP = "harness.extractors"


def _entry_points() -> dict[str, str]:
    found = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = ep.value
    return found


def available_names() -> dict[str, str]:
    """Every registered extractor name mapped to its ``module:attr`` target."""
    return _entry_points()


def extractor_distribution(name: str) -> str | None:
    """``"<distribution> <version>"`` of the installed package that registers ``name`` (the
    project itself for its own extractors), recorded in the results signature so that a result names
    the plug-in release that produced it; None when the entry point has no distribution."""
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name and getattr(ep, "dist", None) is not None:
            return f"{ep.dist.name} {ep.dist.version}"
    return None


def load_extractor_class(name: str) -> type[Extractor]:
    """Resolve a registered name to its class; an unknown name gets a "did you mean" hint."""
    names = available_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"unknown extractor {name!r}{hint} (known: {', '.join(sorted(names))})")
    module_name, _, attr = names[name].partition(":")
    module = importlib.import_module(module_name)
    cls = getattr(module, attr)
    if not (isinstance(cls, type) and issubclass(cls, Extractor)):
        raise TypeError(
            f"{names[name]} (extractor {name!r}) is not a harness.extraction.Extractor subclass"
        )
    return cls


def default_config_dir(name: str) -> Path | None:
    """The ``configs/`` folder beside the module of a registered extractor, where its default
    ``<name>.yaml`` lives (None for an unknown name or a module without a file).

    Only the module's package is imported to find it, never the extractor's module itself, so a
    heavy or broken extractor still costs nothing here.
    """
    target = available_names().get(name)
    if target is None:
        return None
    module_name = target.partition(":")[0]
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.has_location:
        return None
    return Path(spec.origin).resolve().parent / "configs"
