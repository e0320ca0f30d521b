"""The subcommands of ``harness``, one function each (``COMMANDS`` maps names to them).

Each imports what it needs when it runs, so the parser and ``--help`` stay light.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.cli.errors import UsageError
from harness.cli.resolve import cmd_resolve

if TYPE_CHECKING:
    pass

# --- commands ------------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from harness.annotate.fix import fix_files
    from harness.gold.validate import validate_corpus

    if args.workers < 1:
        raise UsageError(f"--workers: {args.workers} is not a number of processes; hint: 1 or more")
    if args.collection:
        if args.files or args.fix or args.annotations != "annotations":
            what = "files" if args.files else "--fix" if args.fix else "--annotations"
            raise UsageError(
                f"--collection {args.collection} validates the whole collection: it takes no "
                f"{what}; hint: to check or fix files, name them without --collection (with "
                "--annotations DIR for another directory)"
            )
        return _validate_collection(args.collection, args.workers)
    if args.fix:
        for path, changes in fix_files(args.annotations, args.files or None):
            for change in changes:
                print(f"{path}: {change}")
    result = validate_corpus(args.annotations, args.files or None, workers=args.workers)
    for p in result.problems:
        print(p, file=sys.stderr)
    if not result.problems and not len(result.corpus) and not args.files:
        raise UsageError(  # "OK: 0 documents" would pass a mistyped directory as a valid corpus
            f"{args.annotations}: no annotation files (*.yaml) in this directory; hint: give the "
            "annotations directory, or a corpus directory holding annotations/ and seeds/"
        )
    print(result.summary())
    return 1 if result.problems else 0


def _validate_collection(name: str, workers: int) -> int:
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
    result = validate_corpus(annotations, None, workers=workers)
    for p in result.problems:
        print(p, file=sys.stderr)
    print(f"{name}: {result.summary()}")
    return 1 if result.problems else 0


def cmd_standoff(args: argparse.Namespace) -> int:
    from harness.extraction.atomic import write_text_atomic
    from harness.gold.schema import CLUSTERS_FILE, GUIDELINES_VERSIONS
    from harness.gold.standoff import StandoffError, to_standoff

    if args.guidelines not in GUIDELINES_VERSIONS:  # checked before anything is written
        raise UsageError(
            f"--guidelines {args.guidelines!r}: not a version of GUIDELINES.md "
            f"({', '.join(GUIDELINES_VERSIONS)}); hint: the version the annotators followed"
        )
    out = Path(args.out)
    for f in args.files:  # a stand-off file written over the annotation it is made from
        if out.exists() and (out / Path(f).name).resolve() == Path(f).resolve():
            raise UsageError(
                f"{f}: --out {args.out} would replace this file with its stand-off form; hint: "
                "give the stand-off directory, e.g. --out annotations/tbaq-test"
            )
    out.mkdir(parents=True, exist_ok=True)

    # the cluster file of the copy (a glob such as COPY/annotations/*.yaml names it) goes to
    # the stand-off directory as it is: the stand-off claims' clusters are declared there
    clusters_read: dict[Path, Any] = {}  # each directory's cluster file read once
    try:
        texts = [
            (Path(f), Path(f).read_text(encoding="utf-8") if Path(f).name == CLUSTERS_FILE
             else to_standoff(Path(f), args.guidelines, clusters_read))
            for f in args.files
        ]  # fmt: skip
    except StandoffError as exc:
        raise UsageError(str(exc)) from None
    for path, text in texts:
        write_text_atomic(out / path.name, text)
        print(f"{'copied' if path.name == CLUSTERS_FILE else 'wrote'} {out / path.name}")
    return 0


def _load_corpus(path: str):
    from harness.gold.corpus import CorpusError, load_corpus

    try:
        corpus = load_corpus(path)
    except CorpusError as exc:
        raise UsageError(
            f"{exc}\nhint: run 'harness validate' and fix the problems listed"
        ) from None
    if not len(corpus):  # every score would be 0 of 0, and every prediction an unknown document
        raise UsageError(
            f"{path}: no annotation files (*.yaml) in this gold directory; hint: give the "
            "annotations directory, or a corpus directory holding annotations/ and seeds/"
        )
    return corpus


def cmd_export(args: argparse.Namespace) -> int:
    from harness.extraction.predictions import (
        claim_record,
        gold_predictions,
        timex_record,
        write_jsonl_atomic,
    )
    from harness.gold.corpus import to_dataset, to_records

    corpus = _load_corpus(args.annotations)
    if args.format in ("jsonl", "predictions"):
        if args.format == "jsonl":
            records = to_records(corpus)
        else:
            both = [gold_predictions(d) for d in corpus]
            records = [claim_record(c) for claims, _ in both for c in claims]
            records += [timex_record(t) for _, timexes in both for t in timexes]
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


#: The most bootstrap resamples a run accepts (the default is 1,000, and the bootstrap's time
#: grows with them: a million takes about a thousand times as long).
MAX_RESAMPLES = 1_000_000


def _score_config(args: argparse.Namespace):
    from harness.gold.yamlio import short
    from harness.scoring.match import get_mode
    from harness.scoring.score import ScoreConfig

    for flag, value in (("--threshold", args.threshold), ("--text-threshold", args.text_threshold)):
        if value is not None and not 0.0 <= value <= 1.0:  # NaN included
            raise UsageError(f"{flag} must be in [0, 1], got {value}; hint: 0.5 is the default")
    try:
        mode = get_mode(args.mode, args.threshold, args.text_threshold)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not 1 <= args.resamples <= MAX_RESAMPLES:
        raise UsageError(
            f"--resamples must be between 1 and {MAX_RESAMPLES:,}, got {short(args.resamples)}; "
            "hint: 1000 (the default) is what the published intervals use"
        )
    if not 0 <= args.seed < 2**64:
        raise UsageError(
            f"--seed must be a whole number from 0 to 2**64 - 1, got {short(args.seed)}; "
            "hint: the default is 12345"
        )
    if not 0.0 <= args.set_threshold <= 1.0:
        raise UsageError(
            f"--set-threshold must be in [0, 1], got {args.set_threshold}; hint: 0.5 is the default"
        )
    similarity = None if args.similarity == "none" else args.similarity
    if similarity is not None:
        from harness.scoring.similarity import load_similarity_class

        try:
            load_similarity_class(similarity)
        except KeyError as exc:
            raise UsageError(f"--similarity: {exc.args[0]}") from None
    return ScoreConfig(
        mode=mode,
        n_resamples=args.resamples,
        seed=args.seed,
        similarity=similarity,
        set_threshold=args.set_threshold,
        dev_docs=tuple(args.dev_docs) if args.dev_docs else None,
    )


#: The files ``harness score --out DIR`` writes into DIR.
SCORE_FILES = ("instances.jsonl", "summary.json", "errors.md")


def cmd_score(args: argparse.Namespace) -> int:
    from harness.extraction.predictions import IndexedPredictions
    from harness.reporting import tables as report
    from harness.reporting.signature import build_signature
    from harness.scoring.score import summarize

    if not args.predictions.strip():
        raise UsageError("--predictions: the path is empty; hint: give a JSON Lines file")
    if args.name is not None and not args.name.strip():  # before a long file is read
        raise UsageError("--name: empty; hint: give the system's name, or leave the option out "
                         "for the predictions file's stem")  # fmt: skip
    corpus = _load_corpus(args.gold)
    config = _score_config(args)
    # validated in one pass and left on disk: one document's predictions are held at a time
    preds = IndexedPredictions(args.predictions, corpus.texts, lenient=args.lenient)
    name = args.name or Path(args.predictions).stem
    sig = build_signature(corpus.hash, {**config.signature(), "predictions": args.predictions})
    if args.out:
        from harness.reporting.systems import score_to_directory

        # the run replaces these files of --out: the predictions must not be one of them
        written = {(Path(args.out) / f).resolve() for f in SCORE_FILES}
        if Path(args.predictions).resolve() in written:
            raise UsageError(
                f"--predictions {args.predictions} is a file that --out {args.out} replaces "
                f"({', '.join(SCORE_FILES)}); hint: copy it elsewhere, or give another --out"
            )
        _, summary = score_to_directory(
            Path(args.out), name, corpus, preds, config, sig, keep_result=False
        )
    else:
        from harness.scoring.score import score

        summary = summarize(
            score(corpus, preds, config, name, log=lambda _records: None), config, sig
        )
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
    from harness.extraction.predictions import no_json_constant
    from harness.reporting import tables as report

    try:
        summary = json.loads(
            Path(args.summary).read_text(encoding="utf-8"), parse_constant=no_json_constant
        )
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
    except ValueError as exc:  # NaN or Infinity
        raise UsageError(
            f"{args.summary}: {exc}; hint: a summary written by the harness holds null there"
        ) from None
    hint = "hint: give the summary.json written by 'harness score --out' or evaluate"

    def kind(value: object) -> str:  # a JSON value's kind, in JSON's words
        names = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}
        return names.get(type(value), "a number")

    if not isinstance(summary, dict):
        raise UsageError(f"{args.summary}: not a score summary ({kind(summary)}, not an object); "
                         f"{hint}")  # fmt: skip
    for key in ("overall", "per_document"):
        if key not in summary:
            raise UsageError(f"{args.summary}: not a score summary (no '{key}'); {hint}")
        if not isinstance(summary[key], dict):
            raise UsageError(f"{args.summary}: {key}: expected an object, got {kind(summary[key])}; "
                             f"{hint}")  # fmt: skip
    try:
        print(report.render_report(summary, args.format, args.table), end="")
    except ValueError as exc:
        raise UsageError(
            f"{args.summary}: not a score summary as the harness writes it ({exc}); hint: "
            "write it again with 'harness score --out'"
        ) from None
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
    twice = sorted({n for n in args.extractors or () if args.extractors.count(n) > 1})
    if twice:  # two rows of one system, the second reading the first one's journal
        raise UsageError(f"--extractors: {', '.join(twice)} named twice; hint: name each once")
    if args.scheduler and args.backend != "dask":
        raise UsageError("--scheduler needs --backend dask")
    if args.config_dir is not None and not Path(args.config_dir).is_dir():
        raise UsageError(
            f"--config-dir {args.config_dir}: not a directory; hint: give the directory that "
            "holds the <extractor>.yaml files, or leave the option out for the configs/ beside "
            "each extractor"
        )
    if args.collections_config is not None:
        if args.gold is not None:
            raise UsageError("--collections-config and --gold: give one (--gold is one corpus)")
        if not Path(args.collections_config).is_file():
            raise UsageError(
                f"--collections-config {args.collections_config}: no such file; hint: check "
                "the path (relative paths start at the current directory)"
            )
    collections_config = args.collections_config or "collections.yaml"
    # without a configuration of its own, the project's corpus is evaluated alone
    single = args.gold is not None or not Path(collections_config).exists()
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

        result = evaluate_collections(opts, collections_config, args.collections, readme)
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
    from harness.gold.files import is_annotation_name

    _annotations_directory(args.annotations)
    for f in args.files or ():
        if not is_annotation_name(Path(f)):
            raise UsageError(f"{f}: not an annotation file; hint: name <article>.yaml files of "
                             "the annotations directory (their seed texts are found from them)")  # fmt: skip
    paths = render_review(args.files or None, args.out, args.annotations)
    for p in paths:
        print(p)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from harness.gold.timeml import TimemlError, import_timeml

    try:
        import_timeml(args.inputs, args.out, lenient=args.lenient, progress=print)
    except TimemlError as exc:
        lenient = exc.document and not args.lenient
        hint = "; --lenient skips such documents and lists them" if lenient else ""
        raise UsageError(f"{exc}{hint}") from None
    print(f"next: harness validate --annotations {Path(args.out) / 'annotations'}")
    return 0


def _annotations_directory(path: str) -> Path:
    """``--annotations`` as a directory that exists, or a usage error saying what it is."""
    annotations = Path(path)
    if not annotations.is_dir():
        what = "a file, not an annotations directory" if annotations.exists() else "not found"
        raise UsageError(f"--annotations {annotations}: {what}; hint: give the directory that "
                         "holds the annotation files (run from the project root)")  # fmt: skip
    return annotations


def cmd_agree(args: argparse.Namespace) -> int:
    from harness.annotate.agree import agree, format_agreement

    _annotations_directory(args.annotations)
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
        raise UsageError(
            "harness agree: give two files (A B) or two directories (--dir-a A --dir-b B, "
            "optionally --out DIR), not a mix; hint: harness agree annotations/<id>.yaml "
            "agreement/<id>.yaml"
        )
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
