"""One block's metrics (scalar counts) are the same numbers as the vectorized path gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from harness.scoring import metrics as M
from harness.scoring.setlevel import SET_COUNTS, set_metrics

_COUNT = st.integers(0, 50)
_FLOAT = st.integers(0, 5000).map(lambda n: n / 7)  # sums of F1 scores, say


def _same(a: object, b: object) -> bool:
    """Equal as floats, bit for bit, NaN equal to NaN."""
    x, y = float(a), float(b)  # type: ignore[arg-type]
    return (np.isnan(x) and np.isnan(y)) or x.hex() == y.hex()


def _check(metrics, row: list[float]) -> None:
    one = metrics(np.array(row, dtype=float))
    rows = metrics(np.array([row, row], dtype=float))
    assert one.keys() == rows.keys()
    for k in one:
        assert np.ndim(one[k]) == 0, k
        assert _same(one[k], rows[k][0]), (k, one[k], rows[k][0])


@given(st.lists(_COUNT, min_size=len(M.CLAIM_COUNTS), max_size=len(M.CLAIM_COUNTS)))
def test_claim_metrics_of_one_block_equal_those_of_a_matrix_row(row):
    _check(M.claim_metrics, row)


@given(st.lists(_COUNT, min_size=len(M.TIMEX_COUNTS), max_size=len(M.TIMEX_COUNTS)))
def test_timex_metrics_of_one_block_equal_those_of_a_matrix_row(row):
    _check(M.timex_metrics, row)


@given(st.lists(_FLOAT, min_size=len(SET_COUNTS), max_size=len(SET_COUNTS)))
def test_set_metrics_of_one_block_equal_those_of_a_matrix_row(row):
    _check(set_metrics, row)


def test_scalar_division_keeps_the_undefined_value_and_refuses_no_denominator():
    assert M._div(3, 4, 0.0) == 0.75
    assert M._div(3, 0, 0.0) == 0.0
    assert np.isnan(M._div(np.float64(1), np.float64(0), np.nan))
    assert np.isnan(M._div(1.0, float("nan"), np.nan))  # no denominator: undefined, as for arrays
    assert np.isnan(M._div(np.array([1.0]), np.array([np.nan]), np.nan))[0]
    block = M.claim_block(dict.fromkeys(M.CLAIM_COUNTS, 0))
    assert block["precision"] == 0.0 and block["date_accuracy"] is None
    assert block["zero_division"] == ["precision", "recall", "f1"]
