"""Markdown rendering of one article's agreement result (:func:`harness.annotate.agree.agree`).

Rendering reads the saved result only, so a report can be re-rendered from its JSON.
"""

from __future__ import annotations

from typing import Any


def _f(x: Any) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, float):
        return f"{x:.3f}"
    return str(x)


def format_agreement(result: dict) -> str:
    """The agreement result as Markdown: tables of every figure, then the disagreements."""
    from harness.scoring import metrics as M

    art = result["article"]
    mode = result["matched_claims"]["mode"]
    a, b = art["a"], art["b"]
    lines = [
        f"# Agreement on {art['source']}",
        "",
        f"- A: {a['file']} (annotator {a['annotator'] or '?'}, {a['n_claims']} claims, "
        f"{a['n_timexes']} timexes)",
        f"- B: {b['file']} (annotator {b['annotator'] or '?'}, {b['n_claims']} claims, "
        f"{b['n_timexes']} timexes)",
        f"- sentences: {art['n_sentences']}; B is scored as predictions against A (P and R swap "
        "with the files, F1 does not)",
        "",
        "## Claims",
        "",
        "| mode | threshold | A | B | matched | P | R | F1 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, c in result["claims"].items():
        lines.append(
            f"| {name} | >= {c['threshold']:g} | {c['n_a']} | {c['n_b']} | {c['matched']} | "
            f"{_f(c['precision'])} | {_f(c['recall'])} | {_f(c['f1'])} |"
        )
    t = result["timexes"]
    lines += [
        "",
        "## Timexes (TempEval-3)",
        "",
        f"A: {t['n_a']}, B: {t['n_b']}.",
        "",
        "| measure | P | R | F1 |",
        "| --- | --- | --- | --- |",
        f"| strict span | {_f(t['strict_precision'])} | {_f(t['strict_recall'])} | "
        f"{_f(t['strict_f1'])} |",
        f"| relaxed span | {_f(t['relaxed_precision'])} | {_f(t['relaxed_recall'])} | "
        f"{_f(t['relaxed_f1'])} |",
        "",
        f"Value agreement: {_f(t['value_accuracy'])} ({t['value_correct']}/{t['relaxed_gold']} "
        f"relaxed-matched pairs); type agreement: {_f(t['type_accuracy'])} "
        f"({t['type_correct']}/{t['relaxed_gold']}).",
        "",
        "## DCT",
        "",
        f"A: {result['dct']['a']}, B: {result['dct']['b']}: "
        + ("equal." if result["dct"]["equal"] else "DIFFERENT."),
    ]
    m = result["matched_claims"]
    d = m["date"]
    lines += [
        "",
        f"## Matched claims ({m['mode']} mode, n = {m['n']})",
        "",
        "| decision | agree | n | agreement |",
        "| --- | --- | --- | --- |",
        f"| claimant (token F1 >= {M.CLAIMANT_THRESHOLD:g}) | {m['claimant']['agree']} | "
        f"{m['claimant']['n']} | {_f(m['claimant']['accuracy'])} |",
        f"| date, strict, both dated | {d['strict']} | {d['both_dated']} | {_f(d['accuracy_strict'])} |",
        f"| date, relaxed, both dated | {d['relaxed']} | {d['both_dated']} | "
        f"{_f(d['accuracy_relaxed'])} |",
        f"| date, strict, undated = undated | {d['strict'] + d['both_undated']} | {d['n']} | "
        f"{_f(d['agreement_strict'])} |",
        "",
        "## Clusters (partitions of the matched claims)",
        "",
        *cluster_lines(result["clusters"]),
        "",
        "## Cohen's kappa",
        "",
        "| decision | items | n | observed | kappa |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, k in result["kappa"].items():
        value = _f(k["kappa"]) if k["kappa"] is not None else f"undefined: {k['reason']}"
        lines.append(
            f"| {name} | {k['items']} | {k['n']} | {_f(k['observed_agreement'])} | {value} |"
        )
    lines += ["", "## Disagreements (for adjudication, GUIDELINES G10)", ""]
    dis = result["disagreements"]
    if not any(dis.values()):
        lines.append("None.")
    for key, items in dis.items():
        if not items:
            continue
        lines.append(f"### {_TITLES.get(key, key).format(mode=mode)} ({len(items)})")
        lines.append("")
        for item in items:
            lines.append(f"- {_item_text(item)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_TITLES = {
    "dct": "DCT",
    "claims_only_in_a": "claims only in A (unmatched in {mode} mode)",
    "claims_only_in_b": "claims only in B (unmatched in {mode} mode)",
    "claim_extent": "evidence extent of matched claims",
    "claimant": "claimant of matched claims",
    "claim_date": "date of matched claims",
    "timexes_only_in_a": "timexes only in A (overlapping none of B's)",
    "timexes_only_in_b": "timexes only in B (overlapping none of A's)",
    "timex_extent": "timex extent",
    "timex_value": "timex value",
    "timex_type": "timex type",
    "cluster": "clusters drawn differently (over the matched claims; None = unlinked)",
}


def cluster_lines(c: dict[str, Any]) -> list[str]:
    """The cluster block as a table: pairwise (link) and B-cubed precision, recall and F1."""
    pw, b3 = c["pairwise"], c["bcubed"]
    return [
        f"{c['n']} matched claims; linked to a cluster: A {c['linked_a']} (in {c['clusters_a']} "
        f"clusters), B {c['linked_b']} (in {c['clusters_b']}). B is the response, A the key.",
        "",
        "| measure | counts | P | R | F1 |",
        "| --- | --- | --- | --- | --- |",
        f"| pairwise (links) | A {pw['links_a']}, B {pw['links_b']}, common {pw['common']} | "
        f"{_f(pw['precision'])} | {_f(pw['recall'])} | {_f(pw['f1'])} |",
        f"| B-cubed | {b3['n']} items | {_f(b3['precision'])} | {_f(b3['recall'])} | "
        f"{_f(b3['f1'])} |",
    ]


def _item_text(item: dict[str, Any]) -> str:
    if "relation" in item:
        return (
            f"A {item['a']} {item['a_evidence']!r} / B {item['b']} {item['b_evidence']!r} "
            f"({item['relation']}, token F1 {item['token_f1']:.3f})"
        )
    if "in_other" in item:
        other = "B" if item["side"] == "A" else "A"
        parts = "; ".join(
            f"{other} {cid}: {', '.join(names)}" for cid, names in item["in_other"].items()
        )
        return f"{item['side']} cluster {item['cluster']} -> {parts}"
    if "evidence" in item:
        return f"{item['id']} [{item['start']}-{item['end']}] {item['evidence']!r}"
    if "quote" in item:
        return f"{item['id']} [{item['start']}-{item['end']}] {item['quote']!r} = {item['value']}"
    if "a_quote" in item:
        head = f"A {item['a']} {item['a_quote']!r} / B {item['b']} {item['b_quote']!r}"
    else:
        head = f"A {item['a']} / B {item['b']}"
    if "a_value" in item:
        extra = " (overlapping)" if item.get("relaxed") else ""
        return f"{head}: {item['a_value']!r} vs {item['b_value']!r}{extra}"
    return head


__all__ = ["cluster_lines", "format_agreement"]
