"""The resolver interface: :class:`Resolver`, its answer :class:`Resolution`, and the DCT parser.

Every resolver (the rules, dateparser, and any later one) implements :meth:`Resolver.resolve`
and nothing else, so the resolver track and the extractors can swap them by name. A document's
expressions go through :func:`resolve_in_order`, which hands each one the antecedent its
predecessors leave (:func:`anchor_value`), so that "that time" can take the value of the time
named before it (G5.4).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, ClassVar

from harness.gold.timex import validate

# --------------------------------------------------------------------------------------------
# Records and interface


@dataclass(frozen=True)
class Resolution:
    """A resolved temporal expression: a TIMEX3 value, its type and optional modifier."""

    value: str
    type: str
    mod: str | None = None

    def __post_init__(self) -> None:
        # Fail at the source: a resolver that builds a malformed value is a bug, not bad input.
        validate(self.value, self.type)


class Resolver(ABC):
    """Base class of every resolver. Subclasses set ``name`` and implement :meth:`resolve`."""

    name: ClassVar[str] = "unnamed"

    @abstractmethod
    def resolve(
        self, text: str, dct: str, context: str | None = None, anchor: str | None = None
    ) -> Resolution | None:
        """Resolve ``text`` against the document creation time ``dct``.

        ``text`` is the temporal expression as printed ("on Monday", "later this month"); leading
        signals such as "on"/"in"/"before" are ignored. ``dct`` is a TIMEX3 day or minute value
        (``2023-09-05``, ``2023-09-05T03:09``). ``context`` is the sentence around the expression;
        it decides direction (past or future) where the expression alone does not. ``anchor`` is
        the TIMEX3 value of the antecedent, the nearest earlier timex of the document that names
        a calendar time (:func:`anchor_value`): anaphoric expressions ("that time", "the same
        day", "then") take their value from it when their sentence names no time before them;
        a resolver that does not read anaphora ignores it. Returns None when the expression is
        not understood.
        """

    def signature(self) -> dict[str, Any]:
        """What to record next to results so that a run can be reproduced."""
        return {"name": self.name}


#: A value that names a calendar time: a year, then anything finer (month, day, week, quarter,
#: season, time of day), as opposed to a duration, a set or PAST_REF/PRESENT_REF/FUTURE_REF.
_CALENDAR_VALUE = re.compile(r"\d{4}(?:[-T].*)?")


def names_calendar_time(value: str) -> bool:
    """Whether a TIMEX3 value names a calendar time ("2019-04", "1988-Q3", "2019-04-22TMO")."""
    return _CALENDAR_VALUE.fullmatch(value) is not None


def anchor_value(res: Resolution | None) -> str | None:
    """The value a resolved expression leaves as antecedent for the anaphora after it, or None.

    Only a DATE or TIME that names a calendar time can be referred back to ("in April 2019 ... at
    that time"); a duration ("for three years"), a set or a vague reference ("recently") cannot,
    so the antecedent stays the one before it.
    """
    if res is None or res.type not in ("DATE", "TIME"):
        return None
    return res.value if names_calendar_time(res.value) else None


def resolve_in_order(
    resolver: Resolver, items: Sequence[tuple[str, str | None]], dct: str
) -> list[Resolution | None]:
    """Resolve one document's expressions, given as (text, sentence) in text order.

    Each expression gets as ``anchor`` the value of the nearest earlier one that names a calendar
    time (:func:`anchor_value`), as the resolver itself resolved it: no gold value leaks in, and a
    wrong antecedent costs its anaphora too, as it would on unannotated text.
    """
    out: list[Resolution | None] = []
    anchor: str | None = None
    for text, context in items:
        res = resolver.resolve(text, dct, context, anchor=anchor)
        out.append(res)
        anchor = anchor_value(res) or anchor
    return out


@dataclass(frozen=True)
class _Dct:
    day: date
    hour: int | None = None
    minute: int | None = None

    @property
    def dt(self) -> datetime:
        return datetime(
            self.day.year, self.day.month, self.day.day, self.hour or 0, self.minute or 0
        )


_DCT_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::\d{2}(?:\.\d+)?)?)?)?$")


@lru_cache(maxsize=256)
def parse_dct(dct: str) -> _Dct:
    """Parse a DCT value; a DCT coarser than a day cannot anchor "yesterday" and is refused."""
    if not isinstance(dct, str):
        raise ValueError(f"dct must be a string such as '2023-09-05', got {dct!r}")
    m = _DCT_RE.match(dct.strip())
    if not m:
        raise ValueError(
            f"dct {dct!r} is not a day or minute TIMEX3 value; "
            "hint: write it as 2023-09-05 or 2023-09-05T03:09"
        )
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValueError(
            f"dct {dct!r} is not a calendar day ({exc}); hint: check month/day"
        ) from None
    hour = int(m.group(4)) if m.group(4) else None
    minute = int(m.group(5)) if m.group(5) else (0 if hour is not None else None)
    if hour is not None and not (0 <= hour <= 23 and 0 <= (minute or 0) <= 59):
        raise ValueError(f"dct {dct!r}: time of day out of range")
    return _Dct(day, hour, minute)
