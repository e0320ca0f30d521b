"""Rules for months, seasons, quarters, years, decades, centuries and holidays."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from harness.dates.base import Resolution
from harness.dates.rules.core import (
    _TIME_RE,
    _TIME_WORD_ALT,
    _Ctx,
    _fmt_day,
    _fmt_month,
    _fmt_week,
    _month_year,
    _parse,
    _quarter,
    _rule,
    _with_time,
)
from harness.dates.rules.direction import forward_bound
from harness.dates.rules.explicit import _MON, _month_number, _year
from harness.dates.rules.lexicon import _MONTH_ALT, NUMBERS, _num
from harness.dates.rules.relative import _anchor_before, _document_anchor
from harness.dates.vocab import MONTHS, TR_MONTHS

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
        elif forward_bound(ctx.raw, ctx.context) or mon == dct.month % 12 + 1:
            # the month after the DCT's is the one ahead whatever the tense: news names the
            # month eleven months back "last November", and a past verb here is the report's
            # ("told oil companies of a cutback in September")
            y = _month_year(mon, dct, "future")
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
    r"(?:the\s+(?=early|late|mid))?"
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
    r"(?:(?:the|its|their|a|an)\s+(?:(?:flat|strong|weak|disappointing|latest|current)\s+)?)?"
    r"(?:(?P<yr0>\d{4})(?:'s)?\s+|(?P<rel0>this\s+year's|last\s+year's|next\s+year's)\s+)?"
    r"(?:(?:fiscal|calendar)[\s-]+)?(?P<o>first|1st|second|2nd|third|3rd|fourth|4th|final|last)"
    r"[\s-]+(?:fiscal\s+)?(?P<u>quarter|half|qtr)"
    r"(?:\s+(?:of\s+)?(?:(?:fiscal|calendar)\s+)?(?:(?P<yr>\d{4})|(?P<rel>this|last|next)\s+year|the\s+year))?"
)
def _quarter_phrase(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    n = _ORD[m.group("o")]
    half = m.group("u") == "half"
    if half and m.group("o") in ("last", "final"):
        n = 2  # "the last half of 1989": the second
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
        elif ctx.direction == "future" and not half and n < cur - 1:
            # a quarter is reported in the quarter after it ends: "expects to report
            # third-quarter net" in October is the third quarter just ended
            y += 1
        elif ctx.direction == "future" and half and n < cur:
            y += 1
    return Resolution(f"{y:04d}-{'H' if half else 'Q'}{n}", "DATE")


@_rule(
    r"(?:the\s+)?(?P<o>first|last|final|second)\s+two\s+quarters"
    r"(?:\s+of\s+(?:(?P<y>\d{4})|(?P<rel>this|last|next)\s+year))?"
)
def _two_quarters(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "the first two quarters of 1990": a half year (``1990-H1``)."""
    dct = ctx.dct.day
    rel = {"this": 0, "last": -1, "next": 1}.get(m.group("rel") or "this", 0)
    y = int(m.group("y")) if m.group("y") else dct.year + rel
    return Resolution(f"{y:04d}-H{1 if m.group('o') == 'first' else 2}", "DATE")


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
    "easter": lambda y: _easter(y),
    "easter sunday": lambda y: _easter(y),
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
    # US general elections: the Tuesday after the first Monday of November
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),
}


def _easter(y: int) -> date:
    """Western Easter Sunday of year ``y``."""
    from dateutil.easter import easter  # local: dateutil comes with dateparser

    return easter(y)


@_rule(r"(?P<rel>last|next|this)?\s*(?:easter|holy)\s+week(?:\s*,?\s*(?P<y>\d{4}))?")
def _easter_week(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "Easter week": the ISO week that ends on Easter Sunday (Holy Week, Monday to Sunday)."""
    sunday = _easter(ctx.dct.day.year)
    if not m.group("rel") and not m.group("y") and 0 <= (sunday - ctx.dct.day).days <= 6:
        return Resolution(_fmt_week(sunday), "DATE")  # the DCT falls in it ("as Easter week began")
    inner = _holiday_day("easter", m.group("rel"), m.group("y"), ctx)
    return Resolution(_fmt_week(inner), "DATE")


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
    return Resolution(
        _fmt_day(_holiday_day(m.group("h"), m.group("rel"), m.group("y"), ctx)), "DATE"
    )


def _holiday_day(name: str, rel: str | None, year: str | None, ctx: _Ctx) -> date:
    """The day of a holiday: in the year given, else the nearest one the tense or "last"/"next"
    points to (the DCT's year's for "this")."""
    f = _HOLIDAYS[name]
    dct = ctx.dct.day
    if year:
        return f(int(year))
    direction = {"last": "past", "next": "future"}.get(rel or "", ctx.direction)
    if rel == "this":
        return f(dct.year)
    if direction == "future":
        d = f(dct.year) if f(dct.year) >= dct else f(dct.year + 1)
    else:
        d = f(dct.year) if f(dct.year) <= dct else f(dct.year - 1)
    if rel == "last" and d == dct:
        d = f(dct.year - 1)
    return d


@_rule(rf"(?P<time>{_TIME_RE}|{_TIME_WORD_ALT})\s*,?\s*(?:on\s+)?(?P<rest>[a-z].*)")
def _time_then_date(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "5 p.m. EST, Nov. 6", "noon Saturday": a clock time before the day it falls on."""
    rest = re.sub(r"^(?:[a-z]{2,4}t|gmt|utc|cet|cest)\b\s*,?\s*", "", m.group("rest"))
    inner = _parse(rest, ctx)
    if inner is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", inner.value):
        return None
    return _with_time(date.fromisoformat(inner.value), m.group("time"))


@_rule(
    r"(?:that|the\s+same|that\s+same)\s+(?P<unit>time|day|week|month|year)"
    r"|the\s+(?P<the_unit>day)|(?P<then>then)"
)
def _that_unit(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "that year", "at that time", "the day", "then": the time named before it in the
    sentence, else the antecedent the document gives (G5.4: the text anchors it there)."""
    unit = m.group("unit") or m.group("the_unit") or "time"
    anchor = _anchor_before(ctx)
    if anchor is None:
        anchor = _document_anchor(ctx)
        if anchor is None:
            return None
        if unit == "time":
            # the antecedent's own value, at its own grain ("1988-Q3", "1998-02-06TMO")
            value = ctx.anchor or ""
            return Resolution(value, "TIME" if "T" in value else "DATE")
    d, grain = anchor
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
