"""The off-the-shelf baseline resolver: the ``dateparser`` package with the DCT as relative base."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, ClassVar

from harness.dates.base import Resolution, Resolver, parse_dct
from harness.dates.rules.core import _fmt_day, _fmt_dct, _fmt_month, _fmt_week, _strip_signals
from harness.dates.rules.direction import context_direction
from harness.dates.rules.lexicon import _NUM, _UNIT_ALT, _UNITS_RE, _VAGUE_ALT, _clean

# --------------------------------------------------------------------------------------------
# The dateparser baseline

# Periods dateparser reports, and the TIMEX3 granularity they select.
_DP_PERIODS = ("time", "part_of_day", "day", "week", "month", "year")
_DP_POD = ((6, "MO"), (12, "AF"), (18, "EV"), (21, "NI"))


#: The baseline's settings, chosen by measurement on TimeBank + AQUAINT (1,822 TIMEX3, oracle
#: spans) and the seeds; the README gives the figures. ``PREFER_DATES_FROM`` by the direction of
#: the sentence (:func:`context_direction`): ``current_period`` (this week's Friday, this year's
#: March) beat ``past`` by 7.5 points; ``DATE_ORDER`` and ``PREFER_DAY_OF_MONTH`` changed nothing.
#: ``RELATIVE_BASE`` is always the DCT (with its time of day when it has one).
DATEPARSER_SETTINGS: dict[str, Any] = {
    "languages": ["en"],
    "prefer_dates_from": {"past": "current_period", "none": "current_period", "future": "future"},
    "settings": {"RETURN_TIME_AS_PERIOD": True, "STRICT_PARSING": False},
}


class DateparserResolver(Resolver):
    """The ``dateparser`` package with the DCT as relative base: the off-the-shelf baseline.

    Leading signals ("on", "in", ...) are stripped; the settings are :data:`DATEPARSER_SETTINGS`
    (``PREFER_DATES_FROM`` is ``current_period`` unless the sentence points forward); the returned
    period picks the value's granularity. Conventions it
    cannot express and therefore never returns: ``PAST_REF``/``PRESENT_REF``/``FUTURE_REF``,
    durations and sets (bare quantities such as "four years" are refused, since dateparser would
    read them as "four years ago"), intervals ("September 10-13"), quarters, seasons, and ``mod``
    ("later this month" is not parsed at all), and anaphora: ``anchor`` is ignored, so "that time"
    is not resolved.
    """

    name: ClassVar[str] = "dateparser"

    def resolve(
        self, text: str, dct: str, context: str | None = None, anchor: str | None = None
    ) -> Resolution | None:
        d = parse_dct(dct)
        s = _strip_signals(_clean(text))
        if not s or _DP_DURATION.fullmatch(s):
            return None
        direction = context_direction(text, context) or "none"
        prefer = DATEPARSER_SETTINGS["prefer_dates_from"][direction]
        when, period = _dp_date(_fmt_dct(d), prefer, s)
        if when is None:
            return None
        if str(when.year) not in s and abs(when.year - d.day.year) > 50:
            return None  # "September 10-13" read as the year 2113: a misparse, not an answer
        if period == "time" and not re.search(r"\d|noon|midnight", s):
            period = "day"  # "now": dateparser answers with the base time, not a printed clock
        if period == "time":
            return Resolution(f"{_fmt_day(when.date())}T{when.hour:02d}:{when.minute:02d}", "TIME")
        if period == "part_of_day":
            pod = "MO"
            for hour, code in _DP_POD:
                if when.hour >= hour:
                    pod = code
            return Resolution(f"{_fmt_day(when.date())}T{pod}", "TIME")
        if period == "week":
            return Resolution(_fmt_week(when.date()), "DATE")
        if period == "month":
            return Resolution(_fmt_month(when.year, when.month), "DATE")
        if period == "year":
            return Resolution(f"{when.year:04d}", "DATE")
        return Resolution(_fmt_day(when.date()), "DATE")

    def signature(self) -> dict[str, Any]:
        from importlib.metadata import version

        return {"name": self.name, "dateparser": version("dateparser"), **DATEPARSER_SETTINGS}


# A bare quantity ("four years", "the past 13 months", "days"): a duration, which dateparser
# would read as a point ("four years ago").
_DP_DURATION = re.compile(
    rf"(?:the\s+)?(?:(?:past|last|next|first|coming)\s+)?(?:(?:{_NUM}|{_VAGUE_ALT})[\s-]*{_UNITS_RE}"
    rf"|(?:{_UNIT_ALT})s)(?:[\s-]long)?"
)


@lru_cache(maxsize=4096)
def _dp_date(dct: str, prefer: str, text: str) -> tuple[Any, str | None]:
    """dateparser's date and period for ``text`` (signals stripped) under one DCT and preference.

    dateparser's answer depends on these three only, and its parse costs about 0.3 ms, so an
    expression repeated under one DCT (in an article, or in articles of one day) is parsed once:
    on TimeBank + AQUAINT, 1,334 of the 1,822 TIMEX3 are distinct by (text, DCT, direction). The
    date is a ``datetime``, immutable, so sharing it is safe.
    """
    data = _dp_parser(dct, prefer).get_date_data(text)
    return data.date_obj, data.period


@lru_cache(maxsize=128)
def _dp_parser(dct: str, prefer: str) -> Any:
    """One parser per (DCT, preference): constructing is cheap, importing dateparser is not."""
    from dateparser.date import DateDataParser

    base = parse_dct(dct).dt
    settings = {
        **DATEPARSER_SETTINGS["settings"],
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": prefer,
    }
    return DateDataParser(languages=DATEPARSER_SETTINGS["languages"], settings=settings)
