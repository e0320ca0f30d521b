"""Set-level scores (METRICS.md §7), similarity strategies and their registry, confidence curves.

Every number asserted here is worked out by hand in METRICS.md §7.
"""

from __future__ import annotations

import socket

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.extraction.api import PredictedClaim
from harness.extraction.predictions import read_predictions
from harness.scoring.match import get_mode
from harness.scoring.setlevel import (
    SET_COUNTS,
    confidence_curve,
    fact_recall_across,
    score_sets,
    set_match,
    set_metrics,
    summarize_sets,
)
from harness.scoring.similarity import (
    CORE,
    SimilarityUnavailable,
    TextSimilarity,
    available_names,
    get_similarity,
    load_similarity_class,
)
from harness.scoring.validation import gold_pairs, validate_against_gold
from tests.conftest import MINI


def _read(corpus, name):
    return read_predictions(MINI / name, {d.doc_id: d.text for d in corpus})


@pytest.fixture(scope="module")
def damaged_sets(mini_corpus):
    sim = get_similarity("token-f1", mini_corpus)
    result = score_sets(mini_corpus, _read(mini_corpus, "damaged.jsonl"), sim, get_mode("span"))
    return result, summarize_sets(result, 200, 12345)


# --- §7.1 Focus, Coverage, F_fact, redundancy with token F1 on damaged.jsonl ------------------


def test_focus_and_coverage_on_damaged_equal_the_hand_computation(damaged_sets):
    _, s = damaged_sets
    o = s["overall"]
    assert (o["n_pred"], o["focused"], o["n_gold"], o["covered"]) == (9, 4, 6, 4)
    assert o["focus"] == pytest.approx(4 / 9, abs=1e-6)
    assert o["coverage"] == pytest.approx(4 / 6, abs=1e-6)
    assert o["f_fact"] == pytest.approx(8 / 15, abs=1e-6)
    assert (o["redundant"], o["redundancy"]) == (0, 0.0)
    m1 = s["per_document"]["m1"]
    assert (m1["focus"], m1["coverage"]) == pytest.approx((0.5, 2 / 3), abs=1e-6)
    assert s["macro"]["focus"] == pytest.approx((0.5 + 0.4) / 2, abs=1e-6)


def test_a_span_repeat_is_never_focused_and_a_spanless_prediction_scores_zero_by_span(
    damaged_sets,
):
    result, _ = damaged_sets
    preds = {
        (r["doc_id"], r["index"]): r for r in result.instances if r["kind"] == "set-prediction"
    }
    # p4 (index 3 of m1) repeats p2's span: a repeat, not focused, although it is 14/15 from c2
    assert preds["m1", 3]["repeat"] and not preds["m1", 3]["focused"]
    assert preds["m1", 3]["similarity"] == pytest.approx(14 / 15, abs=1e-6)
    # p7 "Analysts expect no deal." has no span: token F1 cannot see it
    assert preds["m2", 2]["similarity"] == 0.0 and not preds["m2", 2]["focused"]
    # p3, the whole document: 16/37 against c1 (and c2), below 0.5
    assert preds["m1", 2]["similarity"] == pytest.approx(16 / 37, abs=1e-6)
    gold = {(r["doc_id"], r["id"]): r for r in result.instances if r["kind"] == "set-gold"}
    assert gold["m1", "c3"]["similarity"] == pytest.approx(12 / 35, abs=1e-6)
    assert gold["m2", "c3"]["similarity"] == pytest.approx(2 / 9, abs=1e-6)
    assert not gold["m1", "c3"]["covered"] and gold["m2", "c2"]["covered"]


def test_fact_recall_per_article_and_across_articles_on_damaged(damaged_sets):
    _, s = damaged_sets
    o = s["overall"]
    assert (o["fact_units"], o["facts_found"]) == (6, 4)
    assert o["fact_recall_article"] == pytest.approx(4 / 6, abs=1e-6)
    assert (o["n_facts"], o["n_facts_found"]) == (5, 3)
    assert o["fact_recall_across"] == pytest.approx(3 / 5, abs=1e-6)


def test_fact_matrix_rows_hold_each_documents_facts_present_then_found(damaged_sets, mini_corpus):
    """The facts are numbered as the pass meets them and put in sorted columns at the end: each
    row has a 1 in the "present" column of every fact of its document's gold, and in the "found"
    column of as many of those as its facts_found count says, and nowhere else."""
    from harness.scoring.setlevel import fact_ids

    result, _ = damaged_sets
    facts, m = result.facts, result.fact_matrix.toarray()
    assert facts == sorted({f for d in mini_corpus.claim_documents for f in fact_ids(d)})
    for row, doc in enumerate(mini_corpus.claim_documents):
        present = m[row, : len(facts)]
        found = m[row, len(facts) :]
        assert {facts[k] for k in np.flatnonzero(present)} == set(fact_ids(doc))
        assert set(np.unique(m[row])) <= {0.0, 1.0} and not (found > present).any()
        assert found.sum() == result.counts[doc.doc_id]["facts_found"]


def test_intervals_exist_for_every_set_metric_and_contain_the_estimate(damaged_sets):
    _, s = damaged_sets
    ci = s["overall"]["ci"]["document_bootstrap"]
    for k in ("focus", "coverage", "f_fact", "fact_recall_article", "fact_recall_across"):
        lo, hi = ci[k]
        value = s["overall"][k]
        assert lo <= value + 1e-9 and value - 1e-9 <= hi, k


def test_claim_units_of_damaged_are_the_hand_listed_rows_and_sum_to_the_counts(damaged_sets):
    result, s = damaged_sets
    rows = np.asarray(result.units)
    u = dict(zip(SET_COUNTS, rows.T, strict=True))
    # 6 gold-claim rows, 9 prediction rows, 6 (article, fact) rows: METRICS.md §7.1
    assert rows.shape == result.units.shape == (21, len(SET_COUNTS))
    assert (u["n_gold"].sum(), u["covered"].sum()) == (6, 4)
    assert (u["n_pred"].sum(), u["focused"].sum(), u["redundant"].sum()) == (9, 4, 0)
    assert (u["fact_units"].sum(), u["facts_found"].sum()) == (6, 4)
    # each row is one kind of unit only
    kinds = (u["n_gold"] > 0).astype(int) + (u["n_pred"] > 0) + (u["fact_units"] > 0)
    assert (kinds == 1).all()
    # claimant counts ride on the gold claim of each one-to-one pair, never on a prediction row
    assert u["pairs"][u["n_gold"] > 0].sum() == s["overall"]["pairs"] == 5
    assert u["pairs"][u["n_gold"] == 0].sum() == 0
    assert np.array_equal(result.units.sum(0), result.doc_matrix().sum(0))
    assert result.fact_units().tolist() == [[1, 1], [1, 0], [1, 1], [1, 0], [1, 1]]
    # claimant token F1 over the five pairs of METRICS.md §2: 1, 1, 0, 0, 1
    o = s["overall"]
    assert (o["claimant_f1_sum"], o["claimant_token_f1"]) == (3.0, 0.6)
    assert (o["author_pred"], o["author_gold"], o["author_both"]) == (1, 3, 1)
    assert (o["author_precision"], o["author_recall"], o["author_f1"]) == pytest.approx(
        (1.0, 1 / 3, 0.5), abs=1e-6
    )


def test_claim_bootstrap_intervals_exist_beside_the_document_ones(damaged_sets):
    _, s = damaged_sets
    ci = s["overall"]["ci"]
    assert ci["method"] == {"document_bootstrap": "index", "claim_bootstrap": "multinomial"}
    keys = {"focus", "coverage", "f_fact", "fact_recall_article", "claimant_token_f1",
            "fact_recall_across"}  # fmt: skip
    assert set(ci["claim_bootstrap"]) == set(ci["document_bootstrap"]) == keys
    for k in keys:
        lo, hi = ci["claim_bootstrap"][k]
        assert lo <= s["overall"][k] + 1e-9 and s["overall"][k] - 1e-9 <= hi, k
    # 21 units resampled: an interval strictly wider than the two-document one for Focus
    doc_lo, doc_hi = ci["document_bootstrap"]["focus"]
    lo, hi = ci["claim_bootstrap"]["focus"]
    assert lo < doc_lo and hi > doc_hi


def test_document_intervals_are_those_of_one_bootstrap_per_metric(damaged_sets):
    """Computing all set-level intervals from one set of resamples leaves each one unchanged."""
    from harness.scoring import stats

    result, s = damaged_sets
    doc = s["overall"]["ci"]["document_bootstrap"]
    for k in ("focus", "coverage", "f_fact"):
        alone = stats.bootstrap_ci(result.doc_matrix(), lambda x, k=k: set_metrics(x)[k], 200)
        assert tuple(doc[k]) == alone, k


def test_redundancy_counts_every_focused_prediction_after_the_best_per_gold_claim(mini_corpus):
    doc = mini_corpus.get("m1")
    preds = [PredictedClaim("m1", t) for t in ("a", "b", "c")]
    sim = np.array([[0.9, 0.6, 0.0], [0.0, 0.0, 0.7], [0.0, 0.0, 0.0]])
    sm = set_match(doc, preds, sim, 0.5)
    assert sm.focused.tolist() == [True, True, True]
    assert sm.redundant.tolist() == [False, True, False]
    assert sm.covered == (True, True, False)


def test_threshold_is_inclusive(mini_corpus):
    doc = mini_corpus.get("m1")
    preds = [PredictedClaim("m1", "a")]
    sim = np.array([[0.5], [0.0], [0.0]])
    assert set_match(doc, preds, sim, 0.5).focused.tolist() == [True]
    assert set_match(doc, preds, sim, 0.500001).focused.tolist() == [False]


def test_undefined_ratios_follow_the_one_to_one_conventions():
    zero = np.zeros(len(SET_COUNTS))
    m = set_metrics(zero)
    assert (float(m["focus"]), float(m["coverage"]), float(m["f_fact"])) == (0.0, 0.0, 0.0)
    assert np.isnan(m["redundancy"]) and np.isnan(m["claimant_token_f1"])
    assert np.isnan(fact_recall_across(np.zeros(4)))


# --- §7.2 the atomized fixture: many-to-one matching, claimant token F1 -----------------------


@pytest.fixture(scope="module")
def atomized(mini_corpus):
    return _read(mini_corpus, "atomized.jsonl")


def test_atomized_gold_scores_full_focus_and_coverage_with_embeddings(mini_corpus, atomized):
    pytest.importorskip("wordllama")
    sim = get_similarity("wordllama", mini_corpus)
    s = summarize_sets(score_sets(mini_corpus, atomized, sim, get_mode("span")), 200, 12345)
    o = s["overall"]
    assert (o["focus"], o["coverage"], o["f_fact"]) == (1.0, 1.0, 1.0)
    # a1 and a3 are the weaker halves of c1 and c2: redundant by definition
    assert (o["redundant"], o["focused"], o["redundancy"]) == (2, 8, 0.25)
    # every prediction unit is focused and every gold unit covered: every claim resample too
    for k in ("focus", "coverage", "f_fact"):
        assert o["ci"]["claim_bootstrap"][k] == [1.0, 1.0], k
    assert s["similarity"]["name"] == "wordllama"


def test_atomized_gold_loses_precision_under_one_to_one_tfidf(mini_corpus, atomized):
    from harness.scoring.score import ScoreConfig, score, summarize

    config = ScoreConfig(get_mode("text"), n_resamples=50)
    o = summarize(score(mini_corpus, atomized, config), config, {})["overall"]
    assert (o["tp"], o["n_pred"], o["n_gold"]) == (6, 8, 6)
    assert o["precision"] == pytest.approx(0.75)
    assert o["f1"] == pytest.approx(12 / 14, abs=1e-6)


def test_claimant_token_f1_and_author_class_on_atomized_equal_the_hand_computation(
    mini_corpus, atomized
):
    sim = get_similarity("tfidf", mini_corpus)
    o = summarize_sets(score_sets(mini_corpus, atomized, sim, get_mode("span")), 50, 1)["overall"]
    assert o["pairs"] == 6
    # a2 "Kremlin spokesman Dmitry Peskov" vs "the Kremlin": 2*1/(4+1) = 0.4; a5 "Russian
    # officials" vs "officials": 2/3; b2 "the forum's organisers" vs <AUTHOR>: 0; others 1
    assert o["claimant_f1_sum"] == pytest.approx(0.4 + 2 / 3 + 3, abs=1e-6)
    assert o["claimant_token_f1"] == pytest.approx((0.4 + 2 / 3 + 3) / 6, abs=1e-6)
    assert (o["author_pred"], o["author_gold"], o["author_both"]) == (2, 3, 2)
    assert (o["author_precision"], o["author_recall"], o["author_f1"]) == pytest.approx(
        (1.0, 2 / 3, 0.8), abs=1e-6
    )


# --- §7.3 confidence: PR curve, AP, best threshold --------------------------------------------


def test_pr_curve_average_precision_and_best_threshold_equal_the_hand_computation(mini_corpus):
    preds = _read(mini_corpus, "confident.jsonl")
    out = confidence_curve(mini_corpus, preds, get_mode("span"))
    pts = [(p["threshold"], p["tp"], p["n_pred"]) for p in out["points"]]
    assert pts == [(0.9, 1, 1), (0.8, 1, 2), (0.7, 2, 3), (0.6, 3, 4), (0.5, 4, 5), (0.3, 4, 6)]
    assert out["average_precision"] == pytest.approx((1 + 2 / 3 + 3 / 4 + 4 / 5) / 6, abs=1e-6)
    assert out["best_threshold"] == 0.5
    assert out["best_dev"]["f1"] == pytest.approx(8 / 11, abs=1e-6)


def test_best_threshold_is_chosen_on_the_dev_documents_and_reported_on_the_others(mini_corpus):
    preds = _read(mini_corpus, "confident.jsonl")
    out = confidence_curve(mini_corpus, preds, get_mode("span"), dev_docs=["m1"])
    assert out["best_threshold"] == 0.7
    assert out["best_dev"]["f1"] == pytest.approx(4 / 6, abs=1e-6)
    held = out["held_out_at_best"]
    assert out["held_out_documents"] == ["m2"]
    assert (held["tp"], held["n_pred"], held["recall"]) == (0, 0, 0.0)


def test_curve_is_not_run_when_a_prediction_has_no_confidence(mini_corpus):
    out = confidence_curve(mini_corpus, _read(mini_corpus, "damaged.jsonl"), get_mode("span"))
    assert out["status"] == "not run: 9 of 9 predictions carry no confidence"
    with pytest.raises(ValueError, match=r"dev documents not among .*: nope"):
        confidence_curve(
            mini_corpus, _read(mini_corpus, "confident.jsonl"), get_mode("span"), ["nope"]
        )


# --- strategies and registry ------------------------------------------------------------------


def test_every_core_strategy_is_registered_by_name_and_resolves_lazily():
    names = available_names()
    for name, target in CORE.items():
        assert names[name] == target
        assert load_similarity_class(name).name == name


def test_an_unknown_strategy_gets_a_did_you_mean_hint():
    with pytest.raises(KeyError, match="did you mean 'wordllama'"):
        load_similarity_class("wordlama")


def test_core_strategies_reproduce_the_matching_modes_similarities(mini_corpus):
    doc = mini_corpus.get("m1")
    p = [PredictedClaim("m1", "Kim will visit Russia soon.", 0, 58)]
    assert get_similarity("token-f1", mini_corpus).matrix(doc, p)[0, 0] == pytest.approx(16 / 19)
    # the span touches only the first sentence, as c1's evidence does
    assert get_similarity("sentence-jaccard", mini_corpus).matrix(doc, p)[:, 0].tolist() == [
        1.0,
        0.0,
        0.0,
    ]
    same = [PredictedClaim("m1", doc.claims[2].text)]
    assert get_similarity("tfidf", mini_corpus).matrix(doc, same)[2, 0] == pytest.approx(1.0)


def test_wordllama_loads_its_bundled_model_without_any_network_access(monkeypatch, mini_corpus):
    pytest.importorskip("wordllama")
    from harness.scoring import similarity as S

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("HOME", "/nonexistent-home")  # no user cache to fall back on
    S._wordllama_model.cache_clear()
    sim = get_similarity("wordllama", mini_corpus)
    m = sim.text_matrix(["Analysts expect no deal."], ["Analysts expect no deal.", "Rain."])
    assert m[0, 0] == pytest.approx(1.0, abs=1e-5)
    assert m[0, 1] < 0.5
    assert sim.signature()["wordllama"] == S.WORDLLAMA_VERSION


def test_a_strategy_that_cannot_run_says_why(monkeypatch, mini_corpus):
    from harness.scoring import similarity as S

    monkeypatch.setattr(
        S.WordLlamaCosine, "unavailable_reason", classmethod(lambda c, x=None: "no")
    )
    with pytest.raises(SimilarityUnavailable, match="similarity 'wordllama' not run: no"):
        get_similarity("wordllama", mini_corpus)


class _Exact(TextSimilarity):
    name = "exact-test"

    def text_matrix(self, gold, pred):
        return np.array([[float(g == p) for p in pred] for g in gold])


class _SameCluster(TextSimilarity):
    """Says "match" for the one same-cluster pair of the fixture, as the gold does."""

    name = "oracle-test"

    def text_matrix(self, gold, pred):
        visit = ("Kim Jong-un will visit", "Vladimir Putin arrived")
        return np.array(
            [[float(g.startswith(visit) and p.startswith(visit)) for p in pred] for g in gold]
        )


class _Always(TextSimilarity):
    name = "always-test"

    def text_matrix(self, gold, pred):
        return np.ones((len(gold), len(pred)))


def test_validation_pairs_are_labelled_by_the_gold_clusters(mini_corpus):
    pairs = gold_pairs(mini_corpus)
    assert [(a, b) for a, b, lab in pairs if lab] == [(("m1", "c1"), ("m2", "c1"))]
    negatives = [(a, b) for a, b, lab in pairs if not lab]
    # one negative for one positive, drawn from pairs of claims of one article
    assert len(negatives) == 1 and negatives[0][0][0] == negatives[0][1][0]


def test_false_coverage_counts_claims_matched_by_another_fact_of_their_article(mini_corpus):
    # each of the six gold claims has two other-fact claims in its article
    always = validate_against_gold(_Always(mini_corpus), mini_corpus, 0.5)
    assert (always["false_coverage_hits"], always["false_coverage_claims"]) == (6, 6)
    assert always["false_coverage"] == 1.0
    exact = validate_against_gold(_Exact(mini_corpus), mini_corpus, 0.5)
    assert (exact["false_coverage"], exact["false_coverage_hits"]) == (0.0, 0)


def test_validation_kappa_is_one_for_an_oracle_and_zero_for_a_strategy_that_never_matches(
    mini_corpus,
):
    good = validate_against_gold(_SameCluster(mini_corpus), mini_corpus, 0.5)
    assert good["kappa"] == 1.0 and good["agree_match"] == 1 and good["agree_no_match"] == 1
    assert (good["false_coverage"], good["false_coverage_claims"]) == (0.0, 6)
    bad = validate_against_gold(_Exact(mini_corpus), mini_corpus, 0.5)
    assert bad["kappa"] == 0.0 and bad["said_no_match_gold_match"] == 1
    spans = validate_against_gold(get_similarity("token-f1", mini_corpus), mini_corpus, 0.5)
    assert spans["status"].startswith("not applicable")


def test_set_records_read_back_by_index_slice_and_document_run(damaged_sets, mini_corpus):
    """The compact set-level records: each index, negative index and slice gives the same dict
    as iteration, each document's run holds its gold records and then its predictions, and an
    empty record set has no runs."""
    from harness.scoring.setlevel import SetInstances

    result, _ = damaged_sets
    recs = list(result.instances)
    assert len(recs) == len(result.instances) == 6 + 9
    assert result.instances[-1] == recs[-1] and result.instances[2:5] == recs[2:5]
    for doc in mini_corpus.claim_documents:
        start, stop = result.instances.runs()[doc.doc_id]
        kinds = [r["kind"] for r in recs[start:stop]]
        n_g = len(doc.claims)
        assert kinds == ["set-gold"] * n_g + ["set-prediction"] * (stop - start - n_g)
        assert {r["doc_id"] for r in recs[start:stop]} == {doc.doc_id}
    with pytest.raises(IndexError):
        result.instances[len(recs)]
    empty = SetInstances()
    assert len(empty) == 0 and empty.runs() == {} and list(empty) == []


def test_set_match_reads_repeated_columns_as_the_whole_matrix(mini_corpus):
    """ColumnSims (distinct columns plus an index) gives the verdicts of the expanded matrix,
    ties and repeats included."""
    from harness.scoring.similarity import ColumnSims

    doc = mini_corpus.get("m1")
    rng = np.random.default_rng(5)
    texts = ["a", "b", "c", "d"]
    preds = [PredictedClaim("m1", texts[int(rng.integers(0, 4))]) for _ in range(40)]
    distinct = rng.choice([0.0, 0.5, 0.6, 0.9], size=(len(doc.claims), 4))
    col = np.array([texts.index(p.text) for p in preds])
    compact = set_match(doc, preds, ColumnSims(distinct, col), 0.5)
    whole = set_match(doc, preds, distinct[:, col], 0.5)
    assert compact.repeat.any() and compact.focused.any()
    for name in ("pred_gold", "pred_sim", "focused", "redundant", "repeat"):
        assert np.array_equal(getattr(compact, name), getattr(whole, name)), name
    assert (compact.gold_best, compact.covered) == (whole.gold_best, whole.covered)
    assert np.array_equal(np.asarray(ColumnSims(distinct, col)), distinct[:, col])


def _gold_best_by_row(distinct, col, rank, active):
    """The definition, row by row: the most similar active prediction, lowest rank among equals."""
    idx = np.flatnonzero(active)
    out = []
    for i in range(distinct.shape[0]):
        if not len(idx):
            out.append((None, 0.0))
            continue
        vals = distinct[i][col[idx]]
        ties = idx[vals == vals.max()]
        j = int(ties[np.argmin(rank[ties])])
        out.append((j, round(float(distinct[i, col[j]]), 6)))
    return out


@given(st.integers(0, 6), st.integers(1, 5), st.integers(0, 14), st.integers(0, 2**32 - 1))
def test_each_gold_claims_best_prediction_is_the_row_by_row_definition(n_g, n_cols, n_p, seed):
    from harness.scoring.setmatch import _gold_best

    rng = np.random.default_rng(seed)
    distinct = rng.choice([0.0, 0.5, 0.6, 0.9, 1 / 3], size=(n_g, n_cols))  # ties are common
    col = rng.integers(0, n_cols, size=n_p)
    rank = rng.permutation(n_p)
    order = np.argsort(rank)
    active = rng.random(n_p) < 0.7
    got = _gold_best(distinct, col, rank, order, active)
    assert got == _gold_best_by_row(distinct, col, rank, active)


@pytest.mark.parametrize("name", ["damaged.jsonl", "atomized.jsonl", "confident.jsonl"])
def test_both_matches_given_the_canonical_order_are_the_matches_that_compute_it(mini_corpus, name):
    """score_sets sorts a document's predictions once and hands the order to both matches."""
    from harness.scoring.assignment import canonical_order
    from harness.scoring.match import TextSimilarity as TfidfModel
    from harness.scoring.match import match_document
    from harness.scoring.setmatch import set_match

    preds = _read(mini_corpus, name)
    text_sim = TfidfModel.for_corpus(mini_corpus)
    for doc in mini_corpus.claim_documents:
        ps = preds.claims_for(doc.doc_id)
        order = canonical_order(ps)
        for mode in ("span", "sentence", "text"):
            m = get_mode(mode)
            assert match_document(doc, ps, m, text_sim, order=order) == match_document(
                doc, ps, m, text_sim
            )
        sims = text_sim.matrix([c.text for c in doc.claims], [p.text for p in ps])
        given_order, own = set_match(doc, ps, sims, 0.5, order=order), set_match(doc, ps, sims, 0.5)
        for field in ("pred_gold", "pred_sim", "focused", "redundant", "repeat"):
            assert np.array_equal(getattr(given_order, field), getattr(own, field))
        assert (given_order.gold_best, given_order.covered) == (own.gold_best, own.covered)
