"""Detection of a page's publication stamp, for the ``--dct detect`` setting.

:func:`detect_dct` finds the page's own date stamp ("5 Sep, 2023 03:09", "Sep.12 - 2023 7:30 AM
CET", "date 2023-09-05") for the ``--dct detect`` setting, where the extractor must find the
publication date itself. It trusts the page: a stamp that the body contradicts (an aggregator's
re-post date) is still returned, which is what that setting measures.

A stamp is found with the tagger's patterns and read by the rule resolver, so this module sits
above both.
"""

from __future__ import annotations

import bisect
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
    _sre_parse,
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
_STAMP_KEYWORDS = (
    "date", "dated", "published", "posted", "updated", "last updated", "created", "modified",
    "released", "publication date", "first published",
)  # fmt: skip
_STAMP_KEYWORD = re.compile(
    r"(?i:(?:"
    + "|".join(r"\s+".join(keyword.split()) for keyword in _STAMP_KEYWORDS)
    + r")\s*(?::\s*)?(?:on\s+)?)$"
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
    spans = sorted(
        {_trim(text, *m.span()) for rx in _STAMP_RX for m in rx.finditer(text)},
        key=lambda se: (se[0], -(se[1] - se[0])),
    )
    # In text order, so that only the stamps that can still be returned are placed on their
    # line: that costs the line's length, and a page of dates holds thousands of stamps.
    resolver = RuleResolver()
    lines: dict[int, _Line] = {}
    first = None
    for start, end in spans:
        value = _full_date(resolver, text[start:end])
        if value is None:
            continue
        if first is None:
            if _stamp_position_ok(text, start, end, lines):
                first = (value, start, end)
                if "T" in value:
                    return first
        elif (
            value[:10] == first[0] and "T" in value and _stamp_position_ok(text, start, end, lines)
        ):
            return value, start, end
    return first


def _full_date(resolver: RuleResolver, stamp: str) -> str | None:
    """The stamp's day or minute (``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM``) from 1990 to 2100, or None."""
    # an explicit year makes the value independent of the anchor given here
    res = resolver.resolve(_NO_ZONE.sub("", stamp), "2000-01-01")
    if res is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?", res.value):
        return None
    return res.value if 1990 <= int(res.value[:4]) <= 2100 else None


_NO_ZONE = re.compile(rf"{_ZONE}$")


def _stamp_position_ok(text: str, start: int, end: int, lines: dict[int, _Line]) -> bool:
    """A stamp stands alone on its line (up to a keyword, a zone, separators) or follows a keyword.

    That is, the line's text before the stamp, white space stripped, ends with a keyword
    (:data:`_STAMP_KEYWORD`), or the text before and the text after, each with the noise of
    :data:`_STAMP_LINE_NOISE` blanked out from its own start, hold one word between them at
    most. ``lines`` keeps each line's facts (:class:`_Line`), so that a line of many stamps is
    read a bounded number of times, not once per stamp.
    """
    line_start = text.rfind("\n", 0, start) + 1
    if "\n" in text[start:end]:  # a stamp across lines: not the line of many stamps
        return _position_ok_directly(text, start, end)
    line = lines.get(line_start)
    if line is None:
        line = lines[line_start] = _Line(text, line_start)
    return line.keyword_before(start) or line.words_before(start) + line.words_after(end) <= 1


def _position_ok_directly(text: str, start: int, end: int) -> bool:
    """What :func:`_stamp_position_ok` decides, read from the whole line (text from the start's
    line to the end's, for a stamp across lines)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:start]
    if _STAMP_KEYWORD.search(before.rstrip()):
        return True
    rest = before + " " + text[end:line_end]
    words = _STAMP_LINE_NOISE.sub(" ", rest).split()
    return len(words) <= 1


#: The longest noise match: a scan of a cut text finds the same matches as one of the whole up
#: to this many characters before the cut.
_NOISE_WIDTH = _sre_parse(_STAMP_LINE_NOISE.pattern).getwidth()[1]
_KEYWORD_REVERSED = re.compile(
    r"(?i:(?:\s+no)?(?:\s*:)?\s*(?:"
    + "|".join(
        r"\s+".join(word[::-1] for word in reversed(keyword.split())) for keyword in _STAMP_KEYWORDS
    )
    + "))"
)


class _Line:
    """One line of a text, read once for the stamps on it: the noise matches and the words a
    scan of the whole line leaves, and the line reversed (for the keyword before a stamp).

    A scan of the text before a stamp (from the line's start) makes the whole line's matches up
    to :data:`_NOISE_WIDTH` characters before the stamp; a scan of the text after it (from its
    end) makes them from the first position where both scans try a match. Only the short
    stretches around the stamp are scanned again.
    """

    def __init__(self, text: str, start: int) -> None:
        end = text.find("\n", start)
        self.text, self.start, self.end = text, start, len(text) if end < 0 else end
        noise = [m.span() for m in _STAMP_LINE_NOISE.finditer(text, self.start, self.end)]
        self.noise_starts = [a for a, _b in noise]
        self.noise_ends = [b for _a, b in noise]
        self.words = _kept_runs(text, self.start, self.end, noise)
        self.word_starts = [a for a, _b in self.words]
        self.word_ends = [b for _a, b in self.words]
        self.reversed = text[self.start : self.end][::-1]

    def keyword_before(self, at: int) -> bool:
        """Whether ``text[line start:at]``, stripped, ends with a keyword."""
        while at > self.start and self.text[at - 1].isspace():
            at -= 1
        return bool(_KEYWORD_REVERSED.match(self.reversed, self.end - at))

    def _tried(self, at: int) -> bool:
        """Whether the whole line's scan tries a match at ``at`` (it is inside none)."""
        i = bisect.bisect_right(self.noise_starts, at) - 1
        return i < 0 or self.noise_ends[i] <= at

    def words_before(self, at: int) -> int:
        """How many words the text from the line's start to ``at`` holds, noise blanked."""
        cut = at - _NOISE_WIDTH - 1
        if cut <= self.start:
            return len(_kept_runs(self.text, self.start, at))
        while not self._tried(cut):
            cut -= 1
        head = bisect.bisect_left(self.word_starts, cut)  # the line's words that start before
        tail = _kept_runs(self.text, cut, at)
        i = head - 1
        joined = i >= 0 and self.word_ends[i] > cut and bool(tail) and tail[0][0] == cut
        return head + len(tail) - joined

    def words_after(self, at: int) -> int:
        """How many words the text from ``at`` to the line's end holds, noise blanked."""
        width = 4 * _NOISE_WIDTH
        while True:
            hi = min(self.end, at + width)
            noise = [m.span() for m in _STAMP_LINE_NOISE.finditer(self.text, at, hi)]
            trusted = self.end if hi == self.end else hi - _NOISE_WIDTH
            ends = [b for _a, b in noise]
            for q in range(at, trusted):
                k = bisect.bisect_left(ends, q + 1)  # the first match that ends after q
                if (k == len(noise) or noise[k][0] >= q) and self._tried(q):
                    own = _kept_runs(self.text, at, q, noise[:k])
                    i = bisect.bisect_right(self.word_ends, q)  # the line's words ending after q
                    line = len(self.words) - i
                    joined = bool(own) and own[-1][1] == q and line and self.word_starts[i] <= q
                    return len(own) + line - joined
            if hi == self.end:
                return len(_kept_runs(self.text, at, self.end))
            width *= 4


def _kept_runs(
    text: str, start: int, end: int, noise: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """The words of ``text[start:end]`` once ``noise`` (by default, a scan of that stretch for
    :data:`_STAMP_LINE_NOISE`) is blanked out: maximal runs of characters that are neither white
    space nor noise, as absolute spans."""
    if noise is None:
        noise = [m.span() for m in _STAMP_LINE_NOISE.finditer(text, start, end)]
    runs: list[tuple[int, int]] = []
    at = start
    for a, b in [*noise, (end, end)]:
        runs.extend(m.span() for m in _NOT_SPACE.finditer(text, at, a))
        at = b
    return runs


_NOT_SPACE = re.compile(r"\S+")


__all__ = ["detect_dct"]
