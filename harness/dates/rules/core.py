"""The engine of the rule resolver: lexicon, calendar helpers, normalization, the rule table.

Each family module (:mod:`.vague`, :mod:`.relative`, ...) adds its rules to the table with
:func:`_rule`; :func:`_parse` tries them in the order they were added, and the first answer wins.
That order is fixed by :mod:`harness.dates.rules`, which imports the families one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from harness.dates.base import Resolution, _Dct, parse_dct
from harness.dates.rules.direction import _find, context_direction
from harness.dates.rules.lexicon import (
    _APPROX_RE,
    _SIGNAL_RE,
    _TRAILING_RE,
    PARTS_OF_DAY,
    _clean,
    _spoken_year_digits,
)
from harness.dates.vocab import (  # noqa: F401
    CLOCK_WORDS,
    MONTHS,
    RESOLVER_TIME,
    TR_MONTHS,
    TR_WEEKDAYS,
    WEEKDAYS,
    alternation,
)
from harness.gold.timex import TimexValueError

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
# The rule resolver


# Clock times and clock words come from the shared vocabulary.
_TIME_RE = RESOLVER_TIME
_TIME_WORDS = CLOCK_WORDS
_TIME_WORD_ALT = alternation(CLOCK_WORDS)


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
    #: The antecedent's value (the nearest earlier timex of the document naming a calendar time),
    #: read only by the anaphoric rules ("that time", "the same day", "then").
    anchor: str | None = None


_Handler = Callable[["re.Match[str]", _Ctx], "Resolution | None"]


@lru_cache(maxsize=8192)
def _resolve_rules(
    text: str, dct: str, context: str | None, anchor: str | None = None
) -> Resolution | None:
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    d = parse_dct(dct)
    s = _strip_signals(_spoken_year_digits(_clean(text)))
    if not s:
        return None
    direction = context_direction(text, context)
    ctx = _Ctx(d, direction, context, text, anchor)
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
    if res is not None and res.type == "DURATION" and context and mod is None:
        # "a year" tagged without the "earlier" after it: the point a year back, as the whole
        # phrase reads ("net of $5 million a year earlier")
        # (only where the extent occurs once in the sentence, so that the words after it are its own)
        pos = _find(context, text) if context.lower().count(text.lower()) == 1 else None
        back = _BACK_AFTER.match(context[pos[1] :]) if pos else None
        if back:
            return _resolve_rules(f"{text.strip()} {back.group(1)}", dct, context, anchor)
    if res is None:
        return None
    if mod is not None and res.mod is None and (res.type == "DURATION" or mod == "APPROX"):
        # "more than"/"up to" bound quantities; before a calendar point only "around" is kept
        res = Resolution(res.value, res.type, mod)
    return res


#: "earlier"/"ago" right after a duration's extent: the phrase names a point back from the DCT.
_BACK_AFTER = re.compile(r"\s*(earlier|ago)\b", re.I)


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


def _pod_code(word: str) -> str:
    return PARTS_OF_DAY[re.sub(r"mid[\s-]?", "mid-", word) if word.startswith("mid") else word]


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
