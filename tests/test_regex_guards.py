"""The rule baselines skip a search where the text lacks what every match of it holds (a cue's
literal text, the chrome patterns' one scan): each skipped search would have found nothing, so
the candidates and the chrome lines are the same."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from baselines import chrome
from baselines import regex_rules as R
from baselines.regex_extractor import DEFAULTS
from harness.gold.text import sentence_spans

ROOT = Path(__file__).resolve().parent.parent

_WORDS = st.sampled_from(
    ["It", "it", "is", "was", "has been", "widely", "believed", "that", "That", "thAt", "said",
     "told", "according", "to", "According to", "according  to", "the", "agency", "Kim", ",",
     "“", "”", '"', "'", "reported", "claims", "\n", "  ", "tha", "t", "by", "By", "b", "y", "were",
     "says", "wrote", "He", "will", ",”", "”,"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_WORDS, max_size=16), st.sampled_from([" ", "", "\n"]))
def test_a_skipped_search_would_have_found_nothing(words: list, sep: str) -> None:
    sentence = sep.join(words)
    for regex, needs in R._NEEDS.items():
        if not any(n in sentence for n in needs):
            assert regex.search(sentence) is None, (regex.pattern[:40], sentence)
        for anchored in (False, True):
            plain = regex.match(sentence) if anchored else regex.search(sentence)
            got = R._cue(regex, sentence, anchored)
            assert (got and (got.span(), got.groupdict())) == (
                plain and (plain.span(), plain.groupdict())
            )


def test_the_guards_need_what_every_match_has() -> None:
    # each cue matches a sentence made for it, and the guard lets that sentence through
    made = {
        R._ACCORDING_LAST: "The test was a success according to the agency",
        R._HEDGE_THAT: "It is widely believed that the test failed.",
        R._QUOTED: 'Kim said "the test failed."',
        R._PASSIVE_BY: "The test was reported by the agency.",
        R._THAT: "Officials said that the test failed.",
        R._TRAILING: "The test failed, the agency said.",
        R._BARE: "Kim said the test would fail.",
    }
    assert set(made) == set(R._NEEDS)
    for regex, sentence in made.items():
        assert regex.search(sentence) is not None
        assert R._cue(regex, sentence) is not None
        # without the literal texts, no match: the guard's reason
        for n in R._NEEDS[regex]:
            sentence = sentence.replace(n, "x" * len(n))
        assert regex.search(sentence) is None
        assert R._cue(regex, sentence) is None


def test_seed_sentences_give_the_same_candidates_without_the_guards(monkeypatch) -> None:
    config = dict(DEFAULTS)
    sentences = [text[a:b] for p in sorted((ROOT / "seeds").glob("*.txt"))
                 for text in [p.read_text(encoding="utf-8")]
                 for a, b in sentence_spans(text)]  # fmt: skip
    guarded = [R.analyse_sentence(s, config) for s in sentences]
    monkeypatch.setattr(R, "_NEEDS", {})
    assert [R.analyse_sentence(s, config) for s in sentences] == guarded
    assert {c.cue for c in guarded if c is not None} >= {"according", "quote", "report"}


_LINE_WORDS = st.sampled_from(
    ["icon", "ICON", "Icon", "lock icon", "facebook-icon", "ıcon", "İCON", "see more in the video",
     "See More In The Video", "see more", "video", "ico", "n", "share", " ", "  ", "\t", "."]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_LINE_WORDS, max_size=12), st.sampled_from([" ", ""]))
def test_a_line_the_chrome_scan_passes_over_matches_neither_pattern(words: list, sep: str) -> None:
    line = sep.join(words)
    if chrome._ICON_OR_VIDEO.search(line) is None:
        assert chrome._ICON.findall(line) == [] and chrome._CHROME_ANYWHERE.search(line) is None


def test_seed_lines_are_chrome_with_and_without_the_scan(monkeypatch) -> None:
    lines = [line for p in sorted((ROOT / "seeds").glob("*.txt"))
             for line in p.read_text(encoding="utf-8").splitlines()] + [
        "icon icon icon", "Share this: facebook icon twitter icon mail icon", "lock icon",
        "Putin claims that Poland will invade. See more in the video below.", "Photo: icon",
    ]  # fmt: skip
    scanned = [chrome.is_chrome_line(line) for line in lines]
    monkeypatch.setattr(chrome, "_ICON_OR_VIDEO", re.compile(""))  # matches every line
    assert [chrome.is_chrome_line(line) for line in lines] == scanned
    assert scanned[-5:] == [True, True, True, True, True] and not all(scanned)
