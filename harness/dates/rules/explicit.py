"""Rules for explicit dates: month and day (with or without year, weekday, time), day ranges, ISO
and slashed dates.
"""

from __future__ import annotations

import re
from datetime import date

from harness.dates.base import Resolution
from harness.dates.rules.core import (
    _TIME_RE,
    _Ctx,
    _day_year,
    _fmt_day,
    _fmt_month,
    _pod_code,
    _rule,
    _safe_date,
    _with_time,
)
from harness.dates.rules.direction import _find
from harness.dates.rules.lexicon import _MONTH_ALT, _POD_ALT, _TR_MONTH_ALT, _TR_WDAY_ALT, _WDAY_ALT
from harness.dates.vocab import MONTHS, TR_MONTHS, TR_WEEKDAYS, WEEKDAYS

# --- explicit dates -----------------------------------------------------------------------------

_WD_OPT = (
    r"(?:(?:this\s+coming\s+|this\s+|coming\s+)?"  # "this coming Sunday, March 8": the date decides
    rf"(?P<wd>{_WDAY_ALT}|{_TR_WDAY_ALT})\.?\s*,?\s*(?:the\s+)?)?"
)
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


def _after_ended(ctx: _Ctx) -> bool:
    """Whether the word right before the expression is "ended" ("the quarter ended Sept. 30")."""
    if not ctx.context:
        return False
    pos = _find(ctx.context, ctx.raw)
    return pos is not None and re.search(r"\bended\s*$", ctx.context[: pos[0]], re.I) is not None


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
    elif wd is None and _after_ended(ctx):
        # "the fiscal year ended Jan. 31": the end of a period that is over, the latest such day
        # at or before the DCT, however far back
        dct = ctx.dct.day
        d = _safe_date(dct.year, mon, day)
        if d is None or d > dct:
            d = _safe_date(dct.year - 1, mon, day)
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
