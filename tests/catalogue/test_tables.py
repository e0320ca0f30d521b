"""Catalogue: tables that say what a reader needs (issue 8, newcomer list: tables).

Each case is named ``<table>__<what it must show>``.
"""

from __future__ import annotations

import json


def _run(cli, project, *extra, names=("first-sentence", "half-fails")):
    code, _, err = cli(
        "evaluate", "--gold", "annotations", "--out", str(project / "out"), "--no-progress",
        "--resamples", "20", "--similarity", "none", "--allow-failures", "--extractors", *names,
        *extra,
    )  # fmt: skip
    assert code == 0, err
    return project / "out"


def _table(out, name):
    return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))


def test_leaderboard__macro_f1_and_intervals_for_date_and_claimant_accuracy(project, cli, faulty):
    board = _table(_run(cli, project), "leaderboard")
    row = next(r for r in board["rows"] if r["extractor"] == "first-sentence")
    assert "macro F1" in row and "n dated" in row
    for col in ("date acc", "claimant acc"):
        assert isinstance(row[col], dict) and "ci" in row[col], (col, row[col])
    assert "DCT acc" not in row


def test_leaderboard_dct_detect__dct_accuracy_column(project, cli, faulty):
    board = _table(_run(cli, project, "--dct", "detect"), "leaderboard")
    row = next(r for r in board["rows"] if r["extractor"] == "first-sentence")
    assert row["DCT acc"].endswith("(n=2)")  # no DCT detected by this extractor: 0 of 2


def test_errors_md__categories_summed_and_wrong_claimant_section(project, cli, faulty):
    out = _run(cli, project)
    text = (out / "systems" / "first-sentence" / "errors.md").read_text(encoding="utf-8")
    assert "## Error categories over all 2 documents" in text
    assert "- wrong claimants on matched claims:" in text
    assert text.count("### Wrong claimants on matched claims (") == 2


def test_per_source__unknown_outlets_never_pooled(project, cli, faulty):
    for name in ("m1", "m2"):
        path = project / "annotations" / f"{name}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text(
            "".join("outlet: null\n" if ln.startswith("outlet:") else ln for ln in lines),
            encoding="utf-8",
        )
    rows = _table(_run(cli, project), "per_source")["rows"]
    outlets = {r["source"] for r in rows if str(r["source"]).startswith("outlet: ")}
    assert outlets == {"outlet: unknown (m1)", "outlet: unknown (m2)"}


def test_comparisons__cover_precision_recall_f1_and_date_accuracy(project, cli, faulty):
    rows = _table(_run(cli, project), "comparisons")["rows"]
    assert {r["metric"] for r in rows} >= {"precision", "recall", "f1", "date_accuracy"}


def test_comparisons__bootstrap_randomization_disagreement_explained():
    from harness.reporting.results_tables import _disagreement_notes

    row = {"a": "x", "b": "y", "metric": "f1"}
    agree = {"alpha": 0.05, "comparisons": [{**row, "p_bootstrap_holm": 0.5,
                                              "p_randomization_holm": 0.6}]}  # fmt: skip
    split = {"alpha": 0.05, "comparisons": [{**row, "p_bootstrap_holm": 0.01,
                                              "p_randomization_holm": 0.12}]}  # fmt: skip
    assert _disagreement_notes(agree) == []
    (note,) = _disagreement_notes(split)
    assert "x vs y on f1" in note and "the verdict follows the randomization test" in note


def test_timex_table__says_the_tagger_was_developed_on_this_gold(project, cli, faulty):
    notes = _table(_run(cli, project), "timex")["notes"]
    assert any("developed on this gold" in n for n in notes)
