"""Precision-recall curve over prediction confidence, average precision and the F1-maximizing
threshold (METRICS.md §7.3).

Each point is the score the predictions kept at that confidence would get if submitted alone
(matched one-to-one again); nothing is interpolated. The curve is computed in one sweep per
document (:func:`doc_curve`), not by re-matching at every threshold:

* predictions that the matcher cannot tell apart (the same deduplication key: same span, or same
  normalized text without a span) have identical similarity columns, and only the first of them
  in canonical order may match, so a threshold keeps a *key* as soon as it keeps any of its
  predictions: each key enters the curve at its highest confidence;
* keys enter in descending confidence; a gold claim's partner in a maximum-weight assignment is
  always among its ``n_gold`` heaviest eligible keys (otherwise one of those is free and at least
  as heavy: swap), so only the union of those per-gold candidate lists is matched, and only when
  an entering key changes one of them.

:func:`confidence_curve_reference` is the definition itself (a fresh match of every kept subset
at every threshold), kept as the oracle the tests compare the sweep with.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.extraction.api import PredictedClaim
from harness.extraction.predictions import Predictions
from harness.gold.corpus import Corpus, GoldDocument
from harness.scoring import metrics as M
from harness.scoring.assignment import (
    EPS,
    active_and_repeats,
    assign,
    canonical_order,
    dedup_key,
    weights,
)
from harness.scoring.match import MatchMode, similarities
from harness.scoring.match import TextSimilarity as TfidfModel

# A kept prediction has confidence >= threshold - EPS, the tolerance of eligibility too.

#: Keys whose similarities are computed at once (columns of one gold x key block).
CHUNK = 4096


@dataclass(frozen=True)
class DocCurve:
    """One document's share of the curve: raw counts only, mergeable across documents.

    ``entries`` are the distinct confidences at which keys enter (descending) and ``tp[k]`` the
    number of matched pairs once every key entering at ``entries[k]`` or above is kept;
    ``confidences`` holds every prediction's confidence (for the number kept).
    """

    doc_id: str
    n_gold: int
    entries: np.ndarray
    tp: np.ndarray
    confidences: np.ndarray
    missing: int = 0


def doc_curve(
    doc: GoldDocument,
    preds: Sequence[PredictedClaim],
    mode: MatchMode,
    text_sim: TfidfModel,
    pred_vectors: Any = None,
    key_weights: tuple[np.ndarray, np.ndarray] | None = None,
) -> DocCurve:
    """Matched pairs of ``doc`` at every confidence, in one descending sweep (see module doc).
    ``pred_vectors``: the TF-IDF rows of ``preds``, when transformed already. ``key_weights``:
    the eligibility and weight of every gold x key pair, keys in canonical order, as the
    one-to-one match computed them (:func:`~harness.scoring.match.match_document`): a key's
    predictions have the same similarities, so its first in canonical order stands for it."""
    missing = sum(1 for p in preds if p.confidence is None)
    confs = np.array([p.confidence for p in preds if p.confidence is not None], dtype=float)
    empty = np.zeros(0)
    if missing or not preds:
        return DocCurve(doc.doc_id, len(doc.claims), empty, np.zeros(0, np.int64), confs, missing)
    index: dict[tuple, int] = {}
    reps: list[int] = []
    entry: list[float] = []
    for i, p in enumerate(preds):
        k = dedup_key(p, mode.name)
        j = index.get(k)
        if j is None:
            index[k] = len(reps)
            reps.append(i)
            entry.append(p.confidence)  # type: ignore[arg-type]
        elif p.confidence > entry[j]:  # type: ignore[operator]
            entry[j] = p.confidence  # type: ignore[assignment]
    # columns in canonical order (a key's predictions are contiguous in it), as the matcher has
    keys = [preds[reps[j]] for j in range(len(reps))]
    order = canonical_order(keys)
    cols = [keys[j] for j in order]
    entry_col = np.array([entry[j] for j in order])
    n_g, n_k = len(doc.claims), len(cols)
    if key_weights is None:
        rows = None if pred_vectors is None else pred_vectors[[reps[j] for j in order]]
        key_weights = _key_weights(doc, cols, mode, text_sim, rows)
    eligible, weight = key_weights
    if eligible.shape != (n_g, n_k):
        raise ValueError(f"{doc.doc_id}: key weights of shape {eligible.shape} for {n_g} gold "
                         f"claims and {n_k} keys")  # fmt: skip
    entry_of = entry_col.tolist()
    by_entry = sorted(range(n_k), key=lambda c: (-entry_of[c], c))
    # each column's eligible rows, ascending, and their weights, read once as Python numbers
    # (indexing the arrays one pair at a time cost more than the sweep itself)
    col_of, row_of = np.nonzero(eligible.T)
    rows_in = row_of.tolist()
    weights_in = weight[row_of, col_of].tolist()
    first_in = np.searchsorted(col_of, np.arange(n_k + 1)).tolist()
    heaps: list[list[tuple[float, int]]] = [[] for _ in range(n_g)]
    entries: list[float] = []
    tps: list[int] = []
    tp = 0
    at = 0
    while at < n_k:
        level = entry_of[by_entry[at]]
        batch = []
        while at < n_k and entry_of[by_entry[at]] == level:
            batch.append(by_entry[at])
            at += 1
        changed = False
        for c in batch:
            for i in range(first_in[c], first_in[c + 1]):
                r = rows_in[i]
                heap, item = heaps[r], (weights_in[i], -c)
                if len(heap) < n_g:
                    heapq.heappush(heap, item)
                    changed = True
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)
                    changed = True
        if changed:
            cand = np.array(sorted({-c for heap in heaps for _, c in heap}), dtype=np.int64)
            from scipy.optimize import linear_sum_assignment

            rows, cidx = linear_sum_assignment(weight[:, cand], maximize=True)
            tp = int(eligible[:, cand][rows, cidx].sum())
        entries.append(float(level))
        tps.append(tp)
    return DocCurve(
        doc.doc_id, n_g, np.array(entries), np.array(tps, dtype=np.int64), confs, missing
    )


def _key_weights(
    doc: GoldDocument,
    cols: Sequence[PredictedClaim],
    mode: MatchMode,
    text_sim: TfidfModel,
    pred_vectors: Any,
) -> tuple[np.ndarray, np.ndarray]:
    """Eligibility and weight of every gold x ``cols`` pair, :data:`CHUNK` columns at a time."""
    n_g, n_k = len(doc.claims), len(cols)
    weight = np.zeros((n_g, n_k))
    eligible = np.zeros((n_g, n_k), dtype=bool)
    for at in range(0, n_k, CHUNK):
        vec = None if pred_vectors is None else pred_vectors[at : at + CHUNK]
        primary, secondary, threshold, _ = similarities(
            doc, cols[at : at + CHUNK], mode, text_sim, vec
        )
        eligible[:, at : at + CHUNK], weight[:, at : at + CHUNK] = weights(
            primary, secondary, threshold
        )
    return eligible, weight


def _sweep(parts: Sequence[DocCurve], thresholds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Matched pairs and kept predictions summed over ``parts`` at each threshold."""
    x = thresholds - EPS
    vals = [p.entries for p in parts]
    deltas = [np.diff(p.tp, prepend=0) for p in parts]
    v = np.concatenate(vals) if vals else np.zeros(0)
    d = np.concatenate(deltas) if deltas else np.zeros(0, np.int64)
    order = np.argsort(-v, kind="stable")
    neg, cum = -v[order], np.cumsum(d[order])
    k = np.searchsorted(neg, -x, side="right")
    tp = np.where(k > 0, cum[np.maximum(k - 1, 0)] if len(cum) else 0, 0)
    confs = np.concatenate([p.confidences for p in parts]) if parts else np.zeros(0)
    kept = np.searchsorted(np.sort(-confs), -x, side="right")
    return tp.astype(np.int64), kept.astype(np.int64)


def curve_from_documents(
    parts: Mapping[str, DocCurve],
    docs: Sequence[str],
    mode: MatchMode,
    dev_docs: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The curve block of the summary from every claim document's :class:`DocCurve`.

    At each distinct confidence c (descending) only the predictions with confidence >= c are
    kept; AP = sum over points of (R_k - R_{k-1}) * P_k with R_0 = 0 (scikit-learn's step
    definition, no interpolation). The F1-maximizing threshold is chosen on ``dev_docs``
    (default: every document, the corpus having no held-out split; the output says which) and,
    when other documents remain, its scores on them are reported too.
    """
    total = sum(len(parts[d].confidences) + parts[d].missing for d in docs)
    missing = sum(parts[d].missing for d in docs)
    if not total:
        return {"status": "not run: no predictions"}
    if missing:
        return {"status": f"not run: {missing} of {total} predictions carry no confidence"}

    def confidences(ds: Sequence[str]) -> list[float]:
        confs = [parts[d].confidences for d in ds]
        distinct = np.unique(np.concatenate(confs)) if confs else np.zeros(0)
        return [float(c) for c in distinct[::-1]]

    def counts(ds: Sequence[str], thresholds: Sequence[float]) -> tuple[list[int], list[int], int]:
        sel = [parts[d] for d in ds]
        tp, kept = _sweep(sel, np.array(thresholds, dtype=float))
        return tp.tolist(), kept.tolist(), sum(p.n_gold for p in sel)

    return _curve_block(docs, dev_docs, mode, confidences, counts)


def _curve_block(
    docs: Sequence[str],
    dev_docs: Sequence[str] | None,
    mode: MatchMode,
    confidences: Callable[[Sequence[str]], list[float]],
    counts: Callable[[Sequence[str], Sequence[float]], tuple[list[int], list[int], int]],
) -> dict[str, Any]:
    """The summary block from ``confidences(docs)`` (distinct, descending) and ``counts``.

    ``counts(docs, thresholds)`` gives, per threshold, the matched pairs and the kept
    predictions, and the number of gold claims: the sweep and the reference differ only there.
    """
    dev = list(docs) if dev_docs is None else list(dev_docs)
    unknown = sorted(set(dev) - set(docs))
    if unknown:
        raise ValueError(
            f"dev documents not among the documents with annotated claims: {', '.join(unknown)}"
        )
    dev_set = set(dev)
    held = [d for d in docs if d not in dev_set]

    def points(ds: Sequence[str], thresholds: Sequence[float]) -> list[dict[str, float]]:
        tp, kept, n_gold = counts(ds, thresholds)
        out = []
        for c, t, n in zip(thresholds, tp, kept, strict=True):
            b = M.claim_block(
                {**dict.fromkeys(M.CLAIM_COUNTS, 0), "tp": t, "n_pred": n, "n_gold": n_gold}
            )
            out.append(
                {
                    "threshold": round(c, 6),
                    "precision": b["precision"],
                    "recall": b["recall"],
                    "f1": b["f1"],
                    "tp": t,
                    "n_pred": n,
                    "n_gold": n_gold,
                }
            )
        return out

    def curve(ds: Sequence[str]) -> tuple[list[dict[str, float]], float]:
        pts = points(ds, confidences(ds))
        ap, prev = 0.0, 0.0
        for pt in pts:
            ap += (pt["recall"] - prev) * pt["precision"]
            prev = pt["recall"]
        return pts, round(ap, 6)

    pts, ap = curve(docs)
    dev_points, dev_ap = curve(dev)
    best = max(dev_points, key=lambda p: (p["f1"], p["threshold"])) if dev_points else None
    out: dict[str, Any] = {
        "status": "run",
        "matching": mode.label(),
        "points": pts,
        "average_precision": ap,
        "dev_documents": dev,
        "dev_split_note": (
            "the corpus has no held-out split: the threshold is chosen on every document"
            if dev_docs is None
            else f"threshold chosen on {len(dev)} dev document(s)"
        ),
        "dev_average_precision": dev_ap,
        "best_threshold": best["threshold"] if best else None,
        "best_dev": best,
    }
    if held and best is not None:
        out["held_out_documents"] = held
        out["held_out_at_best"] = points(held, [best["threshold"]])[0]
    return out


def confidence_curve(
    corpus: Corpus,
    predictions: Predictions,
    mode: MatchMode,
    dev_docs: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Precision-recall curve and average precision over the confidence threshold.

    One :func:`doc_curve` per document with annotated claims, merged by
    :func:`curve_from_documents` (which states the definition).
    """
    tfidf = TfidfModel.for_corpus(corpus)
    docs = list(corpus.claim_doc_ids)
    parts = {d.doc_id: doc_curve(d, predictions.claims_for(d.doc_id), mode, tfidf) for d in
             corpus.claim_documents}  # fmt: skip
    return curve_from_documents(parts, docs, mode, dev_docs)


# --- the reference (the definition, slow) -------------------------------------------------------


def matches_at(
    doc: GoldDocument, preds: Sequence[PredictedClaim], mode: MatchMode, text_sim: TfidfModel
) -> Any:
    """A function ``kept -> number of matched pairs`` for subsets of ``preds`` (by index).

    The result for a subset equals ``len(match_document(doc, subset, ...).pairs)``: the
    similarities are column slices of the full matrices and the canonical order of a subset is
    the full canonical order filtered (a stable sort on per-prediction keys). Computing the
    similarities and the order once per document is what keeps the confidence curve from
    re-tokenizing and re-sorting every prediction at every threshold.
    """
    import numpy as np

    primary, secondary, threshold, basis = similarities(doc, preds, mode, text_sim)
    order = canonical_order(preds)

    def count(kept: Sequence[int]) -> int:
        cols = np.asarray(sorted(kept), dtype=np.int64)
        sub = [preds[i] for i in cols]
        pos = {int(j): k for k, j in enumerate(cols)}
        sub_order = [pos[i] for i in order if i in pos]
        active, _ = active_and_repeats(sub, sub_order, mode.name)
        return len(
            assign(primary[:, cols], secondary[:, cols], threshold[:, cols], basis[:, cols], active)
        )

    return count


def confidence_curve_reference(
    corpus: Corpus,
    predictions: Predictions,
    mode: MatchMode,
    dev_docs: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The curve by its definition: a fresh match of the kept predictions at every threshold.

    Its cost is (distinct confidences) x (predictions); kept as the oracle of the tests. At each distinct confidence c (descending) only the predictions with confidence >= c are
    kept and matched one-to-one again, so each point is exactly the score those predictions
    would get if submitted alone. AP = sum over points of (R_k - R_{k-1}) * P_k with R_0 = 0
    (scikit-learn's step definition, no interpolation). The F1-maximizing threshold is chosen on
    ``dev_docs`` (default: every document, the corpus having no held-out split; the output says
    which) and, when other documents remain, its scores on them are reported too.
    """
    docs = list(corpus.claim_doc_ids)
    all_claims = [p for d in docs for p in predictions.claims_for(d)]
    missing = sum(1 for p in all_claims if p.confidence is None)
    if not all_claims:
        return {"status": "not run: no predictions"}
    if missing:
        return {
            "status": f"not run: {missing} of {len(all_claims)} predictions carry no confidence"
        }
    tfidf = TfidfModel.for_corpus(corpus)
    counters: dict[str, Any] = {}

    def confidences(ds: Sequence[str]) -> list[float]:
        return sorted({p.confidence for d in ds for p in predictions.claims_for(d)}, reverse=True)

    def counts(ds: Sequence[str], thresholds: Sequence[float]) -> tuple[list[int], list[int], int]:
        tps, kepts = [], []
        for c in thresholds:
            tp = n_pred = 0
            for d in ds:
                preds = predictions.claims_for(d)
                if d not in counters:  # similarities and canonical order once per document
                    counters[d] = matches_at(corpus.get(d), preds, mode, tfidf)
                kept = [i for i, p in enumerate(preds) if p.confidence >= c - EPS]
                tp += counters[d](kept)
                n_pred += len(kept)
            tps.append(tp)
            kepts.append(n_pred)
        return tps, kepts, sum(len(corpus.get(d).claims) for d in ds)

    return _curve_block(docs, dev_docs, mode, confidences, counts)
