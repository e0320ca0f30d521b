"""Reading the spaCy parse for the spaCy baseline: paragraphs, phrases, clauses, timex extents.

Functions of one parsed sentence or entity, with no state: the extractor
(:mod:`baselines.spacy_extractor`) decides what is a claim and who holds it; these say where a
phrase, a clause or a timex begins and ends.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from baselines.attribution import (
    SortedRanges,
    TimexSpan,
    normalize_claimant,
)
from harness.extraction.api import (
    PredictedClaim,
)

_SIGNALS = frozenset({
    "on", "in", "at", "since", "until", "till", "before", "after", "during", "by",
    "from", "to", "as", "late", "early", "through", "throughout", "within", "over",
    "around", "about", "up", "of",
})  # fmt: skip
_WEEKDAYS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)
_NOT_TIMEX = re.compile(r"anniversary|\bth\b|^\d+(?:st|nd|rd|th)$", re.IGNORECASE)


@dataclass(frozen=True)
class _Paragraph:
    doc_index: int
    offset: int
    text: str


@dataclass(frozen=True)
class _Found:
    """A claim found in one sentence, with the tokens of its span and the verb that made it."""

    first: int
    last: int
    claimant: str
    cue: str
    verb: int | None = None


def _according_phrases(sent: Any) -> list[tuple[str, set[int]]]:
    """``according to X`` phrases of a sentence: (claimant X, token indices of the phrase)."""
    out = []
    for tok in sent:
        if tok.lower_ != "according":
            continue
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        if pobj is not None:
            clauses = {t.i for c in pobj.children if c.dep_ == "relcl" for t in c.subtree}
            phrase = {t.i for t in tok.subtree} - clauses
            out.append((normalize_claimant(_phrase(pobj)), phrase))
    return out


def _has_name(phrase: str) -> bool:
    return any(w[:1].isupper() for w in phrase.split()[1:] + phrase.split()[:1] if w != "The")


def _left_proper_phrase(verb: Any, anywhere: bool = False) -> tuple[int, int] | None:
    """The proper-noun phrase right before ``verb`` (or, with ``anywhere``, the last one).

    The parser sometimes loses the subject of a trailing "…, Pyongyang and Moscow confirmed":
    the names right before the verb are the source. A possessive is left out ("the Kremlin's
    website, stating" -> ``the Kremlin``).
    """
    doc = verb.doc
    sent_start = verb.sent.start
    i = verb.i - 1
    while i >= sent_start and (doc[i].dep_ in ("aux", "advmod") or doc[i].tag_ == "RB"):
        i -= 1
    if anywhere:
        while i >= sent_start and doc[i].pos_ != "PROPN":
            i -= 1
    last = i
    while i >= sent_start and (
        doc[i].pos_ == "PROPN" or (doc[i].pos_ in ("CCONJ", "DET") and i < last)
    ):
        i -= 1
    first = i + 1
    while first <= last and doc[first].pos_ == "CCONJ":
        first += 1
    if first > last or not any(doc[k].pos_ == "PROPN" for k in range(first, last + 1)):
        return None
    if first > sent_start and doc[first - 1].lower_ == "the":
        first -= 1
    return first, last


def _close_quote(sent: Any, last: int) -> int:
    """Extend a span that ends inside a quotation over the closing mark ("“soon,”")."""
    doc = sent.doc
    text = doc[sent.start : last + 1].text
    opened = text.count("“") > text.count("”")
    j = last
    while opened and j + 1 < sent.end and doc[j + 1].is_punct and doc[j + 1].text != "“":
        j += 1
        if doc[j].text == "”":
            return j
    return last


def _paragraphs(index: int, text: str, chrome: list[tuple[int, int]]) -> list[_Paragraph]:
    """The non-chrome lines of a document, stripped, with their offsets."""
    out = []
    pos = 0
    mask = SortedRanges(chrome)
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not mask.overlaps(pos, pos + len(line)):
            out.append(_Paragraph(index, pos + line.index(stripped[0]), stripped))
        pos += len(line)
    return out


def _temporal_entities(sdoc: Any) -> list[Any]:
    """DATE and TIME entities, with neighbours separated only by a space joined into one.

    The recognizer splits "Monday evening" into a DATE and a TIME; TimeML marks one expression.
    """
    from spacy.tokens import Span

    out: list[Any] = []
    for ent in sdoc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if out and out[-1].end == ent.start:  # adjacent tokens: only white space between
            out[-1] = Span(sdoc, out[-1].start, ent.end, label=out[-1].label_)
        else:
            out.append(ent)
    return out


def _timex_extent(ent: Any, offset: int) -> TimexSpan | None:
    """A DATE/TIME entity cut to its TimeML extent (G5.2), or None if nothing temporal is left.

    Leading signals go ("on Monday" -> ``Monday``, "as late as Sunday" -> ``Sunday``, "up to 20
    hours" -> ``20 hours``), as does ``earlier``/``later`` before a single weekday; a possessive
    ends the extent ("the previous day’s parade" -> ``the previous day``).
    """
    toks = list(ent)
    while toks and (
        toks[0].lower_ in _SIGNALS
        or (
            toks[0].lower_ in ("earlier", "later") and len(toks) > 1 and toks[1].lower_ in _WEEKDAYS
        )
    ):
        toks = toks[1:]
    for i, t in enumerate(toks):
        if t.tag_ == "POS" or t.text in ("’s", "'s"):
            toks = toks[:i]
            break
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if not toks:
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    text = ent.doc.text[start:end]
    if _NOT_TIMEX.search(text) or not any(t.is_alpha or t.like_num for t in toks):
        return None
    return TimexSpan(offset + start, offset + end, text, label=ent.label_)


def _phrase(tok: Any) -> str:
    """The noun phrase headed by ``tok``, without relative clauses and trailing appositions."""
    drop = {"relcl", "advcl", "punct", "appos"}
    keep = [tok.i]
    for child in tok.children:
        if child.dep_ not in drop:
            keep.extend(t.i for t in child.subtree)
    first, last = min(keep), max(keep)
    return tok.doc[first : last + 1].text


def _split_conjuncts(comp: Any) -> list[Any]:
    """A complement and its conjoined clauses with their own subject: "that A, and that B"."""
    out = [comp]
    for child in comp.children:
        if child.dep_ == "conj" and any(
            c.dep_ in ("nsubj", "nsubjpass", "mark") for c in child.children
        ):
            out.extend(_split_conjuncts(child))
    return out


def _clause_range(
    clause: Any, exclude: Sequence[Any] = (), skip: set[int] | frozenset[int] = frozenset()
) -> tuple[int, int]:
    """First and last token of a clause, without its ``that``, coordinator and split conjuncts.

    ``skip`` holds tokens that belong to no claim (an "according to X" phrase).
    """
    drop = set(skip)
    for other in exclude:
        if other.i != clause.i and other.i in {t.i for t in clause.subtree}:
            drop.update(t.i for t in other.subtree)
    toks = [t for t in clause.subtree if t.i not in drop]
    # drop a coordinator or comma left dangling before a split-off conjunct
    while toks and (toks[-1].dep_ == "cc" or toks[-1].is_punct):
        toks.pop()
    while toks and ((toks[0].dep_ == "mark" and toks[0].lower_ == "that") or toks[0].is_punct):
        toks.pop(0)
    if not toks:
        return clause.i, clause.i
    return toks[0].i, _close_quote(clause.sent, toks[-1].i)


def _last_token_before(sent: Any, char: int) -> int | None:
    last = None
    for t in sent:
        if t.idx + len(t.text) <= char:
            last = t.i
    return last


def _dedupe(claims: list[PredictedClaim]) -> list[PredictedClaim]:
    """Drop exact repeats (same span and claimant) that two rules can produce for one clause."""
    seen: set[tuple[int | None, int | None, str | None]] = set()
    out = []
    for c in claims:
        key = (c.start, c.end, c.claimant)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
