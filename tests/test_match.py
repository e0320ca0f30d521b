import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


def test_tfidf_model_is_not_shared_between_a_corpus_and_a_subset_with_its_hash(gold_corpus):
    """A subset keeps the corpus hash but fits on fewer texts: each gets a model of its own."""
    from dataclasses import replace

    from harness.scoring.match import TextSimilarity

    subset = replace(gold_corpus, documents=gold_corpus.documents[:2])
    assert subset.hash == gold_corpus.hash
    small, whole = TextSimilarity.for_corpus(subset), TextSimilarity.for_corpus(gold_corpus)
    assert small is not whole
    assert len(small.vectorizer.vocabulary_) < len(whole.vectorizer.vocabulary_)
    assert TextSimilarity.for_corpus(gold_corpus) is whole


def _bounds(text):
    from harness.gold.text import token_starts_ends

    starts, ends = token_starts_ends(text)
    assert starts.dtype == ends.dtype == np.int64
    return [i for pair in zip(starts.tolist(), ends.tolist(), strict=True) for i in pair]


def test_token_starts_ends_are_the_spans_of_tokens(gold_corpus):
    """The span arithmetic reads token bounds without normalizing tokens: the same positions."""
    from harness.gold.text import tokens

    for doc in gold_corpus.documents:
        flat = _bounds(doc.text)
        assert flat == [i for s, e, _ in tokens(doc.text) for i in (s, e)]
        assert len(flat) > 100
    assert _bounds("") == []
    assert _bounds("... -- ’") == []
    assert _bounds("Kim’s U.S.-bound talks.") == [0, 5, 6, 9, 11, 16, 17, 22]
    # joiners chain runs; two joiners in a row, or one at an end, do not
    assert _bounds("a-b-c a--b -a b. x_1") == [0, 5, 6, 7, 9, 10, 12, 13, 14, 15, 17, 20]
    # beyond the table of code points below 65536: a letter, then a symbol that is no letter
    assert _bounds("𝐀b 😀 c") == [0, 2, 5, 6]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ9_ -'’.,\n\té߲٣ⅫĀ\u0301\ud800𝐀😀"))))
def test_token_starts_ends_agree_with_the_token_pattern(text):
    """Any text, non-ASCII digits, letters and marks, lone surrogates and code points beyond
    65536 included: the array version finds exactly the spans of ``_TOKEN.finditer``."""
    from harness.gold.text import _TOKEN

    assert _bounds(text) == [i for m in _TOKEN.finditer(text) for i in m.span()]


@pytest.mark.parametrize("mode", ["span", "sentence", "text"])
def test_similarities_with_no_gold_claims_or_no_predictions_are_empty_arrays_of_each_kind(
    gold_corpus, mode
):
    from dataclasses import replace

    from harness.extraction.api import PredictedClaim
    from harness.scoring.match import TextSimilarity, get_mode, similarities

    doc = gold_corpus.documents[0]
    pred = PredictedClaim(doc_id=doc.doc_id, text=doc.claims[0].text, start=0, end=5)
    ts = TextSimilarity.for_corpus(gold_corpus)
    m = get_mode(mode)
    for d, preds in ((doc, []), (replace(doc, claims=()), [pred])):
        primary, secondary, threshold, basis = similarities(d, preds, m, ts)
        shape = (len(d.claims), len(preds))
        assert primary.shape == secondary.shape == threshold.shape == basis.shape == shape
        assert (primary.dtype, secondary.dtype, threshold.dtype, basis.dtype) == (
            np.float64,
            np.float64,
            np.float64,
            object,
        )
