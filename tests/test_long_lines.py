"""One long line, or one file of many records: sentence splitting, the scaffold's lookups, the
stamp finder, the resolver's reading of a sentence, the review's pieces and the agreement's
timex pairs are linear, and equal the regular expressions and loops they replace.

Pages scraped without their line breaks, or a page of dates, put thousands of sentences and
dates on one line. Each check below passed over the whole line (or the whole text) once per
sentence end or per date: `harness new` took 10 s on 16 KB of dates on one line and 36 s on
32 KB. The budgets are those of tests/test_linear_time.py.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from harness.annotate import yaml_text
from harness.annotate.suggest import dct_candidates, suggest_timexes
from harness.dates.stamps import detect_dct
from harness.gold import text as T
from tests.test_linear_time import EQUIV, assert_linear, rep, texts


def test_sentence_splitting_is_linear_on_one_long_line() -> None:
    def work(n: int) -> Callable[[], object]:
        line = rep("Mr. Kim said it. The U.S. agreed! ", n)
        return lambda: (T.sentence_spans.cache_clear(), T.sentence_spans(line))

    assert_linear(work)


@given(texts(["a", "Mr", "u.s", ".", " ", "é", "_", "1", "\r", "’", "-"], 16), st.data())
@EQUIV
def test_abbreviation_check_equals_the_regex(line: str, data: st.DataObject) -> None:
    # No "\n": a line of sentence_spans has one only at its end, after every sentence mark, and
    # "$" would match before it.
    dot = data.draw(st.integers(0, len(line)))
    m = re.search(r"([\w.]+)$", line[:dot])
    want = bool(m) and (
        (w := m.group(1).lower().rstrip(".")) in T._ABBREVIATIONS or (len(w) == 1 and w.isalpha())
    )
    assert T._is_abbreviation(line, dot) == want


def test_sentences_of_one_long_line_are_split_at_each_end_and_not_at_abbreviations() -> None:
    line = rep("Mr. Kim said it. The U.S. agreed! ", 340)
    spans = T.sentence_spans(line)
    assert len(spans) == 2 * 10  # 340 characters hold ten units of two sentences each
    assert [line[s:e] for s, e in spans[:2]] == ["Mr. Kim said it.", "The U.S. agreed!"]


DATES = "Published April 25, 2019.\n\n"


def test_scaffold_suggestions_are_linear_on_a_line_of_dates() -> None:
    def work(n: int) -> Callable[[], object]:
        text = DATES + rep("April 25, 2019. ", n)
        return lambda: (
            T.sentence_spans.cache_clear(),
            dct_candidates(text),
            suggest_timexes(text, "2019-04-25"),
        )

    assert_linear(work)


def test_dct_detection_is_linear_on_a_line_of_dates_without_a_stamp() -> None:
    """No date stands alone: every one is placed on its line before the page has no stamp."""

    def work(n: int) -> Callable[[], object]:
        text = rep("Kim met Putin on April 25, 2019 in Vladivostok. ", n)
        return lambda: detect_dct(text)

    assert_linear(work)


def test_stands_alone_is_linear_on_a_line_of_dates_without_words() -> None:
    """No word to stop at: each date's check used to read the whole line."""

    def work(n: int) -> Callable[[], object]:
        text = rep("2019-04-25 ", n)
        starts = range(0, len(text), 11)
        return lambda: (
            yaml_text._letter_runs.cache_clear(),
            [yaml_text._stands_alone(text, s, s + 10) for s in starts],
        )

    assert_linear(work)


def test_scaffold_line_and_occurrence_lookups_are_linear_in_the_repeats() -> None:
    def work(n: int) -> Callable[[], object]:
        text = rep("April 25, 2019.\n", n)
        starts = [m.start() for m in re.finditer("April", text)]
        return lambda: (
            yaml_text._line_breaks.cache_clear(),
            [
                (yaml_text._line_of(text, s), yaml_text._occurrence(text, "April", s))
                for s in starts
            ],
        )

    assert_linear(work)


WORDS = ["April", "25", "ab", "abc", "x", " ", "\n", "—", "é", "ıdı", "1_2"]


@given(st.lists(st.sampled_from(WORDS), max_size=400), st.data())
@EQUIV
def test_scaffold_lookups_equal_the_full_passes(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rest = text[line_start:start] + " " + text[end : len(text) if line_end < 0 else line_end]
    alone = len(re.findall(r"[^\W\d_]{3,}", rest)) <= 2
    assert yaml_text._stands_alone(text, start, end) == alone
    assert yaml_text._line_of(text, start) == text.count("\n", 0, start) + 1
    if quote := text[start:end]:
        hits = [m.start() for m in re.finditer(f"(?={re.escape(quote)})", text)]
        want = hits.index(start) + 1 if len(hits) > 1 else None
        assert yaml_text._occurrence(text, quote, start) == want


def test_stands_alone_reads_past_its_first_window() -> None:
    """Words beyond the first 256 characters count, on both sides."""
    pad = " " * 600
    assert yaml_text._stands_alone(pad + "x April 25, 2019" + pad + "y", 602, 616)
    for far in ("said", "met with him"):
        text = far + " " + pad + "April 25, 2019" + pad + " Putin Kim"
        start = text.index("April")
        assert not yaml_text._stands_alone(text, start, start + 14)


@given(texts(["Kim said it.", " ", "\n", "Mr. X", "!", " It", "a"], 12), st.data())
@EQUIV
def test_sentence_lookups_equal_the_scans(text: str, data: st.DataObject) -> None:
    spans = T.sentence_spans(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    touching = [i for i, (s, e) in enumerate(spans) if s < end and start < e]
    assert T.sentences_touching(text, start, end) == touching
    assert T.sentence_of(text, start) == next(
        (i for i, (s, e) in enumerate(spans) if s <= start < e), None
    )


def test_sentence_lookups_are_linear_in_the_sentences() -> None:
    def work(n: int) -> Callable[[], object]:
        text = rep("Kim said it. ", n)
        offsets = range(0, len(text), 13)
        return lambda: (
            T._sentence_bounds.cache_clear(),
            [(T.sentence_of(text, k), T.sentences_touching(text, k, k + 5)) for k in offsets],
        )

    assert_linear(work)


STAMP_TOKENS = [
    "date", "dated", "updated", "published", "Last  updated", "first\tpublished",
    "publication date", "on", "ononon", "no", ":", " : ", "  ", " ", "\n", "\t", "|", "x", "Kim",
    "25", "April 25, 2019", "GMT", "pm", "p", "ub", "lished", "modified", "\xa0", "ſ",
]  # fmt: skip


@given(st.lists(st.sampled_from(STAMP_TOKENS), max_size=120), st.data())
@EQUIV
def test_stamp_placement_equals_the_whole_line_reading(tokens: list[str], data) -> None:
    """The stamp finder's line facts (read once per line) give the answer of reading the whole
    line for each stamp: the keyword before it, and the words around it with noise blanked."""
    from harness.dates.stamps import _position_ok_directly, _stamp_position_ok

    text = "".join(tokens)
    lines: dict = {}  # shared by the draws, as detect_dct shares it between a text's stamps
    for _ in range(4):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 16)))
        want = _position_ok_directly(text, start, end)
        assert _stamp_position_ok(text, start, end, lines) == want


WORD_TOKENS = ["Kim", "said", "-", "--", "re-elected", "’s", "'", " ", "  ", "\n", ";", ":", "(",
               ")", "—", "–", ",", ".", "x" * 40, "a-", "-b", "2019", "“", "”"]  # fmt: skip


@given(st.lists(st.sampled_from(WORD_TOKENS), max_size=200), st.data())
@EQUIV
def test_context_words_read_in_windows_equal_a_whole_reading(tokens: list[str], data) -> None:
    from harness.dates.rules.direction import _WORD_RE, _first_words, _last_words

    text = "".join(tokens)
    at = data.draw(st.integers(0, len(text)))
    n = data.draw(st.sampled_from([1, 5, 12, 26]))
    words = [w.replace("’", "'") for w in _WORD_RE.findall(text[:at])]
    assert _last_words(text, at, n) == words[-n:]
    words = [w.replace("’", "'") for w in _WORD_RE.findall(text[at:])]
    assert _first_words(text, at, n) == words[:n]


def test_regex_extractor_is_linear_on_a_sentence_of_many_dates() -> None:
    """A flattened timeline: one sentence, a date every 40 characters. Each date's tense was read
    from every word before it, and its sentence copied for it."""
    from baselines.regex_extractor import RegexExtractor
    from harness.extraction.api import Document

    months = ["January", "March", "May", "July", "September", "November"]
    unit = "".join(f"{m} {d}, 1990 Kim visited a plant | " for d in (3, 17) for m in months)

    def work(n: int) -> Callable[[], object]:
        doc = Document("d", rep(unit, n), "2019-04-25")
        return lambda: RegexExtractor().extract(doc)

    assert_linear(work)


SPAN = st.tuples(st.integers(-2, 30), st.integers(-2, 30))


@given(st.lists(st.one_of(SPAN, st.just((None, None))), max_size=12), st.integers(0, 25))
@EQUIV
def test_review_pieces_equal_a_scan_of_the_records(spans: list, length: int) -> None:
    from harness.annotate.review_html import _segments
    from harness.annotate.review_model import _Record

    records = [_Record("timex", f"t{i}", f"a{i}", s, e, (), "") for i, (s, e) in enumerate(spans)]
    placed = [r for r in records if r.start is not None]
    cuts = sorted({0, length} | {r.start for r in placed} | {r.end for r in placed})
    want = [
        (a, b, [r for r in placed if r.start <= a and b <= r.end])
        for a, b in itertools.pairwise(cuts)
        if b > a
    ]
    assert _segments("x" * length, records) == want


@given(st.lists(SPAN, max_size=15), SPAN)
@EQUIV
def test_overlap_lookup_equals_a_scan(spans: list, query: tuple) -> None:
    from types import SimpleNamespace as NS

    from harness.gold.text import Overlaps

    items = [NS(start=s, end=e) for s, e in spans]
    q = NS(start=query[0], end=query[1])
    want = [t for t in items if min(t.end, q.end) - max(t.start, q.start) > 0]
    assert Overlaps(items)(q) == want


def test_review_pieces_and_timex_pairs_are_linear_in_the_timexes_of_one_file() -> None:
    """The review's pieces and the agreement's pairs of timexes (the scorer's timex track, which
    the agreement also runs, compares every pair: a document holds tens of timexes)."""
    from harness.annotate.review_html import _segments
    from harness.annotate.review_model import _Record
    from harness.gold.records import Timex
    from harness.gold.text import Overlaps

    def work(n: int) -> Callable[[], object]:
        k = n // 10  # a timex every ten characters
        text = rep("2019 was. ", n)
        timexes = [Timex(f"t{i}", 10 * i, 10 * i + 4, "2019", "DATE", "2019") for i in range(k)]
        records = [_Record("timex", t.id, t.id, t.start, t.end, (), "") for t in timexes]

        def run() -> object:
            overlapping = Overlaps(timexes)
            return _segments(text, records), [overlapping(t) for t in timexes]

        return run

    assert_linear(work)


def test_validation_is_linear_in_the_repeats_of_one_quote(tmp_path) -> None:
    """A timex for each of many matches of one quote, each with its occurrence: the matches
    are found once per quote, not once per timex."""
    import hashlib

    from harness.gold.validate import validate_corpus

    def work(n: int) -> Callable[[], object]:
        root = tmp_path / str(n)
        (root / "seeds").mkdir(parents=True)
        (root / "annotations").mkdir()
        seed = rep("In 2019 Kim met Putin at a summit in Vladivostok. ", n)
        (root / "seeds" / "d.txt").write_text(seed, encoding="utf-8")
        timexes = "".join(
            f'  - {{id: t{i}, quote: "2019", occurrence: {i}, type: DATE, value: "2019"}}\n'
            for i in range(1, seed.count("2019") + 1)
        )
        (root / "annotations" / "d.yaml").write_text(
            "id: d\nsource: seeds/d.txt\n"
            f"sha256: {hashlib.sha256(seed.encode()).hexdigest()}\n"
            "outlet: null\nbyline: null\nlanguage: en\nannotator: t\nannotated: null\n"
            'guidelines: "1.3"\npublished: {value: "2019-04-25", evidence: "t"}\n'
            f"timexes:\n{timexes}claims: []\n",
            encoding="utf-8",
        )
        assert validate_corpus(root / "annotations").problems == []
        return lambda: validate_corpus(root / "annotations")

    assert_linear(work)


def test_fast_yaml_reading_is_linear_on_long_tokens() -> None:
    """A note holding a long token with a colon before every digit (``00:01:02:...``): each
    colon started a search for a plain value's end that read the token to its end."""
    from harness.gold.yamlfast import NOT_FAST, fast_loads
    from harness.gold.yamlio import loads

    def work(n: int) -> Callable[[], object]:
        text = 'id: x\nnotes: "' + rep("00:01:", n) + '"\n'
        got = fast_loads(text)
        assert got is NOT_FAST or got == loads(text)
        return lambda: fast_loads(text)

    assert_linear(work)
