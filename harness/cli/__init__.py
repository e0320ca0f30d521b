"""The ``harness`` command line.

Subcommands import what they need when they run, so ``harness --help`` starts instantly. Every
expected failure (bad annotation, bad prediction line, unknown extractor, missing file) is printed
as one clear ``error:`` message and exit status 2; so is an unexpected one, as one line without
the raw exception text, with the traceback only under ``--debug`` or ``HARNESS_DEBUG=1``.

The parser is :mod:`harness.cli.parser`, the subcommands :mod:`harness.cli.commands` (``resolve``
in :mod:`harness.cli.resolve`), the error reporting :mod:`harness.cli.errors`; ``harness.cli:main``
is the entry point.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from harness.cli.commands import COMMANDS
from harness.cli.errors import UsageError, _internal, _os_error, _raised_by_harness
from harness.cli.parser import build_parser

__all__ = ["COMMANDS", "UsageError", "build_parser", "main"]


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
