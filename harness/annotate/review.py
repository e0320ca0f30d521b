"""``harness review``: one self-contained HTML page per annotation file, for reading it against the text.

A YAML file of quotes and offsets is hard to check by eye; the second pass (GUIDELINES G10) reads
the article sentence by sentence with the annotation beside it. Each page shows the raw article
(escaped, white space preserved) with every claim evidence, timex and the DCT stamp marked in
place, a side panel with every record (claim: text, claimant, date and its timex, cluster; timex:
type, value, mod; the DCT and its evidence), and every validation problem of the file, both in a
list at the top and next to the record it concerns.

Pages render files that do not validate: records are located leniently from the raw YAML (the same
quote and occurrence rules as the validator), problems come from :func:`harness.validate.check_file`,
and a record that cannot be located is listed as unplaced instead of being dropped. Spans may
overlap (claims with claims, timexes inside claims): the text is cut into segments at every span
boundary, and each segment lists every record that covers it.

Output is deterministic (no time stamps, stable order) and needs no network: the CSS and the small
script that links marks and cards are inline.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.gold.seeds import SeedPathError, read_seed
from harness.gold.validate import Problem, annotation_files, check_file, load_clusters, locate_quote
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


# --- entry point --------------------------------------------------------------------------------


def render_review(
    files: list[str | Path] | None,
    out_dir: str | Path,
    annotations_dir: str | Path = "annotations",
) -> list[Path]:
    """Write one page per annotation file (default: every file) and ``index.html`` into ``out_dir``.

    Returns the written paths, the pages in the order of ``files`` and then the index. The project
    root, where ``source`` paths start, is the parent of ``annotations_dir``.
    """
    annotations = Path(annotations_dir)
    root = annotations.resolve().parent
    paths = [Path(f) for f in files] if files else annotation_files(annotations)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ReviewError(
            f"annotation file(s) not found: {', '.join(missing)}; hint: give paths such as "
            "annotations/<id>.yaml, relative to the current directory"
        )
    clusters, cluster_problems = load_clusters(annotations, root)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    entries: list[tuple[str, _Page]] = []
    used: set[str] = set()
    for path in paths:
        page = _build_page(path, root, clusters)
        name = _page_name(path, used)
        target = out / name
        target.write_text(_render_page(page, clusters or {}), encoding="utf-8", newline="\n")
        written.append(target)
        entries.append((name, page))
    index = out / "index.html"
    index.write_text(_render_index(entries, cluster_problems), encoding="utf-8", newline="\n")
    written.append(index)
    return written


def _page_name(path: Path, used: set[str]) -> str:
    """``<stem>.html``, disambiguated by the parent directory when two files share a stem."""
    candidates = [path.stem, f"{path.stem}--{path.parent.name}"]
    candidates += [f"{path.stem}--{i}" for i in range(2, 10_000)]
    for c in candidates:
        if c not in used and c != "index":
            used.add(c)
            return f"{c}.html"
    raise ReviewError(f"{path}: too many files with the same name")  # pragma: no cover


# --- model --------------------------------------------------------------------------------------


def _build_page(path: Path, root: Path, clusters: Mapping[str, str] | None) -> _Page:
    _, problems = check_file(path, root, clusters)
    display = _display(path, root)
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
    timex_by_id = {t.get("id"): t for t in timexes if isinstance(t, dict)}
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
        t = timex_by_id.get(date["timex"])
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


# --- HTML ---------------------------------------------------------------------------------------


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _problem_text(p: Problem) -> str:
    where = f"line {p.line}: " if p.line else ""
    what = ".".join(x for x in (p.record, p.field) if x)
    text = f"{where}{what + ': ' if what else ''}{p.message}"
    return text + (f" (hint: {p.hint})" if p.hint else "")


def _segments(text: str, records: Sequence[_Record]) -> list[tuple[int, int, list[_Record]]]:
    """Cut ``text`` at every span boundary; each piece lists the records covering it."""
    placed = [r for r in records if r.start is not None and r.end is not None]
    cuts = sorted({0, len(text)} | {r.start for r in placed} | {r.end for r in placed})  # type: ignore[misc]
    out = []
    for a, b in itertools.pairwise(cuts):
        if b > a:
            out.append((a, b, [r for r in placed if r.start <= a and b <= r.end]))  # type: ignore[operator]
    return out


def _render_article(text: str, records: Sequence[_Record], bad: set[str]) -> str:
    starts: dict[int, list[_Record]] = {}
    for r in records:
        if r.start is not None:
            starts.setdefault(r.start, []).append(r)
    parts: list[str] = []
    for a, b, cover in _segments(text, records):
        for r in starts.pop(a, []):
            parts.append(
                f'<span class="lab lab-{r.kind}" data-ids="{r.anchor}" aria-hidden="true">'
                f"{_e(r.label or r.name)}</span>"
            )
        piece = _e(text[a:b])
        if not cover:
            parts.append(piece)
            continue
        kinds = {r.kind for r in cover}
        n_claims = sum(r.kind == "claim" for r in cover)
        classes = ["seg"] + [f"has-{k}" for k in sorted(kinds)]
        if n_claims:
            classes.append(f"depth-{min(n_claims, 4)}")
        if any(r.name in bad for r in cover):
            classes.append("has-problem")
        title = "\n\n".join(r.summary for r in cover)
        ids = " ".join(r.anchor for r in cover)
        parts.append(
            f'<span class="{" ".join(classes)}" data-ids="{ids}" title="{_e(title)}">{piece}</span>'
        )
    return "".join(parts)


def _render_card(r: _Record, problems: Sequence[Problem]) -> str:
    cls = f"card card-{r.kind}" + (" card-problem" if problems else "")
    where = (
        f"offsets {r.start}-{r.end}"
        if r.start is not None
        else (f"unplaced: {r.why_unplaced}" if r.why_unplaced else "no stamp quoted")
    )
    title = "DCT (published)" if r.kind == "dct" else r.name
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in r.rows)
    probs = ""
    if problems:
        items = "".join(f"<li>{_e(_problem_text(p))}</li>" for p in problems)
        probs = f'<ul class="problems">{items}</ul>'
    return (
        f'<div class="{cls}" id="{r.anchor}" data-ids="{r.anchor}" data-rid="{_e(r.name)}">'
        f'<div class="card-head"><span class="rid">{_e(title)}</span>'
        f' <span class="where">{_e(where)}</span></div>'
        f"{probs}<table>{rows}</table></div>"
    )


def _render_page(page: _Page, clusters: Mapping[str, str]) -> str:
    by_record: dict[str, list[Problem]] = {}
    for p in page.problems:
        if p.record is not None:
            by_record.setdefault(p.record, []).append(p)
    names = {r.name for r in page.records}
    anchor_of = {r.name: r.anchor for r in reversed(page.records)}
    bad = {n for n in by_record if n in names}

    doc_id = _s(page.data.get("id")) if page.data else page.path.stem
    head: list[str] = [f"<h1>{_e(doc_id)}</h1>", f'<p class="file">{_e(page.display)}</p>']
    if page.data is not None:
        rows = "".join(
            f"<tr><th>{_e(k)}</th><td>{_e(_s(page.data[k]))}</td></tr>"
            for k in (
                "source", "sha256", "outlet", "outlet_note", "byline", "language", "annotator",
                "annotated", "guidelines", "notes",
            )
            if k in page.data
        )  # fmt: skip
        n_t = sum(r.kind == "timex" for r in page.records)
        n_c = sum(r.kind == "claim" for r in page.records)
        claims = f"{n_c} claims" if page.data.get("claims") is not None else _NOT_ANNOTATED
        rows += f"<tr><th>records</th><td>{n_t} timexes, {_e(claims)}</td></tr>"
        head.append(f'<table class="meta">{rows}</table>')

    if page.problems:
        items = []
        for p in page.problems:
            link = anchor_of.get(p.record or "")
            text = _e(_problem_text(p))
            items.append(f'<li><a href="#{link}">{text}</a></li>' if link else f"<li>{text}</li>")
        head.append(
            f'<section class="problem-list"><h2>{len(page.problems)} validation problem(s)</h2>'
            f"<ul>{''.join(items)}</ul></section>"
        )
    else:
        head.append('<p class="ok">No validation problems.</p>')

    unplaced = [r for r in page.records if r.start is None and r.why_unplaced]
    if unplaced:
        items = "".join(
            f'<li><a href="#{r.anchor}">{_e(r.name)}</a>: {_e(r.why_unplaced or "")}</li>'
            for r in unplaced
        )
        head.append(
            f'<section class="unplaced"><h2>{len(unplaced)} record(s) not placed in the text</h2>'
            f"<ul>{items}</ul></section>"
        )

    if page.text is not None:
        article = f'<div class="article">{_render_article(page.text, page.records, bad)}</div>'
    else:
        article = '<p class="missing">The seed text could not be read (see the problems above).</p>'
    groups = []
    for kind, heading in (("dct", "Publication date"), ("timex", "Timexes"), ("claim", "Claims")):
        cards = [_render_card(r, by_record.get(r.name, ())) for r in page.records if r.kind == kind]
        if cards:
            groups.append(f"<h2>{heading}</h2>" + "".join(cards))
    panel = f'<div class="panel">{"".join(groups) or "<p>No records.</p>"}</div>'
    legend = (
        '<p class="legend"><span class="seg has-claim depth-1">claim evidence</span> '
        '<span class="seg has-claim depth-2">two claims overlap</span> '
        '<span class="seg has-timex">timex</span> <span class="seg has-dct">DCT stamp</span> '
        '<span class="seg has-claim depth-1 has-problem">record with a problem</span> '
        "Hover a mark for its records; click it to show their cards.</p>"
    )
    body = "".join(head) + legend + f'<div class="main">{article}{panel}</div>'
    return _document(f"review: {doc_id}", body)


def _render_index(entries: Sequence[tuple[str, _Page]], cluster_problems: Sequence[Problem]) -> str:
    rows = []
    for name, page in entries:
        data = page.data or {}
        pub = data.get("published")
        dct = _s(pub.get("value")) if isinstance(pub, dict) else ""
        n_t = sum(r.kind == "timex" for r in page.records)
        n_c: int | str = sum(r.kind == "claim" for r in page.records)
        if "claims" in data and data["claims"] is None:
            n_c = "not annotated"
        status = (
            f'<span class="bad">{len(page.problems)} problem(s)</span>'
            if page.problems
            else '<span class="good">OK</span>'
        )
        rows.append(
            f'<tr><td><a href="{_e(name)}">{_e(page.display)}</a></td>'
            f"<td>{_e(_s(data.get('source', '')))}</td><td>{_e(_s(data.get('outlet')))}</td>"
            f"<td>{_e(_s(data.get('annotator', '')))}</td><td>{_e(dct)}</td>"
            f"<td>{n_t}</td><td>{n_c}</td><td>{status}</td></tr>"
        )
    table = (
        "<table class='index'><tr><th>file</th><th>source</th><th>outlet</th><th>annotator</th>"
        "<th>DCT</th><th>timexes</th><th>claims</th><th>validation</th></tr>"
        + "".join(rows)
        + "</table>"
    )
    extra = ""
    if cluster_problems:
        items = "".join(f"<li>{_e(str(p))}</li>" for p in cluster_problems)
        extra = f'<section class="problem-list"><h2>clusters.yaml</h2><ul>{items}</ul></section>'
    return _document("review: index", f"<h1>Annotation review</h1>{extra}{table}")


_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:1em 2em;color:#222}
h1{margin:.2em 0}h2{font-size:1.05em;margin:.8em 0 .3em}
.file{color:#666;margin:0}
table{border-collapse:collapse}th,td{text-align:left;vertical-align:top;padding:1px 6px}
th{color:#555;font-weight:600;white-space:nowrap}
.meta td{max-width:70em}
.problem-list{border:2px solid #c00;background:#fff4f4;padding:.2em .8em;margin:.6em 0}
.unplaced{border:2px solid #c80;background:#fffaf0;padding:.2em .8em;margin:.6em 0}
.ok,.good{color:#070}.bad{color:#c00;font-weight:600}
.main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5em}
.article{white-space:pre-wrap;overflow-wrap:anywhere;font:15px/1.7 Georgia,serif;
  border:1px solid #ddd;padding:1em;background:#fff}
.panel{max-height:92vh;overflow-y:auto;position:sticky;top:0}
.seg.has-claim{background:rgba(255,200,0,.28)}
.seg.depth-2{background:rgba(255,160,0,.45)}
.seg.depth-3{background:rgba(255,120,0,.6)}
.seg.depth-4{background:rgba(255,80,0,.7)}
.seg.has-timex{border-bottom:3px solid #2a6fdb}
.seg.has-dct{outline:2px dashed #080}
.seg.has-problem{text-decoration:underline wavy #c00}
.seg.active,.card.active{box-shadow:0 0 0 2px #000}
.lab{font:10px/1 system-ui,sans-serif;vertical-align:super;color:#fff;border-radius:3px;
  padding:0 2px;margin:0 1px;user-select:none}
.lab-claim{background:#b76e00}.lab-timex{background:#2a6fdb}.lab-dct{background:#080}
.card{border:1px solid #ccc;border-left:5px solid #b76e00;margin:.4em 0;padding:.3em .5em;
  background:#fff}
.card-timex{border-left-color:#2a6fdb}.card-dct{border-left-color:#080}
.card-problem{border-color:#c00;background:#fff4f4}
.card-head .rid{font-weight:700}.card-head .where{color:#777;font-size:.9em}
.problems{color:#c00;margin:.2em 0 .3em 1.2em;padding:0}
.legend{color:#555}.legend .seg{padding:0 3px}
.index td,.index th{border-bottom:1px solid #eee;padding:3px 8px}
"""

_JS = """
document.addEventListener('click', function (ev) {
  var el = ev.target.closest('[data-ids]');
  if (!el) return;
  document.querySelectorAll('.active').forEach(function (x) { x.classList.remove('active'); });
  var first = null;
  el.getAttribute('data-ids').split(' ').forEach(function (id) {
    document.querySelectorAll('[data-ids~="' + id + '"]').forEach(function (x) {
      x.classList.add('active');
      if (!first && x.classList.contains('card')) first = x;
    });
  });
  if (first && !el.classList.contains('card')) first.scrollIntoView({block: 'nearest'});
});
"""


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n<body>{body}"
        f"<script>{_JS}</script></body></html>\n"
    )


__all__ = ["ReviewError", "render_review"]
