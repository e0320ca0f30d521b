"""HTML of ``harness review``: the marked-up article, the record cards, the page and the index.

Self-contained and deterministic: CSS and the small script are inline, nothing has a time stamp.
Overlapping spans are cut into segments at every boundary; each segment lists its records.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping, Sequence

from harness.annotate.review_model import _NOT_ANNOTATED, _Page, _Record, _s
from harness.gold.validate import Problem

# --- HTML ---------------------------------------------------------------------------------------


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _problem_text(p: Problem) -> str:
    where = f"line {p.line}: " if p.line else ""
    what = ".".join(x for x in (p.record, p.field) if x)
    text = f"{where}{what + ': ' if what else ''}{p.message}"
    return text + (f" (hint: {p.hint})" if p.hint else "")


def _segments(text: str, records: Sequence[_Record]) -> list[tuple[int, int, list[_Record]]]:
    """Cut ``text`` at every span boundary; each piece lists the records covering it, in their
    order.

    The cuts are swept in order with the records open at each (a record opens at its start and
    closes at its end), so a file of thousands of records is not scanned once per piece.
    """
    placed = [r for r in records if r.start is not None and r.end is not None]
    cuts = sorted({0, len(text)} | {r.start for r in placed} | {r.end for r in placed})  # type: ignore[misc]
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for i, r in enumerate(placed):
        if r.start < r.end:  # type: ignore[operator]
            opening.setdefault(r.start, []).append(i)  # type: ignore[arg-type]
            closing.setdefault(r.end, []).append(i)  # type: ignore[arg-type]
    open_: set[int] = set()
    out = []
    for a, b in itertools.pairwise(cuts):
        open_.difference_update(closing.get(a, ()))
        open_.update(opening.get(a, ()))
        if b > a:
            out.append((a, b, [placed[i] for i in sorted(open_)]))
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
