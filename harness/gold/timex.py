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

Intervals are half-open ``[start, end)`` of naive datetimes (years 1 to 9998); TIMEX3 values carry
no time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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
_UNIT = re.compile(r"(\d+(?:\.\d+)?|X+)(DE|CE|ML|Y|M|W|D|Q|L|C|E|H|S)")

MIN = datetime(1, 1, 1)
MAX = datetime(9999, 12, 31, 23, 59)


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


def _check_point(point: str) -> None:
    day_part, _, time_part = point.partition("T")
    m = _CALENDAR.match(day_part)
    if not m:
        raise TimexValueError(
            f"{point!r} is not a calendar value (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www, YYYY-Qn ...)"
        )
    if m.group("month") and "X" not in m.group("month") and not 1 <= int(m.group("month")) <= 12:
        raise TimexValueError(f"{point!r}: month {m.group('month')} is out of range")
    if m.group("day") and "X" not in m.group("day") + (m.group("month") or ""):
        year = m.group("year")
        if "X" not in year and len(year) == 4:
            try:
                date(int(year), int(m.group("month")), int(m.group("day")))
            except ValueError as exc:
                raise TimexValueError(f"{point!r} is not a calendar day: {exc}") from None
    if time_part or point.endswith("T"):
        if not (m.group("day") or m.group("wday")):
            raise TimexValueError(f"{point!r}: a time needs a day before 'T'")
        t = _TIME.match("T" + time_part)
        if not t:
            raise TimexValueError(
                f"{point!r}: time part must be THH, THH:MM, THH:MM:SS or a part of day (TMO, TAF, TEV, TNI)"
            )
        if t.group("hour") and not (
            int(t.group("hour")) <= 24 and int(t.group("minute") or 0) < 60
        ):
            raise TimexValueError(f"{point!r}: time of day out of range")


def validate(value: object, type_: str | None = None) -> str:
    """Return the normalized value, or raise TimexValueError saying what is wrong.

    With ``type_`` the value must also fit the TIMEX3 type: DURATION takes durations; DATE and TIME
    take calendar points, intervals and references; SET takes durations or calendar patterns.
    """
    if not isinstance(value, str) or not value.strip():
        raise TimexValueError(f"expected a TIMEX3 value string, got {value!r}")
    norm = normalize(value)
    k = kind(norm)
    if k == "duration":
        if not _DURATION.match(norm):
            raise TimexValueError(f"{value!r} is not a duration such as P2D, PT20H, P13M, PXD")
    elif k == "interval":
        parts = norm.split("/")
        if len(parts) != 2:
            raise TimexValueError(f"{value!r}: an interval is exactly 'start/end'")
        for p in parts:
            if kind(p) not in ("date", "time"):
                raise TimexValueError(f"{value!r}: interval ends must be calendar values")
            _check_point(p)
        a, b = (to_interval(p) for p in parts)
        if a is not None and b is not None and b.end <= a.start:
            raise TimexValueError(f"{value!r}: the interval ends before it starts")
    elif k in ("date", "time"):
        _check_point(norm)
    if type_ is not None:
        if type_ not in TYPES:
            raise TimexValueError(
                f"unknown TIMEX3 type {type_!r}; expected one of {', '.join(TYPES)}"
            )
        if type_ == "DURATION" and k != "duration":
            raise TimexValueError(f"type DURATION needs a duration value (P...), got {value!r}")
        if type_ in ("DATE", "TIME") and k == "duration":
            raise TimexValueError(f"type {type_} cannot take the duration {value!r}; use DURATION")
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
    return "/".join(re.sub(r"(T\d{2}:\d{2}):00$", r"\1", p) for p in v.split("/"))


def _strip_zeros(number: str) -> str:
    if "X" in number or "." in number:
        return number
    return str(int(number))


def _year_span(year: str) -> tuple[datetime, datetime]:
    if len(year) == 4:
        return datetime(int(year), 1, 1), datetime(int(year) + 1, 1, 1)
    if len(year) == 3:  # decade
        return datetime(int(year) * 10, 1, 1), datetime(int(year) * 10 + 10, 1, 1)
    return datetime(max(int(year) * 100, 1), 1, 1), datetime(int(year) * 100 + 100, 1, 1)


def _add_months(year: int, month: int, n: int) -> datetime:
    m = month - 1 + n
    return datetime(year + m // 12, m % 12 + 1, 1)


def _point_interval(point: str) -> Interval | None:
    day_part, _, time_part = point.partition("T")
    m = _CALENDAR.match(day_part)
    if not m or "X" in day_part:
        return None
    start, end = _year_span(m.group("year"))
    year = start.year
    if m.group("month"):
        month = int(m.group("month"))
        start, end = datetime(year, month, 1), _add_months(year, month, 1)
        if m.group("day"):
            start = datetime(year, month, int(m.group("day")))
            end = start + timedelta(days=1)
    elif m.group("week"):
        monday = datetime.combine(
            date.fromisocalendar(year, int(m.group("week")), 1), datetime.min.time()
        )
        start, end = monday, monday + timedelta(days=7)
        wday = m.group("wday")
        if wday == "WE":
            start, end = monday + timedelta(days=5), monday + timedelta(days=7)
        elif wday:
            start = monday + timedelta(days=int(wday) - 1)
            end = start + timedelta(days=1)
    elif m.group("quarter"):
        q = int(m.group("quarter"))
        start, end = datetime(year, 3 * q - 2, 1), _add_months(year, 3 * q - 2, 3)
    elif m.group("half"):
        h = int(m.group("half"))
        start, end = datetime(year, 6 * h - 5, 1), _add_months(year, 6 * h - 5, 6)
    elif m.group("season"):
        a, b = SEASONS[m.group("season")]
        start, end = _add_months(year, a, 0), _add_months(year, a, b - a)
    if time_part:
        t = _TIME.match("T" + time_part)
        if not t:
            return None
        if t.group("pod"):
            a, b = PARTS_OF_DAY[t.group("pod")]
            return Interval(start + timedelta(hours=a), start + timedelta(hours=b))
        h, mi, s = int(t.group("hour")), int(t.group("minute") or 0), int(t.group("second") or 0)
        at = start + timedelta(hours=h, minutes=mi, seconds=s)
        grain = (
            timedelta(seconds=1)
            if t.group("second")
            else timedelta(minutes=1 if t.group("minute") else 60)
        )
        return Interval(at, at + grain)
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
    try:
        return _point_interval(v)
    except ValueError:  # e.g. week 53 of a year without one
        return None


def equal(a: str | None, b: str | None) -> bool:
    """Strict agreement: both present and equal after normalization."""
    if a is None or b is None:
        return False
    return normalize(a) == normalize(b)


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
