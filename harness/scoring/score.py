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

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any, cast

import numpy as np

from harness.extraction.api import PredictedClaim, PredictedTimex
from harness.extraction.predictions import IndexedPredictions, Predictions
from harness.gold import timex as tx
from harness.gold.corpus import Corpus, GoldDocument
from harness.gold.cycles import cycle_collector_paused
from harness.gold.spill import SpilledMapping, SpillError
from harness.scoring import metrics as M
from harness.scoring.confidence import DocCurve, curve_from_documents, doc_curve
from harness.scoring.counts import CountTable
from harness.scoring.match import DocMatch, MatchMode, TextSimilarity, match_document
from harness.scoring.result import (
    BOOTSTRAP_METHODS,
    DEFAULT_AR_TRIALS,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    NO_TIMEXES,
    ScoreConfig,
    ScoreResult,
)
from harness.scoring.setlevel import SetInstances, SetResult
from harness.scoring.stats import CountedRows
from harness.scoring.summary import (
    COMPARED_METRICS,
    COMPARED_SET_METRICS,
    compare,
    summarize,
)

#: The status of the blocks that ``score(..., claims_only=True)`` does not compute.
NOT_ASKED = "not run: claim counts only were asked for"
#: Log records handed to ``log`` at a time: a document's records are never all held.
LOG_BATCH = 4096
#: Positions in :data:`~harness.scoring.metrics.CLAIM_COUNTS` of the unit vectors' columns.
_N_GOLD, _N_PRED, _TP, _N_DATED, _DATE_CORRECT, _DATE_RELAXED, _N_DATED_GOLD, _CLAIMANT_CORRECT = (
    M.CLAIM_COUNTS.index(k)
    for k in ("n_gold", "n_pred", "tp", "n_dated", "date_correct", "date_relaxed",
              "n_dated_gold", "claimant_correct")
)  # fmt: skip
#: The columns a document's counts sum over its gold claims (the others are the document's own).
_MATCHED = (_TP, _N_DATED, _DATE_CORRECT, _DATE_RELAXED, _CLAIMANT_CORRECT)


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
    counts: dict[str, int] = {}
    units: list[list[int]] = []
    log = list(document_records(doc, preds, mode, text_sim, counts, units.append))
    return counts, units, log


def document_records(
    doc: GoldDocument,
    preds: Sequence[PredictedClaim],
    mode: MatchMode,
    text_sim: TextSimilarity,
    counts: dict[str, int],
    add_unit: Callable[[list[int]], None],
    match: DocMatch | None = None,
    records: bool = True,
    pred_vectors: Any = None,
) -> Iterator[dict[str, Any]]:
    """The log records of one document, one at a time, so that they need not all be held.

    ``counts`` is filled with the document's counts and ``add_unit`` gets each claim-level unit
    vector as the records pass; both are complete once the records are exhausted. ``match``: the
    document's one-to-one match of ``preds`` under ``mode`` when it was made already. With
    ``records`` False, nothing is yielded: the counts and units alone are made.
    ``pred_vectors``: the predictions' TF-IDF rows, when transformed already
    (:meth:`TextSimilarity.with_vectors`).
    """
    m = match if match is not None else match_document(doc, preds, mode, text_sim, pred_vectors)
    by_gold = m.partner_of_gold()
    by_pred = m.partner_of_pred()
    dct = doc.published.value
    counts.update(dict.fromkeys(M.CLAIM_COUNTS, 0))
    counts["n_gold"] = len(doc.claims)
    counts["n_pred"] = len(preds)
    counts["n_dated_gold"] = sum(1 for c in doc.claims if c.date is not None)
    # the unit vectors are made in CLAIM_COUNTS order from these positions, and the document's
    # counts are their column sums (n_gold, n_pred and n_dated_gold are the document's own)
    width = len(M.CLAIM_COUNTS)
    totals = [0] * width
    for gi, g in enumerate(doc.claims):
        pair = by_gold.get(gi)
        unit = [0] * width
        unit[_N_GOLD] = 1
        dated = g.date is not None
        unit[_N_DATED_GOLD] = int(dated)
        if pair is not None:
            p = preds[pair.pred]
            verdict = M.date_verdict(p.date, g.date, dct)
            claimant_ok = M.claimant_correct(p.claimant, g.claimant)
            unit[_N_PRED] = unit[_TP] = 1
            unit[_CLAIMANT_CORRECT] = int(claimant_ok)
            if dated:
                unit[_N_DATED] = 1
                unit[_DATE_CORRECT] = int(verdict == "correct")
                unit[_DATE_RELAXED] = int(verdict in ("correct", "relaxed"))
            for k in _MATCHED:
                totals[k] += unit[k]
        add_unit(unit)
        if not records:
            continue
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
        if pair is not None:
            rec.update(
                partner=pair.pred,
                similarity=pair.similarity,
                basis=pair.basis,
                prediction=_pred_dict(p),
                date_verdict=verdict,
                claimant_correct=claimant_ok,
            )
        else:
            rec.update(
                partner=None, similarity=None, basis=None, date_verdict=None, claimant_correct=None
            )
        yield rec
    for k in _MATCHED:
        counts[M.CLAIM_COUNTS[k]] = totals[k]
    unmatched = [0] * width
    unmatched[_N_PRED] = 1
    if not records:
        for _ in range(len(preds) - len(by_pred)):
            add_unit(list(unmatched))
        return
    duplicates = set(m.duplicates.tolist())
    near_gold, near_sim, near_basis = m.best_gold.columns()
    claim_ids = [c.id for c in doc.claims]
    for pi, p in enumerate(preds):
        pair = by_pred.get(pi)
        if pair is None:
            add_unit(list(unmatched))
        best_i = near_gold[pi]
        yield {
            "doc_id": doc.doc_id,
            "kind": "prediction",
            "index": pi,
            **_pred_dict(p),
            "matched": pair is not None,
            "partner": claim_ids[pair.gold] if pair else None,
            "similarity": pair.similarity if pair else None,
            "duplicate": pi in duplicates,
            "nearest_gold": claim_ids[best_i] if best_i is not None else None,
            "nearest_similarity": near_sim[pi],
            "nearest_basis": near_basis[pi],
        }


def score_timexes(doc: GoldDocument, preds: Sequence[PredictedTimex]) -> dict[str, int]:
    """TempEval-3 counts for one document (strict = same extent, relaxed = any overlap).

    A gold timex's partner in the relaxed match is the overlapping prediction with the largest
    overlap, then the earliest start, then the earliest end, then the first in the file.
    """
    gold = doc.timexes
    counts = dict.fromkeys(M.TIMEX_COUNTS, 0)
    counts["n_gold"], counts["n_pred"] = len(gold), len(preds)
    if not gold or not preds:
        return counts
    gold_extents = {(g.start, g.end) for g in gold}
    pred_extents = {(p.start, p.end) for p in preds}
    counts["strict_pred"] = sum((p.start, p.end) in gold_extents for p in preds)
    counts["strict_gold"] = sum((g.start, g.end) in pred_extents for g in gold)
    gs = np.array([g.start for g in gold], dtype=np.int64)[:, None]
    ge = np.array([g.end for g in gold], dtype=np.int64)[:, None]
    ps = np.array([p.start for p in preds], dtype=np.int64)[None, :]
    pe = np.array([p.end for p in preds], dtype=np.int64)[None, :]
    overlap = np.minimum(ge, pe) - np.maximum(gs, ps)  # > 0: the two share a character
    hit = overlap > 0
    counts["relaxed_pred"] = int(hit.any(axis=0).sum())
    # each gold row's partner, every row at once: the largest overlap, then the lowest rank in
    # the order of (start, end, position in the file), which ranks are all distinct
    rank = np.empty(len(preds), dtype=np.int64)
    rank[np.lexsort((np.arange(len(preds)), pe[0], ps[0]))] = np.arange(len(preds))
    most = np.where(hit, overlap, 0).max(axis=1, keepdims=True)
    best = np.argmin(np.where(hit & (overlap == most), rank, len(preds)), axis=1)
    for i in np.flatnonzero(hit.any(axis=1)).tolist():
        g, partner = gold[i], preds[int(best[i])]
        counts["relaxed_gold"] += 1
        counts["value_correct"] += int(tx.equal(partner.value, g.value))
        counts["type_correct"] += int(partner.type == g.type)
    return counts


def score(
    corpus: Corpus,
    predictions: Predictions | IndexedPredictions,
    config: ScoreConfig,
    name: str = "predictions",
    log: Callable[[Sequence[dict[str, Any]]], None] | None = None,
    claims_only: bool = False,
) -> ScoreResult:
    """Match and count every document of the corpus (documents without predictions included).

    Claim metrics count only documents with claims annotated; a document with ``claims: null``
    is left out of them (its claim predictions are counted as not scored), not scored as a
    document where every prediction is spurious. The timex track counts every document.

    Documents are scored one at a time, each document's predictions read once for its match,
    its log records and its share of the confidence curve. With ``log``, each document's
    records are handed to it as they are produced and :attr:`ScoreResult.instances` stays empty
    (``harness score --out`` writes them straight to ``instances.jsonl``); what is kept is counts.

    ``claims_only``: the one-to-one claim counts alone, which is all that the modes table reads
    (the overall claim scores); no log record is made (``log`` is never called), and the
    confidence curve and the timex track are not computed and their blocks say so
    (:data:`NOT_ASKED`); the set-level scores follow ``config`` as always.

    The cycle collector is paused meanwhile (:mod:`harness.gold.cycles`): scoring builds
    records by the hundred thousand and makes no reference cycles that grow with the corpus
    (``tests/test_cycles.py``).
    """
    with cycle_collector_paused():
        return _score(corpus, predictions, config, name, log, claims_only)


def _score(
    corpus: Corpus,
    predictions: Predictions | IndexedPredictions,
    config: ScoreConfig,
    name: str,
    log: Callable[[Sequence[dict[str, Any]]], None] | None,
    claims_only: bool,
) -> ScoreResult:
    claim_docs = corpus.claim_documents
    claim_corpus = corpus.claim_corpus()
    text_sim = TextSimilarity.for_corpus(claim_corpus)
    doc_ids = list(corpus.claim_doc_ids)
    if config.dev_docs is not None:  # refused before any work, not after it
        unknown = sorted(set(config.dev_docs) - set(doc_ids))
        if unknown:
            raise ValueError(
                "dev documents not among the documents with annotated claims: " + ", ".join(unknown)
            )
    scored = set(doc_ids)
    left_out = [d for d in corpus.doc_ids if d not in scored]
    # the set-level pass's one-to-one matches, used once each (on disk beyond a budget), and
    # each document's confidence sweep, made from the weights its match computed
    matches: SpilledMapping[DocMatch] = SpilledMapping()
    curve_parts: dict[str, DocCurve] = {}

    def keep(doc: GoldDocument, preds: Sequence[PredictedClaim], m: DocMatch, kw: Any) -> None:
        matches[doc.doc_id] = m
        if not claims_only and kw is not None:
            curve_parts[doc.doc_id] = doc_curve(doc, preds, config.mode, text_sim, key_weights=kw)

    sets, sets_status = score_set_level(claim_corpus, predictions, config, name, keep)
    # score_sets holds its records as SetInstances (one run per document)
    set_runs = cast(SetInstances, sets.instances).runs() if sets is not None else {}
    claim_counts = CountTable(M.CLAIM_COUNTS)
    units: Counter[tuple[int, ...]] = Counter()
    instances: list[dict[str, Any]] = []
    pending = ((d, predictions.claims_for(d.doc_id)) for d in claim_docs)
    # the timex counts of the documents this pass reads anyway, so that the timex track reads
    # only the others again (on disk, each read is an unpickling)
    timexes_met = (
        CountTable(M.TIMEX_COUNTS) if predictions.has_timexes and not claims_only else None
    )

    def needs_rows(doc: GoldDocument) -> bool:  # its match or its sweep is still to be made
        return doc.doc_id not in matches or (not claims_only and doc.doc_id not in curve_parts)

    def add_unit(row: list[int]) -> None:
        units[tuple(row)] += 1

    for doc, preds, vectors in text_sim.with_vectors(pending, config.mode.name, needs_rows):
        c: dict[str, int] = {}
        records = document_records(
            doc,
            preds,
            config.mode,
            text_sim,
            c,
            add_unit,
            matches.get(doc.doc_id),
            records=not claims_only,
            pred_vectors=vectors,
        )
        if sets is not None and doc.doc_id in set_runs:
            set_records = cast(SetInstances, sets.instances)
            records = _with_set_verdicts(records, set_records, set_runs[doc.doc_id][0])
        if log is not None:
            for chunk in _batches(records, LOG_BATCH):
                log(chunk)
        else:
            instances += records
        claim_counts.add(doc.doc_id, c)
        if timexes_met is not None:
            timexes_met.add(doc.doc_id, score_timexes(doc, predictions.timexes_for(doc.doc_id)))
        if not claims_only and doc.doc_id not in curve_parts:  # no set-level pass made it
            curve_parts[doc.doc_id] = doc_curve(doc, preds, config.mode, text_sim, vectors)
    timex_counts: CountTable | None = None
    if timexes_met is not None:
        timex_counts = CountTable(M.TIMEX_COUNTS)
        for i, doc_id in enumerate(corpus.doc_ids):
            if doc_id in timexes_met:
                timex_counts.add(doc_id, timexes_met[doc_id])
            else:
                doc = corpus.documents[i]
                timex_counts.add(doc_id, score_timexes(doc, predictions.timexes_for(doc_id)))
    curve = (
        {"status": NOT_ASKED}
        if claims_only
        else curve_from_documents(curve_parts, doc_ids, config.mode, config.dev_docs)
    )
    return ScoreResult(
        name=name,
        doc_ids=doc_ids,
        claims_not_annotated=left_out,
        predictions_not_scored=sum(predictions.n_claims(d) for d in left_out),
        timex_doc_ids=list(corpus.doc_ids),
        outlets=dict(corpus.outlets),
        claim_counts=claim_counts,
        claim_units=CountedRows.from_counts(units, len(M.CLAIM_COUNTS)),
        instances=instances,
        timex_counts=timex_counts,
        timex_status=NOT_ASKED if claims_only and predictions.has_timexes else NO_TIMEXES,
        skipped=[{"line": s.line, "reason": s.reason} for s in predictions.skipped],
        sets=sets,
        sets_status=sets_status,
        confidence_curve=curve,
    )


def _with_set_verdicts(
    records: Iterator[dict[str, Any]], instances: SetInstances, start: int
) -> Iterator[dict[str, Any]]:
    """The records of one document, each with its set-level verdict (under ``set``) when it has
    one. The document's records in ``instances`` begin at ``start``: one set-gold record per
    claim, in the order of its claims, then one per prediction in order, so each verdict is found
    by position in the document's block, read once, and built as its record passes."""
    gold_at = {c: i for i, c in enumerate(instances.claim_ids_at(start))}
    verdicts = instances.verdicts_at(start)
    for rec in records:
        if rec["kind"] == "gold":
            at = gold_at.get(rec["id"])
            if at is not None:
                rec["set"] = verdicts.gold(at)
        elif 0 <= rec["index"] < verdicts.n_pred:
            rec["set"] = verdicts.prediction(rec["index"])
        yield rec


def _batches(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """Consecutive lists of at most ``size`` records (the last may be shorter, none is empty)."""
    import itertools

    while chunk := list(itertools.islice(records, size)):
        yield chunk


class _OwnError(Exception):
    """Carries an error of :func:`score_set_level`'s ``on_match`` out of the set-level pass."""


def score_set_level(
    corpus: Corpus,
    predictions: Predictions | IndexedPredictions,
    config: ScoreConfig,
    name: str,
    on_match: Callable[[GoldDocument, Sequence[PredictedClaim], DocMatch, Any], None] | None = None,
) -> tuple[SetResult | None, str]:
    """Set-level scores under ``config.similarity``, or None and why they were not computed.

    A strategy that cannot run here is "not run: <reason>"; one that fails while scoring (an
    LLM judge with an invalid answer, say) is "failed: <reason>". Neither ever yields numbers.
    ``on_match`` is handed to :func:`~harness.scoring.setlevel.score_sets`; an error it raises
    is the caller's own and is raised as it is, not reported as the strategy's failure.
    """
    from harness.scoring.setlevel import score_sets
    from harness.scoring.similarity import SimilarityUnavailable, get_similarity

    if config.similarity is None:
        return None, "not run: no similarity strategy chosen"
    try:
        sim = get_similarity(config.similarity, corpus, config.similarity_config)
    except SimilarityUnavailable as exc:
        return None, f"not run: {exc.reason}"

    def hook(*args: Any) -> None:
        try:
            on_match(*args)  # type: ignore[misc]
        except Exception as exc:
            raise _OwnError from exc

    try:
        sets = score_sets(corpus, predictions, sim, config.mode, config.set_threshold, name,
                          hook if on_match is not None else None)  # fmt: skip
    except _OwnError as exc:  # the caller's error, not the strategy's
        raise cast(Exception, exc.__cause__) from None
    except SpillError:  # the run's disk, not the strategy
        raise
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
