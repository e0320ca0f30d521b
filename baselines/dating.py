"""Which date a claim gets (G7): the DCT, resolving timexes, and choosing one timex per claim."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from baselines.cues import REPORTING_VERBS
from harness.extraction.api import Document, PredictedTimex
from harness.gold.text import sentence_text


def document_dct(doc: Document) -> tuple[str | None, str]:
    """The DCT to resolve against and where it came from (``given``, ``detected`` or ``none``).

    In ``--dct detect`` mode the document carries no DCT and the stamp is found in the text with
    :func:`harness.tagger.detect_dct`.
    """
    if doc.dct is not None:
        return doc.dct, "given"
    from harness.dates.stamps import detect_dct

    found = detect_dct(doc.text)
    if found is None:
        return None, "none"
    return found[0], "detected"


def check_dct(dct: str | None) -> str | None:
    """``None`` if ``dct`` can anchor relative dates, else why not (with the fix)."""
    if dct is None:
        return None
    from harness.dates.resolve import parse_dct

    try:
        parse_dct(dct)
    except ValueError as exc:
        return str(exc)
    return None


@dataclass(frozen=True)
class TimexSpan:
    """A temporal expression found by a baseline, before resolution."""

    start: int
    end: int
    text: str
    #: The finder's own type guess (spaCy's DATE/TIME label), used when the resolver has none.
    label: str | None = None


def resolve_timexes(
    doc: Document,
    spans: Sequence[TimexSpan],
    dct: str | None,
    resolver: Any,
) -> tuple[PredictedTimex, ...]:
    """Resolve each timex against the DCT, with its sentence as context (tense, anchors).

    The timexes are resolved in text order, each with the antecedent the earlier ones leave
    (:func:`~harness.dates.base.resolve_in_order`), so that "at that time" takes the value of the
    time named before it. A timex the resolver cannot normalize keeps its span, with value None
    (and the finder's type guess, if any): it still counts for span detection in the timex track.
    Without a DCT nothing is resolved: relative values would be guesses, and absolute ones are not
    worth a second path.
    """
    from harness.dates.base import resolve_in_order

    text = doc.text
    ordered = sorted(set(spans), key=lambda s: (s.start, s.end))
    answers: list[Any] = [None] * len(ordered)
    if dct is not None:
        items = [(span.text, sentence_text(text, span.start)) for span in ordered]
        answers = resolve_in_order(resolver, items, dct)
    out = []
    for span, res in zip(ordered, answers, strict=True):
        type_, value = (res.type, res.value) if res is not None else (span.label, None)
        out.append(PredictedTimex(doc.doc_id, span.start, span.end, span.text, type_, value))
    return tuple(out)


def _report_forms() -> str:
    forms = sorted({f for fs in REPORTING_VERBS.values() for f in fs}, key=len, reverse=True)
    return "|".join(forms)


REPORTING_FORMS = _report_forms()
_REPORT_WORD = re.compile(
    rf"\b(?:{REPORTING_FORMS}|announcement|statement(?:\s+\w+)?\s+made)\Z", re.IGNORECASE
)
_SINCE_BEFORE = re.compile(r"\bsince\s+$", re.I)
_POSSESSIVE_AFTER = re.compile(r"[’']s\b")
_REPORT_LINK = re.compile(r"(?:on|earlier|later|late|last|this|in)", re.IGNORECASE)


def attached_to_reporting_verb(text: str, timex: PredictedTimex, sentence_start: int) -> bool:
    """Whether a timex dates the report rather than the event (G7.1): "reported on Monday".

    Whether ``text[sentence_start:timex.start]`` ends with a reporting word, then any of "on",
    "earlier", "later", "late", "last", "this", "in" (each after white space), then white space.
    Read right to left over those few words, not by a regex search over the whole sentence
    before every timex (quadratic in a long sentence with many timexes).
    """
    lo, i = sentence_start, timex.start
    while i > lo and text[i - 1].isspace():
        i -= 1
    while True:
        j = token_start(text, i, lo)
        if j in (i, lo) or not _REPORT_LINK.fullmatch(text, j, i):
            break
        i = j
        while i > lo and text[i - 1].isspace():
            i -= 1
    # "statement he made": the reporting words are at most three tokens long.
    w = tokens_back(text, i, 3, lo)
    return _REPORT_WORD.search(text[w:i]) is not None


def token_start(text: str, end: int, lo: int = 0) -> int:
    """Start of the run of non-white-space characters that ends at ``end`` (not before ``lo``)."""
    j = end
    while j > lo and not text[j - 1].isspace():
        j -= 1
    return j


def tokens_back(text: str, end: int, n: int, lo: int = 0) -> int:
    """Start of the ``n``-th white-space-separated token before ``end`` (``lo`` if fewer).

    Patterns anchored at ``end`` that span at most ``n`` tokens are searched from here, so each
    search costs the few tokens it can match instead of everything before ``end``.
    """
    i = end
    for _ in range(n):
        while i > lo and text[i - 1].isspace():
            i -= 1
        i = token_start(text, i, lo)
        if i == lo:
            break
    return i


_FUTURE = re.compile(
    r"\b(?:will|would|could|shall|may|might|plans?\s+to|planned\s+to|planning\s+to|expected|"
    r"scheduled|due\s+to|intends?\s+to|going\s+to|set\s+to|to\s+be\s+held)\b",
    re.IGNORECASE,
)


def choose_date(
    text: str,
    timexes: Sequence[PredictedTimex],
    start: int,
    end: int,
    report_time: Iterable[tuple[int, int]] = (),
    report_fallback: bool = True,
) -> PredictedTimex | None:
    """The timex that most plausibly dates the event claimed in ``text[start:end]`` (G7.2).

    ``timexes`` are those of the claim's sentence; ``report_time`` the spans of the ones that date
    a report ("reported on Monday", G7.1). Candidates are resolved DATE/TIME timexes inside the
    span that date no report and do not follow "since" (a starting point: "first trip since
    2019"); one that modifies a noun ("Saturday’s parade") is used only when no other is left.
    The first candidate wins, unless a later one lies inside its interval and so refines it:
    "four years ago, in April 2019" is dated ``2019-04``, not ``2019``. Durations and sets date
    nothing.

    With ``report_fallback``, a claim with no event timex is dated by its report's timex: an
    event reported "earlier Monday" as past, or a statement "he made last week", happened at or
    before that time. Not so a planned or possible event ("will soon meet", "could purchase"),
    which lies after its report: that claim stays undated.
    """
    excluded = set(report_time)
    usable = [
        t
        for t in timexes
        if t.value is not None
        and t.type in ("DATE", "TIME")
        and not _SINCE_BEFORE.search(text[max(0, t.start - 8) : t.start])
    ]
    inside = [t for t in usable if start <= t.start and t.end <= end]
    event = [t for t in inside if (t.start, t.end) not in excluded]
    plain = [t for t in event if not _POSSESSIVE_AFTER.match(text[t.end : t.end + 3])]
    for group in (plain, event):
        if group:
            return _most_specific_first(group)
    if report_fallback and not _FUTURE.search(text, start, end):
        reports = [t for t in usable if (t.start, t.end) in excluded]
        if reports:
            return _most_specific_first(reports)
    return None


def _most_specific_first(candidates: Sequence[PredictedTimex]) -> PredictedTimex:
    """The first candidate, or a later one that refines it (lies inside its interval)."""
    from harness.gold.timex import to_interval

    best = candidates[0]
    for other in candidates[1:]:
        a, b = to_interval(best.value or ""), to_interval(other.value or "")
        if a is not None and b is not None and a.start <= b.start and b.end <= a.end and a != b:
            best = other
    return best
