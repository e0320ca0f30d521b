"""Sentence splitting and tokenization over raw seed text, with character offsets.

One splitter serves the scorer's sentence mode and the extractors, so "the sentence a span touches"
means the same thing everywhere. It is rule-based and deterministic: a line break always ends a
sentence (headlines, captions and paragraphs are separate lines in the seeds), and within a line a
sentence ends at ``.``, ``!`` or ``?`` (optionally followed by closing quotes or brackets) followed
by white space and an upper-case letter, a digit or an opening quote -- except after common
abbreviations ("Sept.", "U.S.", "Mr.", single initials).
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

import numpy as np

_ABBREVIATIONS = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "gov", "sen", "rep", "pres",
    "u.s", "u.k", "u.n", "e.g", "i.e", "vs", "no", "inc", "corp", "co", "jr", "sr",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)


def _word_or_dot(ch: str) -> bool:
    """Whether ``re`` matches ``ch`` with ``[\\w.]``: ``\\w`` is ``str.isalnum`` or the underscore."""
    return ch.isalnum() or ch in "_."


def _is_abbreviation(line: str, dot: int) -> bool:
    """Whether the run of word characters and dots that ends at ``dot`` is an abbreviation.

    The run is read backwards from the dot, so a long line costs the length of the run, not
    of the line before it (a search for ``[\\w.]+$`` in ``line[:dot]`` tries every start)."""
    start = dot
    while start and _word_or_dot(line[start - 1]):
        start -= 1
    if start == dot:
        return False
    word = line[start:dot].lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


@lru_cache(maxsize=64)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Offsets ``(start, end)`` of the sentences of ``text``, without surrounding white space."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        begin = 0
        for m in _BOUNDARY.finditer(line):
            if line[m.start()] == "." and _is_abbreviation(line, m.start()):
                continue
            _add(spans, text, pos + begin, pos + m.end())
            begin = m.end()
        _add(spans, text, pos + begin, pos + len(line))
        pos += len(line)
    return tuple(spans)


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and (text[start].isspace()):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentences_touching(text: str, start: int, end: int) -> list[int]:
    """Indices of the sentences ``(s, e)`` with ``s < end and start < e``: those that share a
    character with ``[start, end)``; an empty span touches the sentence it lies strictly inside.

    Sentences are sorted and disjoint, so these are one run of indices, found by bisection."""
    starts, ends = _sentence_bounds(text)
    lo = bisect.bisect_right(ends, start)
    return list(range(lo, max(lo, bisect.bisect_left(starts, end))))


def sentence_of(text: str, offset: int) -> int | None:
    """Index of the sentence containing the character at ``offset``, or None (white space)."""
    starts, ends = _sentence_bounds(text)
    i = bisect.bisect_right(starts, offset) - 1
    return i if i >= 0 and offset < ends[i] else None


def sentence_text(text: str, offset: int) -> str | None:
    """The sentence containing the character at ``offset``, or None (white space): the context
    a resolver reads. Each sentence of a text is cut out once, so a sentence of a thousand dates
    is not copied (and hashed again by a resolver's cache) once per date."""
    i = sentence_of(text, offset)
    return None if i is None else _sentence_texts(text)[i]


@lru_cache(maxsize=64)
def _sentence_texts(text: str) -> tuple[str, ...]:
    return tuple(text[s:e] for s, e in sentence_spans(text))


@lru_cache(maxsize=64)
def _sentence_bounds(text: str) -> tuple[list[int], list[int]]:
    """The starts and the ends of :func:`sentence_spans`, each sorted."""
    spans = sentence_spans(text)
    return [s for s, _e in spans], [e for _s, e in spans]


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Word tokens as ``(start, end, normalized form)``; punctuation is not a token."""
    return [(m.start(), m.end(), normalize_token(m.group())) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    """:data:`_TOKEN`'s ``\\w`` for every code point below 65536: ``str.isalnum()`` or ``_``, as
    ``re`` reads it. Built once, in about 10 ms."""
    table = np.array([chr(i).isalnum() for i in range(65536)], dtype=bool)
    table[ord("_")] = True
    return table


def token_starts_ends(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Where the tokens of :func:`tokens` start and end, as two int64 arrays, without
    normalizing them (span arithmetic needs only where they are).

    The same tokens as ``_TOKEN.finditer``, found with array operations, which cost a fifth of
    a regex scan with a match object per token: a token is a maximal run of word characters
    (``re``'s ``\\w``: ``str.isalnum()`` or ``_``) joined to the run after it across exactly
    one of ``- ' ’ .``, and so on along the chain.
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    table = _word_table()
    if codes.size and int(codes.max()) >= len(table):  # beyond the table: asked one by one
        word = np.zeros(len(codes), dtype=bool)
        low = codes < len(table)
        word[low] = table[codes[low]]
        distinct, at = np.unique(codes[~low], return_inverse=True)
        word[~low] = np.array([chr(c).isalnum() for c in distinct.tolist()], dtype=bool)[at]
    else:
        word = np.take(table, codes)
    # between two non-word ends, the changes alternate: a run's start, its end, the next start...
    padded = np.zeros(len(word) + 2, dtype=bool)
    padded[1:-1] = word
    changes = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = changes[0::2], changes[1::2]
    if len(starts):
        # run i + 1 continues the token of run i when one joiner alone lies between them
        after = codes[ends[:-1]]
        joiner = (
            (after == ord("-")) | (after == ord("'")) | (after == ord("’")) | (after == ord("."))
        )
        joined = (starts[1:] - ends[:-1] == 1) & joiner
        starts = starts[np.concatenate(([True], ~joined))]
        ends = ends[np.concatenate((~joined, [True]))]
    return starts.astype(np.int64), ends.astype(np.int64)


def normalize_token(token: str) -> str:
    """Case-fold and unify apostrophes, so that ``Kim’s`` and ``kim's`` are one token."""
    return unicodedata.normalize("NFKC", token).replace("’", "'").casefold()


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_S = TypeVar("_S", bound=_Span)


class Overlaps(Generic[_S]):
    """The spans of a list that share a character with a given one, in the list's order.

    Found by bisection over their starts and a running maximum of their ends, not by a pass
    over the list per query (quadratic in a file of thousands of timexes); a span that reaches
    far (a long one early in the text) makes the walk back longer, never wrong.
    """

    def __init__(self, spans: Sequence[_S]) -> None:
        self.spans = spans
        self.order = sorted(range(len(spans)), key=lambda i: spans[i].start)
        self.starts = [spans[i].start for i in self.order]
        self.reach = list(itertools.accumulate((spans[i].end for i in self.order), max))

    def __call__(self, span: _Span) -> list[_S]:
        j = bisect.bisect_left(self.starts, span.end) - 1  # the last that starts before its end
        found = []
        while j >= 0 and self.reach[j] > span.start:
            other = self.spans[self.order[j]]
            if min(span.end, other.end) > max(span.start, other.start):
                found.append(self.order[j])
            j -= 1
        return [self.spans[i] for i in sorted(found)]
