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
* ``chart.png``: per-source F1 and date accuracy by extractor (above 30 documents: per outlet, and per-document F1 boxes); ``pr_curve.png``: precision-recall
  curves over confidence (only when some extractor's predictions all carry one);
* ``systems/<name>/``: ``predictions.jsonl``, ``summary.json``, ``instances.jsonl`` (one record
  per gold and predicted claim), ``errors.md`` (error analysis) and ``run.json`` (per-document
  extractor errors, usage, detected DCT).

Every file is written atomically; the same inputs give the same files, timestamps aside.

The run itself is here; the extractor runner is :mod:`harness.extraction.runner`, the resolver
track :mod:`harness.scoring.tracks`, the tables :mod:`harness.reporting.results_tables` and the
charts :mod:`harness.reporting.chart`.
"""

from __future__ import annotations

import errno
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from harness.extraction.atomic import open_atomic, write_text_atomic
from harness.extraction.predictions import (
    claim_record,
    jsonl_line,
    timex_record,
)
from harness.extraction.registry import (
    available_names,
    extractor_distribution,
    load_extractor_class,
)

# Re-exported: what this module held before the split, so ``harness.evaluate`` keeps its names.
from harness.extraction.runner import (
    _not_run,
    extractor_status,
    failed_documents,
    is_failed,
    is_partial,
    load_extractor_config,
    run_extractor,
    run_status,
)
from harness.gold.corpus import Corpus
from harness.gold.spill import SpillError
from harness.reporting import tables as report
from harness.reporting.chart import write_chart, write_pr_chart
from harness.reporting.outdir import OutputError, check_out, results_dir
from harness.reporting.results_tables import (
    SystemRun,
    claims_left_out_notes,
    comparisons_table,
    confidence_table,
    date_comparisons_table,
    leaderboard_table,
    modes_table,
    not_run_notes,
    per_source_table,
    resolver_outlet_rows,
    resolver_table,
    set_level_table,
    short_status,
    timex_outlet_rows,
    timex_table,
    validation_table,
)
from harness.reporting.signature import build_signature
from harness.reporting.systems import (
    _without_instances,
    failure_analysis,
    score_to_directory,
    write_system_outputs,
)
from harness.scoring.score import ScoreConfig, compare, score, summarize
from harness.scoring.tracks import resolver_comparisons, resolver_track, similarity_validation

README_START = "<!-- leaderboard:start -->"
README_END = "<!-- leaderboard:end -->"


#: Where each extractor's per-document journal lives, under the results directory.
RESUME_DIR = ".resume"


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
    #: Extraction in parallel: processes (loky) or a dask.distributed scheduler (see the runner).
    workers: int = 1
    backend: str = "loky"
    scheduler: str | None = None
    #: Reuse predictions journalled in ``<out>/.resume`` by an interrupted or earlier run.
    resume: bool = True
    #: Where the journal lives when ``out`` is not the final directory (a collection's run writes
    #: into the fresh directory of the whole run; its journal stays with the published results).
    resume_root: str | None = None


# --- the whole run --------------------------------------------------------------------------------


@dataclass
class EvaluateResult:
    """What a run leaves to its caller: the leaderboard and the extractors that failed."""

    board: str
    #: name -> full status of every available extractor that failed on some document
    failures: dict[str, str] = field(default_factory=dict)


def run_evaluate(opts: EvaluateOptions) -> str:
    """Run, score and write everything; return the leaderboard as Markdown."""
    return evaluate(opts).board


def evaluate(opts: EvaluateOptions) -> EvaluateResult:
    """Run, score and write everything into a fresh directory swapped in at the end (see
    :mod:`harness.reporting.outdir`); return the leaderboard and the failures."""
    from harness.gold.corpus import CorpusError, load_corpus

    try:
        corpus = load_corpus(opts.gold, workers=opts.workers if opts.backend == "loky" else 1)
    except CorpusError as exc:
        raise ValueError(
            f"{exc}\nhint: run 'harness validate' and fix the problems listed"
        ) from None
    if not len(corpus):  # nothing to extract from or score: every table would be 0 of 0
        raise ValueError(
            f"{opts.gold}: no annotation files (*.yaml) in this gold directory; hint: give the "
            "annotations directory, or a corpus directory holding annotations/ and seeds/"
        )
    final_out = Path(opts.out)
    check_out(final_out)  # before any extraction: a bad --out fails in a second, not after a run
    names = list(opts.extractors) if opts.extractors else sorted(available_names())
    known = available_names()
    for name in names:
        if name not in known:
            load_extractor_class(name)  # raises KeyError with "did you mean", before any work
    board_box: list[str] = []

    def readme() -> None:
        if opts.readme and board_box:
            update_readme(Path(opts.readme), board_box[0])

    with results_dir(final_out, after_swap=readme) as out:
        try:
            return _run(opts, corpus, names, out, board_box)
        except OSError as exc:
            ours = exc.filename and Path(str(exc.filename)).is_relative_to(out)
            if isinstance(exc, SpillError) or (
                not ours and exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
            ):
                raise  # a spill names TMPDIR and its own hint, not --out
            raise OutputError(
                f"--out {final_out}: writing the results failed ({exc.strerror or exc}: "
                f"{Path(exc.filename).name if exc.filename else 'a file'}); the previous results "
                "are unchanged; hint: free some space or fix the permissions, or write elsewhere "
                "with --out"
            ) from None


def _run(
    opts: EvaluateOptions, corpus: Corpus, names: list[str], out: Path, board_box: list[str]
) -> EvaluateResult:
    """The run itself, writing into ``out`` (a fresh directory swapped in by the caller)."""
    from harness.scoring.match import get_mode

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
        preds, log = run_extractor(
            extractor,
            corpus,
            opts.dct_mode,
            opts.progress,
            name=name,
            config=config,
            workers=opts.workers,
            backend=opts.backend,
            scheduler=opts.scheduler,
            resume_dir=Path(opts.resume_root or opts.out) / RESUME_DIR if opts.resume else None,
        )
        status = run_status(log, len(corpus))
        if status != "ok":
            print(f"{name}: {status}", file=sys.stderr)
        runs.append(
            SystemRun(
                name,
                status,
                {**extractor.signature(), "distribution": extractor_distribution(name)},
                None if is_failed(status) else preds,  # nothing to score: no zeros either
                log,
                seconds=time.perf_counter() - t0,
            )
        )

    base_settings = {**opts.score.signature(), "dct_setting": opts.dct_mode}
    if opts.collection:
        base_settings.update(collection=opts.collection, split=opts.split)
    extractor_sigs = {
        r.name: r.signature
        if r.status == "ok"
        else {**r.signature, "status": short_status(r.status)}
        if r.signature
        else {"status": r.status}
        for r in runs
    }
    signature = build_signature(corpus.hash, {**base_settings, "extractors": extractor_sigs})

    mode_scores: dict[str, dict[str, Any]] = {}
    for r in runs:
        if r.predictions is None:
            mode_scores[r.name] = {}
            if is_failed(r.status):  # the reasons are kept even though nothing is scored
                sys_sig = build_signature(corpus.hash, {**base_settings, "extractor": r.signature})
                sdir = out / "systems" / r.name
                write_text_atomic(sdir / "errors.md", failure_analysis(r.name, r.run_log, sys_sig))
                write_text_atomic(
                    sdir / "run.json", report.dumps({"signature": sys_sig, "documents": r.run_log})
                )
            continue
        sys_sig = build_signature(corpus.hash, {**base_settings, "extractor": r.signature})
        sdir = out / "systems" / r.name
        preds = r.predictions
        with open_atomic(sdir / "predictions.jsonl") as fh:
            fh.writelines(
                map(
                    jsonl_line,
                    chain(
                        (claim_record(c) for d in corpus.doc_ids for c in preds.claims_for(d)),
                        (timex_record(t) for d in corpus.doc_ids for t in preds.timexes_for(d)),
                    ),
                )
            )
        r.result, r.summary = score_to_directory(
            sdir, r.name, corpus, preds, opts.score, sys_sig, r.run_log
        )
        write_text_atomic(
            sdir / "run.json", report.dumps({"signature": sys_sig, "documents": r.run_log})
        )
        r.result = _without_instances(r.result)  # written: only the counts stay in memory
        mode_scores[r.name] = {}
        for m in ("span", "sentence", "text"):
            cfg = ScoreConfig(
                get_mode(m),
                opts.score.n_resamples,
                opts.score.seed,
                opts.score.confidence,
                similarity=None,  # the set-level scores do not depend on the mode's matching
            )
            if m == opts.score.mode.name and opts.score.mode == get_mode(m):
                mode_scores[r.name][m] = r.summary
                continue
            scored = score(corpus, preds, cfg, r.name, claims_only=True)
            summary = summarize(scored, cfg, sys_sig)
            # the modes table reads the overall scores: no per-document blocks are kept
            mode_scores[r.name][m] = {"overall": summary["overall"]}
            del summary, scored

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
    tables[-1].notes += [
        f"left out: {r.name} ({short_status(r.status)})" for r in runs if is_failed(r.status)
    ]
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
    with open_atomic(out / "resolvers_instances.json") as fh:  # streamed: one record per timex
        report.dump(
            {"signature": signature, "instances": {k: v["instances"] for k, v in track.items()}},
            fh,
        )
    if corpus.claim_documents:
        write_chart(runs, corpus, out / "chart.png")
    write_pr_chart(runs, out / "pr_curve.png")  # a fresh directory: no stale curve to remove
    board = report.to_markdown(tables[0])
    board_box.append(board)
    for r in runs:
        if r.predictions is not None or is_failed(r.status):
            print(
                f"{r.name}: extracted {len(corpus)} documents in {r.seconds:.2f} s", file=sys.stderr
            )
    failures = {r.name: r.status for r in runs if is_failed(r.status) or is_partial(r.status)}
    return EvaluateResult(board, failures)


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


__all__ = [
    "README_END",
    "README_START",
    "EvaluateOptions",
    "EvaluateResult",
    "SystemRun",
    "claims_left_out_notes",
    "comparisons_table",
    "confidence_table",
    "date_comparisons_table",
    "evaluate",
    "extractor_status",
    "failed_documents",
    "failure_analysis",
    "leaderboard_table",
    "load_extractor_config",
    "modes_table",
    "not_run_notes",
    "per_source_table",
    "resolver_comparisons",
    "resolver_outlet_rows",
    "resolver_table",
    "resolver_track",
    "run_evaluate",
    "run_extractor",
    "score_to_directory",
    "set_level_table",
    "short_status",
    "similarity_validation",
    "timex_outlet_rows",
    "timex_table",
    "update_readme",
    "validation_table",
    "write_chart",
    "write_pr_chart",
    "write_system_outputs",
]
