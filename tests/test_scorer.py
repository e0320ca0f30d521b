"""Scorer invariants: gold scores 1.0, order independence, nothing is gameable, thresholds."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.extraction.api import PredictedClaim
from harness.extraction.predictions import Predictions
from harness.scoring.match import get_mode
from harness.scoring.score import ScoreConfig, compare, score, summarize
from tests.conftest import gold_as_predictions

CLAIM_KEYS = ("precision", "recall", "f1", "date_accuracy", "date_accuracy_relaxed", "date_recall",
              "claimant_accuracy")  # fmt: skip


def _overall(corpus, preds, mode="span", resamples=50):
    config = ScoreConfig(get_mode(mode), n_resamples=resamples)
    return summarize(score(corpus, preds, config), config, {})


@pytest.mark.parametrize("mode", ["span", "sentence", "text"])
def test_gold_as_predictions_scores_one_everywhere(gold_corpus, mode):
    s = _overall(gold_corpus, gold_as_predictions(gold_corpus), mode)
    for key in CLAIM_KEYS:
        assert s["overall"][key] == 1.0, key
    for doc in s["per_document"].values():
        assert doc["f1"] == 1.0
    assert s["timex"]["overall"]["value_f1"] == 1.0


def test_no_predictions_gives_recall_zero_and_flags_zero_division(gold_corpus):
    s = _overall(gold_corpus, Predictions({d: () for d in gold_corpus.doc_ids}))
    assert s["overall"]["recall"] == 0.0
    assert s["overall"]["precision"] == 0.0
    assert "precision" in s["overall"]["zero_division"]
    assert s["overall"]["date_accuracy"] is None and s["overall"]["n_dated"] == 0
    assert s["timex"]["status"] == "not run: no timex predictions"


def test_prediction_order_does_not_change_any_number(gold_corpus):
    preds = gold_as_predictions(gold_corpus)
    rng = random.Random(7)
    shuffled = {}
    for d, claims in preds.claims.items():
        lst = [dataclasses.replace(c, start=c.start + 2, end=c.end) for c in claims][::2]
        shuffled[d] = tuple(lst)
    a = _overall(gold_corpus, Predictions(shuffled))
    b = _overall(
        gold_corpus, Predictions({d: tuple(rng.sample(v, len(v))) for d, v in shuffled.items()})
    )
    a["signature"] = b["signature"] = None
    assert a == b


def test_repeating_a_prediction_many_times_does_not_raise_recall(gold_corpus):
    doc = gold_corpus.documents[0]
    c = doc.claims[0]
    one = PredictedClaim(doc.doc_id, c.text, c.start, c.end)
    base = _overall(gold_corpus, Predictions({doc.doc_id: (one,)}))
    many = _overall(gold_corpus, Predictions({doc.doc_id: (one,) * 20}))
    assert many["overall"]["tp"] == base["overall"]["tp"] == 1
    assert many["overall"]["recall"] == base["overall"]["recall"]
    assert many["overall"]["precision"] < base["overall"]["precision"]


@pytest.mark.parametrize("mode", ["span", "sentence", "text"])
def test_whole_document_prediction_matches_nothing(gold_corpus, mode):
    preds = {d.doc_id: (PredictedClaim(d.doc_id, d.text, 0, len(d.text)),) for d in gold_corpus}
    s = _overall(gold_corpus, Predictions(preds), mode)
    assert s["overall"]["tp"] == 0


def test_a_span_shifted_by_a_few_characters_still_matches(gold_corpus):
    preds = {
        d.doc_id: tuple(
            PredictedClaim(d.doc_id, c.text, max(0, c.start - 3), min(len(d.text), c.end + 3))
            for c in d.claims
        )
        for d in gold_corpus
    }
    s = _overall(gold_corpus, Predictions(preds))
    assert s["overall"]["recall"] >= 0.97


def test_threshold_is_inclusive_and_a_stricter_one_drops_the_pair(mini_corpus):
    doc = mini_corpus.get("m1")
    c = doc.claims[0]
    # "Kim will visit Russia in the coming days, the Kremlin said": span F1 16/19 = 0.842
    end = doc.text.index(" on Monday")
    p = Predictions({"m1": (PredictedClaim("m1", c.text, c.start, end),), "m2": ()})
    for threshold, expected in ((16 / 19, 1), (0.85, 0)):
        config = ScoreConfig(get_mode("span", threshold), n_resamples=10)
        assert summarize(score(mini_corpus, p, config), config, {})["overall"]["tp"] == expected


def test_get_mode_rejects_unknown_modes_and_thresholds_outside_zero_one():
    with pytest.raises(KeyError, match="unknown matching mode"):
        get_mode("fuzzy")
    with pytest.raises(ValueError, match=r"threshold must be in \[0, 1\]"):
        get_mode("span", 1.5)


spans = st.lists(st.tuples(st.integers(0, 150), st.integers(1, 60)), max_size=12)


@settings(max_examples=40, deadline=None)
@given(raw=spans)
def test_property_scores_are_bounded_and_tp_never_exceeds_either_side(mini_corpus, raw):
    doc = mini_corpus.get("m1")
    n = len(doc.text)
    preds = tuple(
        PredictedClaim("m1", "x", min(s, n - 1), min(n, min(s, n - 1) + w)) for s, w in raw
    )
    s = _overall(mini_corpus, Predictions({"m1": preds, "m2": ()}), resamples=5)
    o = s["overall"]
    assert 0 <= o["tp"] <= min(o["n_pred"], o["n_gold"])
    for k in ("precision", "recall", "f1"):
        assert 0.0 <= o[k] <= 1.0
    # the duplicates of any prediction never add a match
    dup = _overall(mini_corpus, Predictions({"m1": preds + preds, "m2": ()}), resamples=5)
    assert dup["overall"]["tp"] == o["tp"]


def test_comparison_says_not_significant_on_five_documents(gold_corpus):
    config = ScoreConfig(get_mode("span"), n_resamples=200, ar_trials=1000)
    gold = score(gold_corpus, gold_as_predictions(gold_corpus), config, "gold")
    none = score(gold_corpus, Predictions({d: () for d in gold_corpus.doc_ids}), config, "none")
    comp = compare([gold, none], config)
    f1 = next(r for r in comp["comparisons"] if r["metric"] == "f1")
    assert f1["randomization_exact"] is True
    assert f1["p_randomization"] == pytest.approx(2 / 32)  # the smallest possible with 5 units
    assert f1["verdict"] == "not significant"


@pytest.mark.parametrize("mode", ["span", "sentence", "text"])
def test_matches_at_equals_rematching_each_subset(gold_corpus, mode):
    """The confidence curve's sliced matrices give exactly the pairs of a fresh match."""
    from harness.scoring.confidence import matches_at
    from harness.scoring.match import TextSimilarity, match_document

    rng = random.Random(7)
    m = get_mode(mode)
    for doc in gold_corpus.claim_documents:
        preds = []
        for g in doc.claims:
            for _ in range(4):  # jittered copies, some identical (repeats), some spanless
                s = max(0, g.start + rng.randint(-15, 15))
                e = min(len(doc.text), max(s + 1, g.end + rng.randint(-15, 15)))
                spanless = rng.random() < 0.2
                preds.append(
                    PredictedClaim(
                        doc_id=doc.doc_id,
                        text=g.text if rng.random() < 0.5 else doc.text[s:e],
                        start=None if spanless else s,
                        end=None if spanless else e,
                    )
                )
        preds += preds[::3]  # exact repeats: only the first may match
        sim = TextSimilarity.for_corpus(gold_corpus)
        count = matches_at(doc, preds, m, sim)
        for _ in range(6):
            kept = sorted(rng.sample(range(len(preds)), rng.randint(0, len(preds))))
            expected = len(match_document(doc, [preds[i] for i in kept], m, sim).pairs)
            assert count(kept) == expected


@pytest.mark.parametrize("mode", ["span", "sentence", "text"])
def test_claims_only_gives_the_same_claim_scores_and_says_what_it_left_out(gold_corpus, mode):
    """The modes table's scoring: the same claim counts, claim units and overall block (intervals
    included) as a whole score, no log record, and the curve and the timex track marked as not
    asked for."""
    from harness.scoring.score import NOT_ASKED

    rng = random.Random(7)
    claims = {
        d.doc_id: [
            dataclasses.replace(p, confidence=rng.random(), start=p.start + rng.randint(0, 3))
            for p in gold_as_predictions(gold_corpus).claims_for(d.doc_id)[::2]
        ]
        for d in gold_corpus
    }
    timexes = gold_as_predictions(gold_corpus).timexes
    preds = Predictions(claims, timexes)
    cfg = ScoreConfig(get_mode(mode), n_resamples=50, similarity=None)
    whole = score(gold_corpus, preds, cfg)
    logged: list = []
    only = score(gold_corpus, preds, cfg, log=logged.append, claims_only=True)
    assert only.claim_counts == whole.claim_counts
    assert logged == [] and only.instances == [] and len(whole.instances) > 0  # counts alone
    u, w = only.claim_units, whole.claim_units  # the claim bootstrap's units
    assert np.array_equal(u.distinct, w.distinct) and np.array_equal(u.counts, w.counts)
    a, b = summarize(whole, cfg, {}), summarize(only, cfg, {})
    assert b["overall"] == a["overall"] and b["per_outlet"] == a["per_outlet"]
    assert a["confidence_curve"]["status"] == "run" and a["timex"]["status"] == "scored"
    assert b["confidence_curve"] == {"status": NOT_ASKED}
    assert b["timex"] == {"status": NOT_ASKED}
    none = summarize(score(gold_corpus, Predictions(claims, None), cfg, claims_only=True), cfg, {})
    assert none["timex"] == {"status": "not run: no timex predictions"}


def _timex_counts_by_row(doc, preds):
    """score_timexes's relaxed partner by its definition, one gold timex at a time: the
    overlapping prediction with the largest overlap, the earliest start, the earliest end, the
    first in the file."""
    from harness.gold import timex as tx

    out = {"relaxed_gold": 0, "value_correct": 0, "type_correct": 0}
    for g in doc.timexes:
        over = [(min(g.end, p.end) - max(g.start, p.start), -p.start, -p.end, -k)
                for k, p in enumerate(preds)]  # fmt: skip
        hits = [o for o in over if o[0] > 0]
        if not hits:
            continue
        best = preds[-max(hits)[3]]
        out["relaxed_gold"] += 1
        out["value_correct"] += int(tx.equal(best.value, g.value))
        out["type_correct"] += int(best.type == g.type)
    return out


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_each_gold_timexs_relaxed_partner_is_the_one_its_definition_names(gold_corpus, data):
    from harness.extraction.api import PredictedTimex
    from harness.scoring.score import score_timexes

    doc = gold_corpus.documents[data.draw(st.integers(0, len(gold_corpus.documents) - 1))]
    golds = doc.timexes[:8]
    doc = dataclasses.replace(doc, timexes=golds)
    preds = []
    for _ in range(data.draw(st.integers(0, 10))):
        g = data.draw(st.sampled_from(golds))
        s = max(0, g.start + data.draw(st.integers(-6, 6)))
        e = max(s + 1, g.end + data.draw(st.integers(-6, 6)))
        value = data.draw(st.sampled_from([g.value, "2019-04-25", None]))
        kind = data.draw(st.sampled_from([g.type, "DATE", None]))
        preds.append(PredictedTimex(doc.doc_id, s, e, doc.text[s:e], kind, value))
    got = score_timexes(doc, preds)
    want = _timex_counts_by_row(doc, preds)
    assert {k: got[k] for k in want} == want


def test_timex_counts_cover_every_document_in_corpus_order_claims_annotated_or_not(gold_corpus):
    """The claim pass counts the timexes of the documents it reads and the timex track reads only
    the others (claims: null): every document still gets the counts score_timexes gives it, in
    the corpus's order, as one pass over every document gave them."""
    from harness.scoring.score import score_timexes

    docs = [
        d if k % 2 else dataclasses.replace(d, claims=(), claims_annotated=False)
        for k, d in enumerate(gold_corpus.documents)
    ]
    corpus = dataclasses.replace(gold_corpus, documents=tuple(docs), hash="mixed claims")
    gold = gold_as_predictions(corpus)
    preds = Predictions(
        {d.doc_id: gold.claims_for(d.doc_id) for d in docs},
        {d.doc_id: gold.timexes_for(d.doc_id)[::2] for d in docs},  # half the timexes found
    )
    cfg = ScoreConfig(get_mode("span"), n_resamples=10)
    result = score(corpus, preds, cfg)
    assert 0 < len(corpus.claim_doc_ids) < len(docs)
    assert list(result.timex_counts) == [d.doc_id for d in docs]
    assert [result.timex_counts[d.doc_id] for d in docs] == [
        score_timexes(d, preds.timexes_for(d.doc_id)) for d in docs
    ]
    assert any(c["n_pred"] < c["n_gold"] for c in result.timex_counts.values())
