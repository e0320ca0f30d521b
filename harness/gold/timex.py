"""TIMEX3 values: parsing, well-formedness, normalization and conversion to time intervals.

Every metric that compares dates (claim date accuracy, the resolver track, the timex track) and the
validator go through this module, so "equal" and "overlapping" mean one thing everywhere.

Supported values (TimeML 1.2.1 / ISO-TimeML, as used in TempEval-3):

* calendar: ``YYYY``, ``YYY`` (decade), ``YY`` (century), ``YYYY-MM``, ``YYYY-MM-DD``,
  ``YYYY-Www``, ``YYYY-Www-WE`` (weekend), ``YYYY-Qn``, ``YYYY-Hn``, seasons ``YYYY-SP|SU|FA|WI``;
  digits may be ``X`` where unknown (``199X``, ``XXXX-09``);
* times: a day followed by ``THH``, ``THH:MM``, ``THH:MM:SS`` or a part of day ``TMO|AF|EV|NI|DT|MI``;
* references: ``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``;
* intervals: ``start/end`` of two calendar or time values (ISO 8601);
* durations: ``P1Y``, ``P2D``, ``PT20H``, ``PXD``, ``P1DE`` ... (compared as normalized strings).

Intervals are half-open ``[start, end)`` of naive datetimes; TIMEX3 values carry no time zone.
Years run 0001-9999; an interval that would reach past the end of 9999 is cut at
:data:`datetime.max`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from harness.gold.yamlio import short

TYPES = ("DATE", "TIME", "DURATION", "SET")
REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")
MODS = (
    "START",
    "MID",
    "END",
    "APPROX",
    "BEFORE",
    "AFTER",
    "ON_OR_BEFORE",
    "ON_OR_AFTER",
    "LESS_THAN",
    "MORE_THAN",
    "EQUAL_OR_LESS",
    "EQUAL_OR_MORE",
)
PARTS_OF_DAY = {  # hours [start, end); NI runs past midnight
    "MO": (6, 12),
    "MI": (11, 13),
    "AF": (12, 18),
    "DT": (6, 18),
    "EV": (18, 24),
    "NI": (21, 30),
}
SEASONS = {"SP": (3, 6), "SU": (6, 9), "FA": (9, 12), "WI": (12, 15)}  # months [start, end)

_D = r"[\dX]"
_CALENDAR = re.compile(
    rf"^(?P<year>{_D}{{2,4}})"
    rf"(?:-(?:(?P<month>{_D}{{2}})(?:-(?P<day>{_D}{{2}}))?"
    rf"|W(?P<week>{_D}{{2}})(?:-(?P<wday>WE|[1-7X]))?"
    rf"|Q(?P<quarter>[1-4X])|H(?P<half>[12X])|(?P<season>SP|SU|FA|WI)))?$"
)
_TIME = re.compile(
    r"^T(?:(?P<pod>MO|MI|AF|EV|NI|DT)|(?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?)$"
)
_DURATION = re.compile(
    r"^P(?=[\dX.]|T)"
    r"(?P<date>(?:(?:\d+(?:\.\d+)?|X+)(?:Y|M|W|D|Q|DE|CE|ML|L|C|E))*)"
    r"(?:T(?P<time>(?:(?:\d+(?:\.\d+)?|X+)[HMS])+))?$"
)
_ZERO_SECONDS = re.compile(r"(T\d{2}:\d{2}):00$")
_UNIT = re.compile(r"(\d+(?:\.\d+)?|X+)(DE|CE|ML|Y|M|W|D|Q|L|C|E|H|S)")

MIN = datetime(1, 1, 1)
MAX = datetime.max


class TimexValueError(ValueError):
    """A string that is not a well-formed TIMEX3 value (the message says what is wrong)."""


@dataclass(frozen=True)
class Interval:
    """A half-open span of time ``[start, end)``."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


def kind(value: str) -> str:
    """Classify a normalized value as 'ref', 'duration', 'interval', 'time' or 'date'."""
    if value in REFS:
        return "ref"
    if value.startswith("P"):
        return "duration"
    if "/" in value:
        return "interval"
    if "T" in value:
        return "time"
    return "date"


def _check_point(point: str, shown: str | None = None) -> None:
    """Raise TimexValueError unless ``point`` is a calendar value whose every field is in range.

    The ranges are those that interval arithmetic can use: years 0001-9999 (a bare ``0000`` names
    no year of the proleptic Gregorian calendar that :mod:`datetime` knows), weeks 01-53 with W53
    only in years that have one, hours 00-23 plus ``24:00``, minutes and seconds 00-59. Months,
    days, weeks, quarters, halves and seasons need a four-digit year (``202-09`` means nothing).
    """
    shown = shown or short(point)  # the value as written, where it differs from its normal form
    day_part, _, time_part = point.partition("T")
    m = _CALENDAR.match(day_part)
    if not m:
        raise TimexValueError(
            f"{shown} is not a calendar value (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www, YYYY-Qn ...)"
        )
    year = m.group("year")
    if year.strip("0") == "" and len(year) == 4:
        raise TimexValueError(f"{shown}: year 0000 is out of range (years run 0001-9999)")
    below_year = any(m.group(g) for g in ("month", "week", "quarter", "half", "season"))
    if below_year and len(year) != 4:
        raise TimexValueError(
            f"{shown}: a month, week, quarter, half or season needs a four-digit year"
        )
    month = m.group("month")
    if month and "X" not in month and not 1 <= int(month) <= 12:
        raise TimexValueError(f"{shown}: month {month} is out of range (01-12)")
    day = m.group("day")
    if day and "X" not in day:
        if not 1 <= int(day) <= 31:
            raise TimexValueError(f"{shown}: day {day} is out of range (01-31)")
        if "X" not in year + month:
            try:
                date(int(year), int(month), int(day))
            except ValueError as exc:
                raise TimexValueError(f"{shown} is not a calendar day: {exc}") from None
    week = m.group("week")
    if week and "X" not in week:
        if not 1 <= int(week) <= 53:
            raise TimexValueError(f"{shown}: week {week} is out of range (01-53)")
        if int(week) == 53 and "X" not in year and date(int(year), 12, 28).isocalendar()[1] != 53:
            raise TimexValueError(
                f"{shown}: {year} has no ISO week 53; hint: its last week is {year}-W52"
            )
    if time_part or point.endswith("T"):
        if not (m.group("day") or m.group("wday")):
            raise TimexValueError(f"{shown}: a time needs a day before 'T'")
        t = _TIME.match("T" + time_part)
        if not t:
            raise TimexValueError(
                f"{shown}: time part must be THH, THH:MM, THH:MM:SS or a part of day "
                "(TMO, TAF, TEV, TNI)"
            )
        if t.group("hour"):
            hour, minute, second = (int(t.group(g) or 0) for g in ("hour", "minute", "second"))
            if hour > 24 or minute > 59 or second > 59 or (hour == 24 and minute + second):
                raise TimexValueError(
                    f"{shown}: time of day out of range (hours 00-23 or 24:00, "
                    "minutes and seconds 00-59)"
                )


def validate(value: object, type_: str | None = None) -> str:
    """Return the normalized value, or raise TimexValueError saying what is wrong.

    With ``type_`` the value must also fit the TIMEX3 type: DURATION takes durations; DATE and TIME
    take calendar points, intervals and references; SET takes durations or calendar patterns.
    Every value accepted here has a usable interval (or none, for durations and X digits): the
    arithmetic below never fails on it.
    """
    if not isinstance(value, str) or not value.strip():
        raise TimexValueError(f"expected a TIMEX3 value string, got {short(value)}")
    if not value.isascii():  # re's \d would take "２０１９", which equals no "2019"
        raise TimexValueError(
            f"{short(value)} holds a character that is not ASCII: TIMEX3 values are written with "
            "the digits 0-9, letters and - : . /"
        )
    if type_ is not None and not isinstance(type_, str):
        raise TimexValueError(f"expected a TIMEX3 type string, got {short(type_)}")
    return _validate(value, type_)


@lru_cache(maxsize=65536)
def _validate(value: str, type_: str | None) -> str:
    """:func:`validate` for strings; cached, since values repeat across a corpus."""
    shown = short(value)
    norm = normalize(value)
    k = kind(norm)
    if k == "duration":
        if not _DURATION.match(norm):
            raise TimexValueError(f"{shown} is not a duration such as P2D, PT20H, P13M, PXD")
    elif k == "interval":
        parts = norm.split("/")
        if len(parts) != 2:
            raise TimexValueError(f"{shown}: an interval is exactly 'start/end'")
        for p in parts:
            if kind(p) not in ("date", "time"):
                raise TimexValueError(f"{shown}: interval ends must be calendar values")
            _check_point(p)
        a, b = (to_interval(p) for p in parts)
        if a is not None and b is not None and b.end <= a.start:
            raise TimexValueError(f"{shown}: the interval ends before it starts")
    elif k in ("date", "time"):
        _check_point(norm, shown)
    if type_ is not None:
        if type_ not in TYPES:
            raise TimexValueError(
                f"unknown TIMEX3 type {short(type_)}; expected one of {', '.join(TYPES)}"
            )
        if type_ == "DURATION" and k != "duration":
            raise TimexValueError(f"type DURATION needs a duration value (P...), got {shown}")
        if type_ in ("DATE", "TIME") and k == "duration":
            raise TimexValueError(f"type {type_} cannot take the duration {shown}; use DURATION")
    return norm


def is_valid(value: object, type_: str | None = None) -> bool:
    try:
        validate(value, type_)
    except TimexValueError:
        return False
    return True


def normalize(value: str) -> str:
    """Canonical spelling: upper case, no blanks, seconds ':00' and minutes ':00'-only kept minimal.

    ``2023-09-05T03:09:00`` -> ``2023-09-05T03:09``; ``p2d`` -> ``P2D``; ``P02D`` -> ``P2D``.
    """
    v = value.strip().upper().replace(" ", "")
    if v.startswith("P"):
        return _UNIT.sub(lambda m: _strip_zeros(m.group(1)) + m.group(2), v)
    return "/".join(_ZERO_SECONDS.sub(r"\1", p) for p in v.split("/"))


@lru_cache(maxsize=65536)  # pure, and scoring compares the same few values again and again
def _comparison_key(value: str) -> str:
    """What :func:`equal` compares: the normalized value with the spellings TimeML corpora use
    for one period made one. A one-digit week number is padded (``2000-W7`` -> ``2000-W07``;
    TimeBank writes both; :func:`validate` still asks for two digits), and a year whose last one
    or two digits are unknown is the decade or century it names (``196X`` -> ``196``, ``19XX`` ->
    ``19``: "the 1960s" is written both ways). ``1X9X`` and ``XXXX`` stay as they are."""
    v = normalize(value)
    v = "/".join(re.sub(r"^([\dX]{4}-W)(\d)(?=$|-)", r"\g<1>0\2", p) for p in v.split("/"))
    m = re.fullmatch(r"(\d{3})X|(\d{2})XX", v)
    return (m.group(1) or m.group(2)) if m else v


def _strip_zeros(number: str) -> str:
    if "X" in number or "." in number:
        return number
    return str(int(number))


def _at(year: int, month: int = 1, day: int = 1) -> datetime:
    """Midnight of a day, clamped to the datetime range (years 1-9999)."""
    if year < 1:
        return datetime.min
    if year > 9999:
        return datetime.max
    return datetime(year, month, day)


def _plus(start: datetime, delta: timedelta) -> datetime:
    """``start + delta``, clamped at :data:`datetime.max` (the end of year 9999)."""
    try:
        return start + delta
    except OverflowError:
        return datetime.max


def _year_span(year: str) -> tuple[datetime, datetime]:
    n = int(year)
    if len(year) == 4:
        return _at(n), _at(n + 1)
    if len(year) == 3:  # decade; 000 is the years 0001-0009
        return _at(n * 10), _at(n * 10 + 10)
    return _at(n * 100), _at(n * 100 + 100)  # century; 00 is the years 0001-0099


def _add_months(year: int, month: int, n: int) -> datetime:
    m = month - 1 + n
    return _at(year + m // 12, m % 12 + 1)


def _point_interval(point: str) -> Interval | None:
    day_part, _, time_part = point.partition("T")
    m = _CALENDAR.match(day_part)
    if not m or "X" in day_part:
        return None
    start, end = _year_span(m.group("year"))
    year = int(m.group("year"))
    if m.group("month"):
        month = int(m.group("month"))
        start, end = _at(year, month), _add_months(year, month, 1)
        if m.group("day"):
            start = _at(year, month, int(m.group("day")))
            end = _plus(start, timedelta(days=1))
    elif m.group("week"):
        monday = datetime.combine(
            date.fromisocalendar(year, int(m.group("week")), 1), datetime.min.time()
        )
        start, end = monday, _plus(monday, timedelta(days=7))
        wday = m.group("wday")
        if wday == "WE":
            start, end = _plus(monday, timedelta(days=5)), end
        elif wday:
            start = _plus(monday, timedelta(days=int(wday) - 1))
            end = _plus(start, timedelta(days=1))
    elif m.group("quarter"):
        q = int(m.group("quarter"))
        start, end = _at(year, 3 * q - 2), _add_months(year, 3 * q - 2, 3)
    elif m.group("half"):
        h = int(m.group("half"))
        start, end = _at(year, 6 * h - 5), _add_months(year, 6 * h - 5, 6)
    elif m.group("season"):
        a, b = SEASONS[m.group("season")]
        start, end = _add_months(year, a, 0), _add_months(year, a, b - a)
    if time_part:
        t = _TIME.match("T" + time_part)
        if not t:
            return None
        if t.group("pod"):
            a, b = PARTS_OF_DAY[t.group("pod")]
            return Interval(_plus(start, timedelta(hours=a)), _plus(start, timedelta(hours=b)))
        h, mi, s = int(t.group("hour")), int(t.group("minute") or 0), int(t.group("second") or 0)
        at = _plus(start, timedelta(hours=h, minutes=mi, seconds=s))
        grain = (
            timedelta(seconds=1)
            if t.group("second")
            else timedelta(minutes=1 if t.group("minute") else 60)
        )
        return Interval(at, _plus(at, grain))
    return Interval(start, end)


def to_interval(value: str, dct: str | None = None) -> Interval | None:
    """The span of time a value denotes, or None where it denotes none (durations, X digits).

    ``PAST_REF`` is everything before the DCT's start, ``FUTURE_REF`` everything after its end and
    ``PRESENT_REF`` the DCT's day; without a DCT they have no interval.
    """
    v = normalize(value)
    k = kind(v)
    if k == "duration":
        return None
    if k == "ref":
        if dct is None:
            return None
        anchor = to_interval(dct)
        if anchor is None:
            return None
        day = datetime(anchor.start.year, anchor.start.month, anchor.start.day)
        if v == "PAST_REF":
            return Interval(MIN, anchor.start)
        if v == "FUTURE_REF":
            return Interval(anchor.end, MAX)
        return Interval(day, day + timedelta(days=1))
    if k == "interval":
        a, b = (_point_interval(p) for p in v.split("/", 1))
        if a is None or b is None:
            return None
        return Interval(a.start, b.end)
    return _point_interval(v)


def equal(a: str | None, b: str | None) -> bool:
    """Strict agreement: both present and equal after normalization."""
    if a is None or b is None:
        return False
    return _comparison_key(a) == _comparison_key(b)


def overlap(a: str | None, b: str | None, dct: str | None = None) -> bool:
    """Relaxed agreement: the two values' intervals overlap (strict equality where either has none).

    ``2023-09`` overlaps ``2023-09-12``; ``2023-08`` does not overlap ``2023-09``. Durations, SETs
    and values with unknown digits have no interval and agree only when equal.
    """
    if a is None or b is None:
        return False
    if equal(a, b):
        return True
    ia, ib = to_interval(a, dct), to_interval(b, dct)
    if ia is None or ib is None:
        return False
    return ia.overlaps(ib)


def granularity(value: str) -> str:
    """Coarse precision label of a value, for error analysis: year, month, week, day, time, ..."""
    v = normalize(value)
    k = kind(v)
    if k in ("ref", "duration", "interval"):
        return k
    if k == "time":
        return "time"
    m = _CALENDAR.match(v)
    if not m:
        return "other"
    for name in ("day", "wday", "week", "month", "quarter", "half", "season"):
        if m.group(name):
            return {"wday": "day"}.get(name, name)
    return {4: "year", 3: "decade", 2: "century"}[len(m.group("year"))]
