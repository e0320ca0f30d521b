"""Pins the news conventions added to the rule resolver in rules 1.7 (guidelines G5.4), each with
invented sentences: vague references, counted stretches, the month after the DCT's, a duration
tagged without its "earlier", the past perfect of a plan.
"""

from __future__ import annotations

import pytest

from harness.dates.resolve import Resolution

D_OCT = "2021-10-27"  # a Wednesday


def value(r: Resolution | None) -> str | None:
    return r.value if r else None


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("coming quarters", "Analysts see weaker margins in coming quarters.", "FUTURE_REF"),
        ("future quarters", "The credits will lower taxes in future quarters.", "FUTURE_REF"),
        ("recent quarters", "Sales have slowed in recent quarters.", "PAST_REF"),
        ("past years", "There were similar swings in past years, too.", "PAST_REF"),
        ("a later date", "The board will vote at a later date.", "FUTURE_REF"),
        ("as soon as possible", "The firm wants to close the deal as soon as possible.",
         "FUTURE_REF"),
        ("this critical moment", "He would not travel at this critical moment.", "PRESENT_REF"),
    ],
)  # fmt: skip
def test_vague_references(rules, text, context, expected):
    assert value(rules.resolve(text, D_OCT, context)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the next few days", "PXD"),
        ("the next few years", "PXY"),
        ("the next several days", "PXD"),
        ("the past few weeks", "PXW"),
    ],
)
def test_a_counted_stretch_with_an_article_is_a_duration(rules, text, expected):
    # the bare plural ("coming weeks", "recent years") is the vague reference above
    assert rules.resolve(text, D_OCT, f"Prices may swing over {text}.") == Resolution(
        expected, "DURATION"
    )


def test_one_day_after_a_modal_is_the_future(rules):
    ctx = "Engineers say the valley will one day be a lake."
    assert value(rules.resolve("one day", D_OCT, ctx)) == "FUTURE_REF"
    # elsewhere a length of one day
    assert value(rules.resolve("one day", D_OCT, "The strike lasted one day.")) == "P1D"


@pytest.mark.parametrize(
    ("context", "text", "expected"),
    [
        # past verbs of the report: the month after the DCT's is still ahead
        ("The cartel told buyers of a cut in supply in November.", "November", "2021-11"),
        ("Traders placed orders for November delivery.", "November", "2021-11"),
        # two months ahead, a past verb keeps the most recent one
        ("The mill closed in December.", "December", "2020-12"),
    ],
)
def test_the_month_after_the_dcts_is_the_coming_one(rules, context, text, expected):
    assert value(rules.resolve(text, D_OCT, context)) == expected


def test_a_duration_tagged_without_its_earlier_is_the_point_back(rules):
    ctx = "The shop earned $4 million, or 10 cents a share, a year earlier."
    # the quarter a year before the reported one (see the fiscal rules), as "a year earlier" is
    assert value(rules.resolve("a year", D_OCT, ctx)) == value(
        rules.resolve("a year earlier", D_OCT, ctx)
    )
    assert value(rules.resolve("a year", D_OCT, ctx)) == "2020-Q3"
    assert value(rules.resolve("a year", D_OCT, "Rents rose 8% from a year earlier.")) == "2020"
    # "later" after a duration keeps the length; so does an extent that occurs twice
    assert value(rules.resolve("a year", D_OCT, "A year later, the mill closed.")) == "P1Y"
    twice = "It was set up three months ago and given three months to report."
    assert value(rules.resolve("three months", D_OCT, twice)) == "P3M"


@pytest.mark.parametrize(
    "context",
    [
        "The offer had been due to expire Friday evening.",
        "The offer previously had been scheduled to expire at midnight Friday.",
        "The ministers had planned to meet on Friday.",
    ],
)
def test_a_plan_in_the_past_perfect_dates_a_past_day(rules, context):
    text = next(t for t in ("Friday evening", "midnight Friday", "Friday") if t in context)
    assert value(rules.resolve(text, D_OCT, context)).startswith("2021-10-22")
    # the plain plan stays ahead
    assert value(rules.resolve("Friday", D_OCT, "The offer is due to expire Friday.")) == (
        "2021-10-29"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a minute and a half", "PT1M30S"),
        ("two hours and a half", "PT2H30M"),
        ("day-long", "P1D"),
        ("decades-long", "PXDE"),  # a plural unit stays unspecified
        ("a four-year period", "P4Y"),
        ("its two-year term", "P2Y"),
        ("a six-week window", "P6W"),
    ],
)
def test_durations_named_by_a_compound(rules, text, expected):
    assert rules.resolve(text, D_OCT, f"It happened during {text}.") == Resolution(
        expected, "DURATION"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("January nineteen ninety-seven", "1997-01"),
        ("the summer of nineteen eighty-eight", "1988-SU"),
        ("May, nineteen eighty", "1980-05"),
    ],
)
def test_a_year_read_out_after_a_month_or_season(rules, text, expected):
    assert value(rules.resolve(text, D_OCT, f"Prices peaked in {text}.")) == expected


# --- rules 1.8 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("the week of March 6", "A hearing is set for the week of March 6.", "2022-W09"),
        ("post-1975", "The post-1975 rules still apply.", "1975"),
        ("mid-afternoon yesterday", "At mid-afternoon yesterday, the shares were up.",
         "2021-10-26TAF"),
        ("a good part of 2022", "It will not draw on the credit line for a good part of 2022.",
         "2022"),
        ("recent weeks and months", "Funds have sold bonds in recent weeks and months.",
         "PAST_REF"),
        ("the first two quarters of 2022", "Analysts expect losses through the first two "
         "quarters of 2022.", "2022-H1"),
        ("the last half of 2021", "Earnings will be lower for the last half of 2021.",
         "2021-H2"),
        ("the early summer", "Orders rose from the low levels of the early summer.", "2021-SU"),
        ("the day before last Monday", "He called the day before last Monday's vote.",
         "2021-10-24"),
        ("this coming Sunday, October thirty-first", "The fair is this coming Sunday, October "
         "thirty-first.", "2021-10-31"),
    ],
)  # fmt: skip
def test_rules_1_8_phrases(rules, text, context, expected):
    assert value(rules.resolve(text, D_OCT, context)) == expected


def test_post_and_pre_carry_their_mod(rules):
    assert rules.resolve("post-1975", D_OCT, "The post-1975 rules apply.") == Resolution(
        "1975", "DATE", "AFTER"
    )


@pytest.mark.parametrize(
    ("context", "text", "expected"),
    [
        # the end of a period that is over: the latest such day at or before the DCT
        ("In the fiscal year ended Jan. 31, sales rose.", "Jan. 31", "2021-01-31"),
        ("In the year-ago quarter ended Nov. 30, it lost money.", "Nov. 30", "2020-11-30"),
        # without "ended", the nearest such day
        ("The offer expires Nov. 30.", "Nov. 30", "2021-11-30"),
    ],
)
def test_a_day_after_ended_is_past(rules, context, text, expected):
    assert value(rules.resolve(text, D_OCT, context)) == expected


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("Brill earned $4 million in the quarter ended July 31.", "2021-Q2"),  # May to July
        ("Brill earned $4 million in the quarter ended Aug. 31.", "2021-Q3"),  # June to August
        ("Brill earned $4 million in the quarter ended Sept. 30.", "2021-Q3"),
        ("Brill earned $4 million in the quarter ended Jan. 31.", "2020-Q4"),  # Nov. to Jan.
    ],
)
def test_a_quarter_ended_in_a_month_is_the_calendar_quarter_of_most_of_it(rules, context, expected):
    assert value(rules.resolve("the quarter", D_OCT, context)) == expected
