"""Benchmark of the evaluate pipeline: whole-process runs and in-process stages, medians printed.

    python scripts/benchmark.py [--runs 5] [--skip-whole] [--docs 1000]

Whole runs: ``python -m harness evaluate`` into a temporary directory, as a separate process each
time (imports and model loading included, as a user experiences it). Stages: corpus loading and
validation, each extractor over all documents (first call, then warm), scoring in each matching
mode, and the resolver track, each repeated ``--runs`` times in one process. Nothing here is a
test: it prints figures to compare before and after a change.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def row(label: str, times: list[float]) -> str:
    med = statistics.median(times)
    return f"{label:<44} median {med:7.3f} s   min {min(times):7.3f}   max {max(times):7.3f}   n={len(times)}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-whole", action="store_true", help="only the in-process stages")
    ap.add_argument(
        "--docs",
        type=int,
        default=1000,
        help="documents in the synthetic corpus for the validation rate (default 1000; 0 skips)",
    )
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    print(f"python {sys.version.split()[0]}, {args.runs} runs per figure")

    if not args.skip_whole:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "harness", "evaluate", "--out", tmp, "--no-progress"]
            subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)  # warm-up (caches, .pyc)

            def whole() -> None:
                subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)

            print(row("whole `harness evaluate` (separate process)", timed(whole, args.runs)))

    t0 = time.perf_counter()
    from harness.extraction.registry import load_extractor_class
    from harness.gold.corpus import load_corpus
    from harness.reporting.evaluate import load_extractor_config, resolver_track, run_extractor
    from harness.scoring.match import get_mode
    from harness.scoring.score import ScoreConfig, score, summarize

    print(row("import harness modules", [time.perf_counter() - t0]))
    print(
        row(
            "load + validate the gold corpus",
            timed(lambda: load_corpus(ROOT / "annotations"), args.runs),
        )
    )
    if args.docs:
        from harness.gold.validate import validate_corpus
        from scripts.synth_corpus import build

        with tempfile.TemporaryDirectory() as tmp:
            synth = build(Path(tmp) / "synth", args.docs)
            times = timed(lambda: validate_corpus(synth), args.runs)
            print(row(f"validate {args.docs} synthetic documents", times))
            print(f"{'':<44} {args.docs / statistics.median(times):.0f} articles/s (median)")
    corpus = load_corpus(ROOT / "annotations")
    preds = {}
    for name in ("regex", "spacy"):
        cls = load_extractor_class(name)
        config = load_extractor_config(name, None)
        if cls.unavailable_reason(config):
            print(f"{name}: {cls.unavailable_reason(config)}")
            continue
        ext = cls(config)
        first = timed(lambda ext=ext: run_extractor(ext, corpus, "gold", False), 1)
        print(row(f"{name}: all documents, first call (loads)", first))
        warm = timed(lambda ext=ext: run_extractor(ext, corpus, "gold", False), args.runs)
        print(row(f"{name}: all documents, warm", warm))
        preds[name] = run_extractor(ext, corpus, "gold", False)[0]
    for mode in ("span", "sentence", "text"):
        config = ScoreConfig(get_mode(mode))
        for name, p in preds.items():
            times = timed(
                lambda p=p, config=config: summarize(score(corpus, p, config), config, {}),
                args.runs,
            )
            print(row(f"score + bootstrap ({mode}) {name}", times))
    config = ScoreConfig(get_mode("span"))
    print(
        row(
            "resolver track (rules + dateparser)",
            timed(lambda: resolver_track(corpus, config), args.runs),
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
