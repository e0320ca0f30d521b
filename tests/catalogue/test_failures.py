"""Catalogue: a failed extractor never reads "ok" (issue 8, point 1).

Each case is named ``<fault>__<expected outcome>``. The faulty extractors are a real installed
plug-in (tests/catalogue/conftest.py): always-500 fails on both mini documents, half-fails on one.
"""

from __future__ import annotations

import json


def _evaluate(cli, project, *names, extra=()):
    return cli(
        "evaluate", "--gold", "annotations", "--out", str(project / "out"), "--no-progress",
        "--resamples", "20", "--similarity", "none", "--extractors", *names, *extra,
    )  # fmt: skip


def _rows(project, table="leaderboard"):
    data = json.loads((project / "out" / f"{table}.json").read_text(encoding="utf-8"))
    return {r["extractor"]: r for r in data["rows"]}, data["notes"]


def test_extractor_failing_every_document__failed_status_no_scores_exit_1(project, cli, faulty):
    code, _, err = _evaluate(cli, project, "first-sentence", "always-500")
    assert code == 1
    assert "always-500: failed (2/2 documents: RuntimeError: HTTP 500" in err
    assert "--allow-failures" in err
    rows, notes = _rows(project)
    row = rows["always-500"]
    assert row["status"].startswith("failed (2/2 documents: RuntimeError: HTTP 500")
    assert row["F1"] is None and row["P"] is None  # never 0.000 as if it had been scored
    assert any(
        n.startswith("always-500: failed") and "first error (document m1)" in n for n in notes
    )
    assert rows["first-sentence"]["status"] == "ok"


def test_extractor_failing_every_document__every_table_written_reasons_in_errors_md(
    project, cli, faulty
):
    _evaluate(cli, project, "first-sentence", "always-500")
    out = project / "out"
    for name in ("leaderboard", "per_source", "modes", "comparisons", "resolvers", "timex"):
        assert (out / f"{name}.md").is_file(), name
    errors = (out / "systems" / "always-500" / "errors.md").read_text(encoding="utf-8")
    assert "## Extractor failures (2/2 documents)" in errors
    assert "- m1: RuntimeError: HTTP 500" in errors and "- m2: RuntimeError: HTTP 500" in errors
    assert (out / "chart.png").is_file()


def test_extractor_failing_every_document__left_out_of_comparisons(project, cli, faulty):
    _evaluate(cli, project, "first-sentence", "half-fails", "always-500")
    data = json.loads((project / "out" / "comparisons.json").read_text(encoding="utf-8"))
    named = {r["A"] for r in data["rows"]} | {r["B"] for r in data["rows"]}
    assert "always-500" not in named and {"first-sentence", "half-fails"} <= named
    assert any(n.startswith("left out: always-500 (failed") for n in data["notes"])


def test_extractor_failing_some_documents__partial_scored_row_says_so(project, cli, faulty):
    code, _, err = _evaluate(cli, project, "first-sentence", "half-fails")
    assert code == 1 and "half-fails: partial (1/2 documents failed: invalid answer" in err
    rows, notes = _rows(project)
    row = rows["half-fails"]
    assert row["status"] == "partial (1/2 documents failed: invalid answer: not JSON)"
    assert row["F1"] is not None and row["doc errors"] == 1
    note = next(n for n in notes if n.startswith("half-fails: partial"))
    assert "count as documents with no predictions" in note
    errors = (project / "out" / "systems" / "half-fails" / "errors.md").read_text(encoding="utf-8")
    assert "## Extractor failures (1/2 documents)" in errors and "- m1: invalid answer" in errors


def test_extractor_failing_some_documents__failed_documents_scored_as_empty(project, cli, faulty):
    """half-fails equals first-sentence on m2 and has no predictions on m1."""
    _evaluate(cli, project, "first-sentence", "half-fails")
    summary = json.loads(
        (project / "out" / "systems" / "half-fails" / "summary.json").read_text(encoding="utf-8")
    )
    good = json.loads(
        (project / "out" / "systems" / "first-sentence" / "summary.json").read_text(
            encoding="utf-8"
        )
    )
    assert summary["per_document"]["m1"]["n_pred"] == 0
    assert summary["per_document"]["m1"]["n_gold"] == good["per_document"]["m1"]["n_gold"]
    assert summary["per_document"]["m2"] == good["per_document"]["m2"]


def test_failures_with_allow_failures__exit_0_tables_still_say_failed(project, cli, faulty):
    code, _, err = _evaluate(cli, project, "always-500", extra=("--allow-failures",))
    assert code == 0 and "always-500: failed" in err
    rows, _ = _rows(project)
    assert rows["always-500"]["status"].startswith("failed (2/2")


def test_no_failure__exit_0(project, cli, faulty):
    code, _, _ = _evaluate(cli, project, "first-sentence")
    assert code == 0
