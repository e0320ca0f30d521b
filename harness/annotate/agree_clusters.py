"""Cluster agreement: how alike two annotators' partitions of the same matched claims are.

Two annotators name their clusters independently (each keeps their own clusters.yaml), so the ids
cannot be compared; the partitions they induce can. The items are the claim pairs matched in
``span`` mode (one item per matched pair, labelled with A's cluster and with B's). A claim with
``cluster: null`` links to nothing: it is a singleton, never in the same cluster as another claim,
even another null one.

Two standard measures, both with B read as the "response" and A as the "key", as for claims:

* **pairwise** (link-based): the unordered item pairs that share a cluster in A (the key links)
  and in B (the response links); P = common links / B's links, R = common links / A's links, F1.
  The link counts come from :func:`sklearn.metrics.cluster.pair_confusion_matrix`. Undefined
  (None) when a side has no links.
* **B-cubed** (Bagga and Baldwin 1998; Amigo et al. 2009): for every item, the cluster-mates it
  has in both files (itself included) over its cluster-mates in B (precision) and in A (recall),
  averaged over the items; F1 of the two averages. Singletons count, so it is defined whenever
  there is an item.

The corpus figure pools the matched claims of every article into one partition (clusters span
articles: that is what they are for), so it is not the mean of the per-article figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any


def _groups(labels: Sequence[str | None]) -> list[int]:
    """Integer labels in which every None is its own singleton group."""
    ids: dict[str, int] = {}
    out: list[int] = []
    fresh = len(labels)
    for lab in labels:
        if lab is None:
            out.append(fresh)  # above every named group's integer
            fresh += 1
        else:
            out.append(ids.setdefault(lab, len(ids)))
    return out


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return p * r * 2 / (p + r) if p + r else 0.0


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def pairwise(labels_a: Sequence[str | None], labels_b: Sequence[str | None]) -> dict[str, Any]:
    """Link-based precision, recall and F1 of B's partition against A's (see module doc)."""
    if len(labels_a) != len(labels_b):
        raise ValueError(f"pairwise needs paired labels, got {len(labels_a)} and {len(labels_b)}")
    if not labels_a:
        return {"links_a": 0, "links_b": 0, "common": 0, "precision": None, "recall": None,
                "f1": None}  # fmt: skip
    from sklearn.metrics.cluster import pair_confusion_matrix

    # rows: together in A or not; columns: together in B or not; ordered pairs, hence the halves
    m = pair_confusion_matrix(_groups(labels_a), _groups(labels_b))
    common = int(m[1, 1]) // 2
    links_a = int(m[1, 0] + m[1, 1]) // 2
    links_b = int(m[0, 1] + m[1, 1]) // 2
    p = common / links_b if links_b else None
    r = common / links_a if links_a else None
    return {
        "links_a": links_a,
        "links_b": links_b,
        "common": common,
        "precision": _r(p),
        "recall": _r(r),
        "f1": _r(_f1(p, r)),
    }


def bcubed(labels_a: Sequence[str | None], labels_b: Sequence[str | None]) -> dict[str, Any]:
    """B-cubed precision, recall and F1 of B's partition against A's (see module doc)."""
    if len(labels_a) != len(labels_b):
        raise ValueError(f"bcubed needs paired labels, got {len(labels_a)} and {len(labels_b)}")
    n = len(labels_a)
    if n == 0:
        return {"n": 0, "precision": None, "recall": None, "f1": None}
    ga, gb = _groups(labels_a), _groups(labels_b)
    p_sum = r_sum = 0.0
    for mates_a, mates_b in _mates(ga, gb):
        both = len(mates_a & mates_b)
        p_sum += both / len(mates_b)
        r_sum += both / len(mates_a)
    p, r = p_sum / n, r_sum / n
    return {"n": n, "precision": _r(p), "recall": _r(r), "f1": _r(_f1(p, r))}


def _mates(ga: Sequence[int], gb: Sequence[int]) -> list[tuple[set[int], set[int]]]:
    """For each item, the set of items (itself included) in its A group and in its B group."""
    by_a: dict[int, set[int]] = defaultdict(set)
    by_b: dict[int, set[int]] = defaultdict(set)
    for i, (a, b) in enumerate(zip(ga, gb, strict=True)):
        by_a[a].add(i)
        by_b[b].add(i)
    return [(by_a[a], by_b[b]) for a, b in zip(ga, gb, strict=True)]


def cluster_agreement(
    names: Sequence[str], labels_a: Sequence[str | None], labels_b: Sequence[str | None]
) -> dict[str, Any]:
    """Both measures, plus the clusters the two files draw differently, for adjudication.

    ``names`` label the matched pairs (e.g. "A c3 / B c4"). ``items_differ`` counts the items
    whose cluster-mates in A and in B are not the same items. ``differences`` lists, for every
    cluster of either file that is not also exactly a cluster of the other, how its items fall in
    the other file (cluster id, or None for unlinked): a split, a merge or a link one side lacks.
    """
    ga, gb = _groups(labels_a), _groups(labels_b)
    items_differ = sum(ma != mb for ma, mb in _mates(ga, gb))
    differ: list[dict[str, Any]] = []
    for side, own, other in (("A", labels_a, labels_b), ("B", labels_b, labels_a)):
        members: dict[str, set[int]] = defaultdict(set)
        other_members: dict[str, set[int]] = defaultdict(set)
        for k, (x, y) in enumerate(zip(own, other, strict=True)):
            if x is not None:
                members[x].add(k)
            if y is not None:
                other_members[y].add(k)
        # an unlinked claim is a singleton (module doc): a one-claim cluster equals it
        exact = {frozenset(v) for v in other_members.values()}
        exact |= {frozenset({k}) for k, y in enumerate(other) if y is None}
        for cid in sorted(members):
            if frozenset(members[cid]) in exact:
                continue
            parts: dict[str, list[str]] = defaultdict(list)
            for k in sorted(members[cid]):
                parts[str(other[k])].append(names[k])
            differ.append({"side": side, "cluster": cid, "in_other": dict(parts)})
    linked_a = sum(lab is not None for lab in labels_a)
    linked_b = sum(lab is not None for lab in labels_b)
    return {
        "n": len(names),
        "linked_a": linked_a,
        "linked_b": linked_b,
        "clusters_a": len({lab for lab in labels_a if lab is not None}),
        "clusters_b": len({lab for lab in labels_b if lab is not None}),
        "pairwise": pairwise(labels_a, labels_b),
        "bcubed": bcubed(labels_a, labels_b),
        "items_differ": items_differ,
        "differences": differ,
    }


__all__ = ["bcubed", "cluster_agreement", "pairwise"]
