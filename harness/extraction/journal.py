"""The resume journal of an extraction run: each finished document's predictions, appended as
they come, under a key that changes with anything that could change them (the extractor's name,
signature and code, and the DCT setting), so that a run cut short reuses them and no other run
does (``harness evaluate --resume``, on by default; :func:`harness.extraction.runner.run_extractor`).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from harness.extraction.api import Document, Extraction, Extractor, PredictedClaim, PredictedTimex


def _doc_hash(doc: Document) -> str:
    return hashlib.sha256(f"{doc.dct}\0{doc.text}".encode()).hexdigest()


def code_files(extractor: Extractor) -> list[tuple[str, Path]]:
    """The Python sources whose code shapes the extractor's predictions, with stable names.

    Its own top-level package (or its module, outside a package), then each of its
    ``code_dependencies`` (a package's every ``.py`` file, or a module's file). A resumed run
    must not reuse predictions made by other code: an extractor's signature names its
    configuration and models, not an edit to its rules or to the shared tagger it calls.
    """
    import importlib

    def loaded(name: str) -> Path:
        module = sys.modules.get(name) or importlib.import_module(name)
        return Path(getattr(module, "__file__", "") or "")

    out: list[tuple[str, Path]] = []
    own = type(extractor).__module__
    path = loaded(own)
    if path.is_file():
        top, root = own.split(".")[0], path.parent
        while root.name != top and root != root.parent and (root.parent / "__init__.py").exists():
            root = root.parent
        files = sorted(root.rglob("*.py")) if (root / "__init__.py").exists() else [path]
        out += [(f.relative_to(root).as_posix(), f) for f in files]
    for dep in type(extractor).code_dependencies:
        path = loaded(dep)
        if path.name == "__init__.py":
            out += [(f"{dep}/{f.relative_to(path.parent).as_posix()}", f)
                    for f in sorted(path.parent.rglob("*.py"))]  # fmt: skip
        elif path.is_file():
            out.append((dep, path))
    return out


def _code_hash(extractor: Extractor) -> str:
    """Hash of :func:`code_files` (names and bytes); ``unknown`` when no source is found."""
    files = code_files(extractor)
    if not files:
        return "unknown"
    digest = hashlib.sha256()
    for name, f in files:
        digest.update(name.encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()


def resume_key(name: str, extractor: Extractor, dct_mode: str) -> str:
    """What predictions must share to be reused: extractor name, signature, code, DCT setting."""
    sig = json.dumps(extractor.signature(), sort_keys=True, default=str)
    raw = f"{name}\0{sig}\0{_code_hash(extractor)}\0{dct_mode}"
    return hashlib.sha256(raw.encode()).hexdigest()


class RunJournal:
    """Per-document predictions appended as they arrive, so an interrupted run can resume.

    One JSON line per finished document (``doc_id``, a hash of its text and DCT, the extraction),
    flushed at once; a line cut by a kill is ignored. The file name is the :func:`resume_key`, so
    a changed extractor (configuration, model, code) or DCT setting starts a new journal and never
    reuses old predictions. Failed documents are not journalled: a resumed run tries them again.
    """

    def __init__(self, directory: str | Path, name: str, key: str) -> None:
        self.path = Path(directory) / f"{name}-{key[:16]}.jsonl"
        self.key = key

    def load(self) -> dict[str, tuple[str, Extraction]]:
        """doc_id -> (document hash, extraction) of every complete line."""
        done: dict[str, tuple[str, Extraction]] = {}
        if not self.path.exists():
            return done
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                    if rec.get("key") != self.key:
                        continue
                    done[rec["doc_id"]] = (rec["doc_hash"], _extraction_from(rec["extraction"]))
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by an interruption
        return done

    def open(self) -> Any:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self.path.open("a", encoding="utf-8")

    def record(self, fh: Any, doc_id: str, doc_hash: str, ex: Extraction) -> None:
        rec = {"key": self.key, "doc_id": doc_id, "doc_hash": doc_hash,
               "extraction": _extraction_to(ex)}  # fmt: skip
        fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
        fh.flush()


def _extraction_to(ex: Extraction) -> dict[str, Any]:
    return {
        "claims": [asdict(c) for c in ex.claims],
        "timexes": [asdict(t) for t in ex.timexes],
        "dct": ex.dct,
        "error": ex.error,
        "usage": dict(ex.usage),
    }


def _extraction_from(rec: Mapping[str, Any]) -> Extraction:
    return Extraction(
        claims=tuple(PredictedClaim(**c) for c in rec["claims"]),
        timexes=tuple(PredictedTimex(**t) for t in rec["timexes"]),
        dct=rec["dct"],
        error=rec["error"],
        usage=rec["usage"],
    )


__all__ = ["RunJournal", "code_files", "resume_key"]
