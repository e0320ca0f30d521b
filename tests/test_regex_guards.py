"""The regex baseline skips a cue's search where the sentence lacks the literal text every match
of the cue holds: each skipped search would have found nothing, so the candidates are the same."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from baselines import regex_extractor as R
from harness.gold.text import sentence_spans

ROOT = Path(__file__).resolve().parent.parent

_WORDS = st.sampled_from(
    ["It", "it", "is", "was", "has been", "widely", "believed", "that", "That", "thAt", "said",
     "told", "according", "to", "According to", "according  to", "the", "agency", "Kim", ",",
     "“", "”", '"', "'", "reported", "claims", "\n", "  ", "tha", "t"]
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
    config = dict(R.DEFAULTS)
    sentences = [text[a:b] for p in sorted((ROOT / "seeds").glob("*.txt"))
                 for text in [p.read_text(encoding="utf-8")]
                 for a, b in sentence_spans(text)]  # fmt: skip
    guarded = [R.analyse_sentence(s, config) for s in sentences]
    monkeypatch.setattr(R, "_NEEDS", {})
    assert [R.analyse_sentence(s, config) for s in sentences] == guarded
    assert {c.cue for c in guarded if c is not None} >= {"according", "quote", "report"}
