"""Summaries of a score: micro and macro metrics, bootstrap intervals, and paired comparisons.

Everything is derived from the raw per-document counts of a :class:`ScoreResult`, with the seed
and resamples of its :class:`ScoreConfig`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from harness.gold.cycles import cycle_collector_paused
from harness.scoring import metrics as M
from harness.scoring import stats
from harness.scoring.counts import DocumentBlocks, count_totals, defined_rows
from harness.scoring.result import BOOTSTRAP_METHODS, ScoreConfig, ScoreResult
from harness.scoring.setlevel import (
    set_metrics,
    summarize_sets,
)


def _macro(metrics: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """Mean of each metric over the documents where it is defined (the per-document blocks'
    values, :func:`~harness.scoring.counts.defined_rows`), with how many those are."""
    vals = defined_rows(metrics, names)
    out: dict[str, Any] = {}
    for k in names:
        out[k] = round(float(np.mean(vals[k])), 6) if vals[k] else None
        out[f"n_{k}"] = len(vals[k])
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
    """The JSON summary of one scored system (see README, "Scorer output").

    The cycle collector is paused meanwhile, as in scoring (:mod:`harness.gold.cycles`): a
    summary builds a block per document and per outlet and makes no reference cycles, and each
    full collection walked every object alive (0.8 of 1.8 s at 10,000 articles).
    """
    with cycle_collector_paused():
        return _summarize(result, config, signature)


def _summarize(
    result: ScoreResult, config: ScoreConfig, signature: Mapping[str, Any]
) -> dict[str, Any]:
    per_doc = DocumentBlocks(result.claim_counts, result.doc_ids, M.claim_block)
    overall = M.claim_block(count_totals(result.claim_counts, None, M.CLAIM_COUNTS))
    doc_matrix = result.doc_matrix()
    overall["ci"] = {
        "document_bootstrap": _intervals(doc_matrix, M.claim_metrics, M.CLAIM_METRICS, config),
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
            **M.claim_block(count_totals(result.claim_counts, ds, M.CLAIM_COUNTS)),
            "documents": ds,
        }
        for o, ds in sorted(outlets.items())
    }
    summary: dict[str, Any] = {
        "signature": dict(signature),
        "name": result.name,
        "overall": overall,
        "macro": _macro(M.claim_metrics(doc_matrix), M.CLAIM_METRICS),
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
            **summarize_sets(
                result.sets, config.n_resamples, config.seed, config.confidence, BOOTSTRAP_METHODS
            ),
        }
    summary["confidence_curve"] = result.confidence_curve
    if result.timex_counts is None:
        summary["timex"] = {"status": result.timex_status}
    else:
        t_overall = M.timex_block(count_totals(result.timex_counts, None, M.TIMEX_COUNTS))
        t_overall["ci"] = {
            "document_bootstrap": _intervals(
                result.timex_matrix(), M.timex_metrics, ("relaxed_f1", "value_f1"), config
            )
        }
        summary["timex"] = {
            "status": "scored",
            "overall": t_overall,
            "per_document": DocumentBlocks(result.timex_counts, result.timex_ids, M.timex_block),
        }
    return summary


COMPARED_METRICS = ("precision", "recall", "f1", "date_accuracy", "date_recall")
#: Set-level metrics compared when both systems have set-level scores (same strategy).
COMPARED_SET_METRICS = ("f_fact",)
#: F_fact's parts, compared too and Holm-adjusted as their own family (METRICS.md §5).
COMPARED_SET_PARTS = ("focus", "coverage")


def compare(
    results: Sequence[ScoreResult], config: ScoreConfig, alpha: float = 0.05
) -> dict[str, Any]:
    """Paired tests between every pair of systems on document units, Holm-adjusted per family."""
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
                    for metric in (*COMPARED_SET_METRICS, *COMPARED_SET_PARTS)
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
                        "family": "set-level parts" if metric in COMPARED_SET_PARTS else "primary",
                    }
                )
    for key in ("p_bootstrap", "p_randomization"):
        adjusted = stats.holm_by_family([r[key] for r in rows], [r["family"] for r in rows])
        for row, adj in zip(rows, adjusted, strict=True):
            row[f"{key}_holm"] = adj
    for row in rows:
        p = row["p_randomization_holm"]
        row["verdict"] = stats.verdict(p, alpha)
    n_units = len(results[0].doc_ids) if results else 0
    return {
        "unit": "document",
        "n_units": n_units,
        "alpha": alpha,
        "correction": "Holm-Bonferroni within each family: primary "
        f"({', '.join((*COMPARED_METRICS, *COMPARED_SET_METRICS))}), "
        f"set-level parts ({', '.join(COMPARED_SET_PARTS)})",
        "verdict_basis": "p_randomization_holm < alpha",
        "note": _power_note(n_units, alpha),
        "comparisons": rows,
    }


def _power_note(n_units: int, alpha: float) -> str:
    """What the number of documents allows: below a handful, no paired test can be significant."""
    smallest = (2 / 2**n_units) if n_units else 1.0
    note = (
        f"with {n_units} documents the smallest possible exact randomization p-value is "
        f"{smallest:.4g}"
    )
    if smallest >= alpha:
        note += f"; no difference between systems can be significant at alpha {alpha} here"
    return note
