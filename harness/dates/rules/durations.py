"""Rules for durations: "four years", "the past 13 months", "two-day", "5 1/2 hours"."""

from __future__ import annotations

import re

from harness.dates.base import Resolution
from harness.dates.rules.core import _Ctx, _rule
from harness.dates.rules.lexicon import _NUM, _UNITS_RE, _VAGUE_ALT, UNITS, _duration, _num

# --- durations --------------------------------------------------------------------------------


@_rule(
    rf"(?:the\s+)?(?:(?P<rel>past|last|next|coming|previous|first|final|latest|following|"
    rf"prior|preceding|remaining|initial|entire|full|whole|same|other|ensuing|additional|"
    rf"further|subsequent|intervening|recent|succeeding|better\s+part\s+of\s+the|better\s+part\s+of\s+a)\s+)?"
    rf"(?P<n>{_NUM}|{_VAGUE_ALT})?(?:\s+(?:more|additional|further|extra|straight|consecutive|full|trading|business|working))?"
    rf"[\s-]*(?P<u>{_UNITS_RE})(?P<half>\s+and\s+a\s+half)?(?P<long>[\s-]+(?:long|old))?"
    rf"(?P<more>\s+(?:or\s+(?:so|more|longer)|plus))?"
)
def _duration_phrase(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    n_text, rel, unit = m.group("n"), m.group("rel"), m.group("u")
    if n_text is None and rel is None and m.group("long") and unit in UNITS:
        n_text = "one"  # "day-long", "a year-long inquiry": one unit ("decades-long" stays X)
    if m.group("half"):
        if n_text is None:
            return None
        n_text = f"{n_text} and a half"  # "a minute and a half" -> PT1M30S
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


@_rule(
    rf"(?:(?:a|an|the|its|their|his|her)\s+)?(?P<n>{_NUM})[\s-]+(?P<u>{_UNITS_RE})"
    r"(?:[\s-]+long)?\s+(?:period|term|span|stretch|stint|window|interval|spell)"
)
def _unit_period(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    """ "a three-year period", "its one-year term": the length the compound names."""
    n = _num(m.group("n"))
    if n is None or (not isinstance(n, str) and n >= 1000):
        return None
    dur = _duration(n, m.group("u"))
    return Resolution(dur, "DURATION") if dur else None
