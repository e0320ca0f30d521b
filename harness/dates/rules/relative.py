"""Rules for relative units: relative days ("yesterday", "the previous day"), relative calendar
units ("last week", "later this month", "the weekend") and "N units ago / from now".
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from harness.dates.base import Resolution, _Dct
from harness.dates.rules.core import (
    _TIME_RE,
    _add_months,
    _Ctx,
    _fmt_day,
    _fmt_dct,
    _fmt_month,
    _fmt_week,
    _parse,
    _pod_code,
    _quarter,
    _resolve_rules,
    _rule,
    _with_time,
)
from harness.dates.rules.direction import _find
from harness.dates.rules.lexicon import (
    _NUM,
    _POD_ALT,
    _UNITS_RE,
    _VAGUE_ALT,
    _WDAY_ALT,
    PARTS_OF_DAY,
    _clean,
    _duration,
    _num,
)

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
        if named is None and _REL_DAYS[rel] >= 0:
            # "the same day", "the next day" with no day named before them in the sentence: the
            # day the text named last (the antecedent), if it named one
            found = _document_anchor(ctx)
            named = found[0] if found is not None and found[1] == "day" else None
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


_ANCHOR_PREFIX = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _document_anchor(ctx: _Ctx) -> tuple[date, str] | None:
    """The antecedent the caller passed (the nearest earlier timex of the document that names a
    calendar time), as (first day, granularity 'day' | 'month' | 'year'), or None.

    Read from the front of the value: "1988-Q3" names the year 1988, "1998-10-XX" the month.
    """
    m = _ANCHOR_PREFIX.match(ctx.anchor or "")
    if m is None:
        return None
    try:
        d = date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    return d, "day" if m.group(3) else "month" if m.group(2) else "year"


def _antecedent(ctx: _Ctx) -> tuple[date, str] | None:
    """What an anaphor ("that year", "that morning") refers to: the time named before it in its
    sentence, else the antecedent of the document (:func:`_document_anchor`)."""
    return _anchor_before(ctx) or _document_anchor(ctx)


_ANCHORED_RE = re.compile(
    r"\b(?:previous|preceding|prior|following|earlier|later|before|after|same)\b|^the next\b"
)


# --- relative calendar units ------------------------------------------------------------------

_PERIOD_MODS: dict[str, str | None] = {
    "early": "START", "earlier": "START", "late": "END", "later": "END", "mid": "MID",
    "the end of": "END", "the beginning of": "START", "the start of": "START",
    "the middle of": "MID", "the turn of": "START", "the close of": "END", "end of": "END",
    "the early part of": "START", "the latter part of": "END", "the first part of": "START",
    "the last part of": "END", "the remainder of": "END", "the rest of": "END",
    "the balance of": "END", "the first days of": "START", "the last days of": "END",
    "beginning of": "START", "start of": "START", "middle of": "MID", "the dawn of": "START",
    # a share of the period, no end of it: "for a good part of 1990" is 1990
    "a good part of": None, "a large part of": None, "a big part of": None,
    "the better part of": None,
}  # fmt: skip
_PMOD_ALT = "|".join(sorted((re.escape(k) for k in _PERIOD_MODS), key=len, reverse=True))


#: More period modifiers in a row than English stacks ("the end of early 2019" has two): each
#: level parses the rest again, so a long stack took quadratic time and then hit the recursion
#: limit. Beyond this depth the expression is not understood (None).
MAX_STACKED_MODS = 4
_STACKED_MODS = re.compile(rf"(?:(?:{_PMOD_ALT})[\s-]*){{{MAX_STACKED_MODS}}}")

_THE_UNITS = {"the day", "the week", "the month", "the year", "the quarter", "the decade"}


@_rule(rf"(?P<pm>{_PMOD_ALT})[\s-]*(?P<rest>.+)")
def _period_mod(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "later this month" (END), "the end of 2019" (END), "early next year" (START)."""
    pm, rest = m.group("pm"), m.group("rest")
    if _STACKED_MODS.match(rest):
        return None  # "late late late ... 2019": not English; each level would reparse the rest
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
    if rel in ("the past", "the last") and unit in ("week", "month", "year", "decade", "century"):
        # TimeML writes "the past year", "the last decade" as the calendar unit before the
        # DCT's (as "last year"), and "the last week" as the DCT's own week: the seven days up
        # to the DCT
        if unit == "week":
            return Resolution(_fmt_week(ctx.dct.day), "DATE")
        rel = "last"
    elif rel in ("the past", "the last", "the next", "the coming", "past") and unit != "weekend":
        # "the next year", "the past quarter": a length of time up to or from the DCT
        dur = _duration(1, unit)
        return Resolution(dur, "DURATION") if dur else None
    k = _REL_OFFSET[rel]
    d = ctx.dct.day
    if rel in _ANCHORED_REL:
        # "the previous year" falls back on the DCT, "the following year" on the antecedent
        anchor = _anchor_before(ctx) if k <= 0 else _antecedent(ctx)
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
        # ("later" with no time named before it in the sentence: from the antecedent)
        anchor = _anchor_before(ctx) if sign < 0 else _antecedent(ctx)
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


# --- a part of day before its day, the week of a date, pre-/post- a date ---------------------


@_rule(rf"(?P<pod>{_POD_ALT})\s*,?\s+(?P<rel>yesterday|today|tomorrow)")
def _pod_then_relday(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "mid-afternoon yesterday": the same as "yesterday mid-afternoon"."""
    return _parse(f"{m.group('rel')} {m.group('pod')}", ctx)


@_rule(r"the\s+week\s+of\s+(?P<rest>[a-z].*)")
def _week_of(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "the week of March 6": the ISO week that holds the day."""
    inner = _parse(m.group("rest"), ctx)
    if inner is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", inner.value):
        return None
    return Resolution(_fmt_week(date.fromisoformat(inner.value)), "DATE")


@_rule(r"(?P<p>pre|post)-(?P<rest>\d.*|[a-z].*)")
def _pre_post(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "post-1959 politics", "pre-war": the time named, with ``mod`` AFTER / BEFORE."""
    inner = _parse(m.group("rest"), ctx)
    if inner is None or inner.type not in ("DATE", "TIME") or inner.value.endswith("_REF"):
        return None
    return Resolution(inner.value, inner.type, "AFTER" if m.group("p") == "post" else "BEFORE")


@_rule(r"(?:the\s+)?day\s+(?P<dir>before|after)\s+(?P<rest>[a-z0-9].*)")
def _day_before_after(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "the day before last Tuesday('s hearing)", "the day after Christmas": one day off."""
    inner = _parse(m.group("rest"), ctx)
    if inner is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", inner.value):
        return None
    step = timedelta(days=1 if m.group("dir") == "after" else -1)
    return Resolution(_fmt_day(date.fromisoformat(inner.value) + step), "DATE")
