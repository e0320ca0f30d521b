"""``harness agree``: inter-annotator agreement between two annotation files of one article.

GUIDELINES G10: a second annotator annotates the article independently (same format, from
``harness new``), and this module measures how far the two files agree, with the harness's own
definitions so that agreement and system scores are comparable:

* claims: F1 under every matching mode (:data:`harness.match.MODES`), B's claims matched against
  A's as if they were predictions (:func:`harness.match.match_document`). P and R swap when A and B
  swap; F1 does not.
* timexes: TempEval-3 strict and relaxed span F1, value and type accuracy over the relaxed-matched
  pairs (:func:`harness.score.score_timexes`, the scorer of the timex track).
* the DCT: equal or not.
* on the claims matched in ``span`` mode: claimant agreement (:func:`harness.metrics.claimant_correct`)
  and date agreement, strict (:func:`harness.timex.equal`) and relaxed (:func:`harness.timex.overlap`).
* clusters: the two partitions of the matched claims, pairwise (link) and B-cubed P/R/F1
  (:mod:`harness.annotate.agree_clusters`); the annotators' cluster ids need not be the same.
* Cohen's kappa for the categorical decisions: timex type (relaxed-matched pairs), claimant is
  ``<AUTHOR>`` and claim has a date (matched claims), and "this sentence contains a claim" over
  every sentence of the article (:func:`harness.text.sentence_spans`). Kappa is undefined (None,
  with the reason) when there are no items or both annotators used one category only.

The result also lists every disagreement, item by item, for the adjudication G10 describes,
including every matched pair whose evidence spans differ (a match needs token F1 >= 0.5 only).
:func:`format_agreement` (:mod:`harness.annotate.agree_report`) renders it; several articles at
once: :mod:`harness.annotate.agree_corpus`.

Both files are validated first (:func:`harness.validate.check_file`) and agreement is refused
while either has a problem, with two exceptions that concern the corpus rather than the file: the
file name need not equal the id (the second annotator's copy lives elsewhere, under any name), and
cluster ids are not checked against clusters.yaml (each annotator keeps their own registry;
the partitions are compared, not the ids).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness.extraction.api import PredictedClaim, PredictedTimex
from harness.gold import timex as tx
from harness.gold.corpus import Corpus, GoldDocument, Timex
from harness.gold.files import unreadable_problem
from harness.gold.text import Overlaps
from harness.gold.validate import Problem, check_file

# harness.match and harness.metrics import numpy (and the match step scipy and scikit-learn), so
# they are imported where used: `harness --help` must not pay for them.

#: Mode whose matched pairs carry the claimant, date and kappa comparisons.
PAIR_MODE = "span"
_MAX_LISTED = 20


class AgreementError(ValueError):
    """Agreement cannot be computed (a file has problems, or the files are of different articles)."""


def _load(path: str | Path, root: Path, label: str) -> GoldDocument:
    path = Path(path)
    if not path.exists():
        raise AgreementError(
            f"{path}: annotation file not found; hint: give the two files to compare, e.g. "
            "harness agree annotations/<id>.yaml agreement/<id>.<annotator>.yaml"
        )
    if (refused := unreadable_problem(path, root, str(path))) is not None:  # not read
        raise AgreementError(f"file {label}: {refused}")
    doc, problems = check_file(path, root, None)
    problems = [p for p in problems if not _is_file_name_problem(p)]
    if problems or doc is None:
        listed = "\n".join(f"  {p}" for p in problems[:_MAX_LISTED])
        more = len(problems) - _MAX_LISTED
        if more > 0:
            listed += f"\n  ... and {more} more"
        raise AgreementError(
            f"file {label} ({path}) does not validate, and agreement is computed on validated files "
            f"only; {len(problems)} problem(s):\n{listed}\n"
            f"hint: run 'harness validate --annotations {Path(path).parent} {path}' and fix "
            "them (confirm or delete every 'suggested: true' record)"
        )
    return doc


def _is_file_name_problem(p: Problem) -> bool:
    return p.record is None and p.field == "id" and "differs from the file name" in p.message


# --- entry points -------------------------------------------------------------------------------


def agree(a: str | Path, b: str | Path, annotations_dir: str | Path = "annotations") -> dict:
    """Agreement between annotation files ``a`` and ``b`` of the same article (see module doc).

    The project root, where ``source`` paths start, is the parent of ``annotations_dir``. Returns
    a JSON-ready dict; :func:`format_agreement` renders it as text.
    """
    root = Path(annotations_dir).resolve().parent
    doc_a = _load(a, root, "A")
    doc_b = _load(b, root, "B")
    if doc_a.source_file != doc_b.source_file or doc_a.sha256 != doc_b.sha256:
        raise AgreementError(
            f"the files annotate different texts: A ({a}) has source {doc_a.source_file} "
            f"(sha256 {doc_a.sha256[:12]}...), B ({b}) has source {doc_b.source_file} "
            f"(sha256 {doc_b.sha256[:12]}...); hint: both annotators must annotate the same seed "
            "file, unchanged"
        )
    text = doc_a.text
    dct = doc_a.published.value

    claims, pairs = _claim_agreement(doc_a, doc_b)
    timex_block, timex_pairs, timex_unmatched = _timex_agreement(doc_a, doc_b)
    matched = _matched_claims(doc_a, doc_b, pairs, dct)
    kappas = {
        "timex_type": kappa(
            [ta.type for ta, _ in timex_pairs],
            [tb.type for _, tb in timex_pairs],
            "relaxed-matched timex pairs",
        ),
        "claimant_is_author": kappa(
            [_is_author(doc_a.claims[i].claimant) for i, _ in pairs],
            [_is_author(doc_b.claims[j].claimant) for _, j in pairs],
            f"claims matched in {PAIR_MODE} mode",
        ),
        "claim_has_date": kappa(
            [doc_a.claims[i].date is not None for i, _ in pairs],
            [doc_b.claims[j].date is not None for _, j in pairs],
            f"claims matched in {PAIR_MODE} mode",
        ),
        "sentence_has_claim": kappa(
            _sentence_labels(doc_a),
            _sentence_labels(doc_b),
            "sentences of the article",
        ),
    }
    dct_block = {
        "a": doc_a.published.value,
        "b": doc_b.published.value,
        "equal": tx.equal(doc_a.published.value, doc_b.published.value),
        "overlap": tx.overlap(doc_a.published.value, doc_b.published.value),
    }
    from harness.gold.text import sentence_spans

    clusters = _cluster_block(doc_a, doc_b, pairs)
    disagreements = _disagreements(
        doc_a, doc_b, pairs, timex_pairs, timex_unmatched, dct_block, dct
    )
    disagreements["cluster"] = clusters.pop("differences")
    return {
        "article": {
            "source": doc_a.source_file,
            "sha256": doc_a.sha256,
            "n_sentences": len(sentence_spans(text)),
            "a": _file_info(a, doc_a),
            "b": _file_info(b, doc_b),
        },
        "claims": claims,
        "timexes": timex_block,
        "dct": dct_block,
        "matched_claims": matched,
        "clusters": clusters,
        "kappa": kappas,
        "disagreements": disagreements,
    }


def _cluster_block(
    doc_a: GoldDocument, doc_b: GoldDocument, pairs: Sequence[tuple[int, int]]
) -> dict[str, Any]:
    """Cluster agreement over the matched pairs (:mod:`harness.annotate.agree_clusters`)."""
    from harness.annotate.agree_clusters import cluster_agreement

    block = cluster_agreement(
        [f"A {doc_a.claims[i].id} / B {doc_b.claims[j].id}" for i, j in pairs],
        [doc_a.claims[i].cluster for i, _ in pairs],
        [doc_b.claims[j].cluster for _, j in pairs],
    )
    # the labels themselves, so that a corpus can pool its articles' items into one partition
    block["pairs"] = [
        {
            "a": doc_a.claims[i].id,
            "b": doc_b.claims[j].id,
            "a_cluster": doc_a.claims[i].cluster,
            "b_cluster": doc_b.claims[j].cluster,
        }
        for i, j in pairs
    ]
    return block


def _file_info(path: str | Path, doc: GoldDocument) -> dict[str, Any]:
    return {
        "file": str(path),
        "id": doc.doc_id,
        "annotator": doc.annotator,
        "guidelines": doc.guidelines,
        "n_claims": len(doc.claims),
        "n_timexes": len(doc.timexes),
    }


# --- claims -------------------------------------------------------------------------------------


def _as_predictions(doc: GoldDocument) -> list[PredictedClaim]:
    return [
        PredictedClaim(
            doc_id=doc.doc_id,
            text=c.text,
            start=c.start,
            end=c.end,
            claimant=c.claimant,
            date=c.date,
        )
        for c in doc.claims
    ]


def _claim_agreement(
    doc_a: GoldDocument, doc_b: GoldDocument
) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    """F1 per mode, and the (A index, B index) pairs of :data:`PAIR_MODE`.

    The text mode's TF-IDF is fitted on this article's sentences and both files' claim texts, so
    that the figure does not depend on the rest of the corpus, and is the same with A and B swapped.
    """
    from harness.scoring.match import MODES, TextSimilarity, get_mode, match_document

    preds = _as_predictions(doc_b)
    text_sim = TextSimilarity(Corpus(documents=(doc_a, doc_b)))
    out: dict[str, Any] = {}
    pairs: list[tuple[int, int]] = []
    for name in MODES:
        mode = get_mode(name)
        m = match_document(doc_a, preds, mode, text_sim)
        tp = len(m.pairs)
        block = _prf(tp, len(doc_a.claims), len(preds))
        block["threshold"] = mode.threshold
        block["description"] = mode.description
        out[name] = block
        if name == PAIR_MODE:
            pairs = [(p.gold, p.pred) for p in m.pairs]
    return out, pairs


def _prf(tp: int, n_a: int, n_b: int) -> dict[str, Any]:
    """P = tp/n_b (B as predictions), R = tp/n_a, F1; 0.0 where one side is empty, as the scorer
    does, and None when both are."""
    p = tp / n_b if n_b else 0.0
    r = tp / n_a if n_a else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    if n_a == n_b == 0:  # nothing to agree on: undefined, not 0 (the scorer's 0 means a miss)
        return {"n_a": 0, "n_b": 0, "matched": 0, "precision": None, "recall": None, "f1": None}
    return {"n_a": n_a, "n_b": n_b, "matched": tp, "precision": _r(p), "recall": _r(r), "f1": _r(f)}


def _r(x: float) -> float:
    return round(float(x), 6)


def _is_author(claimant: str) -> bool:
    from harness.scoring import metrics as M

    return M.claimant_tokens(claimant) == [M.AUTHOR]


def _matched_claims(
    doc_a: GoldDocument, doc_b: GoldDocument, pairs: Sequence[tuple[int, int]], dct: str
) -> dict[str, Any]:
    """Claimant and date agreement over the claim pairs matched in :data:`PAIR_MODE`.

    Dates: ``both_dated`` pairs are compared strictly and relaxed (``*_REF`` anchored on A's DCT);
    ``agreement_strict``/``agreement_relaxed`` count a pair where both are undated as agreeing, so
    that "no date" versus "a date" is a disagreement.
    """
    from harness.scoring import metrics as M

    n = len(pairs)
    claimant_ok = sum(
        M.claimant_correct(doc_b.claims[j].claimant, doc_a.claims[i].claimant) for i, j in pairs
    )
    both_dated = both_undated = strict = relaxed = 0
    for i, j in pairs:
        da, db = doc_a.claims[i].date, doc_b.claims[j].date
        if da is None and db is None:
            both_undated += 1
        elif da is not None and db is not None:
            both_dated += 1
            strict += tx.equal(da, db)
            relaxed += tx.overlap(da, db, dct)
    return {
        "mode": PAIR_MODE,
        "n": n,
        "claimant": {"agree": claimant_ok, "n": n, "accuracy": _ratio(claimant_ok, n)},
        "date": {
            "n": n,
            "both_dated": both_dated,
            "both_undated": both_undated,
            "one_dated": n - both_dated - both_undated,
            "strict": strict,
            "relaxed": relaxed,
            "accuracy_strict": _ratio(strict, both_dated),
            "accuracy_relaxed": _ratio(relaxed, both_dated),
            "agreement_strict": _ratio(strict + both_undated, n),
            "agreement_relaxed": _ratio(relaxed + both_undated, n),
        },
    }


def _ratio(num: int, den: int) -> float | None:
    return _r(num / den) if den else None


def _sentence_labels(doc: GoldDocument) -> list[bool]:
    from harness.gold.text import sentence_spans, sentences_touching

    touched = {i for c in doc.claims for i in sentences_touching(doc.text, c.start, c.end)}
    return [i in touched for i in range(len(sentence_spans(doc.text)))]


# --- timexes ------------------------------------------------------------------------------------


def _timex_agreement(
    doc_a: GoldDocument, doc_b: GoldDocument
) -> tuple[dict[str, Any], list[tuple[Timex, Timex]], dict[str, list[Timex]]]:
    """The timex track's counts with B as predictions, and the pairs they are based on.

    A pair is an A timex and the B timex that overlaps it most (the scorer's rule), so a B timex
    may partner two A timexes; the unmatched lists hold the timexes overlapping nothing.
    """
    from harness.scoring import metrics as M
    from harness.scoring.score import score_timexes

    preds = [
        PredictedTimex(doc_b.doc_id, t.start, t.end, t.text, t.type, t.value) for t in doc_b.timexes
    ]
    counts = score_timexes(doc_a, preds)
    block = M.timex_block(counts)
    block = {"n_a": counts["n_gold"], "n_b": counts["n_pred"], **block}
    pairs: list[tuple[Timex, Timex]] = []
    in_a, in_b = Overlaps(doc_a.timexes), Overlaps(doc_b.timexes)
    for ta in doc_a.timexes:
        cands = in_b(ta)
        if cands:
            pairs.append((ta, max(cands, key=lambda tb: (_overlap(ta, tb), -tb.start, -tb.end))))
    unmatched = {
        "a": [ta for ta in doc_a.timexes if not in_b(ta)],
        "b": [tb for tb in doc_b.timexes if not in_a(tb)],
    }
    return block, pairs, unmatched


def _overlap(a: Timex, b: Timex) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


# --- kappa --------------------------------------------------------------------------------------


def kappa(labels_a: Sequence[Any], labels_b: Sequence[Any], items: str) -> dict[str, Any]:
    """Cohen's kappa of two label sequences, with n, observed agreement and the confusion table.

    ``kappa`` is None, with ``reason``, when there are no items or both annotators used a single
    category (the chance agreement is then 1 and kappa is 0/0).
    """
    if len(labels_a) != len(labels_b):
        raise ValueError(f"kappa needs paired labels, got {len(labels_a)} and {len(labels_b)}")
    n = len(labels_a)
    cats = sorted({_label(x) for x in [*labels_a, *labels_b]})
    a = [_label(x) for x in labels_a]
    b = [_label(x) for x in labels_b]
    observed = _ratio(sum(x == y for x, y in zip(a, b, strict=True)), n)
    confusion = [
        [sum(x == ca and y == cb for x, y in zip(a, b, strict=True)) for cb in cats] for ca in cats
    ]
    block: dict[str, Any] = {
        "items": items,
        "n": n,
        "observed_agreement": observed,
        "kappa": None,
        "reason": None,
        "labels": cats,
        "confusion": confusion,
    }
    if n == 0:
        block["reason"] = f"no items ({items})"
    elif len(cats) == 1:
        block["reason"] = (
            f"both annotators chose {cats[0]!r} for every item: chance agreement is 1, kappa is "
            "undefined"
        )
    else:
        from sklearn.metrics import cohen_kappa_score

        block["kappa"] = _r(cohen_kappa_score(a, b))
    return block


def _label(x: Any) -> str:
    if isinstance(x, bool):
        return "yes" if x else "no"
    return str(x)


# --- disagreements ------------------------------------------------------------------------------


def _disagreements(
    doc_a: GoldDocument,
    doc_b: GoldDocument,
    pairs: Sequence[tuple[int, int]],
    timex_pairs: Sequence[tuple[Timex, Timex]],
    timex_unmatched: dict[str, list[Timex]],
    dct_block: dict[str, Any],
    dct: str,
) -> dict[str, list[dict[str, Any]]]:
    """Every item the two files disagree on, in text order, for adjudication (G10)."""
    from harness.scoring import metrics as M

    matched_a = {i for i, _ in pairs}
    matched_b = {j for _, j in pairs}
    out: dict[str, list[dict[str, Any]]] = {
        "dct": [] if dct_block["equal"] else [{"a": dct_block["a"], "b": dct_block["b"]}],
        "claims_only_in_a": [
            _claim_item(c) for i, c in enumerate(doc_a.claims) if i not in matched_a
        ],
        "claims_only_in_b": [
            _claim_item(c) for j, c in enumerate(doc_b.claims) if j not in matched_b
        ],
        "claim_extent": [],
        "claimant": [],
        "claim_date": [],
        "timexes_only_in_a": [_timex_item(t) for t in timex_unmatched["a"]],
        "timexes_only_in_b": [_timex_item(t) for t in timex_unmatched["b"]],
        "timex_extent": [],
        "timex_value": [],
        "timex_type": [],
    }
    for i, j in pairs:
        ca, cb = doc_a.claims[i], doc_b.claims[j]
        if (ca.start, ca.end) != (cb.start, cb.end):
            out["claim_extent"].append(_extent_item(doc_a.text, ca, cb))
        if not M.claimant_correct(cb.claimant, ca.claimant):
            out["claimant"].append(
                {"a": ca.id, "b": cb.id, "a_value": ca.claimant, "b_value": cb.claimant}
            )
        if not (ca.date is None and cb.date is None) and not tx.equal(ca.date, cb.date):
            out["claim_date"].append(
                {
                    "a": ca.id,
                    "b": cb.id,
                    "a_value": ca.date,
                    "b_value": cb.date,
                    "relaxed": tx.overlap(ca.date, cb.date, dct),
                }
            )
    for ta, tb in timex_pairs:
        base = {"a": ta.id, "b": tb.id, "a_quote": ta.text, "b_quote": tb.text}
        if (ta.start, ta.end) != (tb.start, tb.end):
            out["timex_extent"].append(base)
        if not tx.equal(ta.value, tb.value):
            out["timex_value"].append({**base, "a_value": ta.value, "b_value": tb.value})
        if ta.type != tb.type:
            out["timex_type"].append({**base, "a_value": ta.type, "b_value": tb.type})
    return out


def _extent_item(text: str, ca: Any, cb: Any) -> dict[str, Any]:
    """A matched pair whose evidence spans differ: both spans, their token F1, how they relate."""
    from harness.scoring.match import span_f1

    if ca.start <= cb.start and cb.end <= ca.end:
        relation = "B inside A"
    elif cb.start <= ca.start and ca.end <= cb.end:
        relation = "A inside B"
    else:
        relation = "overlapping"
    return {
        "a": ca.id,
        "b": cb.id,
        "a_span": [ca.start, ca.end],
        "b_span": [cb.start, cb.end],
        "a_evidence": ca.evidence,
        "b_evidence": cb.evidence,
        "token_f1": _r(span_f1(text, (ca.start, ca.end), (cb.start, cb.end))),
        "relation": relation,
    }


def _claim_item(c: Any) -> dict[str, Any]:
    return {"id": c.id, "start": c.start, "end": c.end, "evidence": c.evidence, "text": c.text}


def _timex_item(t: Timex) -> dict[str, Any]:
    return {"id": t.id, "start": t.start, "end": t.end, "quote": t.text, "value": t.value}


from harness.annotate.agree_report import format_agreement  # noqa: E402  (the old import path)

__all__ = ["AgreementError", "agree", "format_agreement", "kappa"]
