"""Matching predicted claims to gold claims, one document at a time.

Each matching mode is a named strategy with a similarity in [0, 1] and an inclusive threshold
(a pair matches when similarity >= threshold). Within a document, predicted and gold claims are
assigned one-to-one so that the total similarity of the eligible pairs is maximal
(``scipy.optimize.linear_sum_assignment``); pairs below the threshold are never matched.

Modes (METRICS.md gives the formulas and worked examples):

* ``span`` (default): token-level F1 between the predicted span and the gold evidence span, over
  token *positions* in the raw text (a token belongs to a span when they share a character).
* ``sentence``: Jaccard overlap between the set of sentences the gold evidence touches and the set
  the predicted span touches (sentence-level claim detection, as NewsClaims scores it).
* ``text``: TF-IDF cosine between the predicted claim text and the gold claim text.

Predictions without a span are matched by ``text`` similarity in every mode (with the text
threshold). Nothing is gameable: a prediction can match at most one gold claim; predictions that
repeat an earlier one (the same span, or in text mode the same normalized text) cannot match at
all and count as unmatched; a whole-document span has a tiny span F1 and sentence Jaccard.
Predictions are put in a canonical order first, so their input order never changes the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from harness.extraction.api import PredictedClaim
from harness.gold.corpus import GoldDocument
from harness.gold.text import sentence_spans, sentences_touching, token_starts_ends
from harness.scoring.assignment import (
    BASES,
    TIE_BREAK,
    Candidates,
    Nearest,
    Pair,
    active_and_repeats,
    assign,
    canonical_order,
    normalize_claim_text,
    weights,
)
from harness.scoring.tfidf import GOLD_BATCH, TextSimilarity, compares_text

#: Predictions whose similarities are computed at once (gold x CHUNK matrices).
CHUNK = 8192


@dataclass(frozen=True)
class MatchMode:
    name: str
    threshold: float
    description: str
    #: Threshold for text similarity, used for predictions without a span (and by the text mode).
    text_threshold: float = 0.5

    def signature(self) -> dict[str, object]:
        return {
            "mode": self.name,
            "threshold": self.threshold,
            "text_threshold": self.text_threshold,
            "description": self.description,
        }

    def label(self) -> str:
        extra = "" if self.name == "text" else f", spanless by text >= {self.text_threshold:g}"
        return f"{self.name} >= {self.threshold:g}{extra}"


MODES: dict[str, MatchMode] = {
    "span": MatchMode("span", 0.5, "token-level F1 between predicted span and gold evidence span"),
    "sentence": MatchMode(
        "sentence", 0.5, "Jaccard overlap of the sentences touched by predicted and gold spans"
    ),
    "text": MatchMode("text", 0.5, "TF-IDF cosine between predicted and gold claim texts"),
}


def get_mode(
    name: str, threshold: float | None = None, text_threshold: float | None = None
) -> MatchMode:
    """A mode by name, optionally with other thresholds (each in [0, 1])."""
    if name not in MODES:
        raise KeyError(f"unknown matching mode {name!r}; choose one of {', '.join(MODES)}")
    base = MODES[name]
    for label, value in (("threshold", threshold), ("text threshold", text_threshold)):
        if value is not None and not 0.0 <= value <= 1.0:
            raise ValueError(f"{label} must be in [0, 1], got {value}")
    t = base.threshold if threshold is None else threshold
    tt = base.text_threshold if text_threshold is None else text_threshold
    if name == "text":
        tt = t
    return MatchMode(base.name, t, base.description, tt)


@dataclass(frozen=True, eq=False)
class DocMatch:
    doc_id: str
    pairs: tuple[Pair, ...]
    #: Indices (sorted) of predictions that repeat an earlier prediction and so could not match.
    duplicates: np.ndarray = field(repr=False)
    #: For every prediction, (best gold index, similarity, basis) before assignment; for analysis.
    best_gold: Nearest = field(repr=False)
    n_gold: int = 0
    n_pred: int = 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DocMatch):
            return NotImplemented
        return (
            (self.doc_id, self.pairs, self.n_gold, self.n_pred)
            == (other.doc_id, other.pairs, other.n_gold, other.n_pred)
            and np.array_equal(self.duplicates, other.duplicates)
            and self.best_gold == other.best_gold
        )

    __hash__ = None  # type: ignore[assignment]

    def partner_of_gold(self) -> dict[int, Pair]:
        return {p.gold: p for p in self.pairs}

    def partner_of_pred(self) -> dict[int, Pair]:
        return {p.pred: p for p in self.pairs}


# --- similarities ------------------------------------------------------------------------------


#: Token bounds of the last texts asked: :func:`similarities` asks for a document's at every call.
_token_starts_ends = lru_cache(maxsize=64)(token_starts_ends)


@lru_cache(maxsize=64)
def _sentence_starts_ends(text: str) -> tuple[np.ndarray, np.ndarray]:
    spans = sentence_spans(text)
    return (
        np.array([s for s, _ in spans], dtype=np.int64),
        np.array([e for _, e in spans], dtype=np.int64),
    )


def _ranges(
    bounds: tuple[np.ndarray, np.ndarray], starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each span, the half-open range [lo, hi) of the items (tokens or sentences) it touches.

    Items are sorted and disjoint, so the items that share a character with ``[start, end)``
    (``item_start < end and item_end > start``) are always one contiguous run of indices.
    """
    item_starts, item_ends = bounds
    lo = np.searchsorted(item_ends, starts, side="right")
    hi = np.searchsorted(item_starts, ends, side="left")
    return lo, np.maximum(hi, lo)


def token_ranges(text: str, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Token index ranges of many spans at once (the vectorized form of :func:`token_ids`)."""
    return _ranges(_token_starts_ends(text), starts, ends)


def sentence_ranges(
    text: str, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sentence index ranges of many spans at once (the vectorized ``sentences_touching``)."""
    return _ranges(_sentence_starts_ends(text), starts, ends)


def _range_overlap(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sizes of A, B and A & B for every pair (rows: ranges ``a``, columns: ranges ``b``)."""
    la = (a[1] - a[0])[:, None]
    lb = (b[1] - b[0])[None, :]
    inter = np.minimum(a[1][:, None], b[1][None, :]) - np.maximum(a[0][:, None], b[0][None, :])
    return la, lb, np.maximum(inter, 0)


def _pairwise_f1(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """:func:`_set_f1` of every pair of contiguous index ranges (0 when either is empty)."""
    la, lb, inter = _range_overlap(a, b)
    total = la + lb
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where((la > 0) & (lb > 0), 2 * inter / np.where(total > 0, total, 1), 0.0)
    return out


def _pairwise_jaccard(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """:func:`_jaccard` of every pair of contiguous index ranges (0 when either is empty)."""
    la, lb, inter = _range_overlap(a, b)
    union = la + lb - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where((la > 0) & (lb > 0), inter / np.where(union > 0, union, 1), 0.0)
    return out


def token_ids(text: str, start: int, end: int) -> frozenset[int]:
    """Indices of the word tokens of ``text`` that share at least one character with the span."""
    starts, ends = _token_starts_ends(text)
    idx = np.nonzero((starts < end) & (ends > start))[0]
    return frozenset(int(i) for i in idx)


def span_f1(text: str, a: tuple[int, int], b: tuple[int, int]) -> float:
    """Token-level F1 of two spans of ``text`` (token positions, not bags of words)."""
    return _set_f1(token_ids(text, *a), token_ids(text, *b))


def _set_f1(ta: frozenset[int], tb: frozenset[int]) -> float:
    if not ta or not tb:
        return 0.0
    return 2 * len(ta & tb) / (len(ta) + len(tb))


def sentence_jaccard(text: str, a: tuple[int, int], b: tuple[int, int]) -> float:
    """Jaccard overlap of the sets of sentences the two spans touch."""
    return _jaccard(
        frozenset(sentences_touching(text, *a)), frozenset(sentences_touching(text, *b))
    )


def _jaccard(sa: frozenset[int], sb: frozenset[int]) -> float:
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def char_f1(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Character-level F1 of two spans (the span mode's tie-breaker)."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    total = (a[1] - a[0]) + (b[1] - b[0])
    return 2 * inter / total if total else 0.0


# --- assignment --------------------------------------------------------------------------------


def match_document(
    doc: GoldDocument,
    preds: Sequence[PredictedClaim],
    mode: MatchMode,
    text_sim: TextSimilarity,
    pred_vectors: Any = None,
    key_weights: list[tuple[np.ndarray, np.ndarray]] | None = None,
    order: Sequence[int] | None = None,
) -> DocMatch:
    """Assign ``preds`` (all of this document) to ``doc.claims`` one-to-one under ``mode``.

    Similarities are numpy interval arithmetic on token and sentence index ranges (the same
    integers, so the same floats, as the set formulas), computed for :data:`CHUNK` predictions
    at a time; of each chunk only the nearest gold claim of every prediction and the candidate
    columns of the assignment (:mod:`harness.scoring.assignment`) are kept, so memory follows
    the gold claims and a few numbers per prediction. ``pred_vectors``: the predictions'
    TF-IDF rows when the caller transformed them already; otherwise transformed when needed.
    ``key_weights``: when a list is given and the predictions fit in one chunk, the eligibility
    and weight of every gold x active prediction pair, the active predictions in canonical
    order, are appended to it: what the confidence sweep reads
    (:func:`harness.scoring.confidence.doc_curve`), so that it need not compute them again.
    ``order``: ``canonical_order(preds)`` when the caller has it already.
    """
    n_g, n_p = len(doc.claims), len(preds)
    if order is None:
        order = canonical_order(preds)
    active, duplicates = active_and_repeats(preds, order, mode.name)
    slot = np.full(n_p, -1, dtype=np.int64)
    slot[np.asarray(active, dtype=np.int64)] = np.arange(len(active))
    near_gold = np.full(n_p, -1, dtype=np.int32)
    near_sim = np.zeros(n_p)
    near_basis = np.full(n_p, BASES.index("text"), dtype=np.int8)
    cand = Candidates(n_g)
    for at in range(0, n_p if n_g else 0, CHUNK):
        vec = pred_vectors[at : at + CHUNK] if pred_vectors is not None else None
        primary, secondary, threshold, basis = similarities(
            doc, preds[at : at + CHUNK], mode, text_sim, vec
        )
        cols = np.arange(primary.shape[1])
        best = np.argmax(primary + TIE_BREAK * secondary, axis=0)
        near_gold[at : at + len(cols)] = best
        near_sim[at : at + len(cols)] = [round(v, 6) for v in primary[best, cols].tolist()]
        near_basis[at : at + len(cols)] = [BASES.index(b) for b in basis[best, cols].tolist()]
        here = slot[at : at + CHUNK]
        m = here >= 0
        if key_weights is not None and n_p <= CHUNK:
            by_slot = np.argsort(here[m])  # active columns in canonical order
            key_weights.append(
                weights(*(x[:, m][:, by_slot] for x in (primary, secondary, threshold)))
            )
        cand.add(primary[:, m], secondary[:, m], threshold[:, m], basis[:, m], here[m],
                 at + cols[m])  # fmt: skip
    return DocMatch(
        doc.doc_id,
        tuple(cand.solve()),
        np.array(sorted(duplicates), dtype=np.int64),
        Nearest(near_gold, near_sim, near_basis),
        n_g,
        n_p,
    )


def similarities(
    doc: GoldDocument,
    preds: Sequence[PredictedClaim],
    mode: MatchMode,
    text_sim: TextSimilarity,
    pred_vectors: Any = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Similarity, tie-break, threshold and basis of every pair (each depends on its pair only)."""
    golds = doc.claims
    n_g, n_p = len(golds), len(preds)
    if not (n_g and n_p):  # nothing to compare: the empty arrays of each kind
        return (np.zeros((n_g, n_p)), np.zeros((n_g, n_p)),
                np.full((n_g, n_p), mode.text_threshold),
                np.full((n_g, n_p), "text", dtype=object))  # fmt: skip
    has_span = np.array([p.start is not None and p.end is not None for p in preds])
    g_start = np.array([g.start for g in golds], dtype=np.int64)
    g_end = np.array([g.end for g in golds], dtype=np.int64)
    p_start = np.array([p.start if p.start is not None else 0 for p in preds], dtype=np.int64)
    p_end = np.array([p.end if p.end is not None else 0 for p in preds], dtype=np.int64)
    g_tok = token_ranges(doc.text, g_start, g_end)
    p_tok = token_ranges(doc.text, p_start, p_end)
    # a prediction without a span has no tokens and no sentences
    p_tok = (p_tok[0], np.where(has_span, p_tok[1], p_tok[0]))
    tok_f1 = _pairwise_f1(g_tok, p_tok)
    by_text = np.broadcast_to(~has_span if mode.name != "text" else np.ones(n_p, bool), (n_g, n_p))
    needs_text = bool(by_text.any())
    if needs_text:
        vp = pred_vectors if pred_vectors is not None else text_sim.vectors([p.text for p in preds])
        tsim = text_sim.cosine(text_sim.gold_vectors(doc), vp)
    else:
        tsim = np.zeros((n_g, n_p))
    if mode.name == "span":
        own = tok_f1
        # the same overlap as the tokens', over characters
        la, lb, inter = _range_overlap((g_start, g_end), (p_start, p_end))
        total = la + lb
        with np.errstate(divide="ignore", invalid="ignore"):
            own_secondary = np.where(total > 0, 2 * inter / np.where(total > 0, total, 1), 0.0)
    elif mode.name == "sentence":
        g_sen = sentence_ranges(doc.text, g_start, g_end)
        p_sen = sentence_ranges(doc.text, p_start, p_end)
        p_sen = (p_sen[0], np.where(has_span, p_sen[1], p_sen[0]))
        own = _pairwise_jaccard(g_sen, p_sen)
        own_secondary = tok_f1
    else:
        own = own_secondary = np.zeros((n_g, n_p))
    primary = np.where(by_text, tsim, own)
    secondary = np.where(by_text, np.where(has_span[None, :], tok_f1, 0.0), own_secondary)
    text_t = mode.text_threshold if mode.name != "text" else mode.threshold
    threshold = np.where(by_text, text_t, mode.threshold)
    basis = np.where(by_text, np.array("text", object), np.array(mode.name, object))

    return primary, secondary, threshold, basis


__all__ = [
    "BASES",
    "CHUNK",
    "GOLD_BATCH",
    "MODES",
    "TIE_BREAK",
    "DocMatch",
    "MatchMode",
    "Nearest",
    "Pair",
    "TextSimilarity",
    "assign",
    "canonical_order",
    "char_f1",
    "compares_text",
    "get_mode",
    "match_document",
    "normalize_claim_text",
    "sentence_jaccard",
    "sentence_ranges",
    "similarities",
    "span_f1",
    "token_ids",
    "token_ranges",
]
