"""``harness resolve``: temporal expressions to TIMEX3 values, from the command line or JSONL.

Apart from :mod:`harness.cli.commands` so that each module stays small; it checks the DCT and the
antecedent (``--anchor``) before any resolver sees them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from harness.cli.errors import UsageError

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
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?", dct):  # the form, not a real day
            raise UsageError(f"{where}: {shown!r} names no day or time of the calendar "
                             f"({DCT_FORMAT}); hint: check the month, the day of the month and "
                             "the time") from None  # fmt: skip
        raise UsageError(f"{where}: {shown!r} is not a day or minute DCT; {DCT_FORMAT}") from None


def _check_anchor(anchor: str | None, where: str) -> None:
    """Refuse an antecedent value that is not a calendar DATE/TIME TIMEX3 value."""
    if anchor is None:
        return
    from harness.dates.base import names_calendar_time
    from harness.gold import timex as tx

    if not (tx.is_valid(anchor) and names_calendar_time(anchor)):
        shown = anchor if len(anchor) <= 40 else anchor[:37] + "..."
        raise UsageError(
            f"{where}: {shown!r} is not a TIMEX3 value naming a calendar time; "
            "hint: give the value of the time named before, e.g. 2019-04 or 2019-04-22"
        )


def cmd_resolve(args: argparse.Namespace) -> int:
    from harness.dates.heideltime import HeidelTimeUnavailable
    from harness.dates.resolve import get_resolver

    try:
        resolver = get_resolver(args.resolver)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    try:
        return _resolve_all(resolver, args)
    except HeidelTimeUnavailable as exc:  # its message says why and how to install it
        raise UsageError(f"--resolver {args.resolver}: {exc}") from None


def _resolve_all(resolver: object, args: argparse.Namespace) -> int:
    if args.jsonl:
        if args.expressions:
            raise UsageError("give expressions or --jsonl, not both; hint: with --jsonl each "
                             'stdin line is {"text": ..., "dct": ...}')  # fmt: skip
        # the options are every line's defaults: checked once, and named as options
        if args.dct is not None:
            _check_dct(args.dct, "--dct")
        _check_anchor(args.anchor, "--anchor")
        # bytes, so that a line that is not UTF-8 is an error, not replaced characters
        for lineno, raw in enumerate(getattr(sys.stdin, "buffer", sys.stdin), start=1):
            if not raw.strip():
                continue
            where = f"stdin:{lineno}"
            obj = _jsonl_record(raw, where)
            text, dct = obj["text"], obj.get("dct", args.dct)
            anchor, context = obj.get("anchor", args.anchor), obj.get("context", args.context)
            if dct is None:
                raise UsageError(f"{where}: dct: missing; hint: give it on the line, or "
                                 f"--dct for every line ({DCT_FORMAT})")  # fmt: skip
            if "dct" in obj:
                _check_dct(dct, f"{where}: dct")
            if "anchor" in obj:
                _check_anchor(anchor, f"{where}: anchor")
            res = resolver.resolve(text, dct, context, anchor=anchor)  # type: ignore[attr-defined]
            obj["value"] = res.value if res else None
            obj["type"] = res.type if res else None
            obj["mod"] = res.mod if res else None
            print(json.dumps(obj, ensure_ascii=False, allow_nan=False))
        return 0
    if not args.dct:
        raise UsageError(f"--dct is required ({DCT_FORMAT}), or use --jsonl")
    _check_dct(args.dct, "--dct")
    _check_anchor(args.anchor, "--anchor")
    if not args.expressions:
        raise UsageError(
            "give one or more expressions, e.g. harness resolve --dct 2023-09-05 'on Monday'"
        )
    for expr in args.expressions:
        res = resolver.resolve(expr, args.dct, args.context, anchor=args.anchor)  # type: ignore[attr-defined]
        print(res.value if res else "-")
    return 0


def _jsonl_record(raw: bytes | str, where: str) -> dict:
    """One ``--jsonl`` line as a dict whose ``text``, ``dct``, ``anchor`` and ``context`` are
    strings (or absent; ``anchor`` and ``context`` may be null), or a usage error naming the line
    and the field."""
    from harness.extraction.predictions import json_line_error, no_json_constant
    from harness.gold.yamlio import unpaired_surrogate

    try:
        line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{where}: not UTF-8 (byte {exc.start}); hint: save the file as UTF-8"
        ) from None
    try:
        obj = json.loads(line, parse_constant=no_json_constant)
    except json.JSONDecodeError as exc:
        what, hint = json_line_error(exc, line, '{"text": "on Monday", "dct": "2023-09-05"}')
        raise UsageError(f"{where}: not a JSON line: {what}; hint: {hint}") from None
    except RecursionError:
        raise UsageError(f"{where}: not a JSON line: nested too deeply; hint: a line is one "
                         "flat object") from None  # fmt: skip
    except ValueError as exc:  # NaN or Infinity, or a number too long
        raise UsageError(f"{where}: not a JSON line ({str(exc)[:80]}); hint: NaN and Infinity "
                         "are not JSON") from None  # fmt: skip
    if not isinstance(obj, dict):
        raise UsageError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    if "text" not in obj:
        raise UsageError(f"{where}: text: missing; hint: {{\"text\": \"on Monday\", \"dct\": "
                         "\"2023-09-05\"}")  # fmt: skip
    for key in ("text", "dct", "anchor", "context"):  # dct may come from --dct instead
        value = obj.get(key)
        if key not in obj or (value is None and key in ("anchor", "context")):
            continue
        if not isinstance(value, str):
            kind = "null" if value is None else type(value).__name__
            raise UsageError(f"{where}: {key}: expected a string, got {kind}")
        if unpaired_surrogate(value) is not None:
            raise UsageError(f"{where}: {key}: holds an unpaired surrogate, which no UTF-8 text "
                             "can hold")  # fmt: skip
    return obj
