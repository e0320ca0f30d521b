"""Pins the anaphoric time references of rules 1.9 (guidelines G5.4, "unless the text anchors
elsewhere"): "that time", "then", "the day", "that morning", "the same day", "the following month"
take their value from the antecedent, the nearest earlier timex of the document that names a
calendar time, when their own sentence names none. Every sentence is invented.
"""

from __future__ import annotations

import io
import json

import pytest

from harness.cli import main
from harness.dates.base import anchor_value, resolve_in_order
from harness.dates.resolve import DateparserResolver, Resolution, RuleResolver

DCT = "2023-09-05"  # a Tuesday


def value(r: Resolution | None) -> str | None:
    return r.value if r else None


@pytest.mark.parametrize(
    ("text", "context", "anchor", "expected"),
    [
        ("that time", "The talks at that time were short.", "2019-04", "2019-04"),
        ("that time", "Prices at that time were lower.", "1988-Q3", "1988-Q3"),
        ("then", "The mayor was then a junior clerk.", "2001-06-12", "2001-06-12"),
        ("the day", "Markets closed early on the day.", "2020-03-16", "2020-03-16"),
        ("that day", "Nobody slept that day.", "2020-03-16T14:00", "2020-03-16"),
        ("that year", "Exports fell that year.", "2017-11-02", "2017"),
        ("that month", "Rents rose that month.", "2017-11-02", "2017-11"),
        ("the morning", "The ferry sailed in the morning.", "2022-07-01", "2022-07-01TMO"),
        ("that evening", "The council met again that evening.", "2022-07-01", "2022-07-01TEV"),
        ("the same day", "The rival bid came the same day.", "2022-07-01", "2022-07-01"),
        ("the next day", "Shares rebounded the next day.", "2022-07-01", "2022-07-02"),
        ("the following month", "The plant reopened the following month.", "2015-03",
         "2015-04"),
        ("two days later", "The strike ended two days later.", "2022-07-01", "2022-07-03"),
    ],
)  # fmt: skip
def test_an_anaphor_takes_the_antecedent_when_its_sentence_names_no_time(
    rules, text, context, anchor, expected
):
    assert value(rules.resolve(text, DCT, context, anchor=anchor)) == expected


def test_the_time_named_before_it_in_its_sentence_wins_over_the_antecedent(rules):
    context = "In May 2010 the mill closed, and at that time nobody objected."
    assert value(rules.resolve("that time", DCT, context, anchor="2019-04")) == "2010-05"


@pytest.mark.parametrize(
    ("text", "context", "anchor"),
    [
        ("that day", "Nobody slept that day.", "2017-11"),  # a month cannot give a day
        ("that morning", "The council met that morning.", "2017"),
        ("that month", "Rents rose that month.", "2017"),
    ],
)
def test_an_antecedent_coarser_than_the_anaphor_resolves_nothing(rules, text, context, anchor):
    assert rules.resolve(text, DCT, context, anchor=anchor) is None


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("that time", "The talks at that time were short."),
        ("then", "The mayor was then a junior clerk."),
        ("the day", "Markets closed early on the day."),
        ("the morning", "The ferry sailed in the morning."),
        ("the following month", "The plant reopened the following month."),
    ],
)
def test_without_an_antecedent_an_anaphor_stays_unresolved(rules, text, context):
    assert rules.resolve(text, DCT, context) is None


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("yesterday", "Shares fell yesterday."),
        ("last year", "Exports fell last year."),
        ("in July", "The plant reopened in July."),
        ("this morning", "The ferry sailed this morning."),
        ("the previous day", "Shares had fallen the previous day."),  # falls back on the DCT
        ("a year earlier", "Profit was lower a year earlier."),
        ("three years", "The work took three years."),
        ("recently", "Prices have risen recently."),
        ("next week", "The board meets next week."),
    ],
)
def test_the_antecedent_changes_nothing_that_is_not_anaphoric(rules, text, context):
    alone = rules.resolve(text, DCT, context)
    assert alone is not None
    assert rules.resolve(text, DCT, context, anchor="1999-01-15") == alone


@pytest.mark.parametrize(
    ("res", "expected"),
    [
        (Resolution("2019-04", "DATE"), "2019-04"),
        (Resolution("1988-Q3", "DATE"), "1988-Q3"),
        (Resolution("2019-04-22T10:00", "TIME"), "2019-04-22T10:00"),
        (Resolution("P3Y", "DURATION"), None),
        (Resolution("P1W", "SET"), None),
        (Resolution("PAST_REF", "DATE"), None),
        (None, None),
    ],
)
def test_only_a_calendar_date_or_time_can_be_an_antecedent(res, expected):
    assert anchor_value(res) == expected


def test_a_document_is_resolved_in_order_with_its_own_earlier_answers(rules):
    items = [
        ("April 2019", "The two leaders met in April 2019."),
        ("three days", "The visit lasted three days."),  # a duration: not an antecedent
        ("recently", "Relations have soured recently."),  # vague: not an antecedent
        ("that time", "The talks at that time were short."),
        ("March 3, 2021", "A second summit followed on March 3, 2021."),
        ("the same day", "A joint statement came out the same day."),
    ]
    assert [value(r) for r in resolve_in_order(rules, items, DCT)] == [
        "2019-04", "P3D", "PAST_REF", "2019-04", "2021-03-03", "2021-03-03",
    ]  # fmt: skip


def test_an_unresolved_expression_leaves_the_antecedent_as_it_was(rules):
    items = [
        ("June 1999", "The firm was founded in June 1999."),
        ("the day", "Its shares rose on the day."),  # a month cannot give a day
        ("then", "It was then a small shop."),
    ]
    assert [value(r) for r in resolve_in_order(rules, items, DCT)] == [
        "1999-06", None, "1999-06",
    ]  # fmt: skip


def test_dateparser_ignores_the_antecedent():
    pytest.importorskip("dateparser")
    dp = DateparserResolver()
    for text, context in [("that time", "The talks at that time were short."),
                          ("yesterday", "Shares fell yesterday.")]:  # fmt: skip
        assert dp.resolve(text, DCT, context, anchor="2019-04") == dp.resolve(text, DCT, context)


def test_the_regex_baseline_resolves_an_anaphor_from_the_time_named_before():
    from baselines.dating import TimexSpan, resolve_timexes
    from harness.extraction.api import Document

    text = "The two leaders met in April 2019. The talks at that time were short."
    spans = [
        TimexSpan(text.index("that time"), text.index("that time") + 9, "that time"),
        TimexSpan(text.index("April 2019"), text.index("April 2019") + 10, "April 2019"),
    ]  # given out of order: resolved in text order all the same
    out = resolve_timexes(Document("d", text, DCT), spans, DCT, RuleResolver())
    assert [(t.text, t.value) for t in out] == [("April 2019", "2019-04"), ("that time", "2019-04")]


def test_the_seeds_resolve_exactly_in_the_resolver_track(gold_corpus):
    """The rule resolver reproduces every seed gold value, anaphora included (seed 004's "that
    time" refers back to a visit named in an earlier sentence)."""
    from harness.scoring.result import ScoreConfig
    from harness.scoring.tracks import resolver_track

    track = resolver_track(gold_corpus, ScoreConfig(mode="strict", n_resamples=10))["rules"]
    wrong = [(i["doc_id"], i["id"], i["predicted"], i["gold"]) for i in track["instances"]
             if not i["correct"]]  # fmt: skip
    assert track["n"] > 0 and wrong == []


def test_cli_resolve_takes_an_antecedent(capsys, monkeypatch):
    assert main(["resolve", "--dct", DCT, "--anchor", "2019-04", "at that time", "yesterday"]) == 0
    assert capsys.readouterr().out.split() == ["2019-04", "2023-09-04"]
    line = {"text": "that day", "dct": DCT, "anchor": "2020-03-16"}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(line) + "\n"))
    assert main(["resolve", "--jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == "2020-03-16"


@pytest.mark.parametrize("anchor", ["P3Y", "PAST_REF", "April 2019"])
def test_cli_resolve_refuses_an_antecedent_that_names_no_calendar_time(capsys, anchor):
    assert main(["resolve", "--dct", DCT, "--anchor", anchor, "that time"]) == 2
    err = capsys.readouterr().err
    assert "--anchor" in err and "hint:" in err and "Traceback" not in err
