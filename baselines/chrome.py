"""What is not article text (G1.2): page chrome lines and the kind of each sentence.

Both rule baselines skip the same navigation, credits and timing lines, so a difference in their
scores comes from how they find claims, not from two copies of this filter.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from baselines.cues import REPORTING_VERBS
from harness.extraction.api import PredictedTimex

_AUX = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "will", "would", "has", "have",
    "had", "can", "could", "may", "might", "should", "must", "shall", "did", "does",
    "do", "'s",
})  # fmt: skip
_FUNCTION_CAPS = frozenset({
    "the", "a", "an", "it", "its", "this", "that", "these", "those", "he", "she", "they",
    "we", "i", "you", "in", "on", "at", "as", "but", "and", "if", "while", "during",
    "after", "before", "although", "though", "both", "neither", "other", "also",
    "according", "for", "to", "from", "with", "of", "by", "since", "there", "here",
    "however", "meanwhile",
})  # fmt: skip
# Every pattern here runs in linear time on any line (tests/test_linear_time.py): a leading \b
# keeps "\w*icon" from rescanning a long token from each of its characters.
_ICON = re.compile(r"\b\w*icon\b", re.IGNORECASE)
_CHROME_LINE = re.compile(
    r"^\s*(?:trending now|related articles?|also on\b|print dictionary|if you like this story"
    r"|share (?:this|it)|log in|sign in|to write comments|podcasts?\b|written by\b"
    r"|(?-i:BY [A-Z][A-Z .]+)"
    r"|standards board|help-image|social comment|lock icon|read more\b|advertisement\b"
    r"|subscribe\b|follow us\b)",
    re.IGNORECASE,
)
_CHROME_ANYWHERE = re.compile(r"see more in the video|\bicon\s*$", re.IGNORECASE)
#: Every match of :data:`_ICON` and of :data:`_CHROME_ANYWHERE` holds a match of this (the same
#: flags): a line without one is searched by neither (``tests/test_regex_guards.py``).
_ICON_OR_VIDEO = re.compile(r"icon|see more in the video", re.IGNORECASE)
_TIMINGS = re.compile(r"^[\d:\s/]+$")
_BRACKET_TAG = re.compile(r"^(?:\[[^\]]*\]|\([A-Z][A-Z .]*\))(?:\s*\[[^\]]*\])*$")
_WORD = re.compile(r"[\w’'&.-]+")


def is_chrome_line(line: str) -> bool:
    """Whether a whole line is page chrome (G1.2): neither its claims nor its timexes count.

    Judged per line because chrome is laid out in lines: a video teaser "Putin claims that Poland
    will invade Belarus. See more in the video below." is chrome as a whole, although its first
    sentence would pass for a claim on its own.
    """
    s = line.strip()
    if not s:
        return True
    scan = _ICON_OR_VIDEO.search(s) is not None  # one scan where most lines would take two
    return bool(
        (scan and len(_ICON.findall(s)) >= 3)
        or _CHROME_LINE.match(s)
        or (scan and _CHROME_ANYWHERE.search(s))
        or _is_breadcrumb(s)
        or _TIMINGS.match(s)
        or _BRACKET_TAG.match(s)
        or _looks_like_email(s)
        or s.startswith("©")
    )


def _is_breadcrumb(s: str) -> bool:
    """``Home > World > Asia``: pieces of 1 to 40 characters without ".!?", joined by " > ".

    What ``re.match(r"^[^.!?]{1,40}(?:\\s>\\s[^.!?]{1,40})+$", s)`` decides, by dynamic
    programming over the separators: a piece may itself hold " > ", so that regex tried
    exponentially many ways to cut a long line before failing.
    """
    n = len(s)
    if not s or ">" not in s or "." in s or "!" in s or "?" in s:
        return False  # no separator, or a sentence mark: the loop below would find no piece
    starts = [False] * (n + 1)  # a piece may start here, after one separator or more
    for g in range(2, n - 2):  # g: the ">" of a separator s[g - 1 : g + 2]
        if s[g] != ">" or not s[g - 1].isspace() or not s[g + 1].isspace():
            continue
        # The piece before it ends at g - 1 and is 1 to 40 characters long.
        if g - 1 <= 40 or any(starts[a] for a in range(max(0, g - 41), g - 1)):
            starts[g + 2] = True
    if any(starts[a] for a in range(max(0, n - 40), n)):
        return True
    # "$" also matches before a final newline, which the last piece may then leave out.
    return s.endswith("\n") and any(starts[a] for a in range(max(0, n - 41), n - 1))


def _looks_like_email(s: str) -> bool:
    """``re.fullmatch(r"\\[?\\S+@\\S+\\]?", s)`` in linear time (the regex backtracks over every
    "@" of a long token): no white space, and an "@" with a character on each side."""
    return "@" in s[1:-1] and re.fullmatch(r"\S+", s) is not None


def chrome_mask(text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that lie on chrome lines."""
    ranges = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.strip() and is_chrome_line(line):
            ranges.append((pos, pos + len(line)))
        pos += len(line)
    return ranges


def in_ranges(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` overlaps any of ``ranges``."""
    return any(s < end and start < e for s, e in ranges)


class SortedRanges:
    """Sorted, disjoint ranges (a :func:`chrome_mask`) with an O(log n) overlap test.

    :func:`in_ranges` walks every range, so testing each sentence and timex of a page made of
    many chrome lines against them all was quadratic.
    """

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        self.ranges = list(ranges)
        self._ends = [e for _, e in self.ranges]

    def overlaps(self, start: int, end: int) -> bool:
        """Same answer as ``in_ranges(start, end, ranges)``."""
        i = bisect.bisect_right(self._ends, start)  # the first range that ends after start
        return i < len(self.ranges) and self.ranges[i][0] < end


def within(
    timexes: Sequence[PredictedTimex], starts: Sequence[int], start: int, end: int
) -> list[PredictedTimex]:
    """The timexes inside ``[start, end)``, in order; ``timexes`` sorted by start, ``starts``
    their starts. Bisection instead of a pass over all of them per sentence."""
    out = []
    for i in range(bisect.bisect_left(starts, start), len(timexes)):
        t = timexes[i]
        if t.start > end:
            break
        if t.end <= end:
            out.append(t)
    return out


def words(text: str) -> list[str]:
    """Word tokens of ``text`` (letters, digits, in-word apostrophes and hyphens)."""
    return [w.strip(".") for w in _WORD.findall(text) if w.strip(".'’-")]


_REPORTING_FORMS = frozenset(f for fs in REPORTING_VERBS.values() for f in fs)


def has_verb_like_word(sentence: str) -> bool:
    """A cheap stand-in for "has a finite verb", used to drop stamps, credits and fragments.

    Counts auxiliaries and modals, ``-ed`` forms, reporting verbs, ``to`` + a lower-case word
    (headline infinitives: "Kim to meet Putin") and an ``-s`` word right after a capitalized one
    (headline present: "Kremlin announces", "Putin claims").
    """
    return _has_verb_like(words(sentence))


def _has_verb_like(ws: list[str]) -> bool:
    """:func:`has_verb_like_word` of a sentence's :func:`words`."""
    forms = _REPORTING_FORMS
    for i, w in enumerate(ws):
        lw = w.lower()
        if lw in _AUX or lw in forms:
            return True
        if len(lw) > 4 and lw.endswith("ed") and w[0].islower():
            return True
        nxt = ws[i + 1] if i + 1 < len(ws) else ""
        if lw == "to" and nxt[:1].islower() and nxt.isalpha():
            return True
        if (
            i > 0
            and ws[i - 1][:1].isupper()
            and lw.endswith("s")
            and w[:1].islower()
            and len(lw) > 3
            and lw not in {"this", "news", "less", "across", "various"}
        ):
            return True
    return False


def has_named_entity(sentence: str) -> bool:
    """A capitalized word that is not a sentence-initial function word: a name, place or body."""
    return any(
        w[:1].isupper() and w.lower() not in _FUNCTION_CAPS and not w.isdigit()
        for w in words(sentence)
    )


def sentence_kind(sentence: str, min_words: int) -> str:
    """``"text"`` (a claim candidate) or ``"fragment"`` (timexes only: stamps, credits, bits).

    Fragments are short (fewer than ``min_words`` words), questions (G2.2), or have nothing that
    looks like a verb (date stamps, photo credits, the remains of a menu).
    """
    s = sentence.strip()
    ws = words(s)
    if len(ws) < min_words:
        return "fragment"
    if s.rstrip("”’\"' ").endswith("?"):
        return "fragment"
    if not _has_verb_like(ws):
        return "fragment"
    return "text"
