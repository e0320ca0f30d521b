"""``harness evaluate`` over every configured collection, and the leaderboard across them.

Each collection whose data is present is evaluated by :func:`harness.reporting.evaluate.run_evaluate`
into ``<out>/<collection>/``; an absent one is listed as "not run: <label> data not found at PATH"
with how to obtain it, never as zeros. The cross-collection leaderboard (``<out>/leaderboard.*``)
is rendered from each collection's saved tables and names the split of every number.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from harness.gold.collections import Collection, load_collections
from harness.reporting import tables as report
from harness.reporting.evaluate import EvaluateOptions, run_evaluate, update_readme


def run_collections(
    opts: EvaluateOptions,
    config: str | Path = "collections.yaml",
    only: list[str] | None = None,
    readme: str | None = None,
) -> str:
    """Evaluate every selected collection; write the leaderboard; return it as Markdown."""
    collections = load_collections(config)
    if only:
        unknown = sorted(set(only) - {c.name for c in collections})
        if unknown:
            known = ", ".join(c.name for c in collections)
            raise ValueError(f"unknown collection(s) {', '.join(unknown)}; configured: {known}")
        collections = [c for c in collections if c.name in only]
    out = Path(opts.out)
    status: dict[str, str] = {}
    for c in collections:
        reason = c.absent_reason()
        if reason is not None:
            status[c.name] = reason
            print(f"{c.name}: {reason}", file=sys.stderr)
            continue
        print(f"== collection {c.name} (split {c.split}): {c.label}", file=sys.stderr)
        gold = c.annotations(progress=lambda line: print(line, file=sys.stderr))
        run_evaluate(
            replace(
                opts,
                gold=str(gold),
                out=str(out / c.name),
                readme=None,
                collection=c.name,
                split=c.split,
                collection_note=c.note,
                by_outlet=c.format == "timeml",
            )
        )
        status[c.name] = "ok"
    table = leaderboard(collections, status, out)
    for t in (table,):
        report.write_table(t, out)
    board = report.to_markdown(table)
    if readme:
        update_readme(Path(readme), board)
    return board


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
