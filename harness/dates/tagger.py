"""A pattern-based finder of temporal expressions (the page's stamp: :mod:`harness.dates.stamps`).

:func:`find_timexes` marks temporal expressions with TimeML extents as the annotation guidelines
define them (G5.2): signals such as "on", "in", "since", "before" stay outside ("on Monday" ->
``Monday``), modifiers that change the value stay inside (``last month``, ``earlier this month``,
``four years ago``, ``the end of the month``), a weekday with its date is one expression
(``Sunday, September 10``) and a possessive ``’s`` stays outside. It serves the regex baseline and
the suggestions of the annotation scaffold, so it prefers precision: bare adverbs that are only
sometimes temporal ("later", "previously", "once") and media-player times ("0:00") are not marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from harness.dates.vocab import (
    CLOCK_WORDS,
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    NUMBER_WORDS,
    TAGGER_AMPM,
    TIME_ZONES,
    TR_MONTH_ABBREVIATIONS,
    TR_WEEKDAYS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAY_NAMES,
    alternation,
)


@dataclass(frozen=True)
class TaggedTimex:
    """A temporal expression found in a text: ``text == source[start:end]``."""

    start: int
    end: int
    text: str


# --------------------------------------------------------------------------------------------
# Building blocks. Month and weekday names must be capitalized (news prose capitalizes them, and
# "may", "march", "sun" are common words); other words match in any case.

_MONTH_FULL = alternation(MONTH_NAMES, capitalize=True)
_MONTH_ABBR = alternation(MONTH_ABBREVIATIONS, capitalize=True)
# an abbreviation needs its dot or a number after it: "Jan Smith" is a name
MONTH = rf"(?:(?:{_MONTH_FULL})(?![\w])|(?:(?<=\d\s)|(?=\w+\.?,?\s?\d))(?:{_MONTH_ABBR})(?:\.|(?![\w])))"
_TR_MONTH = rf"(?:{alternation(TR_MONTH_ABBREVIATIONS, capitalize=True)})"
_TR_WDAY = rf"(?:{alternation(TR_WEEKDAYS, capitalize=True)})"
WEEKDAY = rf"(?:{alternation(WEEKDAY_NAMES, capitalize=True)})"
_WDAY_ABBR_ALT = alternation(WEEKDAY_ABBREVIATIONS, capitalize=True)
_WDAY_ABBR = rf"(?:{_WDAY_ABBR_ALT})\."
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_B = r"(?<![\w\-/.:])"  # left word boundary that also refuses "F-16", "0/250", "1.5"
_E = r"(?![\w\-/]|\.\d|:\d)"  # right boundary
_AMPM = TAGGER_AMPM
_ZONE = rf"(?:\s+(?:[A-Z]{{1,3}}T|{alternation(z.upper() for z in TIME_ZONES)})(?![\w]))"
_CLOCK_WORD = rf"(?i:{alternation(CLOCK_WORDS)})"
CLOCK = rf"(?:(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*{_AMPM})?|(?:1[0-2]|0?[1-9])\s*{_AMPM}|{_CLOCK_WORD})"
CLOCK_AMPM = rf"(?:(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s*{_AMPM}|{_CLOCK_WORD})"

# "zero" is left out: "zero-day" is not a duration
_NUMWORD = alternation(w for w in NUMBER_WORDS if NUMBER_WORDS[w] > 0)
NUM = (
    rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?(?:\s1/2)?|(?i:(?:{_NUMWORD})(?:[\s-](?:{_NUMWORD}))?"
    rf"(?:\s+and\s+a\s+half)?|a\s+few|a\s+couple\s+of|several|a|an|half\s+an?))"
)
UNIT = r"(?i:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|quarters?|years?|decades?|centuries|century)"
UNIT_PL = r"(?i:minutes|hours|days|weeks|months|years|decades|centuries)"
POD = r"(?i:morning|afternoon|evening|night)"
APPROX = r"(?i:(?:about|around|nearly|almost|roughly|approximately|some|more\s+than|less\s+than|at\s+least|over|under|just\s+over|just\s+under|fewer\s+than)\s+)"
_REL = r"(?i:this|last|next|past|coming|previous|the\s+(?:current|previous|past|coming|following|last|next|same))"
_UNIT_CAL = r"(?i:week|weekend|month|year|quarter|decade|century|spring|summer|autumn|winter|fall)"

# Stamps: the two layouts of the seeds plus ISO, and "weekday, month day, year, time".
_STAMP_PATTERNS = [
    # Sep.12 - 2023 7:30 AM CET
    rf"{MONTH}\s?{DAY}\s*[-–]\s*{YEAR}(?:,?\s+{CLOCK}{_ZONE}?)?",
    # 5 Sep, 2023 03:09 / 22 Apr, 2019 21:44
    rf"{DAY}\s+{MONTH},?\s+{YEAR}(?:,?\s+(?:at\s+)?{CLOCK}{_ZONE}?)?",
    # Çar. Eyl 27th, 2023
    rf"(?:{_TR_WDAY}\.?\s+)?{_TR_MONTH}\.?\s+{DAY},?\s+{YEAR}",
    # 2023-09-05, 2023-09-05T03:09, 2023-09-05 03:09
    rf"{YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[T\s](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?Z?)?",
]

_PATTERNS: list[str] = [
    *_STAMP_PATTERNS,
    # Sunday, September 10 / Tuesday, Sept. 12, 2023, at 3 p.m. / September 10-13 / Sept. 10 to 13
    rf"(?:(?:{WEEKDAY}|{_WDAY_ABBR}),?\s+)?{MONTH}\s?{DAY}(?:\s*(?:[-–]|to|through)\s*(?:{MONTH}\s?)?{DAY})?"
    rf"(?:,?\s+{YEAR})?(?:,?\s+(?:at\s+)?{CLOCK_AMPM}{_ZONE}?)?",
    # 10 September 2023 / Sunday 10 September / 10-13 September
    rf"(?:(?:{WEEKDAY}|{_WDAY_ABBR}),?\s+)?(?:the\s+)?{DAY}(?:\s*[-–]\s*{DAY})?\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?",
    # April 2019 / mid-April 2019 / early September / July-August
    rf"(?:(?i:early|late|mid)[\s-]+|(?i:mid-))?{MONTH}(?:\s*[-–]\s*{MONTH})?(?:,?\s+(?:of\s+)?{YEAR})?",
    # quarters and halves
    rf"(?i:(?:the\s+)?(?:{YEAR}\s+|(?:this|last|next)\s+year's\s+)?(?:fiscal\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th)"
    rf"[\s-]+(?:quarter|half)(?:\s+of\s+(?:{YEAR}|(?:this|last|next)\s+year|the\s+year))?)",
    # year ranges and years, decades, fiscal years
    rf"{YEAR}\s*[-–]\s*(?:{YEAR}|\d\d)(?![\d])",
    rf"(?i:(?:early|late|mid)[\s-]+|mid-)?(?:(?i:fiscal)\s+)?{YEAR}",
    r"(?i:the\s+)?(?i:(?:early|late|mid)[\s-]+)?(?:(?:1[6-9]|20)\d0s|'\d0s)",
    # the end of the month / the beginning of 2019 / end of next year
    rf"(?i:(?:the\s+)?(?:end|beginning|start|middle|turn|close|rest|remainder)\s+of\s+"
    rf"(?:(?:the|this|last|next)\s+(?:week|month|year|quarter|decade|century)|{YEAR}))",
    rf"(?i:(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+){MONTH}(?:\s+{YEAR})?",
    # later this month / earlier this year / early next year / last week / this spring
    rf"(?:(?i:(?:earlier|later|early|late|mid)[\s-]+))?{_REL}\s+{_UNIT_CAL}",
    rf"(?i:(?:last|next|this|early|late)\s+){MONTH}(?!,?\s+{YEAR})",
    # seasons with a year
    rf"(?i:(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?){YEAR}",
    # four years ago / a decade ago / two weeks from now
    rf"{APPROX}?{NUM}[\s-]+{UNIT}(?:\s+or\s+so)?\s+(?i:ago|from\s+now|hence|earlier|later)",
    rf"(?i:(?:a\s+few|several|many|some)\s+)?{UNIT_PL}\s+(?i:ago)",
    # the past 13 months / the first nine months / the next two weeks
    rf"(?i:the\s+(?:past|last|next|coming|first|previous|following|final|latest)\s+)(?:{NUM}[\s-]+)?{UNIT_PL}",
    rf"(?i:the\s+(?:past|last|next|first|final)\s+(?:few|several)\s+){UNIT_PL}",
    # durations: two-day, 20 hours, four years, 24-hour, half an hour
    rf"(?:(?i:the)\s+(?=\S+\s+{UNIT_PL}))?(?:\d+(?:\.\d+)?(?:\s1/2)?|(?i:{_NUMWORD})(?:[\s-](?i:{_NUMWORD}))?)"
    rf"(?:\s+(?i:more|additional|straight|consecutive))?[\s-]{UNIT}(?:[\s-](?i:long))?",
    rf"(?i:(?:several|a\s+few|a\s+couple\s+of|many)\s+){UNIT_PL}",
    r"(?i:(?<=\bfor\s)|(?<=\bwithin\s)|(?<=\bin\s)|(?<=\bover\s)|(?<=\bthan\s)|(?<=\bafter\s)|(?<=\babout\s)|(?<=\bnearly\s)|(?<=\balmost\s)|(?<=\bleast\s))"
    r"(?i:an?\s+(?:minute|hour|day|week|month|year|decade|century))(?![\w-])",
    rf"(?i:half\s+an?\s+(?:hour|day|year|century)|a\s+(?:few|couple\s+of)\s+{UNIT_PL})",
    # relative days, with an optional part of day: yesterday morning, tomorrow, last night
    rf"(?i:(?:late|early)\s+)?(?i:today|tonight|yesterday|tomorrow)(?:\s+{POD})?",
    r"(?i:last\s+night|this\s+(?:morning|afternoon|evening)|overnight)",
    r"(?i:the\s+(?:previous|following|next|preceding|same)\s+(?:day|night|morning|evening|week|month|year)|the\s+day\s+(?:before|after)(?:\s+(?:yesterday|tomorrow))?)",
    # weekdays, with part of day or time: Monday evening, Monday at 3 p.m., 3 p.m. Monday
    rf"(?:(?i:(?:late|early|last|next|this)\s+))?{WEEKDAY}(?:\s+{POD})?(?:,?\s+(?:at\s+)?{CLOCK_AMPM}{_ZONE}?)?",
    rf"{CLOCK_AMPM}{_ZONE}?(?:,?\s+(?:on\s+)?{WEEKDAY})?",
    # the weekend
    r"(?i:(?:this|last|next|the)\s+weekend)",
    # vague references (G5.1)
    r"(?i:(?:the\s+)?(?:coming|upcoming|next\s+few)\s+(?:days|weeks|months|years)"
    r"|(?:the\s+)?(?:days|weeks|months|years)\s+ahead|the\s+(?:near\s+|foreseeable\s+)?future"
    r"|recent\s+(?:days|weeks|months|years|decades)|recently|soon|currently|current|nowadays"
    r"|these\s+days|the\s+past|lately|now)",
    # read-out years (broadcast transcripts), centuries, holidays, clock words
    rf"(?i:(?:the\s+year\s+)?(?:nineteen|eighteen|twenty)[\s-](?:{_NUMWORD})(?:[\s-](?:{_NUMWORD}))?"
    rf"|the\s+year\s+two\s+thousand(?:\s+and\s+\w+)?)",
    r"(?i:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)|(?i:nineteenth|twentieth|twenty-first))[\s-](?i:century)",
    r"(?i:the\s+(?:nineteen\s+)?(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))",
    r"(?i:(?:last|next|this)\s+)?(?:Christmas(?:\s+Day|\s+Eve)?|New\s+Year's\s+(?:Day|Eve)|Thanksgiving(?:\s+Day)?|"
    r"Independence\s+Day|Labor\s+Day|Memorial\s+Day|Election\s+Day|Halloween|Valentine's\s+Day)",
    r"(?i:midday|mid-?\s?afternoon|mid-?\s?morning|year-end)",
    r"(?:\d{1,2}(?::\d\d)?\s+(?i:o'clock\s+)?)(?i:in\s+the\s+(?:morning|afternoon|evening))",
    # that same day, later that year (anchored on a time named before)
    r"(?i:(?:earlier|later)\s+)?(?i:that\s+(?:same\s+)?(?:day|week|month|year|morning|evening|night))",
    # the periods of earnings news: the quarter reported and the same one a year before
    r"(?i:the\s+(?:comparable\s+)?year[\s-](?:ago|earlier)(?:\s+(?:first|second|third|fourth))?\s+(?:quarter|period))",
    r"(?i:the\s+(?:quarter|period)\s+a\s+year\s+(?:ago|earlier)|the\s+(?:latest|most\s+recent)\s+(?:quarter|period))",
    r"(?i:the\s+quarter)(?!-)",
    r"(?i:year[\s-](?:ago|earlier))(?=\s+[a-z])",
    r"(?i:(?<=for\s)|(?<=during\s)|(?<=throughout\s))(?i:the\s+(?:fiscal\s+|full\s+)?year)(?!\s+(?:two|before|after|earlier|ago)\b)",
    r"(?i:the\s+(?:fiscal\s+)?year)(?=\s+end(?:ed|ing)\b)",
    # sets
    r"(?i:annual|annually|yearly|every\s+(?:day|week|month|year)|each\s+year|daily|weekly|monthly|quarterly|hourly)",
    # that time (anchored on a time named earlier)
    r"(?i:(?<=at\s)|(?<=by\s)|(?<=since\s))(?i:that\s+time)",
    # bare plural units after a signal: "after days of speculation", "for years"
    rf"(?i:(?<=after\s)|(?<=for\s)|(?<=within\s)|(?<=in\s)|(?<=over\s)){UNIT_PL}(?=\s+(?i:of|ago|later|before|after|earlier)\b|[\s,.;]|$)",
]

try:  # Python 3.11+
    from re import _constants as _sre
    from re._parser import parse as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    from sre_parse import parse as _sre_parse  # type: ignore[no-redef]
_REPEATS = tuple(
    getattr(_sre, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(_sre, name)
)
_CATEGORIES = {
    _sre.CATEGORY_DIGIT: r"\d",
    _sre.CATEGORY_NOT_DIGIT: r"\D",
    _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S",
    _sre.CATEGORY_WORD: r"\w",
    _sre.CATEGORY_NOT_WORD: r"\W",
}


class _Unread(Exception):
    """A construct :func:`_first_chars` does not read: the pattern gets no first-character test."""


def _one_char(op: Any, av: Any, ignore_case: bool) -> tuple[str, bool]:
    """The regex of one single-character item (a literal or a class) and whether case is ignored."""
    if op is _sre.LITERAL:
        return re.escape(chr(av)), ignore_case
    if op is not _sre.IN:
        raise _Unread(op)
    parts = []
    for o, v in av:
        if o is _sre.NEGATE:
            parts.insert(0, "^")
        elif o is _sre.LITERAL:
            parts.append(re.escape(chr(v)))
        elif o is _sre.RANGE:
            parts.append(f"{re.escape(chr(v[0]))}-{re.escape(chr(v[1]))}")
        elif o is _sre.CATEGORY and v in _CATEGORIES:
            parts.append(_CATEGORIES[v])
        else:
            raise _Unread(o)
    return "[" + "".join(parts) + "]", ignore_case


#: Characters of the test every scan position passes first (:class:`_Scanner`). Longer is
#: more selective, but the number of prefixes grows fast with it, and so does the time to build
#: and compile the tests at import: 4 characters, about 900 prefixes over all the patterns, add
#: some 25 ms to it. The union of the patterns' tests at this length finds the positions.
PREFIX_LENGTH = 4
#: Characters each pattern's own test reads, to choose the patterns tried at a position found.
#: Read further than :data:`PREFIX_LENGTH`: at 4 characters about ten patterns were tried at
#: each position, most of them in vain (``the`` starts many); at 6, about one. The tests are
#: built once per process, about 6,000 prefixes, adding some 0.15 s to the import; only the
#: union that finds the positions stays at :data:`PREFIX_LENGTH`, where it is small.
TEST_LENGTH = 6

Prefix = tuple[tuple[str, bool], ...]


def _prefixes(items: Any, ignore_case: bool, length: int, rest: Any) -> set[Prefix]:
    """Prefixes of at most ``length`` characters, each character a single-character regex with
    whether it ignores case: the first characters of any match of the parsed items ``items``
    followed by what ``rest(n)`` describes (its prefixes of at most ``n`` characters) start
    with one of them. A prefix shorter than ``length`` lets anything follow it, so stopping
    early is always sound; the empty prefix lets anything in.

    Read from the parse tree: lookarounds and anchors consume nothing and are passed over; a
    literal or a class is a character; a group is its body; an alternation is any of its
    alternatives; an optional part is itself or what follows it; a repeat is its body, then its
    body again or what follows (a body that can match nothing ends the prefix there).
    """
    if length == 0:
        return {()}
    items = list(items)
    for k, (op, av) in enumerate(items):

        def tail(n: int, k: int = k) -> set[Prefix]:
            return _prefixes(items[k + 1 :], ignore_case, n, rest)

        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue
        if op in (_sre.LITERAL, _sre.IN):
            char = _one_char(op, av, ignore_case)
            return {(char, *more) for more in tail(length - 1)}
        if op is _sre.SUBPATTERN:
            _group, add, remove, body = av
            flags = _sre.SRE_FLAG_IGNORECASE
            case = (ignore_case or bool(add & flags)) and not remove & flags
            return _prefixes(body, case, length, tail)
        if op is _sre.BRANCH:
            return set().union(*(_prefixes(alt, ignore_case, length, tail) for alt in av[1]))
        if op in _REPEATS:
            low, high, body = av
            if not body.getwidth()[0]:
                again: Any = lambda n: {()}  # noqa: E731 - a body of no width: stop here
            elif high == 1:
                again = tail
            else:
                left = high if high == _sre.MAXREPEAT else high - 1
                more = [(op, (max(low - 1, 0), left, body))]
                again = lambda n, more=more: _prefixes(more, ignore_case, n, tail)  # noqa: E731
            first = _prefixes(body, ignore_case, length, again)
            return first | tail(length) if low == 0 else first
        raise _Unread(op)
    return rest(length)


def _render(prefixes: set[Prefix]) -> str:
    """A regex that matches at a position where one of ``prefixes`` does: a tree by first
    character, the first characters that share what follows them joined into one class (the
    case-sensitive ones in one class, the case-ignoring ones in another)."""
    if () in prefixes:
        return ""
    after: dict[tuple[str, bool], set[Prefix]] = {}
    for prefix in prefixes:
        after.setdefault(prefix[0], set()).add(prefix[1:])
    firsts: dict[str, list[tuple[str, bool]]] = {}
    for char, rests in after.items():
        firsts.setdefault(_render(rests), []).append(char)
    alternatives = []
    for rest, chars in sorted(firsts.items()):
        joined = []
        for case in (False, True):
            inner = sorted(x[1:-1] if x.startswith("[") and not x.startswith("[^") else x
                           for x, c in chars if c is case and not x.startswith("[^"))  # fmt: skip
            negated = sorted(x for x, c in chars if c is case and x.startswith("[^"))
            parts = ([f"[{''.join(inner)}]"] if inner else []) + negated
            if parts:
                part = "|".join(parts)
                joined.append(f"(?i:{part})" if case else part)
        head = "|".join(joined)
        if rest:
            head = (f"(?:{head})" if len(joined) > 1 or "|" in head else head) + f"(?:{rest})"
        alternatives.append(head)
    return "|".join(alternatives)


def _prefix_set(tree: Any, length: int) -> set[Prefix]:
    """:func:`_prefixes` of a whole pattern, parsed (``tree``); ``{()}`` (anything) where it
    cannot be read."""
    try:
        return _prefixes(tree, False, length, lambda n: {()})
    except _Unread:
        return {()}


def _first_test(pattern: str, length: int = 1) -> str | None:
    """A regex that matches at the start of every match of ``pattern``, reading at most
    ``length`` characters of it (see :func:`_prefixes`), or None where the pattern cannot be read
    or can match the empty string."""
    return _test_of(_prefix_set(_sre_parse(pattern), length))


def _test_of(prefixes: set[Prefix]) -> str | None:
    """The test of :func:`_first_test` from a pattern's prefixes, already read."""
    return _render(prefixes) or None


class _Scanner:
    """Finds, in one pass over a text, the matches each pattern's own ``finditer`` would find.

    A pattern's cost was mostly trying every position of the text, matched or not. So one regex
    first finds the positions where any match may start: a left boundary (:data:`_B`) followed
    by one of the first :data:`PREFIX_LENGTH` characters any pattern's match may start with
    (:func:`_prefixes`); most word starts fail it. At each position found, the patterns whose own
    test of the first :data:`TEST_LENGTH` characters passes (the answer kept per distinct string
    of :data:`TEST_LENGTH` characters, which the tests cannot read beyond) are matched there, in
    order; a pattern's ``match`` at a position finds what its ``finditer`` would find there, so
    its matches are recovered by keeping each one that starts at or after the end of the last
    one kept. A pattern that cannot be read is tried at every boundary.
    """

    #: Distinct prefixes whose candidates are kept at most (then forgotten and found again).
    MAX_KEPT = 100_000

    def __init__(self, patterns: list[str]) -> None:
        trees = [_sre_parse(p) for p in patterns]  # parsed once, read three times
        for p, tree in zip(patterns, trees, strict=True):
            if not tree.getwidth()[0]:
                raise ValueError(f"tagger pattern {p[:60]!r} can make an empty match; hint: a "
                                 "temporal expression has at least one character")  # fmt: skip
        union = _render(set().union(*(_prefix_set(t, PREFIX_LENGTH) for t in trees)))
        self.starts = re.compile(_B + (f"(?={union})" if union else ""))
        self.tests = [
            re.compile(t) if (t := _test_of(_prefix_set(tree, TEST_LENGTH))) else None
            for tree in trees
        ]
        self.patterns = [re.compile(f"(?:{p}){_E}") for p in patterns]
        self._candidates: dict[str, tuple[int, ...]] = {}

    def candidates(self, head: str) -> tuple[int, ...]:
        """The patterns (by index) whose test passes ``head``, a text's next characters."""
        found = self._candidates.get(head)
        if found is None:
            if len(self._candidates) >= self.MAX_KEPT:
                self._candidates.clear()
            found = tuple(i for i, t in enumerate(self.tests) if t is None or t.match(head))
            self._candidates[head] = found
        return found

    def matches(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(pattern index, start, end) of every match each pattern's own ``finditer`` over
        ``text`` reports, by start, then by pattern."""
        last = [0] * len(self.patterns)
        patterns, candidates, n = self.patterns, self.candidates, TEST_LENGTH
        for m in self.starts.finditer(text):
            at = m.start()
            for i in candidates(text[at : at + n]):
                if at >= last[i]:
                    found = patterns[i].match(text, at)
                    if found is not None:
                        last[i] = found.end()
                        yield i, at, last[i]


_SCAN = _Scanner(_PATTERNS)
_SET_NOUN = re.compile(r"(?i:daily|weekly|monthly)")
# the filters of _trim and _keep, compiled once: they run on every candidate
_ABBREVIATION_END = re.compile(
    rf"(?:{_MONTH_ABBR}|{_TR_WDAY}|[ap]\.m|{_WDAY_ABBR_ALT})\.$", re.IGNORECASE
)
_CAPITAL_AFTER = re.compile(r"\s+[A-Z]")
_NAME_BEFORE = re.compile(r"[A-Z][\w’']*\s+$")
_NOW = re.compile(r"(?i:now)")
_CAPITALIZED_BEFORE = re.compile(r"[A-Z][\w]*\s+$")
_YEAR = re.compile(YEAR)
_AMOUNT_AFTER = re.compile(r"\s*(?:%|percent|troops|people|km|miles|tons|dollars|euros|won|yuan)")
_CURRENCY_BEFORE = re.compile(r"[$€£#№]\s*$")
_CURRENT = re.compile(r"(?i:current)")
_ECONOMICS_AFTER = re.compile(r"\s*(?:account|affairs|events)\b", re.I)
_QUANTITY = re.compile(rf"{NUM}[\s-]{UNIT}(?:[\s-]long)?", re.IGNORECASE)
_DURATION_GUARD = re.compile(
    r"\s*(?:%|percent|per\b|times\b|of\s+age|years?\s+old|-?year-old)", re.IGNORECASE
)


def find_timexes(text: str) -> list[TaggedTimex]:
    """Temporal expressions of ``text``: non-overlapping, sorted, TimeML extents (see module doc).

    Overlapping candidates are resolved leftmost-longest, so ``April 25, 2019`` wins over the
    ``2019`` inside it and ``later this month`` over ``this month``.
    """
    if not isinstance(text, str):
        raise TypeError(f"find_timexes expects a string, got {type(text).__name__}")
    return _extents(text, ((start, end) for _pattern, start, end in _matches(text)))


def _extents(text: str, spans: Iterable[tuple[int, int]]) -> list[TaggedTimex]:
    """The timexes of the patterns' matches ``spans``: each trimmed and filtered (:func:`_trim`,
    :func:`_keep`), then the overlaps resolved leftmost-longest."""
    cands: list[tuple[int, int]] = []
    for start, end in spans:
        start, end = _trim(text, start, end)
        if end > start and _keep(text, start, end):
            cands.append((start, end))
    cands.sort(key=lambda se: (se[0], -(se[1] - se[0])))
    out: list[TaggedTimex] = []
    last_end = -1
    for start, end in cands:
        if start >= last_end:
            out.append(TaggedTimex(start, end, text[start:end]))
            last_end = end
    return out


def _matches(text: str) -> Iterator[tuple[int, int, int]]:
    """(pattern index, start, end) of each match that the pattern's own ``finditer`` over
    ``text`` reports, by start (:class:`_Scanner`)."""
    return _SCAN.matches(text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop white space and a trailing full stop that ends the sentence, not an abbreviation."""
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    if end > start and text[end - 1] == "." and not _ABBREVIATION_END.search(text[start:end]):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _keep(text: str, start: int, end: int) -> bool:
    """Filters that need more context than a pattern: nouns that look like sets, ages, rates."""
    s = text[start:end]
    after = text[end : end + 20]
    before = text[max(0, start - 20) : start]
    # "the Russian daily Kommersant", "the weekly Der Spiegel": a newspaper, not a frequency
    if _SET_NOUN.fullmatch(s) and (_CAPITAL_AFTER.match(after) or _NAME_BEFORE.search(before)):
        return False
    if _QUANTITY.fullmatch(s) and _DURATION_GUARD.match(after):
        return False  # "five years old", "20 days per"
    if _NOW.fullmatch(s) and after.startswith("-"):
        return False  # "now-defunct"
    if s in ("Today", "Now") and _CAPITALIZED_BEFORE.search(before):
        return False  # "Russia Today", a name
    if _YEAR.fullmatch(s):
        # a year, not an amount: "1500 troops" has no month, preposition or context of time
        if _AMOUNT_AFTER.match(after):
            return False
        if _CURRENCY_BEFORE.search(before):
            return False
    # "current account", "current affairs": economics and programme names, not the present
    return not (_CURRENT.fullmatch(s) and _ECONOMICS_AFTER.match(after))


__all__ = ["TaggedTimex", "find_timexes"]
