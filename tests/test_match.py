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
