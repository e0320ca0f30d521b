"""``harness resolve``: temporal expressions to TIMEX3 values, from the command line or JSONL.

Apart from :mod:`harness.cli.commands` so that each module stays small; it checks the DCT and the
antecedent (``--anchor``) before any resolver sees them.
"""

from __future__ import annotations

import argparse
import json
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
                anchor = obj.get("anchor", args.anchor)
                if not isinstance(text, str) or not isinstance(dct, str):
                    raise TypeError
                if anchor is not None and not isinstance(anchor, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
                raise UsageError(
                    f"stdin:{lineno}: expected a JSON object with string 'text' and 'dct' "
                    "(or --dct), and 'anchor' a string if given; NaN and Infinity are not JSON"
                ) from None
            _check_dct(dct, f"stdin:{lineno}: dct")
            _check_anchor(anchor, f"stdin:{lineno}: anchor")
            res = resolver.resolve(text, dct, obj.get("context"), anchor=anchor)
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
        res = resolver.resolve(expr, args.dct, args.context, anchor=args.anchor)
        print(res.value if res else "-")
    return 0


def _no_json_constant(name: str) -> None:
    """Refuse NaN and Infinity, which Python's json reads but JSON does not have."""
    raise ValueError(f"{name} is not JSON")
