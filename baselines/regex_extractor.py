"""The regex baseline: claims from surface cues, one per sentence, no model at all.

It sets the floor every other extractor has to beat, and shows how much of the task is solvable
from reporting verbs, attribution phrases and modal markers alone. Each sentence of
:func:`harness.text.sentence_spans` that is neither page chrome nor a fragment (see
:mod:`baselines.attribution`) gives at most one claim, by the rules of
:mod:`baselines.regex_rules` (a headline source tag, "according to", "X said that P", a quotation,
a trailing attribution, a bare reporting verb, "reportedly", a modal marker, a named entity).

Timexes come from :func:`harness.tagger.find_timexes` and are resolved by the configured resolver
against the DCT (given, or detected with :func:`harness.tagger.detect_dct`). A claim is dated by
the first timex in its span that does not date a report ("reported on Monday"), see
:func:`baselines.attribution.choose_date`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from baselines.attribution import (
    SortedRanges,
    TimexSpan,
    attached_to_reporting_verb,
    check_common_options,
    check_dct,
    choose_date,
    chrome_mask,
    document_dct,
    load_config,
    resolve_timexes,
    sentence_kind,
    trim_span,
    within,
)
from baselines.regex_rules import Candidate, analyse_sentence
from harness.extraction.api import Document, Extraction, Extractor, PredictedClaim, PredictedTimex
from harness.gold.text import sentence_spans

DEFAULTS: dict[str, Any] = {
    "resolver": "rules",
    "min_words": 4,
    "max_claimant_words": 10,
    "author_claims": True,
    "report_time_fallback": True,
    "confidence": {"attributed": 0.8, "modal": 0.6, "declarative": 0.4},
}

#: The confidence group of each cue of :func:`~baselines.regex_rules.analyse_sentence`.
_CONFIDENCE_GROUP = {
    "headline": "attributed",
    "according": "attributed",
    "that": "attributed",
    "hedge": "modal",
    "quote": "attributed",
    "trailing": "attributed",
    "bare": "attributed",
    "report": "attributed",
    "reportedly": "attributed",
    "modal": "modal",
    "declarative": "declarative",
}


class RegexExtractor(Extractor):
    """Claims from reporting verbs, attribution phrases and modal markers; one per sentence."""

    name: ClassVar[str] = "regex"
    description: ClassVar[str] = (
        "regular-expression baseline: reporting verbs, 'according to', modal cues; "
        "timexes by harness.tagger"
    )
    code_dependencies: ClassVar[tuple[str, ...]] = ("harness.dates", "harness.gold.text")

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        super().__init__(load_config("regex", DEFAULTS, config))
        self.resolver: Any = check_common_options(
            self.config, DEFAULTS, ("min_words", "max_claimant_words")
        )

    def signature(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "config": dict(self.config),
            "resolver": self.resolver.signature(),
        }

    def extract(self, doc: Document) -> Extraction:
        from harness.dates.tagger import find_timexes

        text = doc.text
        dct, dct_source = document_dct(doc)
        problem = check_dct(dct)
        if problem is not None:
            return Extraction(dct=dct, error=f"{doc.doc_id}: cannot resolve dates: {problem}")
        chrome = SortedRanges(chrome_mask(text))
        tagged = [
            TimexSpan(t.start, t.end, t.text)
            for t in find_timexes(text)
            if not chrome.overlaps(t.start, t.end)
        ]
        timexes = resolve_timexes(doc, tagged, dct, self.resolver)
        starts = [t.start for t in timexes]  # sorted by start: sentences bisect them
        claims = []
        n_sentences = n_fragments = 0
        for s_start, s_end in sentence_spans(text):
            if chrome.overlaps(s_start, s_end):
                continue
            n_sentences += 1
            sentence = text[s_start:s_end]
            if sentence_kind(sentence, int(self.config["min_words"])) != "text":
                n_fragments += 1
                continue
            cand = analyse_sentence(sentence, self.config)
            if cand is None:
                continue
            start, end = trim_span(text, s_start + cand.start, s_start + cand.end)
            if end - start < 2:
                continue
            in_sentence = within(timexes, starts, s_start, s_end)
            claims.append(self._claim(doc, in_sentence, cand, start, end, s_start, s_end))
        return Extraction(
            claims=tuple(claims),
            timexes=timexes,
            dct=dct,
            usage={"sentences": n_sentences, "fragments": n_fragments, "dct_source": dct_source},
        )

    def _claim(
        self,
        doc: Document,
        in_sentence: list[PredictedTimex],
        cand: Candidate,
        start: int,
        end: int,
        s_start: int,
        s_end: int,
    ) -> PredictedClaim:
        text = doc.text
        report_time = [
            (t.start, t.end) for t in in_sentence if attached_to_reporting_verb(text, t, s_start)
        ]
        when = choose_date(
            text, in_sentence, start, end, report_time, bool(self.config["report_time_fallback"])
        )
        group = _CONFIDENCE_GROUP[cand.cue]
        return PredictedClaim(
            doc_id=doc.doc_id,
            text=text[start:end],
            start=start,
            end=end,
            claimant=cand.claimant,
            date=when.value if when else None,
            date_text=when.text if when else None,
            confidence=float(self.config["confidence"][group]),
        )


__all__ = ["DEFAULTS", "RegexExtractor", "analyse_sentence"]
