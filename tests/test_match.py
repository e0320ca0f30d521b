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


def test_token_bounds_are_the_spans_of_tokens(gold_corpus):
    """The span arithmetic reads token bounds without normalizing tokens: the same positions."""
    from harness.gold.text import token_bounds, tokens

    for doc in gold_corpus.documents:
        flat = token_bounds(doc.text)
        assert flat == [i for s, e, _ in tokens(doc.text) for i in (s, e)]
        assert len(flat) > 100
    assert token_bounds("") == []
    assert token_bounds("Kim’s U.S.-bound talks.") == [0, 5, 6, 9, 11, 16, 17, 22]
