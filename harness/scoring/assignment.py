"""The one-to-one assignment of one document's predictions to its gold claims.

:mod:`harness.scoring.match` computes the similarities; this module orders the predictions
canonically, sets the repeats aside and solves the assignment, keeping per prediction only
arrays (never a Python object per prediction beyond the input), so that a document with
hundreds of thousands of predictions is matched in memory proportional to its gold claims and a
few numbers per prediction.

Candidates. A gold claim's partner in a maximum-weight assignment is always among its ``n_gold``
heaviest eligible columns: otherwise one of those is free (the other ``n_gold - 1`` gold claims
take at most ``n_gold - 1`` of them) and at least as heavy, so swapping to it does not lower
the total. The assignment is therefore solved on the union of every gold claim's ``n_gold``
heaviest eligible columns (ties: the earlier column in canonical order), which has the same
optimal total as the whole matrix; and that union can be kept while the columns stream past
(:func:`top_candidates` of the kept union and the next chunk is the union of the whole prefix).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.extraction.api import PredictedClaim

#: Weight of the tie-breaking similarity; small enough never to outweigh a real difference.
TIE_BREAK = 1e-6
#: A pair is eligible when its similarity is at least the threshold minus this.
EPS = 1e-12
#: The bases of a similarity, by code (the compact per-prediction arrays store the code).
BASES = ("span", "sentence", "text")


@dataclass(frozen=True)
class Pair:
    gold: int  # index into doc.claims
    pred: int  # index into the document's predictions as given
    similarity: float
    basis: str  # "span", "sentence" or "text"


class Nearest(Sequence[tuple[int | None, float, str]]):
    """Per prediction, its nearest gold claim before assignment: (gold index or None,
    similarity rounded to 6 places, basis), held as three arrays (13 bytes a prediction)."""

    def __init__(self, gold: np.ndarray, similarity: np.ndarray, basis: np.ndarray) -> None:
        self.gold = np.asarray(gold, dtype=np.int32)
        self.similarity = np.asarray(similarity, dtype=float)
        self.basis = np.asarray(basis, dtype=np.int8)

    def __len__(self) -> int:
        return len(self.gold)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        g = int(self.gold[i])
        return (None if g < 0 else g, float(self.similarity[i]), BASES[int(self.basis[i])])

    def columns(self) -> tuple[list[int | None], list[float], list[str]]:
        """Every prediction's item of this sequence as three lists (gold index or None,
        similarity, basis): the same values as indexing one by one, read in three calls."""
        gold = [None if g < 0 else g for g in self.gold.tolist()]
        return gold, self.similarity.tolist(), [BASES[b] for b in self.basis.tolist()]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Nearest):
            return NotImplemented
        return all(
            np.array_equal(a, b)
            for a, b in zip(
                (self.gold, self.similarity, self.basis),
                (other.gold, other.similarity, other.basis),
                strict=True,
            )
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Nearest({len(self)} predictions)"


@functools.lru_cache(maxsize=65536)  # repeated texts share one normalized string (sort keys)
def normalize_claim_text(s: str) -> str:
    """Case-folded, apostrophes unified, white space runs as one space, ends stripped.

    ``str.split()`` splits on exactly the characters ``\\s`` matches in a str pattern
    (``str.isspace``), at a fraction of the regular expression's cost; every sort key calls it.
    """
    return " ".join(s.replace("’", "'").split()).casefold()


def _ranks(values: Sequence[str]) -> np.ndarray:
    """Each value's rank among the distinct values in Python's string order."""
    at = {v: k for k, v in enumerate(sorted(set(values)))}
    return np.fromiter((at[v] for v in values), dtype=np.int64, count=len(values))


#: Up to this many predictions, :func:`canonical_order` sorts key tuples: numpy's fixed cost per
#: call is most of a document's sort (13 predictions: 34 µs for ``lexsort``, 8 µs for tuples).
SMALL_SORT = 256


def _sort_key(p: PredictedClaim) -> tuple:
    return (
        p.start is None,
        -1 if p.start is None else p.start,
        -1 if p.end is None else p.end,
        normalize_claim_text(p.text),
        p.claimant or "",
        p.date or "",
        p.date_text or "",
        -1.0 if p.confidence is None else p.confidence,
        p.text,
    )


def canonical_order(preds: Sequence[PredictedClaim]) -> list[int]:
    """Indices of ``preds`` in a canonical order independent of the input order.

    The order of the key (span missing, start, end, normalized text, claimant, date, date text,
    confidence, text), ties kept in input order. Up to :data:`SMALL_SORT` predictions, a stable
    sort on the key tuples; beyond, a stable ``numpy.lexsort`` over the numbers and over each
    string's rank among the distinct strings, which is the same order without a tuple per
    prediction. A NaN confidence, which no comparison orders, always takes the ``lexsort``.
    """
    n = len(preds)
    if n == 0:
        return []
    if n <= SMALL_SORT:
        keys_of = [_sort_key(p) for p in preds]
        if all(k[7] == k[7] for k in keys_of):  # no NaN
            return sorted(range(n), key=keys_of.__getitem__)
    no_span = np.fromiter((p.start is None for p in preds), dtype=bool, count=n)
    start = np.fromiter((-1 if p.start is None else p.start for p in preds), np.int64, n)
    end = np.fromiter((-1 if p.end is None else p.end for p in preds), np.int64, n)
    conf = np.fromiter((-1.0 if p.confidence is None else p.confidence for p in preds), float, n)
    keys = (  # numpy.lexsort: the last key is the primary one
        _ranks([p.text for p in preds]),
        conf,
        _ranks([p.date_text or "" for p in preds]),
        _ranks([p.date or "" for p in preds]),
        _ranks([p.claimant or "" for p in preds]),
        _ranks([normalize_claim_text(p.text) for p in preds]),
        end,
        start,
        no_span,
    )
    return np.lexsort(keys).tolist()


def dedup_key(p: PredictedClaim, mode_name: str) -> tuple:
    """Predictions with equal keys are repeats: only the first (canonical order) may match.

    Span and sentence modes: the same span. Text mode: the same normalized text *and* span, so that
    two verbatim copies of a claim at different places (G1.4) are two predictions. Predictions
    without a span: the same normalized text.
    """
    if p.start is None:
        return ("text", normalize_claim_text(p.text))
    if mode_name != "text":
        return ("span", p.start, p.end)
    return ("text", normalize_claim_text(p.text), p.start, p.end)


def active_and_repeats(
    preds: Sequence[PredictedClaim], order: Sequence[int], mode_name: str
) -> tuple[list[int], list[int]]:
    """Indices (in ``order``) that may match, and the repeats of an earlier prediction."""
    seen: set[tuple] = set()
    duplicates: list[int] = []
    active: list[int] = []
    for i in order:
        k = dedup_key(preds[i], mode_name)
        (duplicates if k in seen else active).append(i)
        seen.add(k)
    return active, duplicates


def weights(
    primary: np.ndarray, secondary: np.ndarray, threshold: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Eligibility (similarity >= threshold) and assignment weight (0 where not eligible)."""
    eligible = primary >= threshold - EPS
    return eligible, np.where(eligible, primary + TIE_BREAK * secondary, 0.0)


def top_candidates(
    weight: np.ndarray, eligible: np.ndarray, position: np.ndarray, n_keep: int
) -> np.ndarray:
    """Mask of the columns that are among some row's ``n_keep`` heaviest eligible columns
    (between equal weights, the smaller ``position`` first)."""
    many = eligible.sum(axis=1) > n_keep
    keep = eligible[~many].any(axis=0)  # rows with at most n_keep eligible columns keep them all
    for r in np.flatnonzero(many):
        cols = np.flatnonzero(eligible[r])
        if len(cols) > n_keep:
            cols = cols[np.lexsort((position[cols], -weight[r, cols]))[:n_keep]]
        keep[cols] = True
    return keep


class Candidates:
    """The candidate columns of one document, kept while chunks of columns stream past.

    Holds, for the kept columns only, the weight, eligibility, similarity and basis of every gold
    row and each column's position in canonical order and prediction index.
    """

    def __init__(self, n_gold: int) -> None:
        self.n_gold = n_gold
        self.weight = np.zeros((n_gold, 0))
        self.eligible = np.zeros((n_gold, 0), dtype=bool)
        self.similarity = np.zeros((n_gold, 0))
        self.basis = np.empty((n_gold, 0), dtype=object)
        self.position = np.zeros(0, dtype=np.int64)
        self.pred = np.zeros(0, dtype=np.int64)

    def add(
        self,
        primary: np.ndarray,
        secondary: np.ndarray,
        threshold: np.ndarray,
        basis: np.ndarray,
        position: np.ndarray,
        pred: np.ndarray,
    ) -> None:
        """Offer more columns; only the candidates of the kept columns and these stay."""
        eligible, weight = weights(primary, secondary, threshold)
        if len(self.position):
            pool = (
                np.hstack([self.weight, weight]),
                np.hstack([self.eligible, eligible]),
                np.hstack([self.similarity, primary]),
                np.hstack([self.basis, basis]),
            )
        else:  # the first columns (a document's only chunk, mostly): nothing to join them to
            pool = (
                weight.astype(float, copy=False),
                eligible,
                np.asarray(primary, dtype=float),
                np.asarray(basis, dtype=object),
            )
        pos = np.concatenate([self.position, np.asarray(position, dtype=np.int64)])
        idx = np.concatenate([self.pred, np.asarray(pred, dtype=np.int64)])
        keep = top_candidates(pool[0], pool[1], pos, self.n_gold)
        self.weight, self.eligible, self.similarity, self.basis = (m[:, keep] for m in pool)
        self.position, self.pred = pos[keep], idx[keep]

    def solve(self) -> list[Pair]:
        """The maximum-weight assignment on the candidates (in canonical order); eligible pairs
        only, sorted by gold index."""
        pairs: list[Pair] = []
        if self.n_gold and len(self.position):
            from scipy.optimize import linear_sum_assignment

            o = np.argsort(self.position, kind="stable")
            weight, eligible = self.weight[:, o], self.eligible[:, o]
            rows, cols = linear_sum_assignment(weight, maximize=True)
            keep = eligible[rows, cols]
            rows, ks = rows[keep], o[cols[keep]]  # the eligible pairs, columns as kept
            for r, pred, sim, basis in zip(
                rows.tolist(),
                self.pred[ks].tolist(),
                self.similarity[rows, ks].tolist(),
                self.basis[rows, ks].tolist(),
                strict=True,
            ):
                pairs.append(Pair(r, pred, round(sim, 6), str(basis)))
        pairs.sort(key=lambda p: p.gold)
        return pairs


def assign(
    primary: np.ndarray,
    secondary: np.ndarray,
    threshold: np.ndarray,
    basis: np.ndarray,
    active: Sequence[int],
) -> list[Pair]:
    """The one-to-one assignment of maximal total similarity among the ``active`` columns (in
    the order given), solved on their candidates (module doc)."""
    cand = Candidates(primary.shape[0])
    cols = np.asarray(active, dtype=np.int64)
    if primary.shape[0] and len(cols):
        cand.add(primary[:, cols], secondary[:, cols], threshold[:, cols], basis[:, cols],
                 np.arange(len(cols)), cols)  # fmt: skip
    return cand.solve()
