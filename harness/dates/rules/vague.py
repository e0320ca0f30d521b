"""Rules for vague references (``PAST_REF``, ``PRESENT_REF``, ``FUTURE_REF``) and sets
("annually", "every Monday", "$5 a year").
"""

from __future__ import annotations

import re

from harness.dates.base import Resolution
from harness.dates.rules.core import _Ctx, _pod_code, _rule
from harness.dates.rules.direction import _find
from harness.dates.rules.lexicon import (
    _MONTH_ALT,
    _NUM,
    _POD_ALT,
    _UNITS_RE,
    _WDAY_ALT,
    _duration,
    _num,
)
from harness.dates.vocab import MONTHS, WEEKDAYS

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
    "a later date": "FUTURE_REF", "a later time": "FUTURE_REF", "a future date": "FUTURE_REF",
    "as soon as possible": "FUTURE_REF", "someday": "FUTURE_REF", "some day": "FUTURE_REF",
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


# --- vague references and sets ---------------------------------------------------------------


@_rule(r"(?:the\s+)?(?:coming|upcoming|future|few\s+coming)\s+(?:days|weeks|months|years|quarters)")
def _coming(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "in the coming days", "in future quarters": a vague future (G5.4). A counted stretch ("the
    next few days", "the next several days") is a duration (:mod:`.durations`), as TimeML
    writes it (``PXD``)."""
    return Resolution("FUTURE_REF", "DATE")


@_rule(
    r"(?:the\s+)?(?:more\s+|most\s+)?recent\s+(?:days|weeks|months|years|decades|quarters|times)"
    r"(?:\s+(?:and|or)\s+(?:days|weeks|months|years|decades))?"
    r"|past\s+(?:days|weeks|months|years|decades|quarters)"
)
def _recent(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "in recent months", "in past years": a vague past (G5.4). With an article and a count
    ("the past few weeks") it is a duration instead (:mod:`.durations`)."""
    return Resolution("PAST_REF", "DATE")


@_rule(r"(?:this|the\s+present|the\s+current)\s+(?:[a-z]+\s+)?moment")
def _this_moment(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "at this crucial moment": the present (TimeML ``PRESENT_REF``)."""
    return Resolution("PRESENT_REF", "DATE")


#: Modals after which "one day" is an unspecified future day ("will one day be"), not a length.
_FUTURE_MODALS = {"will", "would", "could", "might", "may", "can", "shall", "'ll"}


@_rule(r"one\s+day")
def _one_day_future(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "Islam will one day be ...": some day in the future (``FUTURE_REF``); elsewhere "one day"
    is a length of a day (:mod:`.durations`)."""
    if not ctx.context:
        return None
    pos = _find(ctx.context, ctx.raw)
    if pos is None:
        return None
    words = re.findall(r"'?[a-z]+", ctx.context[: pos[0]].lower().replace("’", "'"))
    if words and (words[-1] in _FUTURE_MODALS or words[-1].endswith("'ll")):
        return Resolution("FUTURE_REF", "DATE")
    return None


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
