"""The confidence curve's one-sweep computation equals its definition (a fresh match per threshold).

:func:`confidence_curve_reference` re-matches the kept predictions at every distinct confidence;
:func:`confidence_curve` enters each deduplication key once, at its highest confidence, and matches
only the per-gold candidate lists. Hypothesis draws documents whose gold spans overlap or repeat
and predictions from small pools of spans, texts and confidences, so that repeats, equal
similarities and equal confidences are common.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.extraction.api import PredictedClaim
from harness.extraction.predictions import Predictions
from harness.gold.corpus import Corpus
from harness.scoring.confidence import confidence_curve, confidence_curve_reference, doc_curve
from harness.scoring.match import TextSimilarity, get_mode

CONFIDENCES = (0.1, 0.25, 0.5, 0.5 + 1e-13, 0.7, 0.9, 1.0)
TEXTS = ("the minister said prices will rise", "prices will rise", "an unrelated sentence", "")


@st.composite
def case(draw, corpus):
    """A corpus of the mini documents with drawn gold spans, and drawn predictions on it."""
    docs, claims = [], {}
    for doc in corpus.documents:
        n = len(doc.text)
        golds = []
        for k in range(draw(st.integers(1, 4))):
            base = doc.claims[k % len(doc.claims)]
            s = draw(st.integers(0, n - 2))
            e = draw(st.integers(s + 1, min(n, s + 60)))
            golds.append(replace(base, id=f"g{k}", start=s, end=e))
        if draw(st.booleans()):  # a gold claim repeated: equal similarities in two rows
            golds.append(replace(golds[0], id="again"))
        docs.append(replace(doc, claims=tuple(golds)))
        spans = [(g.start, g.end) for g in golds]
        spans += [(max(0, s + d), min(n, e + d)) for s, e in spans for d in (-3, 4)]
        spans = [(s, e) for s, e in spans if s < e]
        preds = []
        for _ in range(draw(st.integers(0, 14))):
            spanless = draw(st.integers(0, 4)) == 0
            s, e = draw(st.sampled_from(spans))
            text = draw(st.sampled_from((*TEXTS, doc.text[s:e])))
            preds.append(
                PredictedClaim(
                    doc.doc_id,
                    text,
                    None if spanless else s,
                    None if spanless else e,
                    confidence=draw(st.sampled_from(CONFIDENCES)),
                )
            )
        claims[doc.doc_id] = tuple(preds)
    return Corpus(tuple(docs), path=corpus.path), Predictions(claims)


@pytest.mark.parametrize("mode", ["span", "sentence", "text"])
def test_sweep_equals_rematching_at_every_threshold(mini_corpus, mode):
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def check(data):
        corpus, preds = data.draw(case(mini_corpus))
        m = get_mode(mode)
        for dev in (None, ["m1"]):
            assert confidence_curve(corpus, preds, m, dev) == confidence_curve_reference(
                corpus, preds, m, dev
            )

    check()


@pytest.mark.parametrize("mode", ["span", "sentence", "text"])
def test_sweep_equals_rematching_on_jittered_copies_of_the_seed_gold(gold_corpus, mode):
    """The shape of scripts/gen_predictions.py (the matcher's worst case), at a small size."""
    rng = random.Random(3)
    claims = {}
    for doc in gold_corpus.claim_documents:
        preds = []
        for _ in range(12):
            for g in doc.claims:
                s = max(0, g.start + rng.randint(-20, 20))
                e = min(len(doc.text), max(s + 1, g.end + rng.randint(-20, 20)))
                spanless = rng.random() < 0.1
                preds.append(
                    PredictedClaim(
                        doc.doc_id,
                        g.text if rng.random() < 0.5 else doc.text[s:e],
                        None if spanless else s,
                        None if spanless else e,
                        confidence=round(rng.random(), 2),
                    )
                )
        claims[doc.doc_id] = tuple(preds)
    preds = Predictions(claims)
    m = get_mode(mode)
    dev = list(gold_corpus.doc_ids[:2])
    fast = confidence_curve(gold_corpus, preds, m, dev)
    assert fast == confidence_curve_reference(gold_corpus, preds, m, dev)
    assert fast["held_out_at_best"]["n_pred"] > 0  # the held-out branch ran on real points


@pytest.mark.parametrize("mode", ["span", "sentence", "text"])
def test_the_weights_the_one_to_one_match_keeps_give_the_same_sweep(mini_corpus, mode):
    """doc_curve from the key weights match_document computed (the set-level pass hands them
    on) equals doc_curve computing its own: repeats, spanless predictions and ties included."""
    import numpy as np

    from harness.scoring.match import match_document

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def check(data):
        corpus, preds = data.draw(case(mini_corpus))
        m, sim = get_mode(mode), TextSimilarity.for_corpus(corpus)
        for doc in corpus.documents:
            claims = preds.claims_for(doc.doc_id)
            kept: list = []
            match_document(doc, claims, m, sim, key_weights=kept)
            assert len(kept) == (1 if claims else 0)
            if not kept:
                continue
            own, given_ = (
                doc_curve(doc, claims, m, sim),
                doc_curve(doc, claims, m, sim, key_weights=kept[0]),
            )
            for name in ("entries", "tp", "confidences"):
                assert np.array_equal(getattr(own, name), getattr(given_, name)), name
            assert (own.n_gold, own.missing) == (given_.n_gold, given_.missing)

    check()


def test_key_weights_of_another_shape_are_refused(mini_corpus):
    import numpy as np

    doc = mini_corpus.get("m1")
    g = doc.claims[0]
    preds = [PredictedClaim("m1", g.text, g.start, g.end, confidence=0.5)]
    wrong = (np.zeros((len(doc.claims), 2), dtype=bool), np.zeros((len(doc.claims), 2)))
    with pytest.raises(ValueError, match="m1: key weights of shape"):
        doc_curve(doc, preds, get_mode("span"), TextSimilarity.for_corpus(mini_corpus),
                  key_weights=wrong)  # fmt: skip


def test_a_key_enters_once_at_its_highest_confidence(mini_corpus):
    """Three copies of one span count once, from the highest of their confidences on."""
    doc = mini_corpus.get("m1")
    g = doc.claims[0]
    preds = [PredictedClaim("m1", g.text, g.start, g.end, confidence=c) for c in (0.2, 0.9, 0.5)]
    part = doc_curve(doc, preds, get_mode("span"), TextSimilarity.for_corpus(mini_corpus))
    assert part.entries.tolist() == [0.9]
    assert part.tp.tolist() == [1]
    assert sorted(part.confidences.tolist()) == [0.2, 0.5, 0.9]


def _curve_seconds(n_docs: int) -> float:
    """Best of three timings of the curve block over ``n_docs`` one-claim documents."""
    import time

    import numpy as np

    from harness.scoring.confidence import DocCurve, curve_from_documents

    parts = {
        f"d{i}": DocCurve(f"d{i}", 1, np.array([0.5]), np.array([1]), np.array([0.5, 0.25]))
        for i in range(n_docs)
    }
    docs = list(parts)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        curve_from_documents(parts, docs, get_mode("span"))
        best = min(best, time.perf_counter() - t0)
    return best


def test_the_curve_block_grows_linearly_with_the_documents():
    # it once rebuilt the set of dev documents for every document: 10x the documents cost 100x
    # (14 s of a 10,000-article evaluate); a linear block costs about 10x, so 30x is the limit
    small, large = _curve_seconds(1_000), _curve_seconds(10_000)
    assert large / small < 30, f"{large:.3f} s on 10,000 documents, {small:.4f} s on 1,000"
