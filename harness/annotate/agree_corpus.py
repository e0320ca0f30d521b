"""``harness agree --dir-a A --dir-b B``: agreement over every article two annotators share.

The files are paired by file name: every ``*.yaml`` of ``dir_a`` other than ``clusters.yaml``
needs a file of the same name in ``dir_b`` and the reverse, so that no article drops out of the
figure unnoticed. Each pair is compared by :func:`harness.annotate.agree.agree`; the corpus row
is **micro**: raw counts summed over the articles and the ratios derived once, as the scorer
does:

* claims per mode: matched, A's and B's claims summed; timexes: the timex track's counts summed;
* the DCT: articles whose DCTs are equal, over the articles;
* claimant and date: agreeing pairs over matched pairs, summed;
* kappas: the articles' confusion tables summed (the items pooled), kappa of the pooled table;
* clusters: the matched claims of every article pooled into one partition (clusters cross
  articles), then pairwise and B-cubed as for one article
  (:mod:`harness.annotate.agree_clusters`);
* disagreements: counted by kind.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from harness.annotate.agree import AgreementError, agree

CLUSTER_REGISTRY = "clusters.yaml"


def pair_files(dir_a: str | Path, dir_b: str | Path) -> list[tuple[Path, Path]]:
    """The (A file, B file) pairs, by file name; an unpaired file is an error naming it."""
    da, db = Path(dir_a), Path(dir_b)
    for d, flag in ((da, "--dir-a"), (db, "--dir-b")):
        if not d.is_dir():
            raise AgreementError(
                f"{d}: not a directory ({flag}); hint: give a directory of YAML files"
            )
    names_a = {p.name for p in da.glob("*.yaml") if p.name != CLUSTER_REGISTRY}
    names_b = {p.name for p in db.glob("*.yaml") if p.name != CLUSTER_REGISTRY}
    if names_a != names_b or not names_a:
        only_a, only_b = sorted(names_a - names_b), sorted(names_b - names_a)
        raise AgreementError(
            f"the directories do not hold the same articles: only in {da}: {only_a or 'none'}; "
            f"only in {db}: {only_b or 'none'}; hint: each article needs a file of the same name "
            "in both directories (no article may drop out of the corpus figure)"
        )
    return [(da / n, db / n) for n in sorted(names_a)]


def agree_corpus(
    dir_a: str | Path, dir_b: str | Path, annotations_dir: str | Path = "annotations"
) -> dict[str, Any]:
    """Per-article results and the micro corpus row (see module doc)."""
    articles = [agree(a, b, annotations_dir) for a, b in pair_files(dir_a, dir_b)]
    return {
        "dir_a": str(dir_a),
        "dir_b": str(dir_b),
        "articles": articles,
        "micro": micro(articles),
    }


def micro(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """The corpus row from per-article results: counts summed, ratios derived once."""
    from harness.annotate.agree import _prf, _ratio
    from harness.annotate.agree_clusters import cluster_agreement
    from harness.scoring import metrics as M

    claims: dict[str, Any] = {}
    for mode in articles[0]["claims"] if articles else ():
        tp = sum(r["claims"][mode]["matched"] for r in articles)
        n_a = sum(r["claims"][mode]["n_a"] for r in articles)
        n_b = sum(r["claims"][mode]["n_b"] for r in articles)
        claims[mode] = _prf(tp, n_a, n_b)
    counts = {k: sum(r["timexes"][k] for r in articles) for k in M.TIMEX_COUNTS}
    timexes = {
        "n_a": sum(r["timexes"]["n_a"] for r in articles),
        "n_b": sum(r["timexes"]["n_b"] for r in articles),
        **M.timex_block(counts),
    }
    n_equal = sum(bool(r["dct"]["equal"]) for r in articles)
    n = sum(r["matched_claims"]["n"] for r in articles)
    claimant = sum(r["matched_claims"]["claimant"]["agree"] for r in articles)
    date = Counter()
    for r in articles:
        d = r["matched_claims"]["date"]
        date.update({k: d[k] for k in ("both_dated", "both_undated", "strict", "relaxed")})
    names, la, lb = [], [], []
    for r in articles:
        doc = _name(r)
        for p in r["clusters"]["pairs"]:
            names.append(f"{doc} A {p['a']} / B {p['b']}")
            la.append(p["a_cluster"])
            lb.append(p["b_cluster"])
    clusters = cluster_agreement(names, la, lb)
    cluster_differences = clusters.pop("differences")
    kinds = list(articles[0]["disagreements"]) if articles else []
    disagreements = {
        k: sum(len(r["disagreements"][k]) for r in articles) for k in kinds if k != "cluster"
    }
    disagreements["cluster"] = len(cluster_differences)
    disagreements["cluster_items_differ"] = clusters["items_differ"]
    return {
        "n_articles": len(articles),
        "claims": claims,
        "timexes": timexes,
        "dct": {"equal": n_equal, "n": len(articles), "agreement": _ratio(n_equal, len(articles))},
        "matched_claims": {
            "n": n,
            "claimant": {"agree": claimant, "n": n, "accuracy": _ratio(claimant, n)},
            "date": {
                "n": n,
                **{k: int(date[k]) for k in ("both_dated", "both_undated", "strict", "relaxed")},
                "accuracy_strict": _ratio(date["strict"], date["both_dated"]),
                "accuracy_relaxed": _ratio(date["relaxed"], date["both_dated"]),
                "agreement_strict": _ratio(date["strict"] + date["both_undated"], n),
            },
        },
        "clusters": clusters,
        "cluster_differences": cluster_differences,
        "kappa": {
            name: pooled_kappa([r["kappa"][name] for r in articles])
            for name in (articles[0]["kappa"] if articles else ())
        },
        "disagreements": disagreements,
    }


def pooled_kappa(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """Cohen's kappa of the summed confusion tables of several :func:`~agree.kappa` blocks.

    Summing the tables is pooling the items: the result equals kappa over the concatenated labels
    (pinned by a test). None, with the reason, where the per-article kappa would be undefined.
    """
    from harness.annotate.agree import _ratio

    table: Counter[tuple[str, str]] = Counter()
    for b in blocks:
        for i, la in enumerate(b["labels"]):
            for j, lb in enumerate(b["labels"]):
                table[la, lb] += b["confusion"][i][j]
    cats = sorted({c for pair in table for c in pair})
    n = sum(table.values())
    observed = sum(table[c, c] for c in cats)
    out: dict[str, Any] = {
        "items": blocks[0]["items"] if blocks else "",
        "n": n,
        "observed_agreement": _ratio(observed, n),
        "kappa": None,
        "reason": None,
        "labels": cats,
        "confusion": [[table[a, b] for b in cats] for a in cats],
    }
    if n == 0:
        out["reason"] = f"no items ({out['items']})"
        return out
    rows = {c: sum(table[c, x] for x in cats) for c in cats}
    cols = {c: sum(table[x, c] for x in cats) for c in cats}
    p_o = observed / n
    p_e = sum(rows[c] * cols[c] for c in cats) / (n * n)
    if p_e == 1:
        out["reason"] = "one category for every item: chance agreement is 1, kappa is undefined"
    else:
        out["kappa"] = round((p_o - p_e) / (1 - p_e), 6)
    return out


# --- reports ------------------------------------------------------------------------------------


def format_corpus(result: dict[str, Any]) -> str:
    """The corpus table (one row per article, then the micro row) as Markdown."""
    from harness.annotate.agree_report import _item_text, cluster_lines

    rows = [(_name(r), _row(r)) for r in result["articles"]]
    rows.append((f"**micro ({result['micro']['n_articles']} articles)**", _row(result["micro"])))
    m = result["micro"]
    lines = [
        "# Agreement over the corpus",
        "",
        f"- A: {result['dir_a']}; B: {result['dir_b']}; B is scored as predictions against A.",
        "- micro: counts summed over the articles, ratios derived once; clusters: one partition of "
        "every matched claim of the corpus; kappas: the confusion tables summed.",
        "",
        "## Claims, timexes, DCT",
        "",
        "| article | A claims | B claims | F1 span | F1 sentence | F1 text | timex F1 strict | "
        "timex F1 relaxed | timex value | DCT equal |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [f"| {name} | " + " | ".join(r[:9]) + " |" for name, r in rows]
    lines += [
        "",
        "## Matched claims (span mode), clusters, kappas",
        "",
        "| article | matched | claimant | date strict (both dated) | date strict (undated = "
        "undated) | cluster pairwise F1 | cluster B-cubed F1 | kappa claimant is author | "
        "kappa has date | kappa sentence has claim | kappa timex type |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [f"| {name} | " + " | ".join(r[9:]) + " |" for name, r in rows]
    lines += [
        "",
        "## Clusters over the corpus",
        "",
        *cluster_lines(m["clusters"]),
        "",
        "## Disagreements by kind (listed item by item in each article's report)",
        "",
        "| kind | n |",
        "| --- | ---: |",
        *(f"| {k} | {v} |" for k, v in m["disagreements"].items()),
        "",
        "cluster: clusters of either file that are not exactly a cluster of the other, over the "
        "pooled partition; cluster_items_differ: matched claims whose cluster-mates differ.",
        "",
        "## Clusters drawn differently (pooled over the corpus)",
        "",
        *(f"- {_item_text(d)}" for d in m["cluster_differences"]),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _row(r: dict[str, Any]) -> list[str]:
    from harness.annotate.agree_report import _f

    c, t, mc, cl, k = r["claims"], r["timexes"], r["matched_claims"], r["clusters"], r["kappa"]
    dct = r["dct"]
    dct_cell = f"{dct['equal']}/{dct['n']}" if "n" in dct else ("yes" if dct["equal"] else "no")
    d = mc["date"]
    return [
        str(c["span"]["n_a"]),
        str(c["span"]["n_b"]),
        *(_f(c[m]["f1"]) for m in ("span", "sentence", "text")),
        _f(t["strict_f1"]),
        _f(t["relaxed_f1"]),
        f"{_f(t['value_accuracy'])} ({t['value_correct']}/{t['relaxed_gold']})",
        dct_cell,
        str(mc["n"]),
        f"{_f(mc['claimant']['accuracy'])} ({mc['claimant']['agree']}/{mc['n']})",
        f"{_f(d['accuracy_strict'])} ({d['strict']}/{d['both_dated']})",
        f"{_f(d['agreement_strict'])}",
        _f(cl["pairwise"]["f1"]),
        _f(cl["bcubed"]["f1"]),
        *(
            _f(k[name]["kappa"])
            for name in ("claimant_is_author", "claim_has_date", "sentence_has_claim", "timex_type")
        ),
    ]


def write_reports(result: dict[str, Any], out: str | Path) -> list[Path]:
    """Each article's report (``<file stem>.md``, ``.json``) and ``corpus.md``/``corpus.json``."""
    from harness.annotate.agree_report import format_agreement
    from harness.extraction.atomic import atomic_set

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with atomic_set() as write:  # the reports appear together, or none of them
        for r in result["articles"]:
            doc = _name(r)
            written.append(write(out / f"{doc}.md", format_agreement(r)))
            written.append(write(out / f"{doc}.json", _json(r)))
        written.append(write(out / "corpus.md", format_corpus(result)))
        corpus = {k: v for k, v in result.items() if k != "articles"}
        corpus["articles"] = [r["article"] for r in result["articles"]]
        written.append(write(out / "corpus.json", _json(corpus)))
    return written


def _name(r: dict[str, Any]) -> str:
    """An article's name in the corpus: its file name without .yaml (unique in the directory)."""
    return Path(r["article"]["a"]["file"]).stem


def _json(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


__all__ = ["agree_corpus", "format_corpus", "micro", "pair_files", "pooled_kappa", "write_reports"]
