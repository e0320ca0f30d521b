"""Records kept on disk, not in memory: what lets a run hold tens of thousands of documents.

A loaded corpus and an extractor's predictions are read again and again (once per scoring mode,
per table, per track), but never all at once. :class:`SpilledSequence` and
:class:`SpilledMapping` keep their first records in memory, up to a budget of pickled bytes
(:data:`HOT_BYTES` for a corpus, less for predictions; the first :data:`SAMPLE` records are
weighed and the rest counted at their mean size), and pickle every later one into an
anonymous temporary file as it comes, reading it back on access. So memory grows with the corpus
up to the budget and then by a byte offset per record (8 bytes), plus the record being read. The
file is unlinked as soon as it is made (``tempfile.TemporaryFile``): nothing is left behind, not
even by a killed run.

Reading a record back costs an unpickling (about 0.1 ms for a seed-sized document), once per pass
over the corpus, for the records beyond the budget only. Those give a new, equal object at each
access, except that the record read last is returned again as the same object. Both classes
pickle as plain tuples and dicts, so a worker process gets the records themselves.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")

#: Pickled bytes of the records a sequence keeps in memory before it spills the rest to disk:
#: about 750 seed-sized documents (about 35 MB once unpickled). Small next to what every run
#: holds anyway (importing scikit-learn and SciPy takes about 140 MB), so that a large corpus's
#: peak stays close to a small one's; each record beyond it costs an unpickling at each read.
HOT_BYTES = 16 * 2**20
#: Records whose pickles are weighed; later ones are counted at their mean size.
SAMPLE = 64
#: Every other set of spilled records (an extractor's predictions and the outcomes it reuses from
#: a journal, the set-level records, the one-to-one matches, the gold claims' TF-IDF rows) keeps
#: this share of HOT_BYTES.
PART_SHARE = 8


def part_budget() -> int:
    """The in-memory budget of a set of records other than the corpus, :data:`HOT_BYTES` //
    :data:`PART_SHARE`, read at each call (so that a changed ``HOT_BYTES`` changes it)."""
    return HOT_BYTES // PART_SHARE


class SpillError(OSError):
    """Writing the records kept on disk failed (a full or read-only temporary directory, say).

    An OSError with the temporary directory as its file name and :attr:`hint` saying what to do,
    which :func:`harness.cli.errors._os_error` shows: the usual hint for a full disk ("write
    elsewhere with --out") would send the user to the wrong place, as these files go to
    ``TMPDIR``, not to ``--out``. Code that turns a failure into a status (a similarity
    strategy's "failed: ...") lets it through: it is the run's, not the strategy's.
    """

    hint = (
        "set TMPDIR to a directory on a disk with room (about 20 KB per seed-sized article "
        "beyond the first 750 or so; README, Large corpora, Memory)"
    )

    def __init__(self, exc: OSError) -> None:
        super().__init__(
            exc.errno,
            f"{exc.strerror or exc} (writing the records kept on disk beyond the memory budget)",
            tempfile.gettempdir(),
        )


class _Spill:
    """Append-only pickled records in an anonymous temporary file (made on the first append)."""

    __slots__ = ("_ends", "_file", "_unflushed")

    def __init__(self) -> None:
        self._file: Any = None
        self._ends = array("q")
        self._unflushed = False

    def __len__(self) -> int:
        return len(self._ends)

    def append(self, obj: Any) -> None:
        self.append_pickled(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL))

    def append_pickled(self, data: bytes) -> None:
        try:
            if self._file is None:
                # open as long as the records are: closed (and gone) when they are collected
                self._file = tempfile.TemporaryFile(prefix="harness-spill-")  # noqa: SIM115
            self._file.write(data)
        except OSError as exc:
            raise SpillError(exc) from exc
        self._unflushed = True
        self._ends.append((self._ends[-1] if self._ends else 0) + len(data))

    def read(self, i: int) -> Any:
        if self._unflushed:
            try:
                self._file.flush()
            except OSError as exc:  # what the buffer held is written only now
                raise SpillError(exc) from exc
            self._unflushed = False
        start = self._ends[i - 1] if i else 0
        return pickle.loads(os.pread(self._file.fileno(), self._ends[i] - start, start))


class SpilledSequence(Sequence[T], Generic[T]):
    """A sequence filled by :meth:`append`, its records beyond ``hot_bytes`` (default
    :data:`HOT_BYTES`) of pickles read from disk (see the module doc)."""

    def __init__(self, items: Iterable[T] = (), hot_bytes: int | None = None) -> None:
        self._hot: list[T] = []  # the first records, kept as they came (records are immutable)
        self._budget = HOT_BYTES if hot_bytes is None else hot_bytes
        self._sampled = 0  # pickled bytes of the first SAMPLE records
        self._spill = _Spill()  # every later one
        self._last: tuple[int, Any] = (-1, None)
        for item in items:
            self.append(item)

    def append(self, item: T) -> None:
        if not len(self._spill) and self._fits(lambda: pickle.dumps(item, pickle.HIGHEST_PROTOCOL)):
            self._hot.append(item)
        else:
            self._spill.append(item)

    def append_pickled(self, data: bytes) -> None:
        """:meth:`append` of the record whose pickle (``pickle.HIGHEST_PROTOCOL``) is ``data``:
        kept in memory, unpickled, within the budget, and written to disk as it is beyond it, so
        that a record pickled elsewhere (by a worker process) is not unpickled and pickled again
        only to be spilled."""
        if not len(self._spill) and self._fits(lambda: data):
            self._hot.append(pickle.loads(data))
        else:
            self._spill.append_pickled(data)

    def _fits(self, pickled: Callable[[], bytes]) -> bool:
        """Whether the next record still fits the budget, weighed by its pickle (``pickled()``)
        for the first :data:`SAMPLE` records."""
        n = len(self._hot)
        if n < SAMPLE:  # measured
            self._sampled += len(pickled())
            size = self._sampled
        else:  # estimated from the first SAMPLE: pickling each record only to weigh it
            size = self._sampled * (n + 1) // SAMPLE  # would cost as much as spilling it
        return size <= self._budget

    def __len__(self) -> int:
        return len(self._hot) + len(self._spill)

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[T, ...]: ...

    def __getitem__(self, i: int | slice) -> T | tuple[T, ...]:
        if isinstance(i, slice):
            return tuple(self[j] for j in range(*i.indices(len(self))))
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("SpilledSequence index out of range")
        if i < len(self._hot):
            return self._hot[i]
        if self._last[0] == i:
            return self._last[1]
        item = self._spill.read(i - len(self._hot))
        self._last = (i, item)
        return item

    def __iter__(self) -> Iterator[T]:
        for i in range(len(self)):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to a tuple, so not hashable like one

    def __reduce__(self) -> tuple[Any, ...]:
        return tuple, (tuple(self),)

    def __repr__(self) -> str:
        return f"<SpilledSequence of {len(self)} records>"


class Subset(Sequence[T], Generic[T]):
    """The items of ``base`` at ``positions``, in that order, read from ``base`` on access."""

    def __init__(self, base: Sequence[T], positions: Iterable[int]) -> None:
        self._base = base
        self._positions = array("q", positions)

    def __len__(self) -> int:
        return len(self._positions)

    def __getitem__(self, i: Any) -> Any:  # an item, or a tuple of them for a slice
        if isinstance(i, slice):
            return tuple(self._base[p] for p in self._positions[i])
        return self._base[self._positions[i]]

    def __iter__(self) -> Iterator[T]:
        for p in self._positions:
            yield self._base[p]

    __eq__ = SpilledSequence.__eq__
    __hash__ = None  # type: ignore[assignment]
    __reduce__ = SpilledSequence.__reduce__

    def __repr__(self) -> str:
        return f"<Subset of {len(self)} records>"


class SpilledMapping(Mapping[str, T], Generic[T]):
    """A mapping filled by item assignment (each key once) and read from disk; keys in order of
    assignment, as a dict's."""

    def __init__(self, items: Iterable[tuple[str, T]] = (), hot_bytes: int | None = None) -> None:
        self._at: dict[str, int] = {}
        budget = part_budget() if hot_bytes is None else hot_bytes
        self._values: SpilledSequence[T] = SpilledSequence(hot_bytes=budget)
        for key, value in items:
            self[key] = value

    def __setitem__(self, key: str, value: T) -> None:
        if key in self._at:
            raise KeyError(f"{key!r} is already stored")
        self._at[key] = len(self._values)
        self._values.append(value)

    def __getitem__(self, key: str) -> T:
        return self._values[self._at[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (dict(self.items()),)

    def __repr__(self) -> str:
        return f"<SpilledMapping of {len(self)} records>"


__all__ = [
    "HOT_BYTES",
    "PART_SHARE",
    "SpillError",
    "SpilledMapping",
    "SpilledSequence",
    "Subset",
    "part_budget",
]
