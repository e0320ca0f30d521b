"""The gold records: frozen dataclasses built once by the loader and trusted everywhere else.

:class:`Corpus` of :class:`GoldDocument` (with its :class:`Published` DCT, :class:`Timex` and
:class:`Claim` records), :class:`CorpusError`, and the corpus hash recorded in every signature.
They are the bottom of the import order: validation builds them, everything else reads them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
        """The outlet for grouping in tables; where the text names none, ``unknown (<doc_id>)``:
        two articles of unknown origin are not one outlet, so they are never pooled."""
        return self.outlet or f"unknown ({self.doc_id})"

    def timex(self, timex_id: str) -> Timex:
        for t in self.timexes:
            if t.id == timex_id:
                return t
        raise KeyError(f"{self.doc_id}: no timex {timex_id!r}")


@dataclass(frozen=True)
class Corpus:
    #: A tuple, or (as :func:`harness.gold.corpus.load_corpus` returns it) a
    #: :class:`harness.gold.spill.SpilledSequence` that reads each document from disk on access.
    documents: Sequence[GoldDocument]
    clusters: Mapping[str, str] = field(default_factory=dict)
    path: str = DEFAULT_ANNOTATIONS
    #: sha256 over every annotation file, clusters.yaml and every seed, in a fixed order.
    hash: str = ""

    def __iter__(self) -> Iterator[GoldDocument]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def _cached(self, name: str, make: Any) -> Any:
        """A value computed once from the documents: a cache, not a field (frozen stays true)."""
        value = self.__dict__.get(name)
        if value is None:
            value = make()
            object.__setattr__(self, name, value)
        return value

    def get(self, doc_id: str) -> GoldDocument:
        """The document with this id (KeyError if none); a dict lookup, built on first use."""
        index = self._cached("_index", lambda: {d: i for i, d in enumerate(self.doc_ids)})
        return self.documents[index[doc_id]]

    @property
    def texts(self) -> Mapping[str, str]:
        """doc_id -> raw text, read from the documents on access (none is copied)."""
        return _Texts(self)

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return self._cached("_doc_ids", lambda: tuple(d.doc_id for d in self.documents))

    @property
    def claim_documents(self) -> Sequence[GoldDocument]:
        """The documents with claims annotated (``claims`` not null): the claim metrics' units.

        A tuple when the documents are; otherwise (documents on disk, see
        :mod:`harness.gold.spill`) a view that reads them from there."""
        if isinstance(self.documents, tuple):
            return tuple(d for d in self.documents if d.claims_annotated)
        from harness.gold.spill import Subset

        return Subset(self.documents, self._annotated_positions())

    def _annotated_positions(self) -> list[int]:
        return self._cached(
            "_annotated", lambda: [i for i, d in enumerate(self.documents) if d.claims_annotated]
        )

    @property
    def claim_doc_ids(self) -> tuple[str, ...]:
        """The ids of :attr:`claim_documents`, in order."""
        ids = self.doc_ids
        return self._cached(
            "_claim_ids", lambda: tuple(ids[i] for i in self._annotated_positions())
        )

    @property
    def outlets(self) -> Mapping[str, str]:
        """doc_id -> :attr:`GoldDocument.outlet_label` of every document."""
        return self._cached("_outlets", lambda: {d.doc_id: d.outlet_label for d in self.documents})

    def claim_corpus(self) -> Corpus:
        """This corpus cut to its :attr:`claim_documents` (the same hash), knowing their ids and
        outlets without reading them again."""
        from dataclasses import replace

        sub = replace(self, documents=self.claim_documents)
        ids, outlets = self.claim_doc_ids, self.outlets
        sub.remember(ids, range(len(ids)), {d: outlets[d] for d in ids})
        return sub

    def remember(
        self, doc_ids: Sequence[str], annotated: Iterable[int], outlets: Mapping[str, str]
    ) -> None:
        """Keep what a loader saw of each document as it passed, so that :attr:`doc_ids`,
        :attr:`claim_documents` and :attr:`outlets` read no document again (on disk, each read
        is an unpickling): the ids in order, the positions of the documents with claims
        annotated, and each document's outlet label."""
        ids, at, labels = tuple(doc_ids), list(annotated), dict(outlets)
        self._cached("_doc_ids", lambda: ids)
        self._cached("_annotated", lambda: at)
        self._cached("_outlets", lambda: labels)

    def summary(self) -> str:
        n_claims = n_timex = 0
        used = set()
        for d in self.documents:  # one pass: the documents may be read from disk
            n_claims += len(d.claims)
            n_timex += len(d.timexes)
            used.update(c.cluster for c in d.claims if c.cluster)
        unannotated = len(self.documents) - len(self.claim_documents)
        note = f" ({unannotated} with claims not annotated)" if unannotated else ""
        return (
            f"{len(self.documents)} documents{note}, {n_claims} claims, {n_timex} timexes, "
            f"{len(used)} clusters"
        )


class _Texts(Mapping[str, str]):
    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus

    def __getitem__(self, doc_id: str) -> str:
        return self._corpus.get(doc_id).text

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(self._corpus.doc_ids))

    def __len__(self) -> int:
        return len(set(self._corpus.doc_ids))


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


def _first(pair: tuple[str, Path]) -> str:
    return pair[0]


class Resolver:
    """``Path.resolve()`` of many files, each directory resolved once.

    A path that is not itself a symbolic link (nor ends in ``..``) resolves to its directory's
    resolution joined with its name, so only the directory needs the walk over every component
    that ``resolve`` makes; a link, or a name such as ``..``, is resolved in full. With thousands
    of files in a few directories, that walk was most of the time spent on their names.
    """

    def __init__(self) -> None:
        self._dirs: dict[Path, Path] = {}

    def __call__(self, path: Path) -> Path:
        if path.name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        parent = path.parent
        real = self._dirs.get(parent)
        if real is None:
            real = self._dirs[parent] = parent.resolve()
        return real / path.name


def corpus_hash(paths: Sequence[Path], root: Path, resolve: Resolver | None = None) -> str:
    """sha256 of the given files' relative names and bytes, in sorted order (names relative to
    the resolved ``root``, each file's after its own resolution; ``resolve``: a
    :class:`Resolver` whose directories may already be known)."""
    h = hashlib.sha256()
    base = root.resolve()
    resolve = resolve or Resolver()
    named = sorted(((resolve(p).relative_to(base).as_posix(), p) for p in paths), key=_first)
    for name, p in named:
        h.update(name.encode() + b"\0")
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
