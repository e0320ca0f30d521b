"""The gold corpus: typed, immutable records loaded from ``annotations/*.yaml``.

Public contract (keep these names stable): :func:`load_corpus`, :func:`to_records`,
:func:`to_dataset`, and the record classes. Loading validates everything (see
:mod:`harness.validate`); a corpus with any problem is not returned but raised as
:class:`CorpusError`, whose ``problems`` list says file, line, record, field and fix.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_ANNOTATIONS = "annotations"


@dataclass(frozen=True)
class Published:
    """The document creation time (DCT) and why it is what it is."""

    value: str
    evidence: str
    quote: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Timex:
    id: str
    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    note: str | None = None
    #: TimeML attributes of an imported timex (anchorTimeID, temporalFunction, beginPoint, ...),
    #: verbatim, as sorted (name, value) pairs; empty for hand annotations.
    timeml: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    start: int
    end: int
    evidence: str
    claimant: str
    date: str | None
    timex_id: str | None
    date_note: str | None
    cluster: str | None
    duplicate_of: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class GoldDocument:
    doc_id: str
    source_file: str
    sha256: str
    outlet: str | None
    byline: str | None
    language: str
    annotator: str
    annotated: str | None
    guidelines: str
    published: Published
    text: str
    timexes: tuple[Timex, ...]
    claims: tuple[Claim, ...]
    annotation_file: str = ""
    #: False for ``claims: null`` (claims not annotated, e.g. an imported TimeML document): the
    #: document has no claim gold, so claim metrics leave it out. ``claims: []`` is True with no
    #: claims: every prediction on it is spurious.
    claims_annotated: bool = True

    @property
    def outlet_label(self) -> str:
        """The outlet for grouping in tables (``unknown`` where the text names none)."""
        return self.outlet or "unknown"

    def timex(self, timex_id: str) -> Timex:
        for t in self.timexes:
            if t.id == timex_id:
                return t
        raise KeyError(f"{self.doc_id}: no timex {timex_id!r}")


@dataclass(frozen=True)
class Corpus:
    documents: tuple[GoldDocument, ...]
    clusters: Mapping[str, str] = field(default_factory=dict)
    path: str = DEFAULT_ANNOTATIONS
    #: sha256 over every annotation file, clusters.yaml and every seed, in a fixed order.
    hash: str = ""

    def __iter__(self) -> Iterator[GoldDocument]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def get(self, doc_id: str) -> GoldDocument:
        for d in self.documents:
            if d.doc_id == doc_id:
                return d
        raise KeyError(doc_id)

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(d.doc_id for d in self.documents)

    @property
    def claim_documents(self) -> tuple[GoldDocument, ...]:
        """The documents with claims annotated (``claims`` not null): the claim metrics' units."""
        return tuple(d for d in self.documents if d.claims_annotated)

    def summary(self) -> str:
        n_claims = sum(len(d.claims) for d in self.documents)
        n_timex = sum(len(d.timexes) for d in self.documents)
        used = {c.cluster for d in self.documents for c in d.claims if c.cluster}
        unannotated = len(self.documents) - len(self.claim_documents)
        note = f" ({unannotated} with claims not annotated)" if unannotated else ""
        return (
            f"{len(self.documents)} documents{note}, {n_claims} claims, {n_timex} timexes, "
            f"{len(used)} clusters"
        )


class CorpusError(ValueError):
    """The corpus has problems; ``problems`` lists them (see :class:`harness.validate.Problem`)."""

    def __init__(self, problems: Sequence[Any]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[:20]]
        more = len(self.problems) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more")
        super().__init__(
            f"{len(self.problems)} problem(s) in the gold corpus:\n" + "\n".join(lines)
        )


def corpus_hash(paths: Sequence[Path], root: Path) -> str:
    """sha256 of the given files' relative names and bytes, in sorted order."""
    h = hashlib.sha256()
    for p in sorted(paths, key=lambda p: p.resolve().relative_to(root.resolve()).as_posix()):
        h.update(p.resolve().relative_to(root.resolve()).as_posix().encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


def annotations_dir(path: str | Path) -> Path:
    """The annotations directory that ``path`` names: itself, or a corpus directory's
    ``annotations/`` (as ``harness import`` writes) when ``path`` holds no annotation files."""
    path = Path(path)
    sub = path / "annotations"
    if sub.is_dir() and not any(path.glob("*.yaml")):
        return sub
    return path


def load_corpus(path: str | Path = DEFAULT_ANNOTATIONS) -> Corpus:
    """Load and validate every ``*.yaml`` annotation file under ``path`` (except clusters.yaml).

    Raises :class:`CorpusError` listing every problem when the corpus is not valid.
    """
    from harness.gold.validate import validate_corpus

    result = validate_corpus(path)
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
