"""evaluate at scale: what a run keeps in memory once a system's files are written."""

from __future__ import annotations

from dataclasses import replace

from harness.extraction.predictions import read_predictions
from harness.reporting import tables as report
from harness.reporting.evaluate import (
    SystemRun,
    _without_instances,
    confidence_table,
    leaderboard_table,
    per_source_table,
    set_level_table,
    timex_table,
)
from harness.scoring.match import get_mode
from harness.scoring.score import ScoreConfig, compare, score, summarize
from tests.conftest import MINI


def _runs(corpus, config):
    runs = []
    for file in ("damaged.jsonl", "atomized.jsonl"):
        preds = read_predictions(MINI / file, {d.doc_id: d.text for d in corpus})
        result = score(corpus, preds, config, file.split(".")[0])
        runs.append(
            SystemRun(result.name, "ok", {}, preds, {}, result, summarize(result, config, {}))
        )
    return runs


def test_results_without_instances_give_the_same_tables_and_comparisons(mini_corpus):
    config = ScoreConfig(get_mode("span"), n_resamples=50, ar_trials=200)
    full = _runs(mini_corpus, config)
    assert all(r.result.instances and r.result.sets.instances for r in full)
    lean = [replace(r, result=_without_instances(r.result)) for r in full]
    assert all(not r.result.instances and not r.result.sets.instances for r in lean)
    # the originals are untouched: the written files were made from them
    assert all(r.result.instances for r in full)

    def rendered(runs):
        tables = [
            leaderboard_table(runs, {}, "span"),
            per_source_table(runs, mini_corpus, {}),
            set_level_table(runs, {}),
            confidence_table(runs, {}),
            timex_table(runs, {}),
        ]
        return [report.to_markdown(t) for t in tables]

    assert rendered(lean) == rendered(full)
    assert compare([r.result for r in lean], config) == compare([r.result for r in full], config)
