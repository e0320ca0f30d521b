"""Pluggable claim-to-claim similarity: one small interface, a lazy registry, the core strategies.

Set-level scoring (:mod:`harness.scoring.setlevel`) asks one question of a strategy: how similar
is each gold claim of a document to each predicted claim, on a scale of 0 to 1? Answering that
is all a strategy does, so a new one (an NLI model, an LLM judge) plugs in without touching the
scorer, exactly as an extractor does.

Strategies are found by name: the ones defined in this module, plus every entry point of the
group ``harness.similarities`` (``name = "package.module:Class"``), resolved on first use so that
a heavy or broken strategy costs nothing until it is asked for. pyproject.toml registers the
core strategies through that group too; they are also listed here so that a source checkout
whose installed metadata predates them still finds them.

Core strategies:

* ``token-f1``: token-level F1 of the predicted span and the gold evidence span (the ``span``
  matching mode's similarity); a prediction without a span gets 0.
* ``sentence-jaccard``: Jaccard overlap of the sentences the spans touch (the ``sentence`` mode's);
  a prediction without a span gets 0.
* ``tfidf``: TF-IDF cosine of the claim texts, fitted on the gold corpus (the ``text`` mode's).
* ``wordllama``: cosine of WordLlama static embeddings (mean-pooled token vectors of a 256-d
  model distilled from LLM token embeddings), loaded from the weights inside the ``wordllama``
  wheel with downloads disabled; the ``embeddings`` extra installs it.
"""

from __future__ import annotations

import difflib
import importlib
import itertools
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from importlib import metadata
from typing import Any, ClassVar

import numpy as np

from harness.extraction.api import PredictedClaim
from harness.gold.corpus import Corpus, GoldDocument

ENTRY_POINT_GROUP = "harness.similarities"

#: The strategies defined in this module (the core's own, not plugins).
CORE: dict[str, str] = {
    "token-f1": "harness.scoring.similarity:SpanTokenF1",
    "sentence-jaccard": "harness.scoring.similarity:SentenceJaccard",
    "tfidf": "harness.scoring.similarity:TfidfCosine",
    "wordllama": "harness.scoring.similarity:WordLlamaCosine",
}

#: The wordllama release whose bundled model and offline loading were checked (see the extra).
WORDLLAMA_VERSION = "0.4.0.post1"


class ColumnSims:
    """A (gold x prediction) similarity matrix whose columns repeat: ``distinct[:, col[j]]`` is
    prediction ``j``'s column. ``numpy.asarray`` gives the whole matrix; :func:`set_match`
    (:mod:`harness.scoring.setlevel`) reads the compact form without building it."""

    def __init__(self, distinct: np.ndarray, col: np.ndarray) -> None:
        self.distinct = np.asarray(distinct, dtype=float)
        self.col = np.asarray(col, dtype=np.int64)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.distinct.shape[0], len(self.col))

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = self.distinct[:, self.col]
        return out if dtype is None else out.astype(dtype)


class SimilarityUnavailable(RuntimeError):
    """The strategy cannot run here; ``reason`` says why and how to enable it."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"similarity {name!r} not run: {reason}")
        self.name = name
        self.reason = reason


class Similarity(ABC):
    """A similarity in [0, 1] between the gold claims of a document and predicted claims.

    Subclasses set ``name`` and implement :meth:`matrix`. ``needs_spans`` says that the strategy
    compares positions in the raw text, so it cannot compare two texts that are not spans of one
    document (the judge-validation report skips such strategies).
    """

    name: ClassVar[str] = "unnamed"
    description: ClassVar[str] = ""
    needs_spans: ClassVar[bool] = False
    #: Each comparison costs a request (an LLM judge): validation samples instead of doing all.
    expensive: ClassVar[bool] = False

    def __init__(self, corpus: Corpus, config: Mapping[str, Any] | None = None) -> None:
        self.corpus = corpus
        self.config: dict[str, Any] = dict(config or {})

    @classmethod
    def unavailable_reason(cls, config: Mapping[str, Any] | None = None) -> str | None:
        """Why this strategy cannot run here (missing package, no endpoint), or None if it can."""
        return None

    def signature(self) -> dict[str, Any]:
        """What a result must record to be reproduced: name, configuration, model versions."""
        return {"name": self.name, "config": dict(self.config)}

    @abstractmethod
    def matrix(self, doc: GoldDocument, preds: Sequence[PredictedClaim]) -> np.ndarray:
        """Similarities, shape (len(doc.claims), len(preds)), every value in [0, 1]."""

    def with_matrices(
        self, items: Iterable[tuple[GoldDocument, Sequence[PredictedClaim]]]
    ) -> Iterator[tuple[GoldDocument, Sequence[PredictedClaim], np.ndarray]]:
        """Each (document, predictions) of ``items`` with its :meth:`matrix`, in order, lazily.

        A strategy that gains from seeing several documents at once (one TF-IDF transform for
        many) overrides this; it may read ahead a bounded number of documents, never all.
        """
        for doc, preds in items:
            yield doc, preds, self.matrix(doc, preds)


class TextSimilarity(Similarity):
    """A strategy that compares claim texts only; :meth:`text_matrix` is the whole job."""

    @abstractmethod
    def text_matrix(self, gold: Sequence[str], pred: Sequence[str]) -> np.ndarray:
        """Similarities, shape (len(gold), len(pred)), every value in [0, 1]."""

    def matrix(self, doc: GoldDocument, preds: Sequence[PredictedClaim]) -> np.ndarray:
        return self.text_matrix([c.text for c in doc.claims], [p.text for p in preds])

    def claims_matrix(self, doc: GoldDocument) -> np.ndarray:
        """Every gold claim of ``doc`` against every other: ``text_matrix(texts, texts)``."""
        texts = [c.text for c in doc.claims]
        return np.asarray(self.text_matrix(texts, texts))


class SpanTokenF1(Similarity):
    """Token-level F1 of spans, as the ``span`` matching mode computes it."""

    name = "token-f1"
    description = "token-level F1 between predicted span and gold evidence span (0 without a span)"
    needs_spans = True

    def matrix(self, doc: GoldDocument, preds: Sequence[PredictedClaim]) -> np.ndarray:
        from harness.scoring.match import _set_f1, token_ids

        out = np.zeros((len(doc.claims), len(preds)))
        g_tok = [token_ids(doc.text, g.start, g.end) for g in doc.claims]
        for j, p in enumerate(preds):
            if p.start is None or p.end is None:
                continue
            p_tok = token_ids(doc.text, p.start, p.end)
            for i, gt in enumerate(g_tok):
                out[i, j] = _set_f1(gt, p_tok)
        return out


class SentenceJaccard(Similarity):
    """Jaccard overlap of touched sentences, as the ``sentence`` matching mode computes it."""

    name = "sentence-jaccard"
    description = "Jaccard overlap of the sentences touched by the spans (0 without a span)"
    needs_spans = True

    def matrix(self, doc: GoldDocument, preds: Sequence[PredictedClaim]) -> np.ndarray:
        from harness.gold.text import sentences_touching
        from harness.scoring.match import _jaccard

        out = np.zeros((len(doc.claims), len(preds)))
        g_sen = [frozenset(sentences_touching(doc.text, g.start, g.end)) for g in doc.claims]
        for j, p in enumerate(preds):
            if p.start is None or p.end is None:
                continue
            p_sen = frozenset(sentences_touching(doc.text, p.start, p.end))
            for i, gs in enumerate(g_sen):
                out[i, j] = _jaccard(gs, p_sen)
        return out


class TfidfCosine(TextSimilarity):
    """TF-IDF cosine of claim texts, fitted once on the gold corpus (the ``text`` mode's)."""

    name = "tfidf"
    description = "TF-IDF cosine between claim texts (vocabulary and IDF fitted on the gold)"

    def text_matrix(self, gold: Sequence[str], pred: Sequence[str]) -> np.ndarray:
        from harness.scoring.match import TextSimilarity as _Tfidf

        return _Tfidf.for_corpus(self.corpus).matrix(gold, pred)

    def _text_matrix_replaced(self) -> bool:
        """Whether a subclass replaced :meth:`text_matrix`: then the shortcuts below, which
        take rows from the corpus's TF-IDF model, must ask it instead."""
        return type(self).text_matrix is not _TFIDF_TEXT_MATRIX

    def matrix(self, doc: GoldDocument, preds: Sequence[PredictedClaim]) -> np.ndarray:
        """As :meth:`text_matrix` of the claim texts, with the gold rows taken from the one
        transform of every gold claim of the corpus (a transform is row by row, so the rows and
        the similarities are the same; only the per-call cost of scikit-learn is saved). A
        subclass (or a test) that replaces :meth:`text_matrix` is asked through it."""
        from harness.scoring.match import TextSimilarity as _Tfidf

        if self._text_matrix_replaced():
            return super().matrix(doc, preds)
        if not doc.claims or not preds:
            return np.zeros((len(doc.claims), len(preds)))
        model = _Tfidf.for_corpus(self.corpus)
        return model.cosine(model.gold_vectors(doc), model.vectors([p.text for p in preds]))

    def claims_matrix(self, doc: GoldDocument) -> np.ndarray:
        """As :meth:`text_matrix` of the claim texts against themselves, from the one transform
        of every gold claim of the corpus (the same rows, so the same similarities)."""
        from harness.scoring.match import TextSimilarity as _Tfidf

        if self._text_matrix_replaced():
            return super().claims_matrix(doc)
        if not doc.claims:
            return np.zeros((0, 0))
        model = _Tfidf.for_corpus(self.corpus)
        rows = model.gold_vectors(doc)
        return model.cosine(rows, rows)

    #: Documents whose predictions are transformed together by :meth:`with_matrices`, and the
    #: predictions after which a batch is closed early (a batch holds its documents' predictions).
    BATCH_DOCUMENTS: ClassVar[int] = 256
    BATCH_PREDICTIONS: ClassVar[int] = 20_000
    #: Consecutive documents whose cosines are one sparse product, up to this many gold x
    #: distinct-column cells (256 KB of floats); each document's block is cut out of it.
    GROUP_CELLS: ClassVar[int] = 1 << 15

    def with_matrices(
        self, items: Iterable[tuple[GoldDocument, Sequence[PredictedClaim]]]
    ) -> Iterator[tuple[GoldDocument, Sequence[PredictedClaim], np.ndarray]]:
        """:meth:`matrix` of each document, the predictions of up to :attr:`BATCH_DOCUMENTS`
        documents (closed once they hold :attr:`BATCH_PREDICTIONS` predictions) transformed in
        one call: scikit-learn's checks cost more than a document's transform, and a row depends
        on its own text only, so the similarities are the same. Each distinct normalized text is
        transformed and compared with the gold once, and each document's matrix is yielded as
        :class:`ColumnSims` (its distinct columns and which one each prediction has): a cosine
        depends on the two rows only, and a document with many repeated texts never holds a
        column per prediction. The cosines of consecutive documents, up to :attr:`GROUP_CELLS`
        gold x column cells, are one sparse product, each document's block cut out of it
        (:func:`_group_sims`): scipy's cost per product was most of a small document's."""
        from harness.scoring.match import TextSimilarity as _Tfidf
        from harness.scoring.match import normalize_claim_text

        if self._text_matrix_replaced():
            yield from super().with_matrices(items)
            return
        model = _Tfidf.for_corpus(self.corpus)
        for batch in _batches(items, self.BATCH_DOCUMENTS, self.BATCH_PREDICTIONS):
            first: dict[str, int] = {}
            rows = np.array(
                [
                    first.setdefault(normalize_claim_text(p.text), len(first))
                    for _, preds in batch
                    for p in preds
                ],
                dtype=np.int64,
            )
            distinct = model.vectorizer.transform(list(first)) if first else None
            at = 0
            group: list[tuple[GoldDocument, Sequence[PredictedClaim], np.ndarray, np.ndarray]] = []
            cells = (0, 0)  # gold rows and distinct columns of the group
            for item in itertools.chain(batch, [None]):  # None: the end, flush
                doc, preds = item if item is not None else (None, ())
                if doc is not None and doc.claims and preds:
                    used, col = np.unique(rows[at : at + len(preds)], return_inverse=True)
                    grown = (cells[0] + len(doc.claims), cells[1] + len(used))
                    if group and grown[0] * grown[1] > self.GROUP_CELLS:
                        yield from _group_sims(model, distinct, group)
                        group, grown = [], (len(doc.claims), len(used))
                    group.append((doc, preds, used, col.ravel()))
                    cells = grown
                elif doc is not None:  # nothing to compare: after the group, in order
                    yield from _group_sims(model, distinct, group)
                    group, cells = [], (0, 0)
                    yield doc, preds, np.zeros((len(doc.claims), len(preds)))
                else:
                    yield from _group_sims(model, distinct, group)
                at += len(preds)


def _group_sims(
    model: Any,
    distinct: Any,
    group: Sequence[tuple[GoldDocument, Sequence[PredictedClaim], np.ndarray, np.ndarray]],
) -> Iterator[tuple[GoldDocument, Sequence[PredictedClaim], ColumnSims]]:
    """Each document of ``group`` with its :class:`ColumnSims`, from one product of the group's
    gold rows and distinct prediction rows: a cosine is a sum over the terms of its gold row,
    in the order of that row's terms whatever else is in the product, so each document's block
    is the matrix its own product gives, bit for bit (``tests/test_scale_scoring.py``)."""
    if not group:
        return
    from scipy import sparse

    gold = sparse.vstack([model.gold_vectors(doc) for doc, _, _, _ in group], format="csr")
    sims = model.cosine(gold, distinct[np.concatenate([used for _, _, used, _ in group])])
    r = c = 0
    for doc, preds, used, col in group:
        block = sims[r : r + len(doc.claims), c : c + len(used)].copy()
        r, c = r + len(doc.claims), c + len(used)
        yield doc, preds, ColumnSims(block, col)


def _batches(
    items: Iterable[tuple[GoldDocument, Sequence[PredictedClaim]]], max_docs: int, max_preds: int
) -> Iterator[list[tuple[GoldDocument, Sequence[PredictedClaim]]]]:
    """Consecutive batches of ``items``: at most ``max_docs`` documents, closed early once they
    hold ``max_preds`` predictions (a document is never split)."""
    batch: list[tuple[GoldDocument, Sequence[PredictedClaim]]] = []
    n = 0
    for item in items:
        batch.append(item)
        n += len(item[1])
        if len(batch) >= max_docs or n >= max_preds:
            yield batch
            batch, n = [], 0
    if batch:
        yield batch


#: TfidfCosine's own text_matrix: its matrix takes the shortcut only while this is the one used.
_TFIDF_TEXT_MATRIX = TfidfCosine.text_matrix


@lru_cache(maxsize=1)
def _wordllama_model() -> Any:
    """The bundled WordLlama model, loaded with downloads disabled.

    wordllama 0.4.0.post1 looks for its bundled tokenizer under ``wordllama/tokenizer/`` but
    ships it in ``wordllama/tokenizers/``; left alone it would fall back to a download. Pointing
    its cache directory at the package itself makes both files resolve inside the wheel.
    """
    from pathlib import Path

    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


class WordLlamaCosine(TextSimilarity):
    """Cosine of WordLlama embeddings (the 256-d ``l2_supercat`` model shipped in the wheel).

    Negative cosines are clipped to 0. The model is loaded once per process, offline: no file is
    looked for outside the installed package and nothing is downloaded.
    """

    name = "wordllama"
    description = "cosine of WordLlama static embeddings (l2_supercat, 256 d, bundled in the wheel)"

    @classmethod
    def unavailable_reason(cls, config: Mapping[str, Any] | None = None) -> str | None:
        try:
            _wordllama_model()
        except ImportError:
            return (
                "the wordllama package is not installed; hint: pip install "
                f"'claim-harness[embeddings]' (wordllama=={WORDLLAMA_VERSION})"
            )
        except (OSError, ValueError) as exc:
            return f"the bundled wordllama model did not load offline: {exc}"
        return None

    def signature(self) -> dict[str, Any]:
        try:
            version = metadata.version("wordllama")
        except metadata.PackageNotFoundError:
            version = None
        return {**super().signature(), "model": "l2_supercat_256", "wordllama": version}

    def text_matrix(self, gold: Sequence[str], pred: Sequence[str]) -> np.ndarray:
        if not gold or not pred:
            return np.zeros((len(gold), len(pred)))
        from harness.scoring.match import normalize_claim_text

        model = _wordllama_model()
        a = np.asarray(model.embed([normalize_claim_text(t) for t in gold], norm=True), float)
        b = np.asarray(model.embed([normalize_claim_text(t) for t in pred], norm=True), float)
        return np.clip(a @ b.T, 0.0, 1.0)


# --- registry -----------------------------------------------------------------------------------


def _entry_points() -> dict[str, str]:
    return {ep.name: ep.value for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def available_names() -> dict[str, str]:
    """Every registered strategy name mapped to its ``module:attr`` target."""
    names = dict(CORE)
    for name, target in _entry_points().items():
        names.setdefault(name, target)
    return names


def load_similarity_class(name: str) -> type[Similarity]:
    """Resolve a registered name to its class; an unknown name gets a "did you mean" hint."""
    names = available_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(
            f"unknown similarity strategy {name!r}{hint} (known: {', '.join(sorted(names))})"
        )
    module_name, _, attr = names[name].partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    if not (isinstance(cls, type) and issubclass(cls, Similarity)):
        raise TypeError(
            f"{names[name]} (similarity {name!r}) is not a harness.scoring.similarity.Similarity"
        )
    return cls


def get_similarity(
    name: str, corpus: Corpus, config: Mapping[str, Any] | None = None
) -> Similarity:
    """An instance of the named strategy; :class:`SimilarityUnavailable` says why it cannot run."""
    cls = load_similarity_class(name)
    reason = cls.unavailable_reason(config)
    if reason is not None:
        raise SimilarityUnavailable(name, reason)
    return cls(corpus, config)


def similarity_status() -> list[dict[str, Any]]:
    """Every registered strategy with whether it can run here and, if not, why."""
    rows = []
    for name, target in sorted(available_names().items()):
        try:
            reason = load_similarity_class(name).unavailable_reason(None)
        except Exception as exc:  # a broken plug-in must not break the listing
            reason = f"cannot load {target}: {type(exc).__name__}: {exc}"
        rows.append(
            {
                "name": name,
                "target": target,
                "available": reason is None,
                "reason": None if reason is None else f"not run: {reason}",
            }
        )
    return rows
