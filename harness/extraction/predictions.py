"""Reading and writing prediction files (JSON Lines), the scorer's input.

One JSON object per line. A claim::

    {"doc_id": str, "text": str, "start": int|null, "end": int|null, "claimant": str|null,
     "date": TIMEX3 value|null, "date_text": str|null, "confidence": float|null}

A temporal expression (timex track) carries ``"kind": "timex"``::

    {"doc_id": str, "kind": "timex", "start": int, "end": int, "text": str,
     "type": str|null, "value": str|null}

Extra keys are kept out of the records and ignored. Records are validated here, at the edge, so the
scorer can trust them. A malformed line or an unknown ``doc_id`` is an error naming the file and
line; with ``lenient=True`` such lines are skipped and listed in :attr:`Predictions.skipped`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness.extraction.api import PredictedClaim, PredictedTimex
from harness.extraction.atomic import write_text_atomic
from harness.gold import timex as tx
from harness.gold.records import GoldDocument
from harness.gold.yamlio import cut, short, unpaired_surrogate


class PredictionError(ValueError):
    """A malformed prediction line: names the file, line number and field, with a hint."""

    def __init__(
        self, path: str, line: int, field_: str | None, message: str, hint: str = ""
    ) -> None:
        self.path, self.line, self.field, self.message, self.hint = (
            path,
            line,
            field_,
            message,
            hint,
        )
        where = f"{path}:{line}" if line else path  # line 0: the file as a whole
        what = f"{field_}: " if field_ else ""
        super().__init__(f"{where}: {what}{message}" + (f"; hint: {hint}" if hint else ""))


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str


@dataclass(frozen=True)
class Predictions:
    """Validated predictions grouped by document.

    ``timexes`` is None when the file has no timex records at all (the timex track is then not
    scored); an empty tuple for a document means "predicted none there".
    """

    claims: Mapping[str, tuple[PredictedClaim, ...]]
    timexes: Mapping[str, tuple[PredictedTimex, ...]] | None = None
    skipped: tuple[Skipped, ...] = ()
    source: str = ""
    n_lines: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)

    def claims_for(self, doc_id: str) -> tuple[PredictedClaim, ...]:
        return tuple(self.claims.get(doc_id, ()))

    def timexes_for(self, doc_id: str) -> tuple[PredictedTimex, ...]:
        return tuple((self.timexes or {}).get(doc_id, ()))

    @property
    def has_timexes(self) -> bool:
        """Whether the file has any timex record (the timex track is scored only then)."""
        return self.timexes is not None

    def n_claims(self, doc_id: str) -> int:
        return len(self.claims.get(doc_id, ()))


_CLAIM_FIELDS = {
    "doc_id": (str,),
    "text": (str,),
    "start": (int, type(None)),
    "end": (int, type(None)),
    "claimant": (str, type(None)),
    "date": (str, type(None)),
    "date_text": (str, type(None)),
    "confidence": (int, float, type(None)),
}
_TIMEX_FIELDS = {
    "doc_id": (str,),
    "start": (int,),
    "end": (int,),
    "text": (str,),
    "type": (str, type(None)),
    "value": (str, type(None)),
}
_REQUIRED_CLAIM = ("doc_id", "text")


def _type_ok(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, types)


def parse_record(
    obj: Any, path: str, line: int, texts: Mapping[str, str]
) -> PredictedClaim | PredictedTimex:
    """Validate one decoded JSON value against the format and the known documents."""
    if not isinstance(obj, dict):
        raise PredictionError(path, line, None, f"expected a JSON object, got {type(obj).__name__}")
    kind = obj.get("kind", "claim")
    if kind not in ("claim", "timex"):
        raise PredictionError(
            path, line, "kind", f"unknown kind {short(kind)}", "use 'claim' (default) or 'timex'"
        )
    fields = _CLAIM_FIELDS if kind == "claim" else _TIMEX_FIELDS
    required = _REQUIRED_CLAIM if kind == "claim" else tuple(_TIMEX_FIELDS)
    for key in required:
        if key not in obj:
            raise PredictionError(path, line, key, "missing required key")
    for key, types in fields.items():
        if key in obj and not _type_ok(obj[key], types):
            names = "/".join("null" if t is type(None) else t.__name__ for t in types)
            raise PredictionError(
                path,
                line,
                key,
                f"expected {names}, got {short(obj[key])}",
                "see the predictions format in the README",
            )
    for key in fields:
        value = obj.get(key)
        at = unpaired_surrogate(value) if isinstance(value, str) else None
        if at is not None:
            raise PredictionError(
                path,
                line,
                key,
                f"holds an unpaired surrogate {value[at]!r} (at {at}), "
                "which no UTF-8 text can hold",
                "a \\u escape outside the BMP is a pair such as \\ud83d\\ude00",
            )
    doc_id = obj["doc_id"]
    if doc_id not in texts:
        import difflib

        close = difflib.get_close_matches(doc_id, texts, n=1)
        raise PredictionError(
            path,
            line,
            "doc_id",
            f"unknown document {short(doc_id)}",
            f"did you mean {short(close[0])}?" if close else "doc_id is the seed file stem",
        )
    start, end = obj.get("start"), obj.get("end")
    if (start is None) != (end is None):
        raise PredictionError(path, line, "start", "give both start and end, or neither")
    if start is not None:
        n = len(texts[doc_id])
        if not 0 <= start < end <= n:
            raise PredictionError(
                path,
                line,
                "start",
                f"span {short(start)}-{short(end)} is not inside the document (0-{n}) or is empty",
                "offsets are Python string indices into the raw seed text, end exclusive",
            )
    if kind == "timex":
        return PredictedTimex(
            doc_id=doc_id,
            start=start,
            end=end,
            text=obj["text"],
            type=obj.get("type"),
            value=obj.get("value"),
        )
    confidence = obj.get("confidence")
    if confidence is not None and not math.isfinite(confidence):
        raise PredictionError(
            path, line, "confidence", f"{confidence} is not a finite number", "use a number or null"
        )
    date = obj.get("date")
    if date is not None:
        try:
            tx.validate(date)
        except tx.TimexValueError as exc:
            raise PredictionError(
                path,
                line,
                "date",
                str(exc),
                "a TIMEX3 value such as 2023-09-12, 2023-W37, 2023-09-10/2023-09-13, "
                "FUTURE_REF, or null",
            ) from None
    return PredictedClaim(
        doc_id=doc_id,
        text=obj["text"],
        start=start,
        end=end,
        claimant=obj.get("claimant"),
        date=obj.get("date"),
        date_text=obj.get("date_text"),
        confidence=float(confidence) if confidence is not None else None,
    )


def _decode_line(data: bytes, path: str, line: int) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PredictionError(
            path,
            line,
            None,
            f"not UTF-8: byte {data[exc.start : exc.start + 1]!r} at column {exc.start + 1}",
            "write the file as UTF-8 (json.dumps output, or ensure_ascii=True, always is)",
        ) from None


def no_json_constant(name: str) -> Any:
    """Refuse NaN and Infinity, which Python's json reads but JSON does not have (the
    ``parse_constant`` of every reader of JSON written by another program)."""
    raise ValueError(f"{name} is not a JSON number")


def json_line_error(exc: json.JSONDecodeError, raw: str, example: str) -> tuple[str, str]:
    """What is wrong with a JSON Lines line the decoder refused, and a hint.

    The decoder reads the line with its line break: an error past the line's last character is
    "line 2, column 1" to it, and the end of this line to the user, most often a line cut short.
    """
    body = len(raw.rstrip("\r\n"))
    if exc.pos >= body:
        return (
            f"{exc.msg} at the end of the line (column {body + 1})",
            "the line ends before its record does: cut short, or a record spread over several "
            "lines (JSON Lines holds one whole record per line)",
        )
    return f"{exc.msg} at column {exc.colno}", f"each line is one JSON object, such as {example}"


def _json_line(raw: str, path: str, line: int) -> Any:
    """One line's JSON value; every way the decoder can fail becomes a PredictionError."""
    try:
        return json.loads(raw, parse_constant=no_json_constant)
    except json.JSONDecodeError as exc:
        what, hint = json_line_error(exc, raw, '{"doc_id": "...", "text": "..."}')
        raise PredictionError(path, line, None, f"invalid JSON: {what}", hint) from None
    except RecursionError:
        raise PredictionError(
            path, line, None, "JSON nested too deeply", "a record is one flat object"
        ) from None
    except ValueError as exc:  # NaN/Infinity, or an integer too long to convert
        raise PredictionError(
            path,
            line,
            None,
            f"invalid JSON: {cut(str(exc), 120)}",
            "NaN and Infinity are not JSON; use null"
            if "JSON number" in str(exc)
            else "offsets and confidences are ordinary numbers",
        ) from None


def _scan(
    path: Path, texts: Mapping[str, str], lenient: bool, skipped: list[Skipped]
) -> Iterator[tuple[int, int, PredictedClaim | PredictedTimex]]:
    """Validate every line of ``path`` in one pass: (line number, byte offset, record) of each,
    the record None for a blank or skipped line (every line is yielded, so the caller counts them).

    A bad line raises a :class:`PredictionError` naming the file, line and field; with
    ``lenient`` it is appended to ``skipped`` instead. Shared by :func:`read_predictions` and
    :class:`IndexedPredictions`, so both give the same errors.
    """
    name = str(path)
    try:
        handle = path.open("rb")  # decoded line by line, so that a bad byte names its line
    except OSError as exc:
        raise PredictionError(
            name or "''",
            0,
            None,
            f"cannot open: {exc.strerror}",
            "give the path of a JSON Lines predictions file",
        ) from None
    offset = 0
    with handle:
        for lineno, data in enumerate(handle, start=1):
            at, offset = offset, offset + len(data)
            try:
                raw = _decode_line(data, name, lineno)
                if not raw.strip():
                    yield lineno, at, None  # type: ignore[misc]  # counted, not a record
                    continue
                rec = parse_record(_json_line(raw, name, lineno), name, lineno, texts)
            except PredictionError as exc:
                if not lenient:
                    raise
                skipped.append(
                    Skipped(lineno, f"{exc.field + ': ' if exc.field else ''}{exc.message}")
                )
                yield lineno, at, None  # type: ignore[misc]
                continue
            yield lineno, at, rec


def read_predictions(
    path: str | Path, texts: Mapping[str, str], lenient: bool = False
) -> Predictions:
    """Read and validate a predictions file against the documents' raw texts (doc_id -> text)."""
    path = Path(path)
    claims: dict[str, list[PredictedClaim]] = {d: [] for d in texts}
    timexes: dict[str, list[PredictedTimex]] = {d: [] for d in texts}
    any_timex = False
    skipped: list[Skipped] = []
    n_lines = 0
    for lineno, _, rec in _scan(path, texts, lenient, skipped):
        n_lines = lineno
        if isinstance(rec, PredictedTimex):
            any_timex = True
            timexes[rec.doc_id].append(rec)
        elif rec is not None:
            claims[rec.doc_id].append(rec)
    return Predictions(
        claims={d: tuple(v) for d, v in claims.items()},
        timexes={d: tuple(v) for d, v in timexes.items()} if any_timex else None,
        skipped=tuple(skipped),
        source=str(path),
        n_lines=n_lines,
    )


class IndexedPredictions:
    """A predictions file validated in one pass and left on disk: per document, the byte offsets
    of its claim and timex lines (8 bytes a line), the records re-read one document at a time.

    What the scorer needs from :class:`Predictions` (``claims_for``, ``timexes_for``,
    ``has_timexes``, ``skipped``, ``n_lines``), for files too large to hold: the lines of a
    document may be anywhere in the file. Every line is validated before anything is scored, so
    a bad line stops the run before any output exists. The file must not change meanwhile: its
    size and modification time are checked at every re-read.
    """

    def __init__(self, path: str | Path, texts: Mapping[str, str], lenient: bool = False) -> None:
        from array import array

        self.path = Path(path)
        self.source = str(self.path)
        self._texts = texts
        self._claims: dict[str, array] = {}
        self._timexes: dict[str, array] = {}
        skipped: list[Skipped] = []
        self.n_lines = 0
        for lineno, at, rec in _scan(self.path, texts, lenient, skipped):
            self.n_lines = lineno
            if rec is not None:
                book = self._timexes if isinstance(rec, PredictedTimex) else self._claims
                book.setdefault(rec.doc_id, array("q")).append(at)
        self.skipped = tuple(skipped)
        self.has_timexes = bool(self._timexes)
        self.extra: Mapping[str, Any] = {}
        self._stamp = self._stat()
        self._cache: tuple[str, str, tuple[Any, ...]] | None = None

    def _stat(self) -> tuple[int, int]:
        st = self.path.stat()
        return st.st_size, st.st_mtime_ns

    def _read(self, kind: str, doc_id: str) -> tuple[Any, ...]:
        if self._cache is not None and self._cache[:2] == (kind, doc_id):
            return self._cache[2]
        offsets = (self._timexes if kind == "timex" else self._claims).get(doc_id, ())
        out: list[Any] = []
        if offsets:
            name = self.source
            if self._stat() != self._stamp:
                raise PredictionError(
                    name, 0, None, "the file changed while it was being scored", "score it again"
                )
            shared: dict[str, str] = {}  # equal strings of a document's lines stored once
            with self.path.open("rb") as fh:
                for at in offsets:
                    fh.seek(at)
                    obj = json.loads(fh.readline())
                    if isinstance(obj, dict):
                        for k, v in obj.items():
                            if isinstance(v, str):
                                obj[k] = shared.setdefault(v, v)
                    # line numbers are not kept; the line was validated in the first pass
                    out.append(parse_record(obj, name, 0, self._texts))
        self._cache = (kind, doc_id, tuple(out))
        return self._cache[2]

    def claims_for(self, doc_id: str) -> tuple[PredictedClaim, ...]:
        return self._read("claim", doc_id)

    def timexes_for(self, doc_id: str) -> tuple[PredictedTimex, ...]:
        return self._read("timex", doc_id)

    def n_claims(self, doc_id: str) -> int:
        """Number of claim lines of ``doc_id``, without reading them."""
        return len(self._claims.get(doc_id, ()))


def gold_predictions(
    doc: GoldDocument,
) -> tuple[tuple[PredictedClaim, ...], tuple[PredictedTimex, ...]]:
    """A gold document's claims and timexes as predictions: what a perfect extractor returns
    (``harness export --format predictions``, the scoring benchmark's generator, the tests)."""
    claims = tuple(
        PredictedClaim(doc.doc_id, c.text, c.start, c.end, c.claimant, c.date)
        for c in doc.claims or ()
    )
    timexes = tuple(
        PredictedTimex(doc.doc_id, t.start, t.end, t.text, t.type, t.value) for t in doc.timexes
    )
    return claims, timexes


def claim_record(c: PredictedClaim) -> dict[str, Any]:
    return asdict(c)


def timex_record(t: PredictedTimex) -> dict[str, Any]:
    return {"kind": "timex", **asdict(t)}


def write_jsonl_atomic(path: str | Path, records: Iterable[Mapping[str, Any]]) -> Path:
    """Write JSON Lines atomically (see :func:`write_text_atomic`)."""
    return write_text_atomic(path, "".join(jsonl_line(r) for r in records))


def jsonl_line(record: Mapping[str, Any]) -> str:
    """One JSON Lines record as every writer of the project writes it (sorted keys, UTF-8)."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def write_predictions(
    path: str | Path,
    claims: Sequence[PredictedClaim],
    timexes: Sequence[PredictedTimex] = (),
) -> Path:
    """Write claims then timexes as one predictions file (atomically)."""
    records = [claim_record(c) for c in claims] + [timex_record(t) for t in timexes]
    return write_jsonl_atomic(path, records)
