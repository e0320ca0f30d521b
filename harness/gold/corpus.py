"""The gold corpus: typed, immutable records loaded from ``annotations/*.yaml``.

Public contract (keep these names stable): :func:`load_corpus`, :func:`to_records`,
:func:`to_dataset`, and the record classes (defined in :mod:`harness.gold.records`, re-exported
here). Loading validates everything (see
:mod:`harness.validate`); a corpus with any problem is not returned but raised as
:class:`CorpusError`, whose ``problems`` list says file, line, record, field and fix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from harness.gold.records import (
    DEFAULT_ANNOTATIONS,
    Claim,
    Corpus,
    CorpusError,
    GoldDocument,
    Published,
    Timex,
    annotations_dir,
    corpus_hash,
)


def load_corpus(path: str | Path = DEFAULT_ANNOTATIONS, workers: int = 1) -> Corpus:
    """Load and validate every ``*.yaml`` annotation file under ``path`` (except clusters.yaml);
    ``workers`` > 1 checks the files in that many processes (the same corpus).

    Raises :class:`CorpusError` listing every problem when the corpus is not valid.
    """
    from harness.gold.validate import validate_corpus

    result = validate_corpus(path, workers=workers)
    if result.problems:
        raise CorpusError(result.problems)
    return result.corpus


# --- interchange -----------------------------------------------------------------------------


def to_records(corpus: Corpus) -> list[dict[str, Any]]:
    """One plain dict per document in the interchange format (README, "Interchange format")."""
    out = []
    for d in corpus.documents:
        out.append(
            {
                "doc_id": d.doc_id,
                "source_file": d.source_file,
                "outlet": d.outlet,
                "byline": d.byline,
                "language": d.language,
                "published": d.published.value,
                "published_evidence": d.published.evidence,
                "text": d.text,
                "timexes": [
                    {
                        "id": t.id,
                        "start": t.start,
                        "end": t.end,
                        "text": t.text,
                        "type": t.type,
                        "value": t.value,
                        "mod": t.mod,
                    }
                    for t in d.timexes
                ],
                "claims": None
                if not d.claims_annotated
                else [
                    {
                        "id": c.id,
                        "text": c.text,
                        "start": c.start,
                        "end": c.end,
                        "evidence": c.evidence,
                        "claimant": c.claimant,
                        "date": c.date,
                        "timex_id": c.timex_id,
                        "cluster": c.cluster,
                    }
                    for c in d.claims
                ],
            }
        )
    return out


def dataset_features() -> Any:
    """The explicit ``datasets.Features`` of :func:`to_dataset` (one row per document)."""
    from datasets import Features, List, Value

    string = Value("string")
    return Features(
        {
            "doc_id": string,
            "source_file": string,
            "outlet": string,
            "byline": string,
            "language": string,
            "published": string,
            "published_evidence": string,
            "text": string,
            "timexes": List(
                {
                    "id": string,
                    "start": Value("int32"),
                    "end": Value("int32"),
                    "text": string,
                    "type": string,
                    "value": string,
                    "mod": string,
                }
            ),
            "claims": List(
                {
                    "id": string,
                    "text": string,
                    "start": Value("int32"),
                    "end": Value("int32"),
                    "evidence": string,
                    "claimant": string,
                    "date": string,
                    "timex_id": string,
                    "cluster": string,
                }
            ),
        }
    )


def to_dataset(corpus: Corpus | None = None) -> Any:
    """The corpus as a ``datasets.Dataset`` with explicit Features (one row per document)."""
    from datasets import Dataset

    corpus = corpus if corpus is not None else load_corpus()
    records = to_records(corpus)
    return Dataset.from_list(records, features=dataset_features())


def from_records(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Normalize records read back from any export (JSONL, Dataset rows) to the JSONL shape.

    ``datasets`` turns a sequence of dicts into a dict of lists; this undoes it so that a round
    trip through every format compares equal.
    """
    out = []
    for r in records:
        r = dict(r)
        for key in ("timexes", "claims"):
            v = r[key]
            if v is None:  # claims: null, claims not annotated
                continue
            if isinstance(v, Mapping):  # dict of lists -> list of dicts
                keys = list(v)
                n = len(v[keys[0]]) if keys else 0
                r[key] = [{k: v[k][i] for k in keys} for i in range(n)]
            else:
                r[key] = [dict(x) for x in v]
        out.append(r)
    return out


__all__ = [
    "DEFAULT_ANNOTATIONS",
    "Claim",
    "Corpus",
    "CorpusError",
    "GoldDocument",
    "Published",
    "Timex",
    "annotations_dir",
    "corpus_hash",
    "dataset_features",
    "from_records",
    "load_corpus",
    "to_dataset",
    "to_records",
]
