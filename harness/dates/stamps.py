"""Detection of a page's publication stamp, for the ``--dct detect`` setting.

:func:`detect_dct` finds the page's own date stamp ("5 Sep, 2023 03:09", "Sep.12 - 2023 7:30 AM
CET", "date 2023-09-05") for the ``--dct detect`` setting, where the extractor must find the
publication date itself. It trusts the page: a stamp that the body contradicts (an aggregator's
re-post date) is still returned, which is what that setting measures.

A stamp is found with the tagger's patterns and read by the rule resolver, so this module sits
above both.
"""

from __future__ import annotations

import re

from harness.dates.rules import RuleResolver
from harness.dates.tagger import (
    _B,
    _E,
    _STAMP_PATTERNS,
    _WDAY_ABBR,
    _ZONE,
    CLOCK,
    DAY,
    MONTH,
    WEEKDAY,
    YEAR,
    _trim,
)

_STAMP_RX = [re.compile(_B + p + _E) for p in _STAMP_PATTERNS] + [
    re.compile(
        _B
        + rf"(?:(?:{WEEKDAY}|{_WDAY_ABBR}),?\s+)?{MONTH}\s?{DAY},?\s+{YEAR}"
        + rf"(?:,?\s+(?:at\s+)?{CLOCK}{_ZONE}?)?"
        + _E
    ),
    re.compile(
        _B
        + rf"(?:[12]\d|3[01]|0?[1-9])[./](?:0?[1-9]|1[0-2])[./]{YEAR}(?:,?\s+{CLOCK}{_ZONE}?)?"
        + _E
    ),
]
#: ``\s*(?::\s*)?`` rather than ``\s*:?\s*``: the same strings, but the latter splits a run of
#: white space between its two ``\s*`` in every possible way before giving up (20,000 spaces
#: after "date": 50 s).
_STAMP_KEYWORD = re.compile(
    r"(?i:(?:date|dated|published|posted|updated|last\s+updated|created|modified|released|"
    r"publication\s+date|first\s+published)\s*(?::\s*)?(?:on\s+)?)$"
)
_STAMP_LINE_NOISE = re.compile(
    r"(?i:date|dated|published|posted|updated|last|created|modified|on|at|by|gmt|utc|cet|cest|"
    r"kst|edt|est|pdt|pst|bst|msk|am|pm)|[|•·,:\-–—/()\[\]]"
)


def detect_dct(text: str) -> tuple[str, int, int] | None:
    """The page's publication stamp as ``(TIMEX3 value, start, end)``, or None if it has none.

    A stamp is a full date with a year (optionally a time) that stands on its own line or right
    after a keyword such as "date" or "Published". The earliest stamp in the document wins; when a
    later stamp names the same day with a printed time, that one is returned instead, so that the
    value has minute precision whenever the page prints a time.
    """
    resolver = RuleResolver()
    found: list[tuple[str, int, int]] = []
    seen: set[tuple[int, int]] = set()
    for rx in _STAMP_RX:
        for m in rx.finditer(text):
            start, end = _trim(text, *m.span())
            if (start, end) in seen or not _stamp_position_ok(text, start, end):
                continue
            seen.add((start, end))
            stamp = text[start:end]
            # an explicit year makes the value independent of the anchor given here
            res = resolver.resolve(_NO_ZONE.sub("", stamp), "2000-01-01")
            if res is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?", res.value):
                continue
            if not 1990 <= int(res.value[:4]) <= 2100:
                continue
            found.append((res.value, start, end))
    if not found:
        return None
    found.sort(key=lambda f: (f[1], -(f[2] - f[1])))
    first = found[0]
    if "T" not in first[0]:
        for value, start, end in found[1:]:
            if value[:10] == first[0] and "T" in value:
                return value, start, end
    return first


_NO_ZONE = re.compile(rf"{_ZONE}$")


def _stamp_position_ok(text: str, start: int, end: int) -> bool:
    """A stamp stands alone on its line (up to a keyword, a zone, separators) or follows a keyword."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:start]
    if _STAMP_KEYWORD.search(before.rstrip()):
        return True
    rest = before + " " + text[end:line_end]
    words = _STAMP_LINE_NOISE.sub(" ", rest).split()
    return len(words) <= 1


__all__ = ["detect_dct"]
