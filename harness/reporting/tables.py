"""Rendering results from saved JSON: tables (Markdown, CSV, LaTeX, JSON), error analysis, chart.

Nothing here computes a metric: every number comes from the JSON that the scorer saved, so a table
can be re-rendered, or rendered differently, without rerunning anything (``harness report``).
Every file carries the signature: JSON as an object, Markdown as a line under the title, CSV and
LaTeX as a leading comment line (``#`` and ``%``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from harness.extraction.atomic import open_atomic, write_text_atomic
from harness.gold.yamlio import short as shown
from harness.reporting.signature import short

FORMATS = ("md", "csv", "tex", "json")


@dataclass
class Table:
    """A results table: named columns, rows of plain values, a title, a signature and notes.

    A cell may be a number, a string, None (rendered "–"), or a ``(value, lo, hi)`` triple for a
    metric with its confidence interval (CSV gets three columns ``x``, ``x_lo``, ``x_hi``).
    """

    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    signature: Mapping[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def signature_line(self) -> str:
        return short(self.signature) if self.signature else ""


def fmt(x: Any, digits: int = 3) -> str:
    if x is None:
        return "–"
    if isinstance(x, tuple):
        v, lo, hi = x
        if v is None:
            return "–"
        if lo is None or hi is None:
            return fmt(v, digits)
        return f"{v:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def to_markdown(t: Table) -> str:
    out = [f"### {t.title}", ""]
    if t.signature_line():
        out += [f"`{t.signature_line()}`", ""]
    out.append("| " + " | ".join(t.columns) + " |")
    out.append("|" + "|".join(" --- " if i == 0 else " ---: " for i in range(len(t.columns))) + "|")
    for row in t.rows:
        out.append("| " + " | ".join(fmt(c).replace("|", "\\|") for c in row) + " |")
    if t.notes:
        out.append("")
        out += [f"- {n}" for n in t.notes]
    return "\n".join(out) + "\n"


def to_csv(t: Table) -> str:
    buf = io.StringIO()
    if t.signature_line():
        buf.write(f"# {t.signature_line()}\n")
    w = csv.writer(buf, lineterminator="\n")
    header: list[str] = []
    triple_cols = {i for i in range(len(t.columns)) if any(isinstance(r[i], tuple) for r in t.rows)}
    for i, c in enumerate(t.columns):
        header += [c, f"{c}_lo", f"{c}_hi"] if i in triple_cols else [c]
    w.writerow(header)
    for row in t.rows:
        cells: list[Any] = []
        for i, c in enumerate(row):
            if i in triple_cols:
                cells += list(c) if isinstance(c, tuple) else [c, None, None]
            else:
                cells.append(c)
        w.writerow(["" if c is None else c for c in cells])
    return buf.getvalue()


_TEX_ESCAPE = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "–": "--",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}


def tex_escape(s: str) -> str:
    return "".join(_TEX_ESCAPE.get(ch, ch) for ch in s)


def to_latex(t: Table) -> str:
    """A booktabs table (needs ``\\usepackage{booktabs}``)."""
    out = []
    if t.signature_line():
        out.append(f"% {t.signature_line()}")
    out += [
        r"\begin{table}[t]",
        r"\centering",
        r"\small",
        r"\begin{tabular}{l" + "r" * (len(t.columns) - 1) + "}",
        r"\toprule",
        " & ".join(tex_escape(c) for c in t.columns) + r" \\",
        r"\midrule",
    ]
    for row in t.rows:
        out.append(" & ".join(tex_escape(fmt(c)) for c in row) + r" \\")
    out += [r"\bottomrule", r"\end{tabular}", rf"\caption{{{tex_escape(t.title)}}}"]
    out += [rf"\label{{tab:{t.name}}}", r"\end{table}"]
    return "\n".join(out) + "\n"


def _json_record(t: Table, row: Sequence[Any]) -> dict[str, Any]:
    rec = {}
    for c, v in zip(t.columns, row, strict=True):
        rec[c] = {"value": v[0], "ci": [v[1], v[2]]} if isinstance(v, tuple) else v
    return rec


class _Records(list):  # a list to ``json``'s encoder, which then streams it
    """The JSON records of a table's rows, each made as the encoder reads it (a table of
    10,000 documents is not held twice)."""

    def __init__(self, t: Table) -> None:
        super().__init__()
        self.table = t

    def __len__(self) -> int:
        return len(self.table.rows)

    def __bool__(self) -> bool:
        return bool(self.table.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        return (_json_record(self.table, row) for row in self.table.rows)


def _json_obj(t: Table) -> dict[str, Any]:
    return {"signature": dict(t.signature), "title": t.title, "rows": _Records(t), "notes": t.notes}


def to_json(t: Table) -> str:
    return dumps({**_json_obj(t), "rows": [_json_record(t, row) for row in t.rows]})


class _Items(dict):  # a dict to ``json``'s pure-Python encoder, which then streams it
    """A mapping's items as the encoder reads them: only :func:`_encoder` makes one, for the
    pure-Python encoder (``indent`` set), which reads a dict by ``len`` and ``items()``."""

    def __init__(self, mapping: Mapping[Any, Any]) -> None:
        super().__init__()
        self.mapping = mapping

    def __len__(self) -> int:
        return len(self.mapping)

    def items(self) -> Iterator[tuple[Any, Any]]:  # type: ignore[override]
        return ((k, self.mapping[k]) for k in self.mapping)


def _as_json(o: Any) -> Any:
    if isinstance(o, Mapping):  # a summary's per-document blocks, made when read
        return _Items(o)
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _encoder() -> json.JSONEncoder:
    # indent set: the pure-Python encoder (the C one reads a dict's own storage, not items())
    return json.JSONEncoder(indent=2, ensure_ascii=False, sort_keys=False, default=_as_json)


def dumps(obj: Any) -> str:
    """``json.dumps(obj, indent=2, ensure_ascii=False)`` and a newline; any other
    :class:`~collections.abc.Mapping` is written as the dict of its items."""
    return _encoder().encode(obj) + "\n"


def dump(obj: Any, fh: TextIO) -> None:
    """:func:`dumps` written to ``fh`` as it is encoded (the same text): a list or mapping whose
    items are made as they are read is never held whole."""
    for chunk in _encoder().iterencode(obj):
        fh.write(chunk)
    fh.write("\n")


def write_table(t: Table, out_dir: str | Path) -> list[Path]:
    """Write ``<name>.md/.csv/.tex/.json`` atomically; return the paths."""
    out_dir = Path(out_dir)
    renderers = {"md": to_markdown, "csv": to_csv, "tex": to_latex}
    paths = []
    for ext in FORMATS:
        path = out_dir / f"{t.name}.{ext}"
        if ext == "json":  # streamed: the encoder's pieces of a large table are never all held
            with open_atomic(path) as fh:
                dump(_json_obj(t), fh)
        else:
            write_text_atomic(path, renderers[ext](t))
        paths.append(path)
    return paths


# --- tables from score summaries ----------------------------------------------------------------


def with_ci(block: Mapping[str, Any], key: str) -> tuple[Any, Any, Any]:
    """(value, lo, hi) of a metric with its document-bootstrap interval, for a table cell."""
    ci = block.get("ci", {}).get("document_bootstrap", {}).get(key, [None, None])
    return (block.get(key), ci[0], ci[1])


def score_table(summary: Mapping[str, Any], name: str = "score") -> Table:
    """Per-document and per-outlet table of one system's summary, overall row first."""
    cols = [
        "scope",
        "P",
        "R",
        "F1",
        "date acc",
        "date acc (relaxed)",
        "date recall",
        "claimant acc",
        "n_gold",
        "n_pred",
        "tp",
        "n_dated",
    ]

    def row(label: str, b: Mapping[str, Any], interval: bool = False) -> list[Any]:
        metric = (lambda k: with_ci(b, k)) if interval else (lambda k: b.get(k))
        return [
            label,
            metric("precision"),
            metric("recall"),
            metric("f1"),
            b.get("date_accuracy"),
            b.get("date_accuracy_relaxed"),
            b.get("date_recall"),
            b.get("claimant_accuracy"),
            b.get("n_gold"),
            b.get("n_pred"),
            b.get("tp"),
            b.get("n_dated"),
        ]

    rows = [row("overall (micro)", summary["overall"], interval=True)]
    macro = summary["macro"]
    rows.append(["overall (macro over documents)"] + [macro.get(k) for k in (
        "precision", "recall", "f1", "date_accuracy", "date_accuracy_relaxed", "date_recall",
        "claimant_accuracy")] + [None] * 4)  # fmt: skip
    rows += [row(f"doc {d}", b) for d, b in summary["per_document"].items()]
    rows += [row(f"outlet {o}", b) for o, b in summary["per_outlet"].items()]
    notes = [
        "micro: pooled counts; brackets: 95% bootstrap interval over documents",
        "date acc: strict TIMEX3 equality over matched pairs whose gold claim has a date "
        "(n_dated); relaxed: intervals overlap; date recall: correct dates / all dated gold claims",
    ]
    if summary.get("claims_not_annotated"):
        notes.append(claims_not_annotated_note(summary["claims_not_annotated"]))
    if summary.get("skipped_lines"):
        notes.append(_skipped_note(summary["skipped_lines"]))
    return Table(
        name,
        f"Scores of {summary.get('name', 'predictions')}",
        cols,
        rows,
        summary["signature"],
        notes,
    )


def set_level_line(summary: Mapping[str, Any]) -> str:
    """One line of set-level scores (METRICS.md §7) for the terminal, or why there are none."""
    block = summary.get("set_level", {})
    if block.get("status") != "ok":
        return f"set-level scores: {block.get('status', 'not run')}"
    o = block["overall"]
    return (
        f"set-level ({block['similarity']['name']} >= {block['threshold']:g}): "
        f"Focus {fmt(with_ci(o, 'focus'))}, Coverage {fmt(with_ci(o, 'coverage'))}, "
        f"F_fact {fmt(with_ci(o, 'f_fact'))}, redundancy {fmt(o['redundancy'])}, "
        f"fact recall {fmt(o['fact_recall_article'])} per article / "
        f"{fmt(o['fact_recall_across'])} across, claimant token F1 {fmt(o['claimant_token_f1'])}, "
        f"<AUTHOR> F1 {fmt(o['author_f1'])}"
    )


SET_LEVEL_COLUMNS = ["extractor", "status", "Focus", "Coverage", "F_fact", "redundancy",
                     "fact recall (article)", "fact recall (across)", "claimant token F1",
                     "<AUTHOR> P", "<AUTHOR> R", "<AUTHOR> F1", "n_pred", "n_gold"]  # fmt: skip


def short_status(status: str) -> str:
    """The status for a table cell: up to the first ';' (the full reason goes in the notes)."""
    return status.split(";", 1)[0]


def set_level_row(
    name: str, summary: Mapping[str, Any] | None, run_status: str = "ok"
) -> list[Any]:
    """One system's row of the set-level table, from its saved summary (None: not scored, with
    ``run_status`` saying why). The same row in ``results/set_level.*`` and ``harness report``."""
    block = (summary or {}).get("set_level", {"status": "not run: no set-level block"})
    if summary is None or block.get("status") != "ok":
        status = run_status if summary is None else block.get("status", "not run")
        return [name, short_status(status)] + [None] * (len(SET_LEVEL_COLUMNS) - 2)
    o = block.get("overall")
    if not isinstance(o, Mapping) or any(k not in o for k in ("focus", "coverage", "f_fact")):
        raise ValueError(f"{name}: set_level has status ok but no overall Focus/Coverage/F_fact")
    return [
        name, "ok", with_ci(o, "focus"), with_ci(o, "coverage"), with_ci(o, "f_fact"),
        o.get("redundancy"), with_ci(o, "fact_recall_article"), with_ci(o, "fact_recall_across"),
        with_ci(o, "claimant_token_f1"), o.get("author_precision"), o.get("author_recall"),
        o.get("author_f1"), o.get("n_pred"), o.get("n_gold"),
    ]  # fmt: skip


def set_level_notes(signature: Mapping[str, Any], summaries: Sequence[Any]) -> list[str]:
    """The set-level table's notes: definitions, the interval, each similarity's signature."""
    sims = {
        json.dumps(b["similarity"], sort_keys=True, ensure_ascii=False)
        for s in summaries
        if (b := (s or {}).get("set_level", {})).get("status") == "ok" and "similarity" in b
    }
    return [
        f"similarity {signature.get('similarity')}, threshold {signature.get('set_threshold')} "
        "(inclusive); soft many-to-one matching: Focus = predictions whose best gold claim is at "
        "or above it / predictions, Coverage = gold claims whose best prediction is / gold claims",
        "redundancy: focused predictions whose best gold claim a more similar prediction already "
        "takes / focused predictions (atomic splits count)",
        "fact recall: a fact is a gold cluster or an unclustered claim; per article = found "
        "(article, fact) units / units, across = facts found in some article / facts",
        "claimant token F1 and <AUTHOR> P/R/F1: over the one-to-one matched pairs of the leaderboard",
        "brackets: 95% document-bootstrap interval (the claim-bootstrap interval is in the JSON "
        "summary, set_level.overall.ci.claim_bootstrap)",
        *[f"similarity signature: {s}" for s in sorted(sims)],
    ]


SET_LEVEL_TITLE = "Set-level scores (claims of any granularity)"


def set_level_summary_table(summary: Mapping[str, Any], name: str = "set_level") -> Table:
    """The set-level table of one saved summary: the row ``results/set_level.*`` has for it."""
    label = summary.get("name", "predictions")
    row = set_level_row(label, summary)
    notes = set_level_notes(summary.get("signature", {}), [summary])
    status = summary.get("set_level", {}).get("status", "not run: no set-level block")
    if status != "ok":
        notes.append(f"{label}: {status}")
    return Table(name, SET_LEVEL_TITLE, SET_LEVEL_COLUMNS, [row], summary["signature"], notes)


#: What ``harness report --table`` can render from one saved summary.
REPORT_TABLES = ("score", "set_level")


#: Score keys of a metric block: a number in [0, 1] (or null), and the counts: whole numbers.
_RATES = ("precision", "recall", "f1", "date_accuracy", "date_accuracy_relaxed", "date_recall",
          "claimant_accuracy", "focus", "coverage", "f_fact", "redundancy", "fact_recall_article",
          "fact_recall_across", "claimant_token_f1", "author_precision", "author_recall",
          "author_f1")  # fmt: skip
_COUNTS = ("n_gold", "n_pred", "tp", "n_dated")


def check_summary(summary: Any) -> None:
    """Refuse a saved summary that the tables cannot render as written: a ``ValueError`` naming
    the key (``overall.precision``, ``per_document.<id>``) and what it should hold. Checked: the
    blocks the score and set-level tables read, each score a number in [0, 1] or null, each
    count a whole number, each interval two numbers (or nulls)."""

    def fail(where: str, what: str, got: Any) -> None:
        raise ValueError(f"{where}: expected {what}, got {shown(got)}")

    def block(where: str, b: Any) -> None:
        if not isinstance(b, Mapping):
            fail(where, "an object of scores", b)
        for k in _RATES:
            v = b.get(k)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))
                                  or not 0 <= v <= 1):  # fmt: skip
                fail(f"{where}.{k}", "a number from 0 to 1, or null", v)
        for k in _COUNTS:
            v = b.get(k)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                fail(f"{where}.{k}", "a whole number, or null", v)
        ci = b.get("ci", {})
        if not isinstance(ci, Mapping):
            fail(f"{where}.ci", "an object", ci)
        for kind in ("document_bootstrap", "claim_bootstrap"):
            intervals = ci.get(kind, {})
            if not isinstance(intervals, Mapping):
                fail(f"{where}.ci.{kind}", "an object of intervals", intervals)
            for k, iv in intervals.items():
                if not (isinstance(iv, list) and len(iv) == 2 and all(
                        x is None or (isinstance(x, (int, float)) and not isinstance(x, bool)
                                      and 0 <= x <= 1) for x in iv)):  # fmt: skip
                    fail(f"{where}.ci.{kind}.{k}", "[low, high] in [0, 1], or nulls", iv)

    if not isinstance(summary, Mapping):
        fail("the file", "a JSON object", summary)
    for key, kind in (("signature", Mapping), ("name", str), ("overall", Mapping),
                      ("macro", Mapping), ("per_document", Mapping), ("per_outlet", Mapping)):  # fmt: skip
        if key not in summary:
            raise ValueError(f"{key}: missing")
        if not isinstance(summary[key], kind):
            fail(key, "an object" if kind is Mapping else "a string", summary[key])
    block("overall", summary["overall"])
    block("macro", summary["macro"])
    for part in ("per_document", "per_outlet"):
        for k, b in summary[part].items():
            block(f"{part}.{k}", b)
    sets = summary.get("set_level", {})
    if not isinstance(sets, Mapping):
        fail("set_level", "an object", sets)
    if not isinstance(sets.get("status", ""), str):
        fail("set_level.status", "a string", sets.get("status"))
    if sets.get("status") == "ok":
        block("set_level.overall", sets.get("overall"))


def render_report(summary: Mapping[str, Any], fmt: str, which: str = "all") -> str:
    """The tables of one saved summary in one format; several tables follow one another (Markdown,
    LaTeX; CSV blocks separated by a blank line) or, in JSON, form one object keyed by table.
    The summary is checked first (:func:`check_summary`)."""
    check_summary(summary)
    builders = {"score": score_table, "set_level": set_level_summary_table}
    names = REPORT_TABLES if which == "all" else (which,)
    tables = [builders[n](summary) for n in names]
    renderers = {"md": to_markdown, "csv": to_csv, "tex": to_latex, "json": to_json}
    if len(tables) == 1:
        return renderers[fmt](tables[0])
    if fmt == "json":
        return dumps({t.name: json.loads(to_json(t)) for t in tables})
    return "\n".join(renderers[fmt](t) for t in tables)


def confidence_line(summary: Mapping[str, Any]) -> str:
    """One line on the precision-recall curve over confidence, or why there is none."""
    c = summary.get("confidence_curve", {})
    if c.get("status") != "run":
        return f"confidence curve: {c.get('status', 'not run')}"
    best = c["best_dev"]
    line = (
        f"confidence curve: AP {fmt(c['average_precision'])}; best threshold "
        f"{c['best_threshold']:g} on {len(c['dev_documents'])} dev document(s): "
        f"P {fmt(best['precision'])}, R {fmt(best['recall'])}, F1 {fmt(best['f1'])}"
    )
    held = c.get("held_out_at_best")
    if held:
        line += f"; held-out F1 {fmt(held['f1'])}"
    return line


def _skipped_note(skipped: list[dict[str, Any]], shown: int = 3) -> str:
    """The note on prediction lines ``--lenient`` skipped: how many, and the first few with
    their reasons (a bad line, or a document not in the gold); all are in ``skipped_lines``."""
    first = "; ".join(f"line {s.get('line')}: {s.get('reason')}" for s in skipped[:shown])
    more = (
        f"; and {len(skipped) - shown} more (skipped_lines in the summary)"
        if len(skipped) > shown
        else ""
    )
    return f"{len(skipped)} prediction line(s) skipped (--lenient): {first}{more}"


def claims_not_annotated_note(block: Mapping[str, Any]) -> str:
    """The table note for documents with ``claims: null`` (left out of the claim metrics)."""
    return (
        f"{block['documents']} document(s) with claims not annotated (claims: null) left out of "
        f"every claim metric; {block['predictions_not_scored']} predicted claim(s) on them not "
        "scored"
    )
