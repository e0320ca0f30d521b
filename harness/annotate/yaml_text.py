"""Text and YAML helpers of the scaffold: quoting a value for YAML, comments, snippets, the line
and occurrence of a quote in the seed.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any

from harness.gold.validate import find_all

_SNIPPET = 32

# --- YAML and text helpers ----------------------------------------------------------------------


def _occurrence(text: str, quote: str, start: int) -> int | None:
    """The 1-based occurrence of the quote at ``start`` when it occurs more than once, else None."""
    hits = _hits(text, quote)
    if len(hits) < 2:
        return None
    at = bisect.bisect_left(hits, start)
    if at == len(hits) or hits[at] != start:
        raise ValueError(f"{quote!r} does not occur at offset {start}")
    return at + 1


@lru_cache(maxsize=64)
def _hits(text: str, quote: str) -> tuple[int, ...]:
    """Every start of ``quote`` in ``text``, found once per quote: a scaffold asks for the
    occurrence of each of a quote's repeats."""
    return tuple(find_all(text, quote))


def _line_of(text: str, offset: int) -> int:
    """The 1-based line of ``offset`` (a bisection over the text's line breaks, found once)."""
    return bisect.bisect_left(_line_breaks(text), offset) + 1


@lru_cache(maxsize=4)
def _line_breaks(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in re.finditer("\n", text))


_LONG_WORD = re.compile(r"[^\W\d_]{3,}")


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether the rest of the line of ``text[start:end]`` holds at most two words of three or
    more letters."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return _long_words(text, line_start, start, True) + _long_words(text, end, line_end) <= 2


def _long_words(text: str, a: int, b: int, from_end: bool = False, most: int = 3) -> int:
    """How many words of three or more letters ``text[a:b]`` holds, counted up to ``most``.

    Read in growing windows from the side next to the expression (its end when ``from_end``),
    so that a long line costs the way to its third word, not the whole line, once per date. A
    word cut by a window's inner edge is not counted until a wider window holds it whole.
    """
    width = 256
    while b - a > width:
        lo, hi = (b - width, b) if from_end else (a, a + width)
        whole = [
            m for m in _LONG_WORD.finditer(text, lo, hi)
            if (m.start() > lo if from_end else m.end() < hi)
        ]  # fmt: skip
        if len(whole) >= most:
            return most
        width *= 4
    return min(len(_LONG_WORD.findall(text, a, b)), most)


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
