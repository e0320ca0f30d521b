"""Bootstrap intervals, paired tests and Holm's correction on hand-checkable inputs."""

from __future__ import annotations

import numpy as np
import pytest

from harness.scoring.stats import approximate_randomization, bootstrap_ci, holm, paired_bootstrap


def _mean(x):
    return x[..., 0] / x[..., 1]


def test_holm_adjusts_step_down_and_keeps_order():
    # sorted p: 0.01, 0.02, 0.04 -> 3*0.01, max(0.03, 2*0.02), max(0.04, 1*0.04)
    assert holm([0.04, 0.01, 0.02]) == [0.04, 0.03, 0.04]
    assert holm([0.5, None, 0.9]) == [1.0, None, 1.0]


def test_holm_by_family_adjusts_each_family_alone_in_input_order():
    from harness.scoring.stats import holm_by_family

    # primary: 0.04, 0.01 -> 2*0.01 = 0.02, max(0.02, 0.04) = 0.04; parts: 0.02 alone stays
    assert holm_by_family([0.04, 0.02, 0.01], ["p", "q", "p"]) == [0.04, 0.02, 0.02]
    assert holm_by_family([0.04, 0.02, 0.01], ["p", "p", "p"]) == [0.04, 0.04, 0.03]
    with pytest.raises(ValueError):
        holm_by_family([0.1], [])


def test_bootstrap_interval_is_reproducible_for_a_seed_and_contains_the_estimate():
    units = np.array([[1, 1], [0, 1], [1, 1], [1, 1], [0, 1]], dtype=float)
    a = bootstrap_ci(units, _mean, 500, seed=3)
    assert a == bootstrap_ci(units, _mean, 500, seed=3)
    assert a[0] <= 0.6 <= a[1]
    assert bootstrap_ci(np.zeros((0, 2)), _mean) == (None, None)


def test_exact_randomization_enumerates_all_swaps():
    a = np.array([[1, 1]] * 5, dtype=float)
    b = np.array([[0, 1]] * 5, dtype=float)
    p, exact = approximate_randomization(a, b, _mean, trials=1000)
    # only "swap none" and "swap all" reach |delta| = 1: 2/32
    assert exact and p == pytest.approx(2 / 32)


def test_identical_systems_are_not_significant():
    a = np.array([[1, 2], [0, 2], [2, 2]], dtype=float)
    p_ar, _ = approximate_randomization(a, a, _mean, trials=100)
    assert p_ar == 1.0
    assert paired_bootstrap(a, a, _mean, 200) > 0.5


def test_paired_rows_carry_both_values_the_test_and_holm_over_all_rows():
    from harness.scoring.stats import randomization_row, verdict, with_holm

    a = np.array([[1, 1]] * 5, dtype=float)  # accuracy 1.0 on five documents
    b = np.array([[0, 1]] * 5, dtype=float)  # accuracy 0.0
    c = np.array([[1, 3]] * 5, dtype=float)  # 1/3: shown rounded to 6 places
    undefined = np.zeros((5, 2))  # 0/0 on every document: no value, no test
    with np.errstate(invalid="ignore"):  # 0/0 is the undefined value here
        rows = with_holm([
            randomization_row("all", ("x", "y"), a, b, _mean, 1000, 1),
            randomization_row("outlet AP", ("x", "z"), a, c, _mean, 1000, 1),
            randomization_row("all", ("x", "w"), a, undefined, _mean, 1000, 1),
        ])  # fmt: skip
    assert rows[0] == {"scope": "all", "a": "x", "b": "y", "documents": 5, "a_value": 1.0,
                       "b_value": 0.0, "p_randomization": 0.0625, "exact": True,
                       "p_holm": 0.125, "verdict": "not significant"}  # fmt: skip
    assert rows[1]["b_value"] == 0.333333 and rows[1]["p_holm"] == 0.125
    assert rows[2]["b_value"] is None and rows[2]["p_randomization"] is None
    assert (rows[2]["p_holm"], rows[2]["verdict"]) == (None, "undefined")
    # the verdict is strict at alpha
    assert [verdict(p) for p in (0.0499, 0.05, None)] == [
        "significant",
        "not significant",
        "undefined",
    ]
    assert verdict(0.02, alpha=0.01) == "not significant"


def test_power_note_says_no_test_can_be_significant_only_when_that_is_true():
    from harness.scoring.summary import _power_note

    five = _power_note(5, 0.05)
    assert "0.0625" in five and "no difference between systems can be significant" in five
    many = _power_note(32, 0.05)
    assert "4.657e-10" in many and "can be significant" not in many


def test_counted_rows_bootstrap_as_the_expanded_rows():
    """Distinct rows with their numbers give the multinomial bootstrap of the rows themselves."""
    from collections import Counter

    from harness.scoring.stats import CountedRows, bootstrap_cis

    rng = np.random.default_rng(2)
    rows = rng.integers(0, 3, size=(500, 3)).astype(float)
    counted = CountedRows.from_counts(Counter(map(tuple, rows.tolist())), 3)
    assert counted.shape == rows.shape and len(counted) == 500
    assert np.array_equal(counted.sum(0), rows.sum(0))
    assert sorted(map(tuple, np.asarray(counted).tolist())) == sorted(map(tuple, rows.tolist()))

    def share(x):
        return {"a": x[..., 0] / np.maximum(x[..., 1], 1)}

    for method in ("multinomial", "index"):
        expanded = np.asarray(counted)  # the index bootstrap sees rows in the sorted order
        assert bootstrap_cis(counted, share, ["a"], 200, 7, method=method) == bootstrap_cis(
            expanded, share, ["a"], 200, 7, method=method
        )
    assert bootstrap_cis(counted, share, ["a"], 200, 7, method="multinomial") == bootstrap_cis(
        rows, share, ["a"], 200, 7, method="multinomial"
    )
    empty = CountedRows.from_counts(Counter(), 3)
    assert empty.shape == (0, 3)
    assert bootstrap_cis(empty, share, ["a"], 10, 1) == {"a": (None, None)}


@pytest.mark.parametrize("n_units", [7, 999, 2001])
def test_chunk_size_changes_the_memory_not_the_draws(monkeypatch, n_units):
    """Resamples are drawn a chunk at a time (CHUNK_ELEMENTS draws): any chunk size gives the
    same draws for a seed, so the intervals do not depend on it."""
    from harness.scoring import stats

    units = np.random.default_rng(0).integers(0, 5, size=(n_units, 4)).astype(float)
    seen = []
    for chunk in (1 << 22, 1 << 20, 12_345, 1):
        monkeypatch.setattr(stats, "CHUNK_ELEMENTS", chunk)
        sums = stats.resample_sums(units, 200, 12345)
        picks = np.concatenate(list(stats.resample_picks(n_units, 200, 12345)))
        seen.append((sums, picks))
    for sums, picks in seen[1:]:
        assert np.array_equal(sums, seen[0][0]) and np.array_equal(picks, seen[0][1])
    assert seen[0][1].shape == (200, n_units) and (seen[0][1].sum(1) == n_units).all()
