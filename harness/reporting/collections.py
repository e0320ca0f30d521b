"""``harness evaluate`` over every configured collection, and the leaderboard across them.

Each collection whose data is present is evaluated by :func:`harness.reporting.evaluate.evaluate`
into ``<out>/<collection>/``; an absent one is listed as "not run: <label> data not found at PATH"
with how to obtain it, never as zeros. The cross-collection leaderboard (``<out>/leaderboard.*``)
is rendered from each collection's saved tables and names the split of every number. The whole
``<out>/`` is one run: written into a fresh directory and swapped in at the end, under a lock.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from harness.gold.collections import Collection, load_collections
from harness.reporting import tables as report
from harness.reporting.evaluate import EvaluateOptions, EvaluateResult, evaluate, update_readme
from harness.reporting.outdir import check_out, results_dir


def run_collections(
    opts: EvaluateOptions,
    config: str | Path = "collections.yaml",
    only: list[str] | None = None,
    readme: str | None = None,
) -> str:
    """Evaluate every selected collection; write the leaderboard; return it as Markdown."""
    return evaluate_collections(opts, config, only, readme).board


def evaluate_collections(
    opts: EvaluateOptions,
    config: str | Path = "collections.yaml",
    only: list[str] | None = None,
    readme: str | None = None,
) -> EvaluateResult:
    """Evaluate every selected collection into one fresh directory swapped in whole at the end
    (:mod:`harness.reporting.outdir`); return the leaderboard and every extractor's failures,
    named ``<collection>/<extractor>``."""
    collections = load_collections(config)
    if only:
        unknown = sorted(set(only) - {c.name for c in collections})
        if unknown:
            known = ", ".join(c.name for c in collections)
            raise ValueError(f"unknown collection(s) {', '.join(unknown)}; configured: {known}")
        collections = [c for c in collections if c.name in only]
    final_out = Path(opts.out)
    check_out(final_out)
    # a run in which no collection can run would replace the previous results with an empty
    # leaderboard and call it a success: it is refused, and nothing is written
    absent = {c.name: c.absent_reason() for c in collections}
    if all(reason is not None for reason in absent.values()):
        raise ValueError(
            "no collection can be evaluated here ("
            + "; ".join(f"{name}: {reason}" for name, reason in absent.items())
            + f"); the results in {final_out} are unchanged"
        )
    boards: list[str] = []

    def after_swap() -> None:
        if readme and boards:
            update_readme(Path(readme), boards[0])

    failures: dict[str, str] = {}
    with results_dir(final_out, after_swap=after_swap) as out:
        status: dict[str, str] = {}
        for c in collections:
            reason = absent[c.name]
            if reason is not None:
                status[c.name] = reason
                print(f"{c.name}: {reason}", file=sys.stderr)
                continue
            print(f"== collection {c.name} (split {c.split}): {c.label}", file=sys.stderr)
            gold = c.annotations(progress=lambda line: print(line, file=sys.stderr))
            result = evaluate(
                replace(
                    opts,
                    gold=str(gold),
                    out=str(out / c.name),
                    resume_root=str(final_out / c.name),
                    readme=None,
                    collection=c.name,
                    split=c.split,
                    collection_note=c.note,
                    by_outlet=c.format == "timeml",
                )
            )
            failures.update({f"{c.name}/{k}": v for k, v in result.failures.items()})
            status[c.name] = "ok"
        table = leaderboard(collections, status, out)
        report.write_table(table, out)
        boards.append(report.to_markdown(table))
    return EvaluateResult(boards[0], failures)


def _cell(row: dict[str, Any], key: str) -> Any:
    v = row.get(key)
    if isinstance(v, dict) and "value" in v:
        ci = v.get("ci") or [None, None]
        return (v["value"], ci[0], ci[1])
    return v


def leaderboard(collections: list[Collection], status: dict[str, str], out: Path) -> report.Table:
    """One row per collection and extractor: claims (if annotated) and the timex track's value F1."""
    cols = ["collection", "split", "extractor", "status", "P", "R", "F1", "date recall",
            "timex relaxed F1", "timex value F1", "n_gold claims", "n_gold timexes"]  # fmt: skip
    rows: list[list[Any]] = []
    notes = []
    signature: dict[str, Any] = {}
    for c in collections:
        if status.get(c.name) != "ok":
            rows.append([c.name, c.split, "–", status.get(c.name, "not run")] + [None] * 8)
            notes.append(f"{c.name}: {status.get(c.name)}")
            continue
        board = json.loads((out / c.name / "leaderboard.json").read_text(encoding="utf-8"))
        timex = json.loads((out / c.name / "timex.json").read_text(encoding="utf-8"))
        signature = signature or board["signature"]
        by_name = {r["extractor"]: r for r in timex["rows"]}
        for r in board["rows"]:
            t = by_name.get(r["extractor"], {})
            rows.append([
                c.name, c.split, r["extractor"], r["status"], _cell(r, "P"), _cell(r, "R"),
                _cell(r, "F1"), r.get("date recall"), t.get("relaxed F1"), t.get("value F1"),
                r.get("n_gold"), t.get("n_gold"),
            ])  # fmt: skip
        notes.append(f"{c.name} (split {c.split}, {c.label}): {c.note or ''}".rstrip(": "))
    notes += [
        "split: dev = data the extractors or resolvers were developed on (optimistic); "
        "test = held out",
        "per-collection tables, intervals and paired tests: results/<collection>/",
        "claims not annotated (claims: null) is never scored as zero: such rows say not run",
    ]
    return report.Table(
        "leaderboard", "Leaderboard across collections", cols, rows, signature, notes
    )
