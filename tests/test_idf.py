"""The TF-IDF model fitted by counting (harness.scoring.idf) is scikit-learn's fit, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from harness.gold.corpus import load_corpus
from harness.gold.text import sentence_spans
from harness.scoring.idf import SETTINGS, fit_tfidf

words = st.sampled_from(
    ["the", "Kim", "kim", "Putin", "said", "missile", "test", "of", "2019", "a", "É", "naïve",
     "talks", "summit", "x", "Moscow's", "re-elected", "and", "it", "U.S."]
)  # fmt: skip
texts = st.lists(st.lists(words, max_size=12).map(" ".join), min_size=1, max_size=25)


def assert_same(ours, theirs, probe) -> None:
    assert ours.vocabulary_ == theirs.vocabulary_
    assert ours.idf_.dtype == theirs.idf_.dtype
    assert np.array_equal(ours.idf_, theirs.idf_)  # exact, not close
    a, b = ours.transform(probe), theirs.transform(probe)
    assert a.dtype == b.dtype and (a != b).nnz == 0


@settings(max_examples=60, deadline=None)
@given(texts, texts)
def test_counting_fit_equals_sklearn_fit(fit_on, probe):
    if not any(TfidfVectorizer(**SETTINGS).build_analyzer()(t) for t in fit_on):
        with pytest.raises(ValueError, match="empty vocabulary"):
            TfidfVectorizer(**SETTINGS).fit(fit_on)
        with pytest.raises(ValueError, match="empty vocabulary"):
            fit_tfidf(iter(fit_on))
        return
    assert_same(fit_tfidf(iter(fit_on)), TfidfVectorizer(**SETTINGS).fit(fit_on), probe)


def test_counting_fit_on_the_corpus_and_on_nothing():
    corpus = load_corpus("annotations")
    fit_on = [d.text[s:e] for d in corpus for s, e in sentence_spans(d.text)]
    fit_on += [c.text for d in corpus for c in d.claims]
    probe = [c.text for d in corpus for c in d.claims] + ["Nothing of the corpus: zebra"]
    assert_same(fit_tfidf(iter(fit_on)), TfidfVectorizer(**SETTINGS).fit(fit_on), probe)
    # no texts at all: the fit on ["empty"] of before, which scikit-learn refuses ("empty" is an
    # English stop word), so the error is the same
    with pytest.raises(ValueError, match="empty vocabulary"):
        TfidfVectorizer(**SETTINGS).fit(["empty"])
    with pytest.raises(ValueError, match="empty vocabulary"):
        fit_tfidf(iter([]))
