"""The error analysis (``errors.md``) of one scored system: per document, the missed gold claims,
the spurious predictions, the wrong or missing dates and the wrong claimants, after totals over
every document. Built from the per-instance log in two passes, holding one document's gold
records at a time and never its predictions.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from harness.reporting.signature import short
from harness.reporting.tables import fmt


def error_analysis(
    summary: Mapping[str, Any],
    instances: Sequence[Mapping[str, Any]],
    gold_texts: Mapping[str, str] | None = None,
) -> str:
    """Markdown error analysis: per document, missed gold claims, spurious predictions, wrong dates."""
    by_doc: dict[str, list[Mapping[str, Any]]] = {}
    for r in instances:
        by_doc.setdefault(r["doc_id"], []).append(r)
    return "\n".join(error_analysis_lines(summary, lambda: iter(by_doc.items()), gold_texts))


def error_analysis_lines(
    summary: Mapping[str, Any],
    groups: Callable[[], Iterator[tuple[str, Iterable[Mapping[str, Any]]]]],
    gold_texts: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """The lines of :func:`error_analysis`, from ``groups()``: (doc_id, that document's records)
    in order. It is called twice (the totals head the file), so the records can be read back
    from an ``instances.jsonl`` one document at a time instead of being held: the first pass
    counts and keeps the gold records, the second writes each spurious prediction as it passes."""
    sig = summary.get("signature", {})
    yield from [
        f"# Error analysis: {summary.get('name', 'predictions')}",
        "",
        f"`{short(sig)}`",
        "",
    ]
    keys = (
        "missed gold claims",
        "spurious predictions",
        "of which repeats of an earlier prediction",
        "wrong or missing dates on matched claims",
        "wrong claimants on matched claims",
    )
    totals: dict[str, int] = {}
    n_spurious_of: list[int] = []  # per document; its records are read again, not kept
    for _, recs in groups():
        gold: list[Mapping[str, Any]] = []
        spurious = repeats = 0
        for r in recs:
            if r["kind"] == "gold":
                gold.append(r)
            elif r["kind"] == "prediction" and not r["matched"]:
                spurious += 1
                repeats += bool(r.get("duplicate"))
        n_spurious_of.append(spurious)
        counts = (
            sum(1 for r in gold if not r["matched"]),
            spurious,
            repeats,
            sum(
                1 for r in gold if r["matched"] and r["date_verdict"] not in ("correct", "undated")
            ),
            sum(1 for r in gold if r["matched"] and r.get("claimant_correct") is False),
        )
        for key, n in zip(keys, counts, strict=True):
            totals[key] = totals.get(key, 0) + n
    yield from [f"## Error categories over all {len(n_spurious_of)} documents", ""]
    yield from [f"- {key}: {n}" for key, n in totals.items()] or ["- none"]
    yield ""
    for (doc_id, recs), n_spurious in zip(groups(), n_spurious_of, strict=True):
        b = summary["per_document"][doc_id]
        yield from [
            f"## {doc_id}",
            "",
            f"P {fmt(b['precision'])} · R {fmt(b['recall'])} · F1 {fmt(b['f1'])} · "
            f"date acc {fmt(b['date_accuracy'])} (n={b['n_dated']})",
            "",
        ]
        gold, recs = _gold_first(doc_id, recs)
        missed = [r for r in gold if not r["matched"]]
        wrong = [
            r for r in gold if r["matched"] and r["date_verdict"] not in ("correct", "undated")
        ]
        yield from [f"### Missed gold claims ({len(missed)})", ""]
        yield from [
            f"- **{r['id']}** “{_clip(r['evidence'])}” — {r['claimant']}" for r in missed
        ] or ["- none"]
        yield from ["", f"### Spurious predictions ({n_spurious})", ""]
        for r in recs:
            if r["kind"] != "prediction" or r["matched"]:
                continue
            why = (
                "repeats an earlier prediction"
                if r["duplicate"]
                else (
                    f"nearest gold {r['nearest_gold']} at {r['nearest_similarity']:.2f} ({r['nearest_basis']})"
                    if r["nearest_gold"]
                    else "no gold claim in this document"
                )
            )
            shown = r["text"]
            if gold_texts is not None and r.get("start") is not None:
                shown = gold_texts[doc_id][r["start"] : r["end"]]
            yield f"- “{_clip(shown)}” — {why}"
        if not n_spurious:
            yield "- none"
        yield from ["", f"### Wrong or missing dates on matched claims ({len(wrong)})", ""]
        for r in wrong:
            p = r["prediction"]
            yield (
                f"- **{r['id']}** gold `{r['date']}`, predicted `{p['date']}`"
                f"{' from “' + p['date_text'] + '”' if p.get('date_text') else ''} "
                f"({r['date_verdict']}) — “{_clip(r['evidence'])}”"
            )
        if not wrong:
            yield "- none"
        claimants = [r for r in gold if r.get("claimant_correct") is False]
        yield from ["", f"### Wrong claimants on matched claims ({len(claimants)})", ""]
        for r in claimants:
            yield (
                f"- **{r['id']}** gold “{r['claimant']}”, predicted "
                f"“{r['prediction'].get('claimant')}” — “{_clip(r['evidence'])}”"
            )
        if not claimants:
            yield "- none"
        yield ""


def _gold_first(
    doc_id: str, recs: Iterable[Mapping[str, Any]]
) -> tuple[list[Mapping[str, Any]], Iterator[Mapping[str, Any]]]:
    """A document's gold records (they come first in the log) and an iterator over the rest:
    one document's gold claims are held, never its predictions."""
    it = iter(recs)
    gold: list[Mapping[str, Any]] = []
    for r in it:
        if r["kind"] != "gold":
            return gold, _no_more_gold(doc_id, itertools.chain([r], it))
        gold.append(r)
    return gold, iter(())


def _no_more_gold(doc_id: str, recs: Iterator[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for r in recs:
        if r["kind"] == "gold":
            raise ValueError(
                f"{doc_id}: a gold record after a prediction record in the instance log; hint: "
                "each document's gold records come first, as the scorer writes them"
            )
        yield r


def _clip(s: str, n: int = 160) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
