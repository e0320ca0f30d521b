"""Rules for clock times and parts of day on the DCT's day (or, for "that morning", the antecedent's)."""

from __future__ import annotations

import re

from harness.dates.base import Resolution
from harness.dates.rules.core import _TIME_RE, _clock, _Ctx, _fmt_day, _pod_code, _rule, _with_time
from harness.dates.rules.lexicon import _POD_ALT
from harness.dates.rules.relative import _antecedent

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
    """ "this morning", "by mid-afternoon": the DCT's day; "that morning", "the morning": the day
    named before it in the sentence, else the antecedent's day (G5.4), if that names a day."""
    day = ctx.dct.day
    if m.group("rel") in ("that", "the"):
        found = _antecedent(ctx)
        if found is None or found[1] != "day":
            return None
        day = found[0]
    elif m.group("rel") != "this" and not (
        m.group("rel") is None and m.group("pod").startswith("mid")
    ):
        return None
    return Resolution(f"{_fmt_day(day)}T{_pod_code(m.group('pod'))}", "TIME")
