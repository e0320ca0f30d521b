"""Precision-recall curve over prediction confidence, average precision and the F1-maximizing
threshold (METRICS.md §7.3).

Each point re-matches the predictions kept at that confidence one-to-one, so it is exactly the score
those predictions would get if submitted alone; nothing is interpolated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.extraction.api import PredictedClaim
from harness.extraction.predictions import Predictions
from harness.gold.corpus import Corpus, GoldDocument
from harness.scoring import metrics as M
from harness.scoring.match import MatchMode, _active, assign, canonical_order, similarities
from harness.scoring.match import TextSimilarity as TfidfModel


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
        active, _ = _active(sub, sub_order, mode)
        return len(
            assign(primary[:, cols], secondary[:, cols], threshold[:, cols], basis[:, cols], active)
        )

    return count


def confidence_curve(
    corpus: Corpus,
    predictions: Predictions,
    mode: MatchMode,
    dev_docs: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Precision-recall curve and average precision over the confidence threshold.

    At each distinct confidence c (descending) only the predictions with confidence >= c are
    kept and matched one-to-one again, so each point is exactly the score those predictions
    would get if submitted alone. AP = sum over points of (R_k - R_{k-1}) * P_k with R_0 = 0
    (scikit-learn's step definition, no interpolation). The F1-maximizing threshold is chosen on
    ``dev_docs`` (default: every document, the corpus having no held-out split; the output says
    which) and, when other documents remain, its scores on them are reported too.
    """
    docs = [d.doc_id for d in corpus.claim_documents]
    all_claims = [p for d in docs for p in predictions.claims_for(d)]
    missing = sum(1 for p in all_claims if p.confidence is None)
    if not all_claims:
        return {"status": "not run: no predictions"}
    if missing:
        return {
            "status": f"not run: {missing} of {len(all_claims)} predictions carry no confidence"
        }
    dev = list(docs) if dev_docs is None else list(dev_docs)
    unknown = sorted(set(dev) - set(docs))
    if unknown:
        raise ValueError(
            f"dev documents not among the documents with annotated claims: {', '.join(unknown)}"
        )
    held = [d for d in docs if d not in set(dev)]
    tfidf = TfidfModel.for_corpus(corpus)
    counters: dict[str, Any] = {}

    def point(docs: Sequence[str], c: float) -> dict[str, float]:
        tp = n_pred = n_gold = 0
        for d in docs:
            doc = corpus.get(d)
            preds = predictions.claims_for(d)
            if d not in counters:  # similarities and canonical order once per document
                counters[d] = matches_at(doc, preds, mode, tfidf)
            kept = [i for i, p in enumerate(preds) if p.confidence >= c - 1e-12]
            tp += counters[d](kept)
            n_pred += len(kept)
            n_gold += len(doc.claims)
        b = M.claim_block(
            {**dict.fromkeys(M.CLAIM_COUNTS, 0), "tp": tp, "n_pred": n_pred, "n_gold": n_gold}
        )
        return {
            "threshold": round(c, 6),
            "precision": b["precision"],
            "recall": b["recall"],
            "f1": b["f1"],
            "tp": tp,
            "n_pred": n_pred,
            "n_gold": n_gold,
        }

    def curve(docs: Sequence[str]) -> tuple[list[dict[str, float]], float]:
        confs = sorted(
            {p.confidence for d in docs for p in predictions.claims_for(d)}, reverse=True
        )
        pts = [point(docs, c) for c in confs]
        ap, prev = 0.0, 0.0
        for pt in pts:
            ap += (pt["recall"] - prev) * pt["precision"]
            prev = pt["recall"]
        return pts, round(ap, 6)

    points, ap = curve(docs)
    dev_points, dev_ap = curve(dev)
    best = max(dev_points, key=lambda p: (p["f1"], p["threshold"])) if dev_points else None
    out: dict[str, Any] = {
        "status": "run",
        "matching": mode.label(),
        "points": points,
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
        out["held_out_at_best"] = point(held, best["threshold"])
    return out
