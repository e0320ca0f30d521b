"""Claim evidence spans and claimants: trimming (G3.4), headline tags and claimant form (G6)."""

from __future__ import annotations

import re

from baselines.chrome import has_verb_like_word, words
from baselines.cues import AUTHOR, MEDIA_REPORTS

_QUOTE_MARKS = re.compile(r"[“”\"]")
_EDGE_APOSTROPHES = re.compile(r"(?<![\w])[‘’']|[‘’'](?![\w])")
_CREDIT_TAG = re.compile(r"\[[A-Z][A-Z .]*\]")
_LEADING_LABEL = re.compile(r"^(?:breaking|update|exclusive|watch|video|opinion)\s*:\s*", re.I)
_DASHES = "–—"
_TAG_WORDS = re.compile(
    r"\b(?:media|press|agency|agencies|news|reports?|officials?|sources?|kremlin|ministry|"
    r"government|police|army|military|white house|pentagon|state department)\b",
    re.IGNORECASE,
)
_OPEN_QUOTES = "“‘\"'"
_CLOSE_QUOTES = "”’\"'"
_QUOTE_PAIRS = {"”": "“", "’": "‘", '"': '"', "'": "'"}


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` to a G3.4 evidence span.

    Drops surrounding white space (non-breaking spaces included), a trailing photo credit
    (``© KCNA / AFP``, ``[YONHAP]``), a leading label (``Breaking:``), final punctuation, and a
    quotation mark at either end whose partner is not inside the span; keeps a closing quote that
    ends a quotation opened inside the span.
    """
    while True:
        before = (start, end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        credit = _trailing_credit_start(text, start, end)
        if credit is not None and credit > start:
            end = credit
        m = _LEADING_LABEL.match(text, start, end)
        if m and m.end() < end:
            start = m.end()
        while end > start and text[end - 1] in ".,;:–—-":
            end -= 1
        while start < end and text[start] in ",;:–—-":
            start += 1
        if end - start > 2 and text[start] in _OPEN_QUOTES and text[end - 1] in _CLOSE_QUOTES:
            inner = text[start + 1 : end - 1]
            if _QUOTE_PAIRS.get(text[end - 1]) == text[start] and text[start] not in inner:
                start, end = start + 1, end - 1  # the span is one whole quotation
                continue
        if end > start and text[end - 1] in _CLOSE_QUOTES:
            opener = _QUOTE_PAIRS[text[end - 1]]
            inside = text[start : end - 1]
            if opener in ("'", '"'):
                balanced = inside.count(opener) % 2 == 1
            else:
                balanced = inside.count(opener) > inside.count(text[end - 1])
            if not balanced:
                end -= 1
        if end > start and text[start] in _OPEN_QUOTES:
            closer = {"“": "”", "‘": "’"}.get(text[start], text[start])
            if closer not in text[start + 1 : end]:
                start += 1
        if (start, end) == before:
            return start, end


def _trailing_credit_start(text: str, start: int, end: int) -> int | None:
    """Where a run of trailing photo credits begins in ``text[start:end]``, or None.

    The result of ``re.search(r"(?:\\s*(?:©.*|\\[[A-Z][A-Z .]*\\]))+\\s*$", text, start, end)
    .start()``, computed right to left in linear time: that regex retried every white-space
    position and every "©" of a line from scratch (quadratic on long runs of either).
    ``ok[i]``: ``text[i:end]`` is zero or more credits then white space; a credit is "©" and the
    rest of its line, or a bracketed capitalized tag such as ``[YONHAP]``.
    """
    if text.find("©", start, end) == -1 and text.find("[", start, end) == -1:
        return None  # every credit starts with one of the two; most spans have neither
    ok = [False] * (end - start + 1)
    ok[end - start] = True
    eol = end  # the end of the line of position i (a newline or the end)
    found: int | None = None
    credits_from = False  # whether one credit or more (then white space) starts at i + 1
    for i in range(end - 1, start - 1, -1):
        c = text[i]
        if c == "\n":
            eol = i
        if c.isspace():
            here, credit_here = ok[i + 1 - start], credits_from
        elif c == "©":
            # ".*" may stop anywhere on the line; stopping at its end is enough, as only white
            # space (or more credits after it) may follow.
            here = credit_here = ok[eol - start]
        elif c == "[":
            m = _CREDIT_TAG.match(text, i, end)
            here = credit_here = m is not None and ok[m.end() - start]
        else:
            here = credit_here = False
        ok[i - start] = here
        credits_from = credit_here
        if credit_here:
            found = i
    return found


def headline_tag(text: str, start: int, end: int) -> tuple[int, str] | None:
    """A trailing source tag ``… – North Korean state media``: (end of the claim, claimant).

    Headlines name their source after a dash (G6.5); a bare ``– media`` names unnamed media,
    written ``media reports`` (G6.4).
    """
    found = _split_headline_tag(text[start:end])
    if found is None:
        return None
    body_end, tag = found
    if len(words(tag)) > 6 or not _TAG_WORDS.search(tag) or has_verb_like_word(tag):
        return None
    claimant = MEDIA_REPORTS if tag.lower() in {"media", "reports", "media reports"} else tag
    return start + body_end, normalize_claimant(claimant)


def _split_headline_tag(s: str) -> tuple[int, str] | None:
    """(end of the body, stripped tag) of ``body – tag``, or None.

    What ``re.match(r"^(?P<body>.+?)\\s+[–—]\\s+(?P<tag>[^–—.!?]{2,60}?)\\s*$", s)`` finds, in
    linear time (that regex rescanned a run of white space from each of its characters). Neither
    the tag nor the white space around the dash may hold a dash, so only the last dash can be
    the one; the lazy body ends where the white space before it begins.
    """
    dash = max(s.rfind(d) for d in _DASHES)
    if dash < 2:  # a body of one character or more, and white space, come first
        return None
    rest = s[dash + 1 :]
    if not rest[:1].isspace() or any(c in ".!?" for c in rest):
        return None
    tag = rest.strip()
    lead = len(rest) - len(rest.lstrip())
    trail = len(rest) - len(rest.rstrip()) if tag else 0
    if not tag or len(tag) > 60 or (len(tag) == 1 and lead < 2 and trail < 1):
        return None  # an empty tag is no source (and the caller would reject it anyway)
    space = dash
    while space > 0 and s[space - 1].isspace():
        space -= 1
    if space == dash:
        return None
    body_end = max(space, 1)
    if "\n" in s[:body_end]:  # "." in the body does not match a newline
        return None
    return body_end, tag


def normalize_claimant(raw: str) -> str:
    """A claimant as a short noun phrase (G6.2): no quotation marks, no edge punctuation.

    A sentence-initial ``The`` is lower-cased ("The Kremlin said" -> ``the Kremlin``), as the gold
    writes claimants; quotation marks are removed but apostrophes inside words are kept.
    """
    s = _QUOTE_MARKS.sub("", raw)
    s = _EDGE_APOSTROPHES.sub("", s)
    s = " ".join(s.replace("\xa0", " ").split()).strip(" ,;:.–—-")
    if s.startswith("The ") and len(s) > 4:
        s = "the " + s[4:]
    if s.lower() in {"media reports", "media", "reports"}:
        return MEDIA_REPORTS
    return s or AUTHOR
