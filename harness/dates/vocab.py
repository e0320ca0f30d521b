"""The one vocabulary of dates: month and weekday names, clock times and number words.

The tagger (:mod:`harness.dates.tagger`) and the rule resolver (:mod:`harness.dates.rules`) read
the same lists, so a word the tagger marks is a word the resolver can read. Each builds its own
patterns from them because the two match differently: the tagger searches running prose and wants
capitals on month and weekday names ("may", "march" and "sun" are common words); the resolver
parses an expression already found, lower-cased, and takes every form.

Names are spelled out rather than taken from :mod:`calendar`, whose names follow the process
locale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

#: Month word (lower case) -> month number: names, three-letter abbreviations and "sept".
MONTHS: dict[str, int] = {}
for _i, _name in enumerate(MONTH_NAMES, start=1):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS["sept"] = 9
#: Month abbreviations: every month word that is not a full name ("may" is both: a name).
MONTH_ABBREVIATIONS = tuple(k for k in MONTHS if k not in MONTH_NAMES)

#: Weekday word (lower case) -> ISO weekday - 1 (Monday 0): names and abbreviations.
WEEKDAYS: dict[str, int] = {}
for _i, _name in enumerate(WEEKDAY_NAMES):
    WEEKDAYS[_name] = _i
    WEEKDAYS[_name[:3]] = _i
WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
WEEKDAY_ABBREVIATIONS = tuple(k for k in WEEKDAYS if k not in WEEKDAY_NAMES)

# Turkish names and abbreviations, for page stamps such as "Çar. Eyl 27th, 2023".
TR_MONTHS = {
    "oca": 1, "ocak": 1, "şub": 2, "şubat": 2, "mar": 3, "mart": 3, "nis": 4, "nisan": 4,
    "may": 5, "mayıs": 5, "haz": 6, "haziran": 6, "tem": 7, "temmuz": 7, "ağu": 8, "ağustos": 8,
    "eyl": 9, "eylül": 9, "eki": 10, "ekim": 10, "kas": 11, "kasım": 11, "ara": 12, "aralık": 12,
}  # fmt: skip
TR_MONTH_ABBREVIATIONS = tuple(k for k in TR_MONTHS if len(k) == 3)
TR_WEEKDAYS = {"pzt": 0, "sal": 1, "çar": 2, "per": 3, "cum": 4, "cmt": 5, "paz": 6}

#: Cardinal number words -> value. Phrases that count ("a couple of", "a dozen") are the
#: resolver's (:data:`harness.dates.rules.core.NUMBERS`); the tagger leaves "zero" out, since
#: "zero-day" is not a duration.
NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip

#: Clock words -> (hour, minute); "midnight" is 24:00, the end of the day it closes.
CLOCK_WORDS: dict[str, tuple[int, int]] = {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0)}
#: Time-zone abbreviations printed after a clock time (besides the generic "...T" forms).
TIME_ZONES = ("gmt", "utc", "cet", "cest", "kst", "jst", "msk", "hkt", "sgt", "ist", "z")

# Clock patterns. The tagger's a.m./p.m. needs both letters and, without dots, a word boundary
# ("am" in "I am" is not a time); the resolver reads an expression already found and accepts the
# looser spellings ("a m", "p.m").
TAGGER_AMPM = r"(?i:[ap]\.m\.|[ap]\.?m\b)"
RESOLVER_TIME = (
    r"(?P<hh>\d{1,2})(?:[:.](?P<mm>\d{2}))?\s*(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?)?"
    rf"(?:\s*(?:[a-z]{{2,4}}t|{'|'.join(TIME_ZONES)})\b)?"
)


def alternation(words: Iterable[str], capitalize: bool = False) -> str:
    """A regex alternation of ``words``, longest first so that "sept" is tried before "sep"."""
    items = [w.capitalize() if capitalize else w for w in words]
    return "|".join(sorted((re.escape(w) for w in items), key=len, reverse=True))
