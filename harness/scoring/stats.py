"""Uncertainty: bootstrap confidence intervals and paired significance tests.

All functions take per-unit count vectors (rows = units, columns = raw counts) and a function from
summed counts to a metric, so that a resample is a sum of rows: micro-averaged metrics are exact
for every resample and nothing is recomputed from text.

* :func:`bootstrap_ci`: percentile interval over resamples of units with replacement.
* :func:`paired_bootstrap`: sacreBLEU's paired bootstrap test (Koehn 2004): the resampled absolute
  differences are centred on their mean (the null hypothesis) and the p-value is the share,
  with +1 smoothing, that reaches the observed absolute difference (ties count against
  significance, where sacreBLEU counts only strict excess).
* :func:`approximate_randomization`: two-sided paired permutation test (Riezler & Maxwell 2005,
  as in sacreBLEU): each unit's outputs are swapped between the systems with probability 1/2;
  with 2**n <= trials every assignment is enumerated instead (an exact test).
* :func:`holm`: Holm-Bonferroni adjustment across several comparisons.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np

MetricFn = Callable[[np.ndarray], np.ndarray]  # summed counts (..., k) -> metric values (...)


def bootstrap_ci(
    units: np.ndarray,
    metric: MetricFn,
    n_resamples: int = 1000,
    seed: int = 12345,
    confidence: float = 0.95,
) -> tuple[float | None, float | None]:
    """Percentile bootstrap interval of ``metric(units.sum(0))``; (None, None) when undefined."""
    units = np.asarray(units, dtype=float)
    if units.shape[0] == 0:
        return None, None
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, units.shape[0], size=(n_resamples, units.shape[0]))
    values = metric(units[idx].sum(axis=1))
    values = values[~np.isnan(values)]
    if values.size == 0:
        return None, None
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(values, [alpha, 1 - alpha])
    return round(float(lo), 6), round(float(hi), 6)


def paired_bootstrap(
    a: np.ndarray, b: np.ndarray, metric: MetricFn, n_resamples: int = 1000, seed: int = 12345
) -> float | None:
    """p-value that systems ``a`` and ``b`` (same units, same order) differ on ``metric``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    observed = abs(float(metric(a.sum(0))) - float(metric(b.sum(0))))
    if np.isnan(observed):
        return None
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, a.shape[0], size=(n_resamples, a.shape[0]))
    diffs = np.abs(metric(a[idx].sum(axis=1)) - metric(b[idx].sum(axis=1)))
    diffs = diffs[~np.isnan(diffs)]
    if diffs.size == 0:
        return None
    stats = diffs - diffs.mean()
    # ties count against significance (sacreBLEU counts only ">"): a system against itself gets 1
    return round(float((np.sum(stats >= observed - 1e-12) + 1) / (diffs.size + 1)), 6)


def approximate_randomization(
    a: np.ndarray, b: np.ndarray, metric: MetricFn, trials: int = 10000, seed: int = 12345
) -> tuple[float | None, bool]:
    """(p-value, exact?) of the two-sided paired randomization test on ``metric``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = a.shape[0]
    observed = abs(float(metric(a.sum(0))) - float(metric(b.sum(0))))
    if np.isnan(observed):
        return None, False
    exact = 2**n <= trials
    if exact:
        swap = np.array(list(itertools.product([False, True], repeat=n)), dtype=bool)
    else:
        rng = np.random.default_rng(seed)
        swap = rng.integers(0, 2, size=(trials, n)).astype(bool)
    sa = np.where(swap[..., None], b[None], a[None]).sum(axis=1)
    sb = np.where(swap[..., None], a[None], b[None]).sum(axis=1)
    diffs = np.abs(metric(sa) - metric(sb))
    diffs = diffs[~np.isnan(diffs)]
    if diffs.size == 0:
        return None, exact
    if exact:  # every assignment, the observed one included: no +1 smoothing needed
        p = float(np.sum(diffs >= observed - 1e-12)) / diffs.size
    else:
        p = float(np.sum(diffs >= observed - 1e-12) + 1) / (diffs.size + 1)
    return round(p, 6), exact


def holm(pvalues: Sequence[float | None]) -> list[float | None]:
    """Holm-Bonferroni adjusted p-values (step-down, monotone, capped at 1); None stays None."""
    present = [(p, i) for i, p in enumerate(pvalues) if p is not None]
    m = len(present)
    adjusted: list[float | None] = [None] * len(pvalues)
    running = 0.0
    for rank, (p, i) in enumerate(sorted(present)):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = round(running, 6)
    return adjusted
