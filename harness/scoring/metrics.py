"""Metric definitions: raw counts per document, and the ratios derived from them.

Counts are kept raw (true positives, predictions, gold claims, ...) per document and summed for
micro averages, per-outlet tables and bootstrap resamples; ratios are derived last. Every formula
is in METRICS.md with a worked example, and the same examples are tests.

Undefined ratios: precision with no predictions, recall with no gold claims and F1 with P + R = 0
are reported as 0.0 (scikit-learn's ``zero_division=0``) and flagged in ``zero_division``;
accuracies over an empty set (no matched dated pair, no matched pair) are reported as ``None``
with their ``n`` = 0.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Mapping

import numpy as np

from harness.gold import timex as tx

CLAIM_COUNTS = (
    "n_gold",
    "n_pred",
    "tp",
    "n_dated",  # matched pairs whose gold claim has a date
    "date_correct",  # ... whose predicted date equals the gold value (strict)
    "date_relaxed",  # ... whose predicted date's interval overlaps the gold value's
    "n_dated_gold",  # gold claims with a date (matched or not)
    "claimant_correct",  # matched pairs whose claimant agrees
)
TIMEX_COUNTS = (
    "n_gold",
    "n_pred",
    "strict_pred",  # predicted timexes with a gold timex of exactly the same extent
    "strict_gold",  # gold timexes with a predicted timex of exactly the same extent
    "relaxed_pred",  # predicted timexes overlapping some gold timex
    "relaxed_gold",  # gold timexes overlapping some predicted timex
    "value_correct",  # relaxed-matched gold timexes whose partner's value is equal
    "type_correct",  # relaxed-matched gold timexes whose partner's type is equal
)
CLAIM_METRICS = (
    "precision",
    "recall",
    "f1",
    "date_accuracy",
    "date_accuracy_relaxed",
    "date_recall",
    "claimant_accuracy",
)
TIMEX_METRICS = (
    "strict_precision",
    "strict_recall",
    "strict_f1",
    "relaxed_precision",
    "relaxed_recall",
    "relaxed_f1",
    "value_accuracy",
    "value_f1",
    "type_accuracy",
)

AUTHOR = "<AUTHOR>"
CLAIMANT_THRESHOLD = 0.5
_ARTICLES = {"the", "a", "an"}


def _div(num: np.ndarray, den: np.ndarray, undefined: float) -> np.ndarray:
    """``num / den`` element-wise, ``undefined`` where ``den`` is not positive.

    One block's counts are scalars, and are divided as Python floats (the same IEEE division, so
    the same result as the array path, without its overhead: a document's block is made in
    microseconds, not a quarter of a millisecond).
    """
    if np.ndim(num) == 0 and np.ndim(den) == 0:
        d = float(den)
        return np.float64(float(num) / d if d > 0 else undefined)  # type: ignore[return-value]
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), undefined)
    return out


def _f1(p: np.ndarray, r: np.ndarray) -> np.ndarray:
    return _div(2 * p * r, p + r, 0.0)


def claim_metrics(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Claim metrics from count vectors (last axis ordered as CLAIM_COUNTS); NaN = undefined."""
    c = {k: np.asarray(counts)[..., i] for i, k in enumerate(CLAIM_COUNTS)}
    p = _div(c["tp"], c["n_pred"], 0.0)
    r = _div(c["tp"], c["n_gold"], 0.0)
    return {
        "precision": p,
        "recall": r,
        "f1": _f1(p, r),
        "date_accuracy": _div(c["date_correct"], c["n_dated"], np.nan),
        "date_accuracy_relaxed": _div(c["date_relaxed"], c["n_dated"], np.nan),
        "date_recall": _div(c["date_correct"], c["n_dated_gold"], np.nan),
        "claimant_accuracy": _div(c["claimant_correct"], c["tp"], np.nan),
    }


def timex_metrics(counts: np.ndarray) -> dict[str, np.ndarray]:
    """TempEval-3 timex metrics from count vectors (last axis ordered as TIMEX_COUNTS)."""
    c = {k: np.asarray(counts)[..., i] for i, k in enumerate(TIMEX_COUNTS)}
    sp = _div(c["strict_pred"], c["n_pred"], 0.0)
    sr = _div(c["strict_gold"], c["n_gold"], 0.0)
    rp = _div(c["relaxed_pred"], c["n_pred"], 0.0)
    rr = _div(c["relaxed_gold"], c["n_gold"], 0.0)
    rf = _f1(rp, rr)
    va = _div(c["value_correct"], c["relaxed_gold"], np.nan)
    return {
        "strict_precision": sp,
        "strict_recall": sr,
        "strict_f1": _f1(sp, sr),
        "relaxed_precision": rp,
        "relaxed_recall": rr,
        "relaxed_f1": rf,
        "value_accuracy": va,
        "value_f1": np.where(np.isnan(va), 0.0, va) * rf,
        "type_accuracy": _div(c["type_correct"], c["relaxed_gold"], np.nan),
    }


def _scalar(x: np.ndarray) -> float | None:
    v = float(x)
    return None if math.isnan(v) else round(v, 6)


def claim_block(counts: Mapping[str, int]) -> dict[str, object]:
    """One JSON metric block: the metrics, their raw counts, and zero-division flags."""
    vec = np.array([counts[k] for k in CLAIM_COUNTS], dtype=float)
    m = claim_metrics(vec)
    block: dict[str, object] = {k: _scalar(m[k]) for k in CLAIM_METRICS}
    block.update({k: int(counts[k]) for k in CLAIM_COUNTS})
    flags = []
    if counts["n_pred"] == 0:
        flags.append("precision")
    if counts["n_gold"] == 0:
        flags.append("recall")
    if counts["tp"] == 0:
        flags.append("f1")
    block["zero_division"] = flags
    return block


def timex_block(counts: Mapping[str, int]) -> dict[str, object]:
    vec = np.array([counts[k] for k in TIMEX_COUNTS], dtype=float)
    m = timex_metrics(vec)
    block: dict[str, object] = {k: _scalar(m[k]) for k in TIMEX_METRICS}
    block.update({k: int(counts[k]) for k in TIMEX_COUNTS})
    return block


# --- verdicts -----------------------------------------------------------------------------------


def claimant_tokens(name: str | None) -> list[str]:
    """Normalized claimant tokens: case-folded words without articles; ``<AUTHOR>`` kept whole."""
    return [] if name is None else list(_claimant_tokens(name))


@functools.lru_cache(maxsize=65536)  # pure; a corpus names the same few claimants again and again
def _claimant_tokens(name: str) -> tuple[str, ...]:
    if name.strip().upper() == AUTHOR:
        return (AUTHOR,)
    words = re.findall(r"\w+", name.replace("’", "'").casefold())
    return tuple(w for w in words if w not in _ARTICLES)


@functools.lru_cache(maxsize=65536)  # pure, over a few distinct claimant pairs
def claimant_f1(pred: str | None, gold: str | None) -> float:
    """Bag-of-words token F1 between two normalized claimants (0.0 when either is empty)."""
    a, b = Counter(claimant_tokens(pred)), Counter(claimant_tokens(gold))
    if not a or not b:
        return 0.0
    common = sum((a & b).values())
    return 2 * common / (sum(a.values()) + sum(b.values()))


def claimant_correct(pred: str | None, gold: str | None) -> bool:
    """Token F1 >= 0.5; ``<AUTHOR>`` only agrees with ``<AUTHOR>`` (its F1 with a name is 0)."""
    return claimant_f1(pred, gold) >= CLAIMANT_THRESHOLD


def date_verdict(pred: str | None, gold: str | None, dct: str | None) -> str:
    """``undated`` (gold has no date), ``missing``, ``invalid``, ``correct``, ``relaxed`` or ``wrong``.

    ``relaxed`` is strictly wrong but overlapping; it counts for relaxed accuracy only.
    """
    if gold is None:
        return "undated"
    if pred is None or not pred.strip():
        return "missing"
    if not tx.is_valid(pred):
        return "invalid"
    if tx.equal(pred, gold):
        return "correct"
    if tx.overlap(pred, gold, dct):
        return "relaxed"
    return "wrong"
