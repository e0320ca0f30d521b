"""Pins the extents of harness.tagger.find_timexes (guidelines G5.2) and DCT stamp detection."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.dates.stamps import detect_dct
from harness.dates.tagger import TaggedTimex, find_timexes

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def texts(s: str) -> list[str]:
    return [t.text for t in find_timexes(s)]


# --- extents ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The NYT reported on Monday, citing officials.", ["Monday"]),
        ("Kim visited in 2019 and again since 2019.", ["2019", "2019"]),
        ("They are scheduled to meet before the end of the month.", ["the end of the month"]),
        ("Kim will visit Russia in the coming days.", ["the coming days"]),
        ("The US has warned in recent months that", ["recent months"]),
        ("The forum will last until Wednesday.", ["Wednesday"]),
        ("Kim was present as late as Sunday to greet", ["Sunday"]),
        ("Russian media reported earlier Monday that", ["Monday"]),
    ],
)
def test_signals_stay_outside_the_extent(sentence, expected):
    assert texts(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They will hold talks later this month", ["later this month"]),
        ("He was re-elected earlier this month during", ["earlier this month"]),
        (
            "Kim had visited Russia once before, four years ago, in April 2019.",
            ["four years ago", "April 2019"],
        ),
        ("Kim has visited China four times in the past 13 months", ["the past 13 months"]),
        ("The US claimed last year that", ["last year"]),
        ("In a statement he made last week, Putin pledged", ["last week"]),
    ],
)
def test_modifiers_that_change_the_value_stay_inside(sentence, expected):
    assert texts(sentence) == expected


def test_weekday_with_its_date_is_one_expression():
    s = "Kim left on Sunday, September 10, and will meet Putin on Tuesday, September 12 at the earliest."
    assert texts(s) == ["Sunday, September 10", "Tuesday, September 12"]


def test_possessive_stays_outside():
    s = "talks broke down during last month’s summit; the previous day’s parade; Saturday’s parade"
    assert texts(s) == ["last month", "the previous day", "Saturday"]


def test_ranges_and_full_dates_are_single_expressions():
    s = "the EEF, scheduled for September 10-13, after the 1950-1953 Korean War; on Sept. 9, 1948."
    assert texts(s) == ["September 10-13", "1950-1953", "Sept. 9, 1948"]


def test_durations_parts_of_day_and_sets():
    s = (
        "Putin departed on a two-day visit; a journey that could take up to 20 hours or more; "
        "confirmed on Monday evening; the annual Eastern Economic Forum; after days of speculation."
    )
    assert texts(s) == ["two-day", "20 hours", "Monday evening", "annual", "days"]


def test_overlapping_candidates_resolve_leftmost_longest():
    s = "In this April 2019 photo, on April 25, 2019, later this month"
    found = find_timexes(s)
    assert [t.text for t in found] == ["April 2019", "April 25, 2019", "later this month"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@pytest.mark.parametrize(
    "sentence",
    [
        "according to the Russian daily Kommersant, the meeting",
        "the 70th anniversary of the end of the war",
        "0:00\n24:55\n0:00\n28:50",
        "Shoigu later said that Moscow was open",
        "Kim, who rarely leaves the country, last met with Putin",
        "deliveries of US-made F-16 fighter planes",
        "Standards Board Policy (0/250자)",
        "It may rain, and Jan Smith will march.",
        "The now-defunct agency",
        "with then-US President Donald Trump",
    ],
)
def test_chrome_nouns_and_adverbs_are_not_marked(sentence):
    assert texts(sentence) == []


def test_offsets_index_the_source_text():
    s = "Kim\u00a0met Putin on\u00a0Monday evening, “soon,” he said."
    for t in find_timexes(s):
        assert s[t.start : t.end] == t.text
    assert texts(s) == ["Monday evening", "soon"]


def test_extents_on_seed_000_match_the_gold_quotes():
    assert texts(seed("000")) == [
        "2023-09-05", "5 Sep, 2023 03:09", "later this month", "April 25, 2019", "this month",
        "Monday", "annual", "September 10-13", "2019", "July", "1950-1953", "last year", "current",
    ]  # fmt: skip


def test_extents_on_seed_004_match_the_gold_quotes():
    assert texts(seed("004")) == [
        "Sep.12 - 2023 7:30 AM CET", "days", "Monday", "the coming days", "the coming days",
        "Sunday", "Wednesday", "recent months", "August", "four years ago", "April 2019",
        "that time",
    ]  # fmt: skip


def test_find_timexes_refuses_non_text_with_a_clear_message():
    with pytest.raises(TypeError, match="expects a string"):
        find_timexes(None)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_found_expressions_are_sorted_non_overlapping_slices(s):
    found = find_timexes(s)
    assert all(isinstance(t, TaggedTimex) and s[t.start : t.end] == t.text for t in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


# --- DCT detection --------------------------------------------------------------------------------


def test_detect_dct_refines_a_day_stamp_with_a_later_stamp_of_the_same_day_and_time():
    text = seed("000")
    value, start, end = detect_dct(text)
    assert value == "2023-09-05T03:09"
    assert text[start:end] == "5 Sep, 2023 03:09"


@pytest.mark.parametrize(
    ("prefix", "expected", "stamp"),
    [
        ("001", "2023-09-27", "Çar. Eyl 27th, 2023"),  # a page stamp, though not the real DCT
        ("003", "2019-04-22T21:44", "22 Apr, 2019 21:44"),
        ("004", "2023-09-12T07:30", "Sep.12 - 2023 7:30 AM CET"),
    ],
)
def test_detect_dct_finds_the_page_stamp_of_each_seed(prefix, expected, stamp):
    text = seed(prefix)
    value, start, end = detect_dct(text)
    assert (value, text[start:end]) == (expected, stamp)


def test_detect_dct_ignores_dates_in_running_text():
    # seed 002 has no stamp; "Sept. 9, 1948" in the body is history, not a publication date
    assert detect_dct(seed("002")) is None


def test_detect_dct_accepts_a_keyword_before_the_stamp():
    text = "Some headline here\nPublished: March 3, 2021 at 10:15 a.m.\nBody."
    start = text.index("March")
    assert detect_dct(text) == ("2021-03-03T10:15", start, text.index("\nBody"))


def test_detect_dct_returns_the_earliest_stamp():
    text = "12 Jan, 2020\nHeadline of the story\n\n14 Jan, 2020 08:00\n"
    assert detect_dct(text) == ("2020-01-12", 0, 12)


def test_detect_dct_returns_none_without_a_stamp():
    assert detect_dct("Kim met Putin on April 25, 2019 in Vladivostok, officials said.") is None


def test_finds_the_periods_of_earnings_news():
    text = (
        "Brill earned $4 million in the quarter, up from $3 million in the year-ago quarter. "
        "Year-earlier results were restated. Sales in the latest period rose. "
        "For the year, volume was flat. Revenue was $9 million in the fiscal year ended June 30. "
        "The quarter-to-quarter comparison was flat, and the year before was worse."
    )
    assert [t.text for t in find_timexes(text)] == [
        "the quarter",
        "the year-ago quarter",
        "Year-earlier",
        "the latest period",
        "the year",
        "the fiscal year",
        "June 30",
    ]
