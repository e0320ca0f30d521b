"""Running extractors: each one's configuration, whether it can run here, and a run over a corpus
in which an exception on one document is recorded for that document, never fatal.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from harness.extraction.api import (
    Document,
    Extraction,
    Extractor,
    as_extraction,
)
from harness.extraction.predictions import (
    Predictions,
)
from harness.extraction.registry import available_names, default_config_dir, load_extractor_class
from harness.gold import timex as tx
from harness.gold.corpus import Corpus
from harness.gold.yamlio import YamlError, load_yaml

# --- extractors -----------------------------------------------------------------------------------


def load_extractor_config(name: str, config_dir: str | Path | None) -> dict[str, Any]:
    """The extractor's YAML configuration (``<config_dir>/<name>.yaml``), or {} if there is none.

    Without ``config_dir``, the ``configs/`` folder beside the extractor's module.
    """
    folder = Path(config_dir) if config_dir else default_config_dir(name)
    if folder is None:
        return {}
    path = folder / f"{name}.yaml"
    if not path.exists():
        return {}
    data = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise YamlError(str(path), 1, "an extractor configuration must be a mapping")
    return dict(data)


def extractor_status(config_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """Every registered extractor with whether it can run here and, if not, why."""
    rows = []
    for name, target in sorted(available_names().items()):
        row: dict[str, Any] = {"name": name, "target": target, "available": False, "reason": None}
        try:
            cls = load_extractor_class(name)
            reason = cls.unavailable_reason(load_extractor_config(name, config_dir))
        except Exception as exc:  # a broken plug-in must not break the listing
            reason = f"not run: cannot load {target}: {type(exc).__name__}: {exc}"
        row["available"] = reason is None
        row["reason"] = reason
        rows.append(row)
    return rows


def _not_run(reason: str) -> str:
    return reason if reason.startswith("not run") else f"not run: {reason}"


def run_extractor(
    extractor: Extractor, corpus: Corpus, dct_mode: str, progress: bool
) -> tuple[Predictions, dict[str, Any]]:
    """Run one extractor over every document; an exception on one document is recorded, not fatal."""
    from tqdm import tqdm

    claims: dict[str, tuple] = {}
    timexes: dict[str, tuple] = {}
    log: dict[str, Any] = {}
    docs = [
        Document(d.doc_id, d.text, d.published.value if dct_mode == "gold" else None)
        for d in corpus
    ]
    for doc in tqdm(
        docs, desc=extractor.name, unit="doc", disable=not progress, file=sys.stderr, leave=False
    ):
        try:
            ex = as_extraction(extractor.extract(doc), doc)
        except Exception as exc:
            ex = Extraction(error=f"{type(exc).__name__}: {exc}")
        bad = [c for c in ex.claims if c.doc_id != doc.doc_id]
        if bad:
            ex = Extraction(
                error=f"extractor returned claims for another document ({bad[0].doc_id})"
            )
        claims[doc.doc_id] = tuple(ex.claims)
        timexes[doc.doc_id] = tuple(ex.timexes)
        log[doc.doc_id] = {
            "error": ex.error,
            "dct": ex.dct,
            "dct_correct": None
            if dct_mode == "gold" or ex.dct is None
            else tx.equal(ex.dct[:10], corpus.get(doc.doc_id).published.value[:10]),
            "n_claims": len(ex.claims),
            "n_timexes": len(ex.timexes),
            "usage": dict(ex.usage),
        }
    any_timex = any(timexes.values())
    return Predictions(claims=claims, timexes=timexes if any_timex else None), log
