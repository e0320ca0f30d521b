"""The model of a review page: each record of an annotation file, located leniently in its text.

Records are read from the raw YAML, so a file that does not validate still gets a page; a record
that cannot be located is kept as unplaced. :mod:`harness.annotate.review_html` renders the pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.gold.files import unreadable_problem
from harness.gold.seeds import SeedPathError, read_seed
from harness.gold.validate import Problem, check_file, locate_quote
from harness.gold.yamlio import YamlError, load_yaml


class ReviewError(ValueError):
    """Review pages cannot be written (a named file does not exist); the message has a hint."""


@dataclass(frozen=True)
class _Record:
    """One annotated record as the page shows it; ``start``/``end`` are None when unplaced."""

    kind: str  # "dct", "timex" or "claim"
    name: str  # the record name problems use: "c3", "t1", "published", "claims[4]"
    anchor: str  # unique HTML id of its card
    start: int | None
    end: int | None
    rows: tuple[tuple[str, str], ...]
    summary: str
    why_unplaced: str | None = None
    #: Shown in the text before the span: the id, and for a timex its value.
    label: str = ""


@dataclass(frozen=True)
class _Page:
    path: Path
    display: str
    data: Mapping[str, Any] | None
    text: str | None
    records: tuple[_Record, ...]
    problems: tuple[Problem, ...]


# --- model --------------------------------------------------------------------------------------


def _build_page(path: Path, root: Path, clusters: Mapping[str, str] | None) -> _Page:
    display = _display(path, root)
    refused = unreadable_problem(path, root, display)
    if refused is not None:  # outside the project, or not a regular file: not read
        return _Page(path, display, None, None, (), (refused,))
    _, problems = check_file(path, root, clusters)
    try:
        data = load_yaml(path)
    except YamlError:
        data = None
    if not isinstance(data, dict):
        return _Page(path, display, None, None, (), tuple(problems))
    text = _read_text(root, data.get("source"))
    records: list[_Record] = []
    published = data.get("published")
    if isinstance(published, dict):
        records.append(_dct_record(published, text))
    timexes = [t for t in _as_list(data.get("timexes"))]
    timex_by_id = {
        t["id"]: t for t in timexes if isinstance(t, dict) and isinstance(t.get("id"), str)
    }
    claims = _as_list(data.get("claims"))
    dated_by: dict[str, list[str]] = {}
    for i, c in enumerate(claims):
        date = c.get("date") if isinstance(c, dict) else None
        if isinstance(date, dict) and isinstance(date.get("timex"), str):
            dated_by.setdefault(date["timex"], []).append(_name(c, "claims", i))
    for i, t in enumerate(timexes):
        records.append(_timex_record(t, i, text, dated_by))
    for i, c in enumerate(claims):
        records.append(_claim_record(c, i, text, timex_by_id, clusters or {}))
    return _Page(path, display, data, text, tuple(records), tuple(problems))


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _read_text(root: Path, source: Any) -> str | None:
    if not isinstance(source, str):
        return None
    try:  # the same confinement as validation: a seed outside seeds/ is never embedded
        return read_seed(root, source).decode("utf-8")
    except (SeedPathError, UnicodeDecodeError):
        return None


def _as_list(x: Any) -> list[Any]:
    return list(x) if isinstance(x, list) else []


def _name(rec: Any, kind: str, i: int) -> str:
    rid = rec.get("id") if isinstance(rec, dict) else None
    return rid if isinstance(rid, str) else f"{kind}[{i}]"


def _locate(
    text: str | None, rec: Mapping[str, Any], key: str
) -> tuple[int | None, int | None, str | None]:
    """(start, end, None) as the validator derives them, or (None, None, why not)."""
    if text is None:
        return None, None, "the seed text could not be read"
    quote = rec.get(key)
    if not isinstance(quote, str) or not quote:
        return None, None, f"no {key}"
    start, end = rec.get("start"), rec.get("end")
    if isinstance(start, int) and isinstance(end, int) and text[start:end] == quote:
        return start, end, None  # offsets given (imported documents): they say which match
    span = locate_quote(text, quote, rec.get("occurrence"))
    if isinstance(span, str):
        return None, None, span if span.startswith("occurrence") else f"the {key} {span}"
    return span[0], span[1], None


_NOT_ANNOTATED = "claims not annotated (claims: null; left out of claim metrics)"


def _s(x: Any) -> str:
    if x is None:
        return "null"
    return x if isinstance(x, str) else repr(x)


def _dct_record(pub: Mapping[str, Any], text: str | None) -> _Record:
    rows = [("value", _s(pub.get("value")))]
    rows += [(k, _s(pub[k])) for k in ("quote", "occurrence", "evidence", "note") if k in pub]
    if pub.get("suggested") is True:
        rows.append(("suggested", "true (unconfirmed)"))
    if "quote" in pub:
        start, end, why = _locate(text, pub, "quote")
    else:
        start, end, why = None, None, None  # an inferred DCT has no stamp to mark
    summary = f"DCT {_s(pub.get('value'))}"
    return _Record("dct", "published", "rec-dct", start, end, tuple(rows), summary, why, "DCT")


def _timex_record(rec: Any, i: int, text: str | None, dated_by: Mapping[str, list[str]]) -> _Record:
    name = _name(rec, "timexes", i)
    if not isinstance(rec, dict):
        return _Record(
            "timex", name, f"rec-t-{i}", None, None, (("record", _s(rec)),), name, "not a mapping"
        )
    rows = [
        (k, _s(rec[k]))
        for k in ("quote", "occurrence", "type", "value", "mod", "note", "timeml")
        if k in rec
    ]
    if name in dated_by:
        rows.append(("dates claims", ", ".join(dated_by[name])))
    if rec.get("suggested") is True:
        rows.append(("suggested", "true (unconfirmed)"))
    start, end, why = _locate(text, rec, "quote")
    mod = f" {_s(rec['mod'])}" if rec.get("mod") else ""
    summary = f"{name} {_s(rec.get('type'))} {_s(rec.get('value'))}{mod}"
    label = f"{name} {_s(rec.get('value'))}{mod}"
    return _Record("timex", name, f"rec-t-{i}", start, end, tuple(rows), summary, why, label)


def _claim_record(
    rec: Any,
    i: int,
    text: str | None,
    timex_by_id: Mapping[Any, Any],
    clusters: Mapping[str, str],
) -> _Record:
    name = _name(rec, "claims", i)
    if not isinstance(rec, dict):
        return _Record(
            "claim", name, f"rec-c-{i}", None, None, (("record", _s(rec)),), name, "not a mapping"
        )
    date = rec.get("date")
    if isinstance(date, dict) and "timex" in date:
        t = timex_by_id.get(date["timex"]) if isinstance(date["timex"], str) else None
        shown = _s(date["timex"])
        if isinstance(t, dict):
            shown += f" = {_s(t.get('value'))} ({_s(t.get('quote'))!s})"
        else:
            shown += " (no such timex)"
        date_text = shown
    elif isinstance(date, dict):
        date_text = f"{_s(date.get('value'))}; note: {_s(date.get('note'))}"
    else:
        date_text = _s(date)
    cluster = rec.get("cluster")
    cluster_text = _s(cluster)
    if isinstance(cluster, str) and cluster in clusters:
        cluster_text += f": {' '.join(clusters[cluster].split())}"
    rows = [("text", _s(rec.get("text"))), ("claimant", _s(rec.get("claimant")))]
    rows += [("date", date_text), ("cluster", cluster_text), ("evidence", _s(rec.get("evidence")))]
    rows += [(k, _s(rec[k])) for k in ("occurrence", "duplicate_of", "notes") if k in rec]
    if rec.get("suggested") is True:
        rows.append(("suggested", "true (unconfirmed)"))
    start, end, why = _locate(text, rec, "evidence")
    summary = (
        f"{name}: {_s(rec.get('text'))}\nclaimant: {_s(rec.get('claimant'))}\n"
        f"date: {date_text}\ncluster: {_s(cluster)}"
    )
    return _Record("claim", name, f"rec-c-{i}", start, end, tuple(rows), summary, why)
