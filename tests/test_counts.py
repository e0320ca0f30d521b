"""CountTable: per-document counts in an array, read back as the dicts they were."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.scoring import metrics as M
from harness.scoring.counts import CountTable, count_matrix, count_totals, defined_rows
from harness.scoring.setlevel import SET_COUNTS, SET_METRICS, set_block, set_metrics

KEYS = ("n_gold", "n_pred", "tp")


@given(st.lists(st.tuples(*[st.integers(0, 10**6)] * 3), min_size=0, max_size=30))
def test_a_table_reads_back_every_document_as_the_dicts_would(rows):
    plain = {f"d{i}": dict(zip(KEYS, r, strict=True)) for i, r in enumerate(rows)}
    table = CountTable(KEYS)
    for d, c in plain.items():
        table.add(d, {k: c[k] for k in reversed(KEYS)})  # any key order
    assert dict(table) == plain and list(table) == list(plain)
    assert all(type(v) is int for c in table.values() for v in c.values())
    ids = list(plain)[::-1]
    expect = np.array([[plain[d][k] for k in KEYS] for d in ids], dtype=float).reshape(-1, 3)
    assert np.array_equal(count_matrix(table, ids, KEYS), expect)
    assert np.array_equal(count_matrix(plain, ids, KEYS), expect)
    assert count_totals(table, None, KEYS) == count_totals(plain, None, KEYS)
    assert count_totals(table, ids[:2], KEYS) == {
        k: sum(plain[d][k] for d in ids[:2]) for k in KEYS
    }


def test_float_counts_stay_floats_and_exact():
    table = CountTable(("pairs", "f1_sum"), "d")
    table.add("a", {"pairs": 3, "f1_sum": 0.1 + 0.2})
    assert table["a"] == {"pairs": 3.0, "f1_sum": 0.1 + 0.2}
    assert type(table["a"]["pairs"]) is float
    assert table.matrix().tolist() == [[3.0, 0.1 + 0.2]]


def test_an_empty_table_gives_an_empty_matrix_with_its_columns():
    table = CountTable(KEYS)
    assert table.matrix().shape == (0, 3) and table.matrix([]).shape == (0, 3)
    assert count_totals(table, None, KEYS) == dict.fromkeys(KEYS, 0)
    with pytest.raises(KeyError, match="nope"):
        table.matrix(["nope"])


def test_bad_rows_are_refused_naming_the_document_and_the_count():
    table = CountTable(KEYS)
    table.add("a", dict.fromkeys(KEYS, 1))
    with pytest.raises(ValueError, match="'a' added twice"):
        table.add("a", dict.fromkeys(KEYS, 1))
    with pytest.raises(ValueError, match=r"b: unknown count.*extra"):
        table.add("b", {**dict.fromkeys(KEYS, 1), "extra": 2})
    with pytest.raises(KeyError, match="tp"):
        table.add("c", {"n_gold": 1, "n_pred": 1})
    assert list(table) == ["a"] and len(table.matrix()) == 1  # nothing half-added
    with pytest.raises(KeyError):
        table["b"]
    with pytest.raises(ValueError, match="typecode"):
        CountTable(KEYS, "f")


def test_document_blocks_are_made_when_read_and_written_as_the_plain_dict(tmp_path):
    import io
    import json

    from harness.reporting import tables as report
    from harness.scoring.counts import DocumentBlocks

    table = CountTable(KEYS)
    for i in range(3):
        table.add(f"d{i}", {"n_gold": i, "n_pred": 2 * i, "tp": i // 2})
    made = []

    def block(c):
        made.append(c["n_gold"])
        return {"f": c["tp"] / c["n_pred"] if c["n_pred"] else None, **c}

    blocks = DocumentBlocks(table, ["d2", "d0", "d1"], block)
    assert made == [] and len(blocks) == 3 and list(blocks) == ["d2", "d0", "d1"]
    plain = {d: block(table[d]) for d in ("d2", "d0", "d1")}
    assert blocks == plain and blocks["d2"] is not blocks["d2"]  # a fresh dict at each read
    some = DocumentBlocks(table, ["d1"], block)
    assert "d1" in some and "d0" not in some and "d0" in blocks
    with pytest.raises(KeyError):
        some["d0"]
    summary = {
        "overall": {"f": 0.5},
        "per_document": blocks,
        "empty": DocumentBlocks(table, [], block),
    }
    expect = json.dumps(
        {**summary, "per_document": plain, "empty": {}}, indent=2, ensure_ascii=False
    )
    assert report.dumps(summary) == expect + "\n"
    fh = io.StringIO()
    report.dump(summary, fh)
    assert fh.getvalue() == expect + "\n"
    # json itself refuses it rather than write it wrongly
    with pytest.raises(TypeError, match="DocumentBlocks"):
        json.dumps(summary)
    with pytest.raises(TypeError, match="not JSON serializable"):
        report.dumps({"x": object()})


def test_totals_of_each_document_alone_are_linear_in_the_documents():
    """A summary totals every outlet's documents, and an article of unknown outlet is an outlet
    of its own: each of those totals took time in the whole table (it built the list of every
    row to compare with), so 10,000 such documents took 100 times what 1,000 took."""
    from tests.test_linear_time import assert_linear

    def work(n: int):
        table = CountTable(KEYS)
        ids = [f"d{i}" for i in range(n // 10)]
        for d in ids:
            table.add(d, dict.fromkeys(KEYS, 1))
        return lambda: [count_totals(table, [d], KEYS) for d in ids]

    assert_linear(work)


def _block_values(blocks, names):
    return {k: [b[k] for b in blocks if b[k] is not None] for k in names}


# small counts, so that zero denominators (undefined metrics) and equal ratios are common
_CLAIM_ROWS = st.lists(st.tuples(*[st.integers(0, 4)] * len(M.CLAIM_COUNTS)), max_size=25)
_SET_ROWS = st.lists(
    st.tuples(*[st.integers(0, 4) if k != "claimant_f1_sum" else
                st.floats(0, 4, allow_nan=False) for k in SET_COUNTS]),
    max_size=25,
)  # fmt: skip


@given(_CLAIM_ROWS)
def test_macro_values_from_the_count_matrix_are_the_per_document_blocks_values(rows):
    matrix = np.array(rows, dtype=float).reshape(-1, len(M.CLAIM_COUNTS))
    blocks = [M.claim_block(dict(zip(M.CLAIM_COUNTS, r, strict=True))) for r in rows]
    got = defined_rows(M.claim_metrics(matrix), M.CLAIM_METRICS)
    assert got == _block_values(blocks, M.CLAIM_METRICS)


@given(_SET_ROWS)
def test_set_macro_values_from_the_count_matrix_are_the_per_document_blocks_values(rows):
    matrix = np.array(rows, dtype=float).reshape(-1, len(SET_COUNTS))
    blocks = [set_block(dict(zip(SET_COUNTS, r, strict=True))) for r in rows]
    got = defined_rows(set_metrics(matrix), SET_METRICS)
    assert got == _block_values(blocks, SET_METRICS)
