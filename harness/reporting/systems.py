"""One scored system's files under ``results/systems/<name>/``: the per-instance log, the summary
and the error analysis, written as they are produced.

Why streamed: the per-instance log has one record or more per gold and predicted claim, the bulk
of a score; :func:`score_to_directory` writes each document's records as it is scored and reads
them back one document at a time for errors.md, so a run never holds a system's records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import groupby
from pathlib import Path
from typing import Any

from harness.extraction.atomic import open_atomic, write_text_atomic
from harness.extraction.predictions import (
    Predictions,
    jsonl_line,
    write_jsonl_atomic,
)
from harness.extraction.runner import failed_documents
from harness.gold.corpus import Corpus
from harness.reporting import erroranalysis
from harness.reporting import tables as report
from harness.scoring.score import ScoreConfig, ScoreResult, score, summarize


def write_system_outputs(
    out: Path,
    name: str,
    summary: Mapping[str, Any],
    result: ScoreResult,
    corpus: Corpus,
    run_log: Mapping[str, Any] | None = None,
) -> None:
    """summary.json, instances.jsonl and errors.md of one system under ``out/``; the documents
    the extractor failed on (``run_log``) head errors.md with their reasons."""
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / "summary.json", report.dumps(summary))
    write_jsonl_atomic(out / "instances.jsonl", result.instances)
    texts = corpus.texts
    analysis = erroranalysis.error_analysis(summary, result.instances, texts)
    failed = failed_documents(dict(run_log or {}))
    if failed:
        head, _, rest = analysis.partition("\n\n")  # after the title line
        sig_line, _, rest = rest.partition("\n\n")
        analysis = f"{head}\n\n{sig_line}\n\n{_failure_section(failed, len(corpus))}\n{rest}"
    write_text_atomic(out / "errors.md", analysis)


def score_to_directory(
    out: Path,
    name: str,
    corpus: Corpus,
    predictions: Predictions,
    config: ScoreConfig,
    signature: Mapping[str, Any],
    run_log: Mapping[str, Any] | None = None,
    keep_result: bool = True,
) -> tuple[ScoreResult | None, dict[str, Any]]:
    """Score one system into ``out``: ``instances.jsonl`` written as each document is scored,
    then ``summary.json``, then ``errors.md`` read back from the log one document at a time, so
    no system's per-instance records are ever all in memory. The same files, byte for byte, as
    :func:`write_system_outputs` of the whole result; the documents the extractor failed on
    (``run_log``) head errors.md with their reasons. ``keep_result=False`` (``harness score``)
    drops the result before errors.md is written, so its set-level records and claim units are
    not held beside the log being read back, and returns ``None`` in its place."""
    out.mkdir(parents=True, exist_ok=True)
    with open_atomic(out / "instances.jsonl") as fh:
        result = score(
            corpus, predictions, config, name, log=lambda recs: fh.writelines(map(jsonl_line, recs))
        )
        summary = summarize(result, config, signature)
        with open_atomic(out / "summary.json") as summary_fh:  # streamed: a block per document
            report.dump(summary, summary_fh)
    if not keep_result:
        result = None

    def groups() -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
        # each document's records are read as they are written out, never held as a list
        with (out / "instances.jsonl").open(encoding="utf-8") as log:
            yield from groupby(map(json.loads, log), key=lambda r: r["doc_id"])

    failed = failed_documents(dict(run_log or {}))
    texts = corpus.texts
    with open_atomic(out / "errors.md") as fh:
        for k, line in enumerate(erroranalysis.error_analysis_lines(summary, groups, texts)):
            if k == 4 and failed:  # after the title and signature lines
                fh.write("\n" + _failure_section(failed, len(corpus)))
            fh.write(line if k == 0 else "\n" + line)
    return result, summary


def _without_instances(result: ScoreResult) -> ScoreResult:
    """``result`` without its per-instance log records (one or more per claim, the bulk of a
    score), once instances.jsonl and errors.md hold them: the tables, comparisons and charts
    read counts only, so a run keeps one system's records at a time, not every system's."""
    sets = None if result.sets is None else replace(result.sets, instances=[])
    return replace(result, instances=[], sets=sets)


def _failure_section(failed: Sequence[tuple[str, str]], n_documents: int) -> str:
    lines = [
        f"## Extractor failures ({len(failed)}/{n_documents} documents)",
        "",
        "The extractor raised or returned an error on these documents; they count as documents "
        "with no predictions (every gold claim on them is a miss).",
        "",
    ]
    lines += [f"- {doc_id}: {error}" for doc_id, error in failed]
    return "\n".join(lines) + "\n"


def failure_analysis(name: str, run_log: Mapping[str, Any], signature: Mapping[str, Any]) -> str:
    """errors.md of a system that failed on every document: the reasons, and no scores."""
    failed = failed_documents(dict(run_log))
    return (
        f"# Error analysis: {name}\n\n`{report.short(signature)}`\n\n"
        + _failure_section(failed, len(run_log))
        + "\nNo document was extracted, so nothing is scored: the tables list this extractor as "
        "failed, the comparisons leave it out and the chart shows a gap.\n"
    )
