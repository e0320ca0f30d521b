"""The gold corpus: all five files validate, offsets slice to quotes, exports round-trip."""

from __future__ import annotations

import dataclasses
import json

import pytest

from harness.gold.corpus import from_records, load_corpus, to_dataset, to_records
from harness.gold.validate import validate_corpus
from tests.conftest import ROOT


def test_all_five_annotation_files_validate_without_problem():
    result = validate_corpus(ROOT / "annotations")
    assert [str(p) for p in result.problems] == []
    assert len(result.corpus) == 5


def test_every_gold_record_slices_the_raw_text_to_its_quote(gold_corpus):
    for doc in gold_corpus:
        raw = (ROOT / doc.source_file).read_text(encoding="utf-8")
        assert raw == doc.text
        for t in doc.timexes:
            assert raw[t.start : t.end] == t.text, (doc.doc_id, t.id)
        for c in doc.claims:
            assert raw[c.start : c.end] == c.evidence, (doc.doc_id, c.id)
        if doc.published.quote:
            assert raw[doc.published.start : doc.published.end] == doc.published.quote


def test_records_are_frozen(gold_corpus):
    with pytest.raises(dataclasses.FrozenInstanceError):
        gold_corpus.documents[0].claims[0].text = "changed"  # type: ignore[misc]


def test_gold_follows_the_minimum_the_guidelines_promise(gold_corpus):
    import re
    from pathlib import Path

    head = (Path(__file__).resolve().parents[1] / "annotations" / "GUIDELINES.md").read_text(
        encoding="utf-8"
    )[:2000]
    version = re.search(r"Version \*\*(\d+\.\d+)\*\*", head).group(1)
    assert version == "1.3"  # bumped when G5.4 wrote down the value conventions of rules 1.7-1.9
    for doc in gold_corpus:
        assert len(doc.claims) > 10, doc.doc_id
        assert doc.guidelines == version, doc.doc_id
        dated = [c for c in doc.claims if c.timex_id]
        for c in dated:
            assert c.date == doc.timex(c.timex_id).value


def test_jsonl_export_round_trips(tmp_path, gold_corpus):
    from harness.cli import main

    out = tmp_path / "corpus.jsonl"
    assert (
        main(
            [
                "export",
                "--format",
                "jsonl",
                "--out",
                str(out),
                "--annotations",
                str(ROOT / "annotations"),
            ]
        )
        == 0
    )
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lines == json.loads(json.dumps(to_records(gold_corpus)))
    first = lines[0]
    assert set(first) == {"doc_id", "source_file", "outlet", "byline", "language", "published",
                          "published_evidence", "text", "timexes", "claims"}  # fmt: skip
    assert set(first["claims"][0]) == {"id", "text", "start", "end", "evidence", "claimant", "date",
                                       "timex_id", "cluster"}  # fmt: skip


def test_dataset_and_parquet_exports_round_trip(tmp_path, gold_corpus):
    import datasets

    ds = to_dataset(gold_corpus)
    assert ds.features["claims"].feature["start"].dtype == "int32"
    assert ds[0]["claims"][0]["id"] == gold_corpus.documents[0].claims[0].id
    assert from_records(list(ds)) == to_records(gold_corpus)
    ds.save_to_disk(str(tmp_path / "hf"))
    again = datasets.load_from_disk(str(tmp_path / "hf"))
    assert from_records(list(again)) == to_records(gold_corpus)
    ds.to_parquet(str(tmp_path / "c.parquet"))
    pq = datasets.Dataset.from_parquet(str(tmp_path / "c.parquet"))
    assert from_records(list(pq)) == to_records(gold_corpus)


def test_predictions_export_of_the_gold_scores_one(tmp_path, capsys):
    from harness.cli import main

    pred = tmp_path / "gold.jsonl"
    assert main(["export", "--format", "predictions", "--out", str(pred)]) == 0
    assert main(["score", "--predictions", str(pred), "--json", "--resamples", "20"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["overall"]["f1"] == 1.0 and summary["overall"]["date_accuracy"] == 1.0
    assert summary["timex"]["overall"]["value_f1"] == 1.0
    assert summary["signature"]["mode"] == "span" and summary["signature"]["threshold"] == 0.5


def test_load_corpus_raises_with_every_problem_listed(tmp_path):
    from harness.gold.corpus import CorpusError

    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "x.yaml").write_text("id: x\n")
    with pytest.raises(
        CorpusError, match=r"problem\(s\) in the gold corpus:\n.*x.yaml.*missing required key"
    ):
        load_corpus(tmp_path / "annotations")
