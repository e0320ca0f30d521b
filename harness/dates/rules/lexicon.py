"""The rule resolver's words and text normalization: the shared vocabulary
(:mod:`harness.dates.vocab`) turned into patterns, number phrases, units, parts of day,
signals and hedges, and the cleaning and number reading every rule family uses.
"""

from __future__ import annotations

import re
import unicodedata

from harness.dates.vocab import (
    MONTHS,
    NUMBER_WORDS,
    TR_MONTHS,
    TR_WEEKDAYS,
    WEEKDAYS,
)

# --------------------------------------------------------------------------------------------
# Lexicon: the shared vocabulary (harness.dates.vocab) and the resolver's own words

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_TR_MONTH_ALT = "|".join(sorted(TR_MONTHS, key=len, reverse=True))
_WDAY_ALT = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_TR_WDAY_ALT = "|".join(sorted(TR_WEEKDAYS, key=len, reverse=True))

#: The cardinal words of the vocabulary plus the phrases that count.
NUMBERS: dict[str, float] = {
    **NUMBER_WORDS, "a": 1, "an": 1, "single": 1, "a single": 1, "a couple of": 2, "a couple": 2,
    "couple of": 2, "a dozen": 12, "dozen": 12, "a hundred": 100, "one hundred": 100,
    "half a": 0.5, "half an": 0.5,
}  # fmt: skip
VAGUE_NUMBERS = {
    "a few", "few", "several", "some", "many", "a number of", "numerous", "various", "the few",
    "a couple more", "more", "the last few", "the past few", "the next few", "the coming few",
}  # fmt: skip
_NUM_WORD_ALT = "|".join(sorted((re.escape(k) for k in NUMBERS), key=len, reverse=True))
_VAGUE_ALT = "|".join(sorted((re.escape(k) for k in VAGUE_NUMBERS), key=len, reverse=True))
_NUM = (
    rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?(?:\s+1/2)?|(?:{_NUM_WORD_ALT})(?:[\s-](?:{_NUM_WORD_ALT}))?"
    rf"(?:\s+and\s+a\s+half)?)"
)


# unit word -> (ISO designator, is a time unit (after 'T'))
UNITS: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "sec": ("S", True), "minute": ("M", True), "min": ("M", True),
    "hour": ("H", True), "hr": ("H", True), "day": ("D", False), "night": ("D", False),
    "week": ("W", False), "fortnight": ("W", False), "month": ("M", False),
    "quarter": ("Q", False), "year": ("Y", False), "yr": ("Y", False), "decade": ("DE", False),
    "century": ("CE", False), "centurie": ("CE", False), "millennium": ("ML", False),
    "millennia": ("ML", False), "weekend": ("WE", False),
}  # fmt: skip
_UNIT_ALT = "|".join(sorted((k for k in UNITS if k != "weekend"), key=len, reverse=True))
_UNITS_RE = rf"(?:{_UNIT_ALT})(?:s|es)?"

PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "midday": "MI", "noon": "MI", "daytime": "DT", "mid-morning": "MO", "midmorning": "MO",
    "mid morning": "MO", "mid-afternoon": "AF", "midafternoon": "AF", "mid afternoon": "AF",
}  # fmt: skip
_POD_ALT = r"morning|afternoon|evening|night|overnight|mid-?\s?morning|mid-?\s?afternoon"

# Leading signals (G5.2) stripped before parsing; longest first.
_SIGNALS = sorted(
    [
        "on", "in", "at", "since", "until", "till", "til", "before", "after", "during", "by",
        "from", "for", "as of", "as late as", "as early as", "as recently as", "as soon as",
        "through", "throughout", "within", "to", "into", "of", "circa", "ca.", "between",
        "starting", "beginning", "ending", "effective", "prior to", "no later than",
        "not until", "as far back as", "back in", "back to", "up until", "up till",
        "as long ago as", "sometime", "some time",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_SIGNAL_RE = re.compile(
    r"^(?:" + "|".join(re.escape(s) for s in _SIGNALS) + r")\s+(?=\S)(?!(?:least|most|possible)\b)"
)
_TRAILING_RE = re.compile(
    r"\s*(?:,?\s*at the (?:earliest|latest)|\s+or so|\s+or (?:more|less|longer|earlier|later)"
    r"|\s+and beyond|\s+onwards?|\s+on|\s+to date|\s+yet)$"
)
_APPROX = [
    (r"about|around|some|roughly|approximately|approx\.?|an estimated|nearly|almost"
     r"|close to|just over|just under|at about|at around|circa|or so", "APPROX"),
    (r"more than|over|longer than|upwards of|in excess of|beyond", "MORE_THAN"),
    (r"less than|under|fewer than|shorter than|within", "LESS_THAN"),
    (r"at least|no less than|a minimum of|not less than", "EQUAL_OR_MORE"),
    (r"up to|no more than|at most|a maximum of|not more than|as many as|as much as",
     "EQUAL_OR_LESS"),
]  # fmt: skip
_APPROX_RE = [(re.compile(rf"^(?:{p})\s+(?=\S)"), m) for p, m in _APPROX]

# --------------------------------------------------------------------------------------------
# Text normalization


#: A dash with the white space around it. The look-behind starts a match only where a run of white
#: space starts: without it, a search tries every position inside a long run and rescans the rest
#: of the run from each (quadratic; 100,000 spaces took 99 s). Same matches: a match inside a run
#: would also match from the run's start, which is further left and so found first.
_DASH_RE = re.compile(r"(?<!\s)\s*[–—]\s*")


def _clean(text: str) -> str:
    """Lower case, one space, plain quotes and hyphens; no surrounding punctuation."""
    s = unicodedata.normalize("NFKC", text)
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    s = _DASH_RE.sub(lambda m: " - " if " " in m.group() else "-", s)
    s = re.sub(r"\s+", " ", s).strip().lower()
    s = s.strip(" \"'`,;:!?()[]{}")
    s = re.sub(r"(?<=\w)\.$", "", s) if not re.search(r"\b[ap]\.m\.$", s) else s
    s = re.sub(r"(?:'s|s')$", lambda m: "" if m.group() == "'s" else "s", s)
    return s


_CENTURY_WORDS = {k: v for k, v in NUMBER_WORDS.items() if 11 <= v <= 19}
#: A year read out after a month or a season ("January nineteen ninety-seven", "the winter of
#: nineteen ninety-four"), as broadcast transcripts print it.
_SPOKEN_YEAR_AFTER = re.compile(
    rf"\b(?P<lead>(?:{_MONTH_ALT})\.?|spring|summer|fall|autumn|winter)(?P<sep>,?\s+(?:of\s+)?)"
    rf"(?P<c>{'|'.join(_CENTURY_WORDS)})[\s-]+(?P<yy>[a-z]+(?:-[a-z]+)?)$"
)


_ORDINAL_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth")  # fmt: skip
#: Day ordinals read out ("eighth", "twenty-first") -> day of the month.
DAY_ORDINALS: dict[str, int] = {
    **{w: i + 1 for i, w in enumerate(_ORDINAL_UNITS)},
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "thirty-first": 31, "thirty first": 31,
    **{f"twenty{sep}{w}": 21 + i for i, w in enumerate(_ORDINAL_UNITS) for sep in ("-", " ")},
}  # fmt: skip
_ORDINAL_ALT = "|".join(sorted(DAY_ORDINALS, key=len, reverse=True))
#: A day read out after a month ("March eighth"), as broadcast transcripts print it.
_SPOKEN_DAY_AFTER = re.compile(rf"\b(?P<mon>(?:{_MONTH_ALT})\.?\s+)(?P<o>{_ORDINAL_ALT})(?![\w-])")


def _spoken_year_digits(s: str) -> str:
    """The cleaned expression with a year read out after a month or season, and a day read out
    after a month, written in digits ("March eighth" -> "march 8")."""
    s = _SPOKEN_DAY_AFTER.sub(lambda m: f"{m.group('mon')}{DAY_ORDINALS[m.group('o')]}", s)
    m = _SPOKEN_YEAR_AFTER.search(s)
    if not m:
        return s
    yy = _num(m.group("yy"))
    if not isinstance(yy, float | int) or not 10 <= yy < 100 or not float(yy).is_integer():
        return s
    year = _CENTURY_WORDS[m.group("c")] * 100 + int(yy)
    return f"{s[: m.start('c')]}{year}"


def _num(s: str) -> float | str | None:
    """A quantity as a number, 'X' for vague quantities ("several"), or None."""
    s = s.strip().replace(",", "")
    if s in VAGUE_NUMBERS:
        return "X"
    half = 0.0
    for suffix in (" and a half", " 1/2", " and one half"):
        if s.endswith(suffix):
            s, half = s[: -len(suffix)].strip(), 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s) + half
    if s in NUMBERS:
        return NUMBERS[s] + half
    parts = re.split(r"[\s-]+", s)
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        a, b = NUMBERS[parts[0]], NUMBERS[parts[1]]
        if a >= 20 and a % 10 == 0 and 0 < b < 10:
            return a + b + half
    return None


def _fmt_num(n: float | str) -> str:
    if isinstance(n, str):
        return n
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def _duration(n: float | str, unit: str) -> str | None:
    """The ISO 8601 period of ``n`` units ("X" for an unknown count), or None for a non-unit."""
    key = {"centuries": "century"}.get(unit, unit)
    if key not in UNITS and key.endswith("s"):
        key = key[:-1]
    if key not in UNITS or key == "weekend":
        return None
    designator, is_time = UNITS[key]
    if not isinstance(n, str):
        # TempEval-3 spells decades in years (P10Y, P20Y) and quarters in months (P3M, P9M)
        factor = {"fortnight": 2, "decade": 10, "quarter": 3}.get(key, 1)
        n = n * factor
        designator = {"decade": "Y", "quarter": "M"}.get(key, designator)
    if isinstance(n, float) and not n.is_integer():
        # "5 1/2 hours" -> PT5H30M, "2 1/2 years" -> P2Y6M: whole units plus the next finer unit
        whole = int(n)
        finer = {"H": ("M", 60, True), "D": ("H", 24, True), "Y": ("M", 12, False),
                 "M": ("D", 30, False), "W": ("D", 7, False)}.get(designator)  # fmt: skip
        if is_time and designator == "M":
            finer = ("S", 60, True)  # minutes, not months: "a minute and a half" -> PT1M30S
        if finer and ((n - whole) * finer[1]).is_integer():
            part = f"{int((n - whole) * finer[1])}{finer[0]}"
            head = f"{whole}{designator}" if whole else ""
            if is_time:
                return f"PT{head}{part}"
            return f"P{head}T{part}" if finer[2] else f"P{head}{part}"
        return f"PT{n:g}{designator}" if is_time else f"P{n:g}{designator}"
    return f"PT{_fmt_num(n)}{designator}" if is_time else f"P{_fmt_num(n)}{designator}"
