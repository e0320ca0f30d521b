"""Date resolvers: from a temporal expression, the DCT and its sentence to a TIMEX3 value.

The resolver track and the extractors need one answer to "which date does *on Monday* mean in this
article?", so every resolver implements :meth:`Resolver.resolve` and nothing else. Two are built in:

* :class:`RuleResolver` (``rules``) encodes the news conventions of the annotation guidelines
  (G5.4): a bare weekday is the most recent one before the DCT unless the sentence points forward,
  a month without a year is the nearest one that fits the tense, ``later this month`` is the DCT's
  month with ``mod: END``, vague words map to ``PAST_REF``/``PRESENT_REF``/``FUTURE_REF``,
  durations and sets get ISO 8601 periods. It returns None for what it does not understand rather
  than guessing.
* :class:`DateparserResolver` (``dateparser``) is the off-the-shelf baseline: the ``dateparser``
  package with the DCT as its relative base. It can only express calendar points (a day, an ISO
  week, a month, a year, a time of day): no ``*_REF``, no durations or sets, no intervals, no
  ``mod``, no parts of day beyond the hour it picks, and it reads weekday-plus-date without
  checking the weekday. For those it returns None (or, as dateparser does, a wrong point).

Both are deterministic and pure functions of ``(text, dct, context)``.
"""

from __future__ import annotations

import calendar
import difflib
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, ClassVar

from harness.gold.timex import TimexValueError, validate

# --------------------------------------------------------------------------------------------
# Records and interface


@dataclass(frozen=True)
class Resolution:
    """A resolved temporal expression: a TIMEX3 value, its type and optional modifier."""

    value: str
    type: str
    mod: str | None = None

    def __post_init__(self) -> None:
        # Fail at the source: a resolver that builds a malformed value is a bug, not bad input.
        validate(self.value, self.type)


class Resolver(ABC):
    """Base class of every resolver. Subclasses set ``name`` and implement :meth:`resolve`."""

    name: ClassVar[str] = "unnamed"

    @abstractmethod
    def resolve(self, text: str, dct: str, context: str | None = None) -> Resolution | None:
        """Resolve ``text`` against the document creation time ``dct``.

        ``text`` is the temporal expression as printed ("on Monday", "later this month"); leading
        signals such as "on"/"in"/"before" are ignored. ``dct`` is a TIMEX3 day or minute value
        (``2023-09-05``, ``2023-09-05T03:09``). ``context`` is the sentence around the expression;
        it decides direction (past or future) where the expression alone does not. Returns None
        when the expression is not understood.
        """

    def signature(self) -> dict[str, Any]:
        """What to record next to results so that a run can be reproduced."""
        return {"name": self.name}


#: Bumped whenever a rule changes an answer, so that results record which rules produced them.
RULES_VERSION = "1.0"


@dataclass(frozen=True)
class _Dct:
    day: date
    hour: int | None = None
    minute: int | None = None

    @property
    def dt(self) -> datetime:
        return datetime(
            self.day.year, self.day.month, self.day.day, self.hour or 0, self.minute or 0
        )


_DCT_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::\d{2}(?:\.\d+)?)?)?)?$")


@lru_cache(maxsize=256)
def parse_dct(dct: str) -> _Dct:
    """Parse a DCT value; a DCT coarser than a day cannot anchor "yesterday" and is refused."""
    if not isinstance(dct, str):
        raise ValueError(f"dct must be a string such as '2023-09-05', got {dct!r}")
    m = _DCT_RE.match(dct.strip())
    if not m:
        raise ValueError(
            f"dct {dct!r} is not a day or minute TIMEX3 value; "
            "hint: write it as 2023-09-05 or 2023-09-05T03:09"
        )
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValueError(
            f"dct {dct!r} is not a calendar day ({exc}); hint: check month/day"
        ) from None
    hour = int(m.group(4)) if m.group(4) else None
    minute = int(m.group(5)) if m.group(5) else (0 if hour is not None else None)
    if hour is not None and not (0 <= hour <= 23 and 0 <= (minute or 0) <= 59):
        raise ValueError(f"dct {dct!r}: time of day out of range")
    return _Dct(day, hour, minute)


# --------------------------------------------------------------------------------------------
# Lexicon

# Spelled out rather than taken from ``calendar.month_name``, which follows the process locale.
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS: dict[str, int] = {}
for _i, _name in enumerate(_MONTH_NAMES, start=1):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS["sept"] = 9
# Turkish abbreviations and names, for page stamps such as "Çar. Eyl 27th, 2023".
TR_MONTHS = {
    "oca": 1, "ocak": 1, "şub": 2, "şubat": 2, "mar": 3, "mart": 3, "nis": 4, "nisan": 4,
    "may": 5, "mayıs": 5, "haz": 6, "haziran": 6, "tem": 7, "temmuz": 7, "ağu": 8, "ağustos": 8,
    "eyl": 9, "eylül": 9, "eki": 10, "ekim": 10, "kas": 11, "kasım": 11, "ara": 12, "aralık": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {}
for _i, _name in enumerate(_WEEKDAY_NAMES):
    WEEKDAYS[_name] = _i
    WEEKDAYS[_name[:3]] = _i
WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
TR_WEEKDAYS = {"pzt": 0, "sal": 1, "çar": 2, "per": 3, "cum": 4, "cmt": 5, "paz": 6}

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_TR_MONTH_ALT = "|".join(sorted(TR_MONTHS, key=len, reverse=True))
_WDAY_ALT = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_TR_WDAY_ALT = "|".join(sorted(TR_WEEKDAYS, key=len, reverse=True))

NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "single": 1, "a single": 1,
    "a couple of": 2, "a couple": 2, "couple of": 2, "a dozen": 12, "dozen": 12,
    "a hundred": 100, "one hundred": 100, "hundred": 100, "half a": 0.5, "half an": 0.5,
}  # fmt: skip
VAGUE_NUMBERS = {
    "a few", "few", "several", "some", "many", "a number of", "numerous", "various", "the few",
    "a couple more", "more", "the last few", "the past few", "the next few", "the coming few",
}  # fmt: skip
_NUM_WORD_ALT = "|".join(sorted((re.escape(k) for k in NUMBERS), key=len, reverse=True))
_VAGUE_ALT = "|".join(sorted((re.escape(k) for k in VAGUE_NUMBERS), key=len, reverse=True))
_NUM = (
    rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?(?:\s+1/2)?|(?:{_NUM_WORD_ALT})(?:[\s-](?:{_NUM_WORD_ALT}))?"
    rf"(?:\s+and\s+a\s+half)?)"
)

# unit word -> (ISO designator, is a time unit (after 'T'))
UNITS: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "sec": ("S", True), "minute": ("M", True), "min": ("M", True),
    "hour": ("H", True), "hr": ("H", True), "day": ("D", False), "night": ("D", False),
    "week": ("W", False), "fortnight": ("W", False), "month": ("M", False),
    "quarter": ("Q", False), "year": ("Y", False), "yr": ("Y", False), "decade": ("DE", False),
    "century": ("CE", False), "centurie": ("CE", False), "millennium": ("ML", False),
    "millennia": ("ML", False), "weekend": ("WE", False),
}  # fmt: skip
_UNIT_ALT = "|".join(sorted((k for k in UNITS if k != "weekend"), key=len, reverse=True))
_UNITS_RE = rf"(?:{_UNIT_ALT})(?:s|es)?"

PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "midday": "MI", "noon": "MI", "daytime": "DT", "mid-morning": "MO", "midmorning": "MO",
    "mid morning": "MO", "mid-afternoon": "AF", "midafternoon": "AF", "mid afternoon": "AF",
}  # fmt: skip
_POD_ALT = r"morning|afternoon|evening|night|overnight|mid-?\s?morning|mid-?\s?afternoon"

VAGUE_REFS: dict[str, str] = {
    # future
    "soon": "FUTURE_REF", "later": "FUTURE_REF", "the future": "FUTURE_REF",
    "future": "FUTURE_REF", "coming days": "FUTURE_REF", "the coming days": "FUTURE_REF",
    "coming weeks": "FUTURE_REF", "the coming weeks": "FUTURE_REF",
    "coming months": "FUTURE_REF", "the coming months": "FUTURE_REF",
    "coming years": "FUTURE_REF", "the coming years": "FUTURE_REF",
    "the days ahead": "FUTURE_REF", "the weeks ahead": "FUTURE_REF",
    "the months ahead": "FUTURE_REF", "the years ahead": "FUTURE_REF",
    "shortly": "FUTURE_REF", "the near future": "FUTURE_REF", "near future": "FUTURE_REF",
    "the foreseeable future": "FUTURE_REF", "the long term": "FUTURE_REF",
    "the long run": "FUTURE_REF", "the near term": "FUTURE_REF", "the short term": "FUTURE_REF",
    "the months to come": "FUTURE_REF", "the years to come": "FUTURE_REF",
    "the days to come": "FUTURE_REF", "the weeks to come": "FUTURE_REF",
    "upcoming days": "FUTURE_REF", "the upcoming days": "FUTURE_REF",
    # past
    "recently": "PAST_REF", "recent": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF",
    "previously": "PAST_REF", "formerly": "PAST_REF",
    "recent days": "PAST_REF", "recent weeks": "PAST_REF", "recent months": "PAST_REF",
    "recent years": "PAST_REF", "recent decades": "PAST_REF", "the recent past": "PAST_REF",
    "earlier": "PAST_REF", "former times": "PAST_REF",
    "the old days": "PAST_REF", "more recently": "PAST_REF", "most recently": "PAST_REF",
    "until recently": "PAST_REF", "in the past": "PAST_REF",
    # present
    "now": "PRESENT_REF", "current": "PRESENT_REF", "currently": "PRESENT_REF",
    "right now": "PRESENT_REF", "at present": "PRESENT_REF", "present": "PRESENT_REF",
    "the present": "PRESENT_REF", "presently": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF", "the present time": "PRESENT_REF",
    "the current time": "PRESENT_REF", "at the moment": "PRESENT_REF",
}  # fmt: skip

SETS: dict[str, str] = {
    "annual": "P1Y", "annually": "P1Y", "yearly": "P1Y", "every year": "P1Y", "each year": "P1Y",
    "a year": "P1Y", "per year": "P1Y", "per annum": "P1Y", "year-round": "P1Y",
    "daily": "P1D", "every day": "P1D", "each day": "P1D", "per day": "P1D", "a day": "P1D",
    "day-to-day": "P1D", "nightly": "P1D", "every night": "P1D",
    "weekly": "P1W", "every week": "P1W", "each week": "P1W", "per week": "P1W", "a week": "P1W",
    "monthly": "P1M", "every month": "P1M", "each month": "P1M", "per month": "P1M",
    "a month": "P1M", "quarterly": "P3M", "every quarter": "P3M", "each quarter": "P3M",
    "hourly": "PT1H", "every hour": "PT1H", "an hour": "PT1H", "per hour": "PT1H",
    "biannual": "P6M", "semiannual": "P6M", "semi-annual": "P6M", "biennial": "P2Y",
    "every other year": "P2Y", "every two years": "P2Y", "every other week": "P2W",
    "fortnightly": "P2W", "every weekend": "P1W",
}  # fmt: skip
# Of the SET phrases above, those that are also plain durations when read alone ("a year",
# "a day"): they are SETs only after a quantity ("$5 a year"), which the context tells.
_SET_ONLY_AFTER_QUANTITY = {"a year", "a day", "a week", "a month", "an hour"}

# Leading signals (G5.2) stripped before parsing; longest first.
_SIGNALS = sorted(
    [
        "on", "in", "at", "since", "until", "till", "til", "before", "after", "during", "by",
        "from", "for", "as of", "as late as", "as early as", "as recently as", "as soon as",
        "through", "throughout", "within", "to", "into", "of", "circa", "ca.", "between",
        "starting", "beginning", "ending", "effective", "prior to", "no later than",
        "not until", "as far back as", "back in", "back to", "up until", "up till",
        "as long ago as", "sometime", "some time",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_SIGNAL_RE = re.compile(
    r"^(?:" + "|".join(re.escape(s) for s in _SIGNALS) + r")\s+(?=\S)(?!(?:least|most)\b)"
)
_TRAILING_RE = re.compile(
    r"\s*(?:,?\s*at the (?:earliest|latest)|\s+or so|\s+or (?:more|less|longer|earlier|later)"
    r"|\s+and beyond|\s+onwards?|\s+on|\s+to date|\s+yet)$"
)
_APPROX = [
    (r"about|around|some|roughly|approximately|approx\.?|an estimated|nearly|almost"
     r"|close to|just over|just under|at about|at around|circa|or so", "APPROX"),
    (r"more than|over|longer than|upwards of|in excess of|beyond", "MORE_THAN"),
    (r"less than|under|fewer than|shorter than|within", "LESS_THAN"),
    (r"at least|no less than|a minimum of|not less than", "EQUAL_OR_MORE"),
    (r"up to|no more than|at most|a maximum of|not more than|as many as|as much as",
     "EQUAL_OR_LESS"),
]  # fmt: skip
_APPROX_RE = [(re.compile(rf"^(?:{p})\s+(?=\S)"), m) for p, m in _APPROX]

# --------------------------------------------------------------------------------------------
# Direction of the context (past / future), for weekdays, months and dates without a year

_FUTURE_WORDS = {
    "will", "'ll", "shall", "won't", "wo", "scheduled", "schedule", "due", "expected", "expects",
    "expect", "plans", "plan", "planned", "planning", "slated", "upcoming", "coming", "next",
    "intends", "intend", "aims", "aim", "tomorrow", "hopes", "forthcoming", "pending",
    "set", "poised", "prepares", "preparing", "awaits", "awaited", "await",
}  # fmt: skip
_PAST_WORDS = {
    "was", "were", "had", "did", "has", "have", "ago", "been", "earlier", "previously",
    "yesterday", "already", "said", "began", "met", "left", "came", "went", "took", "gave",
    "made", "told", "held", "saw", "won", "lost", "spoke", "wrote", "fell", "rose", "sold",
    "bought", "became", "brought", "found", "got", "knew", "led", "paid", "sent", "struck",
    "thought", "kept", "broke", "chose", "drove", "flew", "grew", "shot", "stood", "threw",
    "wore", "ran", "sat", "felt", "meant", "heard", "ate", "fought", "hit", "quit",
    "swore", "forbade", "withdrew", "overtook", "undertook", "sank", "shook", "stole", "spent",
    "sought", "taught", "caught", "built", "dealt", "hung", "lit", "slid", "split", "spread",
    "fled", "bled", "bid", "cut", "shut", "let", "beat", "arose", "awoke", "dug",
    "rang", "sang", "swam", "drank", "forgot", "froze", "hid", "rode", "woke",
    "didn't", "wasn't", "weren't", "hadn't", "hasn't", "haven't", "ended", "opened",
}  # fmt: skip
_NOT_PAST_ED = {
    "scheduled", "expected", "planned", "slated", "need", "needed", "proposed", "intended",
    "anticipated", "speed", "feed", "seed", "indeed", "hundred", "red", "bed", "shed", "united",
    "based", "related", "led", "bred", "wed", "fred", "ted", "ned", "ed", "reed", "deed",
    "breed", "greed", "succeed", "exceed", "proceed", "agreed", "tied", "embed", "bleed",
    "heed", "weed", "alleged", "supposed", "so-called", "called", "named", "armed", "advanced",
    "limited", "detailed", "concerned", "involved", "assumed", "skilled", "married",
}  # fmt: skip
_BE_FORMS = {"be", "being", "is", "are", "am", "'s", "'re", "get", "gets"}
_DETERMINERS = {
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that",
    "these", "those", "some", "any", "each", "every", "all", "both", "no", "which", "what",
    "whom", "who", "date", "be", "have", "about", "around", "mid",
}  # fmt: skip
_WORD_RE = re.compile(r"[\w'’]+(?:-[\w'’]+)*|[;:!?()\[\]\"“”]|—|–|,")


def _words(s: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD_RE.findall(s)]


def _is_past_word(w: str) -> bool:
    lw = w.lower()
    if lw in _PAST_WORDS:
        return True
    return lw.endswith("ed") and len(lw) > 4 and lw not in _NOT_PAST_ED and lw.isalpha()


# "could"/"can" are left out: "could not be located Wednesday" is past as often as not.
_MODALS = {"would", "must", "should", "may", "might"}


def _cue(words: list[str], i: int) -> str | None:
    """The direction a word of the context signals, or None (not a tense cue)."""
    w = words[i]
    lw = w.lower()
    prev = words[i - 1].lower() if i > 0 else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    lnxt = nxt.lower()
    if lw in {"set", "due", "poised"} and lnxt not in {"to", "for"}:
        return None
    if lw == "planned":
        return "future" if lnxt in {"for", "to"} else "past"
    if lw in {"plan", "aim", "expect", "intend", "hopes", "await"} and prev in _DETERMINERS:
        return None  # a noun: "the plan"
    if lw in ("next", "coming") and nxt and (nxt[0].isupper() or lnxt == "to"):
        return None  # "the Coming Age", "next to the embassy"
    if lw == "earlier" and (prev.rstrip("s") in UNITS or prev in ("the", "a")):
        return None  # "three days earlier": anchored elsewhere
    if lw in _FUTURE_WORDS or lw.endswith("'ll"):
        return "future"
    if lw in _MODALS:
        return None if lnxt == "have" else "future"  # "would have met" is a past counterfactual
    if lw == "to" and nxt and nxt[:1].islower() and lnxt not in _DETERMINERS:
        if prev in _INFINITIVE_HEADS or (i > 1 and words[i - 1][:1].isupper()):
            return "future"  # "expected to meet", headline "Kim to meet Putin"
        return None
    if lw == "going" and lnxt == "to":
        return "future"
    if _is_past_word(w):
        if prev in _BE_FORMS:  # passive with present/infinitive auxiliary: look further back
            return "skip"
        if lw in ("has", "have") and lnxt in ("to", "yet"):
            return None
        return "past"
    return None


# Verbs whose infinitive complement is later than the verb ("agreed to meet on Thursday").
_INFINITIVE_HEADS = {
    "plans", "plan", "planned", "planning", "expected", "expects", "due", "set", "scheduled",
    "going", "is", "are", "aims", "intends", "intend", "hopes", "hope", "wants", "want", "seeks",
    "agreed", "agree", "agrees", "promised", "promises", "vowed", "pledged", "decided", "likely",
    "slated", "poised", "prepared", "preparing", "ready", "invited", "asked", "urged",
    "threatened", "threatens", "order", "ordered", "willing", "meant", "supposed", "trying",
    "tries", "try", "headline", "continue", "continues", "expect", "intended", "designed",
}  # fmt: skip


def context_direction(text: str, context: str | None) -> str | None:
    """'past', 'future' or None (no cue): the tense the context gives the expression.

    The nearest tense cue before the expression in its clause wins ("began on Sunday and will
    last until Wednesday" gives Sunday the past and Wednesday the future); without one, the
    nearest cue after it ("On Thursday, Kim will travel").
    """
    if not context:
        return None
    pos = _find(context, text)
    if pos is None:
        before, after = context, ""
    else:
        before, after = context[: pos[0]], context[pos[1] :]
    bw = _words(before)
    # clause boundary: strong punctuation, and never beyond 25 words
    for k in range(len(bw) - 1, -1, -1):
        if bw[k] in {";", ":", "(", ")", "—", "–", "[", "]"}:
            bw = bw[k + 1 :]
            break
    bw = bw[-25:]
    skipping = False
    for i in range(len(bw) - 1, -1, -1):
        c = _cue(bw, i)
        if c == "skip":
            skipping = True
            continue
        if c is not None:
            return c
        if skipping and bw[i].lower() in _BE_FORMS:
            continue
    aw = _words(after)[:12]
    for i in range(len(aw)):
        if aw[i] in {";", ":", "(", ")", "—", "–"}:
            break
        c = _cue(aw, i)
        if c in ("past", "future"):
            return c
    return None


def _find(context: str, text: str) -> tuple[int, int] | None:
    i = context.find(text)
    if i < 0:
        i = context.lower().find(text.lower())
    if i < 0:
        core = _clean(text)
        i = _clean(context).find(core) if core else -1
        if i < 0:
            return None
        return i, i + len(core)
    return i, i + len(text)


# --------------------------------------------------------------------------------------------
# Calendar helpers


def _fmt_day(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _fmt_month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _fmt_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _month_year(month: int, dct: date, direction: str | None, strict: bool = False) -> int:
    """Year of a month named without one: the most recent at or before the DCT's month (past or
    neutral), the next at or after it (future); ``strict`` excludes the DCT's month ("last July")."""
    if direction == "future":
        return (
            dct.year if (month > dct.month or (month == dct.month and not strict)) else dct.year + 1
        )
    return dct.year if (month < dct.month or (month == dct.month and not strict)) else dct.year - 1


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


DAY_DATE_REACH = 270


def _day_year(
    month: int, day: int, dct: date, direction: str | None, wday: int | None
) -> date | None:
    """The day a month-day without a year names: the printed weekday decides when there is one
    (the nearest year where it fits), else the tense; with no tense, the nearest such day."""
    if wday is not None:
        fits = [
            d
            for y in range(dct.year - 6, dct.year + 7)
            if (d := _safe_date(y, month, day)) is not None and d.weekday() == wday
        ]
        if fits:
            return min(fits, key=lambda d: (abs((d - dct).days), d < dct))
    cands = [d for y in (dct.year - 1, dct.year, dct.year + 1) if (d := _safe_date(y, month, day))]
    if not cands:
        return None
    # The tense of the sentence often belongs to the reporting verb ("invited them to a ceremony
    # on March 12"), so it only decides among dates within DAY_DATE_REACH days; beyond that the
    # nearest date wins (news rarely names a day more than a season away without its year).
    if direction == "past":
        past = [d for d in cands if d <= dct and (dct - d).days <= DAY_DATE_REACH]
        if past:
            return max(past)
    if direction == "future":
        fut = [d for d in cands if d >= dct and (d - dct).days <= DAY_DATE_REACH]
        if fut:
            return min(fut)
    return min(cands, key=lambda d: (abs((d - dct).days), d.year != dct.year))


def _quarter(m: int) -> int:
    return (m - 1) // 3 + 1


# --------------------------------------------------------------------------------------------
# Text normalization


def _clean(text: str) -> str:
    """Lower case, one space, plain quotes and hyphens; no surrounding punctuation."""
    s = unicodedata.normalize("NFKC", text)
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    s = re.sub(r"\s*[–—]\s*", lambda m: " - " if " " in m.group() else "-", s)
    s = re.sub(r"\s+", " ", s).strip().lower()
    s = s.strip(" \"'`,;:!?()[]{}")
    s = re.sub(r"(?<=\w)\.$", "", s) if not re.search(r"\b[ap]\.m\.$", s) else s
    s = re.sub(r"(?:'s|s')$", lambda m: "" if m.group() == "'s" else "s", s)
    return s


def _num(s: str) -> float | str | None:
    """A quantity as a number, 'X' for vague quantities ("several"), or None."""
    s = s.strip().replace(",", "")
    if s in VAGUE_NUMBERS:
        return "X"
    half = 0.0
    for suffix in (" and a half", " 1/2", " and one half"):
        if s.endswith(suffix):
            s, half = s[: -len(suffix)].strip(), 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s) + half
    if s in NUMBERS:
        return NUMBERS[s] + half
    parts = re.split(r"[\s-]+", s)
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        a, b = NUMBERS[parts[0]], NUMBERS[parts[1]]
        if a >= 20 and a % 10 == 0 and 0 < b < 10:
            return a + b + half
    return None


def _fmt_num(n: float | str) -> str:
    if isinstance(n, str):
        return n
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def _duration(n: float | str, unit: str) -> str | None:
    """The ISO 8601 period of ``n`` units ("X" for an unknown count), or None for a non-unit."""
    key = {"centuries": "century"}.get(unit, unit)
    if key not in UNITS and key.endswith("s"):
        key = key[:-1]
    if key not in UNITS or key == "weekend":
        return None
    designator, is_time = UNITS[key]
    if not isinstance(n, str):
        # TempEval-3 spells decades in years (P10Y, P20Y) and quarters in months (P3M, P9M)
        factor = {"fortnight": 2, "decade": 10, "quarter": 3}.get(key, 1)
        n = n * factor
        designator = {"decade": "Y", "quarter": "M"}.get(key, designator)
    if isinstance(n, float) and not n.is_integer():
        # "5 1/2 hours" -> PT5H30M, "2 1/2 years" -> P2Y6M: whole units plus the next finer unit
        whole = int(n)
        finer = {"H": ("M", 60, True), "D": ("H", 24, True), "Y": ("M", 12, False),
                 "M": ("D", 30, False), "W": ("D", 7, False)}.get(designator)  # fmt: skip
        if finer and ((n - whole) * finer[1]).is_integer():
            part = f"{int((n - whole) * finer[1])}{finer[0]}"
            head = f"{whole}{designator}" if whole else ""
            if is_time:
                return f"PT{head}{part}"
            return f"P{head}T{part}" if finer[2] else f"P{head}{part}"
        return f"PT{n:g}{designator}" if is_time else f"P{n:g}{designator}"
    return f"PT{_fmt_num(n)}{designator}" if is_time else f"P{_fmt_num(n)}{designator}"


# --------------------------------------------------------------------------------------------
# The rule resolver


_TIME_RE = (
    r"(?P<hh>\d{1,2})(?:[:.](?P<mm>\d{2}))?\s*(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?)?"
    r"(?:\s*(?:[a-z]{2,4}t|gmt|utc|cet|cest|kst|jst|msk|hkt|sgt|ist|z)\b)?"
)
_TIME_WORDS = {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0)}
_TIME_WORD_ALT = "noon|midday|midnight"


def _clock(hh: str, mm: str | None, ampm: str | None) -> tuple[int, int] | None:
    h, m = int(hh), int(mm or 0)
    if ampm:
        if not 1 <= h <= 12:
            return None
        if ampm.startswith("p") and h != 12:
            h += 12
        elif ampm.startswith("a") and h == 12:
            h = 0
    elif mm is None:
        return None  # a bare number is not a time of day
    if not (0 <= h <= 24 and 0 <= m < 60):
        return None
    return h, m


@dataclass(frozen=True)
class _Ctx:
    dct: _Dct
    direction: str | None
    context: str | None
    raw: str


_Handler = Callable[["re.Match[str]", _Ctx], "Resolution | None"]


class RuleResolver(Resolver):
    """News-convention resolver (guidelines G5.4): deterministic rules, None when unsure."""

    name: ClassVar[str] = "rules"

    def signature(self) -> dict[str, Any]:
        return {"name": self.name, "rules_version": RULES_VERSION}

    def resolve(self, text: str, dct: str, context: str | None = None) -> Resolution | None:
        return _resolve_rules(text, dct, context)


@lru_cache(maxsize=8192)
def _resolve_rules(text: str, dct: str, context: str | None) -> Resolution | None:
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    d = parse_dct(dct)
    s = _strip_signals(_clean(text))
    if not s:
        return None
    direction = context_direction(text, context)
    ctx = _Ctx(d, direction, context, text)
    mod: str | None = None
    for rx, m in _APPROX_RE:
        mm = rx.match(s)
        if mm:
            s, mod = s[mm.end() :], m
            break
    trailing = _TRAILING_RE.search(s)
    if trailing:
        hedge = trailing.group().strip(" ,")
        s = s[: trailing.start()]
        if hedge in ("or more", "or longer"):
            # "up to 20 hours or more" points both ways: no mod (G5.5)
            mod = None if mod == "EQUAL_OR_LESS" else mod or "EQUAL_OR_MORE"
        elif hedge in ("or less",):
            mod = None if mod == "EQUAL_OR_MORE" else mod or "EQUAL_OR_LESS"
        elif hedge == "or so":
            mod = mod or "APPROX"
    s = _strip_signals(s)
    res = _parse(s, ctx)
    if res is None:
        return None
    if mod is not None and res.mod is None and (res.type == "DURATION" or mod == "APPROX"):
        # "more than"/"up to" bound quantities; before a calendar point only "around" is kept
        res = Resolution(res.value, res.type, mod)
    return res


def _strip_signals(s: str) -> str:
    """Drop leading signals (G5.2): "on Monday" -> "monday", "in the coming days" -> ..."""
    for _ in range(3):
        m = _SIGNAL_RE.match(s)
        if not m:
            break
        rest = s[m.end() :]
        # "to" is a signal before a time ("to Nov. 6"), not in "to date"
        if s.startswith("to ") and not re.match(r"(?:the|this|last|next|\d|[a-z]+\.?\s\d)", rest):
            break
        s = rest
    # "over" is a signal before "the" ("over the past 13 months"), a quantity bound otherwise
    return re.sub(r"^over\s+(?=the\s)", "", s)


def _parse(s: str, ctx: _Ctx) -> Resolution | None:
    for rx, handler in _HANDLERS:
        m = rx.fullmatch(s)
        if m:
            try:
                res = handler(m, ctx)
            except (TimexValueError, ValueError, OverflowError):
                res = None  # out-of-range calendar arithmetic ("the 0th century"): not understood
            if res is not None:
                return res
    return None


_HANDLERS: list[tuple[re.Pattern[str], _Handler]] = []


def _rule(pattern: str) -> Callable[[_Handler], _Handler]:
    def deco(fn: _Handler) -> _Handler:
        _HANDLERS.append((re.compile(pattern), fn))
        return fn

    return deco


# --- vague references and sets ---------------------------------------------------------------


@_rule(r"(?:the\s+)?(?:coming|upcoming|next\s+few|few\s+coming)\s+(?:days|weeks|months|years)")
def _coming(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return Resolution("FUTURE_REF", "DATE")


@_rule(r"(?:the\s+)?(?:more\s+|most\s+)?recent\s+(?:days|weeks|months|years|decades|times)")
def _recent(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return Resolution("PAST_REF", "DATE")


@_rule(r"[a-z' -]+")
def _vague_or_set(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    s = m.group()
    if s in VAGUE_REFS:
        return Resolution(VAGUE_REFS[s], "DATE")
    if s in SETS:
        if s in _SET_ONLY_AFTER_QUANTITY and not _after_quantity(ctx):
            return None
        return Resolution(SETS[s], "SET")
    return None


def _after_quantity(ctx: _Ctx) -> bool:
    """ "$5 a year", "twice a day": the expression follows a quantity or a frequency word."""
    if not ctx.context:
        return False
    pos = _find(ctx.context, ctx.raw)
    if pos is None:
        return False
    before = ctx.context[: pos[0]].rstrip().lower()
    return bool(
        re.search(r"(?:\d[\d,.]*%?|percent|once|twice|times|cents?|dollars?|each)$", before)
    )


@_rule(rf"(?:every|each)\s+(?P<wd>{_WDAY_ALT})")
def _every_weekday(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return Resolution(f"XXXX-WXX-{WEEKDAYS[m.group('wd')] + 1}", "SET")


@_rule(rf"(?:every|each)\s+(?P<mon>{_MONTH_ALT})")
def _every_month(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return Resolution(f"XXXX-{MONTHS[m.group('mon')]:02d}", "SET")


@_rule(
    r"(?:on\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    rf"(?:s(?:\s+(?P<pod>{_POD_ALT})s?)?|\s+(?P<pods>{_POD_ALT})s)"
)
def _weekday_plural(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "on Mondays", "Tuesday nights": a weekly recurrence."""
    pod_word = m.group("pod") or m.group("pods")
    pod = f"T{_pod_code(pod_word)}" if pod_word else ""
    return Resolution(f"XXXX-WXX-{WEEKDAYS[m.group('wd')] + 1}{pod}", "SET")


@_rule(rf"(?:every|each)\s+(?P<n>{_NUM})\s+(?P<u>{_UNITS_RE})")
def _every_n(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    n = _num(m.group("n"))
    dur = _duration(n, m.group("u")) if n is not None else None
    return Resolution(dur, "SET") if dur else None


# --- relative days ----------------------------------------------------------------------------

_REL_DAYS = {
    "today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the previous day": -1,
    "the day before": -1, "the preceding day": -1, "the prior day": -1, "the next day": 1,
    "the following day": 1, "the day after": 1, "the day before yesterday": -2,
    "the day after tomorrow": 2, "this day": 0, "the same day": 0, "that same day": 0,
    "last night": -1, "overnight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "earlier today": 0, "later today": 0, "the previous night": -1, "the night before": -1,
}  # fmt: skip
# Relative to the day named before them in the sentence (G5.4); else "previous" falls back on
# the DCT, "next"/"following" are not resolved.
_ANCHORED_DAYS = {
    "the previous day", "the day before", "the preceding day", "the prior day", "the next day",
    "the following day", "the day after", "the previous night", "the night before",
    "the same day", "that same day",
}  # fmt: skip
_REL_DAY_ALT = "|".join(sorted((re.escape(k) for k in _REL_DAYS), key=len, reverse=True))


@_rule(
    rf"(?P<pre>early|late|earlier|later|mid)?\s*(?P<rel>{_REL_DAY_ALT})"
    rf"(?:\s+(?:at\s+)?(?P<pod>{_POD_ALT}))?(?:\s*,?\s*(?:at\s+)?(?P<time>{_TIME_RE}|noon|midday|midnight))?"
)
def _relative_day(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    rel = m.group("rel")
    anchor = ctx.dct.day
    if rel in _ANCHORED_DAYS:
        named = _day_named_before(ctx)
        if named is not None:
            anchor = named
        elif _REL_DAYS[rel] > 0:
            return None  # "the next day" with no day named before it: anchored elsewhere
    d = anchor + timedelta(days=_REL_DAYS[rel])
    pod = None
    if rel in ("tonight", "last night", "the previous night", "the night before", "overnight"):
        pod = "NI"
    elif rel.startswith("this "):
        pod = PARTS_OF_DAY.get(rel.split()[1])  # "this day" names no part of it
    if m.group("pod"):
        pod = _pod_code(m.group("pod"))
    mod = {"early": "START", "late": "END", "mid": "MID"}.get(m.group("pre") or "")
    if m.group("time"):
        return _with_time(d, m.group("time"), mod)
    if pod:
        return Resolution(f"{_fmt_day(d)}T{pod}", "TIME", mod)
    return Resolution(_fmt_day(d), "DATE", mod)


def _pod_code(word: str) -> str:
    return PARTS_OF_DAY[re.sub(r"mid[\s-]?", "mid-", word) if word.startswith("mid") else word]


def _day_named_before(ctx: _Ctx) -> date | None:
    """For "the previous day": the nearest day named earlier in the sentence (G5.4), if any."""
    found = _anchor_before(ctx)
    return found[0] if found is not None and found[1] == "day" else None


def _anchor_before(ctx: _Ctx) -> tuple[date, str] | None:
    """The nearest calendar time named before the expression in its sentence, as (first day,
    granularity 'day' | 'month' | 'year'): the anchor of "the previous day", "a year earlier"."""
    if not ctx.context:
        return None
    pos = _find(ctx.context, ctx.raw)
    if pos is None or pos[0] == 0:
        return None
    from harness.dates.tagger import find_timexes  # local: the tagger is only needed here

    before = ctx.context[: pos[0]]
    for t in reversed(find_timexes(before)):
        if _ANCHORED_RE.search(_clean(t.text)):
            continue  # itself relative to an anchor: no chains
        r = _resolve_rules(t.text, _fmt_dct(ctx.dct), ctx.context)
        if r is None:
            continue
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?", r.value)
        if m:
            grain = "day" if m.group(3) else "month" if m.group(2) else "year"
            return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)), grain
    return None


_ANCHORED_RE = re.compile(
    r"\b(?:previous|preceding|prior|following|earlier|later|before|after|same)\b|^the next\b"
)


def _fmt_dct(d: _Dct) -> str:
    if d.hour is None:
        return _fmt_day(d.day)
    return f"{_fmt_day(d.day)}T{d.hour:02d}:{d.minute or 0:02d}"


def _with_time(d: date, time_text: str, mod: str | None = None) -> Resolution | None:
    t = time_text.strip()
    if t in _TIME_WORDS:
        h, mi = _TIME_WORDS[t]
    else:
        tm = re.fullmatch(_TIME_RE, t)
        if not tm:
            return None
        c = _clock(tm.group("hh"), tm.group("mm"), tm.group("ampm"))
        if c is None:
            return None
        h, mi = c
    return Resolution(f"{_fmt_day(d)}T{h:02d}:{mi:02d}", "TIME", mod)


# --- relative calendar units ------------------------------------------------------------------

_PERIOD_MODS = {
    "early": "START", "earlier": "START", "late": "END", "later": "END", "mid": "MID",
    "the end of": "END", "the beginning of": "START", "the start of": "START",
    "the middle of": "MID", "the turn of": "START", "the close of": "END", "end of": "END",
    "the early part of": "START", "the latter part of": "END", "the first part of": "START",
    "the last part of": "END", "the remainder of": "END", "the rest of": "END",
    "the balance of": "END", "the first days of": "START", "the last days of": "END",
    "beginning of": "START", "start of": "START", "middle of": "MID", "the dawn of": "START",
}  # fmt: skip
_PMOD_ALT = "|".join(sorted((re.escape(k) for k in _PERIOD_MODS), key=len, reverse=True))


_THE_UNITS = {"the day", "the week", "the month", "the year", "the quarter", "the decade"}


@_rule(rf"(?P<pm>{_PMOD_ALT})[\s-]*(?P<rest>.+)")
def _period_mod(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "later this month" (END), "the end of 2019" (END), "early next year" (START)."""
    pm, rest = m.group("pm"), m.group("rest")
    if pm in ("earlier", "later", "early", "late") and re.match(rf"(?:{_WDAY_ALT})\b", rest):
        return None  # "earlier Monday": the weekday rule reads it (a same-day signal)
    if pm in ("earlier", "later", "early", "late") and rest.startswith("in the "):
        rest = "this " + rest[len("in the ") :]  # "earlier in the year" = "earlier this year"
    if pm in ("the end of", "end of", "the rest of", "the remainder of") and rest in _THE_UNITS:
        rest = rest.replace("the ", "this ")  # "the end of the month": the DCT's month
    inner = _parse(rest, ctx)
    if inner is None or inner.type not in ("DATE", "TIME") or inner.value.endswith("_REF"):
        return None
    if "/" in inner.value:
        return None
    mod = _PERIOD_MODS[pm]
    if pm in ("earlier", "later") and re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T.*)?", inner.value):
        return Resolution(inner.value, inner.type, inner.mod)  # "earlier Monday" is a signal
    return Resolution(inner.value, inner.type, mod)


_REL_WORD = r"(?P<rel>this|last|next|the\s+current|the\s+previous|the\s+past|the\s+coming|the\s+following|the\s+last|the\s+next|the\s+present|this\s+past|this\s+coming|the\s+same|current|coming|previous|past|the\s+prior|prior|the\s+latest|latest|the\s+most\s+recent|recent|the\s+new|the\s+preceding)"
_REL_OFFSET = {
    "this": 0, "the current": 0, "current": 0, "the present": 0, "the same": 0,
    "last": -1, "the previous": -1, "previous": -1, "the last": -1, "this past": -1,
    "the past": -1, "past": -1, "the prior": -1, "prior": -1, "the preceding": -1,
    "next": 1, "the coming": 1, "coming": 1, "the following": 1, "the next": 1,
    "this coming": 1, "the new": 1, "the latest": -1, "latest": -1, "the most recent": -1,
    "recent": -1,
}  # fmt: skip
# Relative words whose anchor is the time the sentence names before them, if it names one.
_ANCHORED_REL = {"the previous", "the following", "the preceding", "the prior", "previous"}


@_rule(
    rf"{_REL_WORD}\s+(?P<unit>week|weekend|month|year|quarter|decade|century|fiscal\s+year|half)"
)
def _relative_unit(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    rel = re.sub(r"\s+", " ", m.group("rel"))
    unit = m.group("unit").replace("fiscal ", "")
    if rel not in _REL_OFFSET:
        return None
    if rel in ("the past", "the last", "the next", "the coming", "past") and unit != "weekend":
        # "the past year" is the twelve months up to the DCT: a duration
        dur = _duration(1, unit)
        return Resolution(dur, "DURATION") if dur else None
    k = _REL_OFFSET[rel]
    d = ctx.dct.day
    if rel in _ANCHORED_REL:
        anchor = _anchor_before(ctx)
        need = {"week": "day", "weekend": "day", "month": "month"}.get(unit, "year")
        if anchor is not None and (need == "year" or anchor[1] in (need, "day")):
            d = anchor[0]
        elif k > 0:
            return None  # "the following year" with nothing named before it
    if unit == "week":
        return Resolution(_fmt_week(d + timedelta(weeks=k)), "DATE")
    if unit == "weekend":
        return _weekend(d, k)
    if unit == "month":
        y, mo = _add_months(d.year, d.month, k)
        return Resolution(_fmt_month(y, mo), "DATE")
    if unit == "year":
        return Resolution(f"{d.year + k:04d}", "DATE")
    if unit == "quarter":
        q = _quarter(d.month) + k
        y = d.year + (q - 1) // 4
        return Resolution(f"{y:04d}-Q{(q - 1) % 4 + 1}", "DATE")
    if unit == "half":
        h = (0 if d.month <= 6 else 1) + k
        return Resolution(f"{d.year + h // 2:04d}-H{h % 2 + 1}", "DATE")
    if unit == "decade":
        return Resolution(f"{d.year // 10 + k:03d}", "DATE")
    if unit == "century":
        return Resolution(f"{d.year // 100 + k:02d}", "DATE")
    return None


def _weekend(d: date, k: int) -> Resolution:
    """The weekend of the DCT's ISO week shifted by ``k`` weeks ("this weekend" on a weekday is
    the coming one: ISO weeks end on Sunday)."""
    target = d - timedelta(days=d.weekday()) + timedelta(weeks=k)
    return Resolution(f"{_fmt_week(target)}-WE", "DATE")


@_rule(r"(?:the\s+)?weekend")
def _bare_weekend(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    d = ctx.dct.day
    if d.weekday() >= 5:
        return _weekend(d, 0)
    return _weekend(d, 0 if ctx.direction == "future" else -1)


@_rule(
    r"(?:the\s+)?(?:(?P<rel>this|last|next)\s+)?(?:year[\s-]end|year's\s+end|end[\s-]of[\s-]year)"
)
def _year_end(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    k = {"this": 0, "last": -1, "next": 1}.get(m.group("rel") or "", 0)
    return Resolution(f"{ctx.dct.day.year + k:04d}", "DATE", "END")


# --- N units ago / from now ---------------------------------------------------------------------


@_rule(
    rf"(?P<n>{_NUM}|{_VAGUE_ALT})\s+(?P<u>{_UNITS_RE})(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|before|from\s+now|"
    rf"hence|later|after|back|since|previously|from\s+today)"
)
def _ago(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    n = _num(m.group("n"))
    if n is None:
        return None
    direction = m.group("dir")
    sign = 1 if direction in ("from now", "hence", "from today", "later", "after") else -1
    unit = m.group("u").rstrip("s")
    unit = {"centurie": "century", "yr": "year", "hr": "hour", "min": "minute"}.get(unit, unit)
    d = ctx.dct
    if direction in ("earlier", "before", "later", "after", "previously", "since"):
        # "a year earlier": from the time named before it in the sentence; "earlier" alone may
        # fall back on the DCT (news reports what happened before it), "later" may not
        if direction == "since":
            return None
        anchor = _anchor_before(ctx)
        need = {"day": "day", "week": "day", "night": "day", "month": "month"}.get(unit, "year")
        if anchor is not None and (need == "year" or anchor[1] in (need, "day")):
            d = _Dct(anchor[0])
        elif sign > 0 or unit in ("hour", "minute", "second"):
            return None
    if n == "X":
        return Resolution("PAST_REF" if sign < 0 else "FUTURE_REF", "DATE")
    if isinstance(n, float) and not n.is_integer():
        return None
    k = int(n) * sign
    if unit == "year":
        return Resolution(f"{d.day.year + k:04d}", "DATE")
    if unit == "decade":
        return Resolution(f"{d.day.year // 10 + k:03d}", "DATE")
    if unit == "century":
        return Resolution(f"{d.day.year // 100 + k:02d}", "DATE")
    if unit == "month":
        y, mo = _add_months(d.day.year, d.day.month, k)
        return Resolution(_fmt_month(y, mo), "DATE")
    if unit == "quarter":
        y, mo = _add_months(d.day.year, d.day.month, 3 * k)
        return Resolution(f"{y:04d}-Q{_quarter(mo)}", "DATE")
    if unit in ("week", "fortnight"):
        return Resolution(
            _fmt_week(d.day + timedelta(weeks=k * (2 if unit == "fortnight" else 1))), "DATE"
        )
    if unit in ("day", "night"):
        return Resolution(_fmt_day(d.day + timedelta(days=k)), "DATE")
    if unit in ("hour", "minute", "second"):
        if d.hour is None:
            return None  # a day-precision DCT cannot anchor "two hours ago"
        delta = {
            "hour": timedelta(hours=k),
            "minute": timedelta(minutes=k),
            "second": timedelta(seconds=k),
        }[unit]
        t = d.dt + delta
        if unit == "hour":
            return Resolution(f"{_fmt_day(t.date())}T{t.hour:02d}", "TIME")
        return Resolution(f"{_fmt_day(t.date())}T{t.hour:02d}:{t.minute:02d}", "TIME")
    return None


# --- durations --------------------------------------------------------------------------------


@_rule(
    rf"(?:the\s+)?(?:(?P<rel>past|last|next|coming|previous|first|final|latest|following|"
    rf"prior|preceding|remaining|initial|entire|full|whole|same|other|ensuing|additional|"
    rf"further|subsequent|intervening|recent|succeeding|better\s+part\s+of\s+the|better\s+part\s+of\s+a)\s+)?"
    rf"(?P<n>{_NUM}|{_VAGUE_ALT})?(?:\s+(?:more|additional|further|extra|straight|consecutive|full|trading|business|working))?"
    rf"[\s-]*(?P<u>{_UNITS_RE})(?P<long>[\s-]+(?:long|old))?"
    rf"(?P<more>\s+(?:or\s+(?:so|more|longer)|plus))?"
)
def _duration_phrase(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    n_text, rel, unit = m.group("n"), m.group("rel"), m.group("u")
    plural = (unit.endswith("s") and unit.rstrip("s") in UNITS) or unit in (
        "centuries",
        "millennia",
    )
    if n_text is None:
        if rel is None:
            if not plural:
                return None  # "day", "week": a calendar unit without a number is not a duration
            n: float | str | None = "X"
        elif plural:
            n = "X"
        elif rel in _SINGULAR_DURATION_RELS:
            n = 1  # "the past year": the twelve months up to now
        else:
            return None  # "the following year" is a point, anchored elsewhere
    else:
        n = _num(n_text)
    if n is None or (not isinstance(n, str) and n >= 1000):
        return None  # "the 1988 quarter": a year, not a count
    if unit in ("weekend", "weekends"):
        return None
    dur = _duration(n, unit)
    if dur is None:
        return None
    return Resolution(dur, "DURATION")


_SINGULAR_DURATION_RELS = {
    "past", "last", "next", "coming", "first", "final", "entire", "full", "whole",
    "better part of the", "better part of a",
}  # fmt: skip


@_rule(rf"(?P<n>{_NUM})[\s-]+(?P<u>{_UNITS_RE})[\s-]+(?P<m>{_NUM})[\s-]+(?P<u2>{_UNITS_RE})")
def _compound_duration(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "two hours 30 minutes", "one year six months": one period with both parts."""
    n1, n2 = _num(m.group("n")), _num(m.group("m"))
    a = _duration(n1, m.group("u")) if n1 else None
    b = _duration(n2, m.group("u2")) if n2 else None
    if not a or not b:
        return None
    (da, _, ta), (db, _, tb) = a[1:].partition("T"), b[1:].partition("T")
    return Resolution("P" + da + db + ("T" + ta + tb if ta or tb else ""), "DURATION")


# --- weekdays ---------------------------------------------------------------------------------


@_rule(
    rf"(?P<rel>last|next|this|this\s+past|this\s+coming|coming|past|previous|early|late|earlier|later)?\s*"
    rf"(?P<wd>{_WDAY_ALT})\.?(?:\s+(?P<pod>{_POD_ALT}))?"
    rf"(?:\s*,?\s*(?:at\s+)?(?P<time>{_TIME_RE}|noon|midday|midnight))?"
)
def _weekday(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return _resolve_weekday(
        WEEKDAYS[m.group("wd")], m.group("rel"), m.group("pod"), m.group("time"), ctx
    )


@_rule(
    rf"(?P<time>{_TIME_RE}|noon|midday|midnight)\s*,?\s*(?:on\s+)?(?:(?P<rel>last|next|this)\s+)?(?P<wd>{_WDAY_ALT})"
    rf"(?:\s+(?P<pod>{_POD_ALT}))?"
)
def _time_weekday(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return _resolve_weekday(
        WEEKDAYS[m.group("wd")], m.group("rel"), m.group("pod"), m.group("time"), ctx
    )


@_rule(
    rf"(?P<time>{_TIME_RE}|noon|midday|midnight)\s*,?\s*(?P<rel>today|tonight|yesterday|tomorrow)"
)
def _time_relday(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    d = ctx.dct.day + timedelta(days=_REL_DAYS[m.group("rel")])
    return _with_time(d, m.group("time"))


def _resolve_weekday(
    wd: int, rel: str | None, pod: str | None, time: str | None, ctx: _Ctx
) -> Resolution | None:
    dct = ctx.dct.day
    rel = re.sub(r"\s+", " ", rel) if rel else None
    mod = {"early": "START", "late": "END"}.get(rel or "")
    delta_back = (dct.weekday() - wd) % 7  # days back to the most recent such weekday (0: today)
    delta_fwd = (wd - dct.weekday()) % 7
    direction = ctx.direction
    if rel in ("last", "this past", "past", "previous"):
        direction = "past"
    elif rel in ("next", "this coming", "coming"):
        direction = "future"
    if rel == "this":
        d = dct - timedelta(days=dct.weekday()) + timedelta(days=wd)  # same ISO week
    elif delta_back == 0 and _same_day_reading(rel, pod, time, ctx):
        d = dct
    elif direction == "future":
        d = dct + timedelta(days=delta_fwd or 7)
    else:
        d = dct - timedelta(days=delta_back or 7)
    if time:
        return _with_time(d, time, mod)
    if pod:
        return Resolution(f"{_fmt_day(d)}T{_pod_code(pod)}", "TIME", mod)
    return Resolution(_fmt_day(d), "DATE", mod)


_POD_START = {"morning": 6, "afternoon": 12, "evening": 18, "night": 21, "overnight": 0}


def _same_day_reading(rel: str | None, pod: str | None, time: str | None, ctx: _Ctx) -> bool:
    """Whether a weekday equal to the DCT's weekday is the DCT's own day.

    Yes when the text says so ("today", "this Monday"), when "earlier"/"later" sits right before
    it ("reported earlier Monday", a same-day convention of wire copy), and when a part of the day
    is named that can already have passed at the DCT ("confirmed on Monday evening" in a Monday
    article without a printed time).
    """
    if rel in ("earlier", "later", "early", "late"):
        return True
    if ctx.context:
        pos = _find(ctx.context, ctx.raw)
        before = ctx.context[: pos[0]] if pos else ""
        if re.search(r"\btoday\b", ctx.context, re.I):
            return True
        if re.search(r"\b(?:earlier|later|late|early)(?:\s+on)?\s*$", before, re.I):
            return True
    if pod or time:
        if ctx.dct.hour is None:
            return True
        start = _POD_START.get(pod or "", 0)
        if time:
            tm = re.fullmatch(_TIME_RE, time.strip())
            c = _clock(tm.group("hh"), tm.group("mm"), tm.group("ampm")) if tm else None
            start = c[0] if c else 24
        return start <= ctx.dct.hour
    return False


# --- explicit dates -----------------------------------------------------------------------------

_WD_OPT = rf"(?:(?P<wd>{_WDAY_ALT}|{_TR_WDAY_ALT})\.?\s*,?\s*(?:the\s+)?)?"
_DAYNUM = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_OPT = r"(?:\s*,?\s*(?:-\s*)?(?P<y>\d{4}|'\d{2}))?"
_TIME_OPT = rf"(?:\s*,?\s*(?:-\s*)?(?:at\s+)?(?P<time>{_TIME_RE}|noon|midday|midnight))?"
_POD_OPT = rf"(?:\s+(?:in\s+the\s+)?(?P<pod>{_POD_ALT}))?"
_MON = rf"(?P<mon>{_MONTH_ALT}|{_TR_MONTH_ALT})\.?"


@_rule(rf"{_WD_OPT}{_MON}\s*{_DAYNUM}{_YEAR_OPT}{_POD_OPT}{_TIME_OPT}")
def _month_day(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return _explicit_date(m, ctx)


@_rule(rf"{_WD_OPT}{_DAYNUM}\s*(?:of\s+)?{_MON}{_YEAR_OPT}{_POD_OPT}{_TIME_OPT}")
def _day_month(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return _explicit_date(m, ctx)


def _month_number(mon: str) -> int | None:
    mon = mon.rstrip(".")
    return MONTHS.get(mon) or TR_MONTHS.get(mon)


def _year(y: str | None, dct: date) -> int | None:
    if y is None:
        return None
    if y.startswith("'"):
        yy = int(y[1:])
        century = dct.year // 100 * 100
        return century + yy if century + yy <= dct.year + 10 else century - 100 + yy
    return int(y)


def _explicit_date(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    g = m.groupdict()
    mon = _month_number(g["mon"])
    if mon is None:
        return None
    day = int(g["d"])
    wd_text = g.get("wd")
    wd = None
    if wd_text:
        wd = WEEKDAYS.get(wd_text.rstrip("."), TR_WEEKDAYS.get(wd_text.rstrip(".")))
    y = _year(g.get("y"), ctx.dct.day)
    if y is not None:
        d = _safe_date(y, mon, day)
    else:
        d = _day_year(mon, day, ctx.dct.day, ctx.direction, wd)
    if d is None:
        return None
    if g.get("time"):
        return _with_time(d, g["time"])
    if g.get("pod"):
        return Resolution(f"{_fmt_day(d)}T{_pod_code(g['pod'])}", "TIME")
    return Resolution(_fmt_day(d), "DATE")


@_rule(
    rf"(?:{_MON}\s*(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|to|through|until|and)\s*"
    rf"(?:(?P<mon2>{_MONTH_ALT})\.?\s*)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<e1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|to|through|until|and)\s*(?P<e2>\d{{1,2}})(?:st|nd|rd|th)?\s+"
    rf"(?P<emon>{_MONTH_ALT})\.?)"
    rf"(?:\s*,?\s*(?P<y>\d{{4}}))?"
)
def _day_range(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    g = m.groupdict()
    if g["mon"]:
        m1 = _month_number(g["mon"])
        m2 = _month_number(g["mon2"]) if g["mon2"] else m1
        d1, d2 = int(g["d1"]), int(g["d2"])
    else:
        m1 = m2 = _month_number(g["emon"])
        d1, d2 = int(g["e1"]), int(g["e2"])
    if m1 is None or m2 is None:
        return None
    if g["y"]:
        start = _safe_date(int(g["y"]), m1, d1)
    else:
        start = _day_year(m1, d1, ctx.dct.day, ctx.direction, None)
    if start is None:
        return None
    end = _safe_date(start.year + (1 if m2 < m1 else 0), m2, d2)
    if end is None or end <= start:
        return None
    return Resolution(f"{_fmt_day(start)}/{_fmt_day(end)}", "DATE")


@_rule(
    r"(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2})(?:[t ](?P<hh>\d{2}):(?P<mm>\d{2})(?::\d{2})?z?)?)?"
)
def _iso(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    if m.group("d") is None:
        month = int(m.group("m"))
        return (
            Resolution(_fmt_month(int(m.group("y")), month), "DATE") if 1 <= month <= 12 else None
        )
    d = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if d is None:
        return None
    if m.group("hh"):
        return Resolution(f"{_fmt_day(d)}T{m.group('hh')}:{m.group('mm')}", "TIME")
    return Resolution(_fmt_day(d), "DATE")


@_rule(r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})")
def _slash(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    y = int(m.group("y"))
    if y < 100:
        y += 1900 if y > (ctx.dct.day.year % 100) + 10 else 2000
    d = _safe_date(y, int(m.group("m")), int(m.group("d")))
    return Resolution(_fmt_day(d), "DATE") if d else None


# --- months, seasons, quarters, years -----------------------------------------------------------


_PREFIX_MODS = {"early": "START", "late": "END", "mid": "MID", "earlier": "START", "later": "END"}
_CAPITAL_MAY = re.compile(r"\b(?:May|March|Mar)\b")


@_rule(
    rf"(?P<rel>last|next|this|this\s+past|this\s+coming|past|previous|coming|early|late|mid|earlier|later)?"
    rf"[\s-]*{_MON}(?:\s*(?:of\s+|,\s*)?(?P<y>\d{{4}}|'\d{{2}}))?"
)
def _month(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    mon = _month_number(m.group("mon"))
    if mon is None or (m.group("mon") in TR_MONTHS and m.group("mon") not in MONTHS):
        return None
    bare = not m.group("y") and not m.group("rel")
    if bare and m.group("mon") in ("may", "mar", "march") and not _CAPITAL_MAY.search(ctx.raw):
        return None  # the modal verb "may", the verb "march"
    rel = re.sub(r"\s+", " ", m.group("rel") or "")
    mod = _PREFIX_MODS.get(rel)
    dct = ctx.dct.day
    y = _year(m.group("y"), dct)
    if y is None:
        if rel in ("last", "this past", "past", "previous"):
            y = _month_year(mon, dct, "past", strict=True)
        elif rel in ("next", "this coming", "coming"):
            y = _month_year(mon, dct, "future", strict=True)
        elif rel == "this":
            y = dct.year
        else:
            y = _month_year(mon, dct, ctx.direction)
    return Resolution(_fmt_month(y, mon), "DATE", mod)


@_rule(rf"(?:(?P<pre>early|late|mid)[\s-]+)?{_MON}\s+(?:of\s+)?(?P<rel>this|last|next)\s+year")
def _month_rel_year(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    mon = _month_number(m.group("mon"))
    if mon is None:
        return None
    y = ctx.dct.day.year + {"this": 0, "last": -1, "next": 1}[m.group("rel")]
    mod = {"early": "START", "late": "END", "mid": "MID"}.get(m.group("pre") or "")
    return Resolution(_fmt_month(y, mon), "DATE", mod)


@_rule(rf"{_MON}\s*(?:-|to|through|and)\s*(?P<mon2>{_MONTH_ALT})\.?(?:\s*,?\s*(?P<y>\d{{4}}))?")
def _month_range(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    m1, m2 = _month_number(m.group("mon")), _month_number(m.group("mon2"))
    if m1 is None or m2 is None:
        return None
    y = int(m.group("y")) if m.group("y") else _month_year(m1, ctx.dct.day, ctx.direction)
    y2 = y + (1 if m2 < m1 else 0)
    if m.group("y") and m2 < m1:
        y, y2 = y - 1, y
    return Resolution(f"{_fmt_month(y, m1)}/{_fmt_month(y2, m2)}", "DATE")


_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@_rule(
    r"(?P<rel>last|next|this|this\s+past|this\s+coming|past|coming|early|late|mid|earlier|later)?"
    r"[\s-]*(?:the\s+)?(?P<s>spring|summer|fall|autumn|winter)(?:\s*(?:of\s+)?(?P<y>\d{4}))?"
)
def _season(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    code = _SEASONS[m.group("s")]
    rel = re.sub(r"\s+", " ", m.group("rel") or "")
    mod = _PREFIX_MODS.get(rel)
    if m.group("y"):
        return Resolution(f"{m.group('y')}-{code}", "DATE", mod)
    dct = ctx.dct.day
    # the season occurrence (year, code) that contains the DCT; winter Y runs Dec Y - Feb Y+1
    cur_year = dct.year - 1 if dct.month < 3 else dct.year
    order = ["SP", "SU", "FA", "WI"]
    cur_idx = cur_year * 4 + ((dct.month - 3) % 12) // 3
    idx = cur_year * 4 + order.index(code)
    if rel in ("last", "this past", "past"):
        while idx >= cur_idx:
            idx -= 4
    elif rel in ("next", "this coming", "coming"):
        while idx <= cur_idx:
            idx += 4
    elif rel == "this":
        pass
    elif ctx.direction == "future":
        while idx < cur_idx:
            idx += 4
    else:
        while idx > cur_idx:
            idx -= 4
    return Resolution(f"{idx // 4:04d}-{order[idx % 4]}", "DATE", mod)


_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
        "final": 4, "last": 4}  # fmt: skip


@_rule(
    r"(?:the\s+)?(?:(?P<yr0>\d{4})(?:'s)?\s+|(?P<rel0>this\s+year's|last\s+year's|next\s+year's)\s+)?"
    r"(?:(?:fiscal|calendar)\s+)?(?P<o>first|1st|second|2nd|third|3rd|fourth|4th|final)"
    r"[\s-]+(?:fiscal\s+)?(?P<u>quarter|half|qtr)"
    r"(?:\s+(?:of\s+)?(?:(?:fiscal|calendar)\s+)?(?:(?P<yr>\d{4})|(?P<rel>this|last|next)\s+year|the\s+year))?"
)
def _quarter_phrase(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    n = _ORD[m.group("o")]
    half = m.group("u") == "half"
    if half and n > 2:
        return None
    dct = ctx.dct.day
    year_text = m.group("yr") or m.group("yr0")
    rel = m.group("rel") or (m.group("rel0") or "").split(" ")[0] or None
    if year_text:
        y = int(year_text)
    elif rel:
        y = dct.year + {"this": 0, "last": -1, "next": 1}[rel]
    else:
        cur = (0 if dct.month <= 6 else 1) + 1 if half else _quarter(dct.month)
        y = dct.year
        if ctx.direction == "past" and n > cur:
            y -= 1
        elif ctx.direction == "future" and n < cur:
            y += 1
    return Resolution(f"{y:04d}-{'H' if half else 'Q'}{n}", "DATE")


@_rule(r"q(?P<n>[1-4])(?:\s+(?P<y>\d{4}))?")
def _q_short(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    y = int(m.group("y")) if m.group("y") else ctx.dct.day.year
    return Resolution(f"{y:04d}-Q{m.group('n')}", "DATE")


@_rule(
    r"(?:(?:the\s+)?(?:fiscal|calendar|financial|model|school|academic|tax)\s+(?:year\s+)?)?(?P<y>1\d{3}|20\d{2})"
)
def _bare_year(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return Resolution(m.group("y"), "DATE")


_TEENS = {k: v for k, v in NUMBERS.items() if isinstance(v, int) and 10 <= v <= 20}
_SPOKEN_YEAR_RE = (
    r"(?:the\s+year\s+)?(?:(?P<c>" + "|".join(k for k, v in _TEENS.items() if v >= 11) + r")"
    r"[\s-]+(?P<yy>(?:[a-z]+)(?:[\s-][a-z]+)?|hundred)|two\s+thousand(?:\s+and)?(?:[\s-]+(?P<tail>[a-z]+(?:[\s-][a-z]+)?))?)"
)


@_rule(_SPOKEN_YEAR_RE)
def _spoken_year(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "nineteen ninety-six", "the year two thousand": years read out (broadcast transcripts)."""
    if m.group("c"):
        yy = 0 if m.group("yy") == "hundred" else _num(m.group("yy").replace("oh ", ""))
        if not isinstance(yy, float | int) or not 0 <= yy < 100 or m.group("yy") in ("a", "an"):
            return None
        return Resolution(f"{NUMBERS[m.group('c')] * 100 + int(yy):04d}", "DATE")
    tail = _num(m.group("tail")) if m.group("tail") else 0
    if not isinstance(tail, float | int) or not 0 <= tail < 100:
        return None
    return Resolution(f"{2000 + int(tail):04d}", "DATE")


@_rule(r"(?P<a>1\d{3}|20\d{2})\s*(?:-|to|through|and|/)\s*(?P<b>\d{4}|\d{2})")
def _year_range(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    a, b = m.group("a"), m.group("b")
    if len(b) == 2:
        b = a[:2] + b
    if int(b) <= int(a):
        return None
    return Resolution(f"{a}/{b}", "DATE")


_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip


@_rule(r"(?:the\s+)?(?:(?P<pre>early|late|mid)[\s-]+)?(?P<w>" + "|".join(_DECADE_WORDS) + ")")
def _decade_word(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "the nineties": the latest such decade of the 1900s (the 2000s' are rarely so named)."""
    mod = {"early": "START", "late": "END", "mid": "MID"}.get(m.group("pre") or "")
    return Resolution(f"19{_DECADE_WORDS[m.group('w')]}", "DATE", mod)


@_rule(
    r"(?:the\s+)?(?:(?P<pre>early|late|mid)[\s-]+)?(?P<y>1\d|20)(?P<d>\d)0'?s|(?:the\s+)?'(?P<yy>\d)0s"
)
def _decade(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    if m.group("yy"):  # "the '90s": the latest such decade that has begun by the DCT
        century = 20 if 2000 + int(m.group("yy")) * 10 <= ctx.dct.day.year else 19
        return Resolution(f"{century}{m.group('yy')}", "DATE")
    mod = {"early": "START", "late": "END", "mid": "MID"}.get(m.group("pre") or "")
    return Resolution(f"{m.group('y')}{m.group('d')}", "DATE", mod)


_CENT_ORD = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}  # fmt: skip


@_rule(r"(?:the\s+)?(?P<o>\d{1,2}(?:st|nd|rd|th)|[a-z]+(?:[\s-]first)?)[\s-]+century")
def _century(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    o = m.group("o")
    n = int(re.sub(r"\D", "", o)) if o[0].isdigit() else _CENT_ORD.get(o)
    if not n:
        return None
    return Resolution(f"{n - 1:02d}", "DATE")


_HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas": lambda y: date(y, 12, 25),
    "christmas day": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24),
    "new year's day": lambda y: date(y, 1, 1),
    "new year's eve": lambda y: date(y, 12, 31),
    "new year": lambda y: date(y, 1, 1),
    "independence day": lambda y: date(y, 7, 4),
    "the fourth of july": lambda y: date(y, 7, 4),
    "july fourth": lambda y: date(y, 7, 4),
    "halloween": lambda y: date(y, 10, 31),
    "valentine's day": lambda y: date(y, 2, 14),
    "veterans day": lambda y: date(y, 11, 11),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
}


def _nth_weekday(y: int, month: int, wd: int, n: int) -> date:
    if n > 0:
        first = date(y, month, 1)
        return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    last = date(y, month, calendar.monthrange(y, month)[1])
    return last - timedelta(days=(last.weekday() - wd) % 7)


@_rule(
    r"(?P<rel>last|next|this)?\s*(?P<h>"
    + "|".join(sorted((re.escape(k) for k in _HOLIDAYS), key=len, reverse=True))
    + r")(?:\s*,?\s*(?P<y>\d{4}))?"
)
def _holiday(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    f = _HOLIDAYS[m.group("h")]
    dct = ctx.dct.day
    if m.group("y"):
        return Resolution(_fmt_day(f(int(m.group("y")))), "DATE")
    rel = m.group("rel")
    direction = {"last": "past", "next": "future"}.get(rel or "", ctx.direction)
    if rel == "this":
        return Resolution(_fmt_day(f(dct.year)), "DATE")
    if direction == "future":
        d = f(dct.year) if f(dct.year) >= dct else f(dct.year + 1)
    else:
        d = f(dct.year) if f(dct.year) <= dct else f(dct.year - 1)
    if rel == "last" and d == dct:
        d = f(dct.year - 1)
    return Resolution(_fmt_day(d), "DATE")


@_rule(rf"(?P<time>{_TIME_RE}|{_TIME_WORD_ALT})\s*,?\s*(?:on\s+)?(?P<rest>[a-z].*)")
def _time_then_date(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "5 p.m. EST, Nov. 6", "noon Saturday": a clock time before the day it falls on."""
    rest = re.sub(r"^(?:[a-z]{2,4}t|gmt|utc|cet|cest)\b\s*,?\s*", "", m.group("rest"))
    inner = _parse(rest, ctx)
    if inner is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", inner.value):
        return None
    return _with_time(date.fromisoformat(inner.value), m.group("time"))


@_rule(r"(?:that|the\s+same|that\s+same)\s+(?P<unit>time|day|week|month|year)")
def _that_unit(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "that year", "at that time": the time named before it in the sentence, if any."""
    anchor = _anchor_before(ctx)
    if anchor is None:
        return None
    d, grain = anchor
    unit = m.group("unit")
    if unit == "time":
        unit = grain
    if unit == "day" and grain == "day":
        return Resolution(_fmt_day(d), "DATE")
    if unit == "week" and grain == "day":
        return Resolution(_fmt_week(d), "DATE")
    if unit == "month" and grain in ("day", "month"):
        return Resolution(_fmt_month(d.year, d.month), "DATE")
    if unit == "year":
        return Resolution(f"{d.year:04d}", "DATE")
    return None


# --- clock times on the DCT's day ---------------------------------------------------------------


@_rule(
    r"(?P<hh>\d{1,2})(?::(?P<mm>\d{2}))?\s+(?:o'clock\s+)?in\s+the\s+(?P<pod>morning|afternoon|evening|night)"
)
def _hour_in_pod(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    ampm = "am" if m.group("pod") == "morning" else "pm"
    if m.group("pod") == "night" and int(m.group("hh")) < 5:
        ampm = "am"
    c = _clock(m.group("hh"), m.group("mm"), ampm)
    if c is None:
        return None
    return Resolution(f"{_fmt_day(ctx.dct.day)}T{c[0]:02d}:{c[1]:02d}", "TIME")


@_rule(rf"(?P<time>{_TIME_RE}|noon|midday|midnight)(?:\s+(?P<tz>[a-z]{{2,4}}t|gmt|utc|cet|cest))?")
def _bare_time(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return _with_time(ctx.dct.day, m.group("time"))


@_rule(rf"(?:(?P<rel>this|that|the|one|every|each)\s+)?(?P<pod>{_POD_ALT})")
def _bare_pod(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "this morning", "by mid-afternoon": the DCT's day; "that morning" has another anchor."""
    if m.group("rel") != "this" and not (
        m.group("rel") is None and m.group("pod").startswith("mid")
    ):
        return None
    return Resolution(f"{_fmt_day(ctx.dct.day)}T{_pod_code(m.group('pod'))}", "TIME")


# --------------------------------------------------------------------------------------------
# The dateparser baseline

# Periods dateparser reports, and the TIMEX3 granularity they select.
_DP_PERIODS = ("time", "part_of_day", "day", "week", "month", "year")
_DP_POD = ((6, "MO"), (12, "AF"), (18, "EV"), (21, "NI"))


class DateparserResolver(Resolver):
    """The ``dateparser`` package with the DCT as relative base: the off-the-shelf baseline.

    Leading signals ("on", "in", ...) are stripped; ``PREFER_DATES_FROM`` is ``past`` unless the
    context is future-oriented; the returned period picks the value's granularity. Conventions it
    cannot express and therefore never returns: ``PAST_REF``/``PRESENT_REF``/``FUTURE_REF``,
    durations and sets (bare quantities such as "four years" are refused, since dateparser would
    read them as "four years ago"), intervals ("September 10-13"), quarters, seasons, and ``mod``
    ("later this month" is not parsed at all).
    """

    name: ClassVar[str] = "dateparser"

    def resolve(self, text: str, dct: str, context: str | None = None) -> Resolution | None:
        d = parse_dct(dct)
        s = _strip_signals(_clean(text))
        if not s or _DP_DURATION.fullmatch(s):
            return None
        prefer = "future" if context_direction(text, context) == "future" else "past"
        data = _dp_parser(_fmt_dct(d), prefer).get_date_data(s)
        when, period = data.date_obj, data.period
        if when is None:
            return None
        if str(when.year) not in s and abs(when.year - d.day.year) > 50:
            return None  # "September 10-13" read as the year 2113: a misparse, not an answer
        if period == "time" and not re.search(r"\d|noon|midnight", s):
            period = "day"  # "now": dateparser answers with the base time, not a printed clock
        if period == "time":
            return Resolution(f"{_fmt_day(when.date())}T{when.hour:02d}:{when.minute:02d}", "TIME")
        if period == "part_of_day":
            pod = "MO"
            for hour, code in _DP_POD:
                if when.hour >= hour:
                    pod = code
            return Resolution(f"{_fmt_day(when.date())}T{pod}", "TIME")
        if period == "week":
            return Resolution(_fmt_week(when.date()), "DATE")
        if period == "month":
            return Resolution(_fmt_month(when.year, when.month), "DATE")
        if period == "year":
            return Resolution(f"{when.year:04d}", "DATE")
        return Resolution(_fmt_day(when.date()), "DATE")

    def signature(self) -> dict[str, Any]:
        from importlib.metadata import version

        return {"name": self.name, "dateparser": version("dateparser")}


# A bare quantity ("four years", "the past 13 months", "days"): a duration, which dateparser
# would read as a point ("four years ago").
_DP_DURATION = re.compile(
    rf"(?:the\s+)?(?:(?:past|last|next|first|coming)\s+)?(?:(?:{_NUM}|{_VAGUE_ALT})[\s-]*{_UNITS_RE}"
    rf"|(?:{_UNIT_ALT})s)(?:[\s-]long)?"
)


@lru_cache(maxsize=128)
def _dp_parser(dct: str, prefer: str) -> Any:
    """One parser per (DCT, preference): constructing is cheap, importing dateparser is not."""
    from dateparser.date import DateDataParser

    base = parse_dct(dct).dt
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": prefer,
            "RETURN_TIME_AS_PERIOD": True,
            "STRICT_PARSING": False,
        },
    )


# --------------------------------------------------------------------------------------------
# Registry

RESOLVERS: dict[str, type[Resolver]] = {
    RuleResolver.name: RuleResolver,
    DateparserResolver.name: DateparserResolver,
}


def get_resolver(name: str) -> Resolver:
    """A resolver instance by name; an unknown name gets a "did you mean" hint."""
    if name not in RESOLVERS:
        close = difflib.get_close_matches(name, RESOLVERS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"unknown resolver {name!r}{hint} (known: {', '.join(sorted(RESOLVERS))})")
    return RESOLVERS[name]()


__all__ = [
    "RESOLVERS",
    "RULES_VERSION",
    "DateparserResolver",
    "Resolution",
    "Resolver",
    "RuleResolver",
    "context_direction",
    "get_resolver",
    "parse_dct",
]
