"""The checks of one annotation file's records: the DCT, the ids, the timexes (and their TimeML
attributes) and the claims, each reporting :class:`~harness.gold.schema.Problem` s and building
the frozen records.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from harness.gold import timex as tx
from harness.gold.quotes import _locate
from harness.gold.records import Claim, Published, Timex
from harness.gold.schema import (
    CLAIM_SCHEMA,
    CLUSTERS_FILE,
    DATE_SCHEMA,
    GUIDELINES_VERSIONS,
    PUBLISHED_SCHEMA,
    SKIPPED_TIMEX_SCHEMA,
    TIMEML_ATTRIBUTES,
    TIMEML_GUIDELINES,
    TIMEML_REFERENCES,
    TIMEX_SCHEMA,
    _check_schema,
    _Reporter,
)
from harness.gold.yamlio import LineDict, key_line, node_line, short


def _display(path: Path, root: Path, resolve: Callable[[Path], Path] = Path.resolve) -> str:
    """``path`` relative to ``root`` (both resolved, by ``resolve``), or as given if outside it."""
    try:
        return resolve(path).relative_to(resolve(root)).as_posix()
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


def _check_metadata(rep: _Reporter, data: LineDict) -> None:
    """``guidelines`` names a version of the guidelines (or TimeML's), ``annotated`` a real day."""
    version = data["guidelines"]
    if version not in GUIDELINES_VERSIONS and version != TIMEML_GUIDELINES:
        rep.add(
            data.line_of("guidelines"), None, "guidelines",
            f"{short(version)} is not a version of GUIDELINES.md "
            f"({', '.join(GUIDELINES_VERSIONS)}) nor {TIMEML_GUIDELINES!r}",
            f'the version the file follows, e.g. guidelines: "{GUIDELINES_VERSIONS[-1]}"; it '
            "decides which value grammar the file is checked by",
        )  # fmt: skip
    day = data["annotated"]
    if day is not None and not (len(day) == 10 and _usable_dct(day)):  # a day, without a time
        rep.add(
            data.line_of("annotated"), None, "annotated",
            f"{short(day)} is not a day YYYY-MM-DD",
            "the day the annotation was made, e.g. 2026-11-29 (or null)",
        )  # fmt: skip


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
            f"the DCT must have day or minute precision, got {short(value)}",
            "write YYYY-MM-DD or YYYY-MM-DDTHH:MM (G4.1)",
        )
    elif not _usable_dct(value):
        rep.add(
            pub.line_of("value"),
            "published",
            "value",
            f"the DCT {short(value)} is a valid TIMEX3 value but no calendar date and clock time the "
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


_ID_SHAPE = {prefix: re.compile(prefix + r"\d+") for prefix in ("t", "c")}


def _check_ids(rep: _Reporter, items: list[Any], prefix: str, kind: str) -> None:
    seen: dict[str, int] = {}
    for item in items:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
            continue
        rid = item["id"]
        if not _ID_SHAPE[prefix].fullmatch(rid):
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


#: The id prefix and the kind of record, as id messages name them, of each list of records.
_ID_KIND = {"timexes": ("t", "timex"), "claims": ("c", "claim")}


def _records(
    rep: _Reporter, data: LineDict, key: str, schema: Mapping[str, Any]
) -> Iterator[tuple[LineDict, str]]:
    """Each record of the list ``data[key]`` whose keys and types pass ``schema``, with the name
    its messages give it (its id, else ``key[i]``). The ids are checked first (:func:`_check_ids`);
    a record that fails its schema is reported and passed over, and a record still marked as a
    machine suggestion is reported (:func:`_refuse_suggestion`) and checked like any other."""
    items = data[key]
    _check_ids(rep, items, *_ID_KIND[key])
    for i, rec in enumerate(items):
        record = rec.get("id") if isinstance(rec, dict) else None
        record = record if isinstance(record, str) else f"{key}[{i}]"
        if _check_schema(rep, rec, schema, record, "", node_line(rec, data.line_of(key))):
            _refuse_suggestion(rep, rec, record)
            yield rec, record


def _check_timexes(rep: _Reporter, data: LineDict, text: str, timeml: bool) -> list[Timex]:
    """Check the timexes; ``timeml`` (an imported TimeML document) checks values by TimeML 1.2.1's
    value grammar alone, which does not tie a value to the type (TimeBank has DATE ``P1D``), and
    takes extents as annotated (no trimming rule)."""
    out = []
    for rec, record in _records(rep, data, "timexes", TIMEX_SCHEMA):
        ok = True
        if rec["type"] not in tx.TYPES:
            rep.add(
                rec.line_of("type"),
                record,
                "type",
                f"unknown type {short(rec['type'])}",
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
                f"unknown mod {short(mod)}",
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
        line = node_line(rec, data.line_of("skipped_timexes"))
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
    tids = {r.get("id") for _, r in holders[1:] if isinstance(r.get("id"), str)}
    if isinstance(pub.get("timeml"), dict) and isinstance(pub["timeml"].get("tid"), str):
        tids.add(pub["timeml"]["tid"])  # ids of other types are reported by their own checks
    for record, rec in holders:
        attrs = rec.get("timeml")
        if not isinstance(attrs, dict):
            continue
        record = record if isinstance(record, str) else None
        for key, value in attrs.items():
            line = key_line(attrs, key, None)
            if key not in TIMEML_ATTRIBUTES:
                rep.add(
                    line,
                    record,
                    f"timeml.{key}",
                    "unknown TimeML attribute",
                    f"kept attributes: {', '.join(TIMEML_ATTRIBUTES)}",
                )
            elif not isinstance(value, str):
                rep.add(line, record, f"timeml.{key}", f"expected string, got {short(value)}")
            elif key in TIMEML_REFERENCES and value not in tids:
                rep.add(
                    line,
                    record,
                    f"timeml.{key}",
                    f"{short(value)} names no TIMEX3 of this file",
                    "a reference names the DCT's tid, a timex id or a skipped_timexes id",
                )


def _check_claims(
    rep: _Reporter,
    data: LineDict,
    text: str,
    timexes: Mapping[str, Timex],
    clusters: Mapping[str, str] | None,
) -> list[Claim]:
    timex_ids = {
        r["id"] for r in data["timexes"] if isinstance(r, dict) and isinstance(r.get("id"), str)
    }
    out: list[Claim] = []
    evidence_by_id: dict[str, str] = {}
    for rec, record in _records(rep, data, "claims", CLAIM_SCHEMA):
        ok = True
        for key in ("text", "claimant"):
            if not rec[key].strip():
                rep.add(rec.line_of(key), record, key, "must not be empty")
                ok = False
        date_value, timex_id, date_note = None, None, None
        date = rec["date"]
        if date is not None:
            dline = node_line(date, rec.line_of("date"))
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
                        key_line(date, "timex", dline),
                        record,
                        "date.timex",
                        f"no timex with id {short(timex_id)} in this file",
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
                        key_line(date, "value", dline),
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
                        key_line(date, "value", dline),
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
                f"cluster {short(cluster)} is not declared in annotations/{CLUSTERS_FILE}",
                f"did you mean {short(close[0])}?"
                if close
                else "declare it there with a definition",
            )
            ok = False
        dup = rec.get("duplicate_of")
        if dup is not None:
            if dup not in evidence_by_id:
                rep.add(
                    rec.line_of("duplicate_of"),
                    record,
                    "duplicate_of",
                    f"{short(dup)} is not an earlier claim of this file",
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
