"""The schema of an annotation file, and :class:`Problem`, the one shape of every finding.

Each record kind has a table of fields (type, required); :func:`_check_schema` reports missing,
mistyped and unknown fields through a :class:`_Reporter`, which stamps every problem with the
file, line and record.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.gold.yamlio import LineDict, key_line, short

CLUSTERS_FILE = "clusters.yaml"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    record: str | None
    field: str | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = ".".join(x for x in (self.record, self.field) if x)
        text = f"{where}: {what + ': ' if what else ''}{self.message}"
        return text + (f"; hint: {self.hint}" if self.hint else "")


# --- schema ----------------------------------------------------------------------------------

_Str = (str,)
_OptStr = (str, type(None))
_Int = (int,)
# key -> (accepted types, required)
DOC_SCHEMA: dict[str, tuple[tuple[type, ...], bool]] = {
    "id": (_Str, True),
    "source": (_Str, True),
    "sha256": (_Str, True),
    "outlet": (_OptStr, True),
    "outlet_note": (_Str, False),
    "byline": (_OptStr, True),
    "language": (_Str, True),
    "annotator": (_Str, True),
    "annotated": (_OptStr, True),
    "guidelines": (_Str, True),
    "imported_from": ((dict,), False),
    "published": ((dict,), True),
    "timexes": ((list,), True),
    "skipped_timexes": ((list,), False),
    "claims": ((list, type(None)), True),
    "notes": (_Str, False),
}
#: ``guidelines`` of imported TimeML documents (harness.gold.timeml): their values follow TimeML
#: 1.2.1's value grammar, which does not tie a value to the type, and their extents are offsets.
TIMEML_GUIDELINES = "TimeML 1.2.1"
#: The versions of annotations/GUIDELINES.md, oldest first (its changelog; the last is the current
#: one, which ``harness new`` writes). A file's ``guidelines`` names one of them or
#: :data:`TIMEML_GUIDELINES`: it decides which value grammar the file is checked by, so a typo
#: must not pass as "not TimeML". ``tests/test_guidelines_versions.py`` holds the list to the file.
GUIDELINES_VERSIONS = ("1.0", "1.1", "1.2", "1.3")
PUBLISHED_SCHEMA = {
    "value": (_Str, True),
    "evidence": (_Str, True),
    "quote": (_Str, False),
    "occurrence": (_Int, False),
    "start": (_Int, False),
    "end": (_Int, False),
    "note": (_Str, False),
    "suggested": ((bool,), False),
    "timeml": ((dict,), False),
}
TIMEX_SCHEMA = {
    "id": (_Str, True),
    "quote": (_Str, True),
    "occurrence": (_Int, False),
    "type": (_Str, True),
    "value": (_Str, True),
    "mod": (_OptStr, False),
    "note": (_Str, False),
    "start": (_Int, False),
    "end": (_Int, False),
    "suggested": ((bool,), False),
    "timeml": ((dict,), False),
}
#: A TIMEX3 of an imported document that is not a gold timex, and why (harness.gold.timeml).
SKIPPED_TIMEX_SCHEMA = {
    "id": (_Str, True),
    "reason": (_Str, True),
    "detail": (_Str, False),
    "line": (_Int, False),
    "start": (_Int, False),
    "end": (_Int, False),
    "type": (_Str, False),
    "value": (_Str, False),
    "mod": (_OptStr, False),
    "timeml": ((dict,), False),
}
#: TimeML attributes an imported timex keeps verbatim under its ``timeml`` key, in this order
#: (:mod:`harness.gold.timeml_reader` reads them, so what the import writes is what validation
#: accepts).
TIMEML_KEPT = (
    "anchorTimeID",
    "temporalFunction",
    "functionInDocument",
    "beginPoint",
    "endPoint",
    "quant",
    "freq",
)
#: Every key a ``timeml`` mapping may hold: the DCT's also has its ``tid`` and ``type``, and a
#: timex its ``value`` as written where the import normalized it (a one-digit ISO week).
TIMEML_ATTRIBUTES = ("tid", "type", "value", *TIMEML_KEPT)
#: Kept attributes whose value must name a TIMEX3 of the file.
TIMEML_REFERENCES = ("anchorTimeID", "beginPoint", "endPoint")
CLAIM_SCHEMA = {
    "id": (_Str, True),
    "text": (_Str, True),
    "evidence": (_Str, True),
    "occurrence": (_Int, False),
    "claimant": (_Str, True),
    "date": ((dict, type(None)), True),
    "cluster": (_OptStr, True),
    "duplicate_of": (_OptStr, False),
    "notes": (_Str, False),
    "start": (_Int, False),
    "end": (_Int, False),
    "suggested": ((bool,), False),
}
DATE_SCHEMA = {"timex": (_Str, False), "value": (_Str, False), "note": (_Str, False)}

_TYPE_NAMES = {str: "string", int: "integer", dict: "mapping", list: "list", bool: "boolean"}


def _kind(value: object) -> str:
    """A YAML reader's name for the kind of ``value``: mapping, list, string, null, ..."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "mapping"
    return {list: "list", str: "string", bool: "boolean", int: "integer", float: "number"}.get(
        type(value), type(value).__name__
    )


def _type_name(types: tuple[type, ...]) -> str:
    names = [_TYPE_NAMES.get(t, "null") for t in types]
    return " or ".join(names)


class _Reporter:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(
        self,
        line: int | None,
        record: str | None,
        field_: str | None,
        message: str,
        hint: str | None = None,
    ) -> None:
        self.problems.append(Problem(self.file, line, record, field_, message, hint))


def _check_schema(
    rep: _Reporter,
    data: Any,
    schema: Mapping[str, tuple[tuple[type, ...], bool]],
    record: str | None,
    where: str,
    line: int | None,
) -> bool:
    """Check keys and types of one mapping; return False when it is unusable."""
    if _conforms(data, schema):
        return True
    if not isinstance(data, dict):
        rep.add(line, record, where or None, f"expected a mapping, got {_kind(data)}")
        return False
    ok = True
    for key in data:
        if key not in schema:
            close = difflib.get_close_matches(str(key), schema, n=1)
            rep.add(
                key_line(data, key, line),
                record,
                _join(where, str(key)),
                "unknown key",
                f"did you mean {short(close[0])}?"
                if close
                else f"allowed keys: {', '.join(schema)}",
            )
    for key, (types, required) in schema.items():
        if key not in data:
            if required:
                rep.add(line, record, _join(where, key), "missing required key")
                ok = False
            continue
        value = data[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            hint = None
            if str in types and isinstance(value, (int, float)):
                # YAML reads 2019 or 1.3 unquoted as a number; the field wants the text
                why = {"value": "TIMEX3 values are strings", "id": "ids are strings",
                       "guidelines": "a version is a string"}.get(key, "the field is text")  # fmt: skip
                hint = f'quote it: "{value}" ({why})'
            rep.add(
                key_line(data, key, line),
                record,
                _join(where, key),
                f"expected {_type_name(types)}, got {_kind(value)} {short(value)}",
                hint,
            )
            ok = False
    return ok


#: Per schema (by id; the schemas are module constants): each key's exact value types, and the
#: required keys. See :func:`_conforms`.
_EXACT: dict[int, tuple[Mapping[str, frozenset[type]], frozenset[str], Mapping[str, Any]]] = {}


def _conforms(data: Any, schema: Mapping[str, tuple[tuple[type, ...], bool]]) -> bool:
    """True when ``data`` certainly passes :func:`_check_schema` with no problem: a dict whose keys
    are all known, the required ones present, and every value of exactly an allowed type.

    The loader builds values of a few exact types (str, int, float, bool, None, list, LineDict),
    so testing ``type(value)`` against a set answers for almost every record, without the
    per-key ``isinstance`` calls and the bool-is-an-int rule. False means "not sure": the full
    check then runs and reports whatever is wrong, with the same messages as always.
    """
    if type(data) is not LineDict and type(data) is not dict:
        return False
    exact = _EXACT.get(id(schema))
    if exact is None or exact[2] is not schema:
        exact = (
            {
                key: frozenset(types) | ({LineDict} if dict in types else frozenset())
                for key, (types, _) in schema.items()
            },
            frozenset(key for key, (_, required) in schema.items() if required),
            schema,
        )
        _EXACT[id(schema)] = exact
    allowed, required, _ = exact
    for key, value in data.items():
        types = allowed.get(key)
        if types is None or type(value) not in types:
            return False
    return required.issubset(data)


def _join(a: str, b: str) -> str:
    return f"{a}.{b}" if a else b
