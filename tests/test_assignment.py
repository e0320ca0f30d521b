"""The assignment on candidate columns (harness/scoring/assignment.py) against the whole matrix."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from harness.extraction.api import PredictedClaim
from harness.scoring.assignment import (
    Candidates,
    Nearest,
    assign,
    canonical_order,
    top_candidates,
)


@st.composite
def matrices(draw):
    """Small similarity matrices drawn from a few levels, so that ties are common."""
    n_g = draw(st.integers(1, 5))
    n_p = draw(st.integers(1, 25))
    levels = st.sampled_from([0.0, 0.2, 0.5, 0.5, 0.7, 1.0])
    primary = np.array(draw(st.lists(levels, min_size=n_g * n_p, max_size=n_g * n_p)))
    secondary = np.array(draw(st.lists(levels, min_size=n_g * n_p, max_size=n_g * n_p)))
    return primary.reshape(n_g, n_p), secondary.reshape(n_g, n_p)


def _total(primary, secondary, threshold, pairs):
    return sum(primary[p.gold, p.pred] + 1e-6 * secondary[p.gold, p.pred] for p in pairs)


@settings(max_examples=300, deadline=None)
@given(matrices(), st.sampled_from([0.3, 0.5, 0.6]), st.integers(1, 6))
def test_candidates_reach_the_optimum_of_the_whole_matrix_and_chunks_change_nothing(m, t, chunk):
    primary, secondary = m
    n_g, n_p = primary.shape
    threshold = np.full_like(primary, t)
    basis = np.full(primary.shape, "span", dtype=object)
    pairs = assign(primary, secondary, threshold, basis, range(n_p))
    # the whole matrix, solved directly: the same optimal total weight
    eligible = primary >= threshold - 1e-12
    weight = np.where(eligible, primary + 1e-6 * secondary, 0.0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    assert _total(primary, secondary, threshold, pairs) == pytest.approx(weight[rows, cols].sum())
    assert all(eligible[p.gold, p.pred] for p in pairs)
    assert len({p.pred for p in pairs}) == len(pairs) == len({p.gold for p in pairs})
    # the same columns offered a chunk at a time keep the same candidates and the same pairs
    cand = Candidates(n_g)
    for at in range(0, n_p, chunk):
        sl = slice(at, at + chunk)
        cols_here = np.arange(n_p)[sl]
        cand.add(primary[:, sl], secondary[:, sl], threshold[:, sl], basis[:, sl], cols_here,
                 cols_here)  # fmt: skip
    assert cand.solve() == pairs


def test_top_candidates_keep_each_rows_heaviest_eligible_columns_earlier_first_on_ties():
    weight = np.array([[0.9, 0.5, 0.5, 0.5, 0.0], [0.1, 0.1, 0.8, 0.0, 0.2]])
    eligible = weight > 0
    keep = top_candidates(weight, eligible, np.array([0, 1, 2, 3, 4]), 2)
    # row 0: 0.9 (col 0) and the first 0.5 (col 1); row 1: 0.8 (col 2) and 0.2 (col 4)
    assert keep.tolist() == [True, True, True, False, True]
    # positions decide ties, not column order: col 3 first in canonical order wins over col 1
    keep = top_candidates(weight[:1], eligible[:1], np.array([0, 5, 6, 1, 2]), 2)
    assert keep.tolist() == [True, False, False, True, False]


def test_canonical_order_is_the_stable_sort_on_the_key_tuples():
    def key(p):
        return (p.start is None, -1 if p.start is None else p.start,
                -1 if p.end is None else p.end, " ".join(p.text.split()).casefold(),
                p.claimant or "", p.date or "", p.date_text or "",
                -1.0 if p.confidence is None else p.confidence, p.text)  # fmt: skip

    rng = np.random.default_rng(3)
    texts = ["A b", "a  B", "b", "Zeta", "a b."]
    preds = []
    for _ in range(300):
        s = int(rng.integers(0, 4))
        spanless = rng.random() < 0.2
        preds.append(PredictedClaim(
            "d", str(rng.choice(texts)), None if spanless else s, None if spanless else s + 3,
            claimant=[None, "x", "y"][int(rng.integers(0, 3))],
            date=[None, "2019"][int(rng.integers(0, 2))],
            confidence=[None, 0.5, 0.25][int(rng.integers(0, 3))],
        ))  # fmt: skip
    assert canonical_order(preds) == sorted(range(len(preds)), key=lambda i: key(preds[i]))
    assert canonical_order([]) == []
    # both ways (tuples up to SMALL_SORT predictions, lexsort beyond) give that order
    import harness.scoring.assignment as A

    for small in (0, 10**6):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(A, "SMALL_SORT", small)
            for n in (1, 2, 13, 40, 300):
                some = preds[:n]
                assert canonical_order(some) == sorted(range(n), key=lambda i: key(some[i]))


def test_canonical_order_with_a_nan_confidence_is_the_lexsort_order():
    """NaN orders under no comparison, so a tuple sort would depend on the input order; the
    small-input sort leaves such a document to ``lexsort``, whichever its size."""
    import harness.scoring.assignment as A

    preds = [PredictedClaim("d", t, 0, 3, confidence=c)
             for t, c in (("b", 0.5), ("a", float("nan")), ("a", 0.25), ("c", None))]  # fmt: skip
    small = canonical_order(preds)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(A, "SMALL_SORT", 0)
        assert canonical_order(preds) == small
    assert small == [2, 1, 0, 3]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 4), st.floats(0, 1), st.integers(0, 2)), max_size=20))
def test_nearest_columns_are_its_items_read_one_by_one(items):
    gold, sim, basis = (np.array(x) for x in zip(*items, strict=True)) if items else ([], [], [])
    near = Nearest(np.asarray(gold, dtype=np.int32), np.asarray(sim, dtype=float),
                   np.asarray(basis, dtype=np.int8))  # fmt: skip
    columns = near.columns()
    assert list(zip(*columns, strict=True)) == [near[i] for i in range(len(near))]
    assert all(type(v) is float for v in columns[1])
    assert all(g is None or type(g) is int for g in columns[0])
