"""Scoring at scale: the streamed and sparse forms give exactly what the plain forms gave.

Each test computes a figure both ways (the plain definition, written out here, and the form the
harness runs on large corpora) and asserts equality, not closeness: the results must be the same
bytes whatever the corpus size.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.scoring import stats
from harness.scoring.match import get_mode
from harness.scoring.setlevel import fact_recall_across, fact_recall_across_resamples
from harness.scoring.validation import gold_pairs
from tests.conftest import gold_as_predictions


def _all_pairs_then_sample(corpus, max_positive, seed):
    """gold_pairs as first written: list every pair of claims, then sample the two lists."""
    claims = [(d.doc_id, c.id, c.cluster) for d in corpus.documents for c in d.claims]
    pos, neg = [], []
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            a, b = claims[i], claims[j]
            if a[2] is not None and a[2] == b[2]:
                pos.append(((a[0], a[1]), (b[0], b[1]), True))
            elif a[0] == b[0]:
                neg.append(((a[0], a[1]), (b[0], b[1]), False))
    rng = np.random.default_rng(seed)
    if len(pos) > max_positive:
        pos = [pos[k] for k in sorted(rng.choice(len(pos), max_positive, replace=False))]
    n_neg = min(len(neg), len(pos))
    neg = [neg[k] for k in sorted(rng.choice(len(neg), n_neg, replace=False))] if n_neg else []
    return pos + neg


def _corpus(clusters_per_doc):
    """A stand-in corpus: documents d0, d1, ... whose claims carry the given clusters."""
    docs = [
        SimpleNamespace(
            doc_id=f"d{k}",
            claims=[SimpleNamespace(id=f"c{i}", cluster=c) for i, c in enumerate(clusters)],
        )
        for k, clusters in enumerate(clusters_per_doc)
    ]
    return SimpleNamespace(documents=docs)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from([None, "a", "b", "c"]), max_size=6), max_size=6),
    st.integers(1, 30),
    st.integers(0, 3),
)
def test_gold_pairs_are_the_pairs_sampled_from_the_full_lists(clusters, max_positive, seed):
    corpus = _corpus(clusters)
    assert gold_pairs(corpus, max_positive, seed) == _all_pairs_then_sample(
        corpus, max_positive, seed
    )


def test_gold_pairs_of_a_cluster_spanning_every_article_stay_cheap():
    # 2,000 articles sharing one cluster: about two million positive pairs, never listed
    corpus = _corpus([["x", None, "y"]] * 2000)
    pairs = gold_pairs(corpus, 100, 12345)
    assert sum(lab for *_, lab in pairs) == 100 and len(pairs) == 200
    assert all(a[0] == b[0] for a, b, lab in pairs if not lab)


def test_resample_picks_are_the_draws_of_resample_sums():
    units = np.random.default_rng(3).integers(0, 5, size=(37, 4)).astype(float)
    picks = np.vstack(list(stats.resample_picks(37, 500, 99)))
    assert picks.shape == (500, 37) and (picks.sum(1) == 37).all()
    assert np.array_equal(picks @ units, stats.resample_sums(units, 500, 99))


@pytest.mark.parametrize(("n_docs", "n_facts", "share"), [(1, 3, 0.5), (6, 5, 0.4), (50, 80, 0.05)])
def test_fact_recall_resamples_equal_the_dense_row_sums(n_docs, n_facts, share):
    rng = np.random.default_rng(n_docs)
    found = (rng.random((n_docs, n_facts)) < share).astype(float)
    present = np.maximum(found, rng.random((n_docs, n_facts)) < share)
    present[:, 0] = 1  # one fact in every document: a shared column
    matrix = np.hstack([present, found])
    dense = fact_recall_across(stats.resample_sums(matrix, 400, 7))
    assert np.array_equal(fact_recall_across_resamples(matrix, 400, 7), dense, equal_nan=True)
    # the other resampling method takes the dense path and agrees with it too
    multi = fact_recall_across(stats.resample_sums(matrix, 50, 7, "multinomial"))
    assert np.array_equal(
        fact_recall_across_resamples(matrix, 50, 7, "multinomial"), multi, equal_nan=True
    )


def test_fact_recall_resamples_are_nan_where_no_fact_is_present():
    matrix = np.zeros((3, 4))
    matrix[0, 0] = 1  # one fact, in the first document only, never found
    values = fact_recall_across_resamples(matrix, 200, 1)
    drawn_first = np.vstack(list(stats.resample_picks(3, 200, 1)))[:, 0] > 0
    assert np.array_equal(np.isnan(values), ~drawn_first)
    assert (values[drawn_first] == 0).all()


def test_tfidf_matrix_from_the_corpus_gold_rows_equals_the_text_matrix(mini_corpus):
    from harness.extraction.predictions import read_predictions
    from harness.scoring.similarity import get_similarity
    from tests.conftest import MINI

    preds = read_predictions(MINI / "atomized.jsonl", {d.doc_id: d.text for d in mini_corpus})
    sim = get_similarity("tfidf", mini_corpus)
    for doc in mini_corpus:
        p = preds.claims_for(doc.doc_id)
        plain = sim.text_matrix([c.text for c in doc.claims], [x.text for x in p])
        assert p and np.array_equal(sim.matrix(doc, p), plain)


def test_tfidf_claims_matrix_from_the_corpus_gold_rows_equals_the_text_matrix(gold_corpus):
    """Every claim against every other (the false coverage rate's matrix), from the gold rows
    transformed once: bit for bit ``text_matrix(texts, texts)``; a subclass that replaces
    ``text_matrix`` is asked through it."""
    from harness.scoring.similarity import TfidfCosine, get_similarity

    sim = get_similarity("tfidf", gold_corpus)
    assert isinstance(sim, TfidfCosine)
    for doc in gold_corpus:
        texts = [c.text for c in doc.claims]
        got = sim.claims_matrix(doc)
        assert got.shape == (len(texts), len(texts))
        assert np.array_equal(got, sim.text_matrix(texts, texts))

    class Halved(TfidfCosine):
        def text_matrix(self, gold, pred):
            return super().text_matrix(gold, pred) / 2

    halved = Halved(gold_corpus)
    doc = gold_corpus.documents[0]
    texts = [c.text for c in doc.claims]
    assert np.array_equal(halved.claims_matrix(doc), sim.text_matrix(texts, texts) / 2)


@pytest.mark.parametrize("cells", [1, 40, 1 << 15])
@pytest.mark.parametrize("max_docs, max_preds", [(3, 20_000), (256, 4), (256, 1)])
def test_tfidf_matrices_of_batched_documents_equal_each_documents_matrix(
    mini_corpus, max_docs, max_preds, cells
):
    """Batches of three documents (the last one short), or closed once they hold a few
    predictions (or after every document), their cosines one product per group of documents
    (a document alone, a few, the whole batch): the same matrices, bit for bit, as one document
    at a time."""
    from harness.extraction.api import PredictedClaim
    from harness.scoring.similarity import TfidfCosine, get_similarity

    sim = get_similarity("tfidf", mini_corpus)
    assert isinstance(sim, TfidfCosine)
    texts = ["Putin met Kim.", "The talks ended.", "Putin met Kim."]  # a repeated text too
    items = [
        (doc, [PredictedClaim(doc.doc_id, t) for t in texts[: k + 1]])
        for k, doc in enumerate([*mini_corpus, *mini_corpus])
    ]
    items.insert(2, (mini_corpus.documents[1], []))  # no predictions, between two groups
    items.append((mini_corpus.documents[0], []))
    sim.BATCH_DOCUMENTS, sim.BATCH_PREDICTIONS, sim.GROUP_CELLS = max_docs, max_preds, cells
    got = list(sim.with_matrices(iter(items)))
    assert [(d.doc_id, len(p)) for d, p, _ in got] == [(d.doc_id, len(p)) for d, p in items]
    for (doc, preds), (_, _, m) in zip(items, got, strict=True):
        assert m.shape == (len(doc.claims), len(preds))
        assert np.array_equal(m, sim.matrix(doc, preds))


def test_each_document_is_matched_one_to_one_once_with_set_level_scores(gold_corpus, monkeypatch):
    """The set-level pass's one-to-one match (its claimant pairs) is the scorer's: one match per
    document, and the same scores as matching each document again."""
    import harness.scoring.match as Mt
    import harness.scoring.score as S
    import harness.scoring.setlevel as SL
    from harness.scoring.match import get_mode
    from tests.conftest import gold_as_predictions

    config = S.ScoreConfig(get_mode("span"), n_resamples=10)
    preds = gold_as_predictions(gold_corpus)
    calls = []
    real = Mt.match_document

    def counted(doc, *args, **kwargs):
        calls.append(doc.doc_id)
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(SL, "match_document", counted)
    monkeypatch.setattr(S, "match_document", counted)
    once = S.score(gold_corpus, preds, config)
    assert sorted(calls) == sorted(d.doc_id for d in gold_corpus.claim_documents)
    calls.clear()
    alone = S.score(gold_corpus, preds, S.ScoreConfig(get_mode("span"), n_resamples=10,
                                                     similarity=None))  # fmt: skip
    assert len(calls) == len(gold_corpus.claim_documents)
    assert once.claim_counts == alone.claim_counts
    stripped = [{k: v for k, v in r.items() if k != "set"} for r in once.instances]
    assert stripped == alone.instances


@pytest.mark.parametrize("batch, hot", [(1, 0), (7, 0), (4096, 2**30)])
def test_gold_rows_transformed_in_batches_and_spilled_are_each_documents_own(
    gold_corpus, monkeypatch, batch, hot
):
    """Gold claims transformed a document or several at a time (a batch closes at the document
    that fills it), their rows on disk or in memory: bit for bit each document's own rows."""
    from harness.gold import spill
    from harness.scoring import tfidf

    monkeypatch.setattr(tfidf, "GOLD_BATCH", batch)
    monkeypatch.setattr(spill, "HOT_BYTES", hot)
    model = tfidf.TextSimilarity(gold_corpus)
    for doc in [*gold_corpus, *reversed(gold_corpus.documents)]:  # read again, out of order
        got = model.gold_vectors(doc)
        alone = model.vectors([c.text for c in doc.claims])
        assert got.shape == alone.shape == (len(doc.claims), len(model.vectorizer.vocabulary_))
        for part in ("data", "indices", "indptr"):
            assert np.array_equal(getattr(got, part), getattr(alone, part))
    _, blocks = model._gold_rows
    assert len(blocks) == sum(1 for d in gold_corpus if d.claims)
    assert (len(blocks._hot) == 0) == (hot == 0)  # spilled when the budget says so


@pytest.mark.parametrize("batch, limit", [(1, 20_000), (2, 20_000), (256, 20_000), (256, 5)])
@pytest.mark.parametrize("mode", ["span", "text"])
def test_prediction_rows_transformed_in_batches_are_each_documents_own(
    gold_corpus, monkeypatch, batch, limit, mode
):
    """with_vectors: every document in order, rows where the mode compares texts (all of the
    text mode's; in span mode only documents with a prediction without a span) and the
    document has at most the batch's number of predictions, bit for bit the rows of the
    document's own transform; None elsewhere."""
    from harness.scoring import tfidf

    monkeypatch.setattr(tfidf, "VECTOR_BATCH", batch)
    monkeypatch.setattr(tfidf, "VECTOR_BATCH_PREDICTIONS", limit)
    preds = gold_as_predictions(gold_corpus)
    items = []
    for k, d in enumerate(gold_corpus):
        claims = list(preds.claims_for(d.doc_id))
        if k % 4 == 1:  # a document with four predictions
            claims = claims[:4]
        if k % 2 and claims:  # every other document has a prediction without a span
            claims[-1] = dataclasses.replace(claims[-1], start=None, end=None)
        items.append((d, claims))
    items.append((items[0][0], []))  # no predictions: nothing to compare
    model = tfidf.TextSimilarity(gold_corpus)
    pulled = []

    def source():
        for item in items:
            pulled.append(item)
            yield item

    got = []
    for out in model.with_vectors(source(), mode):
        if not got and mode == "span":  # the first document needs no rows: not held back
            assert len(pulled) == 1 and out[2] is None
        got.append(out)
    assert [(d, p) for d, p, _ in got] == items
    seen = too_many = 0
    for doc, claims, rows in got:
        if not tfidf.compares_text(doc, claims, mode):
            assert rows is None
            continue
        if len(claims) > limit:  # transformed chunk by chunk by the matcher
            assert rows is None
            too_many += 1
            continue
        seen += 1
        alone = model.vectors([p.text for p in claims])
        assert rows.shape == alone.shape
        for part in ("data", "indices", "indptr"):
            assert np.array_equal(getattr(rows, part), getattr(alone, part))
    assert seen + too_many == (len(items) - 1 if mode == "text" else len(gold_corpus) // 2)
    assert (too_many > 0) == (limit == 5) and seen > 0


@pytest.mark.parametrize("mode", ["span", "text"])
def test_scores_are_the_same_with_prediction_rows_batched_or_per_document(
    gold_corpus, monkeypatch, mode
):
    """The one-to-one matches, the set-level pass and the curve given the batched rows give
    the same records and summary as each document transforming its own predictions."""
    from harness.scoring import tfidf
    from harness.scoring.score import ScoreConfig, score, summarize

    rng = np.random.default_rng(3)
    preds = gold_as_predictions(gold_corpus)
    claims = {
        d.doc_id: [
            dataclasses.replace(
                p, start=None, end=None, text=p.text + " today", confidence=float(rng.random())
            )
            if k % 3 == 0
            else dataclasses.replace(p, confidence=float(rng.random()))
            for k, p in enumerate(preds.claims_for(d.doc_id))
        ]
        for d in gold_corpus
    }
    preds = dataclasses.replace(preds, claims=claims)
    cfg = ScoreConfig(get_mode(mode), n_resamples=20)
    batched = score(gold_corpus, preds, cfg)
    calls = []

    def alone(self, items, mode, wanted=None):
        for doc, claims in items:
            calls.append(doc.doc_id)
            yield doc, claims, None

    monkeypatch.setattr(tfidf.TextSimilarity, "with_vectors", alone)
    own = score(gold_corpus, preds, cfg)
    assert len(calls) == 2 * len(gold_corpus.claim_documents)  # the set-level and main passes
    assert batched.instances == own.instances
    assert summarize(batched, cfg, {}) == summarize(own, cfg, {})


def test_an_error_of_the_scorer_in_the_set_level_pass_is_raised_not_reported_as_its_failure(
    gold_corpus, monkeypatch
):
    """The scorer's own per-document work in the set-level pass (keeping the match and the
    confidence sweep) raises as it would anywhere; only the strategy's errors become a
    "failed" status."""
    from harness.scoring import score as scoring
    from harness.scoring.score import ScoreConfig, score

    real = scoring.doc_curve

    def broken(*args, **kwargs):  # fails where the set-level pass calls it, nowhere else
        if kwargs.get("key_weights") is not None:
            raise RuntimeError("a bug in the sweep")
        return real(*args, **kwargs)

    monkeypatch.setattr(scoring, "doc_curve", broken)
    preds = gold_as_predictions(gold_corpus)
    with pytest.raises(RuntimeError, match="a bug in the sweep"):
        score(gold_corpus, preds, ScoreConfig(get_mode("span"), n_resamples=10))


def test_documents_the_caller_will_not_read_get_no_rows(gold_corpus):
    """with_vectors(wanted=...): a document whose match and sweep are made already (the
    set-level pass made them) is not transformed again; the others are, as before."""
    from harness.scoring import tfidf

    preds = gold_as_predictions(gold_corpus)
    items = [(d, list(preds.claims_for(d.doc_id))) for d in gold_corpus]
    first = items[0][0]
    model = tfidf.TextSimilarity(gold_corpus)
    got = list(model.with_vectors(iter(items), "text", lambda d: d is first))
    assert [(d, p) for d, p, _ in got] == items
    assert got[0][2] is not None and all(rows is None for _, _, rows in got[1:])
    assert got[0][2].shape[0] == len(items[0][1])
