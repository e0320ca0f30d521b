"""The scorer's records: its configuration (mode, thresholds, seed, resamples) and its raw result.

Raw counts per document and one log record per claim are kept; ratios are derived late, by
:mod:`harness.scoring.summary`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from harness.scoring import metrics as M
from harness.scoring.counts import count_matrix
from harness.scoring.match import MatchMode
from harness.scoring.setlevel import (
    SetResult,
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


#: :attr:`ScoreResult.timex_status` when the predictions hold no timex records at all.
NO_TIMEXES = "not run: no timex predictions"


@dataclass
class ScoreResult:
    """Raw material of a score: counts per document, per-instance log records, timex counts."""

    name: str
    doc_ids: list[str]
    outlets: dict[str, str]
    #: Counts per document (a :class:`~harness.scoring.counts.CountTable` from :func:`score`).
    claim_counts: Mapping[str, Mapping[str, int]]
    #: Per claim-level unit count vectors (rows: matched pairs, misses, spurious predictions),
    #: held as distinct rows and their numbers (:class:`~harness.scoring.stats.CountedRows`).
    claim_units: Any
    instances: list[dict[str, Any]]
    timex_counts: Mapping[str, Mapping[str, int]] | None
    #: Why ``timex_counts`` is None ("not run: ..."); unused when there are counts.
    timex_status: str = NO_TIMEXES
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
        return count_matrix(self.claim_counts, self.doc_ids, M.CLAIM_COUNTS)

    def timex_matrix(self) -> np.ndarray | None:
        if self.timex_counts is None:
            return None
        return count_matrix(self.timex_counts, self.timex_ids, M.TIMEX_COUNTS)

    @property
    def timex_ids(self) -> list[str]:
        return self.timex_doc_ids or self.doc_ids
