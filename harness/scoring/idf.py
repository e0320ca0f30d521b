"""The corpus's TF-IDF model, fitted by counting: memory grows with the vocabulary, not the corpus.

``TfidfVectorizer(lowercase=True, stop_words="english").fit(texts)`` builds the whole
texts x terms count matrix of the corpus to read two things off it: the vocabulary and each term's
document frequency. On 10,000 articles (about 500,000 sentences and claims) that matrix and its
building lists took more memory than everything else of a run together. :func:`fit_tfidf` takes
the texts one at a time, with the vectorizer's own analyzer, and counts; the vocabulary is sorted
as scikit-learn sorts it, and the IDF weights are computed with scikit-learn's arithmetic
(``TfidfTransformer.fit``: smoothed, ``log((1 + n) / (1 + df)) + 1``, in the same order of
operations on float64), so ``vocabulary_``, ``idf_`` and every ``transform`` are the same, bit for
bit (``tests/test_idf.py`` compares them with ``fit``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np

#: The vectorizer's settings: the text similarity's TF-IDF (METRICS.md §1).
SETTINGS = {"lowercase": True, "stop_words": "english"}


def fit_tfidf(texts: Iterable[str]) -> Any:
    """A fitted ``TfidfVectorizer`` (see the module doc), equal to ``fit(list(texts))``; with no
    term to learn, scikit-learn's "empty vocabulary" error, as ``fit`` gives."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyze = TfidfVectorizer(**SETTINGS).build_analyzer()
    df: Counter[str] = Counter()
    n = 0
    for text in texts:
        df.update(set(analyze(text)))
        n += 1
    if not df:  # no texts, or only stop words: fit refuses them ("empty" is a stop word too)
        return TfidfVectorizer(**SETTINGS).fit(["empty"])
    terms = sorted(df)
    vectorizer = TfidfVectorizer(**SETTINGS, vocabulary={t: i for i, t in enumerate(terms)})
    counts = np.array([df[t] for t in terms], dtype=np.float64)
    # TfidfTransformer.fit, smooth_idf=True: one more document holding every term
    counts += 1.0
    idf = np.full_like(counts, fill_value=n + 1, dtype=np.float64)
    idf /= counts
    np.log(idf, out=idf)
    idf += 1.0
    vectorizer.idf_ = idf
    return vectorizer


__all__ = ["SETTINGS", "fit_tfidf"]
