"""The set-level figures the README shows are measured, not typed: each row is recomputed here.

The README's atomized-fixture table and similarity-validation table are parsed from README.md and
every row is scored again; a change of gold, fixture or strategy that moves a figure fails here
until the README is updated.
"""

from __future__ import annotations

import re

import pytest

from harness.extraction.predictions import read_predictions
from harness.scoring.match import get_mode
from harness.scoring.score import ScoreConfig, score, summarize
from harness.scoring.setlevel import score_sets, summarize_sets
from harness.scoring.similarity import get_similarity
from harness.scoring.validation import validate_against_gold
from tests.conftest import MINI, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _table_after(heading: str) -> list[list[str]]:
    """The cells of the first Markdown table after ``heading`` (header and rule dropped)."""
    lines = README[README.index(heading) :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| "))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows


ATOMIZED = _table_after("**The fixture that shows why.**")
VALIDATION = _table_after("**Check a strategy before trusting it.**")


def test_the_readme_tables_are_there_with_every_strategy():
    assert len(ATOMIZED) == 6 and len(VALIDATION) == 5
    assert ATOMIZED[0][0].startswith("one-to-one, TF-IDF text")
    assert {re.search(r"`(\w+)`", r[0]).group(1) for r in VALIDATION} == {"tfidf", "wordllama"}


@pytest.mark.parametrize("row", ATOMIZED, ids=[r[0] for r in ATOMIZED])
def test_each_atomized_row_of_the_readme_is_what_the_scorer_measures(mini_corpus, row):
    preds = read_predictions(MINI / "atomized.jsonl", {d.doc_id: d.text for d in mini_corpus})
    shown = tuple(float(x) for x in row[1:4])
    if row[0].startswith("one-to-one"):
        config = ScoreConfig(get_mode("text"), n_resamples=10)
        o = summarize(score(mini_corpus, preds, config), config, {})["overall"]
        measured = (o["precision"], o["recall"], o["f1"])
    else:
        name, threshold = re.match(r"set-level, `([\w-]+)` ≥ ([\d.]+)", row[0]).groups()
        if name == "wordllama":
            pytest.importorskip("wordllama")
        sim = get_similarity(name, mini_corpus)
        result = score_sets(mini_corpus, preds, sim, get_mode("text"), float(threshold))
        o = summarize_sets(result, 10, 12345)["overall"]
        measured = (o["focus"], o["coverage"], o["f_fact"])
    assert measured == pytest.approx(shown, abs=5e-4), row[0]


@pytest.mark.parametrize("row", VALIDATION, ids=[f"{r[0]} {r[1]}" for r in VALIDATION])
def test_each_validation_row_of_the_readme_is_what_the_seeds_give(gold_corpus, row):
    name = re.search(r"`(\w+)`", row[0]).group(1)
    if name == "wordllama":
        pytest.importorskip("wordllama")
    threshold, kappa = float(row[1]), float(row[2])
    rate, hits, claims = re.match(r"([\d.]+) \((\d+)/(\d+)\)", row[3]).groups()
    v = validate_against_gold(get_similarity(name, gold_corpus), gold_corpus, threshold)
    assert v["kappa"] == pytest.approx(kappa, abs=5e-3)
    assert (v["false_coverage_hits"], v["false_coverage_claims"]) == (int(hits), int(claims))
    assert v["false_coverage"] == pytest.approx(float(rate), abs=5e-4)


def test_the_harder_paraphrase_of_the_readme_matches_under_neither_strategy(mini_corpus):
    pytest.importorskip("wordllama")
    a, b = (
        "Analysts expect no deal.",
        "Experts do not anticipate that an agreement will be reached.",
    )
    text = README[README.index("For a harder paraphrase") :]
    shown = re.search(r"TF-IDF gives ([\d.]+) and wordllama\s+([\d.]+)", text).groups()
    for name, value in zip(("tfidf", "wordllama"), shown, strict=True):
        measured = float(get_similarity(name, mini_corpus).text_matrix([a], [b])[0, 0])
        assert measured == pytest.approx(float(value), abs=5e-4), name
        assert measured < 0.5
