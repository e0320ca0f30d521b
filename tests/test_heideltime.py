"""Pins the HeidelTime wrapper: offsets into the raw text, the cache, span matching, not-run.

Everything but the last test uses hand-written HeidelTime-style TimeML and a fake runner, so it
needs no Java. The last one runs the real HeidelTime and skips, saying why, where it cannot.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.dates import heideltime as H
from harness.dates.resolve import RESOLVERS, Resolution, get_resolver

HEADER = '<?xml version="1.0"?>\n<!DOCTYPE TimeML SYSTEM "TimeML.dtd">\n<TimeML>\n'


def fake_timeml(text: str, timexes: list[tuple[int, int, str, str]]) -> str:
    """What HeidelTime prints: the input, unescaped, with inline TIMEX3 tags."""
    out, pos = [], 0
    for k, (start, end, type_, value) in enumerate(timexes, start=1):
        out.append(text[pos:start])
        out.append(f'<TIMEX3 tid="t{k}" type="{type_}" value="{value}">{text[start:end]}</TIMEX3>')
        pos = end
    out.append(text[pos:])
    return HEADER + "".join(out) + "\n</TimeML>\n"


TEXT = "He said “today”\u00a0it ended on\tMonday, & <b>not</b> next week.\r\n"


def _span(text: str, sub: str) -> tuple[int, int]:
    start = text.index(sub)
    return start, start + len(sub)


def test_offsets_index_the_raw_text_with_curly_quotes_nbsp_and_markup_like_text():
    spans = [_span(TEXT, "today"), _span(TEXT, "Monday"), _span(TEXT, "next week")]
    out = fake_timeml(TEXT, [(*spans[0], "DATE", "2019-04-22"), (*spans[1], "DATE", "2019-04-22"),
                             (*spans[2], "DATE", "2019-W18")])  # fmt: skip
    found = H.parse_timeml(out, TEXT)
    assert [(t.start, t.end) for t in found] == spans
    assert [t.text for t in found] == ["today", "Monday", "next week"]
    assert [t.value for t in found] == ["2019-04-22", "2019-04-22", "2019-W18"]


def test_offsets_survive_an_output_that_differs_from_the_input():
    # an output that escaped the ampersand and dropped the final line break is aligned back
    start, end = _span(TEXT, "next week")
    out = fake_timeml(TEXT, [(start, end, "DATE", "2019-W18")])
    out = out.replace(" & ", " &amp; ").replace(".\r\n\n</TimeML>", ".\n</TimeML>")
    (t,) = H.parse_timeml(out, TEXT)
    assert (t.start, t.end, t.text) == (start, end, "next week")


def test_output_without_a_timeml_body_is_a_failed_run_not_an_empty_result():
    with pytest.raises(ValueError, match="no <TimeML>"):
        H.parse_timeml("Exception in thread main", TEXT)


class FakeRunner:
    """Stands in for the jar: records each batch and tags every "Monday" with the DCT day."""

    def __init__(self) -> None:
        self.batches: list[list[tuple[str, str]]] = []

    def __call__(self, items):
        self.batches.append(list(items))
        outs = []
        for text, day in items:
            spans = [(*_span(text, "Monday"), "DATE", day)] if "Monday" in text else []
            outs.append(fake_timeml(text, spans))
        return outs


def _engine(tmp_path: Path, runner=None, version: str = "9.9") -> H.HeidelTime:
    return H.HeidelTime(tmp_path / "cache", version=version, runner=runner or FakeRunner())


def test_each_document_runs_once_and_then_comes_from_the_cache(tmp_path):
    runner = FakeRunner()
    engine = _engine(tmp_path, runner)
    first = engine.tag(TEXT, "2019-04-22T10:00")
    again = H.HeidelTime(tmp_path / "cache", version="9.9", runner=runner).tag(TEXT, "2019-04-22")
    assert first == again == [H.HeidelTimex(*_span(TEXT, "Monday"), "Monday", "DATE", "2019-04-22")]
    assert len(runner.batches) == 1  # the DCT's time of day does not change the key
    files = list((tmp_path / "cache" / "9.9").iterdir())
    assert [f.suffix for f in files] == [".tml"]  # written atomically: no temporary file left
    assert files[0].name == f"{engine.cache_key(TEXT, '2019-04-22')}.tml"


def test_cache_key_changes_with_text_dct_day_and_version(tmp_path):
    engine = _engine(tmp_path)
    key = engine.cache_key(TEXT, "2019-04-22")
    assert engine.cache_key(TEXT + " ", "2019-04-22") != key
    assert engine.cache_key(TEXT, "2019-04-23") != key
    assert _engine(tmp_path, version="9.10").cache_key(TEXT, "2019-04-22") != key


def test_uncached_documents_run_in_batches_and_duplicates_run_once(tmp_path):
    runner = FakeRunner()
    engine = H.HeidelTime(tmp_path, version="1", runner=runner, batch_size=2)
    docs = [(f"Doc {k} on Monday.", "2020-01-0" + str(k + 1)) for k in range(3)]
    tagged = engine.tag_many([*docs, docs[0]])
    assert [len(b) for b in runner.batches] == [2, 1]
    assert [t[0].value for t in tagged] == ["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-01"]
    assert [n for n, _secs in engine.runs] == [2, 1]


def test_a_failed_run_is_not_cached(tmp_path):
    engine = _engine(tmp_path, runner=lambda items: ["java.lang.OutOfMemoryError"] * len(items))
    with pytest.raises(ValueError, match="no <TimeML>"):
        engine.tag(TEXT, "2019-04-22")
    assert not list((tmp_path / "cache").rglob("*.tml"))


def test_gold_span_takes_exact_extent_else_largest_overlap_else_miss():
    a = H.HeidelTimex(10, 19, "past year", "DATE", "P1Y")
    b = H.HeidelTimex(20, 26, "Monday", "DATE", "2019-04-22")
    c = H.HeidelTimex(26, 40, " and Tuesday", "DATE", "2019-04-23")
    assert H.match_span([a, b, c], 20, 26) is b
    assert H.match_span([a, b, c], 6, 19) is a  # "the past year" vs HeidelTime's "past year"
    assert H.match_span([a, b, c], 24, 32) is c  # 6 characters of c against 2 of b
    assert H.match_span([a, b, c], 22, 30) is b  # a tie (4 and 4): the earlier one
    assert H.match_span([a, b, c], 0, 5) is None


def test_resolver_answers_each_gold_span_from_one_run_per_document(tmp_path):
    runner = FakeRunner()
    resolver = H.HeidelTimeResolver(engine=_engine(tmp_path, runner))
    text = "It rose on Monday, not in the year."
    got = resolver.resolve_document(
        text, "2019-04-22", [_span(text, "Monday"), _span(text, "year")]
    )
    assert got == [Resolution("2019-04-22", "DATE"), None]
    assert len(runner.batches) == 1


def test_a_value_the_timex_checker_rejects_is_a_miss(tmp_path):
    text = "It rose on Monday."

    def bad(items):
        return [fake_timeml(t, [(*_span(t, "Monday"), "DATE", "XXXX-13")]) for t, _ in items]

    resolver = H.HeidelTimeResolver(engine=_engine(tmp_path, bad))
    assert resolver.resolve_document(text, "2019-04-22", [_span(text, "Monday")]) == [None]


def test_without_java_it_says_not_run_and_how_to_install(tmp_path):
    engine = H.HeidelTime(tmp_path, java="no-such-java-runtime")
    reason = engine.unavailable_reason()
    assert reason is not None and H.INSTALL_HINT in reason
    if H._package_dir() is not None:
        assert reason.startswith("no Java runtime")
    with pytest.raises(H.HeidelTimeUnavailable, match="not run: "):
        engine.tag(TEXT, "2019-04-22")
    assert not list(tmp_path.rglob("*.tml"))


def test_registered_as_heideltime_with_its_version_in_the_signature(tmp_path):
    assert RESOLVERS["heideltime"] is H.HeidelTimeResolver
    assert isinstance(get_resolver("heideltime"), H.HeidelTimeResolver)
    sig = H.HeidelTimeResolver(engine=_engine(tmp_path, version="2.2.1")).signature()
    assert sig["name"] == "heideltime" and sig["heideltime"] == "2.2.1"
    assert sig["document_type"] == "NEWS" and sig["language"] == "ENGLISH"


_REASON = H.unavailable_reason()


@pytest.mark.skipif(_REASON is not None, reason=f"HeidelTime cannot run here: {_REASON}")
def test_real_heideltime_tags_and_resolves_with_raw_offsets(tmp_path):
    text = "The minister said “yesterday”\u00a0the talks would resume on Friday, April 26, 2019."
    engine = H.HeidelTime(tmp_path)
    found = engine.tag(text, "2019-04-23")
    assert {(t.text, t.value) for t in found} >= {
        ("yesterday", "2019-04-22"),
        ("Friday, April 26, 2019", "2019-04-26"),
    }
    assert all(text[t.start : t.end] == t.text for t in found)
    assert engine.runs and engine.runs[0][0] == 1
    resolver = H.HeidelTimeResolver(engine=engine)
    assert resolver.resolve_document(text, "2019-04-23", [_span(text, "yesterday")]) == [
        Resolution("2019-04-22", "DATE")
    ]
    assert len(engine.runs) == 1  # the resolver read the cache
    assert resolver.signature()["heideltime"] == H.heideltime_version()
