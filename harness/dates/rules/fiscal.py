"""Rules for the periods of financial reporting: "the quarter", "the latest period", "a year
earlier" and "year-ago" beside quarterly results, "the year ended June 30".

Earnings news compares the quarter just reported with the same quarter a year before, and TimeML
gold writes both as quarters (``1989-Q3``, ``1988-Q3``). Which quarter is reported is read from
the sentence: a quarter it names ("third-quarter net"), else the last calendar quarter completed
before the DCT (the one companies report in the weeks after it ends). Only the sentence is read:
a sentence that names a quarter, or gives earnings per share ("22 cents a share"), is about a
quarter; "a year earlier" in any other sentence stays a year (the rule of :mod:`.relative`).
"""

from __future__ import annotations

import re

from harness.dates.base import Resolution
from harness.dates.rules.core import _add_months, _Ctx, _quarter, _rule
from harness.dates.rules.direction import _find
from harness.dates.rules.lexicon import _MONTH_ALT
from harness.dates.vocab import MONTHS

_QUARTER_WORD = re.compile(r"\bquarter(?!s)", re.I)
#: Earnings per share beside a comparison: the copy of a quarterly report ("net was $7 million,
#: or 22 cents a share, down from $9 million a year ago").
_PER_SHARE = re.compile(r"\ba\s+share\b", re.I)
_NAMED_QUARTER = re.compile(r"\b(first|second|third|fourth)[\s-]+(?:fiscal\s+)?quarter\b", re.I)
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4}
#: Sentences about a span longer than a quarter ("for the nine months"): their "a year earlier"
#: is not a quarter.
_LONGER_SPAN = re.compile(
    r"\b(?:nine|six|twelve|\d+)\s+months\b|\bfull[\s-]year\b|\bfor the year\b"
)
_ENDED = re.compile(rf"^\s*(?:ended|ending)\s+(?P<mon>{_MONTH_ALT})\b", re.I)


def _reported_quarter(ctx: _Ctx) -> tuple[int, int]:
    """The quarter the sentence reports on: the one it names, placed at or before the DCT's
    quarter, else the last calendar quarter completed before the DCT."""
    dct = ctx.dct.day
    cur = _quarter(dct.month)
    named = _NAMED_QUARTER.search(ctx.context or "")
    if named:
        n = _ORDINAL[named.group(1).lower()]
        return (dct.year if n <= cur else dct.year - 1), n
    y, mo = _add_months(dct.year, dct.month, -3)
    return y, _quarter(mo)


def _after(ctx: _Ctx) -> str:
    """The context after the expression ("" when it cannot be found)."""
    if not ctx.context:
        return ""
    pos = _find(ctx.context, ctx.raw)
    return ctx.context[pos[1] :] if pos else ""


@_rule(
    r"(?:the\s+)?(?:comparable\s+)?(?:year[\s-]ago|year[\s-]earlier|prior[\s-]year)"
    r"(?:\s+(?:(?P<o>first|second|third|fourth)\s+)?(?P<unit>quarter|period|results))?"
    r"|(?:the\s+)?(?:quarter|period)\s+a\s+year\s+(?:ago|earlier)"
    r"|last\s+year's\s+(?:quarter|period)"
    r"|the\s+(?:corresponding|comparable|same)\s+(?:quarter|period)\s+(?:of\s+)?(?:last\s+year|a\s+year\s+(?:ago|earlier))"
    r"|(?:a|one)\s+year\s+(?:ago|earlier|before)"
)
def _year_ago_quarter(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """The same quarter a year before the reported one, where the sentence is about a quarter.

    "year-ago" / "the year-ago period" without a quarter in the sentence is the year before the
    DCT's; "a year ago" without one is left to :mod:`.relative`.
    """
    ctx_text = ctx.context or ""
    quarterly = bool(
        _QUARTER_WORD.search(ctx_text) or _PER_SHARE.search(ctx_text)
    ) and not _LONGER_SPAN.search(ctx_text)
    bare_ago = re.match(r"(?:a|one)\s+year", m.group(0)) is not None
    if m.group("o"):
        quarterly = True
    if not quarterly:
        if bare_ago or _LONGER_SPAN.search(ctx_text):
            return None
        if m.group("unit") in (None, "results"):
            return Resolution(f"{ctx.dct.day.year - 1:04d}", "DATE")
        quarterly = True  # "the year-ago period" in earnings copy is the quarter a year before
    y, n = _reported_quarter(ctx)
    if m.group("o"):
        n = _ORDINAL[m.group("o")]
    return Resolution(f"{y - 1:04d}-Q{n}", "DATE")


@_rule(
    r"(?:the|that|its)\s+(?:latest|most\s+recent|recent|just[\s-]ended|past)?\s*(?:quarter|period)"
)
def _the_quarter(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "the quarter", "the latest period": the quarter reported on (see the module docstring);
    "the quarter ended Sept. 30" is the quarter of that month. A "period" is a quarter only in a
    sentence about quarterly results, or when called the latest one."""
    after = _after(ctx)
    if m.group(0).endswith("period"):
        if "latest" not in m.group(0) and "recent" not in m.group(0):
            return None
        if _LONGER_SPAN.search(ctx.context or ""):
            return None
    ended = _ENDED.match(after)
    if ended:
        month = MONTHS[ended.group("mon").lower().rstrip(".")]
        dct = ctx.dct.day
        y = dct.year if month <= dct.month else dct.year - 1
        # the three months up to the end month lie mostly in the calendar quarter of the middle
        # one: "the quarter ended July 31" (May to July) is the second
        y, middle = _add_months(y, month, -1)
        return Resolution(f"{y:04d}-Q{_quarter(middle)}", "DATE")
    if ctx.direction == "future" and not re.search(r"latest|recent|past|ended", m.group(0)):
        return None
    y, n = _reported_quarter(ctx)
    return Resolution(f"{y:04d}-Q{n}", "DATE")


@_rule(r"the\s+(?P<y>\d{4})\s+(?:quarter|period)")
def _year_quarter(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "the 1988 quarter", "the 1988 period": the reported quarter of that year; in a sentence
    about a longer span ("the first nine months"), that year."""
    if _LONGER_SPAN.search(ctx.context or ""):
        return Resolution(m.group("y"), "DATE")
    _y, n = _reported_quarter(ctx)
    return Resolution(f"{m.group('y')}-Q{n}", "DATE")


@_rule(r"the\s+(?:(?:fiscal|financial|calendar|full)\s+)?year")
def _the_year(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "the year ended June 30" is a length of a year (TimeML: DURATION ``P1Y``); "for the year",
    "a high for the year" is the DCT's year."""
    after = _after(ctx)
    if re.match(r"\s*(?:ended|ending|to)\b", after, re.I):
        return Resolution("P1Y", "DURATION")
    if ctx.direction == "future" and "fiscal" in m.group(0):
        return None  # "throughout the fiscal year": which one is not said
    return Resolution(f"{ctx.dct.day.year:04d}", "DATE")
