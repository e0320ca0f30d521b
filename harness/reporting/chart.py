"""The charts of ``results/``: per-source F1 and date accuracy (``chart.png``) and precision-recall
curves over prediction confidence (``pr_curve.png``). matplotlib is imported only here, when a
chart is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from harness.gold.corpus import Corpus
from harness.reporting.results_tables import SystemRun


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


# --- chart ----------------------------------------------------------------------------------------


def write_chart(runs: Sequence[SystemRun], corpus: Corpus, path: Path) -> Path | None:
    """Grouped bars: per-source F1 (left) and date accuracy (right), one colour per extractor.

    Above :data:`PER_DOCUMENT_LIMIT` documents: F1 per outlet and per-document F1 boxes instead.
    """
    from harness.extraction.runner import is_failed

    # An extractor that failed on every document keeps its slot, drawn as a labelled gap: a
    # missing bar must not read as a score of 0, nor the system silently vanish from the chart.
    scored = [r for r in runs if r.summary is not None or is_failed(r.status)]
    if not any(r.summary is not None for r in scored):
        return None
    # The object-oriented API with the Agg canvas: pyplot's import alone costs over a second.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    docs = list(corpus.claim_doc_ids)
    if len(docs) > PER_DOCUMENT_LIMIT:
        fig = _aggregate_figure([r for r in scored if r.summary is not None], len(docs), Figure)
        failed = [r.name for r in scored if r.summary is None]
        if failed:  # no slot in an aggregated chart: the gap is named under it
            fig.text(0.01, 0.01, f"failed on every document, no scores: {', '.join(failed)}",
                     fontsize=8, color="0.35")  # fmt: skip
        FigureCanvasAgg(fig)
        return _save(fig, path)
    outlets = corpus.outlets
    labels = [f"{d[:3]}\n{outlets[d]}" for d in docs]
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
            pos = x + k * width - 0.4 + width / 2
            if r.summary is None:  # failed on every document: a gap with its reason
                ax.bar(pos, [0] * len(docs), width, label=f"{r.name} (failed: no scores)")
                for p in pos:
                    ax.text(p, 0.02, "failed", rotation=90, ha="center", va="bottom",
                            fontsize=7, color="0.35")  # fmt: skip
                continue
            vals = [r.summary["per_document"][d][key] for d in docs]
            ax.bar(
                pos,
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
    return _save(fig, path)


#: Up to this many documents the chart has one group of bars per document; above it, bars per
#: outlet and the distribution of per-document F1 (a bar per document stops being readable, and
#: drawing ten thousand bars took minutes).
PER_DOCUMENT_LIMIT = 30
#: Outlets drawn by name in the aggregated chart (the most documents first); the rest are pooled.
MAX_OUTLETS = 15


def _aggregate_figure(scored: Sequence[SystemRun], n_docs: int, figure: Any) -> Any:
    """Left: F1 per outlet from pooled counts; right: per-document F1 as one box per extractor."""
    from harness.scoring import metrics as M

    first = scored[0].summary["per_outlet"]
    ranked = sorted(first, key=lambda o: (-len(first[o].get("documents", ())), o))
    named, rest = ranked[:MAX_OUTLETS], ranked[MAX_OUTLETS:]
    labels = [*named, f"{len(rest)} other outlets"] if rest else list(named)
    fig = figure(figsize=(12, 4.5))
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 1]})
    width = 0.8 / len(scored)
    x = np.arange(len(labels))
    for k, r in enumerate(scored):
        blocks = r.summary["per_outlet"]
        vals = [blocks[o]["f1"] if o in blocks else None for o in named]
        if rest:
            pooled = {c: sum(blocks[o][c] for o in rest if o in blocks) for c in M.CLAIM_COUNTS}
            vals.append(M.claim_block(pooled)["f1"])
        left.bar(x + k * width - 0.4 + width / 2, [v or 0 for v in vals], width, label=r.name)
    left.set_xticks(x, labels, fontsize=7, rotation=30, ha="right")
    left.set_title(f"Claim F1 per outlet (pooled counts; {n_docs} documents)")
    left.set_ylim(0, 1)
    left.set_ylabel("score")
    left.grid(axis="y", alpha=0.3)
    left.legend(fontsize=8)
    per_doc = [
        [b["f1"] for b in r.summary["per_document"].values() if b["f1"] is not None] for r in scored
    ]
    right.boxplot(per_doc, tick_labels=[r.name for r in scored])
    right.set_title("Per-document claim F1")
    right.set_ylim(0, 1)
    right.grid(axis="y", alpha=0.3)
    return fig


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=100, metadata={"Software": None})
    tmp.replace(path)
    return path
