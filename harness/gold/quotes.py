"""Locating quotes in the raw seed: exact matching, occurrences, and the diagnosis of a quote that
is not found (a curly quote or non-breaking space that differs from the seed, say).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from harness.gold.schema import _join, _Reporter
from harness.gold.yamlio import key_line, short

# --- quotes ------------------------------------------------------------------------------------


def find_all(text: str, quote: str) -> list[int]:
    """Start offsets of every match of ``quote`` in ``text``, overlapping matches included."""
    hits: list[int] = []
    if not quote:
        return hits
    at = text.find(quote)
    while at != -1:
        hits.append(at)
        at = text.find(quote, at + 1)
    return hits


class _Hits:
    """:func:`find_all`, remembered per quote for the text last asked about: the records of one
    file ask for the same quote's matches once each (a thousand timexes "2019" in one article,
    each with its ``occurrence``, read the whole text a thousand times). Another text (another
    file's seed, a distinct object) starts afresh, so no more than one text is held."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.hits: dict[str, list[int]] = {}

    def __call__(self, text: str, quote: str) -> list[int]:
        if text is not self.text:
            self.text, self.hits = text, {}
        found = self.hits.get(quote)
        if found is None:
            found = self.hits[quote] = find_all(text, quote)
        return found


cached_find_all = _Hits()


def locate_quote(text: str, quote: str, occurrence: object = None) -> tuple[int, int] | str:
    """The span of ``quote`` (its ``occurrence``-th match, 1-based) or, if none, a reason.

    Without ``occurrence`` the quote must occur exactly once. The validator reports the same cases
    with fuller messages (offsets, look-alike characters); this is for callers that need the span.
    """
    hits = find_all(text, quote)
    if not hits:
        return "is not in the text"
    if occurrence is None:
        if len(hits) > 1:
            return f"occurs {len(hits)} times and no occurrence is given"
        occurrence = 1
    if (
        not isinstance(occurrence, int)
        or isinstance(occurrence, bool)
        or not 1 <= occurrence <= len(hits)
    ):
        return f"occurrence {short(occurrence)} does not exist"
    start = hits[occurrence - 1]
    return start, start + len(quote)


_LOOSE = str.maketrans(
    {"\u00a0": " ", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\t": " "}
)


def _loose(s: str) -> str:
    return s.translate(_LOOSE)


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNKNOWN')}"


def longest_common_block(a: str, b: str) -> tuple[int, int, int]:
    """(i, j, size) of the longest common substring of ``a`` and ``b``, ``a[i:i + size] ==
    b[j:j + size]``: the block ``difflib.SequenceMatcher(None, a, b, autojunk=False)
    .find_longest_match()`` gives (of the longest, the one that starts first in ``a``, then in
    ``b``; ``(0, 0, 0)`` where none).

    difflib walks every character of ``a`` against the positions of ``b`` that hold it, in
    Python: 0.1 s for a quote of 200 characters in a seed of 100 KB, once per quote not found.
    Here each start ``j`` in ``b`` asks only whether ``b[j:j + size + 1]`` is in ``a`` (a
    substring search in C) and grows the block by halving where it is, so ``b`` short and ``a``
    long cost a few hundred searches.
    """
    best = 0
    for j in range(len(b)):
        if len(b) - j <= best:
            break
        if b[j : j + best + 1] not in a:
            continue
        lo, hi = best + 1, len(b) - j  # b[j:j + lo] is in a; the longest is at most hi
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if b[j : j + mid] in a:
                lo = mid
            else:
                hi = mid - 1
        best = lo
    if not best:
        return 0, 0, 0
    starts = (
        (a.find(b[j : j + best]), j) for j in range(len(b) - best + 1) if b[j : j + best] in a
    )
    i, j = min(starts)
    return i, j, best


def diagnose_missing_quote(text: str, quote: str) -> tuple[str, str]:
    """Explain why ``quote`` is not in ``text``: (message, hint)."""
    loose_text, loose_quote = _loose(text), _loose(quote)
    hits = find_all(loose_text, loose_quote)
    if hits:
        at = hits[0]
        diffs = [
            f"the seed has {_char_name(text[at + i])} at offset {at + i} where the quote has "
            f"{_char_name(quote[i])}"
            for i in range(len(quote))
            if text[at + i] != quote[i]
        ]
        msg = f"quote not found exactly; it matches at offset {at} up to look-alike characters"
        return msg, "; ".join(diffs[:3]) + " (copy the characters from the seed)"
    a, b, _size = longest_common_block(text, quote)
    start = max(0, a - b)
    near = text[start : start + len(quote)]
    msg = f"quote not found; nearest text at offset {start}: {short(near)}"
    hint = "check spelling and spacing against the seed; quotes must be copied exactly"
    if "\u00a0" in near and "\u00a0" not in quote:
        hint = "the seed has a non-breaking space (U+00A0) here; " + hint
    return msg, hint


def _locate(
    rep: _Reporter,
    text: str,
    source: str,
    rec: Mapping[str, Any],
    record: str,
    quote_key: str,
    where: str = "",
    trim: bool = True,
) -> tuple[int, int] | None:
    quote = rec[quote_key]
    line = key_line(rec, quote_key, None)
    fld = _join(where, quote_key)
    start, end = rec.get("start"), rec.get("end")
    if isinstance(start, int) and isinstance(end, int) and quote:
        # Offsets given: they say which occurrence, and the quote must be the text there.
        if 0 <= start < end <= len(text) and text[start:end] == quote:
            occ = rec.get("occurrence")
            if occ is not None:  # the matches are searched for only to check it
                hits = cached_find_all(text, quote)
                if not 1 <= occ <= len(hits) or hits[occ - 1] != start:
                    rep.add(
                        key_line(rec, "occurrence", line),
                        record,
                        _join(where, "occurrence"),
                        f"occurrence {occ} is not the match at start {start}",
                        "delete 'occurrence' (the offsets say which match) or correct it",
                    )
                    return None
            if trim and quote != quote.strip():
                rep.add(line, record, fld, "quote starts/ends with white space", "trim it (G3.4)")
                return None
            return start, end
        if not cached_find_all(text, quote):
            shown = text[start:end] if 0 <= start < end <= len(text) else None
            rep.add(
                key_line(rec, "start", line),
                record,
                _join(where, "start"),
                f"offsets {start}-{end} hold {short(shown)}, not the quote {short(quote)} (in {source})",
                "offsets are Python string indices into the seed decoded as UTF-8, end exclusive",
            )
            return None
    if (trim and quote != quote.strip()) or not quote:
        rep.add(
            line,
            record,
            fld,
            "quote is empty or starts/ends with white space",
            "trim the quote (G3.4)",
        )
        return None
    hits = cached_find_all(text, quote)
    if not hits:
        msg, hint = diagnose_missing_quote(text, quote)
        rep.add(line, record, fld, f"{msg} (in {source})", hint)
        return None
    occ = rec.get("occurrence")
    if occ is None:
        if len(hits) > 1:
            rep.add(
                line,
                record,
                fld,
                f"quote occurs {len(hits)} times (offsets {', '.join(map(str, hits[:6]))})",
                "add 'occurrence: N' (1-based, left to right) to say which one",
            )
            return None
        occ = 1
    elif not 1 <= occ <= len(hits):
        rep.add(
            key_line(rec, "occurrence", line),
            record,
            _join(where, "occurrence"),
            f"occurrence {occ} but the quote occurs {len(hits)} time(s)",
            "occurrences count from 1, left to right",
        )
        return None
    start = hits[occ - 1]
    end = start + len(quote)
    for key, derived in (("start", start), ("end", end)):
        if key in rec and rec[key] != derived:
            rep.add(
                key_line(rec, key, line),
                record,
                _join(where, key),
                f"{key} is {rec[key]} but the quote is at {start}-{end}",
                "run 'harness validate --fix' to rewrite derived offsets, or delete them",
            )
    return start, end
