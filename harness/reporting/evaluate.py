"""``nox -s evaluate`` / ``harness evaluate``: run every extractor, score it, write ``results/``.

Layout of the output directory (every table in .md, .csv, .tex and .json):

* ``leaderboard``: one row per extractor (micro P/R/F1 with 95% document-bootstrap intervals,
  date and claimant accuracy), extractors that could not run listed with the reason;
* ``per_source``: every extractor on every document and every outlet;
* ``modes``: F1 of every extractor under each matching mode;
* ``comparisons``: paired tests between extractors (Holm-adjusted);
* ``resolvers``: the resolver track (each resolver on the gold timexes with the gold DCT);
* ``timex``: the timex track (TempEval-3 metrics) for extractors that predict timexes;
* ``set_level``: Focus, Coverage, F_fact, redundancy, fact recall and claimant token F1 under
  the chosen similarity strategy (METRICS.md §7);
* ``confidence``: average precision over prediction confidence and the F1-maximizing threshold;
* ``chart.png``: per-source F1 and date accuracy by extractor; ``pr_curve.png``: precision-recall
  curves over confidence (only when some extractor's predictions all carry one);
* ``systems/<name>/``: ``predictions.jsonl``, ``summary.json``, ``instances.jsonl`` (one record
  per gold and predicted claim), ``errors.md`` (error analysis) and ``run.json`` (per-document
  extractor errors, usage, detected DCT).

Every file is written atomically; the same inputs give the same files, timestamps aside.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from harness.extraction.api import (
    Document,
    Extraction,
    Extractor,
    as_extraction,
)
from harness.extraction.predictions import (
    Predictions,
    claim_record,
    timex_record,
    write_jsonl_atomic,
    write_text_atomic,
)
from harness.extraction.registry import available_names, default_config_dir, load_extractor_class
from harness.gold import timex as tx
from harness.gold.corpus import Corpus
from harness.gold.yamlio import YamlError, load_yaml
from harness.reporting import tables as report
from harness.reporting.signature import build_signature
from harness.scoring import metrics as M
from harness.scoring import stats
from harness.scoring.score import ScoreConfig, ScoreResult, compare, score, summarize

README_START = "<!-- leaderboard:start -->"
README_END = "<!-- leaderboard:end -->"


@dataclass
class EvaluateOptions:
    score: ScoreConfig
    extractors: Sequence[str] | None = None
    dct_mode: str = "gold"
    gold: str = "annotations"
    out: str = "results"
    config_dir: str | None = None
    progress: bool = True
    readme: str | None = None  # README to refresh with the leaderboard (None: leave alone)
    #: The collection being evaluated (harness.gold.collections), named in every table's notes.
    collection: str | None = None
    split: str | None = None
    collection_note: str | None = None
    #: Date tracks per source (outlet) with intervals and paired tests (TimeML collections).
    by_outlet: bool = False


@dataclass
class SystemRun:
    name: str
    status: str  # "ok" or "not run: ..."
    signature: dict[str, Any] = field(default_factory=dict)
    predictions: Predictions | None = None
    run_log: dict[str, Any] = field(default_factory=dict)
    result: ScoreResult | None = None
    summary: dict[str, Any] | None = None
    seconds: float = 0.0


# --- extractors -----------------------------------------------------------------------------------


def load_extractor_config(name: str, config_dir: str | Path | None) -> dict[str, Any]:
    """The extractor's YAML configuration (``<config_dir>/<name>.yaml``), or {} if there is none.

    Without ``config_dir``, the ``configs/`` folder beside the extractor's module.
    """
    folder = Path(config_dir) if config_dir else default_config_dir(name)
    if folder is None:
        return {}
    path = folder / f"{name}.yaml"
    if not path.exists():
        return {}
    data = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise YamlError(str(path), 1, "an extractor configuration must be a mapping")
    return dict(data)


def extractor_status(config_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """Every registered extractor with whether it can run here and, if not, why."""
    rows = []
    for name, target in sorted(available_names().items()):
        row: dict[str, Any] = {"name": name, "target": target, "available": False, "reason": None}
        try:
            cls = load_extractor_class(name)
            reason = cls.unavailable_reason(load_extractor_config(name, config_dir))
        except Exception as exc:  # a broken plug-in must not break the listing
            reason = f"not run: cannot load {target}: {type(exc).__name__}: {exc}"
        row["available"] = reason is None
        row["reason"] = reason
        rows.append(row)
    return rows


def _not_run(reason: str) -> str:
    return reason if reason.startswith("not run") else f"not run: {reason}"


def run_extractor(
    extractor: Extractor, corpus: Corpus, dct_mode: str, progress: bool
) -> tuple[Predictions, dict[str, Any]]:
    """Run one extractor over every document; an exception on one document is recorded, not fatal."""
    from tqdm import tqdm

    claims: dict[str, tuple] = {}
    timexes: dict[str, tuple] = {}
    log: dict[str, Any] = {}
    docs = [
        Document(d.doc_id, d.text, d.published.value if dct_mode == "gold" else None)
        for d in corpus
    ]
    for doc in tqdm(
        docs, desc=extractor.name, unit="doc", disable=not progress, file=sys.stderr, leave=False
    ):
        try:
            ex = as_extraction(extractor.extract(doc), doc)
        except Exception as exc:
            ex = Extraction(error=f"{type(exc).__name__}: {exc}")
        bad = [c for c in ex.claims if c.doc_id != doc.doc_id]
        if bad:
            ex = Extraction(
                error=f"extractor returned claims for another document ({bad[0].doc_id})"
            )
        claims[doc.doc_id] = tuple(ex.claims)
        timexes[doc.doc_id] = tuple(ex.timexes)
        log[doc.doc_id] = {
            "error": ex.error,
            "dct": ex.dct,
            "dct_correct": None
            if dct_mode == "gold" or ex.dct is None
            else tx.equal(ex.dct[:10], corpus.get(doc.doc_id).published.value[:10]),
            "n_claims": len(ex.claims),
            "n_timexes": len(ex.timexes),
            "usage": dict(ex.usage),
        }
    any_timex = any(timexes.values())
    return Predictions(claims=claims, timexes=timexes if any_timex else None), log


# --- outputs --------------------------------------------------------------------------------------


def write_system_outputs(
    out: Path, name: str, summary: Mapping[str, Any], result: ScoreResult, corpus: Corpus
) -> None:
    """summary.json, instances.jsonl and errors.md of one system under ``out/``."""
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / "summary.json", report.dumps(summary))
    write_jsonl_atomic(out / "instances.jsonl", result.instances)
    texts = {d.doc_id: d.text for d in corpus}
    write_text_atomic(out / "errors.md", report.error_analysis(summary, result.instances, texts))


def leaderboard_table(
    runs: Sequence[SystemRun], signature: Mapping[str, Any], mode_label: str
) -> report.Table:
    cols = ["extractor", "status", "P", "R", "F1", "F_fact", "date acc", "date acc (relaxed)",
            "date recall", "claimant acc", "n_pred", "n_gold", "doc errors"]  # fmt: skip
    rows = []
    for r in runs:
        if r.summary is None:
            rows.append([r.name, short_status(r.status)] + [None] * (len(cols) - 2))
            continue
        o = r.summary["overall"]
        errors = sum(1 for v in r.run_log.values() if v["error"])
        rows.append([
            r.name, "ok", report.with_ci(o, "precision"), report.with_ci(o, "recall"), report.with_ci(o, "f1"),
            _f_fact_cell(r.summary), _with_n(o["date_accuracy"], o["n_dated"]), o["date_accuracy_relaxed"],
            _with_n(o["date_recall"], o["n_dated_gold"]), o["claimant_accuracy"], o["n_pred"],
            o["n_gold"], errors,
        ])  # fmt: skip
    notes = [
        f"matching: {mode_label}; micro averages over all documents",
        f"F_fact: harmonic mean of set-level Focus and Coverage (many-to-one, similarity "
        f"{signature.get('similarity')} >= {signature.get('set_threshold')}; METRICS.md §7); "
        "the set_level table has its parts",
        "brackets: 95% percentile bootstrap interval, documents resampled "
        f"({signature.get('bootstrap_resamples')} resamples, seed {signature.get('bootstrap_seed')})",
        "date acc: strict TIMEX3 equality over matched pairs whose gold claim has a date (n in "
        "parentheses); date recall: correct dates / all dated gold claims",
        f"DCT setting: {signature.get('dct_setting')}",
        *not_run_notes(runs),
    ]
    return report.Table("leaderboard", "Leaderboard", cols, rows, signature, notes)


def _f_fact_cell(summary: Mapping[str, Any]) -> Any:
    block = summary.get("set_level", {})
    if block.get("status") != "ok":
        return short_status(block.get("status", "not run"))
    return report.with_ci(block["overall"], "f_fact")


def set_level_table(runs: Sequence[SystemRun], signature: Mapping[str, Any]) -> report.Table:
    """Set-level scores of every extractor (METRICS.md §7), with document-bootstrap intervals."""
    cols = ["extractor", "status", "Focus", "Coverage", "F_fact", "redundancy",
            "fact recall (article)", "fact recall (across)", "claimant token F1",
            "<AUTHOR> P", "<AUTHOR> R", "<AUTHOR> F1", "n_pred", "n_gold"]  # fmt: skip
    rows = []
    sims = set()
    for r in runs:
        block = (r.summary or {}).get("set_level", {})
        if r.summary is None or block.get("status") != "ok":
            status = r.status if r.summary is None else block.get("status", "not run")
            rows.append([r.name, short_status(status)] + [None] * (len(cols) - 2))
            continue
        o = block["overall"]
        sims.add(json.dumps(block["similarity"], sort_keys=True, ensure_ascii=False))
        rows.append([
            r.name, "ok", report.with_ci(o, "focus"), report.with_ci(o, "coverage"),
            report.with_ci(o, "f_fact"), o["redundancy"],
            report.with_ci(o, "fact_recall_article"), report.with_ci(o, "fact_recall_across"),
            report.with_ci(o, "claimant_token_f1"), o["author_precision"], o["author_recall"],
            o["author_f1"], o["n_pred"], o["n_gold"],
        ])  # fmt: skip
    notes = [
        f"similarity {signature.get('similarity')}, threshold {signature.get('set_threshold')} "
        "(inclusive); soft many-to-one matching: Focus = predictions whose best gold claim is at "
        "or above it / predictions, Coverage = gold claims whose best prediction is / gold claims",
        "redundancy: focused predictions whose best gold claim a more similar prediction already "
        "takes / focused predictions (atomic splits count)",
        "fact recall: a fact is a gold cluster or an unclustered claim; per article = found "
        "(article, fact) units / units, across = facts found in some article / facts",
        "claimant token F1 and <AUTHOR> P/R/F1: over the one-to-one matched pairs of the leaderboard",
        "brackets: 95% document-bootstrap interval",
        *[f"similarity signature: {s}" for s in sorted(sims)],
        *not_run_notes(runs),
    ]
    return report.Table(
        "set_level", "Set-level scores (claims of any granularity)", cols, rows, signature, notes
    )


def similarity_validation(corpus: Corpus, config: ScoreConfig) -> dict[str, Any]:
    """Agreement of the set-level similarity with the gold's own matches (clusters), or why not.

    For an LLM judge this is its validation report; for the other text strategies it shows how
    far "similar at the threshold" is from "the same fact" on this gold.
    """
    from dataclasses import replace

    from harness.scoring.similarity import (
        SimilarityUnavailable,
        get_similarity,
        validate_against_gold,
    )

    if config.similarity is None:
        return {"status": "not run: no similarity strategy chosen"}
    claim_corpus = replace(corpus, documents=corpus.claim_documents)
    try:
        sim = get_similarity(config.similarity, claim_corpus, config.similarity_config)
        return validate_against_gold(sim, claim_corpus, config.set_threshold, seed=config.seed)
    except SimilarityUnavailable as exc:
        return {"status": f"not run: {exc.reason}", "similarity": config.similarity}
    except Exception as exc:  # a plugin's failure is reported, never a traceback or a number
        return {"status": f"failed: {type(exc).__name__}: {exc}", "similarity": config.similarity}


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


def write_pr_chart(runs: Sequence[SystemRun], path: Path) -> Path | None:
    """Precision-recall curves over confidence, one line per extractor that has one."""
    curves = [
        (r.name, r.summary["confidence_curve"])
        for r in runs
        if r.summary is not None and r.summary.get("confidence_curve", {}).get("status") == "run"
    ]
    if not curves:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 4))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    for name, c in curves:
        rec = [p["recall"] for p in c["points"]]
        prec = [p["precision"] for p in c["points"]]
        ax.step(rec, prec, where="post", marker="o", ms=3,
                label=f"{name} (AP {c['average_precision']:.3f})")  # fmt: skip
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title("Precision-recall over confidence")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=100, metadata={"Software": None})
    tmp.replace(path)
    return path


def short_status(status: str) -> str:
    """The status for a table cell: up to the first ';' (the full reason goes in the notes)."""
    return status.split(";", 1)[0]


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
        "outlet 'unknown': the article names no outlet (annotation field outlet: null)",
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
    return report.Table(
        "comparisons", "Paired comparisons of extractors", cols, rows, signature, notes
    )


# --- resolver track -------------------------------------------------------------------------------


def resolver_track(corpus: Corpus, config: ScoreConfig) -> dict[str, Any]:
    """Each resolver on the text of every gold timex, with the gold DCT and its sentence as context."""
    from harness.dates.resolve import RESOLVERS, get_resolver
    from harness.gold.text import sentence_of, sentence_spans

    out: dict[str, Any] = {}
    for name in RESOLVERS:
        resolver = get_resolver(name)
        reason = getattr(resolver, "unavailable_reason", lambda: None)()
        if reason is not None:  # an optional resolver (heideltime) that cannot run here
            out[name] = {"status": f"not run: {reason}", "instances": []}
            continue
        per_doc: dict[str, Any] = {}
        by_type: dict[str, list[int]] = {}
        instances = []
        units = []
        for doc in corpus:
            spans = sentence_spans(doc.text)
            n = strict = relaxed = unanswered = 0
            answers = None
            if getattr(resolver, "document_level", False):  # heideltime: one run per document
                extents = [(t.start, t.end) for t in doc.timexes]
                answers = resolver.resolve_document(doc.text, doc.published.value, extents)
            for k, t in enumerate(doc.timexes):
                si = sentence_of(doc.text, t.start)
                context = doc.text[spans[si][0] : spans[si][1]] if si is not None else None
                if answers is not None:
                    res = answers[k]
                else:
                    res = resolver.resolve(t.text, doc.published.value, context)
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
                instances.append({"doc_id": doc.doc_id, "id": t.id, "text": t.text, "gold": t.value,
                                  "predicted": value, "correct": ok, "relaxed": ok_relaxed})  # fmt: skip
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
                va, vb = float(acc(a.sum(0))), float(acc(b.sum(0)))
                p, exact = stats.approximate_randomization(a, b, acc, config.ar_trials, config.seed)
                rows.append({"scope": scope, "a": names[i], "b": names[j], "documents": len(docs),
                             "a_value": None if np.isnan(va) else round(va, 6),
                             "b_value": None if np.isnan(vb) else round(vb, 6),
                             "p_randomization": p, "exact": exact})  # fmt: skip
    for row, adj in zip(rows, stats.holm([r["p_randomization"] for r in rows]), strict=True):
        row["p_holm"] = adj
        row["verdict"] = (
            "undefined" if adj is None else ("significant" if adj < 0.05 else "not significant")
        )
    return rows


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
            m = np.array([[counts[d][k] for k in M.TIMEX_COUNTS] for d in docs], dtype=float)
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
    for scope, docs in scopes.items():
        for i in range(len(scored)):
            for j in range(i + 1, len(scored)):
                a, b = mats[scored[i].name][scope], mats[scored[j].name][scope]
                va, vb = float(fn(a.sum(0))), float(fn(b.sum(0)))
                p, exact = stats.approximate_randomization(a, b, fn, config.ar_trials, config.seed)
                comps.append({"scope": scope, "a": scored[i].name, "b": scored[j].name,
                              "documents": len(docs), "a_value": None if np.isnan(va) else round(va, 6),
                              "b_value": None if np.isnan(vb) else round(vb, 6),
                              "p_randomization": p, "exact": exact})  # fmt: skip
    for row, adj in zip(comps, stats.holm([c["p_randomization"] for c in comps]), strict=True):
        row["p_holm"] = adj
        row["verdict"] = (
            "undefined" if adj is None else ("significant" if adj < 0.05 else "not significant")
        )
    return rows, comps


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
    notes += not_run_notes(runs)
    return report.Table("timex", "Timex track", cols, rows, signature, notes)


# --- chart ----------------------------------------------------------------------------------------


def write_chart(runs: Sequence[SystemRun], corpus: Corpus, path: Path) -> Path | None:
    """Grouped bars: per-source F1 (left) and date accuracy (right), one colour per extractor."""
    scored = [r for r in runs if r.summary is not None]
    if not scored:
        return None
    # The object-oriented API with the Agg canvas: pyplot's import alone costs over a second.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    docs = [d.doc_id for d in corpus.claim_documents]
    labels = [f"{d[:3]}\n{corpus.get(d).outlet_label}" for d in docs]
    fig = Figure(figsize=(11, 4))
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2, sharey=True)
    width = 0.8 / len(scored)
    x = np.arange(len(docs))
    for ax, key, title in (
        (axes[0], "f1", "Claim F1"),
        (axes[1], "date_accuracy", "Date accuracy (matched, dated)"),
    ):
        for k, r in enumerate(scored):
            vals = [r.summary["per_document"][d][key] for d in docs]
            ax.bar(
                x + k * width - 0.4 + width / 2,
                [v if v is not None else 0 for v in vals],
                width,
                label=r.name,
            )
        ax.set_xticks(x, labels, fontsize=8)
        ax.set_title(title)
        ax.set_ylim(0, 1)
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("score")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=100, metadata={"Software": None})
    tmp.replace(path)
    return path


# --- the whole run --------------------------------------------------------------------------------


def run_evaluate(opts: EvaluateOptions) -> str:
    """Run, score and write everything; return the leaderboard as Markdown."""
    from harness.gold.corpus import CorpusError, load_corpus
    from harness.scoring.match import get_mode

    try:
        corpus = load_corpus(opts.gold)
    except CorpusError as exc:
        raise ValueError(
            f"{exc}\nhint: run 'harness validate' and fix the problems listed"
        ) from None
    out = Path(opts.out)
    names = list(opts.extractors) if opts.extractors else sorted(available_names())
    runs: list[SystemRun] = []
    for name in names:
        t0 = time.perf_counter()
        try:
            cls = load_extractor_class(name)
            config = load_extractor_config(name, opts.config_dir)
            reason = cls.unavailable_reason(config)
        except KeyError:
            raise
        except Exception as exc:
            runs.append(SystemRun(name, _not_run(f"cannot load: {type(exc).__name__}: {exc}")))
            continue
        if reason is not None:
            runs.append(SystemRun(name, _not_run(reason)))
            print(f"{name}: {_not_run(reason)}", file=sys.stderr)
            continue
        extractor = cls(config)
        preds, log = run_extractor(extractor, corpus, opts.dct_mode, opts.progress)
        runs.append(
            SystemRun(
                name, "ok", extractor.signature(), preds, log, seconds=time.perf_counter() - t0
            )
        )

    base_settings = {**opts.score.signature(), "dct_setting": opts.dct_mode}
    if opts.collection:
        base_settings.update(collection=opts.collection, split=opts.split)
    extractor_sigs = {
        r.name: (r.signature if r.status == "ok" else {"status": r.status}) for r in runs
    }
    signature = build_signature(corpus.hash, {**base_settings, "extractors": extractor_sigs})

    mode_scores: dict[str, dict[str, Any]] = {}
    for r in runs:
        if r.predictions is None:
            mode_scores[r.name] = {}
            continue
        sys_sig = build_signature(corpus.hash, {**base_settings, "extractor": r.signature})
        r.result = score(corpus, r.predictions, opts.score, r.name)
        r.summary = summarize(r.result, opts.score, sys_sig)
        sdir = out / "systems" / r.name
        write_jsonl_atomic(
            sdir / "predictions.jsonl",
            [claim_record(c) for d in corpus.doc_ids for c in r.predictions.claims_for(d)]
            + [timex_record(t) for d in corpus.doc_ids for t in r.predictions.timexes_for(d)],
        )
        write_system_outputs(sdir, r.name, r.summary, r.result, corpus)
        write_text_atomic(
            sdir / "run.json", report.dumps({"signature": sys_sig, "documents": r.run_log})
        )
        mode_scores[r.name] = {}
        for m in ("span", "sentence", "text"):
            cfg = ScoreConfig(
                get_mode(m),
                opts.score.n_resamples,
                opts.score.seed,
                opts.score.confidence,
                similarity=None,  # the set-level scores do not depend on the mode's matching
            )
            mode_scores[r.name][m] = (
                r.summary
                if m == opts.score.mode.name and opts.score.mode == get_mode(m)
                else summarize(score(corpus, r.predictions, cfg, r.name), cfg, sys_sig)
            )

    tables = [
        leaderboard_table(runs, signature, opts.score.mode.label()),
        per_source_table(runs, corpus, signature),
        modes_table(mode_scores, signature),
    ]
    left_out = claims_left_out_notes(corpus)
    if not corpus.claim_documents:  # no claim gold at all: the claim tables say so, no zeros
        for row in tables[0].rows:
            if row[1] == "ok":
                row[1] = "not run: claims not annotated"
                row[2:] = [None] * (len(row) - 2)
        tables[2].rows = [[row[0]] + [None] * (len(row) - 1) for row in tables[2].rows]
    for t in (tables[0], tables[2]):
        t.notes += left_out
    scored = [r.result for r in runs if r.result is not None]
    comp = compare(scored, opts.score) if len(scored) >= 2 and corpus.claim_documents else {
        "unit": "document", "n_units": len(corpus.claim_documents), "alpha": 0.05,
        "correction": "Holm-Bonferroni", "verdict_basis": "p_randomization_holm < alpha",
        "note": "", "comparisons": []}  # fmt: skip
    tables.append(comparisons_table(comp, signature))
    tables[-1].notes += left_out
    track = resolver_track(corpus, opts.score)
    tables.append(resolver_table(track, corpus, signature))
    tables.append(timex_table(runs, signature))
    tables.append(set_level_table(runs, signature))
    validation = similarity_validation(corpus, opts.score)
    tables.append(validation_table(validation, signature))
    tables.append(confidence_table(runs, signature))
    if not corpus.claim_documents:  # the set-level and confidence tables score claims too
        for t in tables:
            if t.name in ("set_level", "confidence", "similarity_validation"):
                for row in t.rows:
                    row[1:] = ["not run: claims not annotated"] + [None] * (len(row) - 2)
                t.notes += left_out
    if opts.by_outlet:
        by_name = {t.name: t for t in tables}
        by_name["resolvers"].rows += resolver_outlet_rows(track)
        rows, comps = timex_outlet_rows(runs, corpus, opts.score)
        by_name["timex"].rows += rows
        tables.append(
            date_comparisons_table(
                resolver_comparisons(track, corpus, opts.score),
                "Resolver track: paired tests per source",
                "resolver_comparisons",
                "accuracy",
                signature,
            )
        )
        tables.append(
            date_comparisons_table(
                comps,
                "Timex track: paired tests per source",
                "timex_comparisons",
                "value F1",
                signature,
            )
        )
    if opts.collection:
        line = f"collection: {opts.collection} (split {opts.split})"
        line += f": {opts.collection_note}" if opts.collection_note else ""
        for t in tables:
            t.notes.insert(0, line)
    for t in tables:
        report.write_table(t, out)
    write_text_atomic(
        out / "resolvers_instances.json",
        report.dumps(
            {"signature": signature, "instances": {k: v["instances"] for k, v in track.items()}}
        ),
    )
    if corpus.claim_documents:
        write_chart(runs, corpus, out / "chart.png")
    pr_path = out / "pr_curve.png"
    if write_pr_chart(runs, pr_path) is None and pr_path.exists():
        pr_path.unlink()  # a stale curve from an earlier run must not outlive its data
    board = report.to_markdown(tables[0])
    if opts.readme:
        update_readme(Path(opts.readme), board)
    for r in runs:
        if r.status == "ok":
            print(
                f"{r.name}: extracted {len(corpus)} documents in {r.seconds:.2f} s", file=sys.stderr
            )
    return board


def update_readme(path: Path, board: str) -> bool:
    """Replace the block between the leaderboard markers of the README, if it has them."""
    if not path.exists():
        return False
    text = path.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        return False
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    board = "\n".join(line for line in board.splitlines() if not line.startswith("### "))
    new = f"{head}{README_START}\n{board.strip()}\n{README_END}{tail}"
    if new != text:
        write_text_atomic(path, new)
    return True
