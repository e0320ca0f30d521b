"""Validation of a set-level similarity strategy against the gold's own matches (its clusters):
Cohen's kappa on labelled pairs of gold claims, and the false coverage rate.

Apart from :mod:`harness.scoring.similarity` (the interface and the strategies) because it is a
report about a strategy, run once per evaluation, not part of scoring.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

import numpy as np

from harness.gold.corpus import Corpus, GoldDocument
from harness.scoring.similarity import Similarity, TextSimilarity


def gold_pairs(
    corpus: Corpus, max_positive: int = 100, seed: int = 12345
) -> list[tuple[tuple[str, str], tuple[str, str], bool]]:
    """Pairs of distinct gold claims labelled by the gold itself: same cluster = the same fact.

    Positives: every unordered pair of claims sharing a cluster, in one article or across
    articles (sampled down to ``max_positive`` with ``seed``). Negatives: as many pairs of claims
    of *one article* that state different facts (different clusters, or no cluster), sampled
    with the same seed. Set-level matching only ever compares claims of one article, all about
    the same story, so these are the confusions that matter; pairs from unrelated articles would
    make any strategy look good. Claims are ``(doc_id, claim_id)``.

    The pairs are never all listed (a cluster that spans every article has a number of pairs
    that grows with the square of the corpus): each list is numbered in the order of the claims
    (first claim, then second), its length counted per claim, and only the sampled numbers are
    turned into pairs.
    """
    codes: dict[str, int] = {}
    clusters = array("q")  # per claim, in corpus order: its cluster's number, or -1
    sizes = array("q")  # claims per document
    for d in corpus.documents:
        sizes.append(len(d.claims))
        clusters.extend(-1 if c.cluster is None else codes.setdefault(c.cluster, len(codes))
                        for c in d.claims)  # fmt: skip
    cluster_of = np.frombuffer(clusters, dtype=np.int64) if clusters else np.zeros(0, np.int64)
    n = len(cluster_of)
    members: dict[int, list[int]] = {}
    for i, cluster in enumerate(cluster_of.tolist()):
        if cluster >= 0:
            members.setdefault(cluster, []).append(i)
    # per claim i: later claims of its cluster (positives), later claims of its article outside
    # its cluster (negatives); an article's claims are consecutive
    rank = np.zeros(n, dtype=np.int64)
    n_pos = np.zeros(n, dtype=np.int64)
    for idx in members.values():
        rank[idx] = np.arange(len(idx))
        n_pos[idx] = len(idx) - 1 - np.arange(len(idx))
    doc_end = np.zeros(n, dtype=np.int64)
    n_neg = np.zeros(n, dtype=np.int64)
    start = 0
    for size in sizes:
        end = start + size
        for i in range(start, end):
            cluster = cluster_of[i]
            same = 0 if cluster < 0 else int((cluster_of[i + 1 : end] == cluster).sum())
            doc_end[i], n_neg[i] = end, end - i - 1 - same
        start = end
    pos_ends, neg_ends = np.cumsum(n_pos), np.cumsum(n_neg)

    def positive(k: int) -> tuple[int, int, bool]:
        i = int(np.searchsorted(pos_ends, k, side="right"))
        offset = k - int(pos_ends[i] - n_pos[i])
        return i, members[int(cluster_of[i])][int(rank[i]) + 1 + offset], True

    def negative(k: int) -> tuple[int, int, bool]:
        i = int(np.searchsorted(neg_ends, k, side="right"))
        offset = k - int(neg_ends[i] - n_neg[i])
        cluster = cluster_of[i]
        later = [
            j for j in range(i + 1, int(doc_end[i])) if cluster < 0 or cluster_of[j] != cluster
        ]
        return i, later[offset], False

    total_pos, total_neg = int(pos_ends[-1]) if n else 0, int(neg_ends[-1]) if n else 0
    rng = np.random.default_rng(seed)
    if total_pos > max_positive:
        picked = sorted(rng.choice(total_pos, max_positive, replace=False))
    else:
        picked = list(range(total_pos))
    pos = [positive(int(k)) for k in picked]
    n_sampled = min(total_neg, len(pos))
    picked = sorted(rng.choice(total_neg, n_sampled, replace=False)) if n_sampled else []
    chosen = pos + [negative(int(k)) for k in picked]
    ids = _claim_ids(corpus, {i for i, _, _ in chosen} | {j for _, j, _ in chosen})
    return [(ids[i], ids[j], label) for i, j, label in chosen]


def _claim_ids(corpus: Corpus, wanted: set[int]) -> dict[int, tuple[str, str]]:
    """(doc_id, claim id) of the claims at the ``wanted`` positions of the corpus's claims, in
    one pass over the documents (which may be on disk: :mod:`harness.gold.spill`)."""
    out: dict[int, tuple[str, str]] = {}
    start = 0
    for d in corpus.documents:
        for i in range(start, start + len(d.claims)):
            if i in wanted:
                out[i] = (d.doc_id, d.claims[i - start].id)
        start += len(d.claims)
    return out


def false_coverage(
    similarity: TextSimilarity,
    corpus: Corpus,
    threshold: float,
    max_claims: int | None = None,
    seed: int = 12345,
) -> dict[str, Any]:
    """How often a gold claim looks covered by claims of its article that state *other* facts.

    For each gold claim, the best similarity to the claims of the same article outside its own
    fact (its cluster, or itself) is compared with the threshold. The share at or above it is
    how far Coverage and Focus can be inflated by a same-story prediction that states something
    else; a usable strategy keeps it low. ``max_claims`` samples that many claims (with
    ``seed``) for expensive strategies.

    A strategy that is not ``expensive`` compares every claim of an article with every other in
    one call per article (:meth:`~harness.scoring.similarity.TextSimilarity.claims_matrix`), then
    leaves out each claim's own fact; an expensive one is asked only the pairs needed, claim by
    claim.
    """
    sizes = [len(d.claims) for d in corpus.documents]
    total = sum(sizes)
    chosen = None  # every claim, or the sampled positions among the corpus's claims
    if max_claims is not None and total > max_claims:
        rng = np.random.default_rng(seed)
        chosen = np.sort(rng.choice(total, max_claims, replace=False))
    hits = 0
    n = 0
    whole: tuple[str, np.ndarray] | None = None  # the last article's claim-by-claim matrix
    for d, i in _claims_at(corpus, sizes, chosen):
        g = d.claims[i]
        other = [
            j
            for j, h in enumerate(d.claims)
            if j != i and not (g.cluster is not None and g.cluster == h.cluster)
        ]
        if not other:
            continue
        n += 1
        if similarity.expensive:
            row = similarity.text_matrix([g.text], [d.claims[j].text for j in other])[0]
        else:
            if whole is None or whole[0] != d.doc_id:
                whole = (d.doc_id, similarity.claims_matrix(d))
            row = whole[1][i, other]
        hits += float(row.max()) >= threshold - 1e-12
    return {
        "false_coverage": round(hits / n, 6) if n else None,
        "false_coverage_hits": int(hits),
        "false_coverage_claims": n,
    }


def _claims_at(
    corpus: Corpus, sizes: list[int], chosen: np.ndarray | None
) -> Iterator[tuple[GoldDocument, int]]:
    """(document, claim index) of every claim, or of those at the ``chosen`` (sorted) positions
    among the corpus's claims, in corpus order, reading one document at a time."""
    start = 0
    for d, size in zip(corpus.documents, sizes, strict=True):
        if chosen is None:
            yield from ((d, i) for i in range(size))
        else:
            lo, hi = np.searchsorted(chosen, [start, start + size])
            yield from ((d, int(k) - start) for k in chosen[lo:hi])
        start += size


def validate_against_gold(
    similarity: Similarity,
    corpus: Corpus,
    threshold: float,
    max_positive: int = 100,
    seed: int = 12345,
) -> dict[str, Any]:
    """How well ``similarity >= threshold`` reproduces the gold's own matches (its clusters).

    Two numbers: Cohen's kappa between the strategy and "same cluster" on the pairs of
    :func:`gold_pairs` (paraphrase recognition against same-story confusions), and the
    :func:`false_coverage` rate (how much a same-story claim inflates set-level scores). Span
    strategies cannot compare claims of different documents and are reported as not applicable.
    """
    if similarity.needs_spans or not isinstance(similarity, TextSimilarity):
        return {
            "status": f"not applicable: {similarity.name} compares spans of one document",
            "similarity": similarity.name,
        }
    pairs = gold_pairs(corpus, max_positive, seed)
    if not pairs or all(not lab for _, _, lab in pairs):
        return {"status": "not run: the gold has no two claims in one cluster", "n_pairs": 0}
    wanted = {a for a, _, _ in pairs} | {b for _, b, _ in pairs}
    text = {
        (d.doc_id, c.id): c.text
        for d in corpus.documents
        for c in d.claims
        if (d.doc_id, c.id) in wanted
    }
    if similarity.expensive:
        sims = [float(similarity.text_matrix([text[a]], [text[b]])[0, 0]) for a, b, _ in pairs]
    else:  # one call: the diagonal of (first claims x second claims)
        sims = [
            float(v)
            for v in np.diagonal(
                similarity.text_matrix(
                    [text[a] for a, _, _ in pairs], [text[b] for _, b, _ in pairs]
                )
            )
        ]
    said = [s >= threshold - 1e-12 for s in sims]
    gold = [lab for _, _, lab in pairs]
    from sklearn.metrics import cohen_kappa_score

    both = [(x, y) for x, y in zip(said, gold, strict=True)]
    kappa = None if len(set(said)) == 1 and len(set(gold)) == 1 else cohen_kappa_score(said, gold)
    fc = false_coverage(similarity, corpus, threshold, 40 if similarity.expensive else None, seed)
    return {
        "status": "run",
        "similarity": similarity.name,
        "signature": similarity.signature(),
        "threshold": threshold,
        "seed": seed,
        "n_pairs": len(pairs),
        "n_positive": sum(gold),
        "agree_match": sum(1 for x, y in both if x and y),
        "agree_no_match": sum(1 for x, y in both if not x and not y),
        "said_match_gold_not": sum(1 for x, y in both if x and not y),
        "said_no_match_gold_match": sum(1 for x, y in both if not x and y),
        "kappa": None if kappa is None or np.isnan(kappa) else round(float(kappa), 6),
        **fc,
        "pairs": [
            {"a": list(a), "b": list(b), "same_cluster": lab, "similarity": round(s, 6)}
            for (a, b, lab), s in zip(pairs, sims, strict=True)
        ],
    }
