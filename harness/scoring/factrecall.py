"""Across-article fact recall: facts found in at least one article / facts, and its resamples.

A *fact* is a gold cluster, or a claim without a cluster on its own (METRICS.md §7). The input is
the fact matrix of :class:`harness.scoring.setlevel.SetResult`: one row per document, one
"present" column per fact, then one "found" column per fact.

Why a module of its own: a corpus has about as many facts as claims, so the matrix has (documents
x facts) cells; dense, it and its bootstrap sums grow with the square of the corpus. Here it is
sparse and its document bootstrap never forms (resamples x facts) sums.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from harness.scoring import metrics as M
from harness.scoring import stats


def fact_recall_across(matrix: np.ndarray) -> np.ndarray:
    """Across-article fact recall from summed fact columns (first half present, second found)."""
    m = np.asarray(matrix, dtype=float)
    k = m.shape[-1] // 2
    present = (m[..., :k] > 0).sum(-1)
    found = (m[..., k:] > 0).sum(-1)
    return M._div(found, present, np.nan)


def fact_recall_across_resamples(
    fact_matrix: Any, n_resamples: int, seed: int, method: str = "index"
) -> np.ndarray:
    """Across-article fact recall of every document-bootstrap resample of ``fact_matrix``.

    The same values as :func:`fact_recall_across` of the resampled row sums
    (:func:`harness.scoring.stats.resample_sums` with the same seed), without forming them: a
    resample's fact is present (found) when some drawn document has it present (found). A column
    with one document is that document's draw indicator, so those columns collapse into one count
    per document; only columns shared by several documents are multiplied out, a bounded chunk
    of resamples at a time. Memory: one chunk of draws plus the shared columns' chunk, never
    resamples x facts. ``method`` other than ``index`` resamples the dense matrix as before.
    """
    from scipy import sparse

    m = sparse.csr_matrix(fact_matrix, dtype=float)
    n, width = m.shape
    if method != "index":
        return fact_recall_across(stats.resample_sums(m.toarray(), n_resamples, seed, method))
    k = width // 2
    m.data[:] = m.data > 0  # presence, whatever the stored values
    per_column = np.asarray((m > 0).sum(0)).ravel()
    single = sparse.csc_matrix(m[:, per_column == 1])
    shared = sparse.csc_matrix(m[:, per_column > 1])
    half_single = np.flatnonzero(per_column == 1) < k  # present (True) or found column
    half_shared = np.flatnonzero(per_column > 1) < k
    # documents' counts of single-document facts: [present, found] per document
    alone = np.column_stack(
        [
            np.asarray(single[:, half_single].sum(1)).ravel(),
            np.asarray(single[:, ~half_single].sum(1)).ravel(),
        ]
    )
    present_out, found_out = [], []
    for picks in stats.resample_picks(n, n_resamples, seed):
        drawn = (picks > 0).astype(float)
        counts = drawn @ alone
        step = max(1, stats.CHUNK_ELEMENTS // max(1, shared.shape[1]))
        for lo in range(0, len(drawn), step):
            hit = np.asarray((shared.T @ drawn[lo : lo + step].T).T) > 0
            counts[lo : lo + step, 0] += hit[:, half_shared].sum(1)
            counts[lo : lo + step, 1] += hit[:, ~half_shared].sum(1)
        present_out.append(counts[:, 0])
        found_out.append(counts[:, 1])
    if not present_out:
        return np.zeros(0)
    return M._div(np.concatenate(found_out), np.concatenate(present_out), np.nan)


def _fact_share(units: np.ndarray) -> np.ndarray:
    """Facts found / facts, from summed (present, found) fact units."""
    u = np.asarray(units, dtype=float)
    return M._div(u[..., 1], u[..., 0], np.nan)
