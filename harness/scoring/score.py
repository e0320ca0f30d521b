"""Scoring predictions against the gold corpus: counts, per-instance log, summary with uncertainty.

:func:`score` matches every document and keeps raw counts per document plus one log record per
gold and per predicted claim. :func:`summarize` turns that into the JSON summary (signature,
overall micro scores with bootstrap intervals, macro scores, per-document and per-outlet blocks,
the timex track, and the set-level block of :mod:`harness.scoring.setlevel` with its similarity
strategy). :func:`compare` runs paired significance tests between systems scored on the same gold. Tables are rendered from the saved JSON by :mod:`harness.report`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from harness.extraction.api import PredictedClaim, PredictedTimex
from harness.extraction.predictions import Predictions
from harness.gold import timex as tx
from harness.gold.corpus import Corpus, GoldDocument
from harness.scoring import metrics as M
from harness.scoring import stats
from harness.scoring.match import MatchMode, TextSimilarity, match_document
from harness.scoring.setlevel import (
    SetResult,
    confidence_curve,
    set_metrics,
    summarize_sets,
)

DEFAULT_SEED = 12345
DEFAULT_RESAMPLES = 1000
DEFAULT_AR_TRIALS = 10000
#: Resampling method of each bootstrap (see :mod:`harness.scoring.stats`). Documents are drawn by
#: index (the intervals of earlier versions, for the same seed); claim-level units, hundreds of
#: thousands on a large corpus but a handful of distinct count vectors, by multinomial counts.
BOOTSTRAP_METHODS = {"document_bootstrap": "index", "claim_bootstrap": "multinomial"}


@dataclass(frozen=True)
class ScoreConfig:
    mode: MatchMode
    n_resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    confidence: float = 0.95
    ar_trials: int = DEFAULT_AR_TRIALS
    #: Similarity strategy of the set-level scores (a registered name); None: not computed.
    similarity: str | None = "tfidf"
    #: Its inclusive threshold (Focus, Coverage, redundancy, fact recall).
    set_threshold: float = 0.5
    #: Configuration handed to the strategy (the llm-judge endpoint, say).
    similarity_config: Mapping[str, Any] | None = None
    #: Documents on which the confidence threshold is chosen (None: every document).
    dev_docs: tuple[str, ...] | None = None

    def signature(self) -> dict[str, Any]:
        return {
            **self.mode.signature(),
            "claimant_threshold": M.CLAIMANT_THRESHOLD,
            "bootstrap_resamples": self.n_resamples,
            "bootstrap_seed": self.seed,
            "confidence": self.confidence,
            "ar_trials": self.ar_trials,
            "similarity": self.similarity,
            "set_threshold": self.set_threshold,
            "dev_documents": list(self.dev_docs) if self.dev_docs is not None else None,
            "bootstrap_method": dict(BOOTSTRAP_METHODS),
        }


@dataclass
class ScoreResult:
    """Raw material of a score: counts per document, per-instance log records, timex counts."""

    name: str
    doc_ids: list[str]
    outlets: dict[str, str]
    claim_counts: dict[str, dict[str, int]]
    #: Per claim-level unit count vectors (rows: matched pairs, misses, spurious predictions).
    claim_units: np.ndarray
    instances: list[dict[str, Any]]
    timex_counts: dict[str, dict[str, int]] | None
    skipped: list[dict[str, Any]] = field(default_factory=list)
    #: Documents whose claims are not annotated (``claims: null``): out of every claim metric,
    #: in the timex track. Their claim predictions are counted here, never scored.
    claims_not_annotated: list[str] = field(default_factory=list)
    predictions_not_scored: int = 0
    #: The timex track's documents (every document); ``doc_ids`` are the claim metrics' ones.
    timex_doc_ids: list[str] = field(default_factory=list)
    #: Set-level raw material, or None with ``sets_status`` saying why ("not run: ...").
    sets: SetResult | None = None
    sets_status: str = "not run: no similarity strategy chosen"
    #: The precision-recall curve over confidence (``status`` says when it was not run).
    confidence_curve: dict[str, Any] = field(default_factory=dict)

    def doc_matrix(self) -> np.ndarray:
        return np.array(
            [[self.claim_counts[d][k] for k in M.CLAIM_COUNTS] for d in self.doc_ids], dtype=float
        )

    def timex_matrix(self) -> np.ndarray | None:
        if self.timex_counts is None:
            return None
        return np.array(
            [[self.timex_counts[d][k] for k in M.TIMEX_COUNTS] for d in self.timex_ids],
            dtype=float,
        )

    @property
    def timex_ids(self) -> list[str]:
        return self.timex_doc_ids or self.doc_ids


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


def _sum_counts(blocks: Sequence[Mapping[str, int]], keys: Sequence[str]) -> dict[str, int]:
    return {k: int(sum(b[k] for b in blocks)) for k in keys}


def _macro(blocks: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in names:
        vals = [b[k] for b in blocks if b[k] is not None]
        out[k] = round(float(np.mean(vals)), 6) if vals else None
        out[f"n_{k}"] = len(vals)
    return out


def _intervals(
    units: np.ndarray,
    fn: Any,
    names: Sequence[str],
    config: ScoreConfig,
    method: str = BOOTSTRAP_METHODS["document_bootstrap"],
) -> dict[str, list[float | None]]:
    """Every metric's interval from one set of resamples (the same seed for each metric)."""
    cis = stats.bootstrap_cis(
        units, fn, names, config.n_resamples, config.seed, config.confidence, method
    )
    return {k: list(cis[k]) for k in names}


def summarize(
    result: ScoreResult, config: ScoreConfig, signature: Mapping[str, Any]
) -> dict[str, Any]:
    """The JSON summary of one scored system (see README, "Scorer output")."""
    per_doc = {d: M.claim_block(result.claim_counts[d]) for d in result.doc_ids}
    overall = M.claim_block(_sum_counts(list(result.claim_counts.values()), M.CLAIM_COUNTS))
    overall["ci"] = {
        "document_bootstrap": _intervals(
            result.doc_matrix(), M.claim_metrics, M.CLAIM_METRICS, config
        ),
        "claim_bootstrap": _intervals(
            result.claim_units,
            M.claim_metrics,
            M.CLAIM_METRICS,
            config,
            BOOTSTRAP_METHODS["claim_bootstrap"],
        ),
        "confidence": config.confidence,
        "resamples": config.n_resamples,
        "seed": config.seed,
        "method": dict(BOOTSTRAP_METHODS),
        "note": (
            "document_bootstrap resamples documents (the independent unit); claim_bootstrap "
            "resamples matched pairs, missed gold claims and spurious predictions as independent "
            "units, which ignores within-document correlation and is narrower"
        ),
    }
    outlets: dict[str, list[str]] = {}
    for d in result.doc_ids:
        outlets.setdefault(result.outlets[d], []).append(d)
    per_outlet = {
        o: {
            **M.claim_block(_sum_counts([result.claim_counts[d] for d in ds], M.CLAIM_COUNTS)),
            "documents": ds,
        }
        for o, ds in sorted(outlets.items())
    }
    summary: dict[str, Any] = {
        "signature": dict(signature),
        "name": result.name,
        "overall": overall,
        "macro": _macro(list(per_doc.values()), M.CLAIM_METRICS),
        "per_document": per_doc,
        "per_outlet": per_outlet,
        "skipped_lines": result.skipped,
    }
    if result.claims_not_annotated:
        summary["claims_not_annotated"] = {
            "documents": len(result.claims_not_annotated),
            "predictions_not_scored": result.predictions_not_scored,
            "note": (
                "documents with claims: null (claims not annotated) are left out of every claim "
                "metric; their predicted claims are not scored (they count in the timex track)"
            ),
        }
    if result.sets is None:
        summary["set_level"] = {
            "status": result.sets_status,
            "similarity": config.similarity,
            "threshold": config.set_threshold,
        }
    else:
        summary["set_level"] = {
            "status": "ok",
            **summarize_sets(result.sets, config.n_resamples, config.seed, config.confidence),
        }
    summary["confidence_curve"] = result.confidence_curve
    if result.timex_counts is None:
        summary["timex"] = {"status": "not run: no timex predictions"}
    else:
        t_overall = M.timex_block(_sum_counts(list(result.timex_counts.values()), M.TIMEX_COUNTS))
        t_overall["ci"] = {
            "document_bootstrap": _intervals(
                result.timex_matrix(), M.timex_metrics, ("relaxed_f1", "value_f1"), config
            )
        }
        summary["timex"] = {
            "status": "scored",
            "overall": t_overall,
            "per_document": {d: M.timex_block(result.timex_counts[d]) for d in result.timex_ids},
        }
    return summary


COMPARED_METRICS = ("f1", "date_recall")
#: Set-level metrics compared when both systems have set-level scores (same strategy).
COMPARED_SET_METRICS = ("f_fact",)


def compare(
    results: Sequence[ScoreResult], config: ScoreConfig, alpha: float = 0.05
) -> dict[str, Any]:
    """Paired tests between every pair of systems on document units, Holm-adjusted together."""
    rows = []
    for i in range(len(results)):
        for j in range(i + 1, len(results)):
            a, b = results[i], results[j]
            if a.doc_ids != b.doc_ids:
                raise ValueError(f"{a.name} and {b.name} were scored on different documents")
            tests = [
                (metric, a.doc_matrix(), b.doc_matrix(), lambda x, k=metric: M.claim_metrics(x)[k])
                for metric in COMPARED_METRICS
            ]
            if a.sets is not None and b.sets is not None:
                tests += [
                    (metric, a.sets.doc_matrix(), b.sets.doc_matrix(),
                     lambda x, k=metric: set_metrics(x)[k])
                    for metric in COMPARED_SET_METRICS
                ]  # fmt: skip
            for metric, ma, mb, fn in tests:
                va, vb = float(fn(ma.sum(0))), float(fn(mb.sum(0)))
                p_bs = stats.paired_bootstrap(ma, mb, fn, config.n_resamples, config.seed)
                p_ar, exact = stats.approximate_randomization(
                    ma, mb, fn, config.ar_trials, config.seed
                )
                rows.append(
                    {
                        "a": a.name,
                        "b": b.name,
                        "metric": metric,
                        "a_value": None if np.isnan(va) else round(va, 6),
                        "b_value": None if np.isnan(vb) else round(vb, 6),
                        "difference": None if np.isnan(va - vb) else round(va - vb, 6),
                        "p_bootstrap": p_bs,
                        "p_randomization": p_ar,
                        "randomization_exact": exact,
                    }
                )
    for key in ("p_bootstrap", "p_randomization"):
        for row, adj in zip(rows, stats.holm([r[key] for r in rows]), strict=True):
            row[f"{key}_holm"] = adj
    for row in rows:
        p = row["p_randomization_holm"]
        row["verdict"] = (
            "undefined" if p is None else ("significant" if p < alpha else "not significant")
        )
    n_units = len(results[0].doc_ids) if results else 0
    return {
        "unit": "document",
        "n_units": n_units,
        "alpha": alpha,
        "correction": "Holm-Bonferroni over all rows",
        "verdict_basis": "p_randomization_holm < alpha",
        "note": (
            f"with {n_units} documents the smallest possible exact randomization p-value is "
            f"{(2 / 2**n_units) if n_units else 1:.4g}; differences between systems can rarely be "
            "significant on a corpus this small"
        ),
        "comparisons": rows,
    }
