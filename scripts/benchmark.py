"""Benchmark at scale: every target of the scale work, measured on a synthetic corpus, medians.

    python scripts/benchmark.py [--docs 10000] [--runs 3] [--skip FIGURE ...]
    nox -s benchmark -- --docs 10000

The corpus is built here (``scripts/synth_corpus.py``: the seeds and their annotations copied
under new ids) into a temporary directory, with ``--docs`` articles and a tenth of that for the
memory ratio. Each figure is the median of ``--runs`` runs and is printed beside its target with
the ratio (measured / target for an upper bound, target / measured for a lower bound, so a ratio
of 1.00 or more always means "met"). Under the medians of ``validate``, regex extraction, scoring
and the warm evaluate, each run's figure is printed too, lowest to highest, as the two ratios of
alternated runs print each pair's. Nothing here is a test: the figures depend on the machine,
which is printed first, with whether the heavy imports read compiled bytecode (:func:`bytecode`).

Figures (names for ``--skip``):

* ``validate``: ``load_corpus`` (parsing and validating every annotation) in articles/s, in one
  process and with ``workers=2`` (the median of the runs after a first one that starts the
  workers, which is shown on its own line).
* ``regex``: the regex extractor over every article in one process, articles/s.
* ``spacy``: the spaCy extractor against raw ``nlp.pipe`` over the same texts with the same
  model, in the same run, the two alternated (overhead ratio: the median of each pair's).
* ``score``: ``score`` + ``summarize`` in span mode, both bootstraps with 1,000 resamples, on the
  regex predictions, articles/s: as evaluate runs it (set-level scores and the confidence curve
  included), and without the set-level scores. The corpus's TF-IDF model (its fit and the gold
  claims' rows), which every scoring of a corpus shares, is made once before the runs and its
  time printed on its own line.
* ``memory``: peak RSS of a whole ``harness evaluate --extractors regex`` at ``--docs`` articles
  against a tenth of that (each in its own process).
* ``workers``: regex extraction with ``--workers 2`` against one worker, run alternately, and
  the median of each pair's ratio; with the CPU seconds of each (the workers' and the parent's
  together): when the second core is busy, the wall-time ratio says so and the CPU times show
  whether the workers cost more than one process.
* ``warm``: a whole ``harness evaluate`` on the project's own corpus as ``nox -s evaluate`` runs
  it, in a separate process (imports and model loading included; nox's own start-up is not).
* ``stream``: ``harness score --out`` (defaults: span mode, set-level scores, confidence curve,
  1,000 resamples) on ``scripts/gen_predictions.py`` files of ``--stream-lines`` lines and a
  tenth of that, over the project's seeds (so each document gets ten times the lines), each in
  its own process: wall time per line and peak RSS, large against small.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("validate", "regex", "spacy", "score", "memory", "workers", "warm", "stream")


def timed(fn: Callable[[], object], runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall seconds of each of ``runs`` calls; with ``cpu``, this process's CPU seconds of each
    are appended to it (for figures computed in this process only)."""
    out = []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        out.append(time.perf_counter() - t0)
        if cpu is not None:
            cpu.append(time.process_time() - c0)
    return out


def cpu_line(n: int, cpu: list[float]) -> str:
    """The same figure from this process's CPU time: steadier than wall time on a loaded machine
    (another process's work does not count), so runs on a busy machine can still be compared."""
    return f"{'  the same, from CPU time in this process':<52} {n / statistics.median(cpu):10.2f} articles/s"


def runs_line(values: list[float], unit: str) -> str:
    """Each run's figure, lowest to highest: how far apart the runs behind a median lie (wall
    times on a shared machine move by several percent from one run to the next)."""
    each = ", ".join(f"{v:.2f}" for v in sorted(values))
    return f"{'  each run, lowest to highest':<52} {each} {unit}"


def report(label: str, value: float, unit: str, target: float, higher_is_better: bool) -> str:
    """One line: the figure, its target and the ratio (>= 1.00 means the target is met)."""
    ratio = value / target if higher_is_better else target / value if value else float("inf")
    bound = ">=" if higher_is_better else "<="
    verdict = "met" if ratio >= 1 else "NOT met"
    return (
        f"{label:<52} {value:10.2f} {unit:<12} target {bound} {target:g} {unit:<12} "
        f"ratio {ratio:5.2f}  {verdict}"
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {cores} cores, load average {load:.1f}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def bytecode() -> str:
    """Whether this interpreter's imports of the heavy packages read compiled bytecode. Where
    they have none and Python may not write it (``PYTHONDONTWRITEBYTECODE``), every process
    compiles them from source again, seconds that the warm evaluate counts; the benchmark
    session installs them compiled (``UV_COMPILE_BYTECODE``, noxfile.py)."""
    import importlib.util

    missing = []
    for name in ("sklearn", "scipy", "spacy"):
        spec = importlib.util.find_spec(name)
        source = spec.origin if spec is not None and spec.origin else ""
        if source.endswith(".py") and not Path(importlib.util.cache_from_source(source)).exists():
            missing.append(name)
    if not missing:
        return "bytecode: compiled for the installed packages"
    names = ", ".join(missing)
    if sys.dont_write_bytecode:
        return (f"bytecode: NONE for {names}, and Python may not write it: every process "
                "compiles them again, and the warm evaluate counts it")  # fmt: skip
    return f"bytecode: none yet for {names}; the first process to import them writes it"


def cpu_seconds() -> tuple[float, float]:
    """User + system CPU seconds of this process and of its reaped child processes."""
    import resource

    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def peak_rss_mib(cmd: list[str]) -> float:
    """Peak resident memory of ``cmd`` run in a fresh interpreter that only waits for it."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1]) / 1024  # Linux reports KiB


def tfidf_model(corpus: Any) -> None:
    """Make the TF-IDF model that every scoring of ``corpus`` shares: its fit on the gold texts
    and the gold claims' rows (cached per corpus, as scoring finds it)."""
    from harness.scoring.tfidf import TextSimilarity

    model = TextSimilarity.for_corpus(corpus.claim_corpus())
    _ = model.vectorizer
    first = next(iter(corpus.claim_documents), None)
    if first is not None:
        model.gold_vectors(first)


def stream_figure(lines: int, runs: int, emit: Callable[[str], None]) -> None:
    """``harness score --out`` on ``lines`` and ``lines // 10`` generated prediction lines:
    linear means the time per line stays put (<= 1.2x) and bounded memory that peak RSS grows
    by at most 1.5x for ten times the lines."""
    small_n = max(1, lines // 10)
    with tempfile.TemporaryDirectory(prefix="harness-stream-") as tmp:
        measured = {}
        for n in (small_n, lines):
            path = Path(tmp) / f"p{n}.jsonl"
            gen = [sys.executable, str(ROOT / "scripts/gen_predictions.py"), "--lines", str(n),
                   "--out", str(path)]  # fmt: skip
            subprocess.run(gen, cwd=ROOT, check=True, capture_output=True)
            times, peaks = [], []
            for _ in range(runs):
                with tempfile.TemporaryDirectory(dir=tmp) as out:
                    cmd = [sys.executable, "-m", "harness", "score", "--predictions", str(path),
                           "--out", out]  # fmt: skip
                    t0 = time.perf_counter()
                    peaks.append(peak_rss_mib(cmd))
                    times.append(time.perf_counter() - t0)
            measured[n] = (statistics.median(times), statistics.median(peaks))
            emit(f"{f'harness score --out, {n:,} lines':<52} {measured[n][0]:10.2f} s "
                 f"{measured[n][1]:10.1f} MiB peak RSS")  # fmt: skip
    (t_small, r_small), (t_big, r_big) = measured[small_n], measured[lines]
    per_line = (t_big / lines) / (t_small / small_n)
    emit(report(f"time per line, {lines:,} / {small_n:,} lines", per_line, "x", 1.2, False))
    emit(report(f"peak RSS, {lines:,} / {small_n:,} lines", r_big / r_small, "x", 1.5, False))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000, help="articles in the synthetic corpus")
    ap.add_argument("--runs", type=int, default=3, help="runs per figure (median reported)")
    ap.add_argument("--skip", nargs="*", default=[], choices=FIGURES, help="figures to leave out")
    ap.add_argument("--stream-lines", type=int, default=1_000_000,
                    help="prediction lines of the stream figure (and a tenth of it)")  # fmt: skip
    args = ap.parse_args()
    if args.docs < 10:
        ap.error("--docs must be at least 10 (the memory figure uses a tenth of it)")
    # Python put scripts/ first on sys.path: its modules (catalogue.py) would shadow packages
    # of the same name (spaCy's dependency 'catalogue'), so it goes, and the project comes first
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    sys.path.insert(0, str(ROOT))
    # loaded from its file: putting scripts/ on sys.path would let its modules shadow packages
    import importlib.util

    spec = importlib.util.spec_from_file_location("synth_corpus", ROOT / "scripts/synth_corpus.py")
    synth = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(synth)  # type: ignore[union-attr]
    build = synth.build

    from harness.extraction.registry import load_extractor_class
    from harness.gold.corpus import load_corpus
    from harness.reporting.evaluate import load_extractor_config, run_extractor
    from harness.scoring.match import get_mode
    from harness.scoring.score import ScoreConfig, score, summarize

    print(f"machine: {machine()}")
    print(bytecode())
    print(f"synthetic corpus: {args.docs} articles (seeds copied); {args.runs} runs per figure")
    skip = set(args.skip)
    lines: list[str] = []

    def emit(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    with tempfile.TemporaryDirectory(prefix="harness-bench-") as tmp:
        big = build(Path(tmp) / "big", args.docs)
        t0, c0 = time.perf_counter(), time.process_time()
        corpus = load_corpus(big)
        first_load, first_cpu = time.perf_counter() - t0, time.process_time() - c0
        n = len(corpus)

        if "validate" not in skip:
            cpu = [first_cpu]
            times = [first_load, *timed(lambda: load_corpus(big), args.runs - 1, cpu)]
            emit(report("validate (load + check every annotation)", n / statistics.median(times),
                        "articles/s", 1000, True))  # fmt: skip
            emit(cpu_line(n, cpu))
            emit(runs_line([n / s for s in times], "articles/s"))
            # the first run starts the workers (processes, imports), as extraction's warm-up does
            # below: it is shown on its own line, and the median is of the runs after it, where
            # one slow first run among three used to set the median
            first = timed(lambda: load_corpus(big, workers=2), 1)
            two = timed(lambda: load_corpus(big, workers=2), args.runs)
            emit(report("validate, 2 worker processes", n / statistics.median(two), "articles/s",
                        1000, True))  # fmt: skip
            emit(runs_line([n / s for s in two], "articles/s"))
            emit(f"{'  the first run, the workers starting':<52} {n / first[0]:10.2f} articles/s")

        # warm-ups on five articles: imports and lazy set-up are not throughput. The TF-IDF model
        # is cached per corpus hash, so the five get a hash of their own: under the whole
        # corpus's hash their model (fitted on five articles) would serve the measured runs
        few = replace(corpus, documents=corpus.documents[:5], hash=f"warm-up {corpus.hash}")
        regex = load_extractor_class("regex")(load_extractor_config("regex", None))
        warm_preds, _ = run_extractor(regex, few, "gold", False)
        warm_config = ScoreConfig(get_mode("span"), n_resamples=10)
        summarize(score(few, warm_preds, warm_config, "regex"), warm_config, {})
        preds = None
        if "regex" not in skip or "score" not in skip:
            times, cpu = [], []
            for _ in range(args.runs if "regex" not in skip else 1):
                t0, c0 = time.perf_counter(), time.process_time()
                preds, _log = run_extractor(regex, corpus, "gold", False)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            if "regex" not in skip:
                emit(report("regex extraction, one core", n / statistics.median(times),
                            "articles/s", 1000, True))  # fmt: skip
                emit(cpu_line(n, cpu))
                emit(runs_line([n / s for s in times], "articles/s"))

        if "spacy" not in skip:
            cls = load_extractor_class("spacy")
            config = load_extractor_config("spacy", None)
            reason = cls.unavailable_reason(config)
            if reason:
                emit(f"spacy: not measured: {reason}")
            else:
                ext = cls(config)
                run_extractor(ext, corpus, "gold", False)  # loads the model
                nlp = ext.nlp if hasattr(ext, "nlp") else None
                if nlp is None:
                    import spacy

                    nlp = spacy.load(config.get("model", "en_core_web_sm"))
                # the extractor pipes each document's lines (headlines and paragraphs apart)
                texts = [line for d in corpus for line in d.text.splitlines() if line.strip()]
                batch = ext.config.get("batch_size", 64)
                # raw and extractor runs alternate and the ratio is the median of each pair's,
                # as for the workers below: a slower stretch of the machine then slows both
                # sides of a pair, not all the runs of one side
                raws, fulls = [], []
                for _ in range(args.runs):
                    raws += timed(lambda: list(nlp.pipe(texts, batch_size=batch)), 1)
                    fulls += timed(lambda: run_extractor(ext, corpus, "gold", False), 1)
                ratios = sorted(f / r for r, f in zip(raws, fulls, strict=True))
                emit(f"{'raw nlp.pipe, same texts':<52} {n / statistics.median(raws):10.2f} "
                     "articles/s")  # fmt: skip
                emit(f"{'spacy extractor':<52} {n / statistics.median(fulls):10.2f} articles/s")
                emit(f"{'  ratio of each pair of runs, lowest to highest':<52} "
                     + ", ".join(f"{r:.2f}" for r in ratios))  # fmt: skip
                emit(report("spacy extractor time / raw nlp.pipe time (median)",
                            statistics.median(ratios), "x", 1.10, False))  # fmt: skip

        if "score" not in skip and preds is not None:
            config = ScoreConfig(get_mode("span"), n_resamples=1000)
            # The corpus's TF-IDF model (the fit and the gold claims' rows) is made once per
            # corpus and shared by every scoring of it, each mode's and each extractor's, as in
            # evaluate. It is made here, timed on a line of its own, so that every run below
            # reuses it: otherwise the first run alone made it, which the median of three left
            # out and a single run (the usual one at 10,000 articles) counted.
            fit = timed(lambda: tfidf_model(corpus), 1)[0]

            def scored() -> None:
                summarize(score(corpus, preds, config, "regex"), config, {})

            cpu = []
            times = timed(scored, args.runs, cpu)
            emit(report("score + both bootstraps (1,000 resamples), span",
                        n / statistics.median(times), "articles/s", 2000, True))  # fmt: skip
            emit(cpu_line(n, cpu))
            emit(runs_line([n / s for s in times], "articles/s"))
            # the same without the set-level scores (similarity None), to show their share
            bare = replace(config, similarity=None)

            def scored_bare() -> None:
                summarize(score(corpus, preds, bare, "regex"), bare, {})

            emit(f"{'  of which without set-level scores':<52} "
                 f"{n / statistics.median(timed(scored_bare, args.runs)):10.2f} articles/s")  # fmt: skip
            emit(f"{'  TF-IDF model of the corpus, made before the runs':<52} {fit:10.2f} s")

        if "memory" not in skip:
            small = build(Path(tmp) / "small", max(1, args.docs // 10))

            def rss(gold: Path) -> float:
                with tempfile.TemporaryDirectory() as out:
                    cmd = [sys.executable, "-m", "harness", "evaluate", "--extractors", "regex",
                           "--gold", str(gold), "--out", out, "--no-progress"]  # fmt: skip
                    return peak_rss_mib(cmd)

            r_small = statistics.median(rss(small) for _ in range(args.runs))
            r_big = statistics.median(rss(big) for _ in range(args.runs))
            emit(f"{'peak RSS, evaluate regex, ' + str(args.docs // 10) + ' articles':<52} "
                 f"{r_small:10.1f} MiB")  # fmt: skip
            emit(f"{'peak RSS, evaluate regex, ' + str(args.docs) + ' articles':<52} "
                 f"{r_big:10.1f} MiB")  # fmt: skip
            emit(report(f"peak RSS ratio {args.docs} / {args.docs // 10} articles",
                        r_big / r_small, "x", 1.5, False))  # fmt: skip

        if "workers" not in skip:

            def extract(workers: int) -> None:
                run_extractor(regex, corpus, "gold", False, name="regex", workers=workers)

            from joblib.externals.loky import get_reusable_executor

            extract(2)  # the workers start, import and build the extractor once, not in a run
            # one worker and two alternate, run by run, and the speed-up is the median of each
            # pair's ratio: a burst of load elsewhere on the machine then slows both sides of a
            # pair, where timing every one-worker run before every two-worker run would charge it
            # to one side only. CPU time beside wall time: only CPU time tells the workers'
            # overhead (pickling, start-up) from a busy second core
            ones, twos, cpu_one, cpu_two = [], [], 0.0, 0.0
            for _ in range(args.runs):
                before = cpu_seconds()
                ones += timed(lambda: extract(1), 1)
                middle = cpu_seconds()
                twos += timed(lambda: extract(2), 1)
                after = cpu_seconds()
                cpu_one += middle[0] - before[0]
                cpu_two += after[0] - middle[0]  # the parent's share
            kids = cpu_seconds()[1]
            get_reusable_executor().shutdown(wait=True)  # reaped, so their CPU time is counted
            # the workers' CPU time, known only once they are reaped, covers their start-up, the
            # warm-up run and the measured runs: shared out evenly over those runs + 1
            cpu_two += (cpu_seconds()[1] - kids) * args.runs / (args.runs + 1)
            ratios = sorted(one / two for one, two in zip(ones, twos, strict=True))
            emit(f"{'regex extraction, 2 workers':<52} {n / statistics.median(twos):10.2f} "
                 "articles/s")  # fmt: skip
            emit(f"{'  CPU s per run, 1 process / 2 workers + parent':<52} "
                 f"{cpu_one / args.runs:10.2f} / {cpu_two / args.runs:.2f} "
                 "(the workers' start-up shared out)")  # fmt: skip
            emit(f"{'  speed-up of each pair of runs, lowest to highest':<52} "
                 + ", ".join(f"{r:.2f}" for r in ratios))  # fmt: skip
            emit(report("regex extraction speed-up, 2 workers / 1 (median)",
                        statistics.median(ratios), "x", 1.8, True))  # fmt: skip

    if "warm" not in skip:
        with tempfile.TemporaryDirectory() as out:
            cmd = [sys.executable, "-m", "harness", "evaluate", "--out", out, "--no-progress"]
            subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)  # warm-up

            def whole() -> None:
                subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)

            times = timed(whole, args.runs)
            emit(report("warm harness evaluate on the project corpus", statistics.median(times),
                        "s", 8, False))  # fmt: skip
            emit(runs_line(times, "s"))
    if "stream" not in skip:
        stream_figure(args.stream_lines, args.runs, emit)
    print("\nsummary")
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
