"""Development measurement of the date resolvers on TimeBank + AQUAINT (TempEval-3 TBAQ).

For every TIMEX3 of every ``.tml`` file except the document creation time, resolve its text with
the CREATION_TIME value as DCT and the sentence around it as context, and compare the value with
the gold value (strict, :func:`harness.timex.equal`). Prints accuracy per resolver, overall and per
TIMEX3 type with n, the most frequent error patterns, and the wall time.

The corpus is read in place (``--tbaq``); nothing is copied into the project. TimeBank follows
conventions of its own in places (values anchored on other timexes, fiscal quarters for "a year
ago"); the resolvers target the news conventions of the annotation guidelines, so this is a
development signal, not the benchmark.

    python scripts/tbaq_dev.py [--tbaq ../shared/data/tbaq] [--resolver rules dateparser] [--limit N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.dates.resolve import RESOLVERS, get_resolver
from harness.gold.text import sentence_spans
from harness.gold.timex import equal, is_valid, normalize

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


def evaluate_tagger(tbaq: Path, limit: int | None) -> None:
    """Span agreement of harness.tagger.find_timexes with the gold TIMEX3 extents (DCT excluded)."""
    from harness.dates.tagger import find_timexes

    t0 = time.perf_counter()
    n_gold = n_pred = strict = relaxed_p = relaxed_g = 0
    for f in tml_files(tbaq, limit):
        text, gold = read_doc(f)
        pred = find_timexes(text)
        gold_spans = {(g.start, g.end) for g in gold}
        n_gold += len(gold_spans)
        n_pred += len(pred)
        strict += sum((p.start, p.end) in gold_spans for p in pred)
        relaxed_p += sum(any(p.start < e and s < p.end for s, e in gold_spans) for p in pred)
        relaxed_g += sum(any(p.start < e and s < p.end for p in pred) for s, e in gold_spans)
    elapsed = time.perf_counter() - t0
    print(f"\n== tagger find_timexes: {n_pred} predicted, {n_gold} gold spans")
    for name, tp_p, tp_g in (("strict", strict, strict), ("overlap", relaxed_p, relaxed_g)):
        p, r = tp_p / max(n_pred, 1), tp_g / max(n_gold, 1)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"   {name:<8} P {p:.1%}  R {r:.1%}  F1 {f1:.1%}")
    print(f"   time: {elapsed:.2f}s")


def evaluate(name: str, items: list[GoldTimex], top: int) -> None:
    resolver = get_resolver(name)
    t0 = time.perf_counter()
    by_type: Counter[str] = Counter()
    ok_type: Counter[str] = Counter()
    answered = 0
    mod_ok = 0
    errors: Counter[tuple[str, str, str]] = Counter()
    same_day = 0  # bare weekdays that TimeBank resolves to the DCT's own day (wire convention)
    for it in items:
        res = resolver.resolve(it.text, it.dct, it.context)
        by_type[it.type] += 1
        pred = res.value if res else None
        answered += res is not None
        if equal(pred, it.value):
            ok_type[it.type] += 1
            mod_ok += (res.mod if res else None) == it.mod
        else:
            gold = normalize(it.value) if is_valid(it.value) else it.value
            errors[(it.text.lower(), str(pred), gold)] += 1
            if _WEEKDAY.fullmatch(it.text.strip()) and gold == it.dct[:10]:
                same_day += 1
    elapsed = time.perf_counter() - t0
    n, ok = sum(by_type.values()), sum(ok_type.values())
    print(f"\n== resolver {name}: value accuracy (strict) {ok}/{n} = {ok / max(n, 1):.1%}")
    print(f"   answered {answered}/{n}; of the correct values, mod also correct {mod_ok}/{ok}")
    print(f"   {'type':<10}{'n':>6}{'correct':>9}{'acc':>8}")
    for t in sorted(by_type):
        print(f"   {t:<10}{by_type[t]:>6}{ok_type[t]:>9}{ok_type[t] / by_type[t]:>8.1%}")
    print(
        f"   of the errors, {same_day} are bare weekdays that TimeBank resolves to the DCT's own"
        " day (its wire-copy convention; the guidelines G5.4 take the week before)"
    )
    print(f"   top {top} error patterns (count: expression -> predicted vs gold):")
    for (text, pred, gold), c in errors.most_common(top):
        print(f"   {c:>4}: {text!r} -> {pred} vs {gold}")
    print(f"   time: {elapsed:.2f}s ({1000 * elapsed / max(n, 1):.2f} ms/expression)")


def main(argv: list[str] | None = None) -> int:
    default = Path(__file__).resolve().parents[2] / "shared" / "data" / "tbaq"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tbaq", type=Path, default=default, help="folder with the .tml files")
    ap.add_argument(
        "--resolver", nargs="+", default=["rules", "dateparser"], choices=sorted(RESOLVERS)
    )
    ap.add_argument("--limit", type=int, default=None, help="read only the first N files")
    ap.add_argument("--top", type=int, default=20, help="how many error patterns to print")
    ap.add_argument("--tagger", action="store_true", help="also score find_timexes extents")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    items = load(args.tbaq, args.limit)
    print(f"{len(items)} TIMEX3s (DCT excluded) from {args.tbaq}")
    for name in args.resolver:
        evaluate(name, items, args.top)
    if args.tagger:
        evaluate_tagger(args.tbaq, args.limit)
    print(f"\nwall time: {time.perf_counter() - t0:.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
