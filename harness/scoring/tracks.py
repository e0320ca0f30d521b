"""The tracks scored beside the claims: the resolver track (every resolver on the gold timexes with
the gold DCT) and the validation of the set-level similarity against the gold's clusters.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from harness.gold import timex as tx
from harness.gold.corpus import Corpus
from harness.gold.spill import SpillError
from harness.scoring import metrics as M
from harness.scoring import stats
from harness.scoring.score import ScoreConfig


def similarity_validation(corpus: Corpus, config: ScoreConfig) -> dict[str, Any]:
    """Agreement of the set-level similarity with the gold's own matches (clusters), or why not.

    For an LLM judge this is its validation report; for the other text strategies it shows how
    far "similar at the threshold" is from "the same fact" on this gold.
    """

    from harness.scoring.similarity import SimilarityUnavailable, get_similarity
    from harness.scoring.validation import validate_against_gold

    if config.similarity is None:
        return {"status": "not run: no similarity strategy chosen"}
    claim_corpus = corpus.claim_corpus()
    try:
        sim = get_similarity(config.similarity, claim_corpus, config.similarity_config)
        return validate_against_gold(sim, claim_corpus, config.set_threshold, seed=config.seed)
    except SimilarityUnavailable as exc:
        return {"status": f"not run: {exc.reason}", "similarity": config.similarity}
    except SpillError:  # the run's disk, not the strategy
        raise
    except Exception as exc:  # a plugin's failure is reported, never a traceback or a number
        return {"status": f"failed: {type(exc).__name__}: {exc}", "similarity": config.similarity}


# --- resolver track -------------------------------------------------------------------------------


class ResolverInstances(list):  # a list to ``json``'s encoder, which then streams it
    """The resolver track's record of each gold timex (document order), made as it is read from
    the predicted value and two verdicts kept per timex: the document fields come from the
    corpus, so 10,000 articles do not hold a dict per timex. Iterating yields the dicts that
    ``resolvers_instances.json`` lists; ``json.dump`` writes them one at a time."""

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus
        self.values: list[str | None] = []
        self.verdicts: list[tuple[bool, bool]] = []

    def add(self, value: str | None, correct: bool, relaxed: bool) -> None:
        self.values.append(value)
        self.verdicts.append((bool(correct), bool(relaxed)))

    def __len__(self) -> int:
        return len(self.values)

    def __bool__(self) -> bool:
        return bool(self.values)

    def __iter__(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        k = 0
        for doc in self.corpus:
            for t in doc.timexes:
                if k == len(self.values):
                    return
                ok, relaxed = self.verdicts[k]
                yield {"doc_id": doc.doc_id, "id": t.id, "text": t.text, "gold": t.value,
                       "predicted": self.values[k], "correct": ok, "relaxed": relaxed}  # fmt: skip
                k += 1

    def __getitem__(self, i: Any) -> Any:  # type: ignore[override]
        if isinstance(i, slice):
            return list(self)[i]
        return list(self)[i] if i < 0 else next(itertools.islice(iter(self), i, None))

    def __eq__(self, other: object) -> bool:
        return list(iter(self)) == list(other) if isinstance(other, list) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


def resolver_track(corpus: Corpus, config: ScoreConfig) -> dict[str, Any]:
    """Each resolver on the text of every gold timex, with the gold DCT and its sentence as context.

    A document's timexes are resolved in text order, each with the antecedent the resolver's own
    earlier answers leave (:func:`~harness.dates.base.resolve_in_order`), never a gold value.
    """
    from harness.dates.resolve import RESOLVERS, get_resolver, resolve_in_order
    from harness.gold.text import sentence_text

    out: dict[str, Any] = {}
    for name in RESOLVERS:
        resolver = get_resolver(name)
        reason = getattr(resolver, "unavailable_reason", lambda: None)()
        if reason is not None:  # an optional resolver (heideltime) that cannot run here
            out[name] = {"status": f"not run: {reason}", "instances": []}
            continue
        per_doc: dict[str, Any] = {}
        by_type: dict[str, list[int]] = {}
        instances = ResolverInstances(corpus)
        units = []
        for doc in corpus:
            n = strict = relaxed = unanswered = 0
            if getattr(resolver, "document_level", False):  # heideltime: one run per document
                extents = [(t.start, t.end) for t in doc.timexes]
                answers = resolver.resolve_document(doc.text, doc.published.value, extents)
            else:
                order = sorted(
                    range(len(doc.timexes)),
                    key=lambda k: (doc.timexes[k].start, doc.timexes[k].end),
                )
                items = [
                    (doc.timexes[k].text, sentence_text(doc.text, doc.timexes[k].start))
                    for k in order
                ]
                found = resolve_in_order(resolver, items, doc.published.value)
                by_index = dict(zip(order, found, strict=True))
                answers = [by_index[k] for k in range(len(doc.timexes))]
            for k, t in enumerate(doc.timexes):
                res = answers[k]
                value = res.value if res else None
                ok = tx.equal(value, t.value)
                ok_relaxed = tx.overlap(value, t.value, doc.published.value)
                n += 1
                strict += ok
                relaxed += ok_relaxed
                unanswered += value is None
                by_type.setdefault(t.type, [0, 0])
                by_type[t.type][0] += 1
                by_type[t.type][1] += ok
                instances.add(value, ok, ok_relaxed)
            per_doc[doc.doc_id] = {
                "n": n,
                "correct": strict,
                "relaxed": relaxed,
                "accuracy": round(strict / n, 6) if n else None,
                "relaxed_accuracy": round(relaxed / n, 6) if n else None,
                "unanswered": unanswered,
            }
            units.append([n, strict, relaxed])
        arr = np.array(units, dtype=float)
        tot = arr.sum(0)
        acc_fn = lambda x: M._div(x[..., 1], x[..., 0], np.nan)  # noqa: E731
        out[name] = {
            "status": "ok",
            "signature": resolver.signature(),
            "accuracy": round(float(tot[1] / tot[0]), 6) if tot[0] else None,
            "relaxed_accuracy": round(float(tot[2] / tot[0]), 6) if tot[0] else None,
            "n": int(tot[0]),
            "ci": stats.bootstrap_ci(
                arr, acc_fn, config.n_resamples, config.seed, config.confidence
            ),
            "per_document": per_doc,
            "per_type": {
                k: {"n": v[0], "accuracy": round(v[1] / v[0], 6) if v[0] else None}
                for k, v in sorted(by_type.items())
            },
            "instances": instances,
        }
        by_outlet: dict[str, list[int]] = {}
        for i, doc in enumerate(corpus):
            by_outlet.setdefault(doc.outlet_label, []).append(i)
        out[name]["per_outlet"] = {}
        for outlet, idx in sorted(by_outlet.items()):
            sub = arr[idx]
            t = sub.sum(0)
            out[name]["per_outlet"][outlet] = {
                "documents": len(idx),
                "n": int(t[0]),
                "accuracy": round(float(t[1] / t[0]), 6) if t[0] else None,
                "relaxed_accuracy": round(float(t[2] / t[0]), 6) if t[0] else None,
                "ci": stats.bootstrap_ci(
                    sub, acc_fn, config.n_resamples, config.seed, config.confidence
                ),
            }
    return out


def _outlet_units(corpus: Corpus) -> dict[str, list[str]]:
    """Document ids by outlet, with "all" first: the scopes of the per-source date tables."""
    scopes: dict[str, list[str]] = {"all": list(corpus.doc_ids)}
    for doc in corpus:
        scopes.setdefault(f"outlet {doc.outlet_label}", []).append(doc.doc_id)
    return scopes


def resolver_comparisons(
    track: Mapping[str, Any], corpus: Corpus, config: ScoreConfig
) -> list[dict[str, Any]]:
    """Paired tests between resolvers on documents, overall and per outlet, Holm-adjusted."""
    names = [n for n in track if "per_document" in track[n]]  # resolvers that ran
    rows = []
    acc = lambda x: M._div(x[..., 1], x[..., 0], np.nan)  # noqa: E731
    for scope, docs in _outlet_units(corpus).items():
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                a, b = (
                    np.array([[track[n]["per_document"][d][k] for k in ("n", "correct")]
                              for d in docs], dtype=float)
                    for n in (names[i], names[j])
                )  # fmt: skip
                rows.append(stats.randomization_row(scope, (names[i], names[j]), a, b, acc,
                                                    config.ar_trials, config.seed))  # fmt: skip
    return stats.with_holm(rows)
