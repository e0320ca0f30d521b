"""The regex baseline's rules for one sentence: the cues that find a claim, its span and its
claimant (:func:`analyse_sentence`); :mod:`baselines.regex_extractor` runs them over a document.

Per sentence of :func:`harness.text.sentence_spans` (page chrome removed, see
:mod:`baselines.attribution`), the first rule that applies gives the candidate:

1. a headline source tag (``… – North Korean state media``) gives the claimant;
2. ``According to X, P`` / ``P, according to X`` give claimant X and span P;
3. ``X said [on Monday] that P`` gives X and P; ``it was reported that P`` gives ``media reports``;
   ``it is expected that P`` is the author's hedge (G6.1); ``X said, “P”`` gives the quotation;
4. ``P, X reported [on Monday][, citing Y]`` gives X (and Y) and P;
5. ``X has reported Kim will …`` (complement without "that") gives X and the complement;
6. a reporting verb with no complement makes the report itself the claim (G3.2);
7. otherwise a sentence with a modal/future marker, or with a named entity and a finite verb,
   is an ``<AUTHOR>`` claim (spans the sentence).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from baselines.attribution import (
    AUTHOR,
    HEDGE_VERBS,
    MEDIA_REPORTS,
    REPORTING_FORMS,
    has_named_entity,
    headline_tag,
    normalize_claimant,
    tokens_back,
)

_VERB = rf"(?:{REPORTING_FORMS})"
_ADV = (
    r"(?:has|have|had|also|earlier|initially|later|officially|previously|repeatedly|first|again|"
    r"now|just|then|reportedly|publicly|today|yesterday|not|already|since)"
)
_STOP = frozenset({
    "that", "which", "who", "whom", "whose", "while", "but", "after", "before", "when",
    "if", "because", "as", "although", "though", "where", "despite", "amid", "following",
    "with", "without", "since", "until", "unless", "whether", "once", "so", "than", "is",
    "are", "was", "were", "will", "would", "could", "can", "may", "might", "should",
    "must", "be", "been", "being", "do", "does", "did", "to",
})  # fmt: skip
_SOURCE_NOUNS = re.compile(
    r"\b(?:media|press|agency|news|reports?|officials?|sources?|government|ministry|"
    r"spokes(?:wo)?man|spokesperson|newspaper|channel|daily|president|minister|he|she|they)\b",
    re.IGNORECASE,
)
_ACCORDING_FIRST = re.compile(r"^According to\s+(?P<src>[^,]{2,100}?),\s*(?P<rest>\S.*)$", re.S)
# Linear time on any sentence (tests/test_linear_time.py). Unless a comma follows it, the lazy
# body may end inside a run of white space only when it is one character long, as the shortest
# body never does otherwise: without that guard the run was rescanned from each of its
# characters.
_ACCORDING_LAST = re.compile(
    r"^(?P<body>.+?)(?:[,;]|(?<=\A.)|(?<!\s))\s+according to\s+(?P<src>[^,;]{2,100}?)(?=[,;]|$)",
    re.S,
)
_THAT = re.compile(r"\bthat\s+(?=\S)")
_VERB_BEFORE_THAT = re.compile(rf"\b(?P<verb>{_VERB})\b(?P<gap>(?:\s+[\w’'-]+){{0,4}})\s*$")
_PASSIVE = re.compile(r"\b[Ii]t\s+(?:is|was|has\s+been|had\s+been)\s+(?:\w+ly\s+)?$")
_CITED = re.compile(r"\bcited\s+(?P<y>[\w’' ]{1,40}?)\s+as\s+$")
_VERB_WORD = re.compile(rf"\b{_VERB}\b")
_ADV_WORD = re.compile(_ADV, re.I)
_HEDGE_THAT = re.compile(
    rf"\b[Ii]t\s+(?:is|was|has\s+been|had\s+been)\s+(?:\w+ly\s+)?(?:{'|'.join(HEDGE_VERBS)})"
    r"\s+that\s+(?P<p>\S.*)$",
    re.S,
)
_PASSIVE_BY = re.compile(
    rf"\b(?:was|were|is|are|has been|have been)\s+(?:{_ADV}\s+|\w+ly\s+)?{_VERB}\s+by\s+"
)
_BY_AGENT = re.compile(r"\bby\s+(?P<x>(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)")
_QUOTED = re.compile(rf"\b(?P<verb>{_VERB})\b,?\s*(?P<p>[“\"].+)$", re.S)
# The claimant x may take one character of the white space after the comma (when it is one letter
# long), or be two white-space characters that end the run; the regex found no other x first,
# and trying every split of a long run was quadratic (tests/test_linear_time.py).
_TRAILING = re.compile(
    rf"(?P<sep>,[”’\"]?|[”’\"],)(?:\s+(?!\s\s)|\s+(?=\s{{3}}(?!\s)))(?P<x>[^,;“”\"]{{2,120}}?)\s+"
    rf"(?:{_ADV}\s+)*(?P<verb>{_VERB})\b(?P<after>(?!\s+that\b).*)$",
    re.S,
)
_BARE_VERBS = ("said", "says", "reported", "reports", "claimed", "claims", "announced", "wrote")
_BARE = re.compile(
    rf"\b(?P<verb>{'|'.join(_BARE_VERBS)}|told\s+[\w ]{{1,30}}?)"
    r"\s+(?P<p>(?:[A-Z]\S*|the|a|an|it|he|she|they)\b.+)$",
    re.S,
)
_FINITE_SOON = re.compile(r"^(?:\S+\s+){0,6}?(?:will|would|is|was|are|were|has|have|had|could)\b")
# "(KCNA)" after "Korean Central News Agency": part of the subject
_PAREN_ABBR = re.compile(r"\([A-Z][\w.]*\)")
_AGENT_END = re.compile(r"\s+and\s+(?:later|then|also)\b|,")
_NAME = re.compile(r"(?P<x>(?:\b[Tt]he\s+)?(?<![\w’'])[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)(?:[’']s)?")
_CITING = re.compile(r"\bciting\s+(?P<y>[^,;.]+)")
_REPORTEDLY = re.compile(r"\breportedly\b", re.I)
_MODAL = re.compile(
    r"\b(?:will|would|could|may|might|shall|plans?\s+to|planned\s+to|planning\s+to|intends?\s+to|"
    r"(?:is|are|was|were)\s+(?:\w+ly\s+)?expected\s+to|scheduled|(?:is|are)\s+due\s+to|set\s+to|"
    r"poised\s+to|to\s+(?:meet|visit|travel|hold|attend|sign))\b",
    re.I,
)
# Only where it starts matters. The possessive runs of white space (before a word, they must
# take the whole run) and the two ways into the name (right after the run, or one space inside
# it) keep every search linear; ", the" and a long run of spaces took minutes before.
_ATTRIBUTION_TAIL = re.compile(
    rf",[”’\"]?(?:\s+(?!\s\s)(?:the\s++)?[\w’' .-]{{1,60}}?|\s(?>\s*?\x20)(?=\s))\s++"
    rf"(?:{_ADV}\s++)*{_VERB}\b(?!\s+that\b).*$",
    re.S,
)


@dataclass(frozen=True)
class Candidate:
    """One sentence's claim before dating: span relative to the sentence, claimant, cue."""

    start: int
    end: int
    claimant: str
    cue: str


def subject_before(sentence: str, pos: int, max_words: int) -> tuple[int, int] | None:
    """The noun phrase right before a reporting verb at ``pos``: its subject, or None.

    Walks back over auxiliaries and adverbs ("has also", "earlier"), then over words until a
    punctuation mark, a clause word ("that", "while", "after") or the sentence start. A phrase
    longer than ``max_words``, or with no name and no source noun in it, is no subject.
    """
    end = _adverbs_start(sentence, pos)
    begin = end
    count = 0
    for tok_start, tok_end in _tokens_backwards(sentence, end):
        w = sentence[tok_start:tok_end]
        if _PAREN_ABBR.fullmatch(w):  # "Korean Central News Agency (KCNA)"
            begin = tok_start
            continue
        if w[-1] in ",;:([" or w[-1] in '”"’' or w.lower().strip("“‘\"'") in _STOP:
            break
        count += 1
        if count > max_words:
            return None
        begin = tok_start
        if w[0] in '“"(':
            break
    if count == 0:
        return None
    phrase = sentence[begin:end]
    if not (has_named_entity(phrase) or _SOURCE_NOUNS.search(phrase)):
        return None
    return begin, end


def _adverbs_start(text: str, pos: int) -> int:
    """Where the run of adverbs and auxiliaries ("has also", "earlier") before ``pos`` begins.

    ``re.search(rf"(?:\\s+{_ADV})*\\s*$", text[:pos], re.I).start()``, read right to left one
    token at a time: the search retried every position of the text before a reporting verb, and
    every position of a run of white space (quadratic).
    """
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    start = i
    while True:
        j = i
        while j > 0 and not text[j - 1].isspace():
            j -= 1
        if j in (i, 0) or not _ADV_WORD.fullmatch(text, j, i):
            return start  # an adverb must follow white space, so none at the very start
        while j > 0 and text[j - 1].isspace():
            j -= 1
        start = i = j


def _tokens_backwards(text: str, end: int) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` of each white-space-separated token before ``end``, last first.

    Lazy: a caller that stops after a few tokens reads only those, where listing every token of
    the sentence before each reporting verb was quadratic.
    """
    i = end
    while i > 0:
        while i > 0 and text[i - 1].isspace():
            i -= 1
        j = i
        while j > 0 and not text[j - 1].isspace():
            j -= 1
        if j < i:
            yield j, i
        i = j


def _verb_before(sentence: str, pos: int) -> re.Match[str] | None:
    """The reporting verb nearest before ``pos`` with at most four words in between.

    Only the last five tokens before ``pos`` can hold it (the verb's and four words), so only
    they are searched; searching all of ``sentence[:pos]`` for every "that" was quadratic.
    """
    found = None
    for v in _VERB_WORD.finditer(sentence, tokens_back(sentence, pos, 5), pos):
        m = _VERB_BEFORE_THAT.match(sentence, v.start(), pos)
        if m:
            found = m
    return found


def _last_name_before(sentence: str, pos: int) -> str | None:
    """The last name-like phrase before ``pos`` ("the Kremlin's website" -> "the Kremlin")."""
    names = list(_NAME.finditer(sentence, 0, pos))
    return normalize_claimant(names[-1].group("x")) if names else None


def _claimant(sentence: str, span: tuple[int, int] | None) -> str | None:
    return normalize_claimant(sentence[span[0] : span[1]]) if span else None


def _cut_attribution_tail(sentence: str, start: int, end: int) -> int:
    """End of ``[start, end)`` before a trailing ", the report said, ..." attribution."""
    m = _ATTRIBUTION_TAIL.search(sentence, start, end)
    return m.start() if m and m.start() > start else end


#: Cue regexes whose every match holds one of these literal texts (none is case-insensitive):
#: where the sentence holds none of them, the search is skipped. A substring test costs far less
#: than the regex's walk over a sentence it cannot match (``tests/test_regex_guards.py``).
_NEEDS: dict[re.Pattern[str], tuple[str, ...]] = {
    _ACCORDING_LAST: ("according to",),
    _HEDGE_THAT: ("that",),
    _QUOTED: ("“", '"'),
    _PASSIVE_BY: ("by",),
    _THAT: ("that",),
    # the separator before the claimant is a comma, with a quotation mark before or after it
    _TRAILING: (",",),
    _BARE: (*_BARE_VERBS, "told"),
}


def _cannot_match(regex: re.Pattern[str], sentence: str) -> bool:
    """Whether ``sentence`` lacks every literal text ``regex`` needs (:data:`_NEEDS`), so that
    the regex cannot match it."""
    needs = _NEEDS.get(regex)
    return needs is not None and not any(n in sentence for n in needs)


def _cue(regex: re.Pattern[str], sentence: str, anchored: bool = False) -> re.Match[str] | None:
    """``regex.search(sentence)`` (``match`` if ``anchored``), or None at once where the
    sentence lacks every literal text the regex needs (:func:`_cannot_match`)."""
    if _cannot_match(regex, sentence):
        return None
    return regex.match(sentence) if anchored else regex.search(sentence)


def _cues(regex: re.Pattern[str], sentence: str) -> Iterator[re.Match[str]]:
    """``regex.finditer(sentence)``, or nothing at once where the sentence lacks every literal
    text the regex needs (:func:`_cannot_match`)."""
    return iter(()) if _cannot_match(regex, sentence) else regex.finditer(sentence)


def analyse_sentence(sentence: str, config: dict[str, Any]) -> Candidate | None:
    """The claim candidate of one sentence (offsets into ``sentence``), or None.

    The cue (``headline``, ``according``, ``that``, ``hedge``, ``quote``, ``trailing``, ``bare``,
    ``report``, ``reportedly``, ``modal``, ``declarative``) is kept to set the confidence and to
    let error analysis group predictions by the rule that made them.
    """
    max_words = int(config["max_claimant_words"])
    n = len(sentence)

    tag = headline_tag(sentence, 0, n)
    if tag is not None:
        return Candidate(0, tag[0], tag[1], "headline")

    m = _ACCORDING_FIRST.match(sentence)
    if m:
        start = m.start("rest")
        return Candidate(
            start,
            _cut_attribution_tail(sentence, start, n),
            normalize_claimant(m.group("src")),
            "according",
        )
    m = _cue(_ACCORDING_LAST, sentence, anchored=True)
    if m:
        return Candidate(0, m.end("body"), normalize_claimant(m.group("src")), "according")

    m = _cue(_HEDGE_THAT, sentence)
    if m:
        return Candidate(m.start("p"), n, AUTHOR, "hedge")

    for that in _cues(_THAT, sentence):
        v = _verb_before(sentence, that.start())
        if not v:
            continue
        p_start = that.end()
        verb = v.group("verb").lower()
        # "It is/has been (widely) <verb>": five tokens at most before the verb.
        if _PASSIVE.search(sentence, tokens_back(sentence, v.start(), 6), v.start()):
            agent = _BY_AGENT.search(sentence, 0, v.start())
            if agent:
                claimant = normalize_claimant(agent.group("x"))
            else:
                claimant = MEDIA_REPORTS if verb.startswith("report") else AUTHOR
            return Candidate(p_start, n, claimant, "that")
        # "cited <y> as": "cited", at most 20 words of y (40 characters) and "as".
        cited = _CITED.search(sentence, tokens_back(sentence, v.start(), 24), v.start())
        if verb == "saying" and cited:
            subj = subject_before(sentence, cited.start(), max_words)
            if subj:
                who = f"{_claimant(sentence, subj)}, citing {cited.group('y')}"
                return Candidate(p_start, n, normalize_claimant(who), "that")
        subj = subject_before(sentence, v.start(), max_words)
        if subj:
            return Candidate(p_start, n, _claimant(sentence, subj) or AUTHOR, "that")

    m = _cue(_QUOTED, sentence)
    if m:
        subj = subject_before(sentence, m.start("verb"), max_words)
        who = _claimant(sentence, subj) or _last_name_before(sentence, m.start("verb"))
        if who:
            return Candidate(m.start("p"), n, who, "quote")

    m = _cue(_TRAILING, sentence)
    if m and m.start() > 0:
        subj = subject_before(sentence, m.start("verb"), max_words)
        if subj and subj[0] == m.start("x"):
            who = _claimant(sentence, subj) or AUTHOR
            citing = _CITING.search(m.group("after"))
            if citing:
                who = normalize_claimant(f"{who}, citing {citing.group('y')}")
            # "… Putin “soon,” the agency has reported": the quotation keeps its closing mark
            end = m.end("sep") if m.group("sep")[-1] in '”’"' else m.start()
            return Candidate(0, end, who, "trailing")

    m = _cue(_BARE, sentence)
    if m and _FINITE_SOON.match(m.group("p")):
        subj = subject_before(sentence, m.start("verb"), max_words)
        if subj:
            return Candidate(m.start("p"), n, _claimant(sentence, subj) or AUTHOR, "bare")

    m = _cue(_PASSIVE_BY, sentence)
    agent = _BY_AGENT.search(sentence, m.end() - 3) if m else None
    if agent:
        x = _AGENT_END.split(agent.group("x"))[0]
        return Candidate(0, n, normalize_claimant(x), "report")
    for v in _VERB_WORD.finditer(sentence):
        subj = subject_before(sentence, v.start(), max_words)
        if subj:
            who = _claimant(sentence, subj) or AUTHOR
            citing = _CITING.search(sentence, v.end())
            if citing:
                who = normalize_claimant(f"{who}, citing {citing.group('y')}")
            return Candidate(0, n, who, "report")

    if _REPORTEDLY.search(sentence):
        return Candidate(0, n, MEDIA_REPORTS, "reportedly")
    if not config["author_claims"]:
        return None
    if _MODAL.search(sentence):
        return Candidate(0, n, AUTHOR, "modal")
    if has_named_entity(sentence):
        return Candidate(0, n, AUTHOR, "declarative")
    return None


__all__ = ["Candidate", "analyse_sentence"]
