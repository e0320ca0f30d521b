"""TimeML reader and importer: TimeBank, AQUAINT, TempEval-3 (and its test set) as gold corpora.

One reader for every TimeML 1.2.1 file. What it keeps, exactly:

* **Text.** The document text is the character content of the ``TEXT`` element with every tag
  removed (``EVENT``, ``TIMEX3``, ``SIGNAL`` ...; their content stays), comments and processing
  instructions dropped, character and entity references unescaped (``&amp;`` -> ``&``), CDATA
  kept as text, and line ends normalized to ``\\n`` as every XML parser must (XML 1.0, 2.11).
  Nothing else is changed: the leading and trailing new lines of ``TEXT`` stay. Every offset
  indexes this text (Python string indices, end exclusive). ``TITLE``, ``EXTRAINFO`` and the
  links (``TLINK``, ``SLINK``, ``ALINK``, ``MAKEINSTANCE``) are not read.
* **DCT.** The one ``TIMEX3`` with ``functionInDocument="CREATION_TIME"`` (usually inside
  ``DCT``) becomes ``published``, with evidence ``"TimeML DCT"``.
* **Timexes.** Every other ``TIMEX3`` of ``TEXT``, with its exact extent (offsets), ``type``,
  ``value`` and ``mod`` as written, its ``tid`` as id, and the TimeML attributes that relate it
  to other times kept verbatim under ``timeml``: ``anchorTimeID``, ``temporalFunction``,
  ``functionInDocument``, ``beginPoint``, ``endPoint``, ``quant``, ``freq``.
* **Outlet** from the file name's agency prefix (:data:`OUTLETS`).

A one-digit ISO week number (``2000-W7``, which TimeBank writes beside ``2000-W07``) is padded
to two digits: the timex is kept with the padded value, and the value as written is kept under
``timeml`` as ``value``. No other value is changed.

Nothing is dropped silently. A TIMEX3 that cannot be a gold timex is *skipped* with a reason and
listed (in the summary and in the document's ``skipped_timexes``): empty (non-consuming) ones, a
``type`` that is not a TIMEX3 type, a ``value`` the TIMEX3 value grammar refuses
(:func:`harness.timex.validate` without a type: TimeML 1.2.1's value grammar, which does not tie
values to types), a ``mod`` that is not a TIMEX3 modifier, and TIMEX3s outside ``TEXT`` other
than the DCT. Every TIMEX3 of an imported document is counted once: DCT, kept or skipped.

Bad input stops the import with a :class:`TimemlError` naming the file, line, column and element:
a file that is not UTF-8, malformed XML, entity declarations (refused, as defusedxml does, so no
entity expansion can blow up), no ``TEXT``, no DCT or two, a ``TIMEX3`` without ``tid``, ``type``
or ``value``, a duplicate ``tid``, a reference (``anchorTimeID``, ``beginPoint``, ``endPoint``)
to no TIMEX3 of the document. With ``lenient=True`` such documents are skipped and listed.

Imported documents carry ``claims: null``: claims not annotated, which is not "no claims"; claim
metrics leave them out.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from harness.gold.schema import TIMEML_KEPT, TIMEML_REFERENCES
from harness.gold.yamlio import short

#: Agency prefix of a TimeML file name -> outlet (case-insensitive; the prefix must be followed by
#: a digit, ``_``, ``-`` or ``.``). The longest matching prefix wins. A name matching none (in
#: TimeBank: ``ea...``, ``ed...``, three broadcast transcripts whose names do not say the source)
#: gets outlet ``null`` and a note saying so.
OUTLETS: dict[str, str] = {
    "ABC": "ABC",
    "AP": "AP",
    "APW": "AP",  # AP Worldstream
    "BBC": "BBC",
    "CNN": "CNN",
    "NYT": "NYT",
    "PRI": "PRI",
    "SJMN": "SJMN",  # San Jose Mercury News
    "VOA": "VOA",
    "WSJ": "WSJ",  # also TimeBank's wsj_NNNN
    "XIE": "Xinhua",  # Xinhua English service
}

DCT_EVIDENCE = "TimeML DCT"
GUIDELINES = "TimeML 1.2.1"
ANNOTATOR = "TimeML source annotation"

_TID = re.compile(r"t\d+")
_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii"}

# Skip reasons (the keys of the summary's "skipped by reason").
EMPTY = "empty (non-consuming)"
OUTSIDE = "outside TEXT (not the DCT)"
BAD_TYPE = "type is not a TIMEX3 type"
BAD_VALUE = "value refused by the TIMEX3 value grammar"
BAD_MOD = "mod is not a TIMEX3 modifier"


class TimemlError(ValueError):
    """Bad TimeML input; the message names file, line, column, element, what is wrong and a hint.

    ``document`` is False for an error that is not about one document (an input that does not
    exist, an output directory that cannot be replaced): ``--lenient`` cannot skip it."""

    def __init__(
        self,
        file: str,
        line: int | None,
        column: int | None,
        element: str | None,
        message: str,
        hint: str | None = None,
        document: bool = True,
    ) -> None:
        self.file, self.line, self.column, self.element = file, line, column, element
        self.message, self.hint, self.document = message, hint, document
        where = file
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        text = f"{where}: {element + ': ' if element else ''}{message}"
        super().__init__(text + (f"; hint: {hint}" if hint else ""))


@dataclass(frozen=True)
class TimemlTimex:
    """One TIMEX3 element as read: extent (None outside TEXT), attributes and source position."""

    tid: str
    type: str
    value: str
    mod: str | None
    start: int | None
    end: int | None
    text: str
    attributes: tuple[tuple[str, str], ...]
    line: int
    column: int
    written_value: str | None = None  # the value as written, when ``value`` is its normal form

    @property
    def timeml(self) -> dict[str, str]:
        """The kept TimeML attributes, in :data:`~harness.gold.schema.TIMEML_KEPT` order (the
        schema's list, so that validation accepts every attribute the import keeps), then
        ``value`` as written when the reader normalized it."""
        attrs = dict(self.attributes)
        kept = {k: attrs[k] for k in TIMEML_KEPT if k in attrs}
        if self.written_value is not None:
            kept["value"] = self.written_value
        return kept


_ONE_DIGIT_WEEK = re.compile(r"^([\dX]{4}-W)(\d)(?=$|-)")


def pad_week(value: str) -> str:
    """A one-digit ISO week number padded to two digits (``2000-W7`` -> ``2000-W07``, also in
    ``2000-W7-WE`` and either end of an interval); any other value unchanged.

    TimeBank writes both spellings for one week; the TIMEX3 value grammar asks for two digits.
    """
    return "/".join(_ONE_DIGIT_WEEK.sub(r"\g<1>0\2", p) for p in value.split("/"))


@dataclass(frozen=True)
class Skipped:
    """A TIMEX3 that is not a gold timex, and why."""

    timex: TimemlTimex
    reason: str
    detail: str


@dataclass(frozen=True)
class TimemlDocument:
    """One TimeML file converted: the text, the DCT, the kept and the skipped TIMEX3s."""

    doc_id: str
    file: str  # as given to the reader (for messages)
    sha256: str  # of the TimeML file's bytes
    text: str
    dct: TimemlTimex
    timexes: tuple[TimemlTimex, ...]
    skipped: tuple[Skipped, ...]
    outlet: str | None
    outlet_note: str
    n_timex3: int  # every TIMEX3 element of the file

    def __post_init__(self) -> None:
        if 1 + len(self.timexes) + len(self.skipped) != self.n_timex3:  # pragma: no cover
            raise AssertionError(f"{self.file}: TIMEX3 accounting does not add up")


def outlet_for(name: str) -> tuple[str | None, str]:
    """The outlet of a TimeML file name and a note saying where it comes from."""
    best = None
    for prefix in OUTLETS:
        if re.match(re.escape(prefix) + r"(?=[\d_.-])", name, flags=re.IGNORECASE) and (
            best is None or len(prefix) > len(best)
        ):
            best = prefix
    if best is None:
        return None, "the file name's prefix is not in the TimeML outlet table"
    return OUTLETS[best], f"from the TimeML file name prefix {short(name[: len(best)])}"


def _element(name: str, attrs: dict[str, str] | None = None) -> str:
    ident = (attrs or {}).get("tid") or (attrs or {}).get("eid")
    if ident:
        key = "tid" if "tid" in (attrs or {}) else "eid"
        return f'<{name} {key}="{ident}">'
    return f"<{name}>"


def _check_utf8(raw: bytes, name: str) -> None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        element = _open_element_at(raw[: exc.start])
        raise TimemlError(
            name,
            line,
            column,
            element,
            f"not UTF-8: byte 0x{raw[exc.start]:02X} at offset {exc.start}",
            "TimeML files are read as UTF-8; convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8",
        ) from None


def _open_element_at(prefix: bytes) -> str | None:
    """The innermost element open at the end of ``prefix`` (best effort, for messages)."""
    stack: list[str] = []
    p = expat.ParserCreate()
    p.StartElementHandler = lambda n, a: stack.append(_element(n, a))
    p.EndElementHandler = lambda n: stack.pop() if stack else None
    with contextlib.suppress(expat.ExpatError):
        p.Parse(prefix, False)
    return stack[-1] if stack else None


def read_timeml(path: str | Path, display: str | None = None) -> TimemlDocument:
    """Read and convert one TimeML file; raise :class:`TimemlError` on bad input."""
    path = Path(path)
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TimemlError(name, None, None, None, f"cannot read: {exc.strerror}") from None
    return parse_timeml(raw, name, doc_id=path.stem)


def parse_timeml(raw: bytes, name: str, doc_id: str) -> TimemlDocument:
    """Convert the bytes of one TimeML file (see the module docstring for what is kept)."""
    _check_utf8(raw, name)
    parts: list[str] = []
    length = 0
    stack: list[str] = []  # open elements, for messages
    open_timexes: list[tuple[dict[str, str], int | None, int, int]] = []
    closed: list[tuple[dict[str, str], int | None, int, int, int]] = []
    state = {"in_text": 0, "n_text": 0, "root_line": 1}
    p = expat.ParserCreate()
    p.buffer_text = True
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def where() -> tuple[int, int]:
        return p.CurrentLineNumber, p.CurrentColumnNumber + 1

    def fail(message: str, hint: str | None = None, element: str | None = None) -> TimemlError:
        line, column = where()
        return TimemlError(
            name, line, column, element or (stack[-1] if stack else None), message, hint
        )

    def xml_decl(version: str | None, encoding: str | None, standalone: int) -> None:
        if encoding and encoding.lower() not in _ENCODINGS:
            raise fail(
                f"declares encoding {short(encoding)}; only UTF-8 is read",
                "convert the file to UTF-8 and change the declaration",
                "<?xml?>",
            )

    def entity_decl(entity: str, *args: Any) -> None:
        raise fail(
            f"entity declaration {short(entity)} refused (no entity expansion)",
            "TimeML needs no entity declarations; remove the DOCTYPE's internal subset",
            "<!DOCTYPE>",
        )

    def start(tag: str, attrs: dict[str, str]) -> None:
        if not stack:
            state["root_line"] = p.CurrentLineNumber
        stack.append(_element(tag, attrs))
        if tag == "TEXT":
            if state["n_text"]:
                raise fail("a second TEXT element", "a TimeML document has one TEXT")
            state["n_text"] += 1
            state["in_text"] += 1
        elif tag == "TIMEX3":
            line, column = where()
            open_timexes.append((attrs, length if state["in_text"] else None, line, column))

    def end(tag: str) -> None:
        if tag == "TIMEX3":
            attrs, begin, line, column = open_timexes.pop()
            closed.append((attrs, begin, length, line, column))
        elif tag == "TEXT":
            state["in_text"] -= 1
        stack.pop()

    def chars(data: str) -> None:
        nonlocal length
        if state["in_text"]:
            parts.append(data)
            length += len(data)

    p.XmlDeclHandler = xml_decl
    p.EntityDeclHandler = entity_decl
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    try:
        p.Parse(raw, True)
    except expat.ExpatError as exc:
        raise TimemlError(
            name,
            exc.lineno,
            exc.offset + 1,
            stack[-1] if stack else None,
            f"malformed XML: {expat.ErrorString(exc.code)}",
            "fix the markup (every tag closed, '&' written as '&amp;')",
        ) from None
    if not state["n_text"]:
        raise TimemlError(
            name, 1, None, "<TimeML>", "no TEXT element", "TimeML keeps the text in TEXT"
        )
    text = "".join(parts)
    read = [_timex(a, b, e, text, line, col, name) for a, b, e, line, col in closed]
    return _convert(read, text, raw, name, doc_id, state["root_line"])


def _timex(
    attrs: dict[str, str],
    begin: int | None,
    end: int,
    text: str,
    line: int,
    column: int,
    name: str,
) -> TimemlTimex:
    element = _element("TIMEX3", attrs)
    for key, hint in (
        ("tid", 'every TIMEX3 has an id such as tid="t12"'),
        ("type", "type is DATE, TIME, DURATION or SET"),
        ("value", 'every TIMEX3 has a normalized value, e.g. value="1998-02-13"'),
    ):
        if key not in attrs:
            raise TimemlError(
                name, line, column, element, f"TIMEX3 has no {short(key)} attribute", hint
            )
    if not _TID.fullmatch(attrs["tid"]):
        raise TimemlError(
            name,
            line,
            column,
            element,
            f"tid {short(attrs['tid'])} is not t<number>",
            'e.g. tid="t12"',
        )
    return TimemlTimex(
        tid=attrs["tid"],
        type=attrs["type"],
        value=attrs["value"],
        mod=attrs.get("mod") or None,
        start=begin,
        end=end if begin is not None else None,
        text=text[begin:end] if begin is not None else "",
        attributes=tuple(sorted(attrs.items())),
        line=line,
        column=column,
    )


def _convert(
    read: list[TimemlTimex], text: str, raw: bytes, name: str, doc_id: str, root_line: int
) -> TimemlDocument:
    from harness.gold import timex as tx

    seen: dict[str, TimemlTimex] = {}
    for t in read:
        if t.tid in seen:
            raise TimemlError(
                name,
                t.line,
                t.column,
                _element("TIMEX3", {"tid": t.tid}),
                f"duplicate tid (first at line {seen[t.tid].line})",
                "tids are unique within a document",
            )
        seen[t.tid] = t
    dcts = [t for t in read if dict(t.attributes).get("functionInDocument") == "CREATION_TIME"]
    if not dcts:
        raise TimemlError(
            name,
            root_line,
            None,
            "<TimeML>",
            'no DCT: no TIMEX3 with functionInDocument="CREATION_TIME"',
            "TimeML documents give their creation time in DCT; without it nothing can be resolved",
        )
    if len(dcts) > 1:
        second = dcts[1]
        raise TimemlError(
            name,
            second.line,
            second.column,
            _element("TIMEX3", {"tid": second.tid}),
            f"a second CREATION_TIME TIMEX3 (the first is {dcts[0].tid}, line {dcts[0].line})",
            "a document has one DCT",
        )
    dct = dcts[0]
    try:
        dct_value = tx.validate(dct.value)
    except tx.TimexValueError as exc:
        raise TimemlError(
            name, dct.line, dct.column, _element("TIMEX3", {"tid": dct.tid}), f"DCT value: {exc}"
        ) from None
    if tx.granularity(dct_value) not in ("day", "time") or tx.kind(dct_value) not in (
        "date",
        "time",
    ):
        raise TimemlError(
            name,
            dct.line,
            dct.column,
            _element("TIMEX3", {"tid": dct.tid}),
            f"the DCT must have day or minute precision, got {short(dct.value)}",
        )
    for t in read:
        for key in TIMEML_REFERENCES:
            ref = dict(t.attributes).get(key)
            if ref and ref not in seen:
                raise TimemlError(
                    name,
                    t.line,
                    t.column,
                    _element("TIMEX3", {"tid": t.tid}),
                    f"{key} {short(ref)} names no TIMEX3 of the document",
                    "references point at the tid of another TIMEX3 (or the DCT's)",
                )
    kept: list[TimemlTimex] = []
    skipped: list[Skipped] = []
    for t in read:
        if t is dct:
            continue
        padded = pad_week(t.value)
        if padded != t.value:
            t = dataclasses.replace(t, value=padded, written_value=t.value)
        reason, detail = _skip_reason(t, tx)
        if reason:
            skipped.append(Skipped(t, reason, detail))
        else:
            kept.append(t)
    outlet, note = outlet_for(doc_id)
    return TimemlDocument(
        doc_id=doc_id,
        file=name,
        sha256=hashlib.sha256(raw).hexdigest(),
        text=text,
        dct=dct,
        timexes=tuple(kept),
        skipped=tuple(skipped),
        outlet=outlet,
        outlet_note=note,
        n_timex3=len(read),
    )


def _skip_reason(t: TimemlTimex, tx: Any) -> tuple[str | None, str]:
    if t.start is None:
        return OUTSIDE, "a TIMEX3 outside TEXT has no extent in the document text"
    if not t.text.strip():
        return EMPTY, "no text: a non-consuming TIMEX3 has no extent to match"
    if t.type not in tx.TYPES:
        return BAD_TYPE, f"type {short(t.type)}; expected one of {', '.join(tx.TYPES)}"
    try:
        tx.validate(t.value)
    except tx.TimexValueError as exc:
        return BAD_VALUE, str(exc)
    if t.mod is not None and t.mod not in tx.MODS:
        return BAD_MOD, f"mod {short(t.mod)}; expected one of {', '.join(tx.MODS)}"
    return None, ""
