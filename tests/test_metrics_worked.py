"""The worked examples of METRICS.md, number for number (hand-computed there)."""

from __future__ import annotations

import pytest

from harness.extraction.predictions import read_predictions
from harness.scoring.match import get_mode
from harness.scoring.score import ScoreConfig, score, summarize
from tests.conftest import MINI


@pytest.fixture(scope="module")
def damaged(mini_corpus):
    config = ScoreConfig(get_mode("span"), n_resamples=200)
    preds = read_predictions(MINI / "damaged.jsonl", {d.doc_id: d.text for d in mini_corpus})
    result = score(mini_corpus, preds, config, "damaged")
    return summarize(result, config, {}), result


def test_micro_counts_and_ratios_equal_the_hand_computation(damaged):
    o = damaged[0]["overall"]
    assert (o["n_gold"], o["n_pred"], o["tp"]) == (6, 9, 5)
    assert o["precision"] == pytest.approx(5 / 9, abs=1e-6)
    assert o["recall"] == pytest.approx(5 / 6, abs=1e-6)
    assert o["f1"] == pytest.approx(10 / 15, abs=1e-6)


def test_per_document_and_macro_scores_equal_the_hand_computation(damaged):
    s = damaged[0]
    m1, m2 = s["per_document"]["m1"], s["per_document"]["m2"]
    assert (m1["precision"], m1["recall"], m1["f1"]) == pytest.approx((0.5, 2 / 3, 4 / 7), abs=1e-6)
    assert (m2["precision"], m2["recall"], m2["f1"]) == pytest.approx((0.6, 1.0, 0.75), abs=1e-6)
    assert s["macro"]["f1"] == pytest.approx((4 / 7 + 0.75) / 2, abs=1e-6)
    assert s["macro"]["precision"] == pytest.approx(0.55, abs=1e-6)


def test_date_metrics_equal_the_hand_computation(damaged):
    o = damaged[0]["overall"]
    assert (o["n_dated"], o["n_dated_gold"]) == (4, 4)
    assert o["date_accuracy"] == pytest.approx(0.25)
    assert o["date_accuracy_relaxed"] == pytest.approx(0.5)
    assert o["date_recall"] == pytest.approx(0.25)
    assert damaged[0]["macro"]["date_accuracy"] == pytest.approx(0.25)


def test_claimant_accuracy_equals_the_hand_computation(damaged):
    assert damaged[0]["overall"]["claimant_accuracy"] == pytest.approx(0.6)
    assert damaged[0]["macro"]["claimant_accuracy"] == pytest.approx((1 + 1 / 3) / 2, abs=1e-6)


def test_each_prediction_gets_the_verdict_worked_out_in_metrics_md(damaged):
    _, result = damaged
    gold = {(r["doc_id"], r["id"]): r for r in result.instances if r["kind"] == "gold"}
    preds = [r for r in result.instances if r["kind"] == "prediction"]
    assert gold["m1", "c1"]["similarity"] == pytest.approx(16 / 19, abs=1e-6)
    assert gold["m1", "c1"]["date_verdict"] == "relaxed"
    assert gold["m1", "c2"]["similarity"] == pytest.approx(14 / 15, abs=1e-6)
    assert gold["m1", "c2"]["date_verdict"] == "correct"
    assert not gold["m1", "c3"]["matched"]
    assert gold["m2", "c1"]["date_verdict"] == "wrong"
    assert gold["m2", "c1"]["claimant_correct"] is False
    assert gold["m2", "c2"]["similarity"] == pytest.approx(8 / 10, abs=1e-6)
    assert gold["m2", "c2"]["date_verdict"] == "missing"
    assert gold["m2", "c3"]["basis"] == "text"
    whole = next(p for p in preds if p["doc_id"] == "m1" and p["text"] == "The whole article.")
    assert not whole["matched"] and whole["nearest_similarity"] == pytest.approx(16 / 37, abs=1e-6)
    assert sum(p["duplicate"] for p in preds) == 1


def test_timex_track_equals_the_te3_hand_computation(damaged):
    t = damaged[0]["timex"]["overall"]
    assert (t["strict_precision"], t["strict_recall"]) == pytest.approx((0.5, 0.4))
    assert t["strict_f1"] == pytest.approx(2 * 0.5 * 0.4 / 0.9, abs=1e-6)
    assert (t["relaxed_precision"], t["relaxed_recall"]) == pytest.approx((0.75, 0.6))
    assert t["value_accuracy"] == pytest.approx(2 / 3, abs=1e-6)
    assert t["value_f1"] == pytest.approx(2 / 3 * (2 * 0.75 * 0.6 / 1.35), abs=1e-6)
    assert t["type_accuracy"] == 1.0


def test_sentence_mode_boundary_half_overlap_matches_and_a_third_does_not(mini_corpus):
    from harness.gold.text import sentence_spans
    from harness.scoring.match import sentence_jaccard

    doc = mini_corpus.get("m1")
    s = sentence_spans(doc.text)
    assert len(s) == 3
    gold = (doc.claims[1].start, doc.claims[1].end)  # in sentence 2
    two = (s[1][0], s[2][1])
    three = (s[0][0], s[2][1])
    assert sentence_jaccard(doc.text, gold, two) == 0.5
    assert sentence_jaccard(doc.text, gold, three) == pytest.approx(1 / 3)
