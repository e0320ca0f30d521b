"""The TF-IDF text similarity of claim matching (METRICS.md §1): :class:`TextSimilarity`.

The vocabulary and IDF weights are fitted once per gold corpus (:mod:`harness.scoring.idf`); the
gold claims are transformed once per corpus and each prediction's row on demand. A row depends on
its own text only, so transforming texts together or apart gives the same rows: what batching
saves is scikit-learn's cost per call, which is most of a document's transform.
:mod:`harness.scoring.match` re-exports the class.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from harness.extraction.api import PredictedClaim
from harness.gold.corpus import Corpus, GoldDocument
from harness.gold.text import sentence_spans
from harness.scoring.assignment import normalize_claim_text

_TEXT_SIMILARITIES: dict[object, TextSimilarity] = {}

#: Documents whose predictions :meth:`TextSimilarity.with_vectors` transforms in one call, and
#: the predictions after which a batch is closed early. A document with more predictions than
#: that gets no rows: the matcher transforms them chunk by chunk, which bounds the memory.
VECTOR_BATCH = 256
VECTOR_BATCH_PREDICTIONS = 20_000


def compares_text(doc: GoldDocument, preds: Sequence[PredictedClaim], mode: str) -> bool:
    """Whether matching ``preds`` to ``doc``'s claims in the mode named ``mode`` compares any
    pair by text: the text mode does, and every mode does for a prediction without a span."""
    if not doc.claims or not preds:
        return False
    return mode == "text" or any(p.start is None or p.end is None for p in preds)


def _claims_digest(doc: GoldDocument) -> bytes:
    """A digest of ``doc``'s claim texts, in order: equal digests, equal texts."""
    h = hashlib.blake2b(digest_size=16)
    for c in doc.claims:  # each text after its length: no two lists of texts run together
        data = c.text.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.digest()


#: Gold claim texts transformed at a time (:meth:`TextSimilarity.gold_vectors`).
GOLD_BATCH = 4096


class TextSimilarity:
    """TF-IDF cosine similarity, with the vocabulary and IDF fitted once on the gold corpus.

    Fitting on the gold (every document's sentences and every gold claim text) keeps a pair's
    similarity independent of what else was predicted, so adding or reordering predictions cannot
    change how two given texts compare.

    The model is fitted on first use: scikit-learn takes seconds to import, and span and sentence
    modes need it only for predictions without a span.
    """

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._vectorizer: Any = None
        self._gold_rows: tuple[dict[str, tuple[bytes, int]], Sequence[Any]] | None = None

    @classmethod
    def for_corpus(cls, corpus: Corpus) -> TextSimilarity:
        """One instance per corpus content, so that several scorings share one fit: keyed by the
        hash *and* the documents' ids, as a subset made with ``dataclasses.replace(corpus,
        documents=...)`` keeps the hash but fits on other texts (and must not share a model)."""
        key = (corpus.hash, corpus.doc_ids) if corpus.hash else id(corpus)
        if key not in _TEXT_SIMILARITIES:
            _TEXT_SIMILARITIES[key] = cls(corpus)
        return _TEXT_SIMILARITIES[key]

    @property
    def vectorizer(self) -> Any:
        if self._vectorizer is None:
            from harness.scoring.idf import fit_tfidf

            def fit_texts() -> Iterator[str]:  # one document at a time (harness.scoring.idf)
                for d in self.corpus.documents:
                    yield from (d.text[s:e] for s, e in sentence_spans(d.text))
                    yield from (c.text for c in d.claims)

            self._vectorizer = fit_tfidf(fit_texts())
        return self._vectorizer

    def vectors(self, texts: Sequence[str]) -> Any:
        """Sparse TF-IDF rows of the normalized ``texts``, each distinct one transformed once."""
        first: dict[str, int] = {}
        rows = [first.setdefault(normalize_claim_text(x), len(first)) for x in texts]
        return self.vectorizer.transform(list(first))[rows]

    def with_vectors(
        self,
        items: Iterable[tuple[GoldDocument, Sequence[PredictedClaim]]],
        mode: str,
        wanted: Callable[[GoldDocument], bool] | None = None,
    ) -> Iterator[tuple[GoldDocument, Sequence[PredictedClaim], Any]]:
        """Each ``(doc, preds)`` of ``items``, in order, with the rows of :meth:`vectors` of its
        predictions' texts where the mode named ``mode`` compares any of them by text
        (:func:`compares_text`) and it has at most :data:`VECTOR_BATCH_PREDICTIONS`
        predictions, None elsewhere. The texts of up to :data:`VECTOR_BATCH` documents (closed
        early at :data:`VECTOR_BATCH_PREDICTIONS` predictions) are transformed in one call: the
        rows are those of each document's own call (a row depends on its text only), and
        scikit-learn's cost per call, most of a small document's transform, is paid once a
        batch. A document that needs no rows is held only behind one that waits for them.
        ``wanted``: whether the caller will read a document's rows at all (default: always); a
        document it says no to gets None, untransformed."""
        batch: list[tuple[GoldDocument, Sequence[PredictedClaim], bool]] = []
        n = 0
        for item in itertools.chain(items, [None]):  # None: the end, flush
            if item is not None:
                doc, preds = item
                text = (
                    len(preds) <= VECTOR_BATCH_PREDICTIONS
                    and compares_text(doc, preds, mode)
                    and (wanted is None or wanted(doc))
                )
                if not text and not batch:  # nothing waits for a transform: passed on at once
                    yield doc, preds, None
                    continue
                batch.append((doc, preds, text))
                n += len(preds)  # a batch holds its documents' predictions, with rows or not
            if batch and (
                item is None or len(batch) >= VECTOR_BATCH or n >= VECTOR_BATCH_PREDICTIONS
            ):
                texts = [p.text for _, preds, text in batch if text for p in preds]
                rows = self.vectors(texts) if texts else None
                at = 0
                for doc, preds, text in batch:
                    if text:
                        yield doc, preds, rows[at : at + len(preds)]  # type: ignore[index]
                        at += len(preds)
                    else:
                        yield doc, preds, None
                batch, n = [], 0

    def gold_vectors(self, doc: GoldDocument) -> Any:
        """The rows of ``doc``'s gold claim texts, transformed once per corpus.

        Transforming the gold once per corpus, not once per document and mode, is what keeps
        text matching linear on large corpora. The claims are transformed :data:`GOLD_BATCH`
        texts at a time (a row does not depend on the others) and each document's rows are kept
        as a :mod:`harness.gold.spill` sequence, so the rows of a large corpus are on disk. A
        document whose claim texts are not those of the corpus's document of that id (the
        annotator-agreement tool matches two versions of one document) is transformed alone;
        the texts are compared by a digest, so that no document is kept for it.
        """
        if self._gold_rows is None:
            self._gold_rows = self._transform_gold()
        rows, blocks = self._gold_rows
        hit = rows.get(doc.doc_id)
        if hit is not None and hit[0] == _claims_digest(doc):
            return blocks[hit[1]]
        return self.vectors([c.text for c in doc.claims])

    def _transform_gold(self) -> tuple[dict[str, tuple[bytes, int]], Sequence[Any]]:
        from harness.gold import spill

        rows: dict[str, tuple[bytes, int]] = {}
        blocks: spill.SpilledSequence[Any] = spill.SpilledSequence(hot_bytes=spill.part_budget())
        texts: list[str] = []
        pending: list[tuple[str, bytes, int]] = []
        for d in itertools.chain(self.corpus.documents, [None]):  # None: the end, flush
            if d is not None and d.claims:
                pending.append((d.doc_id, _claims_digest(d), len(d.claims)))
                texts += [c.text for c in d.claims]
            if texts and (d is None or len(texts) >= GOLD_BATCH):
                m, at = self.vectors(texts), 0
                for doc_id, digest, n in pending:
                    rows[doc_id] = (digest, len(blocks))
                    blocks.append(m[at : at + n])
                    at += n
                texts, pending = [], []
        return rows, blocks

    def matrix(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        if not a or not b:
            return np.zeros((len(a), len(b)))
        return self.cosine(self.vectors(a), self.vectors(b))

    @staticmethod
    def cosine(va: Any, vb: Any) -> np.ndarray:
        """Cosine of every pair of rows (TF-IDF rows are L2-normalized), clipped to [0, 1]."""
        if va.shape[0] == 0 or vb.shape[0] == 0:
            return np.zeros((va.shape[0], vb.shape[0]))
        return np.asarray((va @ vb.T).todense(), dtype=float).clip(0.0, 1.0)


__all__ = [
    "GOLD_BATCH",
    "VECTOR_BATCH",
    "VECTOR_BATCH_PREDICTIONS",
    "TextSimilarity",
    "compares_text",
]
