"""Rules for weekdays (G5.4, the TimeML convention adopted in guidelines 1.1): a bare weekday equal
to the DCT's weekday is the DCT's own day; any other is the nearest such day before the DCT, or
after it when the sentence points forward; "last"/"next" never name the DCT itself. Also with a
part of day or a clock time.
"""

from __future__ import annotations

import re
from datetime import timedelta

from harness.dates.base import Resolution
from harness.dates.rules.core import _TIME_RE, _Ctx, _fmt_day, _pod_code, _rule, _with_time
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
    rf"(?P<time>{_TIME_RE}|noon|midday|midnight)(?:\s+(?:[a-z]{{1,3}}t|gmt|utc))?\s*,?\s*"
    rf"(?:on\s+)?(?:(?P<rel>last|next|this)\s+)?(?P<wd>{_WDAY_ALT})"
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
    elif delta_back == 0 and rel not in _OFF_DCT:
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


#: Modifiers that move a weekday off the DCT's own day. Without one, a weekday equal to the DCT's
#: weekday is the DCT's day, whatever the tense (G5.4(a), guidelines 1.1): news names the day of
#: publication by its weekday ("talks resumed on Wednesday", "the vote will be held on Wednesday"
#: in a Wednesday article). "last"/"next" and their kin never mean the DCT itself.
_OFF_DCT = frozenset({"last", "next", "this past", "past", "previous", "this coming", "coming"})
