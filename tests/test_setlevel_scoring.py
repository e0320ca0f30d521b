"""Set-level scores inside the scorer, the comparisons, the tables and the CLI."""

from __future__ import annotations

import json

import pytest

from harness.cli import main
from harness.extraction.predictions import read_predictions
from harness.reporting import tables as report
from harness.reporting.evaluate import (
    SystemRun,
    confidence_table,
    leaderboard_table,
    set_level_table,
    write_pr_chart,
)
from harness.reporting.signature import short
from harness.scoring.match import get_mode
from harness.scoring.score import ScoreConfig, compare, score, summarize
from tests.conftest import MINI


def _run(corpus, file, **kw):
    config = ScoreConfig(get_mode("span"), n_resamples=50, **kw)
    preds = read_predictions(MINI / file, {d.doc_id: d.text for d in corpus})
    result = score(corpus, preds, config, file.split(".")[0])
    summary = summarize(result, config, config.signature())
    return SystemRun(result.name, "ok", {}, preds, {}, result, summary), config


def test_summary_carries_set_level_scores_with_the_strategy_in_the_signature(mini_corpus):
    run, _ = _run(mini_corpus, "damaged.jsonl", similarity="token-f1")
    block = run.summary["set_level"]
    assert block["status"] == "ok" and block["similarity"]["name"] == "token-f1"
    assert block["overall"]["f_fact"] == pytest.approx(8 / 15, abs=1e-6)
    assert run.summary["signature"]["similarity"] == "token-f1"
    assert "sim:token-f1|st:0.5" in short(run.summary["signature"])
    # per-instance log: the set-level verdict rides on each claim's own record
    recs = {(r["doc_id"], r["kind"], r.get("id", r.get("index"))): r for r in run.result.instances}
    assert recs["m1", "prediction", 3]["set"]["repeat"] is True
    assert recs["m1", "gold", "c3"]["set"]["covered"] is False
    assert len(run.result.instances) == 6 + 9


def test_an_unavailable_strategy_is_not_run_and_gives_no_number(monkeypatch, mini_corpus):
    from harness.scoring import similarity as S

    monkeypatch.setattr(
        S.WordLlamaCosine, "unavailable_reason", classmethod(lambda c, x=None: "no wheel")
    )
    run, _ = _run(mini_corpus, "damaged.jsonl", similarity="wordllama")
    assert run.summary["set_level"]["status"] == "not run: no wheel"
    assert "overall" not in run.summary["set_level"]
    sig = {"similarity": "wordllama", "set_threshold": 0.5}
    row = leaderboard_table([run], sig, "span").rows[0]
    assert row[6] == "not run: no wheel"  # the F_fact column, after F1 and macro F1


def test_a_strategy_that_fails_while_scoring_is_reported_as_failed(monkeypatch, mini_corpus):
    from harness.scoring import similarity as S

    def boom(self, gold, pred):
        raise RuntimeError("judge answered nonsense")

    monkeypatch.setattr(S.TfidfCosine, "text_matrix", boom)
    run, _ = _run(mini_corpus, "damaged.jsonl", similarity="tfidf")
    assert run.summary["set_level"]["status"] == "failed: RuntimeError: judge answered nonsense"


def test_comparisons_test_f_fact_on_document_units_beside_f1(mini_corpus):
    a, config = _run(mini_corpus, "damaged.jsonl", similarity="token-f1")
    b, _ = _run(mini_corpus, "confident.jsonl", similarity="token-f1")
    compared = compare([a.result, b.result], config)
    rows = compared["comparisons"]
    f_fact = [r for r in rows if r["metric"] == "f_fact"]
    assert len(f_fact) == 1 and f_fact[0]["a_value"] == pytest.approx(8 / 15, abs=1e-6)
    assert f_fact[0]["p_randomization"] is not None and f_fact[0]["verdict"] == "not significant"
    assert {r["metric"] for r in rows} == {
        "precision", "recall", "f1", "date_accuracy", "date_recall", "f_fact", "focus", "coverage"
    }  # fmt: skip
    # Focus (4/9 against 4/6) and Coverage (4/6 both) are tested as F_fact's parts
    by = {r["metric"]: r for r in rows}
    assert (by["focus"]["a_value"], by["focus"]["b_value"]) == pytest.approx(
        (4 / 9, 4 / 6), abs=1e-6
    )
    assert by["coverage"]["a_value"] == by["coverage"]["b_value"] == pytest.approx(4 / 6, abs=1e-6)
    assert by["coverage"]["p_randomization"] == 1.0
    # ... in their own Holm family: the primary rows are adjusted as if the parts were absent
    from harness.scoring import stats

    primary = [r for r in rows if r["family"] == "primary"]
    parts = [r for r in rows if r["family"] == "set-level parts"]
    assert [r["metric"] for r in parts] == ["focus", "coverage"]
    # the note names each family's metrics as the rows have them
    assert compared["correction"] == (
        "Holm-Bonferroni within each family: primary ("
        + ", ".join(r["metric"] for r in primary)
        + "), set-level parts (focus, coverage)"
    )
    for key in ("p_bootstrap", "p_randomization"):
        assert [r[f"{key}_holm"] for r in primary] == stats.holm([r[key] for r in primary])
        assert [r[f"{key}_holm"] for r in parts] == stats.holm([r[key] for r in parts])


def test_set_level_and_confidence_tables_and_the_pr_plot(mini_corpus, tmp_path):
    damaged, _ = _run(mini_corpus, "damaged.jsonl", similarity="token-f1")
    confident, _ = _run(mini_corpus, "confident.jsonl", similarity="token-f1")
    sig = {"similarity": "token-f1", "set_threshold": 0.5}
    t = set_level_table([damaged, confident], sig)
    assert t.rows[0][:2] == ["damaged", "ok"] and t.rows[0][4][0] == pytest.approx(8 / 15, abs=1e-6)
    c = confidence_table([damaged, confident], sig)
    assert c.rows[0][1] == "not run: 9 of 9 predictions carry no confidence"
    assert c.rows[1][2] == pytest.approx((1 + 2 / 3 + 3 / 4 + 4 / 5) / 6, abs=1e-6)
    assert c.rows[1][3] == 0.5
    png = write_pr_chart([damaged, confident], tmp_path / "pr.png")
    assert png is not None and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert write_pr_chart([damaged], tmp_path / "none.png") is None
    assert "F_fact" in report.to_markdown(leaderboard_table([damaged], sig, "span"))


def test_cli_score_prints_set_level_and_confidence_lines(capsys):
    args = ["score", "--gold", str(MINI / "annotations"), "--resamples", "50"]
    assert (
        main([*args, "--predictions", str(MINI / "confident.jsonl"), "--similarity", "token-f1"])
        == 0
    )
    out = capsys.readouterr().out
    assert "set-level (token-f1 >= 0.5): Focus" in out
    assert "confidence curve: AP 0.536; best threshold 0.5 on 2 dev document(s)" in out
    assert main([*args, "--predictions", str(MINI / "confident.jsonl"), "--dev-docs", "m1",
                 "--similarity", "none", "--json"]) == 0  # fmt: skip
    summary = json.loads(capsys.readouterr().out)
    assert summary["set_level"]["status"] == "not run: no similarity strategy chosen"
    assert summary["confidence_curve"]["best_threshold"] == 0.7


def test_cli_rejects_an_unknown_strategy_and_a_bad_threshold(capsys):
    args = [
        "score",
        "--gold",
        str(MINI / "annotations"),
        "--predictions",
        str(MINI / "damaged.jsonl"),
    ]
    assert main([*args, "--similarity", "tfid"]) == 2
    assert "did you mean 'tfidf'" in capsys.readouterr().err
    assert main([*args, "--set-threshold", "1.5"]) == 2
    assert "--set-threshold must be in [0, 1]" in capsys.readouterr().err


def test_list_similarities_shows_each_strategy_and_why_one_cannot_run(capsys, monkeypatch):
    for var in ("HARNESS_LLM_BASE_URL", "HARNESS_LLM_MODEL", "HARNESS_LLM_REPLAY"):
        monkeypatch.delenv(var, raising=False)
    assert main(["list", "--similarities"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["tfidf"].endswith("available")
    assert "not run: no endpoint configured" in lines["llm-judge"]


def test_report_renders_the_set_level_rows_evaluate_wrote_from_the_saved_summaries(
    tmp_path, capsys
):
    from harness.reporting.evaluate import EvaluateOptions, run_evaluate

    out = tmp_path / "r"
    config = ScoreConfig(get_mode("span"), n_resamples=50, similarity="token-f1")
    run_evaluate(EvaluateOptions(score=config, extractors=["regex"], gold=str(MINI / "annotations"),
                                 out=str(out), progress=False, readme=None))  # fmt: skip
    capsys.readouterr()
    written = json.loads((out / "set_level.json").read_text())
    summary = out / "systems" / "regex" / "summary.json"
    assert main(["report", str(summary), "--table", "set_level", "--format", "json"]) == 0
    rendered = json.loads(capsys.readouterr().out)
    (row,) = [r for r in written["rows"] if r["extractor"] == "regex"]
    assert rendered["rows"] == [row] and row["status"] == "ok"
    assert row["F_fact"]["value"] is not None and row["F_fact"]["ci"][0] is not None
    assert rendered["notes"][:5] == written["notes"][:5]
    # Markdown: the same row line as results/set_level.md, under the score table by default
    assert main(["report", str(summary)]) == 0
    md = capsys.readouterr().out
    line = next(
        x for x in (out / "set_level.md").read_text().splitlines() if x.startswith("| regex")
    )
    assert line in md.splitlines()
    assert md.index("### Scores of regex") < md.index("### Set-level scores")
    assert main(["report", str(summary), "--format", "json"]) == 0
    both = json.loads(capsys.readouterr().out)
    assert list(both) == ["score", "set_level"] and both["set_level"]["rows"] == [row]


def test_report_of_a_summary_without_set_level_scores_says_not_run(tmp_path, capsys):
    args = ["score", "--gold", str(MINI / "annotations"), "--predictions",
            str(MINI / "damaged.jsonl"), "--resamples", "10", "--similarity", "none", "--json"]  # fmt: skip
    assert main(args) == 0
    path = tmp_path / "summary.json"
    path.write_text(capsys.readouterr().out)
    assert main(["report", str(path), "--table", "set_level", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].startswith("damaged,not run: no similarity strategy chosen")
    summary = json.loads(path.read_text())
    summary["set_level"] = {"status": "ok"}
    path.write_text(json.dumps(summary))
    assert main(["report", str(path), "--table", "set_level"]) == 2
    assert "(set_level.overall: expected an object of scores, got None)" in capsys.readouterr().err
