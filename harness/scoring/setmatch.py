"""The soft many-to-one match of one document (set-level scores, :mod:`harness.scoring.setlevel`).

Every prediction's best gold claim, every gold claim's best prediction, and the focused, covered,
redundant and repeat verdicts, from a (gold x prediction) similarity matrix, kept as arrays so that
a document with many predictions costs a few bytes for each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.extraction.api import PredictedClaim
from harness.gold.corpus import GoldDocument
from harness.scoring.assignment import canonical_order, normalize_claim_text


@dataclass(frozen=True, eq=False)
class SetMatch:
    """The soft many-to-one match of one document's predictions and gold claims.

    Per prediction, arrays (a few bytes each): its best gold claim and similarity, and whether
    it is focused, redundant or a repeat; per gold claim, tuples.
    """

    doc_id: str
    #: per prediction: best gold index (-1: none) and its similarity (rounded to 6 places)
    pred_gold: np.ndarray
    pred_sim: np.ndarray
    #: per gold claim: (best prediction index or None, its similarity)
    gold_best: tuple[tuple[int | None, float], ...]
    focused: np.ndarray
    covered: tuple[bool, ...]
    redundant: np.ndarray
    repeat: np.ndarray


def _rounded(values: np.ndarray) -> np.ndarray:
    """Python's ``round(v, 6)`` of each value (numpy's rounding can differ in the last digit)."""
    return np.array([round(float(v), 6) for v in values], dtype=float)


def _gold_best(
    distinct: np.ndarray, col: np.ndarray, rank: np.ndarray, order: np.ndarray, active: np.ndarray
) -> list[tuple[int | None, float]]:
    """Each gold claim's (row's) most similar active prediction, the earliest in canonical
    order (``rank``; ``order[rank[j]] == j``) among equals, and that similarity, rounded.

    Read per distinct column: a column's value is that of each prediction it stands for, so the
    best is among the columns that stand for an active prediction, and the earliest prediction
    of a column is its lowest rank. Every row at once, in gold x distinct-columns memory.
    """
    n_g = distinct.shape[0]
    if not active.any():
        return [(None, 0.0)] * n_g
    unset = np.iinfo(np.int64).max
    first = np.full(distinct.shape[1], unset, dtype=np.int64)  # each column's lowest rank
    np.minimum.at(first, col[active], rank[active])
    cand = np.flatnonzero(first < unset)
    vals = distinct[:, cand]
    ranks = np.where(vals == vals.max(axis=1, keepdims=True), first[cand], unset)
    best = cand[np.argmin(ranks, axis=1)]
    preds = order[first[best]]
    values = distinct[np.arange(n_g), best].tolist()  # each row's value at its best column
    return [(j, round(v, 6)) for j, v in zip(preds.tolist(), values, strict=True)]


def set_match(
    doc: GoldDocument,
    preds: Sequence[PredictedClaim],
    sim: Any,
    threshold: float,
    by_span: bool = False,
    order: Sequence[int] | None = None,
) -> SetMatch:
    """Focused, covered and redundant verdicts from a (gold x prediction) similarity matrix
    (an array, or a :class:`~harness.scoring.similarity.ColumnSims`, read without expanding it).

    A prediction *repeats* an earlier one (canonical order) when the strategy cannot tell them
    apart: the same span for span-based strategies (``by_span``), otherwise the same normalized
    text and span, as the one-to-one matching rules it. Repeats are never focused. A gold
    claim's best prediction is its most similar non-repeat, the earliest in canonical order
    among equals; so is the one focused prediction per gold claim that is not redundant.
    ``order``: ``canonical_order(preds)`` when the caller has it already.
    """
    from harness.scoring.similarity import ColumnSims

    n_g, n_p = len(doc.claims), len(preds)
    if isinstance(sim, ColumnSims):
        distinct, col = sim.distinct.reshape(n_g, -1), sim.col
    else:
        distinct, col = np.asarray(sim, dtype=float).reshape(n_g, n_p), np.arange(n_p)
    order = canonical_order(preds) if order is None else order
    rank = np.empty(n_p, dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(n_p)
    seen: set[tuple] = set()
    repeat = np.zeros(n_p, dtype=bool)
    for i in order:
        p = preds[i]
        if by_span and p.start is not None:
            key: tuple = ("span", p.start, p.end)
        else:
            key = ("text", normalize_claim_text(p.text), p.start, p.end)
        repeat[i] = key in seen
        seen.add(key)
    if n_g:
        best_of_col = np.argmax(distinct, axis=0)
        pred_gold = best_of_col[col].astype(np.int64)
        pred_sim = _rounded(distinct[best_of_col, np.arange(distinct.shape[1])])[col]
    else:
        pred_gold, pred_sim = np.full(n_p, -1, dtype=np.int64), np.zeros(n_p)
    gold_best = _gold_best(distinct, col, rank, np.asarray(order, dtype=np.int64), ~repeat)
    eps = 1e-12
    focused = ~repeat & (n_g > 0) & (pred_sim >= threshold - eps)
    covered = tuple(g is not None and v >= threshold - eps for g, v in gold_best)
    redundant = np.zeros(n_p, dtype=bool)
    js = np.flatnonzero(focused)
    if len(js):  # per best gold claim, keep the highest similarity, then the earliest
        o = js[np.lexsort((rank[js], -pred_sim[js], pred_gold[js]))]
        first = np.ones(len(o), dtype=bool)
        first[1:] = pred_gold[o][1:] != pred_gold[o][:-1]
        redundant[o[~first]] = True
    return SetMatch(doc.doc_id, pred_gold, pred_sim, tuple(gold_best), focused, covered,
                    redundant, repeat)  # fmt: skip
