"""Scoring predictions against the gold corpus: counts, per-instance log, summary with uncertainty.

:func:`score` matches every document and keeps raw counts per document plus one log record per
gold and per predicted claim. :func:`summarize` turns that into the JSON summary (signature,
overall micro scores with bootstrap intervals, macro scores, per-document and per-outlet blocks,
the timex track, and the set-level block of :mod:`harness.scoring.setlevel` with its similarity
strategy). :func:`compare` runs paired significance tests between systems scored on the same gold. Tables are rendered from the saved JSON by :mod:`harness.report`.

The records (:class:`ScoreConfig`, :class:`ScoreResult`) live in :mod:`harness.scoring.result`,
:func:`summarize` and :func:`compare` in :mod:`harness.scoring.summary`; this module re-exports them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from harness.extraction.api import PredictedClaim, PredictedTimex
from harness.extraction.predictions import Predictions
from harness.gold import timex as tx
from harness.gold.corpus import Corpus, GoldDocument
from harness.scoring import metrics as M
from harness.scoring.match import MatchMode, TextSimilarity, match_document
from harness.scoring.result import (
    BOOTSTRAP_METHODS,
    DEFAULT_AR_TRIALS,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    ScoreConfig,
    ScoreResult,
)
from harness.scoring.setlevel import (
    SetResult,
    confidence_curve,
)
from harness.scoring.summary import (
    COMPARED_METRICS,
    COMPARED_SET_METRICS,
    compare,
    summarize,
)


def _pred_dict(p: PredictedClaim) -> dict[str, Any]:
    return {
        "text": p.text,
        "start": p.start,
        "end": p.end,
        "claimant": p.claimant,
        "date": p.date,
        "date_text": p.date_text,
    }


def score_document(
    doc: GoldDocument,
    preds: Sequence[PredictedClaim],
    mode: MatchMode,
    text_sim: TextSimilarity,
) -> tuple[dict[str, int], list[list[int]], list[dict[str, Any]]]:
    """Counts, claim-level unit vectors and log records of one document."""
    m = match_document(doc, preds, mode, text_sim)
    by_gold = m.partner_of_gold()
    by_pred = m.partner_of_pred()
    dct = doc.published.value
    counts = dict.fromkeys(M.CLAIM_COUNTS, 0)
    counts["n_gold"] = len(doc.claims)
    counts["n_pred"] = len(preds)
    counts["n_dated_gold"] = sum(1 for c in doc.claims if c.date is not None)
    units: list[list[int]] = []
    log: list[dict[str, Any]] = []
    for gi, g in enumerate(doc.claims):
        pair = by_gold.get(gi)
        rec: dict[str, Any] = {
            "doc_id": doc.doc_id,
            "kind": "gold",
            "id": g.id,
            "text": g.text,
            "evidence": g.evidence,
            "start": g.start,
            "end": g.end,
            "claimant": g.claimant,
            "date": g.date,
            "matched": pair is not None,
        }
        unit = dict.fromkeys(M.CLAIM_COUNTS, 0)
        unit["n_gold"] = 1
        unit["n_dated_gold"] = int(g.date is not None)
        if pair is not None:
            p = preds[pair.pred]
            verdict = M.date_verdict(p.date, g.date, dct)
            claimant_ok = M.claimant_correct(p.claimant, g.claimant)
            rec.update(
                partner=pair.pred,
                similarity=pair.similarity,
                basis=pair.basis,
                prediction=_pred_dict(p),
                date_verdict=verdict,
                claimant_correct=claimant_ok,
            )
            unit["n_pred"] = 1
            unit["tp"] = 1
            unit["claimant_correct"] = int(claimant_ok)
            if g.date is not None:
                unit["n_dated"] = 1
                unit["date_correct"] = int(verdict == "correct")
                unit["date_relaxed"] = int(verdict in ("correct", "relaxed"))
        else:
            rec.update(
                partner=None, similarity=None, basis=None, date_verdict=None, claimant_correct=None
            )
        for k in M.CLAIM_COUNTS:
            if k not in ("n_gold", "n_pred", "n_dated_gold"):
                counts[k] += unit[k]
        units.append([unit[k] for k in M.CLAIM_COUNTS])
        log.append(rec)
    dup = set(m.duplicates)
    for pi, p in enumerate(preds):
        pair = by_pred.get(pi)
        best_i, best_sim, best_basis = m.best_gold[pi]
        log.append(
            {
                "doc_id": doc.doc_id,
                "kind": "prediction",
                "index": pi,
                **_pred_dict(p),
                "matched": pair is not None,
                "partner": doc.claims[pair.gold].id if pair else None,
                "similarity": pair.similarity if pair else None,
                "duplicate": pi in dup,
                "nearest_gold": doc.claims[best_i].id if best_i is not None else None,
                "nearest_similarity": best_sim,
                "nearest_basis": best_basis,
            }
        )
        if pair is None:
            unit = dict.fromkeys(M.CLAIM_COUNTS, 0)
            unit["n_pred"] = 1
            units.append([unit[k] for k in M.CLAIM_COUNTS])
    return counts, units, log


def score_timexes(doc: GoldDocument, preds: Sequence[PredictedTimex]) -> dict[str, int]:
    """TempEval-3 counts for one document (strict = same extent, relaxed = any overlap)."""
    gold = doc.timexes
    counts = dict.fromkeys(M.TIMEX_COUNTS, 0)
    counts["n_gold"], counts["n_pred"] = len(gold), len(preds)

    def overlap(g: Any, p: PredictedTimex) -> int:
        return max(0, min(g.end, p.end) - max(g.start, p.start))

    counts["strict_pred"] = sum(
        any(g.start == p.start and g.end == p.end for g in gold) for p in preds
    )
    counts["strict_gold"] = sum(
        any(g.start == p.start and g.end == p.end for p in preds) for g in gold
    )
    counts["relaxed_pred"] = sum(any(overlap(g, p) > 0 for g in gold) for p in preds)
    for g in gold:
        cands = [p for p in preds if overlap(g, p) > 0]
        if not cands:
            continue
        counts["relaxed_gold"] += 1
        best = max(cands, key=lambda p: (overlap(g, p), -p.start, -p.end))
        counts["value_correct"] += int(tx.equal(best.value, g.value))
        counts["type_correct"] += int(best.type == g.type)
    return counts


def score(
    corpus: Corpus, predictions: Predictions, config: ScoreConfig, name: str = "predictions"
) -> ScoreResult:
    """Match and count every document of the corpus (documents without predictions included).

    Claim metrics count only documents with claims annotated; a document with ``claims: null``
    is left out of them (its claim predictions are counted as not scored), not scored as a
    document where every prediction is spurious. The timex track counts every document.
    """
    claim_docs = corpus.claim_documents
    text_sim = TextSimilarity.for_corpus(replace(corpus, documents=claim_docs))
    claim_counts: dict[str, dict[str, int]] = {}
    units: list[list[int]] = []
    instances: list[dict[str, Any]] = []
    timex_counts: dict[str, dict[str, int]] | None = {} if predictions.timexes is not None else None
    left_out = [d.doc_id for d in corpus.documents if not d.claims_annotated]
    for doc in claim_docs:
        c, u, log = score_document(doc, predictions.claims_for(doc.doc_id), config.mode, text_sim)
        claim_counts[doc.doc_id] = c
        units += u
        instances += log
    if timex_counts is not None:
        for doc in corpus.documents:
            timex_counts[doc.doc_id] = score_timexes(doc, predictions.timexes_for(doc.doc_id))
    claim_corpus = replace(corpus, documents=claim_docs)
    sets, sets_status = score_set_level(claim_corpus, predictions, config, name)
    if sets is not None:
        _attach_set_verdicts(instances, sets)
    curve = confidence_curve(claim_corpus, predictions, config.mode, config.dev_docs)
    return ScoreResult(
        name=name,
        doc_ids=[d.doc_id for d in claim_docs],
        claims_not_annotated=left_out,
        predictions_not_scored=sum(len(predictions.claims_for(d)) for d in left_out),
        timex_doc_ids=list(corpus.doc_ids),
        outlets={d.doc_id: d.outlet_label for d in corpus.documents},
        claim_counts=claim_counts,
        claim_units=np.array(units, dtype=float).reshape(-1, len(M.CLAIM_COUNTS)),
        instances=instances,
        timex_counts=timex_counts,
        skipped=[{"line": s.line, "reason": s.reason} for s in predictions.skipped],
        sets=sets,
        sets_status=sets_status,
        confidence_curve=curve,
    )


def _attach_set_verdicts(instances: list[dict[str, Any]], sets: SetResult) -> None:
    """Add each claim's set-level verdict to its log record, under ``set``."""
    by_key = {}
    for r in sets.instances:
        kind = "gold" if r["kind"] == "set-gold" else "prediction"
        key = r["id"] if kind == "gold" else r["index"]
        by_key[r["doc_id"], kind, key] = {
            k: v for k, v in r.items() if k not in ("doc_id", "kind", "id", "index", "text")
        }
    for rec in instances:
        key = rec["id"] if rec["kind"] == "gold" else rec.get("index")
        verdict = by_key.get((rec["doc_id"], rec["kind"], key))
        if verdict is not None:
            rec["set"] = verdict


def score_set_level(
    corpus: Corpus, predictions: Predictions, config: ScoreConfig, name: str
) -> tuple[SetResult | None, str]:
    """Set-level scores under ``config.similarity``, or None and why they were not computed.

    A strategy that cannot run here is "not run: <reason>"; one that fails while scoring (an
    LLM judge with an invalid answer, say) is "failed: <reason>". Neither ever yields numbers.
    """
    from harness.scoring.setlevel import score_sets
    from harness.scoring.similarity import SimilarityUnavailable, get_similarity

    if config.similarity is None:
        return None, "not run: no similarity strategy chosen"
    try:
        sim = get_similarity(config.similarity, corpus, config.similarity_config)
    except SimilarityUnavailable as exc:
        return None, f"not run: {exc.reason}"
    try:
        sets = score_sets(corpus, predictions, sim, config.mode, config.set_threshold, name)
    except Exception as exc:  # a plugin's failure must become a status, not a traceback
        return None, f"failed: {type(exc).__name__}: {exc}"
    return sets, "ok"


__all__ = [
    "BOOTSTRAP_METHODS",
    "COMPARED_METRICS",
    "COMPARED_SET_METRICS",
    "DEFAULT_AR_TRIALS",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "ScoreConfig",
    "ScoreResult",
    "compare",
    "score",
    "score_document",
    "score_set_level",
    "score_timexes",
    "summarize",
]
