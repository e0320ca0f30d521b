"""Per-document counts as one row of an array each: what a scored corpus keeps of every document.

A scorer keeps a handful of counts per document (matched pairs, gold and predicted claims, ...).
Held as a dict per document they took about 1 KB each; :class:`CountTable` keeps them as 8 bytes a
count in one flat :class:`array.array`, and gives each document's counts back as a fresh dict, with
the values of the type they are stored as (``int`` for typecode ``"q"``, ``float`` for ``"d"``).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np


class CountTable(Mapping[str, dict[str, float]]):
    """Document id -> its counts, one row per document in the order added.

    ``typecode``: ``"q"`` (64-bit integers) or ``"d"`` (64-bit floats) for every count.
    """

    def __init__(self, keys: Sequence[str], typecode: str = "q") -> None:
        if typecode not in ("q", "d"):
            raise ValueError(f"typecode must be 'q' or 'd', not {typecode!r}")
        self.keys_ = tuple(keys)
        self._data = array(typecode)
        self._row: dict[str, int] = {}

    def add(self, doc_id: str, counts: Mapping[str, float]) -> None:
        """Append ``doc_id``'s counts (every key of the table, in any order; others are refused)."""
        if doc_id in self._row:
            raise ValueError(f"counts of document {doc_id!r} added twice")
        extra = set(counts) - set(self.keys_)
        if extra:
            raise ValueError(f"{doc_id}: unknown count(s) {', '.join(sorted(extra))}")
        self._data.extend([counts[k] for k in self.keys_])  # KeyError names a missing count
        self._row[doc_id] = len(self._row)

    def __getitem__(self, doc_id: str) -> dict[str, float]:
        k = len(self.keys_)
        at = self._row[doc_id] * k
        return dict(zip(self.keys_, self._data[at : at + k], strict=True))

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)

    def matrix(self, doc_ids: Sequence[str] | None = None) -> np.ndarray:
        """Float rows of ``doc_ids`` (default: every document, in the order added), one column
        per key: the same array as ``np.array([[self[d][k] for k in keys] ...], dtype=float)``."""
        k = len(self.keys_)
        rows = None if doc_ids is None else [self._row[d] for d in doc_ids]  # KeyError: unknown
        whole = np.frombuffer(self._data, dtype=np.dtype(self._data.typecode)).reshape(-1, k)
        # every row in order is the whole table; the lengths are compared first, so that a few
        # rows (one outlet's documents, say) cost their own number, not the table's
        n = len(self._row)
        if rows is not None and not (len(rows) == n and rows == list(range(n))):
            whole = whole[rows]
        return whole.astype(float)


def count_matrix(
    counts: Mapping[str, Mapping[str, float]], doc_ids: Sequence[str], keys: Sequence[str]
) -> np.ndarray:
    """Float rows of ``doc_ids``' counts, one column per key (of a table or of plain dicts)."""
    if isinstance(counts, CountTable) and counts.keys_ == tuple(keys):
        return counts.matrix(doc_ids)
    return np.array([[counts[d][k] for k in keys] for d in doc_ids], dtype=float).reshape(
        -1, len(keys)
    )


def count_totals(
    counts: Mapping[str, Mapping[str, int]], doc_ids: Sequence[str] | None, keys: Sequence[str]
) -> dict[str, int]:
    """Integer counts summed over ``doc_ids`` (None: every document of ``counts``)."""
    if doc_ids is None:
        doc_ids = list(counts)
    if isinstance(counts, CountTable) and counts.keys_ == tuple(keys):
        # exact: integer counts, far below 2**53
        return {k: int(v) for k, v in zip(keys, counts.matrix(doc_ids).sum(0), strict=True)}
    return {k: int(sum(counts[d][k] for d in doc_ids)) for k in keys}


class DocumentBlocks(Mapping[str, dict[str, Any]]):
    """Document id -> its JSON block (``block(counts[doc_id])``), made each time it is read.

    The per-document blocks of a summary (a dozen metrics each, about 1 KB as a dict) are never
    all held: a table or the JSON writer (:func:`harness.reporting.tables.dump`) reads them one
    at a time. ``doc_ids`` gives the order (and the documents, when not every one of ``counts``).
    """

    def __init__(
        self,
        counts: Mapping[str, Mapping[str, float]],
        doc_ids: Sequence[str],
        block: Callable[[Mapping[str, float]], dict[str, Any]],
    ) -> None:
        self._counts, self._ids, self._block = counts, doc_ids, block
        self._subset = None if len(doc_ids) == len(counts) else frozenset(doc_ids)

    def __getitem__(self, doc_id: str) -> dict[str, Any]:
        if self._subset is not None and doc_id not in self._subset:
            raise KeyError(doc_id)
        return self._block(self._counts[doc_id])

    def __contains__(self, doc_id: object) -> bool:
        if self._subset is not None:
            return doc_id in self._subset
        return doc_id in self._counts

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return f"<DocumentBlocks of {len(self)} documents>"


def defined_rows(metrics: Mapping[str, Any], names: Sequence[str]) -> dict[str, list[float]]:
    """Each metric's values over the rows where it is defined, in row order, as one block per
    row shows them (rounded to 6 places by Python's ``round``; undefined: None, left out), from
    the metrics of every row at once. ``metrics``: each name's array over the rows, NaN where
    undefined, as the metric functions give them for a count matrix; they divide a matrix
    element by element with the IEEE operations a block's scalars take, so the values are the
    same, without a block made per row (``tests/test_counts.py``)."""
    return {
        k: [round(v, 6) for v in np.atleast_1d(metrics[k]).tolist() if v == v]  # NaN: undefined
        for k in names
    }


__all__ = [
    "CountTable",
    "DocumentBlocks",
    "count_matrix",
    "count_totals",
    "defined_rows",
]
