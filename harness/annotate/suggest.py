"""The scaffold's suggestions: DCT candidates from the page's stamps, timexes found by the tagger
and resolved by the rules (marked when their value depends on the DCT), and guesses of outlet,
byline and language. Each is a suggestion for the annotator, never a decision.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from harness.annotate.yaml_text import _line_of, _shorten, _stands_alone
from harness.gold import timex as tx

#: Resolving against this second anchor tells DCT-relative values ("Monday") from absolute ones.
_SHIFT_DAYS = 371
#: Anchors for a page without any DCT candidate: only values equal under both are suggested.
_NEUTRAL_ANCHORS = ("2001-03-14", "2012-10-05")
_MAX_CANDIDATES = 12


_ENGLISH_FUNCTION_WORDS = frozenset({
    "the", "a", "an", "of", "to", "in", "and", "or", "but", "on", "at", "by", "for", "with",
    "from", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had", "that", "this",
    "these", "those", "it", "its", "he", "she", "they", "his", "her", "their", "we", "our", "you",
    "not", "will", "would", "said", "says", "after", "before", "about", "into", "over", "than",
    "which", "who", "what", "when", "where", "there",
})  # fmt: skip
_DOMAIN = re.compile(
    r"(?<![\w.-])(?:[\w.+-]+@)?((?:[a-z0-9-]+\.)+"
    r"(?:com|org|net|gov|edu|info|news|tv|io|co\.uk|co\.kr|co\.jp|ru|kr|uk|de|fr|tr|cn|jp|eu|us"
    r"|ca|au|in))(?![\w-])"
)
_BYLINE = re.compile(
    r"^[ \t]*(?:Written by|Words by|Reported by|By|BY|by)[ \t:]+"
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March"
    r"|April|May|June|July|August|September|October|November|December|The|This|Then)\b)"
    r"(?P<name>[A-Z][\w.'’-]*(?:[ \t]+(?:[A-Z][\w.'’-]*|de|van|von|da|bin|al))*"
    r"(?:[ \t]+(?:and|&)[ \t]+[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*)*)?)"
    # what may follow the name on its line: an address, a bracket, or ", Agency Name"
    r"[ \t]*(?:[\[(|].*|,[ \t]*[A-Z][^\n,.;]*)?$",
    re.MULTILINE,
)
_DAY_OR_MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?")


@dataclass(frozen=True)
class _Candidate:
    """A possible DCT: a full date of the page with its place and how it was found."""

    value: str
    start: int
    end: int
    quote: str
    how: str


@dataclass(frozen=True)
class _Suggestion:
    start: int
    end: int
    quote: str
    type: str
    value: str
    mod: str | None
    relative: bool


# --- suggestions --------------------------------------------------------------------------------


def dct_candidates(text: str) -> list[_Candidate]:
    """Full dates of the page that could be its DCT: the detected stamp first, then text order.

    Only expressions whose value does not depend on the anchor (they print a year) and that name a
    day or a minute qualify; each is labelled by how it was found.
    """
    from harness.dates.resolve import get_resolver
    from harness.dates.stamps import detect_dct
    from harness.dates.tagger import find_timexes

    resolver = get_resolver("rules")
    out: list[_Candidate] = []
    detected = detect_dct(text)
    if detected is not None:
        value, start, end = detected
        out.append(_Candidate(value, start, end, text[start:end], "the page's stamp, detected"))
    for t in find_timexes(text):
        if detected is not None and (t.start, t.end) == (detected[1], detected[2]):
            continue
        values = {_resolve_value(resolver, t.text, anchor, None) for anchor in _NEUTRAL_ANCHORS}
        if len(values) != 1:
            continue
        value = values.pop()
        if value is None or not _DAY_OR_MINUTE.fullmatch(value):
            continue
        how = "on a line of its own" if _stands_alone(text, t.start, t.end) else "in running text"
        out.append(_Candidate(value, t.start, t.end, t.text, how))
    return out


def _choose(candidates: list[_Candidate]) -> _Candidate | None:
    """The suggestion: the detected stamp, else the first date standing on a line of its own."""
    for c in candidates:
        if c.how != "in running text":
            return c
    return None


def suggest_timexes(
    text: str, dct: str | None
) -> tuple[list[_Suggestion], list[tuple[int, int, str, str]]]:
    """Tagged and resolved timexes, and the tagged ones left unresolved (with the reason).

    Each expression is resolved in its sentence against ``dct`` and against ``dct`` shifted by a
    year and a week, in text order, with the antecedent the earlier ones leave under the same DCT
    (:func:`~harness.dates.base.anchor_value`); a value that changes is marked relative to the DCT.
    Without a DCT only the values that do not depend on any anchor are suggested.
    """
    from harness.dates.base import anchor_value
    from harness.dates.resolve import get_resolver
    from harness.dates.tagger import find_timexes
    from harness.gold.text import sentence_text

    resolver = get_resolver("rules")
    anchors = (dct, _shift(dct)) if dct else _NEUTRAL_ANCHORS
    suggestions: list[_Suggestion] = []
    unresolved: list[tuple[int, int, str, str]] = []
    antecedents: dict[str, str | None] = dict.fromkeys(anchors)
    for t in find_timexes(text):
        context = sentence_text(text, t.start)
        results = []
        for anchor in anchors:
            try:
                res = resolver.resolve(t.text, anchor, context, anchor=antecedents[anchor])
            except ValueError as exc:
                results.append(None)
                unresolved.append((t.start, t.end, t.text, f"resolver error: {exc}"))
                break
            results.append(res)
            antecedents[anchor] = anchor_value(res) or antecedents[anchor]
        else:
            first, second = results
            if first is None:
                unresolved.append((t.start, t.end, t.text, "the resolver does not understand it"))
                continue
            relative = second is None or (first.value, first.mod) != (second.value, second.mod)
            if dct is None and relative:
                unresolved.append((t.start, t.end, t.text, "its value needs the DCT"))
                continue
            type_ = first.type
            if type_ == "DATE" and tx.kind(first.value) == "time":
                type_ = "TIME"  # G5.3: any value with a time part is a TIME
            # A suggestion, once confirmed, must validate: hold back anything the validator refuses.
            if t.text != t.text.strip() or not t.text:
                unresolved.append(
                    (t.start, t.end, t.text, "its extent has surrounding white space")
                )
                continue
            if not tx.is_valid(first.value, type_) or (first.mod and first.mod not in tx.MODS):
                why = f"the resolver's value {first.value!r} {first.mod or ''} is not valid TIMEX3"
                unresolved.append((t.start, t.end, t.text, why))
                continue
            suggestions.append(
                _Suggestion(t.start, t.end, t.text, type_, first.value, first.mod, relative)
            )
    return suggestions, unresolved


def _resolve_value(resolver: Any, quote: str, anchor: str, context: str | None) -> str | None:
    try:
        res = resolver.resolve(quote, anchor, context)
    except ValueError:
        return None
    return None if res is None else res.value


def _shift(dct: str) -> str:
    day, _, time = dct.partition("T")
    shifted = (datetime.strptime(day, "%Y-%m-%d") + timedelta(days=_SHIFT_DAYS)).date().isoformat()
    return f"{shifted}T{time}" if time else shifted


def guess_outlet(text: str) -> tuple[str | None, str]:
    """The web domain the page names most often (chrome, e-mail addresses), or None."""
    counts = Counter(m.group(1) for m in _DOMAIN.finditer(text))
    if not counts:
        return None, "no web domain or e-mail address in the text"
    domain, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return domain, f"the most frequent web domain in the page is {domain!r} ({n}x)"


def guess_byline(text: str) -> tuple[str | None, str]:
    """The name on the first line that starts with "By"/"Written by", as printed, or None."""
    m = _BYLINE.search(text)
    if not m:
        return None, "no line starting with 'By' or 'Written by'"
    line = _shorten(m.group(0).strip(), 50)
    return m.group("name").strip(), f"line {_line_of(text, m.start('name'))}: {line!r}"


def guess_language(text: str) -> tuple[str, str]:
    """``en`` when most words are ASCII and common English function words are frequent."""
    words = re.findall(r"[^\W\d_]+", text)
    if not words:
        return "und", "no words"
    ascii_share = sum(w.isascii() for w in words) / len(words)
    english_share = sum(w.lower() in _ENGLISH_FUNCTION_WORDS for w in words) / len(words)
    why = (
        f"{ascii_share:.0%} of {len(words)} words are ASCII, {english_share:.0%} are common "
        "English function words"
    )
    if ascii_share >= 0.9 and english_share >= 0.1:
        return "en", why
    return "und", why + " (not clearly English: write the ISO 639-1 code)"
