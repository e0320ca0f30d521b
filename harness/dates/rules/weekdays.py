"""Rules for weekdays: a bare weekday is the most recent one before the DCT unless the sentence
points forward (G5.4); with a part of day or a clock time.
"""

from __future__ import annotations

import re
from datetime import timedelta

from harness.dates.base import Resolution
from harness.dates.rules.core import _TIME_RE, _clock, _Ctx, _fmt_day, _pod_code, _rule, _with_time
from harness.dates.rules.direction import _find
from harness.dates.rules.lexicon import _POD_ALT, _WDAY_ALT
from harness.dates.rules.relative import _REL_DAYS
from harness.dates.vocab import WEEKDAYS

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
