"""The tables of ``results/``, built from the saved summaries: leaderboard, per source, modes,
comparisons, set-level scores, confidence, the resolver and timex tracks, and the similarity
validation. :class:`SystemRun` is what one extractor's run leaves for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from harness.extraction.predictions import (
    Predictions,
)
from harness.gold.corpus import Corpus
from harness.reporting import tables as report
from harness.reporting.tables import short_status
from harness.scoring import metrics as M
from harness.scoring import stats
from harness.scoring.counts import count_matrix
from harness.scoring.score import ScoreConfig, ScoreResult
from harness.scoring.tracks import _outlet_units


@dataclass
class SystemRun:
    name: str
    #: "ok", "not run: ...", "partial (k/N documents failed: ...)" or "failed (N/N documents:
    #: ...)" (harness.extraction.runner.run_status); only "ok" and "partial" runs are scored.
    status: str
    signature: dict[str, Any] = field(default_factory=dict)
    predictions: Predictions | None = None
    run_log: dict[str, Any] = field(default_factory=dict)
    result: ScoreResult | None = None
    summary: dict[str, Any] | None = None
    seconds: float = 0.0


def leaderboard_table(
    runs: Sequence[SystemRun], signature: Mapping[str, Any], mode_label: str
) -> report.Table:
    detect = signature.get("dct_setting") == "detect"
    cols = ["extractor", "status", "P", "R", "F1", "macro F1", "F_fact", "date acc", "n dated",
            "date acc (relaxed)", "date recall", "claimant acc", "n_pred", "n_gold", "doc errors"]  # fmt: skip
    if detect:
        cols.append("DCT acc")
    rows = []
    for r in runs:
        if r.summary is None:
            rows.append([r.name, short_status(r.status)] + [None] * (len(cols) - 2))
            continue
        o = r.summary["overall"]
        errors = sum(1 for v in r.run_log.values() if v["error"])
        rows.append([
            r.name, short_status(r.status), report.with_ci(o, "precision"), report.with_ci(o, "recall"), report.with_ci(o, "f1"),
            r.summary.get("macro", {}).get("f1"), _f_fact_cell(r.summary), report.with_ci(o, "date_accuracy"),
            o["n_dated"], o["date_accuracy_relaxed"], _with_n(o["date_recall"], o["n_dated_gold"]),
            report.with_ci(o, "claimant_accuracy"), o["n_pred"], o["n_gold"], errors,
        ])  # fmt: skip
        if detect:
            rows[-1].append(_dct_accuracy(r.run_log))
    notes = [
        f"matching: {mode_label}; micro averages over all documents",
        f"F_fact: harmonic mean of set-level Focus and Coverage (many-to-one, similarity "
        f"{signature.get('similarity')} >= {signature.get('set_threshold')}; METRICS.md §7); "
        "the set_level table has its parts",
        "brackets: 95% percentile bootstrap interval, documents resampled "
        f"({signature.get('bootstrap_resamples')} resamples, seed {signature.get('bootstrap_seed')})",
        "macro F1: mean of per-document F1 over documents with a defined F1",
        "date acc: strict TIMEX3 equality over matched pairs whose gold claim has a date (n "
        "dated pairs); date recall: correct dates / all dated gold claims (n in parentheses); "
        "claimant acc: over matched pairs",
        f"DCT setting: {signature.get('dct_setting')}",
        *(
            [
                "DCT acc: documents whose detected DCT has the gold day (no DCT found counts as "
                "wrong), n in parentheses"
            ]
            if detect
            else []
        ),
        *not_run_notes(runs),
    ]
    return report.Table("leaderboard", "Leaderboard", cols, rows, signature, notes)


def _dct_accuracy(run_log: Mapping[str, Any]) -> str:
    """Share of documents whose detected DCT is the gold day (``--dct detect``)."""
    verdicts = [bool(v.get("dct_correct")) for v in run_log.values() if not v.get("error")]
    if not verdicts:
        return "– (n=0)"
    return _with_n(sum(verdicts) / len(verdicts), len(verdicts))


def _f_fact_cell(summary: Mapping[str, Any]) -> Any:
    block = summary.get("set_level", {})
    if block.get("status") != "ok":
        return short_status(block.get("status", "not run"))
    return report.with_ci(block["overall"], "f_fact")


def set_level_table(runs: Sequence[SystemRun], signature: Mapping[str, Any]) -> report.Table:
    """Set-level scores of every extractor (METRICS.md §7), with document-bootstrap intervals;
    each row is the one ``harness report`` renders from that extractor's summary.json."""
    rows = [report.set_level_row(r.name, r.summary, r.status) for r in runs]
    notes = [*report.set_level_notes(signature, [r.summary for r in runs]), *not_run_notes(runs)]
    return report.Table(
        "set_level", report.SET_LEVEL_TITLE, report.SET_LEVEL_COLUMNS, rows, signature, notes
    )


def validation_table(v: Mapping[str, Any], signature: Mapping[str, Any]) -> report.Table:
    cols = ["similarity", "status", "threshold", "pairs", "same-cluster pairs", "both match",
            "both no match", "said match, gold not", "said no match, gold match", "kappa",
            "false coverage"]  # fmt: skip
    if v.get("status") != "run":
        rows = [[v.get("similarity", signature.get("similarity")), short_status(v["status"])]
                + [None] * (len(cols) - 2)]  # fmt: skip
    else:
        rows = [[v["similarity"], "ok", v["threshold"], v["n_pairs"], v["n_positive"],
                 v["agree_match"], v["agree_no_match"], v["said_match_gold_not"],
                 v["said_no_match_gold_match"], v["kappa"],
                 f"{report.fmt(v['false_coverage'])} ({v['false_coverage_hits']}/{v['false_coverage_claims']})"]]  # fmt: skip
    notes = [
        "pairs of gold claims labelled by the gold: same cluster = the same fact; every "
        "same-cluster pair (at most 100, sampled with the seed) and as many pairs of claims of one "
        "article that state different facts",
        "kappa: Cohen's kappa between 'similarity >= threshold' and 'same cluster' (METRICS.md §7)",
        "false coverage: gold claims whose best similarity to the other facts of their own article "
        "reaches the threshold / gold claims; how far same-story predictions can inflate "
        "Coverage and Focus",
    ]
    if v.get("status") not in (None, "run"):
        notes.append(f"{v.get('similarity')}: {v['status']}")
    return report.Table(
        "similarity_validation",
        "Similarity strategy against the gold's own matches",
        cols,
        rows,
        signature,
        notes,
    )


def confidence_table(runs: Sequence[SystemRun], signature: Mapping[str, Any]) -> report.Table:
    """Average precision over confidence and the F1-maximizing threshold, per extractor."""
    cols = ["extractor", "status", "AP", "best threshold", "P at best", "R at best", "F1 at best",
            "dev documents", "held-out F1 at best"]  # fmt: skip
    rows = []
    for r in runs:
        c = (r.summary or {}).get("confidence_curve", {})
        if r.summary is None or c.get("status") != "run":
            status = r.status if r.summary is None else c.get("status", "not run")
            rows.append([r.name, short_status(status)] + [None] * (len(cols) - 2))
            continue
        best = c["best_dev"]
        held = c.get("held_out_at_best")
        rows.append([
            r.name, "ok", c["average_precision"], c["best_threshold"], best["precision"],
            best["recall"], best["f1"], len(c["dev_documents"]), held["f1"] if held else None,
        ])  # fmt: skip
    notes = [
        "each point keeps the predictions with confidence >= the threshold and matches them "
        "again; AP = sum of (R_k - R_k-1) * P_k (no interpolation); METRICS.md §7.3",
        "the best threshold maximizes F1 on the dev documents (ties: the higher threshold); the "
        "corpus has no held-out split unless dev documents are given (--dev-docs)",
        *not_run_notes(runs),
    ]
    return report.Table(
        "confidence", "Precision-recall over confidence", cols, rows, signature, notes
    )


def not_run_notes(runs: Sequence[SystemRun]) -> list[str]:
    return [f"{r.name}: {r.status}" for r in runs if r.status != "ok"]


def _with_n(value: float | None, n: int) -> str:
    return f"{report.fmt(value)} (n={n})"


def per_source_table(
    runs: Sequence[SystemRun], corpus: Corpus, signature: Mapping[str, Any]
) -> report.Table:
    cols = ["extractor", "source", "outlet", "P", "R", "F1", "date acc", "n_dated", "date recall",
            "claimant acc", "n_gold", "n_pred", "tp"]  # fmt: skip
    rows = []
    for r in runs:
        if r.summary is None:
            rows.append([r.name, short_status(r.status)] + [None] * (len(cols) - 2))
            continue
        for doc in corpus.claim_documents:
            b = r.summary["per_document"][doc.doc_id]
            rows.append([r.name, doc.doc_id, doc.outlet_label, *_block_cells(b)])
        for outlet, b in r.summary["per_outlet"].items():
            rows.append([r.name, f"outlet: {outlet}", outlet, *_block_cells(b)])
    notes = [
        "one row per extractor and document, then per outlet (pooled counts)",
        "outlet 'unknown (<doc_id>)': the article names no outlet (annotation field outlet: "
        "null); each such article is its own group, never pooled with another",
        *claims_left_out_notes(corpus),
        *not_run_notes(runs),
    ]
    return report.Table("per_source", "Scores per source", cols, rows, signature, notes)


def claims_left_out_notes(corpus: Corpus) -> list[str]:
    """The note every claim table carries when documents have claims not annotated."""
    n = len(corpus) - len(corpus.claim_documents)
    if not n:
        return []
    if not corpus.claim_documents:
        return [
            f"not run: claims not annotated in any of the {n} documents (claims: null); "
            "this collection has the date tracks only (resolvers, timex)"
        ]
    return [
        f"{n} of {len(corpus)} documents have claims not annotated (claims: null) and are left "
        "out of every claim metric; their predicted claims are not scored"
    ]


def _block_cells(b: Mapping[str, Any]) -> list[Any]:
    return [b["precision"], b["recall"], b["f1"], b["date_accuracy"], b["n_dated"],
            b["date_recall"], b["claimant_accuracy"], b["n_gold"], b["n_pred"], b["tp"]]  # fmt: skip


def modes_table(
    mode_scores: Mapping[str, Mapping[str, Any]], signature: Mapping[str, Any]
) -> report.Table:
    from harness.scoring.match import MODES

    cols = (
        ["extractor"]
        + [f"F1 {m} (>= {MODES[m].threshold:g})" for m in MODES]
        + [f"date acc {m}" for m in MODES]
    )
    rows = []
    for name, by_mode in mode_scores.items():
        rows.append(
            [name]
            + [report.with_ci(by_mode[m]["overall"], "f1") if by_mode else None for m in MODES]
            + [by_mode[m]["overall"]["date_accuracy"] if by_mode else None for m in MODES]
        )
    notes = [
        "span: token F1 of spans; sentence: Jaccard of touched sentences; text: TF-IDF cosine "
        "of claim texts; predictions without a span are matched by text in every mode"
    ]
    return report.Table("modes", "F1 under each matching mode", cols, rows, signature, notes)


def comparisons_table(comp: Mapping[str, Any], signature: Mapping[str, Any]) -> report.Table:
    cols = ["A", "B", "metric", "A value", "B value", "A - B", "p (paired bootstrap)",
            "p (randomization)", "exact", "p bootstrap (Holm)", "p randomization (Holm)", "verdict"]  # fmt: skip
    rows = [
        [
            c["a"],
            c["b"],
            c["metric"],
            c["a_value"],
            c["b_value"],
            c["difference"],
            c["p_bootstrap"],
            c["p_randomization"],
            c["randomization_exact"],
            c["p_bootstrap_holm"],
            c["p_randomization_holm"],
            c["verdict"],
        ]
        for c in comp["comparisons"]
    ]
    notes = [
        f"unit: {comp['unit']} (n={comp['n_units']}); {comp['correction']}; verdict: "
        f"{comp['verdict_basis']} with alpha {comp['alpha']}",
        comp["note"],
    ]
    if not rows:
        notes.append("not run: fewer than two extractors produced predictions")
    notes += _disagreement_notes(comp)
    return report.Table(
        "comparisons", "Paired comparisons of extractors", cols, rows, signature, notes
    )


def _disagreement_notes(comp: Mapping[str, Any]) -> list[str]:
    """Say why, where the paired bootstrap and the randomization test reach different verdicts."""
    alpha = comp["alpha"]
    split = [
        c
        for c in comp["comparisons"]
        if c["p_bootstrap_holm"] is not None
        and c["p_randomization_holm"] is not None
        and (c["p_bootstrap_holm"] < alpha) != (c["p_randomization_holm"] < alpha)
    ]
    if not split:
        return []
    where = ", ".join(f"{c['a']} vs {c['b']} on {c['metric']}" for c in split[:6])
    more = f" and {len(split) - 6} more" if len(split) > 6 else ""
    return [
        f"the two tests disagree on {len(split)} row(s) ({where}{more}): the paired bootstrap "
        "compares the observed |difference| with resampled ones centred on their mean, and with "
        "few documents its resamples repeat the same few documents, so it can give a small p "
        "where no swap of the two systems' outputs per document can; the randomization test "
        "enumerates (or samples) those swaps, exactly for small corpora (METRICS.md, paired "
        "comparisons); the verdict follows the randomization test"
    ]


def date_comparisons_table(
    rows: Sequence[Mapping[str, Any]],
    title: str,
    name: str,
    metric: str,
    signature: Mapping[str, Any],
) -> report.Table:
    cols = ["scope", "A", "B", "documents", f"A {metric}", f"B {metric}", "p (randomization)",
            "exact", "p (Holm)", "verdict"]  # fmt: skip
    table_rows = [[r["scope"], r["a"], r["b"], r["documents"], r["a_value"], r["b_value"],
                   r["p_randomization"], r["exact"], r["p_holm"], r["verdict"]] for r in rows]  # fmt: skip
    notes = [
        "paired approximate randomization over documents (two-sided), overall and within each "
        "outlet; Holm-Bonferroni over all rows; verdict at alpha 0.05"
    ]
    if not table_rows:
        notes.append("not run: fewer than two systems on this track")
    return report.Table(name, title, cols, table_rows, signature, notes)


def resolver_outlet_rows(track: Mapping[str, Any]) -> list[list[Any]]:
    """Resolver-table rows per outlet (pooled, with a document-bootstrap interval)."""
    rows = []
    for name, r in track.items():
        for outlet, v in r.get("per_outlet", {}).items():  # a not-run resolver has none
            rows.append([name, f"outlet {outlet} ({v['documents']} docs)", v["n"],
                         (v["accuracy"], *v["ci"]), v["relaxed_accuracy"], None])  # fmt: skip
    return rows


def timex_outlet_rows(
    runs: Sequence[SystemRun], corpus: Corpus, config: ScoreConfig
) -> tuple[list[list[Any]], list[dict[str, Any]]]:
    """Timex-track rows per outlet (pooled, intervals) and paired tests between extractors."""
    rows: list[list[Any]] = []
    scored = [r for r in runs if r.result is not None and r.result.timex_counts is not None]
    scopes = _outlet_units(corpus)
    mats: dict[str, dict[str, np.ndarray]] = {}
    for r in scored:
        counts = r.result.timex_counts
        mats[r.name] = {}
        for scope, docs in scopes.items():
            m = count_matrix(counts, docs, M.TIMEX_COUNTS)
            mats[r.name][scope] = m
            if scope == "all":
                continue
            o = M.timex_block(dict(zip(M.TIMEX_COUNTS, m.sum(0).astype(int), strict=True)))
            ci = {k: stats.bootstrap_ci(m, lambda x, k=k: M.timex_metrics(x)[k],
                                        config.n_resamples, config.seed, config.confidence)
                  for k in ("relaxed_f1", "value_f1")}  # fmt: skip
            rows.append([f"{r.name} · {scope} ({len(docs)} docs)"]
                        + [(o[k], *ci[k]) if k in ci else o[k] for k in M.TIMEX_METRICS]
                        + [o["n_gold"], o["n_pred"]])  # fmt: skip
    comps = []
    fn = lambda x: M.timex_metrics(x)["value_f1"]  # noqa: E731
    for scope in scopes:
        for i in range(len(scored)):
            for j in range(i + 1, len(scored)):
                a, b = mats[scored[i].name][scope], mats[scored[j].name][scope]
                names = (scored[i].name, scored[j].name)
                comps.append(stats.randomization_row(scope, names, a, b, fn, config.ar_trials,
                                                     config.seed))  # fmt: skip
    return rows, stats.with_holm(comps)


def resolver_table(
    track: Mapping[str, Any], corpus: Corpus, signature: Mapping[str, Any]
) -> report.Table:
    cols = ["resolver", "scope", "n", "accuracy", "relaxed accuracy", "unanswered"]
    rows = []
    notes = []
    for name, r in track.items():
        if r["status"] != "ok":
            rows.append([name, short_status(r["status"]), None, None, None, None])
            notes.append(f"{name}: {r['status']}")
            continue
        rows.append([name, "all", r["n"], (r["accuracy"], *r["ci"]), r["relaxed_accuracy"],
                     sum(d["unanswered"] for d in r["per_document"].values())])  # fmt: skip
        for doc in corpus:
            d = r["per_document"][doc.doc_id]
            rows.append(
                [name, doc.doc_id, d["n"], d["accuracy"], d["relaxed_accuracy"], d["unanswered"]]
            )
        for typ, v in r["per_type"].items():
            rows.append([name, f"type {typ}", v["n"], v["accuracy"], None, None])
    notes[:0] = ["oracle spans: every gold timex's text, the gold DCT, and its sentence as context"
                 " (heideltime: the whole document, one run each, and the gold extents)",
                 "accuracy: strict TIMEX3 equality; relaxed: intervals overlap; brackets: 95% "
                 "document bootstrap"]  # fmt: skip
    return report.Table(
        "resolvers", "Resolver track: value accuracy on gold timexes", cols, rows, signature, notes
    )


def timex_table(runs: Sequence[SystemRun], signature: Mapping[str, Any]) -> report.Table:
    cols = ["extractor", "strict P", "strict R", "strict F1", "relaxed P", "relaxed R",
            "relaxed F1", "value acc", "value F1", "type acc", "n_gold", "n_pred"]  # fmt: skip
    rows = []
    for r in runs:
        if r.summary is None:
            rows.append([r.name, short_status(r.status)] + [None] * (len(cols) - 2))
            continue
        t = r.summary["timex"]
        if t["status"] != "scored":
            rows.append([r.name, t["status"]] + [None] * (len(cols) - 2))
            continue
        o = t["overall"]
        rows.append([r.name] + [o[k] for k in M.TIMEX_METRICS] + [o["n_gold"], o["n_pred"]])
    notes = ["TempEval-3 definitions (UzZaman et al., 2013): strict = same extent, relaxed = overlap; "
             "value/type accuracy over relaxed matches; value F1 = value accuracy x relaxed F1"]  # fmt: skip
    notes.append(
        "the shared tagger (harness.dates.tagger) was developed on "
        "this gold: timex scores of extractors that use it are development scores, optimistic"
    )
    notes += not_run_notes(runs)
    return report.Table("timex", "Timex track", cols, rows, signature, notes)
