"""Set-level claim metrics beside the one-to-one ones: Focus, Coverage, F_fact, redundancy,
fact-level recall over clusters and NewsClaims-style claimant token F1 (the confidence curve is in
:mod:`harness.scoring.confidence`).

Why set-level: an extractor that writes atomic, decontextualized claims turns one gold claim into
three predictions, or two gold claims into one. One-to-one matching counts the extra pieces as
spurious and the merged claim as a miss. Soft many-to-one matching (FEVERFact: Ullrich, Mlynář and
Drchal 2025) asks instead whether each predicted claim is supported by *some* gold claim (Focus,
a precision) and whether each gold claim is expressed by *some* prediction (Coverage, a recall).

Definitions (METRICS.md §7 works each one by hand), per document, with ``sim`` the chosen
similarity strategy and ``t`` the named set threshold (a pair matches when ``sim >= t``):

* a prediction is *focused* when its best similarity to any gold claim is >= t; a prediction that
  repeats an earlier one (same normalized text and span) is never focused;
* a gold claim is *covered* when its best similarity to any prediction is >= t;
* Focus = focused / predictions; Coverage = covered / gold claims; F_fact = their harmonic mean;
* a focused prediction is *redundant* when its best gold claim is also the best gold claim of a
  focused prediction that matches it better (ties: canonical order); redundancy = redundant /
  focused. A gold claim split into three atomic predictions counts two of them as redundant, so
  read redundancy beside the granularity of the output;
* fact recall: a *fact* is a gold cluster, or a claim without a cluster on its own; a fact is found
  in an article when one of its claims in that article is covered. Per article: found
  (article, fact) units / units; across articles: facts found in at least one article / facts;
* claimant token F1 (NewsClaims): over the one-to-one matched pairs, the mean bag-of-words token
  F1 between predicted and gold claimant (:func:`harness.metrics.claimant_f1`; ``<AUTHOR>`` is one
  token that equals only itself, a missing claimant scores 0); and the ``<AUTHOR>`` class alone:
  precision, recall and F1 of "the claimant is the article's own voice" over the same pairs.

Counts are kept raw per document (:data:`SET_COUNTS`), so micro averages, bootstrap resamples and
paired tests work exactly as for the one-to-one metrics. Across-article fact recall needs to know
which facts each document holds: :attr:`SetResult.fact_matrix` has, per document, one "present"
and one "found" column per fact; summing rows of any resample gives the recall of that resample.
It is sparse, and its document bootstrap never forms (resamples x facts) sums
(:mod:`harness.scoring.factrecall`).

The claim bootstrap resamples claim-level units instead of documents, as the one-to-one claim
bootstrap does (:attr:`SetResult.units`, one :data:`SET_COUNTS` row each): every gold claim
(``n_gold``, ``covered``, and its one-to-one pair's claimant counts when it has a partner), every
prediction (``n_pred``, ``focused``, ``redundant``) and every (article, fact) unit
(``fact_units``, ``facts_found``); across-article fact recall resamples the facts themselves.
"""

from __future__ import annotations

import functools
from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from harness.extraction.api import PredictedClaim
from harness.extraction.predictions import Predictions
from harness.gold.corpus import Corpus, GoldDocument
from harness.scoring import metrics as M
from harness.scoring import stats

# Re-exported: the confidence curve lived here before it got its own module.
from harness.scoring.confidence import confidence_curve  # noqa: F401
from harness.scoring.counts import CountTable, DocumentBlocks, count_matrix, defined_rows
from harness.scoring.factrecall import (
    _fact_share,
    fact_recall_across,
    fact_recall_across_resamples,
)
from harness.scoring.match import DocMatch, MatchMode, canonical_order, match_document
from harness.scoring.match import TextSimilarity as TfidfModel
from harness.scoring.setmatch import SetMatch, set_match
from harness.scoring.similarity import Similarity
from harness.scoring.stats import CountedRows

DEFAULT_SET_THRESHOLD = 0.5

SET_COUNTS = (
    "n_gold",
    "n_pred",
    "focused",  # predictions whose best gold similarity >= t (repeats excluded)
    "covered",  # gold claims whose best prediction similarity >= t
    "redundant",  # focused predictions whose best gold claim a better prediction already takes
    "fact_units",  # (article, fact) units: facts with at least one gold claim in the article
    "facts_found",  # ... with at least one covered gold claim
    "pairs",  # one-to-one matched pairs (the mode's matching), for claimant scoring
    "claimant_f1_sum",  # sum over pairs of claimant token F1
    "author_pred",  # pairs whose predicted claimant is <AUTHOR>
    "author_gold",  # pairs whose gold claimant is <AUTHOR>
    "author_both",  # pairs where both are <AUTHOR>
)
SET_METRICS = (
    "focus",
    "coverage",
    "f_fact",
    "redundancy",
    "fact_recall_article",
    "claimant_token_f1",
    "author_precision",
    "author_recall",
    "author_f1",
)
#: Metrics with bootstrap intervals and paired tests (fact recall across articles has its own).
SET_INTERVAL_METRICS = ("focus", "coverage", "f_fact", "fact_recall_article", "claimant_token_f1")


def set_metrics(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Set-level metrics from count vectors (last axis ordered as :data:`SET_COUNTS`)."""
    c = {k: np.asarray(counts, dtype=float)[..., i] for i, k in enumerate(SET_COUNTS)}
    focus = M._div(c["focused"], c["n_pred"], 0.0)
    coverage = M._div(c["covered"], c["n_gold"], 0.0)
    ap = M._div(c["author_both"], c["author_pred"], np.nan)
    ar = M._div(c["author_both"], c["author_gold"], np.nan)
    return {
        "focus": focus,
        "coverage": coverage,
        "f_fact": M._f1(focus, coverage),
        "redundancy": M._div(c["redundant"], c["focused"], np.nan),
        "fact_recall_article": M._div(c["facts_found"], c["fact_units"], np.nan),
        "claimant_token_f1": M._div(c["claimant_f1_sum"], c["pairs"], np.nan),
        "author_precision": ap,
        "author_recall": ar,
        "author_f1": M._div(2 * c["author_both"], c["author_pred"] + c["author_gold"], np.nan),
    }


def set_block(counts: Mapping[str, float]) -> dict[str, Any]:
    """One JSON block: the set-level metrics and their raw counts."""
    vec = np.array([counts[k] for k in SET_COUNTS], dtype=float)
    m = set_metrics(vec)
    block: dict[str, Any] = {k: M._scalar(m[k]) for k in SET_METRICS}
    block.update(
        {
            k: round(float(counts[k]), 6) if k == "claimant_f1_sum" else int(counts[k])
            for k in SET_COUNTS
        }
    )
    return block


def fact_ids(doc: GoldDocument) -> list[str]:
    """The fact of each gold claim: its cluster, or the claim itself when it has none."""
    return [c.cluster if c.cluster else f"{doc.doc_id}#{c.id}" for c in doc.claims]


CLAIMANT_COUNTS = ("pairs", "claimant_f1_sum", "author_pred", "author_gold", "author_both")


def claimant_pair_counts(
    doc: GoldDocument, preds: Sequence[PredictedClaim], match: DocMatch
) -> dict[int, dict[str, float]]:
    """NewsClaims-style claimant counts of each one-to-one matched pair, keyed by gold index."""
    out: dict[int, dict[str, float]] = {}
    for pair in match.pairs:
        g, p = doc.claims[pair.gold], preds[pair.pred]
        is_author_g = M.claimant_tokens(g.claimant) == [M.AUTHOR]
        is_author_p = M.claimant_tokens(p.claimant) == [M.AUTHOR]
        out[pair.gold] = {
            "pairs": 1.0,
            "claimant_f1_sum": M.claimant_f1(p.claimant, g.claimant),
            "author_pred": float(is_author_p),
            "author_gold": float(is_author_g),
            "author_both": float(is_author_p and is_author_g),
        }
    return out


def claimant_counts(
    doc: GoldDocument, preds: Sequence[PredictedClaim], match: DocMatch
) -> dict[str, float]:
    """NewsClaims-style claimant counts over the one-to-one matched pairs of one document."""
    out = dict.fromkeys(CLAIMANT_COUNTS, 0.0)
    for counts in claimant_pair_counts(doc, preds, match).values():
        for k in CLAIMANT_COUNTS:
            out[k] += counts[k]
    return out


@functools.lru_cache(maxsize=1024)  # a handful of distinct rows, built once per claim
def _unit(**counts: float) -> tuple[float, ...]:
    """One claim-level unit row (:data:`SET_COUNTS` order), zero where not given."""
    return tuple(float(counts.get(k, 0.0)) for k in SET_COUNTS)


class SetInstances(Sequence[dict[str, Any]]):
    """The set-level records of every document (one ``set-gold`` per gold claim, then one
    ``set-prediction`` per prediction, document by document), held as one compact block per
    document (ids, index, similarity and flag arrays) and built as dicts when read: a million
    predictions take tens of megabytes here, not a dict each. Beyond a budget the blocks are kept
    on disk (:mod:`harness.gold.spill`)."""

    def __init__(self) -> None:
        from harness.gold.spill import SpilledSequence, part_budget

        self._blocks: SpilledSequence[tuple[Any, ...]] = SpilledSequence(hot_bytes=part_budget())
        self._doc_ids: list[str] = []
        self._stops: list[int] = []

    def add(
        self, doc: GoldDocument, doc_facts: Sequence[str], sm: SetMatch, texts: Sequence[str]
    ) -> None:
        n_g, n_p = len(doc.claims), len(sm.pred_gold)
        flags = (sm.focused, sm.redundant, sm.repeat)
        block = (doc.doc_id, tuple(c.id for c in doc.claims), tuple(doc_facts), sm.gold_best,
                 sm.covered, tuple(texts), sm.pred_gold, sm.pred_sim, flags)  # fmt: skip
        self._blocks.append(block)
        self._doc_ids.append(doc.doc_id)
        self._stops.append((self._stops[-1] if self._stops else 0) + n_g + n_p)

    def runs(self) -> dict[str, tuple[int, int]]:
        """Where each document's records are: (start, stop) by document id."""
        starts = [0, *self._stops][: len(self._stops)]
        return {d: (a, z) for d, a, z in zip(self._doc_ids, starts, self._stops, strict=True)}

    def __len__(self) -> int:
        return self._stops[-1] if self._stops else 0

    def claim_ids_at(self, start: int) -> tuple[str, ...]:
        """The gold claim ids, in order, of the document whose records begin at ``start`` (its
        gold claims' records come first, in the order of its claims)."""
        import bisect

        return self._blocks[bisect.bisect_right(self._stops, start)][1]

    def __getitem__(self, k: Any) -> Any:
        import bisect

        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        b = bisect.bisect_right(self._stops, k)
        block = self._blocks[b]
        doc_id, claim_ids, texts = block[0], block[1], block[5]
        i = k - (self._stops[b - 1] if b else 0)
        if i < len(claim_ids):
            return {"doc_id": doc_id, "kind": "set-gold", "id": claim_ids[i],
                    **_gold_verdict(block, i)}  # fmt: skip
        j = i - len(claim_ids)
        return {"doc_id": doc_id, "kind": "set-prediction", "index": j, "text": texts[j],
                **_pred_verdict(block, j)}  # fmt: skip

    def verdicts_at(self, start: int) -> SetVerdicts:
        """The verdicts of the document whose records begin at ``start`` (its block read once),
        each made when asked for: its records without the fields that say which record it is
        (``doc_id``, ``kind``, ``id``, ``index``, ``text``)."""
        import bisect

        return SetVerdicts(self._blocks[bisect.bisect_right(self._stops, start)])


class SetVerdicts:
    """One document's set-level verdicts, read from its block of :class:`SetInstances`."""

    def __init__(self, block: tuple[Any, ...]) -> None:
        self.block = block
        self.n_gold, self.n_pred = len(block[1]), len(block[6])

    def gold(self, i: int) -> dict[str, Any]:
        """Gold claim ``i``'s verdict."""
        return _gold_verdict(self.block, i)

    def prediction(self, j: int) -> dict[str, Any]:
        """Prediction ``j``'s verdict."""
        return _pred_verdict(self.block, j)


def _gold_verdict(block: tuple[Any, ...], i: int) -> dict[str, Any]:
    """Gold claim ``i``'s set-level verdict in a document's block of :class:`SetInstances`."""
    facts, gold_best, covered = block[2], block[3], block[4]
    j, s = gold_best[i]
    return {"fact": facts[i], "best_prediction": j, "similarity": s, "covered": covered[i]}


def _pred_verdict(block: tuple[Any, ...], j: int) -> dict[str, Any]:
    """Prediction ``j``'s set-level verdict in a document's block of :class:`SetInstances`."""
    claim_ids, best, sim, flags = block[1], block[6], block[7], block[8]
    g = int(best[j])
    return {"best_gold": claim_ids[g] if g >= 0 else None, "similarity": float(sim[j]),
            "focused": bool(flags[0][j]), "redundant": bool(flags[1][j]),
            "repeat": bool(flags[2][j])}  # fmt: skip


@dataclass
class SetResult:
    """Raw material of set-level scores: counts per document, fact columns, per-instance log."""

    name: str
    similarity: dict[str, Any]
    threshold: float
    doc_ids: list[str]
    #: Counts per document (a :class:`~harness.scoring.counts.CountTable` from :func:`score_sets`).
    counts: Mapping[str, Mapping[str, float]]
    facts: list[str]
    #: one row per document: fact present (len(facts) columns), then fact found (same); a
    #: ``scipy.sparse`` CSR matrix of 0/1
    fact_matrix: Any
    instances: Sequence[dict[str, Any]]
    #: claim-level units, one :data:`SET_COUNTS` row each (gold claims, predictions, (article,
    #: fact) units), held as distinct rows and their numbers; they sum to the document counts
    units: CountedRows = field(
        default_factory=lambda: CountedRows(np.zeros((0, len(SET_COUNTS))), np.zeros(0))
    )

    def doc_matrix(self) -> np.ndarray:
        return count_matrix(self.counts, self.doc_ids, SET_COUNTS)

    def fact_units(self) -> np.ndarray:
        """One row per fact of the corpus: (present, found in some article), for the claim
        bootstrap of across-article fact recall."""
        k = len(self.facts)
        totals = self.fact_totals()
        present, found = totals[:k] > 0, totals[k:] > 0
        return np.column_stack([present, found])[present].astype(float)

    def fact_totals(self) -> np.ndarray:
        """Column sums of :attr:`fact_matrix` (a dense vector of 2 x facts)."""
        return np.asarray(self.fact_matrix.sum(0), dtype=float).ravel()


def score_sets(
    corpus: Corpus,
    predictions: Predictions,
    similarity: Similarity,
    mode: MatchMode,
    threshold: float = DEFAULT_SET_THRESHOLD,
    name: str = "predictions",
    on_match: Callable[[GoldDocument, Sequence[PredictedClaim], DocMatch, Any], None] | None = None,
) -> SetResult:
    """Set-level counts and per-instance records of every document of the corpus.

    ``on_match``, when given, is called with each document, its predictions, its one-to-one
    match (the claimant pairs') and the key weights the match computed (see ``key_weights`` of
    :func:`~harness.scoring.match.match_document`; None where it did not keep them), so that
    the scorer need not match the document again nor compute its confidence sweep's weights.

    ``similarity`` decides the soft many-to-one match; ``mode`` is the one-to-one matching whose
    pairs the claimant scores use (the same pairs as the claimant accuracy).
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"set threshold must be in [0, 1], got {threshold}")
    from scipy import sparse

    tfidf = TfidfModel.for_corpus(corpus)
    # each fact numbered as it first comes, in the one pass over the documents; the columns,
    # in the order of the sorted facts, are known at the end (8 bytes an entry, not an int each)
    number: dict[str, int] = {}
    present_at, present_of = array("q"), array("q")  # row, fact number
    found_at, found_of = array("q"), array("q")
    counts = CountTable(SET_COUNTS, "d")
    instances = SetInstances()
    units: Counter[tuple[float, ...]] = Counter()  # distinct unit rows and their numbers
    # the one-to-one match takes the predictions' TF-IDF rows, transformed a batch of documents
    # at a time, from this queue, in the order the strategy passes the documents on
    rows_of: deque[tuple[GoldDocument, Any]] = deque()

    def pending() -> Iterator[tuple[GoldDocument, Sequence[PredictedClaim]]]:
        docs = ((d, predictions.claims_for(d.doc_id)) for d in corpus.claim_documents)
        for doc, preds, vectors in tfidf.with_vectors(docs, mode.name):
            rows_of.append((doc, vectors))
            yield doc, preds

    for row, (doc, preds, sim) in enumerate(similarity.with_matrices(pending())):
        order = canonical_order(preds)  # one sort for both matches
        sm = set_match(doc, preds, sim, threshold, similarity.needs_spans, order)
        del sim
        c: dict[str, float] = dict.fromkeys(SET_COUNTS, 0.0)
        c["n_gold"], c["n_pred"] = len(doc.claims), len(preds)
        c["focused"], c["covered"] = int(sm.focused.sum()), sum(sm.covered)
        c["redundant"] = int(sm.redundant.sum())
        doc_facts = fact_ids(doc)
        present = set(doc_facts)
        found = {f for f, cov in zip(doc_facts, sm.covered, strict=True) if cov}
        c["fact_units"], c["facts_found"] = len(present), len(found)
        present_of.extend([number.setdefault(f, len(number)) for f in present])
        present_at.extend([row] * len(present))
        found_of.extend([number[f] for f in found])
        found_at.extend([row] * len(found))
        vdoc, vectors = rows_of.popleft() if rows_of else (None, None)
        kept: list[tuple[np.ndarray, np.ndarray]] = []
        one_to_one = match_document(doc, preds, mode, tfidf, vectors if vdoc is doc else None,
                                    kept if on_match is not None else None, order)  # fmt: skip
        if on_match is not None:
            on_match(doc, preds, one_to_one, kept[0] if kept else None)
        by_gold = claimant_pair_counts(doc, preds, one_to_one)
        for k in CLAIMANT_COUNTS:
            c[k] = float(sum(p[k] for p in by_gold.values()))
        counts.add(doc.doc_id, c)
        for i, cov in enumerate(sm.covered):
            units[_unit(n_gold=1, covered=cov, **by_gold.get(i, {}))] += 1
        n_kind = np.bincount(2 * sm.focused + sm.redundant, minlength=4).tolist()
        for kind, n in enumerate(n_kind):  # the kinds present, in ascending order
            if n:
                units[_unit(n_pred=1, focused=kind >= 2, redundant=kind % 2 == 1)] += n
        for f in sorted(present):
            units[_unit(fact_units=1, facts_found=f in found)] += 1
        instances.add(doc, doc_facts, sm, [p.text for p in preds])
    facts = sorted(number)
    column = np.empty(len(facts), dtype=np.int64)  # fact number -> its column
    column[[number[f] for f in facts]] = np.arange(len(facts))
    as_int = np.dtype(np.int64)
    fact_rows = np.concatenate([np.frombuffer(present_at, as_int), np.frombuffer(found_at, as_int)])
    fact_cols = np.concatenate([
        column[np.frombuffer(present_of, as_int)],
        len(facts) + column[np.frombuffer(found_of, as_int)],
    ])  # fmt: skip
    return SetResult(
        name=name,
        similarity=similarity.signature(),
        threshold=threshold,
        doc_ids=list(corpus.claim_doc_ids),
        counts=counts,
        facts=facts,
        fact_matrix=sparse.csr_matrix(
            (np.ones(len(fact_rows)), (fact_rows, fact_cols)),
            shape=(len(corpus.claim_documents), 2 * len(facts)),
        ),
        instances=instances,
        units=CountedRows.from_counts(units, len(SET_COUNTS)),
    )


def summarize_sets(
    result: SetResult,
    n_resamples: int,
    seed: int,
    confidence: float = 0.95,
    methods: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The JSON block of set-level scores: micro overall with document- and claim-bootstrap
    intervals, macro, per document, and across-article fact recall.

    ``methods`` names each bootstrap's resampling method (default: documents by index, claim
    units by multinomial counts, as for the one-to-one metrics).
    """
    methods = dict(methods or {"document_bootstrap": "index", "claim_bootstrap": "multinomial"})
    mat = result.doc_matrix()
    overall = set_block(dict(zip(SET_COUNTS, mat.sum(0), strict=True)))
    totals = result.fact_totals()
    across = M._scalar(fact_recall_across(totals))
    boot = (n_resamples, seed, confidence)

    def intervals(units: np.ndarray, method: str) -> dict[str, Any]:
        cis = stats.bootstrap_cis(units, set_metrics, SET_INTERVAL_METRICS, *boot, method)
        return {k: list(v) for k, v in cis.items()}

    doc_method = methods["document_bootstrap"]
    ci = intervals(mat, doc_method)
    ci["fact_recall_across"] = (
        list(
            stats._interval(
                fact_recall_across_resamples(result.fact_matrix, n_resamples, seed, doc_method),
                confidence,
            )
        )
        if result.fact_matrix.shape[0]
        else [None, None]
    )
    claim_ci = intervals(result.units, methods["claim_bootstrap"])
    claim_ci["fact_recall_across"] = list(
        stats.bootstrap_ci(result.fact_units(), _fact_share, *boot, methods["claim_bootstrap"])
    )
    overall["fact_recall_across"] = across
    overall["n_facts"] = int((totals[: len(result.facts)] > 0).sum())
    overall["n_facts_found"] = int((totals[len(result.facts) :] > 0).sum())
    overall["ci"] = {
        "document_bootstrap": ci,
        "claim_bootstrap": claim_ci,
        "confidence": confidence,
        "resamples": n_resamples,
        "seed": seed,
        "method": methods,
        "note": (
            "document_bootstrap resamples documents (the independent unit); claim_bootstrap "
            "resamples gold claims, predictions and (article, fact) units (across-article fact "
            "recall: facts) as independent units, which ignores within-document correlation"
        ),
    }
    per_doc = DocumentBlocks(result.counts, result.doc_ids, set_block)
    vals = defined_rows(set_metrics(mat), SET_METRICS)  # the blocks' values, no block made
    macro = {k: round(float(np.mean(v)), 6) if v else None for k, v in vals.items()}
    return {
        "similarity": result.similarity,
        "threshold": result.threshold,
        "overall": overall,
        "macro": macro,
        "per_document": per_doc,
    }
