"""The ``harness`` command line.

Subcommands import what they need when they run, so ``harness --help`` starts instantly. Every
expected failure (bad annotation, bad prediction line, unknown extractor, missing file) is printed
as one clear ``error:`` message and exit status 2; so is an unexpected one, as one line without
the raw exception text, with the traceback only under ``--debug`` or ``HARNESS_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path


class UsageError(Exception):
    """A user-facing error: printed as ``error: <message>`` with exit status 2."""


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's help ends with its default; ``None`` defaults are explained in the help
    text itself (they mean "derived", e.g. the mode's threshold), flags show "off"."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if "%(default)" in text or action.default in (None, argparse.SUPPRESS):
            return text
        if not action.option_strings and action.nargs not in (argparse.OPTIONAL, "*"):
            return text
        if action.default is False:
            return f"{text} (default: off)"
        if isinstance(action.default, list):
            return f"{text} (default: {' '.join(map(str, action.default))})"
        return f"{text} (default: %(default)s)"


def _add_mode_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--mode",
        default="span",
        choices=["span", "sentence", "text"],
        help="claim matching mode",
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="similarity threshold of the mode (default: the mode's own, 0.5 for every mode)",
    )
    p.add_argument(
        "--text-threshold",
        type=float,
        default=None,
        help="threshold for text similarity of predictions without a span (default: 0.5)",
    )
    p.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    p.add_argument("--seed", type=int, default=12345, help="bootstrap and randomization seed")
    p.add_argument(
        "--similarity",
        default="tfidf",
        help="similarity strategy of the set-level scores: token-f1, sentence-jaccard, tfidf, "
        "wordllama (extra 'embeddings'), or a plugin such as llm-judge; 'none' skips them",
    )
    p.add_argument(
        "--set-threshold",
        type=float,
        default=0.5,
        help="inclusive threshold of the set-level matching",
    )
    p.add_argument(
        "--dev-docs",
        nargs="+",
        default=None,
        metavar="DOC_ID",
        help="documents on which the confidence threshold is chosen (default: all)",
    )


def _annotations_arg(p: argparse.ArgumentParser, flag: str = "--annotations") -> None:
    p.add_argument(
        flag,
        default="annotations",
        help="annotations directory, or a corpus directory holding annotations/ and seeds/",
    )


def build_parser() -> argparse.ArgumentParser:
    from harness import __version__

    parser = argparse.ArgumentParser(
        prog="harness",
        description="Evaluation harness for check-worthy claim extraction and date resolution in news.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"harness {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the Python traceback of an unexpected error (also: HARNESS_DEBUG=1)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help, formatter_class=_HelpFormatter)

    p = command("validate", "check annotation files (schema, quotes, ids, values, clusters)")
    p.add_argument(
        "files", nargs="*", help="annotation files (default: every file in --annotations)"
    )
    _annotations_arg(p)
    p.add_argument(
        "--fix",
        action="store_true",
        help="write derived fields (missing sha256, start/end offsets) back into the files",
    )
    p.add_argument(
        "--collection",
        help="validate a configured collection instead (collections.yaml), e.g. tbaq-test: its "
        "import merged with its stand-off claims (default: validate --annotations)",
    )

    p = command("export", "write the gold corpus in an interchange format")
    p.add_argument(
        "--format",
        required=True,
        choices=["jsonl", "hf", "parquet", "predictions"],
        help="jsonl: one document per line; hf: datasets save_to_disk; parquet; "
        "predictions: the gold as a predictions file (claims and timexes)",
    )
    p.add_argument(
        "--out",
        help="output file (jsonl, parquet, predictions) or directory (hf) (default: standard "
        "output for jsonl and predictions; required for hf and parquet)",
    )
    _annotations_arg(p)

    p = command("score", "score a predictions file against the gold")
    p.add_argument("--predictions", required=True, help="predictions JSONL (required)")
    _annotations_arg(p, "--gold")
    p.add_argument("--json", action="store_true", help="print the machine-readable summary")
    p.add_argument(
        "--lenient",
        action="store_true",
        help="skip malformed lines and unknown doc_ids, and count them in the report",
    )
    p.add_argument(
        "--out",
        help="also write summary, per-instance log and error analysis into this directory "
        "(default: print only)",
    )
    p.add_argument("--name", help="system name in the outputs (default: the file stem)")
    _add_mode_args(p)

    p = command("report", "render tables from a saved score summary (JSON)")
    p.add_argument("summary", help="a summary JSON written by 'harness score --out' or evaluate")
    p.add_argument("--format", default="md", choices=["md", "csv", "tex", "json"], help="format")

    p = command("resolve", "resolve temporal expressions to TIMEX3 values")
    p.add_argument("expressions", nargs="*", help="expressions such as 'on Monday'")
    p.add_argument(
        "--dct",
        help="document creation time, YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2023-09-05 "
        "(required without --jsonl; with it, the default for lines without 'dct')",
    )
    p.add_argument(
        "--resolver", default="rules", help="resolver name: rules or dateparser (or any registered)"
    )
    p.add_argument(
        "--context", help="sentence around the expressions, for tense cues (default: none)"
    )
    p.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"text", "dct", "context"?} lines on stdin, write them with "value"',
    )

    p = command("list", "list the registered extractors and whether they can run here")
    p.add_argument(
        "--similarities",
        action="store_true",
        help="list the set-level similarity strategies instead",
    )

    p = command("evaluate", "run every extractor, score, and write results/")
    p.add_argument(
        "--extractors", nargs="*", help="names to run (default: every registered extractor)"
    )
    p.add_argument(
        "--dct",
        default="gold",
        choices=["gold", "detect"],
        help="gold: extractors get the gold DCT (TempEval-3 setting); detect: they must find it",
    )
    p.add_argument(
        "--gold",
        default=None,
        help="evaluate this one corpus (annotations directory, or a corpus directory holding "
        "annotations/ and seeds/) instead of the configured collections (default: the collections)",
    )
    p.add_argument(
        "--collections",
        nargs="*",
        metavar="NAME",
        help="evaluate only these collections (default: every one in the configuration)",
    )
    p.add_argument(
        "--collections-config",
        default="collections.yaml",
        help="the collections configuration (default: collections.yaml)",
    )
    p.add_argument("--out", default="results", help="results directory (replaced whole by a run)")
    p.add_argument(
        "--config-dir",
        default=None,
        help="directory of <extractor>.yaml configurations (default: configs/ beside each "
        "extractor's module)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--allow-failures",
        action="store_true",
        help="exit 0 even when an available extractor failed on some documents (the tables "
        "say so either way); without it such a run exits 1",
    )
    p.add_argument(
        "--refresh-errors",
        action="store_true",
        help="fetch again the cached LLM answers that were invalid, instead of reporting their "
        "error again (sets HARNESS_LLM_REFRESH_ERRORS=1 for the run; default: off)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="extract in this many processes (default: 1, in this process); with --backend "
        "dask and no --scheduler, the size of the local cluster",
    )
    p.add_argument(
        "--backend",
        choices=["loky", "dask"],
        default="loky",
        help="loky: processes on this machine (default); dask: a dask.distributed cluster "
        "(needs the 'dask' extra)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="dask.distributed scheduler address, e.g. tcp://10.0.0.5:8786 (default: start a "
        "local cluster of --workers processes)",
    )
    p.add_argument(
        "--resume",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="reuse predictions journalled in OUT/.resume by an interrupted or earlier run with "
        "the same extractor (signature, code, DCT setting) and document text (default: on; "
        "--no-resume recomputes every document)",
    )
    _add_mode_args(p)

    p = command("new", "scaffold an annotation file for a new article in seeds/")
    p.add_argument(
        "seed", help="the raw article text, UTF-8, inside the project (e.g. seeds/x.txt)"
    )
    _annotations_arg(p)
    p.add_argument(
        "--annotator", default=None, help="annotator name to record (default: left for you)"
    )

    p = command("review", "render annotation files as self-contained HTML pages")
    p.add_argument("files", nargs="*", help="annotation files (default: all, plus an index)")
    _annotations_arg(p)
    p.add_argument("--out", default="review", help="output directory")

    p = command("import", "convert an external corpus into a corpus directory")
    formats = p.add_subparsers(dest="format", required=True, metavar="FORMAT")
    p = formats.add_parser(
        "timeml",
        help="TimeML files (TimeBank, AQUAINT, TempEval-3): text, DCT and every TIMEX3",
        formatter_class=_HelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="DIR", help="TimeML files or directories of .tml")
    p.add_argument(
        "--out",
        required=True,
        help="corpus directory to write (seeds/, annotations/, import.json) (required)",
    )
    p.add_argument(
        "--lenient",
        action="store_true",
        help="skip documents with bad input (malformed XML, no DCT, ...) and list them",
    )

    p = command("standoff", "turn claims annotated on an imported corpus into stand-off files")
    p.add_argument("files", nargs="+", help="annotation files of an imported corpus, with claims")
    p.add_argument("--out", required=True, help="directory for the stand-off files (required)")
    p.add_argument("--guidelines", default="1.1", help="GUIDELINES.md version the claims follow")

    p = command("agree", "inter-annotator agreement: two files of one article, or two directories")
    p.add_argument("a", nargs="?", help="annotation file of annotator A")
    p.add_argument("b", nargs="?", help="annotation file of annotator B (same seed)")
    p.add_argument(
        "--dir-a", help="directory of annotator A's files, instead of a and b (default: none)"
    )
    p.add_argument(
        "--dir-b", help="directory of annotator B's files, paired with A's by name (default: none)"
    )
    p.add_argument(
        "--out",
        help="with --dir-a/--dir-b: also write every report (.md, .json) here (default: none)",
    )
    _annotations_arg(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


# --- commands ------------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from harness.annotate.fix import fix_files
    from harness.gold.validate import validate_corpus

    if args.collection:
        return _validate_collection(args.collection)
    if args.fix:
        for path, changes in fix_files(args.annotations, args.files or None):
            for change in changes:
                print(f"{path}: {change}")
    result = validate_corpus(args.annotations, args.files or None)
    for p in result.problems:
        print(p, file=sys.stderr)
    print(result.summary())
    return 1 if result.problems else 0


def _validate_collection(name: str) -> int:
    from harness.gold.collections import CollectionError, load_collections
    from harness.gold.standoff import StandoffError
    from harness.gold.validate import validate_corpus

    try:
        found = [c for c in load_collections() if c.name == name]
        if not found:
            raise UsageError(f"--collection: no collection {name!r} in collections.yaml")
        coll = found[0]
        reason = coll.absent_reason()
        if reason is not None:
            print(f"{name}: {reason}")
            return 0
        annotations = coll.annotations(progress=lambda line: print(line, file=sys.stderr))
    except (CollectionError, StandoffError) as exc:
        raise UsageError(str(exc)) from None
    result = validate_corpus(annotations, None)
    for p in result.problems:
        print(p, file=sys.stderr)
    print(f"{name}: {result.summary()}")
    return 1 if result.problems else 0


def cmd_standoff(args: argparse.Namespace) -> int:
    from harness.gold.standoff import StandoffError, to_standoff

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from harness.extraction.predictions import write_text_atomic

    try:
        texts = [(Path(f), to_standoff(Path(f), args.guidelines)) for f in args.files]
    except StandoffError as exc:
        raise UsageError(str(exc)) from None
    for path, text in texts:
        write_text_atomic(out / path.name, text)
        print(f"wrote {out / path.name}")
    return 0


def _load_corpus(path: str):
    from harness.gold.corpus import CorpusError, load_corpus

    try:
        return load_corpus(path)
    except CorpusError as exc:
        raise UsageError(
            f"{exc}\nhint: run 'harness validate' and fix the problems listed"
        ) from None


def cmd_export(args: argparse.Namespace) -> int:
    from harness.extraction.predictions import write_jsonl_atomic
    from harness.gold.corpus import to_dataset, to_records

    corpus = _load_corpus(args.annotations)
    if args.format in ("jsonl", "predictions"):
        if args.format == "jsonl":
            records = to_records(corpus)
        else:
            records = [
                {
                    "doc_id": d.doc_id,
                    "text": c.text,
                    "start": c.start,
                    "end": c.end,
                    "claimant": c.claimant,
                    "date": c.date,
                    "date_text": None,
                    "confidence": None,
                }
                for d in corpus
                for c in d.claims
            ] + [
                {
                    "doc_id": d.doc_id,
                    "kind": "timex",
                    "start": t.start,
                    "end": t.end,
                    "text": t.text,
                    "type": t.type,
                    "value": t.value,
                }
                for d in corpus
                for t in d.timexes
            ]
        if args.out:
            write_jsonl_atomic(args.out, records)
        else:
            for r in records:
                print(json.dumps(r, ensure_ascii=False, sort_keys=True))
        return 0
    if not args.out:
        raise UsageError(f"--format {args.format} needs --out")
    ds = to_dataset(corpus)
    if args.format == "hf":
        ds.save_to_disk(args.out)
    else:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        ds.to_parquet(args.out)
    print(f"wrote {len(ds)} documents to {args.out}", file=sys.stderr)
    return 0


def _score_config(args: argparse.Namespace):
    from harness.scoring.match import get_mode
    from harness.scoring.score import ScoreConfig

    try:
        mode = get_mode(args.mode, args.threshold, args.text_threshold)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.resamples < 1:
        raise UsageError("--resamples must be at least 1")
    if not 0.0 <= args.set_threshold <= 1.0:
        raise UsageError(f"--set-threshold must be in [0, 1], got {args.set_threshold}")
    similarity = None if args.similarity == "none" else args.similarity
    if similarity is not None:
        from harness.scoring.similarity import load_similarity_class

        try:
            load_similarity_class(similarity)
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
    return ScoreConfig(
        mode=mode,
        n_resamples=args.resamples,
        seed=args.seed,
        similarity=similarity,
        set_threshold=args.set_threshold,
        dev_docs=tuple(args.dev_docs) if args.dev_docs else None,
    )


def cmd_score(args: argparse.Namespace) -> int:
    from harness.extraction.predictions import read_predictions
    from harness.reporting import tables as report
    from harness.reporting.signature import build_signature
    from harness.scoring.score import score, summarize

    corpus = _load_corpus(args.gold)
    config = _score_config(args)
    preds = read_predictions(
        args.predictions, {d.doc_id: d.text for d in corpus}, lenient=args.lenient
    )
    name = args.name or Path(args.predictions).stem
    result = score(corpus, preds, config, name)
    sig = build_signature(corpus.hash, {**config.signature(), "predictions": args.predictions})
    summary = summarize(result, config, sig)
    if args.out:
        from harness.reporting.evaluate import write_system_outputs

        write_system_outputs(Path(args.out), name, summary, result, corpus)
    if args.json:
        print(report.dumps(summary), end="")
    else:
        print(report.to_markdown(report.score_table(summary)))
        if summary["timex"]["status"] == "scored":
            t = summary["timex"]["overall"]
            print(
                f"timex track: strict F1 {report.fmt(t['strict_f1'])}, relaxed F1 "
                f"{report.fmt(t['relaxed_f1'])}, value accuracy {report.fmt(t['value_accuracy'])}, "
                f"value F1 {report.fmt(t['value_f1'])}, type accuracy {report.fmt(t['type_accuracy'])}"
            )
        else:
            print(f"timex track: {summary['timex']['status']}")
        print(report.set_level_line(summary))
        print(report.confidence_line(summary))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from harness.reporting import tables as report

    try:
        summary = json.loads(Path(args.summary).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{args.summary}: cannot read a summary: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{args.summary}:{exc.lineno}: not JSON ({exc.msg}); hint: give the summary.json "
            "written by 'harness score --out' or evaluate"
        ) from None
    except (UnicodeDecodeError, RecursionError):
        raise UsageError(
            f"{args.summary}: not a UTF-8 JSON summary (or nested too deeply); hint: give the "
            "summary.json written by 'harness score --out' or evaluate"
        ) from None
    if (
        not isinstance(summary, dict)
        or not isinstance(summary.get("overall"), dict)
        or not isinstance(summary.get("per_document"), dict)
    ):
        raise UsageError(f"{args.summary}: not a score summary (no 'overall'/'per_document')")
    t = report.score_table(summary)
    render = {
        "md": report.to_markdown,
        "csv": report.to_csv,
        "tex": report.to_latex,
        "json": report.to_json,
    }
    print(render[args.format](t), end="")
    return 0


DCT_FORMAT = "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2023-09-05 or 2023-09-05T03:09"


def _check_dct(dct: str, where: str) -> None:
    """Refuse a DCT the resolvers cannot anchor on, saying which format is expected."""
    from harness.dates.resolve import parse_dct
    from harness.gold import timex as tx

    try:
        tx.validate(dct)
        parse_dct(dct)
    except (tx.TimexValueError, ValueError):
        shown = dct if len(dct) <= 40 else dct[:37] + "..."
        raise UsageError(f"{where}: {shown!r} is not a day or minute DCT; {DCT_FORMAT}") from None


def cmd_resolve(args: argparse.Namespace) -> int:
    from harness.dates.resolve import get_resolver

    try:
        resolver = get_resolver(args.resolver)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    if args.jsonl:
        for lineno, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line, parse_constant=_no_json_constant)
                text, dct = obj["text"], obj.get("dct", args.dct)
                if not isinstance(text, str) or not isinstance(dct, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
                raise UsageError(
                    f"stdin:{lineno}: expected a JSON object with string 'text' and 'dct' "
                    "(or --dct); NaN and Infinity are not JSON"
                ) from None
            _check_dct(dct, f"stdin:{lineno}: dct")
            res = resolver.resolve(text, dct, obj.get("context"))
            obj["value"] = res.value if res else None
            obj["type"] = res.type if res else None
            obj["mod"] = res.mod if res else None
            print(json.dumps(obj, ensure_ascii=False, allow_nan=False))
        return 0
    if not args.dct:
        raise UsageError(f"--dct is required ({DCT_FORMAT}), or use --jsonl")
    _check_dct(args.dct, "--dct")
    if not args.expressions:
        raise UsageError(
            "give one or more expressions, e.g. harness resolve --dct 2023-09-05 'on Monday'"
        )
    for expr in args.expressions:
        res = resolver.resolve(expr, args.dct, args.context)
        print(res.value if res else "-")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from harness.reporting.evaluate import extractor_status
    from harness.scoring.similarity import similarity_status

    rows = similarity_status() if args.similarities else extractor_status()
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        state = "available" if r["available"] else r["reason"]
        print(f"{r['name']:<{width}}  {r['target']}  {state}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from harness.reporting.evaluate import EvaluateOptions, evaluate

    if args.refresh_errors:
        # Extractors read their settings from config files and the environment; this one
        # variable is how the flag reaches them (the llm-prompt baseline reads it).
        os.environ["HARNESS_LLM_REFRESH_ERRORS"] = "1"

    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.scheduler and args.backend != "dask":
        raise UsageError("--scheduler needs --backend dask")
    single = args.gold is not None or not Path(args.collections_config).exists()
    readme = "README.md" if Path(args.out).resolve() == Path("results").resolve() else None
    opts = EvaluateOptions(
        extractors=args.extractors or None,
        dct_mode=args.dct,
        gold=args.gold or "annotations",
        out=args.out,
        config_dir=args.config_dir,
        progress=not args.no_progress,
        score=_score_config(args),
        workers=args.workers,
        backend=args.backend,
        scheduler=args.scheduler,
        resume=args.resume,
        # the README shows the committed leaderboard: only a run that writes results/ updates it
        readme=readme if single else None,
    )
    if single:
        if args.collections:
            raise UsageError("--collections needs the collections configuration, not --gold")
        result = evaluate(opts)
    else:
        from harness.reporting.collections import evaluate_collections

        result = evaluate_collections(opts, args.collections_config, args.collections, readme)
    print(result.board)
    if result.failures:
        for name, status in result.failures.items():
            print(f"error: extractor {name}: {status}", file=sys.stderr)
        if not args.allow_failures:
            print(
                f"error: {len(result.failures)} extractor(s) failed on some documents (every "
                f"table was written, and says so); exit status 1; hint: fix the cause and rerun, "
                "or pass --allow-failures to accept the run",
                file=sys.stderr,
            )
            return 1
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from harness.annotate.scaffold import ScaffoldError, new_annotation

    try:
        path = new_annotation(args.seed, args.annotations, annotator=args.annotator)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    print(
        f"wrote {path}; next: read annotations/GUIDELINES.md, confirm the suggestions, add claims, "
        f"then run 'harness validate {path}'"
    )
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from harness.annotate.review import render_review

    paths = render_review(args.files or None, args.out, args.annotations)
    for p in paths:
        print(p)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from harness.gold.timeml import TimemlError, import_timeml

    try:
        import_timeml(args.inputs, args.out, lenient=args.lenient, progress=print)
    except TimemlError as exc:
        hint = "" if args.lenient else "; --lenient skips such documents and lists them"
        raise UsageError(f"{exc}{hint}") from None
    print(f"next: harness validate --annotations {Path(args.out) / 'annotations'}")
    return 0


def cmd_agree(args: argparse.Namespace) -> int:
    from harness.annotate.agree import agree, format_agreement

    files, dirs = (args.a, args.b), (args.dir_a, args.dir_b)
    if all(dirs) and not any(files):
        from harness.annotate.agree_corpus import agree_corpus, format_corpus, write_reports

        corpus = agree_corpus(args.dir_a, args.dir_b, args.annotations)
        if args.out:
            for path in write_reports(corpus, args.out):
                print(f"wrote {path}", file=sys.stderr)
        print(
            json.dumps(corpus, indent=2, ensure_ascii=False) if args.json else format_corpus(corpus)
        )
        return 0
    if not all(files) or any(dirs) or args.out:
        print(
            "harness agree: give two files (A B) or two directories (--dir-a A --dir-b B, "
            "optionally --out DIR), not a mix; hint: harness agree annotations/<id>.yaml "
            "agreement/<id>.yaml",
            file=sys.stderr,
        )
        return 2
    result = agree(args.a, args.b, args.annotations)
    print(
        json.dumps(result, indent=2, ensure_ascii=False) if args.json else format_agreement(result)
    )
    return 0


COMMANDS = {
    "validate": cmd_validate,
    "export": cmd_export,
    "score": cmd_score,
    "report": cmd_report,
    "resolve": cmd_resolve,
    "list": cmd_list,
    "evaluate": cmd_evaluate,
    "new": cmd_new,
    "review": cmd_review,
    "agree": cmd_agree,
    "import": cmd_import,
    "standoff": cmd_standoff,
}


def _raised_by_harness(exc: BaseException) -> bool:
    """Whether ``exc`` was raised by the project's own code (its message was written for a user)
    rather than deep inside Python or a library (its message is raw: "year 0 is out of range")."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    if last is None:
        return False
    here = Path(__file__).resolve().parent
    try:
        path = Path(last).resolve()
    except OSError:
        return False
    if path.is_relative_to(here):
        return True
    # a registered extractor's own package (this project's included, found like any plug-in's);
    # a top-level module is skipped: its folder may be all of site-packages
    from harness.extraction.registry import available_names, default_config_dir

    for name, target in available_names().items():
        folder = default_config_dir(name) if "." in target.partition(":")[0] else None
        if folder is not None and path.is_relative_to(folder.parent):
            return True
    return False


def _os_error(exc: OSError) -> str:
    """An OSError as one line naming the path, without Python's "[Errno 28]" prefix."""
    import errno

    where = exc.filename if exc.filename is not None else "a file"
    what = exc.strerror or type(exc).__name__
    hints = {
        errno.ENOSPC: "free some space on that disk, or write elsewhere with --out",
        errno.EACCES: "check the permissions of that path, or write elsewhere with --out",
        errno.EROFS: "the file system is read-only: write elsewhere with --out",
        errno.ENOTDIR: "a path component is a file, not a directory",
        errno.EEXIST: "a file stands where a directory is needed",
        errno.EISDIR: "that path is a directory, not a file",
        errno.ENOENT: "check the path (relative paths start at the current directory)",
    }
    hint = hints.get(exc.errno or 0, "check the path and try again")
    return f"{where}: {what}; hint: {hint}"


def _no_json_constant(name: str) -> None:
    """Refuse NaN and Infinity, which Python's json reads but JSON does not have."""
    raise ValueError(f"{name} is not JSON")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is one ``error:`` line with a hint and exit status 2.

    ``--debug`` (or ``HARNESS_DEBUG=1``) lets an unexpected error raise with its traceback.
    """
    args = build_parser().parse_args(argv)
    debug = args.debug or os.environ.get("HARNESS_DEBUG") == "1"
    from harness.extraction.predictions import PredictionError
    from harness.gold.corpus import annotations_dir
    from harness.gold.yamlio import YamlError

    try:
        for key in ("annotations", "gold"):  # a corpus directory stands for its annotations/
            if isinstance(getattr(args, key, None), str):
                setattr(args, key, str(annotations_dir(getattr(args, key))))
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        if debug:
            raise
        print(f"error: {_os_error(exc)}", file=sys.stderr)
        return 2
    except (PredictionError, YamlError, KeyError, ValueError) as exc:
        if debug:
            raise
        if isinstance(exc, (PredictionError, YamlError)) or _raised_by_harness(exc):
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            print(f"error: {message}", file=sys.stderr)
            return 2
        _internal(args.command, exc)
        return 2
    except Exception as exc:  # the run never dies with a bare traceback
        if debug:
            raise
        _internal(args.command, exc)
        return 2


def _internal(command: str, exc: BaseException) -> None:
    """An unexpected error: one line, no raw exception text (it may be a library's internals or
    quote input that was never meant to be shown), and how to get the traceback."""
    print(
        f"error: 'harness {command}' failed unexpectedly ({type(exc).__name__}); hint: rerun with "
        "--debug (or HARNESS_DEBUG=1) for the traceback, and report it with the input that "
        "caused it",
        file=sys.stderr,
    )


if __name__ == "__main__":
    sys.exit(main())
