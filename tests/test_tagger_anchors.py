"""The tagger skips a pattern whose required words a text lacks: the output never changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.dates import tagger
from harness.dates.tagger import find_timexes

ROOT = Path(__file__).resolve().parent.parent


def _unskipped(text: str, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as m:
        m.setattr(tagger, "_ANCHORS", [None] * len(tagger._PATTERNS))
        return find_timexes(text)


def test_most_patterns_have_required_words_read_from_their_parse_tree() -> None:
    anchors = dict(zip(tagger._PATTERNS, tagger._ANCHORS, strict=True))
    assert sum(a is not None for a in tagger._ANCHORS) > len(tagger._PATTERNS) // 2
    today = next(p for p in tagger._PATTERNS if "yesterday" in p)
    assert anchors[today] == {"today", "tonight", "yesterday", "tomorrow"}
    # an optional part requires nothing; a repeat at least once requires its body
    assert tagger._anchors(r"(?:early\s+)?(?i:late|soon)") == {"late", "soon"}
    assert tagger._anchors(r"(?:ab)+c?") == {"ab"}
    assert tagger._anchors(r"[0-9]+|now") is None


def test_the_case_folding_guard_lists_every_character_folded_to_ascii() -> None:
    folded = re.compile("(?i)[a-z]")
    found = {
        chr(c)
        for c in range(0x80, 0x110000)
        if not 0xD800 <= c < 0xE000
        and folded.match(chr(c))
        and not (len(chr(c).lower()) == 1 and chr(c).lower().isascii())
    }
    assert found  # the dotted and dotless i, the long s
    assert found <= set(tagger._FOLDING)


def test_a_word_with_a_long_s_is_still_found() -> None:
    # "ſ" (long s) matches "s" when case is ignored but lower() keeps it: no skipping here
    assert [t.text for t in find_timexes("They will meet ſoon.")] == ["ſoon"]


@pytest.mark.parametrize("seed", sorted((ROOT / "seeds").glob("*.txt")), ids=lambda p: p.stem)
def test_seed_texts_tag_as_without_skipping(seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = seed.read_text(encoding="utf-8")
    assert find_timexes(text) == _unskipped(text, monkeypatch)


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
        "İ",
        "ı",
        "-",
        ",",
        ".",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, max_size=14), st.sampled_from([" ", "  ", "\n", "-"]))
def test_generated_texts_tag_as_without_skipping(words: list, sep: str) -> None:
    text = sep.join(words)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(tagger, "_ANCHORS", [None] * len(tagger._PATTERNS))
        want = find_timexes(text)
    assert find_timexes(text) == want
