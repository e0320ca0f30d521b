"""TIMEX3 values: well-formedness, normalization, intervals, strict and relaxed agreement."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.gold import timex as tx


@pytest.mark.parametrize(
    "value",
    ["2023", "2023-09", "2023-09-12", "2023-W36", "2023-W36-WE", "2019-Q1", "2019-SU", "199",
     "199X", "2023-09-11TEV", "2023-09-05T03:09", "2023-09-10/2023-09-13", "1950/1953", "P2D",
     "PT20H", "P13M", "PXD", "P1Y", "PAST_REF", "FUTURE_REF", "PRESENT_REF"],
)  # fmt: skip
def test_well_formed_values_are_accepted(value):
    assert tx.validate(value) == value


@pytest.mark.parametrize(
    "value, message",
    [("2023-13", "month 13 is out of range"), ("2023-02-30", "is not a calendar day"),
     ("P", "is not a duration"), ("next week", "is not a calendar value"),
     ("2023-09-13/2023-09-10", "ends before it starts"), ("2023T10:00", "a time needs a day")],
)  # fmt: skip
def test_malformed_values_say_what_is_wrong(value, message):
    with pytest.raises(tx.TimexValueError, match=message):
        tx.validate(value)


def test_normalization_makes_equivalent_spellings_equal():
    assert tx.equal("2023-09-05T03:09:00", "2023-09-05T03:09")
    assert tx.equal("p02d", "P2D")
    assert not tx.equal(None, "2023")


def test_relaxed_agreement_is_interval_overlap():
    assert tx.overlap("2023-09", "2023-09-12")
    assert not tx.overlap("2023-08", "2023-09")
    assert tx.overlap("2023-W37", "2023-09-12")
    assert tx.overlap("2023-09-10/2023-09-13", "2023-09-13")
    assert tx.overlap("FUTURE_REF", "2023-09-13", dct="2023-09-12")
    assert not tx.overlap("FUTURE_REF", "2023-09-12", dct="2023-09-12")
    assert not tx.overlap("P2D", "P3D") and tx.overlap("P2D", "P2D")


def test_parts_of_day_and_weeks_have_the_documented_intervals():
    ev = tx.to_interval("2023-09-11TEV")
    assert (ev.start.hour, ev.end.day) == (18, 12)
    wk = tx.to_interval("2023-W36")
    assert (wk.start.day, wk.end.day) == (4, 11)


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9998, 12, 31)))
def test_property_every_day_is_inside_its_month_and_year(d):
    day = d.isoformat()
    assert tx.overlap(day, day[:7]) and tx.overlap(day, day[:4])
    assert tx.granularity(day) == "day"
