"""Uncertainty: bootstrap confidence intervals and paired significance tests.

All functions take per-unit count vectors (rows = units, columns = raw counts) and a function from
summed counts to a metric, so that a resample is a sum of rows: micro-averaged metrics are exact
for every resample and nothing is recomputed from text.

* :func:`bootstrap_ci` / :func:`bootstrap_cis`: percentile interval over resamples of units with
  replacement (one or several metrics from the same resamples).
* :func:`paired_bootstrap`: sacreBLEU's paired bootstrap test (Koehn 2004): the resampled absolute
  differences are centred on their mean (the null hypothesis) and the p-value is the share,
  with +1 smoothing, that reaches the observed absolute difference (ties count against
  significance, where sacreBLEU counts only strict excess).
* :func:`approximate_randomization`: two-sided paired permutation test (Riezler & Maxwell 2005,
  as in sacreBLEU): each unit's outputs are swapped between the systems with probability 1/2;
  with 2**n <= trials every assignment is enumerated instead (an exact test).
* :func:`holm`: Holm-Bonferroni adjustment across several comparisons; :func:`holm_by_family`
  adjusts each named family of comparisons on its own.

Resampling methods (recorded in the signature as ``bootstrap_method``):

* ``index`` draws ``n`` unit indices per resample (``Generator.integers``) and sums the drawn
  rows. The draws are made in chunks of resamples (the stream is the same as one big draw, so
  a seed gives the same interval as ever) and summed as (times each unit is drawn) @ units, so
  memory stays at one chunk, never resamples x units x counts.
* ``multinomial`` draws, per resample, how many times each *distinct* unit row is picked
  (``Generator.multinomial`` with the rows' frequencies). The resampled sums have exactly the
  distribution of ``index`` resampling (a resample's sum depends only on those counts), at a
  cost that depends on the number of distinct rows, not of units; the random stream differs,
  so the interval for a seed differs from ``index`` within Monte Carlo error. The claim-level
  bootstrap uses it: its units are matched pairs, misses and spurious predictions, a handful of
  distinct count vectors among hundreds of thousands of units.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

MetricFn = Callable[[np.ndarray], np.ndarray]  # summed counts (..., k) -> metric values (...)
MetricsFn = Callable[[np.ndarray], "dict[str, np.ndarray]"]  # summed counts -> {name: values}

#: Draws held in memory at once (resamples x units per chunk); about 8 MB of int64. The draws
#: do not depend on it (a test checks), only the memory does: a few arrays of this size are alive
#: at once, and from 1,000 units on (1,000 resamples) every chunk has this size.
CHUNK_ELEMENTS = 1 << 20
METHODS = ("index", "multinomial")


class CountedRows:
    """Unit rows held as their distinct rows (sorted as ``numpy.unique(axis=0)`` sorts them) and
    how often each occurs: a million claim-level units that take a handful of distinct values
    cost a handful of rows. ``numpy.asarray`` expands them (in that sorted order); the
    ``multinomial`` bootstrap reads the compact form, which is exactly what it would compute
    from the expanded rows."""

    def __init__(self, distinct: np.ndarray, counts: np.ndarray) -> None:
        self.distinct = np.asarray(distinct, dtype=float)
        self.counts = np.asarray(counts, dtype=np.int64)

    @classmethod
    def from_counts(cls, counts: Mapping[tuple[float, ...], int], width: int) -> CountedRows:
        """From a mapping of row (a tuple of ``width`` numbers) to its number of occurrences."""
        rows = np.array(list(counts), dtype=float).reshape(-1, width)
        freq = np.array(list(counts.values()), dtype=np.int64)
        if not len(rows):
            return cls(rows, freq)
        distinct, inverse = np.unique(rows, axis=0, return_inverse=True)
        total = np.zeros(len(distinct), dtype=np.int64)
        np.add.at(total, inverse.ravel(), freq)
        return cls(distinct, total)

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.counts.sum()), self.distinct.shape[1])

    def __len__(self) -> int:
        return self.shape[0]

    def sum(self, axis: int = 0) -> np.ndarray:
        """Column sums (``axis`` 0 only), as of the expanded rows."""
        if axis != 0:
            raise ValueError("CountedRows sums over rows only (axis=0)")
        return self.counts.astype(float) @ self.distinct

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = np.repeat(self.distinct, self.counts, axis=0)
        return out if dtype is None else out.astype(dtype)


def _as_units(units: Any) -> Any:
    """``units`` as a float array, or as they are when they are :class:`CountedRows`."""
    return units if isinstance(units, CountedRows) else np.asarray(units, dtype=float)


def _chunks(total: int, n_units: int) -> Iterator[int]:
    """Chunk sizes (in rows of ``n_units`` draws) that add up to ``total``."""
    step = max(1, CHUNK_ELEMENTS // max(1, n_units))
    done = 0
    while done < total:
        size = min(step, total - done)
        yield size
        done += size


def resample_sums(
    units: np.ndarray, n_resamples: int, seed: int, method: str = "index"
) -> np.ndarray:
    """Summed count vectors of ``n_resamples`` bootstrap resamples of the rows of ``units``."""
    if method not in METHODS:
        raise ValueError(f"unknown bootstrap method {method!r}; choose one of {', '.join(METHODS)}")
    rng = np.random.default_rng(seed)
    if method == "multinomial":
        if isinstance(units, CountedRows):
            distinct, freq = units.distinct, units.counts
        else:
            distinct, freq = np.unique(np.asarray(units, dtype=float), axis=0, return_counts=True)
        n = int(freq.sum())
        picks = rng.multinomial(n, freq / n, size=n_resamples)
        return picks.astype(float) @ distinct
    units = np.asarray(units, dtype=float)
    n, k = units.shape
    out = np.empty((n_resamples, k))
    row = 0
    for picks in _index_picks(rng, n, n_resamples):
        out[row : row + len(picks)] = picks.astype(float) @ units
        row += len(picks)
    return out


def _index_picks(rng: np.random.Generator, n: int, n_resamples: int) -> Iterator[np.ndarray]:
    """Chunks of (resamples x units) draw counts of ``index`` resampling from ``rng``."""
    for size in _chunks(n_resamples, n):
        idx = rng.integers(0, n, size=(size, n))
        # how often each unit is drawn in each resample
        flat = (idx + (np.arange(size) * n)[:, None]).ravel()
        yield np.bincount(flat, minlength=size * n).reshape(size, n)


def resample_picks(n_units: int, n_resamples: int, seed: int) -> Iterator[np.ndarray]:
    """How many times each unit is drawn in each ``index`` resample, one chunk of resamples at a
    time: the draws of :func:`resample_sums` with the same seed, for a metric that is not a
    function of summed rows (or whose rows are too wide to sum densely, such as one column per
    fact of the corpus)."""
    yield from _index_picks(np.random.default_rng(seed), n_units, n_resamples)


def _interval(values: np.ndarray, confidence: float) -> tuple[float | None, float | None]:
    values = values[~np.isnan(values)]
    if values.size == 0:
        return None, None
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(values, [alpha, 1 - alpha])
    return round(float(lo), 6), round(float(hi), 6)


def bootstrap_ci(
    units: np.ndarray,
    metric: MetricFn,
    n_resamples: int = 1000,
    seed: int = 12345,
    confidence: float = 0.95,
    method: str = "index",
) -> tuple[float | None, float | None]:
    """Percentile bootstrap interval of ``metric(units.sum(0))``; (None, None) when undefined."""
    units = _as_units(units)
    if units.shape[0] == 0:
        return None, None
    return _interval(
        np.asarray(metric(resample_sums(units, n_resamples, seed, method))), confidence
    )


def bootstrap_cis(
    units: np.ndarray,
    metrics: MetricsFn,
    names: Sequence[str],
    n_resamples: int = 1000,
    seed: int = 12345,
    confidence: float = 0.95,
    method: str = "index",
) -> dict[str, tuple[float | None, float | None]]:
    """:func:`bootstrap_ci` of several metrics from one set of resamples.

    Equal, metric by metric, to calling :func:`bootstrap_ci` for each with the same seed (each
    call would draw the same resamples), at the cost of one.
    """
    units = _as_units(units)
    if units.shape[0] == 0:
        return dict.fromkeys(names, (None, None))
    values = metrics(resample_sums(units, n_resamples, seed, method))
    return {k: _interval(np.asarray(values[k], dtype=float), confidence) for k in names}


def paired_bootstrap(
    a: np.ndarray, b: np.ndarray, metric: MetricFn, n_resamples: int = 1000, seed: int = 12345
) -> float | None:
    """p-value that systems ``a`` and ``b`` (same units, same order) differ on ``metric``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    observed = abs(float(metric(a.sum(0))) - float(metric(b.sum(0))))
    if np.isnan(observed):
        return None
    # one index draw resamples both systems' rows: resample the rows of [a | b]
    sums = resample_sums(np.hstack([a, b]), n_resamples, seed)
    k = a.shape[1]
    diffs = np.abs(metric(sums[:, :k]) - metric(sums[:, k:]))
    diffs = diffs[~np.isnan(diffs)]
    if diffs.size == 0:
        return None
    stats = diffs - diffs.mean()
    # ties count against significance (sacreBLEU counts only ">"): a system against itself gets 1
    return round(float((np.sum(stats >= observed - 1e-12) + 1) / (diffs.size + 1)), 6)


def approximate_randomization(
    a: np.ndarray, b: np.ndarray, metric: MetricFn, trials: int = 10000, seed: int = 12345
) -> tuple[float | None, bool]:
    """(p-value, exact?) of the two-sided paired randomization test on ``metric``.

    Trials are drawn and evaluated in chunks (the same random stream as one draw), so memory is
    one chunk of trials x units, not the whole matrix. A trial's sums are computed as
    ``a.sum(0) + swap @ (b - a)``: the same integers as summing the swapped rows.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = a.shape[0]
    observed = abs(float(metric(a.sum(0))) - float(metric(b.sum(0))))
    if np.isnan(observed):
        return None, False
    exact = 2**n <= trials
    total_a, total_b, delta = a.sum(0), b.sum(0), b - a
    rng = np.random.default_rng(seed)

    def swaps() -> Iterator[np.ndarray]:
        if exact:
            yield np.array(list(itertools.product([False, True], repeat=n)), dtype=bool)
            return
        for size in _chunks(trials, n):
            yield rng.integers(0, 2, size=(size, n)).astype(bool)

    reached = defined = 0
    for swap in swaps():
        moved = swap.astype(float) @ delta
        diffs = np.abs(metric(total_a + moved) - metric(total_b - moved))
        diffs = diffs[~np.isnan(diffs)]
        defined += diffs.size
        reached += int(np.sum(diffs >= observed - 1e-12))
    if defined == 0:
        return None, exact
    # exact: every assignment, the observed one included, so no +1 smoothing is needed
    p = reached / defined if exact else (reached + 1) / (defined + 1)
    return round(float(p), 6), exact


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


def verdict(p: float | None, alpha: float = 0.05) -> str:
    """The verdict on an (adjusted) p-value: "significant" below ``alpha``, "not significant",
    or "undefined" where the test has no p-value (the metric undefined for a system)."""
    return "undefined" if p is None else ("significant" if p < alpha else "not significant")


def randomization_row(
    scope: str,
    names: tuple[str, str],
    a: np.ndarray,
    b: np.ndarray,
    metric: MetricFn,
    trials: int,
    seed: int,
) -> dict[str, Any]:
    """One paired comparison of two systems, ``names``, on ``metric`` of their summed counts:
    ``a`` and ``b`` hold one row of counts per document (the same documents, in order). Each
    value is rounded to 6 places (None where undefined), beside :func:`approximate_randomization`'s
    p-value and whether the test was exact; :func:`with_holm` adds the adjusted p-value."""
    va, vb = float(metric(a.sum(0))), float(metric(b.sum(0)))
    p, exact = approximate_randomization(a, b, metric, trials, seed)
    return {"scope": scope, "a": names[0], "b": names[1], "documents": len(a),
            "a_value": None if np.isnan(va) else round(va, 6),
            "b_value": None if np.isnan(vb) else round(vb, 6),
            "p_randomization": p, "exact": exact}  # fmt: skip


def with_holm(rows: list[dict[str, Any]], alpha: float = 0.05) -> list[dict[str, Any]]:
    """``rows`` of :func:`randomization_row`, each given ``p_holm`` (:func:`holm` over all of
    them) and its :func:`verdict` at ``alpha``."""
    for row, adj in zip(rows, holm([r["p_randomization"] for r in rows]), strict=True):
        row["p_holm"] = adj
        row["verdict"] = verdict(adj, alpha)
    return rows


def holm_by_family(pvalues: Sequence[float | None], families: Sequence[str]) -> list[float | None]:
    """:func:`holm` within each family (rows sharing a family name), in the input order.

    Why: secondary tests (the parts of a metric already tested) must not weaken the correction of
    the primary ones, nor be hidden by it; each family is corrected for its own multiplicity.
    """
    if len(pvalues) != len(families):
        raise ValueError("one family name per p-value")
    adjusted: list[float | None] = [None] * len(pvalues)
    for name in dict.fromkeys(families):
        idx = [i for i, f in enumerate(families) if f == name]
        for i, p in zip(idx, holm([pvalues[i] for i in idx]), strict=True):
            adjusted[i] = p
    return adjusted
