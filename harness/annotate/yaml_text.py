"""Text and YAML helpers of the scaffold: quoting a value for YAML, comments, snippets, the line
and occurrence of a quote in the seed.
"""

from __future__ import annotations

import re
from typing import Any

from harness.gold.validate import find_all

_SNIPPET = 32

# --- YAML and text helpers ----------------------------------------------------------------------


def _occurrence(text: str, quote: str, start: int) -> int | None:
    """The 1-based occurrence of the quote at ``start`` when it occurs more than once, else None."""
    hits = find_all(text, quote)
    return hits.index(start) + 1 if len(hits) > 1 else None


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _stands_alone(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rest = text[line_start:start] + " " + text[end : len(text) if line_end < 0 else line_end]
    return len(re.findall(r"[^\W\d_]{3,}", rest)) <= 2


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
