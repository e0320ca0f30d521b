"""Pins the date conventions of harness.resolve (guidelines G5.4) and the resolver interface.

DCTs used below: Tue 2023-09-05T03:09 (seed 000), Mon 2023-09-11 (seeds 001/002),
Mon 2019-04-22T21:44 (seed 003), Tue 2023-09-12T07:30 (seed 004).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.dates.resolve import (
    RESOLVERS,
    DateparserResolver,
    Resolution,
    RuleResolver,
    context_direction,
    get_resolver,
)
from harness.gold.timex import TimexValueError, validate

ROOT = Path(__file__).resolve().parents[1]
D000, D001, D003, D004 = "2023-09-05T03:09", "2023-09-11", "2019-04-22T21:44", "2023-09-12T07:30"


def value(r: Resolution | None) -> str | None:
    return r.value if r else None


# --- weekdays ---------------------------------------------------------------------------------


def test_bare_weekday_with_past_verb_is_the_most_recent_one_before_the_dct(rules):
    ctx = "the New York Times and Associated Press reported on Monday, citing officials."
    assert rules.resolve("on Monday", D000, ctx) == Resolution("2023-09-04", "DATE")


def test_bare_weekday_without_context_defaults_to_the_past(rules):
    assert value(rules.resolve("Thursday", D000)) == "2023-08-31"


@pytest.mark.parametrize(
    "context",
    [
        "Kim will meet Putin on Thursday.",
        "The plenary is scheduled for Thursday.",
        "The Russian president is due to speak on Thursday.",
        "Putin is expected to ask for shells on Thursday.",
        "Kim plans to visit a naval base on Thursday.",
    ],
)
def test_weekday_in_future_context_is_the_next_one_after_the_dct(rules, context):
    assert value(rules.resolve("Thursday", D000, context)) == "2023-09-07"


def test_weekday_direction_comes_from_the_nearest_verb_before_it(rules):
    ctx = "The forum began on Sunday and will last until Wednesday, which is also possible."
    assert value(rules.resolve("Sunday", D004, ctx)) == "2023-09-10"
    assert value(rules.resolve("Wednesday", D004, ctx)) == "2023-09-13"


def test_future_weekday_of_seed_003_is_thursday_of_the_same_week(rules):
    ctx = (
        "Japanese media has reported Kim will travel to Vladivostok on Thursday to meet with Putin"
    )
    assert value(rules.resolve("Thursday", D003, ctx)) == "2019-04-25"


@pytest.mark.parametrize(
    "context", ["He said on Tuesday that", "He will arrive on Tuesday", "Tuesday", None]
)
def test_weekday_equal_to_the_dct_weekday_is_the_dct_whatever_the_tense(rules, context):
    assert value(rules.resolve("Tuesday", D000, context)) == "2023-09-05"


def test_last_and_next_weekday_never_mean_the_dct(rules):
    assert value(rules.resolve("last Tuesday", D000, "He said last Tuesday")) == "2023-08-29"
    assert value(rules.resolve("next Tuesday", D000, "He will go next Tuesday")) == "2023-09-12"
    assert value(rules.resolve("this past Tuesday", D000)) == "2023-08-29"
    assert value(rules.resolve("this coming Tuesday", D000)) == "2023-09-12"


def test_the_worked_example_of_guidelines_g5_4_weekdays(rules):
    """G5.4's worked example, DCT Wednesday 2021-03-10: the guidelines and the rules agree."""
    dct = "2021-03-10"
    cases = [
        ("Wednesday", "talks resumed on Wednesday", "2021-03-10"),
        ("Wednesday", "the vote will be held on Wednesday", "2021-03-10"),
        ("Monday", "the minister arrived on Monday", "2021-03-08"),
        ("Monday", "the vote will be held on Monday", "2021-03-15"),
        ("Sunday", "Varn greets workers on Sunday", "2021-03-07"),
        ("Wednesday", "will fly to Port Harlow on Wednesday", "2021-03-10"),
    ]
    for text, context, expected in cases:
        assert value(rules.resolve(text, dct, context)) == expected, context


def test_this_weekday_and_today_mean_the_dct_day(rules):
    assert value(rules.resolve("this Tuesday", D000)) == "2023-09-05"
    assert value(rules.resolve("Tuesday", D000, "Today, Tuesday, he said")) == "2023-09-05"


def test_earlier_before_a_weekday_is_a_same_day_signal(rules):
    ctx = "Russian media reported earlier Monday that Putin departed on a two-day visit"
    assert rules.resolve("Monday", D001, ctx) == Resolution("2023-09-11", "DATE")
    assert rules.resolve("earlier Monday", D001) == Resolution("2023-09-11", "DATE")


def test_weekday_with_part_of_day_gets_the_part_of_day_code(rules):
    ctx = "Pyongyang and Moscow confirmed on Monday evening."
    assert rules.resolve("Monday evening", D004, ctx) == Resolution("2023-09-11TEV", "TIME")
    assert value(rules.resolve("Thursday morning", D004)) == "2023-09-07TMO"
    assert value(rules.resolve("Friday afternoon", D004)) == "2023-09-08TAF"
    assert value(rules.resolve("Saturday night", D004)) == "2023-09-09TNI"


def test_part_of_day_on_the_dct_weekday_is_the_dct_day(rules):
    ctx = "Pyongyang and Moscow confirmed on Monday evening."
    assert value(rules.resolve("Monday evening", D001, ctx)) == "2023-09-11TEV"
    # also when the DCT's clock time is before that part of the day (G5.4(a): whatever the tense)
    assert (
        value(rules.resolve("Tuesday evening", D004, "They will meet on Tuesday evening"))
        == "2023-09-12TEV"
    )


def test_weekday_with_its_date_resolves_to_the_date(rules):
    ctx = "Kim left the capital Pyongyang on Sunday, September 10, and"
    assert value(rules.resolve("Sunday, September 10", D001, ctx)) == "2023-09-10"
    assert value(rules.resolve("Tuesday, September 12", D001)) == "2023-09-12"


def test_printed_weekday_picks_the_year_of_a_date_without_year(rules):
    # 10 September is a Sunday in 2023 and 2017, not in 2024: the nearest fitting year wins
    assert value(rules.resolve("Sunday, September 10", "2024-03-01")) == "2023-09-10"


# --- explicit dates, ranges, years ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("April 25, 2019", "2019-04-25"),
        ("Sept. 9, 1948", "1948-09-09"),
        ("on April 25, 2019", "2019-04-25"),
        ("25 April 2019", "2019-04-25"),
        ("2023-09-05", "2023-09-05"),
        ("in April 2019", "2019-04"),
        ("April 2019", "2019-04"),
        ("2019", "2019"),
        ("since 2019", "2019"),
    ],
)
def test_explicit_dates_keep_their_own_granularity(rules, text, expected):
    res = rules.resolve(text, D000)
    assert res == Resolution(expected, "DATE")


def test_day_range_is_an_interval_with_the_year_of_the_dct(rules):
    ctx = "the annual Eastern Economic Forum (EEF), scheduled for September 10-13, the report said"
    assert value(rules.resolve("September 10-13", D000, ctx)) == "2023-09-10/2023-09-13"


def test_year_range_is_an_interval_of_years(rules):
    assert value(rules.resolve("1950-1953", D000)) == "1950/1953"
    assert value(rules.resolve("1950-53", D000)) == "1950/1953"


def test_month_day_without_year_in_the_near_past_takes_the_dct_year(rules):
    assert value(rules.resolve("Aug. 28", D000, "He said on Aug. 28 that")) == "2023-08-28"


def test_month_day_without_year_follows_the_nearest_date_beyond_tense_reach(rules):
    # "invited ... to a ceremony on March 12": the tense is the invitation's, the date is ahead
    ctx = "Albright has invited the ministers to a ceremony on March 12 to mark the accession."
    assert value(rules.resolve("March 12", "1999-02-16", ctx)) == "1999-03-12"


# --- page stamps ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stamp", "expected", "type_"),
    [
        ("5 Sep, 2023 03:09", "2023-09-05T03:09", "TIME"),
        ("Sep.12 - 2023 7:30 AM CET", "2023-09-12T07:30", "TIME"),
        ("22 Apr, 2019 21:44", "2019-04-22T21:44", "TIME"),
        ("Çar. Eyl 27th, 2023", "2023-09-27", "DATE"),
    ],
)
def test_page_stamps_resolve_to_minute_or_day_precision(rules, stamp, expected, type_):
    assert rules.resolve(stamp, D001) == Resolution(expected, type_)


# --- months and relative periods --------------------------------------------------------------


def test_this_month_is_the_dct_month(rules):
    assert rules.resolve("this month", D000) == Resolution("2023-09", "DATE")


def test_later_this_month_is_the_dct_month_with_mod_end(rules):
    assert rules.resolve("later this month", D000) == Resolution("2023-09", "DATE", "END")


def test_earlier_this_month_is_the_dct_month_with_mod_start(rules):
    assert rules.resolve("earlier this month", D003) == Resolution("2019-04", "DATE", "START")


def test_last_and_next_month_cross_year_boundaries(rules):
    assert value(rules.resolve("last month", D003)) == "2019-03"
    assert value(rules.resolve("last month", "2023-01-10")) == "2022-12"
    assert value(rules.resolve("next month", "2019-12-22")) == "2020-01"


def test_last_week_is_the_previous_iso_week(rules):
    assert rules.resolve("last week", D001) == Resolution("2023-W36", "DATE")
    assert value(rules.resolve("last week", "2021-01-05")) == "2020-W53"


def test_last_and_next_year(rules):
    assert value(rules.resolve("last year", D000)) == "2022"
    assert value(rules.resolve("next year", D000)) == "2024"


def test_n_years_ago_is_the_year_n_before_the_dct_year(rules):
    assert rules.resolve("four years ago", D004) == Resolution("2019", "DATE")
    assert value(rules.resolve("two months ago", D004)) == "2023-07"
    assert value(rules.resolve("three days ago", D004)) == "2023-09-09"


def test_the_end_of_the_month_is_the_dct_month_with_mod_end(rules):
    ctx = "the two leaders are scheduled to meet before the end of the month."
    res = rules.resolve("before the end of the month", D003, ctx)
    assert res == Resolution("2019-04", "DATE", "END")


def test_the_end_of_a_year_is_that_year_with_mod_end(rules):
    assert rules.resolve("the end of 2019", D003) == Resolution("2019", "DATE", "END")


def test_month_without_year_in_past_or_neutral_context_is_at_or_before_the_dct_month(rules):
    ctx = "Shoigu made a surprise visit to Pyongyang in July, where he attended a parade."
    assert value(rules.resolve("July", D000, ctx)) == "2023-07"
    assert value(rules.resolve("in August", D004)) == "2023-08"
    assert value(rules.resolve("November", D000, "Shoigu visited in November")) == "2022-11"
    assert value(rules.resolve("September", D000)) == "2023-09"


def test_month_without_year_in_future_context_is_at_or_after_the_dct_month(rules):
    assert value(rules.resolve("November", D000, "Shoigu will visit in November")) == "2023-11"
    assert value(rules.resolve("July", D000, "The plant is expected to open in July")) == "2024-07"


# --- relative days ------------------------------------------------------------------------------


def test_yesterday_today_tomorrow_are_days_around_the_dct(rules):
    assert rules.resolve("yesterday", D001) == Resolution("2023-09-10", "DATE")
    assert rules.resolve("today", D000) == Resolution("2023-09-05", "DATE")
    assert rules.resolve("tomorrow", D001) == Resolution("2023-09-12", "DATE")


def test_tonight_and_this_morning_are_parts_of_the_dct_day(rules):
    assert value(rules.resolve("tonight", D001)) == "2023-09-11TNI"
    assert value(rules.resolve("this morning", D001)) == "2023-09-11TMO"
    assert value(rules.resolve("yesterday afternoon", D001)) == "2023-09-10TAF"


def test_the_previous_day_is_the_day_before_the_dct(rules):
    assert value(rules.resolve("the previous day", D001)) == "2023-09-10"


def test_the_previous_day_is_anchored_on_a_day_named_before_it(rules):
    ctx = (
        "Kim was present in Pyongyang as late as Sunday to greet participants of the previous "
        "day’s parade."
    )
    assert value(rules.resolve("the previous day", D001, ctx)) == "2023-09-09"


# --- vague references -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["in the coming days", "the coming days", "soon", "coming weeks", "later"]
)
def test_future_vague_expressions_are_future_ref(rules, text):
    assert rules.resolve(text, D001) == Resolution("FUTURE_REF", "DATE")


@pytest.mark.parametrize("text", ["recently", "recent", "in recent months", "recent years"])
def test_past_vague_expressions_are_past_ref(rules, text):
    assert rules.resolve(text, D001) == Resolution("PAST_REF", "DATE")


@pytest.mark.parametrize("text", ["current", "currently", "now"])
def test_present_vague_expressions_are_present_ref(rules, text):
    assert rules.resolve(text, D001) == Resolution("PRESENT_REF", "DATE")


# --- durations and sets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("two-day", "P2D"),
        ("20 hours", "PT20H"),
        ("the past 13 months", "P13M"),
        ("four years", "P4Y"),
        ("days", "PXD"),
        ("several weeks", "PXW"),
        ("5 1/2 hours", "PT5H30M"),
        ("half an hour", "PT30M"),
        ("two decades", "P20Y"),
        ("24-hour", "PT24H"),
    ],
)
def test_durations_are_iso_periods_of_type_duration(rules, text, expected):
    assert rules.resolve(text, D001) == Resolution(expected, "DURATION")


def test_hedges_pointing_both_ways_leave_a_duration_without_mod(rules):
    assert rules.resolve("up to 20 hours or more", D001) == Resolution("PT20H", "DURATION")
    assert rules.resolve("at least 72 hours", D001) == Resolution(
        "PT72H", "DURATION", "EQUAL_OR_MORE"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("annual", "P1Y"),
        ("annually", "P1Y"),
        ("every year", "P1Y"),
        ("daily", "P1D"),
        ("weekly", "P1W"),
    ],
)
def test_frequencies_are_sets(rules, text, expected):
    assert rules.resolve(text, D001) == Resolution(expected, "SET")


# --- DCT precision, robustness, interface -----------------------------------------------------


def test_results_keep_the_expression_granularity_when_the_dct_has_minutes(rules):
    assert value(rules.resolve("today", D004)) == "2023-09-12"
    assert value(rules.resolve("this month", D004)) == "2023-09"
    assert value(rules.resolve("yesterday", "1998-02-13T13:10:00")) == "1998-02-12"


@pytest.mark.parametrize("text", ["gibberish", "Kim Jong-un", "the summit", "", "   ", "70th"])
def test_unknown_expressions_resolve_to_none(rules, text):
    assert rules.resolve(text, D001) is None


def test_the_modal_may_is_not_the_month(rules):
    assert rules.resolve("may", D001, "It may rain on Monday") is None
    assert value(rules.resolve("May", D001)) == "2023-05"


def test_a_malformed_dct_is_refused_with_a_hint(rules):
    with pytest.raises(ValueError, match="hint: write it as 2023-09-05"):
        rules.resolve("yesterday", "Sept 5, 2023")
    with pytest.raises(ValueError, match="not a calendar day"):
        rules.resolve("yesterday", "2023-02-30")


def test_resolutions_reject_malformed_values():
    with pytest.raises(TimexValueError):
        Resolution("P1Y", "DATE")


def test_unknown_resolver_name_gets_a_did_you_mean_hint():
    with pytest.raises(KeyError, match="did you mean 'rules'"):
        get_resolver("rule")


def test_registry_maps_names_to_resolver_classes():
    assert {"rules": RuleResolver, "dateparser": DateparserResolver}.items() <= RESOLVERS.items()
    assert isinstance(get_resolver("rules"), RuleResolver)


def test_context_direction_reads_the_nearest_tense_cue():
    assert context_direction("Monday", "They met on Monday") == "past"
    assert context_direction("Monday", "They will meet on Monday") == "future"
    assert context_direction("Monday", "The meeting will be held on Monday") == "future"
    assert context_direction("Monday", "The meeting was held on Monday") == "past"
    assert context_direction("Monday", "Monday") is None
    assert context_direction("Monday", None) is None


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(1950, 1, 1), max_value=date(2080, 12, 31)),
    weekday=st.sampled_from(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    ),
    future=st.booleans(),
)
def test_bare_weekday_is_the_dct_or_within_six_days_on_the_right_side(day, weekday, future):
    ctx = f"They will meet on {weekday}." if future else f"They met on {weekday}."
    res = RuleResolver().resolve(weekday, day.isoformat(), ctx)
    assert res is not None
    got = date.fromisoformat(res.value)
    delta = (got - day).days
    if day.strftime("%A") == weekday:
        assert delta == 0
    else:
        assert (1 <= delta <= 6) if future else (-6 <= delta <= -1)
    assert got.strftime("%A") == weekday


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(1950, 1, 1), max_value=date(2080, 12, 31)), month=st.integers(1, 12)
)
def test_bare_month_in_past_context_is_within_the_twelve_months_around_the_dct(day, month):
    # the eleven months up to the DCT's, and the month after it (rules 1.7: always the coming
    # one, since news names the month eleven months back "last <month>")
    name = date(2000, month, 1).strftime("%B")
    res = RuleResolver().resolve(name, day.isoformat(), f"He visited in {name}.")
    assert res is not None
    y, m = map(int, res.value.split("-"))
    months_back = (day.year * 12 + day.month) - (y * 12 + m)
    assert m == month and -1 <= months_back <= 10


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_rule_resolver_never_raises_on_arbitrary_text(text):
    res = RuleResolver().resolve(text, D000, f"He said {text} yesterday.")
    assert res is None or validate(res.value, res.type)


def test_rule_resolver_is_deterministic_and_fast(rules):
    texts = ["Monday", "later this month", "four years ago", "the past 13 months", "July"] * 30
    t0 = time.perf_counter()
    first = [rules.resolve(t, D000, f"He said {t} x{i}") for i, t in enumerate(texts)]
    elapsed = time.perf_counter() - t0
    second = [rules.resolve(t, D000, f"He said {t} x{i}") for i, t in enumerate(texts)]
    assert first == second
    assert elapsed < 2.0  # 150 expressions, the size of the corpus; typically ~0.05 s


# --- the dateparser baseline --------------------------------------------------------------------


@pytest.fixture(scope="module")
def dp() -> DateparserResolver:
    pytest.importorskip("dateparser")
    return DateparserResolver()


def test_importing_the_resolvers_does_not_import_dateparser():
    code = "import sys, harness.resolve; print('dateparser' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_dateparser_resolver_strips_signals_and_prefers_the_current_period(dp):
    assert dp.resolve("on Monday", D000, "They met on Monday") == Resolution("2023-09-04", "DATE")
    # "current_period" (the measured choice): the month of this year, even after a past verb
    assert value(dp.resolve("in November", D003, "Prices fell in November")) == "2019-11"


def test_dateparser_settings_are_recorded_in_the_signature(dp):
    sig = dp.signature()
    assert sig["prefer_dates_from"]["future"] == "future"
    assert sig["prefer_dates_from"]["past"] == "current_period"
    assert sig["languages"] == ["en"]


def test_dateparser_resolver_prefers_the_future_in_future_context(dp):
    assert value(dp.resolve("Thursday", D003, "Kim will travel on Thursday")) == "2019-04-25"


def test_dateparser_resolver_takes_granularity_from_the_period(dp):
    assert dp.resolve("last month", D003) == Resolution("2019-03", "DATE")
    assert dp.resolve("last week", D001) == Resolution("2023-W36", "DATE")
    assert dp.resolve("four years ago", D004) == Resolution("2019", "DATE")
    assert dp.resolve("April 25, 2019", D004) == Resolution("2019-04-25", "DATE")
    assert dp.resolve("5 Sep, 2023 03:09", D004) == Resolution("2023-09-05T03:09", "TIME")
    assert value(dp.resolve("Monday evening", D004)) == "2023-09-11TEV"


@pytest.mark.parametrize(
    "text",
    ["soon", "the coming days", "later this month", "four years", "20 hours", "days", "annual"],
)
def test_dateparser_resolver_returns_none_for_what_it_cannot_express(dp, text):
    assert dp.resolve(text, D001) is None


def test_dateparser_resolver_refuses_implausible_years(dp):
    ctx = "the forum, scheduled for September 10-13, the report said"
    assert dp.resolve("September 10-13", D000, ctx) is None  # dateparser reads "13" as 2113


def test_dateparser_answers_are_shared_only_under_one_dct_and_preference(dp):
    """Repeated expressions are parsed once (cached), and the cache is keyed by the DCT and the
    preference too: "yesterday" under two DCTs, "Thursday" looking back and forward differ."""
    from harness.dates import dateparser_resolver as DR

    cases = [
        ("yesterday", D000, None),
        ("yesterday", D003, None),
        ("Thursday", D003, "Kim will travel on Thursday"),
        ("Thursday", D003, "Kim travelled on Thursday"),
    ]
    DR._dp_date.cache_clear()
    first = [dp.resolve(t, d, c) for t, d, c in cases]
    assert DR._dp_date.cache_info().misses == len(cases)
    assert first[0] != first[1] and first[2] != first[3]
    assert [dp.resolve(t, d, c) for t, d, c in cases] == first
    assert DR._dp_date.cache_info().hits == len(cases)


# --- the TBAQ development script ---------------------------------------------------------------


def _load_script():
    spec = importlib.util.spec_from_file_location("tbaq_dev", ROOT / "scripts" / "tbaq_dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_tbaq_reader_gives_each_timex_the_creation_time_and_its_sentence(tmp_path):
    tml = tmp_path / "doc.tml"
    tml.write_text(
        '<?xml version="1.0" ?><TimeML><DOCID>d</DOCID>'
        '<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-13" functionInDocument="CREATION_TIME">'
        "19980213</TIMEX3></DCT><TEXT>Stocks fell. Prices rose "
        '<TIMEX3 tid="t1" type="DATE" value="1998-02-12">yesterday</TIMEX3> in Tokyo.\n'
        'They will meet <TIMEX3 tid="t2" type="DATE" value="1998-02-18" mod="START">next '
        "week</TIMEX3>.</TEXT></TimeML>",
        encoding="utf-8",
    )
    text, items = _load_script().read_doc(tml)
    assert [(i.text, i.dct, i.value, i.mod) for i in items] == [
        ("yesterday", "1998-02-13", "1998-02-12", None),
        ("next week", "1998-02-13", "1998-02-18", "START"),
    ]
    assert items[0].context == "Prices rose yesterday in Tokyo."
    assert text[items[1].start : items[1].end] == "next week"


@pytest.mark.skipif(
    not (ROOT.parent / "shared" / "data" / "tbaq").is_dir(), reason="TBAQ corpus not available"
)
def test_tbaq_script_reports_accuracy_per_resolver(capsys):
    assert _load_script().main(["--resolver", "rules", "--limit", "3", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "== resolver rules: value accuracy (strict)" in out
    assert "wall time:" in out


# --- one vocabulary, rule families in a fixed order ---------------------------------------------


def test_rule_families_add_their_rules_in_the_documented_order():
    from harness.dates.rules import FAMILIES, FAMILY_NAMES
    from harness.dates.rules.core import _HANDLERS

    assert [f.__name__.rsplit(".", 1)[1] for f in FAMILIES] == list(FAMILY_NAMES)
    order = [FAMILIES.index(importlib.import_module(fn.__module__)) for _, fn in _HANDLERS]
    assert order == sorted(order) and set(order) == set(range(len(FAMILIES)))


@pytest.mark.parametrize("word", ["January", "Feb.", "Sept.", "Sep.", "May", "December"])
def test_every_month_word_of_the_vocabulary_is_tagged_and_resolved(word):
    from harness.dates.tagger import find_timexes
    from harness.dates.vocab import MONTHS

    month = MONTHS[word.rstrip(".").lower()]
    text = f"The talks ended on {word} 5, 2021 in Moscow."
    (found,) = find_timexes(text)
    assert found.text == f"{word} 5, 2021"
    assert RuleResolver().resolve(found.text, "2023-09-05").value == f"2021-{month:02d}-05"


@pytest.mark.parametrize("word", ["noon", "midday", "midnight"])
def test_clock_words_of_the_vocabulary_are_read_by_the_resolver(word):
    from harness.dates.vocab import CLOCK_WORDS

    hour, minute = CLOCK_WORDS[word]
    assert RuleResolver().resolve(word, "2023-09-05").value == f"2023-09-05T{hour:02d}:{minute:02d}"


# --- financial reporting periods (rules 1.2) --------------------------------------------------

D_OCT = "2021-10-27"  # a Wednesday in the fourth quarter: the third quarter was just reported


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("a year ago", "Third-quarter sales fell to $12 million from $14 million a year ago.",
         "2020-Q3"),
        ("a year earlier", "Net rose in the quarter, up from $3 million a year earlier.", "2020-Q3"),
        ("the year-earlier quarter", "In the year-earlier quarter, Brill earned $2 million.",
         "2020-Q3"),
        ("year-ago", "Fourth-quarter profit beat year-ago results.", "2020-Q4"),
        ("the quarter", "Brill earned $4 million in the quarter.", "2021-Q3"),
        ("the quarter", "Brill lost $4 million in the quarter ended June 30.", "2021-Q2"),
        ("the latest period", "Sales in the latest period were $9 million.", "2021-Q3"),
        ("third-quarter", "Brill expects to report third-quarter net of $2 million.", "2021-Q3"),
        ("the year", "For the year, volume was flat.", "2021"),
        ("the full year", "Sales for the full year were $9 million.", "2021"),
        ("the 2020 quarter", "Brill earned $3 million in the 2020 quarter.", "2020-Q3"),
        ("the 2020 period", "In the first nine months, net fell from the 2020 period.", "2020"),
        ("the corresponding period last year", "Net was 4 cents a share, up from the corresponding period last year.",
         "2020-Q3"),
        ("a flat second quarter", "After a flat second quarter, sales rose.", "2021-Q2"),
        ("the fiscal-first quarter", "Brill posted a profit for the fiscal-first quarter.",
         "2021-Q1"),
    ],
)  # fmt: skip
def test_reporting_periods_of_earnings_news(rules, text, context, expected):
    assert value(rules.resolve(text, D_OCT, context)) == expected


def test_a_year_ago_beside_per_share_earnings_is_the_quarter_a_year_before(rules):
    ctx = "Net was $7 million, or 22 cents a share, down from $9 million a year ago."
    assert value(rules.resolve("a year ago", D_OCT, ctx)) == "2020-Q3"


def test_a_year_ago_without_a_quarter_in_the_sentence_stays_a_year(rules):
    assert value(rules.resolve("a year ago", D_OCT, "Prices were lower a year ago.")) == "2020"
    ctx = "For the nine months, net was $9 million, up from $7 million a year earlier."
    assert value(rules.resolve("a year earlier", D_OCT, ctx)) == "2020"


def test_the_year_ended_a_date_is_a_year_long(rules):
    ctx = "Revenue was $5 million for the year ended March 31."
    assert rules.resolve("the year", D_OCT, ctx) == Resolution("P1Y", "DURATION")


# --- tense and calendar units (rules 1.3) -----------------------------------------------------


def test_a_weekday_before_its_verb_dates_the_verb_not_its_infinitive(rules):
    # DCT Wednesday 2021-03-10: the planning happened on Friday; the payment is later
    ctx = "On Friday, the ministry planned to pay the first claims."
    assert value(rules.resolve("Friday", "2021-03-10", ctx)) == "2021-03-05"
    ctx = "On Friday, the ministry plans to pay the first claims."
    assert value(rules.resolve("Friday", "2021-03-10", ctx)) == "2021-03-12"


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("January", "The bonus would be paid on a date in January that is not yet fixed.", "2022-01"),
        ("early November", "Rules to be published in early November will decide it.", "2021-11"),
        ("Feb. 1", "The bank also created a new office, effective Feb. 1.", "2022-02-01"),
    ],
)  # fmt: skip
def test_future_cues_that_are_not_future_verbs(rules, text, context, expected):
    assert value(rules.resolve(text, D_OCT, context)) == expected


def test_the_past_year_is_the_calendar_year_before_and_the_last_week_the_dcts_week(rules):
    ctx = "Hate groups have grown over the past year."
    assert rules.resolve("the past year", D_OCT, ctx) == Resolution("2020", "DATE")
    assert value(rules.resolve("the last decade", D_OCT)) == "201"
    assert value(rules.resolve("the last week", D_OCT)) == "2021-W43"
    assert rules.resolve("the next year", D_OCT) == Resolution("P1Y", "DURATION")


def test_easter_and_easter_week(rules):
    # Easter Sunday 2021 is 4 April; its week is 2021-W13
    assert value(rules.resolve("Easter", "2021-03-10", "He will visit at Easter")) == "2021-04-04"
    assert value(rules.resolve("Easter week", "2021-03-30", "as Easter week began")) == "2021-W13"


def test_clock_time_with_zone_before_a_weekday(rules):
    ctx = "The talks will resume at 15:00 GMT Saturday."
    assert value(rules.resolve("15:00 GMT Saturday", "2021-03-10", ctx)) == "2021-03-13T15:00"


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("The lenders extended the loans through January.", "2022-01"),
        ("The government gave the bidder until mid-November to reply.", "2021-11"),
        # a span with its start named: the end's tense decides
        ("Sales were flat this year through August.", "2021-08"),
        ("Sales were flat through August.", "2022-08"),
    ],
)
def test_a_far_end_bound_puts_a_bare_month_ahead_of_the_dct(rules, context, expected):
    # DCT 2021-10-27: a past verb before "through"/"until" bounds a period still running
    text = next(m for m in ("mid-November", "January", "August") if m in context)
    assert value(rules.resolve(text, D_OCT, context)) == expected


def test_an_agreement_to_act_dates_the_act_not_the_agreement(rules):
    ctx = "The bank announced an agreement to acquire the lender in January."
    assert value(rules.resolve("January", D_OCT, ctx)) == "2022-01"
    # the agreement itself, dated, stays past
    assert value(rules.resolve("January", D_OCT, "The bank signed an agreement in January.")) == (
        "2021-01"
    )


def test_a_planned_event_with_a_weekday_is_ahead(rules):
    # DCT Wednesday 2021-03-10
    ctx = "Protesters planned a large rally on Saturday."
    assert value(rules.resolve("Saturday", "2021-03-10", ctx)) == "2021-03-13"
    held = "Protesters held a rally on Saturday."
    assert value(rules.resolve("Saturday", "2021-03-10", held)) == "2021-03-06"


def test_election_day_is_the_tuesday_after_the_first_monday_of_november(rules):
    # 1998: first Monday 2 November, Election Day 3 November; 2020: 3 November
    ctx = "Voters will go to the polls on Election Day."
    assert value(rules.resolve("Election Day", "1998-10-26", ctx)) == "1998-11-03"
    assert value(rules.resolve("Election Day", "2021-03-10", "He lost on Election Day.")) == (
        "2020-11-03"
    )


def test_tbaq_dev_lists_no_error_from_the_claims_test_split(tmp_path, capsys):
    """Resolver development reads errors only outside the test split; the split is scored apart."""
    script = _load_script()
    held_out = sorted(script.test_split_ids())
    assert len(held_out) == 32 and "clusters" not in held_out
    body = (
        '<?xml version="1.0" ?><TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-13" '
        'functionInDocument="CREATION_TIME">19980213</TIMEX3></DCT><TEXT>Talks began '
        '<TIMEX3 tid="t1" type="DATE" value="1997-01-01">{}</TIMEX3>.</TEXT></TimeML>'
    )
    folder = tmp_path / "TimeBank"
    folder.mkdir()
    (folder / f"{held_out[0]}.tml").write_text(body.format("zqxheldout"), encoding="utf-8")
    (folder / "dev_doc.tml").write_text(body.format("zqxdevonly"), encoding="utf-8")
    assert script.main(["--tbaq", str(tmp_path), "--resolver", "rules"]) == 0
    out = capsys.readouterr().out
    assert "zqxdevonly" in out
    assert "zqxheldout" not in out
    assert re.search(r"^   dev +1 +0 +0\.0%$", out, re.M)
    assert re.search(r"^   test +1 +0 +0\.0%$", out, re.M)
