"""Validation of annotation files, and construction of the corpus records from them.

Every check reports a :class:`Problem` naming the file, the line, the record id and the field, what
is wrong and how to fix it. Loading (:func:`harness.corpus.load_corpus`) and ``harness validate``
run the same code, so a corpus that loads is a corpus that validates.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.gold import timex as tx
from harness.gold.corpus import Claim, Corpus, GoldDocument, Published, Timex, corpus_hash
from harness.gold.seeds import SeedPathError, read_seed
from harness.gold.yamlio import LineDict, YamlError, load_yaml

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


@dataclass
class ValidationResult:
    corpus: Corpus
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        status = "OK" if not self.problems else f"{len(self.problems)} problem(s)"
        return f"{status}: {self.corpus.summary()}"


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
#: TimeML attributes kept on imported timexes; the reference ones must name a TIMEX3 of the file.
TIMEML_ATTRIBUTES = (
    "tid",
    "type",
    "anchorTimeID",
    "temporalFunction",
    "functionInDocument",
    "beginPoint",
    "endPoint",
    "quant",
    "freq",
)
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
    if not isinstance(data, dict):
        rep.add(line, record, where or None, f"expected a mapping, got {type(data).__name__}")
        return False
    lines = data if isinstance(data, LineDict) else None
    ok = True
    for key in data:
        if key not in schema:
            close = difflib.get_close_matches(str(key), schema, n=1)
            rep.add(
                lines.line_of(key) if lines else line,
                record,
                _join(where, str(key)),
                "unknown key",
                f"did you mean {close[0]!r}?" if close else f"allowed keys: {', '.join(schema)}",
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
                hint = f'quote it: "{value}" (TIMEX3 values and ids are strings)'
            rep.add(
                lines.line_of(key) if lines else line,
                record,
                _join(where, key),
                f"expected {_type_name(types)}, got {type(value).__name__} {value!r}",
                hint,
            )
            ok = False
    return ok


def _join(a: str, b: str) -> str:
    return f"{a}.{b}" if a else b


# --- quotes ------------------------------------------------------------------------------------


def find_all(text: str, quote: str) -> list[int]:
    """Start offsets of every match of ``quote`` in ``text``, overlapping matches included."""
    if not quote:
        return []
    return [m.start() for m in re.finditer("(?=" + re.escape(quote) + ")", text)]


def locate_quote(text: str, quote: str, occurrence: object = None) -> tuple[int, int] | str:
    """The span of ``quote`` (its ``occurrence``-th match, 1-based) or, if none, a reason.

    Without ``occurrence`` the quote must occur exactly once. The validator reports the same cases
    with fuller messages (offsets, look-alike characters); this is for callers that need the span.
    """
    hits = find_all(text, quote)
    if not hits:
        return "is not in the text"
    if occurrence is None:
        if len(hits) > 1:
            return f"occurs {len(hits)} times and no occurrence is given"
        occurrence = 1
    if (
        not isinstance(occurrence, int)
        or isinstance(occurrence, bool)
        or not 1 <= occurrence <= len(hits)
    ):
        return f"occurrence {occurrence!r} does not exist"
    start = hits[occurrence - 1]
    return start, start + len(quote)


_LOOSE = str.maketrans(
    {"\u00a0": " ", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\t": " "}
)


def _loose(s: str) -> str:
    return s.translate(_LOOSE)


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNKNOWN')}"


def diagnose_missing_quote(text: str, quote: str) -> tuple[str, str]:
    """Explain why ``quote`` is not in ``text``: (message, hint)."""
    loose_text, loose_quote = _loose(text), _loose(quote)
    hits = find_all(loose_text, loose_quote)
    if hits:
        at = hits[0]
        diffs = [
            f"the seed has {_char_name(text[at + i])} at offset {at + i} where the quote has "
            f"{_char_name(quote[i])}"
            for i in range(len(quote))
            if text[at + i] != quote[i]
        ]
        msg = f"quote not found exactly; it matches at offset {at} up to look-alike characters"
        return msg, "; ".join(diffs[:3]) + " (copy the characters from the seed)"
    matcher = difflib.SequenceMatcher(None, text, quote, autojunk=False)
    m = matcher.find_longest_match(0, len(text), 0, len(quote))
    start = max(0, m.a - m.b)
    near = text[start : start + len(quote)]
    shown = near if len(near) <= 80 else near[:77] + "..."
    msg = f"quote not found; nearest text at offset {start}: {shown!r}"
    hint = "check spelling and spacing against the seed; quotes must be copied exactly"
    if "\u00a0" in near and "\u00a0" not in quote:
        hint = "the seed has a non-breaking space (U+00A0) here; " + hint
    return msg, hint


def _locate(
    rep: _Reporter,
    text: str,
    source: str,
    rec: Mapping[str, Any],
    record: str,
    quote_key: str,
    where: str = "",
    trim: bool = True,
) -> tuple[int, int] | None:
    quote = rec[quote_key]
    line = rec.line_of(quote_key) if isinstance(rec, LineDict) else None
    fld = _join(where, quote_key)
    start, end = rec.get("start"), rec.get("end")
    if isinstance(start, int) and isinstance(end, int) and quote:
        # Offsets given: they say which occurrence, and the quote must be the text there.
        if 0 <= start < end <= len(text) and text[start:end] == quote:
            occ = rec.get("occurrence")
            hits = find_all(text, quote)
            if occ is not None and (not 1 <= occ <= len(hits) or hits[occ - 1] != start):
                rep.add(
                    rec.line_of("occurrence") if isinstance(rec, LineDict) else line,
                    record,
                    _join(where, "occurrence"),
                    f"occurrence {occ} is not the match at start {start}",
                    "delete 'occurrence' (the offsets say which match) or correct it",
                )
                return None
            if trim and quote != quote.strip():
                rep.add(line, record, fld, "quote starts/ends with white space", "trim it (G3.4)")
                return None
            return start, end
        if not find_all(text, quote):
            shown = text[start:end] if 0 <= start < end <= len(text) else None
            rep.add(
                rec.line_of("start") if isinstance(rec, LineDict) else line,
                record,
                _join(where, "start"),
                f"offsets {start}-{end} hold {shown!r}, not the quote {quote!r} (in {source})",
                "offsets are Python string indices into the seed decoded as UTF-8, end exclusive",
            )
            return None
    if (trim and quote != quote.strip()) or not quote:
        rep.add(
            line,
            record,
            fld,
            "quote is empty or starts/ends with white space",
            "trim the quote (G3.4)",
        )
        return None
    hits = find_all(text, quote)
    if not hits:
        msg, hint = diagnose_missing_quote(text, quote)
        rep.add(line, record, fld, f"{msg} (in {source})", hint)
        return None
    occ = rec.get("occurrence")
    if occ is None:
        if len(hits) > 1:
            rep.add(
                line,
                record,
                fld,
                f"quote occurs {len(hits)} times (offsets {', '.join(map(str, hits[:6]))})",
                "add 'occurrence: N' (1-based, left to right) to say which one",
            )
            return None
        occ = 1
    elif not 1 <= occ <= len(hits):
        rep.add(
            rec.line_of("occurrence") if isinstance(rec, LineDict) else line,
            record,
            _join(where, "occurrence"),
            f"occurrence {occ} but the quote occurs {len(hits)} time(s)",
            "occurrences count from 1, left to right",
        )
        return None
    start = hits[occ - 1]
    end = start + len(quote)
    for key, derived in (("start", start), ("end", end)):
        if key in rec and rec[key] != derived:
            rep.add(
                rec.line_of(key) if isinstance(rec, LineDict) else line,
                record,
                _join(where, key),
                f"{key} is {rec[key]} but the quote is at {start}-{end}",
                "run 'harness validate --fix' to rewrite derived offsets, or delete them",
            )
    return start, end


# --- one file ----------------------------------------------------------------------------------


def check_file(
    path: Path, root: Path, clusters: Mapping[str, str] | None
) -> tuple[GoldDocument | None, list[Problem]]:
    """Validate one annotation file; return its document (None if unusable) and its problems."""
    name = _display(path, root)
    rep = _Reporter(name)
    try:
        data = load_yaml(path)
    except YamlError as exc:
        rep.add(exc.line, None, None, exc.message)
        return None, rep.problems
    if not _check_schema(rep, data, DOC_SCHEMA, None, "", 1):
        return None, rep.problems

    doc_id = data["id"]
    if doc_id != path.stem:
        rep.add(
            data.line_of("id"),
            None,
            "id",
            f"id {doc_id!r} differs from the file name {path.stem!r}",
            "the id is the seed's file stem and the file is annotations/<id>.yaml",
        )
    try:
        raw = read_seed(root, data["source"])
    except SeedPathError as exc:
        rep.add(data.line_of("source"), None, "source", exc.message, exc.hint)
        return None, rep.problems
    digest = hashlib.sha256(raw).hexdigest()
    if digest != data["sha256"]:
        rep.add(
            data.line_of("sha256"),
            None,
            "sha256",
            f"seed {data['source']} has sha256 {digest[:12]}..., the file says "
            f"{str(data['sha256'])[:12]}...",
            "the seed changed after annotation: re-check every quote, then update sha256 "
            "(harness validate --fix fills a missing one, never a wrong one)",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        rep.add(None, None, "source", f"seed is not UTF-8 (byte {exc.start})", "save it as UTF-8")
        return None, rep.problems

    timeml = data["guidelines"] == TIMEML_GUIDELINES
    published = _check_published(rep, data, text)
    timexes = _check_timexes(rep, data, text, timeml)
    _check_timeml(rep, data)
    annotated = data["claims"] is not None
    claims = (
        _check_claims(rep, data, text, {t.id: t for t in timexes}, clusters) if annotated else []
    )
    if published is None:
        return None, rep.problems
    doc = GoldDocument(
        doc_id=doc_id,
        source_file=data["source"],
        sha256=data["sha256"],
        outlet=data["outlet"],
        byline=data["byline"],
        language=data["language"],
        annotator=data["annotator"],
        annotated=data["annotated"],
        guidelines=data["guidelines"],
        published=published,
        text=text,
        timexes=tuple(timexes),
        claims=tuple(claims),
        annotation_file=name,
        claims_annotated=annotated,
    )
    return doc, rep.problems


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _refuse_suggestion(rep: _Reporter, rec: LineDict, record: str) -> None:
    if rec.get("suggested") is True:
        rep.add(
            rec.line_of("suggested"),
            record,
            "suggested",
            "unconfirmed machine suggestion",
            "check it against the guidelines, correct it, then delete the 'suggested: true' line",
        )


#: The DCT shapes the date resolvers anchor on (``harness.dates.resolve.parse_dct``): a calendar
#: day, optionally with a clock time. Week dates (2023-W37-2), part-of-day times (T MO) and 24:00
#: are valid TIMEX3 values but no anchor for "yesterday"; validation refuses them here rather than
#: letting evaluate fail on them.
_DCT_SHAPE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2})?)?")


def _usable_dct(value: str) -> bool:
    """Whether ``value`` is a DCT the resolvers can anchor on (see :data:`_DCT_SHAPE`)."""
    import datetime as dt

    m = _DCT_SHAPE.fullmatch(value)
    if not m:
        return False
    try:
        dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return False
    return m[4] is None or (int(m[4]) <= 23 and int(m[5]) <= 59)


def _check_published(rep: _Reporter, data: LineDict, text: str) -> Published | None:
    pub = data["published"]
    if not _check_schema(rep, pub, PUBLISHED_SCHEMA, "published", "", data.line_of("published")):
        return None
    _refuse_suggestion(rep, pub, "published")
    value = pub["value"]
    try:
        value = tx.validate(value)
    except tx.TimexValueError as exc:
        rep.add(pub.line_of("value"), "published", "value", str(exc))
        return None
    if tx.granularity(value) not in ("day", "time") or tx.kind(value) not in ("date", "time"):
        rep.add(
            pub.line_of("value"),
            "published",
            "value",
            f"the DCT must have day or minute precision, got {value!r}",
            "write YYYY-MM-DD or YYYY-MM-DDTHH:MM (G4.1)",
        )
    elif not _usable_dct(value):
        rep.add(
            pub.line_of("value"),
            "published",
            "value",
            f"the DCT {value!r} is a valid TIMEX3 value but no calendar date and clock time the "
            "resolvers can anchor on",
            "write the calendar day, YYYY-MM-DD, or YYYY-MM-DDTHH:MM with hours 00-23 (G4.1)",
        )
    start = end = None
    if "quote" in pub:
        span = _locate(rep, text, data["source"], pub, "published", "quote")
        if span:
            start, end = span
    elif "occurrence" in pub:
        rep.add(pub.line_of("occurrence"), "published", "occurrence", "occurrence without quote")
    return Published(
        value=value, evidence=pub["evidence"], quote=pub.get("quote"), start=start, end=end
    )


def _check_ids(rep: _Reporter, items: list[Any], prefix: str, kind: str) -> None:
    seen: dict[str, int] = {}
    for item in items:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
            continue
        rid = item["id"]
        if not re.fullmatch(prefix + r"\d+", rid):
            rep.add(
                item.line_of("id"), rid, "id", f"{kind} id must look like {prefix}1, {prefix}2, ..."
            )
        if rid in seen:
            rep.add(
                item.line_of("id"),
                rid,
                "id",
                f"duplicate {kind} id (first at line {seen[rid]})",
                "ids are unique within a file",
            )
        else:
            seen[rid] = item.line_of("id")


def _check_timexes(rep: _Reporter, data: LineDict, text: str, timeml: bool) -> list[Timex]:
    """Check the timexes; ``timeml`` (an imported TimeML document) checks values by TimeML 1.2.1's
    value grammar alone, which does not tie a value to the type (TimeBank has DATE ``P1D``), and
    takes extents as annotated (no trimming rule)."""
    items = data["timexes"]
    _check_ids(rep, items, "t", "timex")
    out = []
    for i, rec in enumerate(items):
        record = rec.get("id") if isinstance(rec, dict) else None
        record = record if isinstance(record, str) else f"timexes[{i}]"
        line = rec.line if isinstance(rec, LineDict) else data.line_of("timexes")
        if not _check_schema(rep, rec, TIMEX_SCHEMA, record, "", line):
            continue
        _refuse_suggestion(rep, rec, record)
        ok = True
        if rec["type"] not in tx.TYPES:
            rep.add(
                rec.line_of("type"),
                record,
                "type",
                f"unknown type {rec['type']!r}",
                f"one of {', '.join(tx.TYPES)}",
            )
            ok = False
        value = rec["value"]
        try:
            value = tx.validate(value, rec["type"] if ok and not timeml else None)
        except tx.TimexValueError as exc:
            rep.add(rec.line_of("value"), record, "value", str(exc), "see GUIDELINES G5.4")
            ok = False
        mod = rec.get("mod")
        if mod is not None and mod not in tx.MODS:
            rep.add(
                rec.line_of("mod"),
                record,
                "mod",
                f"unknown mod {mod!r}",
                f"one of {', '.join(tx.MODS)}",
            )
            ok = False
        span = _locate(rep, text, data["source"], rec, record, "quote", trim=not timeml)
        attrs = rec.get("timeml") or {}
        if span and ok:
            out.append(
                Timex(
                    id=rec["id"],
                    start=span[0],
                    end=span[1],
                    text=rec["quote"],
                    type=rec["type"],
                    value=value,
                    mod=mod,
                    note=rec.get("note"),
                    timeml=tuple(sorted((str(k), str(v)) for k, v in attrs.items())),
                )
            )
    return out


def _check_timeml(rep: _Reporter, data: LineDict) -> None:
    """TimeML attributes (imported documents): known names, string values, and references
    (anchorTimeID, beginPoint, endPoint) that name the DCT, a timex or a skipped TIMEX3."""
    skipped = data.get("skipped_timexes") or []
    for i, rec in enumerate(skipped):
        record = rec.get("id") if isinstance(rec, dict) else None
        line = rec.line if isinstance(rec, LineDict) else data.line_of("skipped_timexes")
        _check_schema(
            rep,
            rec,
            SKIPPED_TIMEX_SCHEMA,
            record if isinstance(record, str) else None,
            f"skipped_timexes[{i}]",
            line,
        )
    pub = data["published"] if isinstance(data["published"], dict) else {}
    holders = [("published", pub)]
    holders += [(r.get("id"), r) for r in data["timexes"] if isinstance(r, dict)]
    holders += [(r.get("id"), r) for r in skipped if isinstance(r, dict)]
    tids = {r.get("id") for _, r in holders[1:]}
    if isinstance(pub.get("timeml"), dict):
        tids.add(pub["timeml"].get("tid"))
    for record, rec in holders:
        attrs = rec.get("timeml")
        if not isinstance(attrs, dict):
            continue
        record = record if isinstance(record, str) else None
        lines = attrs if isinstance(attrs, LineDict) else None
        for key, value in attrs.items():
            line = lines.line_of(key) if lines else None
            if key not in TIMEML_ATTRIBUTES:
                rep.add(
                    line,
                    record,
                    f"timeml.{key}",
                    "unknown TimeML attribute",
                    f"kept attributes: {', '.join(TIMEML_ATTRIBUTES)}",
                )
            elif not isinstance(value, str):
                rep.add(line, record, f"timeml.{key}", f"expected string, got {value!r}")
            elif key in TIMEML_REFERENCES and value not in tids:
                rep.add(
                    line,
                    record,
                    f"timeml.{key}",
                    f"{value!r} names no TIMEX3 of this file",
                    "a reference names the DCT's tid, a timex id or a skipped_timexes id",
                )


def _check_claims(
    rep: _Reporter,
    data: LineDict,
    text: str,
    timexes: Mapping[str, Timex],
    clusters: Mapping[str, str] | None,
) -> list[Claim]:
    items = data["claims"]
    _check_ids(rep, items, "c", "claim")
    timex_ids = {r.get("id") for r in data["timexes"] if isinstance(r, dict)}
    out: list[Claim] = []
    evidence_by_id: dict[str, str] = {}
    for i, rec in enumerate(items):
        record = rec.get("id") if isinstance(rec, dict) else None
        record = record if isinstance(record, str) else f"claims[{i}]"
        line = rec.line if isinstance(rec, LineDict) else data.line_of("claims")
        if not _check_schema(rep, rec, CLAIM_SCHEMA, record, "", line):
            continue
        _refuse_suggestion(rep, rec, record)
        ok = True
        for key in ("text", "claimant"):
            if not rec[key].strip():
                rep.add(rec.line_of(key), record, key, "must not be empty")
                ok = False
        date_value, timex_id, date_note = None, None, None
        date = rec["date"]
        if date is not None:
            dline = date.line if isinstance(date, LineDict) else rec.line_of("date")
            if not _check_schema(rep, date, DATE_SCHEMA, record, "date", dline):
                ok = False
            elif ("timex" in date) == ("value" in date):
                rep.add(
                    dline,
                    record,
                    "date",
                    "give exactly one of 'timex' or 'value'",
                    "{timex: t3} where the article states the date, "
                    '{value: "2023-09", note: "..."} where it is inferred, or null (G7)',
                )
                ok = False
            elif "timex" in date:
                timex_id = date["timex"]
                date_note = date.get("note")
                if timex_id not in timex_ids:
                    rep.add(
                        date.line_of("timex") if isinstance(date, LineDict) else dline,
                        record,
                        "date.timex",
                        f"no timex with id {timex_id!r} in this file",
                        "reference an id from the timexes list",
                    )
                    ok = False
                elif timex_id in timexes:
                    date_value = timexes[timex_id].value
            else:
                date_note = date.get("note")
                try:
                    date_value = tx.validate(date["value"])
                except tx.TimexValueError as exc:
                    rep.add(
                        date.line_of("value") if isinstance(date, LineDict) else dline,
                        record,
                        "date.value",
                        str(exc),
                    )
                    ok = False
                if (
                    tx.is_valid(date["value"])
                    and tx.kind(tx.normalize(date["value"])) == "duration"
                ):
                    rep.add(
                        date.line_of("value") if isinstance(date, LineDict) else dline,
                        record,
                        "date.value",
                        "a claim date is a point or span of time, not a duration",
                        "G7",
                    )
                    ok = False
                if not date_note:
                    rep.add(
                        dline,
                        record,
                        "date.note",
                        "an inferred date needs a note saying where it comes from",
                        "G7.3",
                    )
                    ok = False
        cluster = rec["cluster"]
        if cluster is not None and clusters is not None and cluster not in clusters:
            close = difflib.get_close_matches(cluster, clusters, n=1)
            rep.add(
                rec.line_of("cluster"),
                record,
                "cluster",
                f"cluster {cluster!r} is not declared in annotations/{CLUSTERS_FILE}",
                f"did you mean {close[0]!r}?" if close else "declare it there with a definition",
            )
            ok = False
        dup = rec.get("duplicate_of")
        if dup is not None:
            if dup not in evidence_by_id:
                rep.add(
                    rec.line_of("duplicate_of"),
                    record,
                    "duplicate_of",
                    f"{dup!r} is not an earlier claim of this file",
                    "duplicate_of names the first copy's claim id (G1.4)",
                )
                ok = False
            elif evidence_by_id[dup] != rec["evidence"]:
                rep.add(
                    rec.line_of("duplicate_of"),
                    record,
                    "duplicate_of",
                    f"evidence differs from {dup}'s",
                    "duplicate_of is only for verbatim copies (G1.4)",
                )
                ok = False
        span = _locate(rep, text, data["source"], rec, record, "evidence")
        evidence_by_id[rec["id"]] = rec["evidence"]
        if span and ok:
            out.append(
                Claim(
                    id=rec["id"],
                    text=rec["text"],
                    start=span[0],
                    end=span[1],
                    evidence=rec["evidence"],
                    claimant=rec["claimant"],
                    date=date_value,
                    timex_id=timex_id,
                    date_note=date_note,
                    cluster=cluster,
                    duplicate_of=dup,
                    notes=rec.get("notes"),
                )
            )
    return out


# --- the whole corpus --------------------------------------------------------------------------


def load_clusters(annotations: Path, root: Path) -> tuple[dict[str, str] | None, list[Problem]]:
    path = annotations / CLUSTERS_FILE
    rep = _Reporter(_display(path, root))
    if not path.exists():
        return {}, []
    try:
        data = load_yaml(path)
    except YamlError as exc:
        rep.add(exc.line, None, None, exc.message)
        return None, rep.problems
    if not isinstance(data, dict) or not isinstance(data.get("clusters"), dict):
        rep.add(1, None, "clusters", "expected a mapping 'clusters: {id: definition}'")
        return None, rep.problems
    clusters = data["clusters"]
    for cid, definition in clusters.items():
        if not isinstance(cid, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cid):
            rep.add(
                clusters.line_of(cid), str(cid), None, "cluster ids are kebab-case: a-z, 0-9, '-'"
            )
        if not isinstance(definition, str) or not definition.strip():
            rep.add(clusters.line_of(cid), str(cid), None, "needs a one-line definition")
    return {str(k): str(v) for k, v in clusters.items()}, rep.problems


ANNOTATION_SUFFIX = ".yaml"


def annotation_files(annotations: Path) -> list[Path]:
    """Every annotation file of a directory: ``*.yaml`` except the cluster file."""
    return sorted(p for p in annotations.glob("*" + ANNOTATION_SUFFIX) if p.name != CLUSTERS_FILE)


def _misnamed_files(annotations: Path, root: Path) -> list[Problem]:
    """A ``.yml`` (or ``.YAML``) file in the annotations directory would be silently skipped by
    the ``*.yaml`` glob, and its article silently missing from every score: refuse it instead."""
    problems = []
    for p in sorted(annotations.iterdir()):
        if p.suffix.lower() in (".yml", ".yaml") and p.suffix != ANNOTATION_SUFFIX:
            problems.append(
                Problem(
                    _display(p, root),
                    None,
                    None,
                    None,
                    f"annotation file with suffix {p.suffix!r} is not loaded",
                    f"rename it to {p.stem}{ANNOTATION_SUFFIX} (annotation files end in "
                    f"{ANNOTATION_SUFFIX})",
                )
            )
    return problems


def validate_corpus(
    annotations: str | Path = "annotations",
    files: list[str | Path] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ValidationResult:
    """Validate ``files`` (default: every annotation file) and, for the full set, the clusters.

    The project root (where ``source`` paths start) is the parent of the annotations directory.
    Cluster usage (each declared cluster used by two or more claims) is checked only when the full
    set is validated, since a subset cannot tell.
    """
    annotations = Path(annotations)
    root = annotations.resolve().parent
    problems: list[Problem] = []
    if not annotations.is_dir():
        problems.append(
            Problem(
                str(annotations),
                None,
                None,
                None,
                "annotations directory not found",
                "run from the project root",
            )
        )
        return ValidationResult(Corpus(()), problems)
    clusters, cproblems = load_clusters(annotations, root)
    problems += cproblems
    if not files:
        problems += _misnamed_files(annotations, root)
    all_files = annotation_files(annotations)
    paths = [Path(f) for f in files] if files else all_files
    docs: list[GoldDocument] = []
    seen_ids: dict[str, str] = {}
    seen_seeds: dict[Path, str] = {}  # resolved seed -> the annotation file that has it
    seen_text: dict[str, str] = {}  # seed sha256 -> the annotation file that has it
    for path in paths:
        if progress:
            progress(str(path))
        if not path.exists():
            problems.append(Problem(str(path), None, None, None, "file not found"))
            continue
        doc, file_problems = check_file(path, root, clusters)
        problems += file_problems
        if doc is not None:
            if doc.doc_id in seen_ids:
                problems.append(
                    Problem(
                        doc.annotation_file,
                        None,
                        None,
                        "id",
                        f"document id also in {seen_ids[doc.doc_id]}",
                    )
                )
            seed = (root / doc.source_file).resolve()
            for other, label in (
                (seen_seeds.get(seed), "seed file"),
                (seen_text.get(doc.sha256), "seed text"),
            ):
                if other is not None:
                    problems.append(
                        Problem(
                            doc.annotation_file,
                            None,
                            None,
                            "source",
                            f"{doc.source_file}: the same {label} is annotated in {other}",
                            "one annotation file per seed: keep one (a second annotator's file is "
                            "compared with 'harness agree', not loaded into the corpus)",
                        )
                    )
                    break
            seen_ids[doc.doc_id] = doc.annotation_file
            seen_seeds.setdefault(seed, doc.annotation_file)
            seen_text.setdefault(doc.sha256, doc.annotation_file)
            docs.append(doc)
    full = not files or {p.resolve() for p in paths} == {p.resolve() for p in all_files}
    if full and clusters is not None:
        problems += _check_cluster_usage(annotations, root, clusters, docs)
    hashed = [*all_files, annotations / CLUSTERS_FILE] if full else list(paths)
    hashed = [p for p in hashed if p.exists()] + [root / d.source_file for d in docs]
    corpus = Corpus(
        documents=tuple(docs),
        clusters=clusters or {},
        path=str(annotations),
        hash=corpus_hash(hashed, root),
    )
    return ValidationResult(corpus, problems, [str(p) for p in paths])


def _check_cluster_usage(
    annotations: Path, root: Path, clusters: Mapping[str, str], docs: list[GoldDocument]
) -> list[Problem]:
    name = _display(annotations / CLUSTERS_FILE, root)
    counts = Counter(c.cluster for d in docs for c in d.claims if c.cluster)
    problems = []
    for cid in clusters:
        n = counts.get(cid, 0)
        if n < 2:
            problems.append(
                Problem(
                    name,
                    None,
                    cid,
                    None,
                    f"cluster is used by {n} claim(s); a cluster needs at least two (G8.2)",
                    "use it, or delete it and set the claim's cluster to null",
                )
            )
    return problems


# --- validate --fix ------------------------------------------------------------------------------


def fix_files(
    annotations: str | Path = "annotations", files: list[str | Path] | None = None
) -> list[tuple[str, list[str]]]:
    """Write derived fields back: a missing ``sha256``, and ``start``/``end`` of located quotes.

    Comments, order and quoting are kept (ruamel.yaml round trip). A *wrong* sha256 is never
    overwritten: it means the seed changed and every quote must be re-checked by a person.
    """
    from io import StringIO

    from ruamel.yaml import YAML

    from harness.extraction.predictions import write_text_atomic

    annotations = Path(annotations)
    root = annotations.resolve().parent
    out = []
    for path in [Path(f) for f in files] if files else annotation_files(annotations):
        rt = YAML(typ="rt")
        rt.preserve_quotes = True
        rt.width = 4096
        try:
            data = rt.load(path.read_text(encoding="utf-8"))
        except Exception as exc:  # reported properly by the validation that follows
            out.append((str(path), [f"not fixed: cannot load ({type(exc).__name__})"]))
            continue
        changes: list[str] = []
        if not isinstance(data, dict) or not isinstance(data.get("source"), str):
            continue
        try:
            raw = read_seed(root, data["source"])
        except SeedPathError:  # reported by the validation that follows; nothing is read
            continue
        if not data.get("sha256"):
            data["sha256"] = hashlib.sha256(raw).hexdigest()
            changes.append("sha256 filled in")
        text = raw.decode("utf-8", errors="replace")
        records = [("published", data.get("published"), "quote")]
        records += [
            (str(r.get("id")), r, "quote") for r in data.get("timexes") or [] if isinstance(r, dict)
        ]
        records += [
            (str(r.get("id")), r, "evidence")
            for r in data.get("claims") or []
            if isinstance(r, dict)
        ]
        for rid, rec, key in records:
            if not isinstance(rec, dict) or not isinstance(rec.get(key), str):
                continue
            span = locate_quote(text, rec[key], rec.get("occurrence"))
            if isinstance(span, str):
                continue
            start, end = span
            if rec.get("start") != start or rec.get("end") != end:
                rec["start"], rec["end"] = start, end
                changes.append(f"{rid}: start/end set to {start}-{end}")
        if changes:
            buf = StringIO()
            rt.dump(data, buf)
            write_text_atomic(path, buf.getvalue())
        out.append((_display(path, root), changes))
    return out
