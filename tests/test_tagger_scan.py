"""The tagger scans a text once for all its patterns: the same timexes as each pattern's own scan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.dates import tagger
from harness.dates.tagger import TaggedTimex, find_timexes

ROOT = Path(__file__).resolve().parent.parent


def _one_pattern_at_a_time(text: str) -> list[TaggedTimex]:
    """The tagger as it was written first: each pattern's own finditer over the whole text (the
    matches then become extents as in the tagger: trimmed, filtered, leftmost-longest)."""
    spans = [m.span()
             for p in tagger._PATTERNS
             for m in re.compile(tagger._B + p + tagger._E).finditer(text)]  # fmt: skip
    return tagger._extents(text, spans)


def _each_pattern_alone(text: str) -> list[tuple[int, int, int]]:
    """(pattern index, start, end) of every match of each pattern's own finditer, by start."""
    found = [(i, *m.span())
             for i, p in enumerate(tagger._PATTERNS)
             for m in re.compile(tagger._B + p + tagger._E).finditer(text)]  # fmt: skip
    return sorted(found, key=lambda x: (x[1], x[0]))


def test_the_one_scan_reports_what_each_pattern_alone_reports() -> None:
    # a pattern's own scan goes on after its match: "two years" inside "the two years" is not
    # one of its matches, though it matches there
    text = "It took the two years, and 2019 troops left in late May 2019."
    found = list(tagger._matches(text))
    assert found == _each_pattern_alone(text)
    durations = [(s, e) for i, s, e in found if "(?i:the)" in tagger._PATTERNS[i]]
    assert (text.index("the two"), text.index(",")) in durations
    assert all(text[s:e] != "two years" for s, e in durations)


def test_every_pattern_gets_a_first_character_test() -> None:
    tests = [tagger._first_test(p) for p in tagger._PATTERNS]
    assert None not in tests
    today = next(p for p in tagger._PATTERNS if "yesterday" in p)
    assert tagger._first_test(today) == "(?i:[elty])"


@pytest.mark.parametrize(
    ("pattern", "test"),
    [
        # an optional part: itself or what follows; case ignored where its group says so
        (r"(?:early\s+)?(?i:late|soon)", "[e]|(?i:[ls])"),
        (r"(?i:(?:early\s+)?late)|[0-9]+|now", "[0-9n]|(?i:[el])"),
        # lookarounds consume nothing and are passed over; a repeat at least once is its body
        (r"(?<=for\s)(?i:an?)(?!\w)", "(?i:[a])"),
        (r"(?:ab)+c?", "[a]"),
        # a negated class stays one; case restored inside an ignoring group
        (r"[^\d\s]x|(?i:(?-i:Q)u)", r"[Q]|[^\d\s]"),
        # what is not read gets no test: any character, or a pattern that can match nothing
        (r".x", None),
        (r"a?", None),
    ],
)
def test_first_test_of_a_pattern(pattern: str, test: str | None) -> None:
    assert tagger._first_test(pattern) == test
    if test is not None:  # every match's first character passes the test
        for text in ("early", "late", "Late", "soon", "7", "now", "an", "abab", "Qu", "-x"):
            for m in re.finditer(pattern, text):
                assert re.match(test, text[m.start() :]), (pattern, text)


@pytest.mark.parametrize(
    ("pattern", "length", "test"),
    [
        # each alternative read as far as asked; the optional part gives both beginnings
        (
            r"(?i:(?:early\s+)?late)",
            3,
            r"(?i:[e])(?:(?i:[a])(?:(?i:[r])))|(?i:[l])(?:(?i:[a])(?:(?i:[t])))",
        ),
        # a repeat is its body, then its body again or what follows
        (r"a[\s-]+b", 4, r"[a](?:[\s\-](?:[b]|[\s\-](?:[\s\-b])))"),
        # where the pattern may end, anything may follow: the test stops there
        (r"(?:ab)+c?", 5, "[a](?:[b])"),
        # a repeated body of no width ends the reading: here, before any character is known
        (r"(?:x*)+y", 3, None),
    ],
)
def test_a_longer_test_reads_the_first_characters(
    pattern: str, length: int, test: str | None
) -> None:
    assert tagger._first_test(pattern, length) == test
    texts = ("early late", "Late", "a b", "a--  -b", "a-b", "ab", "ababc", "abc", "xxy", "y")
    for text in texts:  # every match's beginning passes the test
        for m in re.finditer(pattern, text):
            assert test is None or re.match(test, text[m.start() :]), (pattern, text)


def test_most_positions_are_passed_over_by_one_test() -> None:
    # every pattern can be read as far as the scan reads, and the scan tests that far first:
    # words no timex starts with are passed over, those one may start with are let in
    assert tagger.PREFIX_LENGTH > 1
    assert None not in [tagger._first_test(p, tagger.PREFIX_LENGTH) for p in tagger._PATTERNS]
    starts = [tagger._first_test(p, tagger.PREFIX_LENGTH) for p in tagger._PATTERNS]
    # each pattern's own test reads further, and is the one the scan uses
    assert tagger.TEST_LENGTH > tagger.PREFIX_LENGTH
    tests = [tagger._first_test(p, tagger.TEST_LENGTH) for p in tagger._PATTERNS]
    assert [t.pattern if t is not None else None for t in tagger._SCAN.tests] == tests
    assert None not in tests
    union = re.compile("|".join(f"(?:{s})" for s in starts))
    for word in ("because", "which", "Pyongyang", "troops", "they"):
        assert not union.match(word), word
    for word in ("the past", "2019", "Monday", "last week", "four years", "today", "annual"):
        assert union.match(word), word
    assert tagger._SCAN.starts.pattern.startswith(tagger._B + "(?=")


def test_each_position_tries_only_the_patterns_its_next_characters_may_start() -> None:
    # "the pa" may start "the past", never "today" nor a year; "the tw" ("the two years") no
    # longer "the past" either, as a head of four characters ("the ") let it; a digit may start
    # a year, never "the past"; each answer is kept per distinct head
    scan = tagger._SCAN
    assert len("the pa") == tagger.TEST_LENGTH
    for head, may, never in (("the pa", r"(?i:the\s+(?:past|last", "today|tonight"),
                             ("the tw", "(?i:the)", r"(?i:the\s+(?:past|last"),
                             ("2019 t", "1[6-9]", r"(?i:the\s+(?:past|last")):  # fmt: skip
        found = scan.candidates(head)
        assert found == scan.candidates(head)
        assert any(may in tagger._PATTERNS[i] for i in found), head
        assert not any(never in tagger._PATTERNS[i] for i in found), head
        assert head in scan._candidates
    small = tagger._Scanner([r"days", r"nights"])
    small.MAX_KEPT = 2
    for head in ("days", "nights", "zzzz"):
        small.candidates(head)
    assert list(small._candidates) == ["zzzz"]  # forgotten at the bound, then found again
    assert small.candidates("days") == (0,) and small.candidates("nights") == (1,)


def test_a_pattern_that_can_match_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="empty match"):
        tagger._Scanner([r"days", r"(?:days)?"])


def test_the_long_s_and_the_kelvin_sign_match_as_the_patterns_say() -> None:
    # "ſ" (long s) and "K" (Kelvin) match "s" and "k" when case is ignored: the test lets them in
    assert [t.text for t in find_timexes("They will meet ſoon.")] == ["ſoon"]
    assert find_timexes("They will meet ſoon.") == _one_pattern_at_a_time("They will meet ſoon.")


@pytest.mark.parametrize("seed", sorted((ROOT / "seeds").glob("*.txt")), ids=lambda p: p.stem)
def test_seed_texts_tag_as_one_pattern_at_a_time(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    assert list(tagger._matches(text)) == _each_pattern_alone(text)
    assert find_timexes(text) == _one_pattern_at_a_time(text)
    assert len(find_timexes(text)) > 5


_WORDS = st.sampled_from(
    [
        "the",
        "a",
        "on",
        "in",
        "for",
        "since",
        "last",
        "next",
        "this",
        "that",
        "year",
        "years",
        "day",
        "days",
        "week",
        "month",
        "ago",
        "later",
        "earlier",
        "hence",
        "from",
        "now",
        "soon",
        "currently",
        "recent",
        "past",
        "coming",
        "weekend",
        "morning",
        "night",
        "today",
        "Monday",
        "Sept.",
        "September",
        "May",
        "12",
        "2023",
        "1990s",
        "3",
        "p.m.",
        "noon",
        "midnight",
        "quarter",
        "fiscal",
        "half",
        "annual",
        "daily",
        "every",
        "each",
        "end",
        "of",
        "beginning",
        "two",
        "four",
        "several",
        "few",
        "century",
        "ſ",
        "K",
        "\u212a",
        "a.m.",
        "Christmas",
        "the year two thousand",
        "İ",
        "ı",
        "-",
        ",",
        ".",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, max_size=14), st.sampled_from([" ", "  ", "\n", "-", ", "]))
def test_generated_texts_tag_as_one_pattern_at_a_time(words: list, sep: str) -> None:
    text = sep.join(words)
    assert list(tagger._matches(text)) == _each_pattern_alone(text)
    assert find_timexes(text) == _one_pattern_at_a_time(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aehnostyADFJMS0129 -.,:/'’\nſKİı"))))
def test_any_text_tags_as_one_pattern_at_a_time(text: str) -> None:
    assert list(tagger._matches(text)) == _each_pattern_alone(text)
    assert find_timexes(text) == _one_pattern_at_a_time(text)


def test_a_pattern_the_tests_cannot_read_turns_the_first_test_off() -> None:
    # "." is not read: no position may be passed over on the strength of the other patterns
    scan = tagger._Scanner([r".x", r"days"])
    assert scan.starts.pattern == tagger._B
    assert list(scan.matches("zx days")) == [(0, 0, 2), (1, 3, 7)]
