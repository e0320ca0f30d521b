"""Rules shared by the regex and spaCy baselines: configuration, page chrome, spans, dates.

Both baselines must agree on what is *not* article text (G1.2), on how a claim's evidence span is
trimmed (G3.4), on how a claimant is written (G6) and on which timex dates a claim (G7). Keeping
those rules here means that a difference between the two baselines' scores comes from how they find
claims (surface cues vs. a dependency parse), not from two drifting copies of the same heuristics.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.extraction.api import Document, PredictedTimex
from harness.gold.text import sentence_spans

CONFIG_DIR = Path(__file__).resolve().parent / "configs"
AUTHOR = "<AUTHOR>"
#: Claimant for "reportedly", "It was reported that ..." and headline tags such as "– media" (G6.4).
MEDIA_REPORTS = "media reports"

#: Reporting verbs by lemma, with the inflected forms the regex baseline matches.
REPORTING_VERBS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "state": ("states", "stated", "stating"),
    "confirm": ("confirm", "confirms", "confirmed", "confirming"),
    "report": ("reports", "reported", "reporting"),
    "announce": ("announce", "announces", "announced", "announcing"),
    "claim": ("claims", "claimed", "claiming"),
    "warn": ("warn", "warns", "warned", "warning"),
    "deny": ("deny", "denies", "denied", "denying"),
    "write": ("writes", "wrote"),
    "tell": ("tells", "told"),
    "add": ("adds", "added", "adding"),
    "indicate": ("indicates", "indicated"),
    "insist": ("insists", "insisted"),
    "allege": ("alleges", "alleged"),
    "assert": ("asserts", "asserted"),
    "declare": ("declares", "declared"),
    "reveal": ("reveals", "revealed"),
    "acknowledge": ("acknowledges", "acknowledged"),
    "admit": ("admits", "admitted"),
    "note": ("noted",),
    "cite": ("cites", "cited", "citing"),
}
#: Passive hedges with no named holder: the author asserts the claim (G6.1).
HEDGE_VERBS = ("speculated", "believed", "expected", "thought", "understood", "rumored", "feared")

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
_TIMINGS = re.compile(r"^[\d:\s/]+$")
_BRACKET_TAG = re.compile(r"^(?:\[[^\]]*\]|\([A-Z][A-Z .]*\))(?:\s*\[[^\]]*\])*$")
_CREDIT_TAG = re.compile(r"\[[A-Z][A-Z .]*\]")
_LEADING_LABEL = re.compile(r"^(?:breaking|update|exclusive|watch|video|opinion)\s*:\s*", re.I)
_DASHES = "–—"
_TAG_WORDS = re.compile(
    r"\b(?:media|press|agency|agencies|news|reports?|officials?|sources?|kremlin|ministry|"
    r"government|police|army|military|white house|pentagon|state department)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w’'&.-]+")
_OPEN_QUOTES = "“‘\"'"
_CLOSE_QUOTES = "”’\"'"
_QUOTE_PAIRS = {"”": "“", "’": "‘", '"': '"', "'": "'"}


class ConfigError(ValueError):
    """A baseline configuration that cannot be used; the message names the key and the fix."""


def load_config(
    name: str, defaults: Mapping[str, Any], overrides: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The baseline's configuration: built-in defaults < ``configs/<name>.yaml`` < ``overrides``.

    Unknown keys are rejected with a "did you mean" hint: a misspelt ``min_word`` silently ignored
    would make a run look configured when it was not. The YAML file is loaded safely and with
    duplicate keys rejected (see :mod:`harness.yamlio`).
    """
    from harness.gold.yamlio import load_yaml

    config = dict(defaults)
    path = CONFIG_DIR / f"{name}.yaml"
    layers: list[tuple[str, Mapping[str, Any]]] = []
    if path.exists():
        loaded = load_yaml(path)
        if loaded is not None and not isinstance(loaded, Mapping):
            raise ConfigError(f"{path}: expected a mapping of option: value, got {type(loaded)}")
        layers.append((str(path), loaded or {}))
    layers.append(("the extractor's config", overrides or {}))
    for where, layer in layers:
        for key, value in layer.items():
            if key not in defaults:
                close = difflib.get_close_matches(str(key), list(defaults), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ConfigError(
                    f"{where}: unknown option {key!r} for the {name} baseline{hint} "
                    f"(known: {', '.join(sorted(defaults))})"
                )
            config[key] = value
    return config


def check_common_options(
    config: Mapping[str, Any], defaults: Mapping[str, Any], int_keys: Sequence[str]
) -> Any:
    """Check the options both rule baselines share; return their resolver.

    Positive integers for ``int_keys``; ``confidence`` mapping exactly the default cue kinds; the
    resolver looked up now, so that a misspelt name fails the run before any document.
    """
    for key in int_keys:
        if not isinstance(config[key], int) or config[key] < 1:
            raise ConfigError(f"option {key!r} must be a positive integer, got {config[key]!r}")
    conf = config["confidence"]
    if not isinstance(conf, dict) or set(conf) != set(defaults["confidence"]):
        raise ConfigError(
            "option 'confidence' must map exactly attributed, modal and declarative to "
            f"numbers in [0, 1], got {conf!r}"
        )
    return get_resolver(str(config["resolver"]))


# --------------------------------------------------------------------------- page chrome


def is_chrome_line(line: str) -> bool:
    """Whether a whole line is page chrome (G1.2): neither its claims nor its timexes count.

    Judged per line because chrome is laid out in lines: a video teaser "Putin claims that Poland
    will invade Belarus. See more in the video below." is chrome as a whole, although its first
    sentence would pass for a claim on its own.
    """
    s = line.strip()
    if not s:
        return True
    return bool(
        len(_ICON.findall(s)) >= 3
        or _CHROME_LINE.match(s)
        or _CHROME_ANYWHERE.search(s)
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
    if not s or any(c in ".!?" for c in s):
        return False
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


def has_verb_like_word(sentence: str) -> bool:
    """A cheap stand-in for "has a finite verb", used to drop stamps, credits and fragments.

    Counts auxiliaries and modals, ``-ed`` forms, reporting verbs, ``to`` + a lower-case word
    (headline infinitives: "Kim to meet Putin") and an ``-s`` word right after a capitalized one
    (headline present: "Kremlin announces", "Putin claims").
    """
    ws = words(sentence)
    forms = {f for fs in REPORTING_VERBS.values() for f in fs}
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
    if len(words(s)) < min_words:
        return "fragment"
    if s.rstrip("”’\"' ").endswith("?"):
        return "fragment"
    if not has_verb_like_word(s):
        return "fragment"
    return "text"


# --------------------------------------------------------------------------- spans


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
    s = re.sub(r"[“”\"]", "", raw)
    s = re.sub(r"(?<![\w])[‘’']|[‘’'](?![\w])", "", s)
    s = " ".join(s.replace("\xa0", " ").split()).strip(" ,;:.–—-")
    if s.startswith("The ") and len(s) > 4:
        s = "the " + s[4:]
    if s.lower() in {"media reports", "media", "reports"}:
        return MEDIA_REPORTS
    return s or AUTHOR


# --------------------------------------------------------------------------- dates


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


def get_resolver(name: str) -> Any:
    """The shared resolver by name, with the configuration key named in any error."""
    from harness.dates.resolve import get_resolver as _get

    try:
        return _get(name)
    except (KeyError, ValueError) as exc:
        raise ConfigError(
            f"option 'resolver': {exc}; hint: use 'rules' (the default) or 'dateparser'"
        ) from None


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

    A timex the resolver cannot normalize keeps its span, with value None (and the finder's type
    guess, if any): it still counts for span detection in the timex track. Without a DCT nothing
    is resolved: relative values would be guesses, and absolute ones are not worth a second path.
    """
    text = doc.text
    out = []
    sents = sentence_spans(text)  # sorted and disjoint, so the one holding a timex is bisected
    sent_starts = [s for s, _ in sents]
    for span in sorted(set(spans), key=lambda s: (s.start, s.end)):
        type_, value = span.label, None
        if dct is not None:
            k = bisect.bisect_right(sent_starts, span.start) - 1
            context = (
                text[sents[k][0] : sents[k][1]] if k >= 0 and span.start < sents[k][1] else None
            )
            res = resolver.resolve(span.text, dct, context=context)
            if res is not None:
                type_, value = res.type, res.value
        out.append(PredictedTimex(doc.doc_id, span.start, span.end, span.text, type_, value))
    return tuple(out)


def _report_forms() -> str:
    forms = sorted({f for fs in REPORTING_VERBS.values() for f in fs}, key=len, reverse=True)
    return "|".join(forms)


REPORTING_FORMS = _report_forms()
_REPORT_WORD = re.compile(
    rf"\b(?:{REPORTING_FORMS}|announcement|statement(?:\s+\w+)?\s+made)\Z", re.IGNORECASE
)
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
        and not re.search(r"\bsince\s+$", text[max(0, t.start - 8) : t.start], re.I)
    ]
    inside = [t for t in usable if start <= t.start and t.end <= end]
    event = [t for t in inside if (t.start, t.end) not in excluded]
    plain = [t for t in event if not re.match(r"[’']s\b", text[t.end : t.end + 3])]
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
