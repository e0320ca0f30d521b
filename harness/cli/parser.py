"""The argument parser of the ``harness`` command: every subcommand, option, default and help text.

Building it imports nothing heavy, so ``harness --help`` starts instantly.
"""

from __future__ import annotations

import argparse
import re

#: A help text that states its option's default itself: "(default: 1, in this process)",
#: "(default)", "default: off".
_STATES_DEFAULT = re.compile(r"\(default\b|\bdefault:")


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's help ends with its default, unless its text states the default itself
    (``None`` defaults always do: they mean "derived", e.g. the mode's threshold); flags show
    "off"."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if "%(default)" in text or action.default in (None, argparse.SUPPRESS):
            return text
        if _STATES_DEFAULT.search(text):
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
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="check the files in this many processes (default: 1, in this process; used from "
        "256 files on); the messages and their order are the same",
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
    p.add_argument(
        "--table",
        default="all",
        choices=["all", "score", "set_level"],
        help="which table: the scores, the set-level scores, or both (JSON: one object by table)",
    )

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
        "--context",
        help="sentence around the expressions, for tense cues (with --jsonl, the default for "
        "lines without 'context'; default: none)",
    )
    p.add_argument(
        "--anchor",
        help="TIMEX3 value of the time named before the expressions in the text, e.g. 2019-04: "
        "what 'that time', 'the same day', 'then' refer back to (with --jsonl, the default for "
        "lines without 'anchor'; default: none)",
    )
    p.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"text", "dct", "context"?, "anchor"?} lines on stdin, write them with "value"',
    )

    p = command("list", "list the registered extractors and whether they can run here")
    p.add_argument(
        "--similarities",
        action="store_true",
        help="list the set-level similarity strategies instead",
    )

    p = command("evaluate", "run every extractor, score, and write results/")
    p.add_argument(
        "--extractors", nargs="+", help="names to run (default: every registered extractor)"
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
        default=None,
        help="the collections configuration (default: collections.yaml, and where there is none, "
        "the corpus in annotations/ alone)",
    )
    p.add_argument("--out", default="results", help="results directory (replaced whole by a run)")
    p.add_argument(
        "--config-dir",
        default=None,
        help="directory of <extractor>.yaml configurations (default: configs/ beside each "
        "extractor's module)",
    )
    p.add_argument(
        "--no-progress", action="store_true", help="no progress bar (or lines, off a terminal)"
    )
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
        help="extract in this many processes (default: 1, in this process), and with the "
        "default backend check the gold files in as many (from 256 files on); with --backend "
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
    p.add_argument(
        "--guidelines",
        required=True,
        help="GUIDELINES.md version the claims follow, as the annotators used it (required)",
    )

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
