"""Text and YAML helpers of the scaffold: quoting a value for YAML, comments, snippets, the line
and occurrence of a quote in the seed.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any

from harness.gold.quotes import cached_find_all

_SNIPPET = 32

# --- YAML and text helpers ----------------------------------------------------------------------


def _occurrence(text: str, quote: str, start: int) -> int | None:
    """The 1-based occurrence of the quote at ``start`` when it occurs more than once, else None."""
    hits = cached_find_all(text, quote)
    if len(hits) < 2:
        return None
    at = bisect.bisect_left(hits, start)
    if at == len(hits) or hits[at] != start:
        raise ValueError(f"{quote!r} does not occur at offset {start}")
    return at + 1


def _line_of(text: str, offset: int) -> int:
    """The 1-based line of ``offset`` (a bisection over the text's line breaks, found once)."""
    return bisect.bisect_left(_line_breaks(text), offset) + 1


@lru_cache(maxsize=4)
def _line_breaks(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in re.finditer("\n", text))


_LETTERS = re.compile(r"[^\W\d_]+")


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether the rest of the line of ``text[start:end]`` holds at most two words of three or
    more letters (runs of ``[^\\W\\d_]``, cut at the expression's edges)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return _long_words(text, line_start, start) + _long_words(text, end, line_end) <= 2


def _long_words(text: str, a: int, b: int) -> int:
    """How many runs of three or more letters ``text[a:b]`` holds: the text's letter runs that
    overlap it, the two at its edges cut there, counted by bisection and a running count, so
    that a line of a thousand dates is not read once per date."""
    starts, ends, long = _letter_runs(text)
    i = bisect.bisect_right(ends, a)  # the first run that ends after a
    j = bisect.bisect_left(starts, b)  # the first run that starts at b or later
    if i >= j:
        return 0

    def cut_long(k: int) -> int:
        return int(min(ends[k], b) - max(starts[k], a) >= 3)

    if j - i == 1:
        return cut_long(i)
    return cut_long(i) + cut_long(j - 1) + long[j - 1] - long[i + 1]


@lru_cache(maxsize=4)
def _letter_runs(text: str) -> tuple[list[int], list[int], list[int]]:
    """The starts and ends of the text's maximal letter runs, and how many of the first k runs
    are three or more letters long (index k)."""
    starts, ends, long = [], [], [0]
    for m in _LETTERS.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        long.append(long[-1] + (m.end() - m.start() >= 3))
    return starts, ends, long


def _snippet(text: str, start: int, end: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    a, b = max(line_start, start - _SNIPPET), min(line_end, end + _SNIPPET)
    left = ("..." if a > line_start else "") + text[a:start]
    right = text[end:b] + ("..." if b < line_end else "")
    return " ".join(f"{left}[{text[start:end]}]{right}".split())


def _shorten(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 3] + "..."


def _printable(ch: str) -> bool:
    """Characters PyYAML accepts literally, minus the line separators YAML would fold."""
    o = ord(ch)
    if ch in "\u0085\u2028\u2029\ufeff":
        return False
    return 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000


def _q(value: str | None) -> str:
    """A YAML scalar for ``value``: ``null``, or a double-quoted string with minimal escapes."""
    if value is None:
        return "null"
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _comment(s: str) -> str:
    """Text safe inside a YAML comment: one line, printable characters only."""
    s = re.sub(r"[\r\n\t\u0085\u2028\u2029]+", " ", s)
    return "".join(ch if _printable(ch) else f"\\u{ord(ch):04x}" for ch in s)


def _plain(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return x
