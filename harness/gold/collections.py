"""Named collections: a corpus directory with a split (dev or test), configured in collections.yaml.

The shipped seeds are the collection ``seeds`` (split dev). External corpora are the user's data:
they are configured, never copied into the project. A collection's data path comes from an
environment variable (``env``, e.g. ``HARNESS_TBAQ``) or from ``path`` in the configuration,
relative to the project root. TimeML collections are imported on the fly into
``.cache/collections/<name>-<key>/``, where the key hashes the input files (names and bytes) and
the importer's own source, so a changed file or a changed reader is a new import, never a stale
one.

Configuration (``collections.yaml``)::

    collections:
      seeds: {format: corpus, path: annotations, split: dev, label: ..., note: ...}
      tbaq:
        format: timeml
        env: HARNESS_TBAQ             # where the user's copy is
        inputs: [TimeBank, AQUAINT]   # inside it
        split: dev
        label: TempEval-3 TimeBank + AQUAINT
        note: ...                     # printed with every table of the collection
        obtain: ...                   # how to get the data (shown when it is absent)
      tbaq-test:
        format: timeml
        env: HARNESS_TBAQ
        inputs: [TimeBank, AQUAINT]
        claims: annotations/tbaq-test  # stand-off claims (harness.gold.standoff), in the project
        split: test

With ``claims``, the collection is the imported documents that have a stand-off claim file, with
those claims merged in (:func:`harness.gold.standoff.overlay`); the others are left out.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = "collections.yaml"
DEFAULT_CACHE = Path(".cache") / "collections"
SPLITS = ("dev", "test")
FORMATS = ("corpus", "timeml")
_KEYS = {"format", "path", "env", "inputs", "claims", "split", "label", "note", "obtain"}


class CollectionError(ValueError):
    """A bad collections configuration; the message names the file, line, collection and field."""


@dataclass(frozen=True)
class Collection:
    name: str
    split: str
    format: str  # "corpus" (an annotations directory) or "timeml" (imported on the fly)
    label: str
    note: str | None
    obtain: str | None
    env: str | None
    path: str | None
    inputs: tuple[str, ...]
    root: Path  # the project root, where relative paths start
    claims: str | None = None  # stand-off claims directory, relative to the project root

    def data_path(self) -> Path | None:
        """The configured data location (the environment variable wins), or None if unset."""
        raw = os.environ.get(self.env) if self.env else None
        raw = raw or self.path
        if not raw:
            return None
        p = Path(raw).expanduser()
        return p if p.is_absolute() else self.root / p

    def where(self) -> str:
        """The configured location as the user would write it, for "not found at ..." messages."""
        p = self.data_path()
        shown = str(p) if p is not None else "(not configured)"
        return f"{shown}" + (f" (set {self.env})" if self.env else "")

    def absent_reason(self) -> str | None:
        """Why the collection cannot run here (its data is missing), or None if it can."""
        p = self.data_path()
        what = f"{self.label} data"
        hint = f"; hint: {self.obtain}" if self.obtain else ""
        if p is None:
            return f"not run: {what} not configured (set {self.env}){hint}"
        if p.exists() and not p.is_dir():
            return f"not run: {what} at {p} is a file, not a directory{hint}"
        missing = [i for i in self.inputs if not (p / i).exists()]
        if not p.is_dir() or missing:
            at = p if not missing or not p.is_dir() else p / missing[0]
            return f"not run: {what} not found at {at}{hint}"
        claims = self.claims_dir()
        if claims is not None:
            from harness.gold.standoff import standoff_files

            if not claims.is_dir() or not standoff_files(claims):
                return f"not run: no stand-off claim files in {self.claims}"
        return None

    def input_paths(self) -> list[Path]:
        base = self.data_path()
        assert base is not None
        paths = [base / i for i in self.inputs] if self.inputs else [base]
        for p in paths:  # inputs stay inside the configured data root
            if not p.resolve().is_relative_to(base.resolve()):
                raise CollectionError(f"collection {self.name}: input {p} is outside {base}")
        return paths

    def annotations(self, cache: str | Path | None = None, progress: Any = None) -> Path:
        """The annotations directory to evaluate: the corpus itself, or the cached TimeML import."""
        if self.format == "corpus":
            from harness.gold.corpus import annotations_dir

            base = self.data_path()
            assert base is not None
            return annotations_dir(base)
        from harness.gold import timeml

        inputs = self.input_paths()
        key = cache_key(inputs)
        cache_root = Path(cache) if cache is not None else self.root / DEFAULT_CACHE
        target = cache_root / f"{self.name}-{key[:16]}"
        if not (target / "import.json").exists():
            timeml.import_timeml(inputs, target, progress=progress)
            for old in cache_root.glob(f"{self.name}-*"):
                if (
                    old != target
                    and _is_keyed(old.name, self.name, 1)
                    and (old / "import.json").exists()
                ):
                    shutil.rmtree(old)  # an import of other files or an older reader
        if self.claims:
            return self._with_claims(target, cache_root, key)
        return target / "annotations"

    def claims_dir(self) -> Path | None:
        """The stand-off claims directory inside the project, or None."""
        if not self.claims:
            return None
        p = (self.root / self.claims).resolve()
        if not p.is_relative_to(self.root.resolve()):
            raise CollectionError(
                f"collection {self.name}: claims {self.claims} is outside the project"
            )
        return p

    def _with_claims(self, imported: Path, cache_root: Path, key: str) -> Path:
        from harness.gold import standoff

        claims = self.claims_dir()
        assert claims is not None
        target = cache_root / f"{self.name}-{key[:12]}-{standoff.overlay_key(claims)[:12]}"
        if (target / "annotations").is_dir():
            return target / "annotations"
        for old in cache_root.glob(f"{self.name}-*-*"):
            if old != target and _is_keyed(old.name, self.name, 2) and old.is_dir():
                shutil.rmtree(old)  # merged from other annotations or another import
        return standoff.overlay(imported, claims, target)


def _is_keyed(dirname: str, name: str, parts: int) -> bool:
    """Whether a cache directory is ``<name>-<hex>`` (parts=1) or ``<name>-<hex>-<hex>`` (parts=2).

    Collection names may share a prefix (``tbaq``, ``tbaq-test``): a glob alone would let one
    collection's clean-up remove the other's cache.
    """
    import re

    return (
        re.fullmatch(re.escape(name) + r"(-[0-9a-f]{12,16})" + f"{{{parts}}}", dirname) is not None
    )


def cache_key(inputs: list[Path]) -> str:
    """sha256 over the importer's source and every input .tml file (relative name and bytes)."""
    import importlib

    from harness.gold import timeml

    h = hashlib.sha256()
    for module in timeml.MODULES:
        h.update(Path(importlib.import_module(module).__file__ or "").read_bytes())
    for base in inputs:
        files = sorted(base.rglob("*.tml")) if base.is_dir() else [base]
        for f in files:
            h.update(f.relative_to(base.parent).as_posix().encode() + b"\0")
            h.update(f.read_bytes() + b"\0")
    return h.hexdigest()


def load_collections(path: str | Path = DEFAULT_CONFIG) -> list[Collection]:
    """The configured collections, in file order; a bad entry is a :class:`CollectionError`."""
    from harness.gold.yamlio import key_line, load_yaml

    path = Path(path)
    root = path.resolve().parent
    data = load_yaml(path)
    if not isinstance(data, Mapping) or not isinstance(data.get("collections"), Mapping):
        raise CollectionError(f"{path}:1: expected a mapping 'collections: {{name: ...}}'")
    out = []
    entries = data["collections"]
    if not entries:
        raise CollectionError(
            f"{path}:{key_line(data, 'collections', 1)}: no collections configured; hint: "
            "give at least one (README, Collections and splits), or leave out "
            "the configuration to evaluate annotations/ alone"
        )
    for name, entry in entries.items():
        line = key_line(entries, name, None)
        where = f"{path}:{line}: collection {name!r}"
        if not isinstance(entry, Mapping):
            raise CollectionError(f"{where}: expected a mapping")
        unknown = set(entry) - _KEYS
        if unknown:
            raise CollectionError(
                f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(_KEYS))}"
            )
        if entry.get("split") not in SPLITS:
            raise CollectionError(f"{where}: split must be one of {', '.join(SPLITS)}")
        fmt = entry.get("format", "corpus")
        if fmt not in FORMATS:
            raise CollectionError(f"{where}: format must be one of {', '.join(FORMATS)}")
        if not entry.get("path") and not entry.get("env"):
            raise CollectionError(f"{where}: give 'path' or 'env' (an environment variable)")
        for key in ("path", "env", "label", "note", "obtain"):
            if entry.get(key) is not None and not isinstance(entry[key], str):
                raise CollectionError(
                    f"{path}:{key_line(entry, key, line)}: collection {name!r}: {key} must be a "
                    f"string, got {entry[key]!r}; hint: quote it"
                )
        claims = entry.get("claims")
        if claims is not None and (fmt != "timeml" or not isinstance(claims, str)):
            raise CollectionError(
                f"{where}: claims must be a directory of stand-off claim files, on a timeml collection"
            )
        inputs = entry.get("inputs") or []
        if not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs):
            raise CollectionError(f"{where}: inputs must be a list of paths inside the data")
        out.append(
            Collection(
                name=str(name),
                split=entry["split"],
                format=fmt,
                label=str(entry.get("label") or name),
                note=entry.get("note"),
                obtain=entry.get("obtain"),
                env=entry.get("env"),
                path=entry.get("path"),
                inputs=tuple(inputs),
                root=root,
                claims=claims,
            )
        )
    return out
