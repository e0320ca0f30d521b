"""``harness score`` streams: predictions indexed in one pass and re-read one document at a time,
the per-instance log written as it is produced; outputs equal those of the in-memory path."""

from __future__ import annotations

import json
import os
import random

import pytest

from harness.cli import main
from harness.extraction.predictions import IndexedPredictions, PredictionError, read_predictions
from harness.reporting.evaluate import write_system_outputs
from harness.reporting.signature import build_signature
from harness.scoring.match import get_mode
from harness.scoring.score import ScoreConfig, score, summarize
from tests.conftest import MINI


def _scattered(tmp_path, corpus, seed=5):
    """The mini gold as predictions (claims with confidences, and timexes), lines shuffled so
    that each document's lines are scattered through the file, plus a blank line."""
    rng = random.Random(seed)
    lines = []
    for d in corpus:
        for c in d.claims:
            for shift in (0, 2, 0):  # the repeat of the exact span is a duplicate
                rec = {"doc_id": d.doc_id, "text": c.text, "start": c.start + shift,
                       "end": c.end, "claimant": c.claimant, "date": c.date,
                       "confidence": rng.choice([0.2, 0.5, 0.9])}  # fmt: skip
                lines.append(json.dumps(rec))
        for t in d.timexes:
            rec = {"doc_id": d.doc_id, "kind": "timex", "start": t.start, "end": t.end,
                   "text": t.text, "type": t.type, "value": t.value}  # fmt: skip
            lines.append(json.dumps(rec))
    rng.shuffle(lines)
    lines.insert(len(lines) // 2, "")
    path = tmp_path / "scattered.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_index_gives_each_document_its_lines_in_file_order(tmp_path, mini_corpus):
    path = _scattered(tmp_path, mini_corpus)
    texts = {d.doc_id: d.text for d in mini_corpus}
    held, indexed = read_predictions(path, texts), IndexedPredictions(path, texts)
    ids = [json.loads(x)["doc_id"] for x in path.read_text().splitlines() if x]
    assert ids != sorted(ids)  # the documents' lines really are interleaved
    for d in mini_corpus.doc_ids:
        assert indexed.claims_for(d) == held.claims_for(d) and held.claims_for(d)
        assert indexed.timexes_for(d) == held.timexes_for(d) and held.timexes_for(d)
        assert indexed.n_claims(d) == len(held.claims_for(d))
    assert indexed.has_timexes and indexed.n_lines == held.n_lines


def test_streamed_outputs_are_byte_identical_to_the_in_memory_path(tmp_path, mini_corpus):
    path = _scattered(tmp_path, mini_corpus)
    texts = {d.doc_id: d.text for d in mini_corpus}
    config = ScoreConfig(get_mode("span"), n_resamples=50)
    result = score(mini_corpus, read_predictions(path, texts), config, "scattered")
    sig = build_signature(mini_corpus.hash, {"fixed": True})
    write_system_outputs(tmp_path / "old", "scattered", summarize(result, config, sig), result,
                         mini_corpus)  # fmt: skip
    code = main(["score", "--gold", str(MINI / "annotations"), "--predictions", str(path),
                 "--resamples", "50", "--out", str(tmp_path / "new"), "--json"])  # fmt: skip
    assert code == 0
    old, new = tmp_path / "old", tmp_path / "new"
    assert (old / "instances.jsonl").read_bytes() == (new / "instances.jsonl").read_bytes()
    # errors.md and summary.json differ only in the signature (settings, time)
    assert (old / "errors.md").read_text().split("\n")[3:] == (new / "errors.md").read_text().split(
        "\n"
    )[3:]
    a, b = (json.loads((d / "summary.json").read_text()) for d in (old, new))
    a.pop("signature"), b.pop("signature")
    assert a == b
    assert a["confidence_curve"]["status"] == "run" and a["timex"]["status"] == "scored"


def test_a_bad_line_mid_file_names_it_and_leaves_no_output(tmp_path, mini_corpus, capsys):
    path = _scattered(tmp_path, mini_corpus)
    lines = path.read_text().splitlines()
    lines[7] = '{"doc_id": "m1", "text": "x", "confidence": NaN}'
    path.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    code = main(["score", "--gold", str(MINI / "annotations"), "--predictions", str(path),
                 "--out", str(out)])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert f"{path}:8: invalid JSON: NaN is not a JSON number" in err
    assert not out.exists() or list(out.iterdir()) == []


def test_a_failure_while_scoring_leaves_no_partial_log(tmp_path, mini_corpus, monkeypatch):
    """The log is written as documents are scored; an error half-way removes its temporary file."""
    import harness.scoring.score as S

    path = _scattered(tmp_path, mini_corpus)
    real, calls = S.document_records, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # after the first document's records were written
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(S, "document_records", failing)
    out = tmp_path / "out"
    main(["score", "--gold", str(MINI / "annotations"), "--predictions", str(path),
          "--out", str(out)])  # fmt: skip
    assert len(calls) == 2
    assert list(out.iterdir()) == []


def test_a_file_changed_after_indexing_is_an_error_not_a_silent_mix(tmp_path, mini_corpus):
    path = _scattered(tmp_path, mini_corpus)
    preds = IndexedPredictions(path, {d.doc_id: d.text for d in mini_corpus})
    with path.open("a") as fh:
        fh.write('{"doc_id": "m1", "text": "late"}\n')
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    with pytest.raises(PredictionError, match="changed while it was being scored"):
        preds.claims_for("m1")


def test_lenient_index_lists_skipped_lines_as_the_in_memory_reader_does(tmp_path, mini_corpus):
    path = tmp_path / "p.jsonl"
    path.write_bytes(
        b'{"doc_id": "m1", "text": "a"}\n{"doc_id": "nope", "text": "b"}\n'
        b'{"doc_id": "m2", "text": "\xff"}\n{"doc_id": "m2", "text": "c"}\n'
    )
    texts = {d.doc_id: d.text for d in mini_corpus}
    held, indexed = read_predictions(path, texts, True), IndexedPredictions(path, texts, True)
    assert indexed.skipped == held.skipped and [s.line for s in held.skipped] == [2, 3]
    assert [p.text for p in indexed.claims_for("m2")] == ["c"]
    assert not indexed.has_timexes


@pytest.mark.parametrize("mode", ["span", "sentence", "text"])
def test_matching_in_chunks_equals_matching_at_once(gold_corpus, mode, monkeypatch):
    """Similarities computed a few predictions at a time give the same match as all at once."""
    import harness.scoring.match as Mt
    from harness.extraction.api import PredictedClaim

    rng = random.Random(11)
    sim = Mt.TextSimilarity.for_corpus(gold_corpus)
    for doc in gold_corpus.claim_documents:
        preds = []
        for g in doc.claims * 3:
            s = max(0, g.start + rng.randint(-20, 20))
            e = min(len(doc.text), max(s + 1, g.end + rng.randint(-20, 20)))
            spanless = rng.random() < 0.15
            preds.append(PredictedClaim(doc.doc_id, g.text if rng.random() < 0.5 else doc.text[s:e],
                                        None if spanless else s, None if spanless else e))  # fmt: skip
        preds += preds[::4]  # repeats
        whole = Mt.match_document(doc, preds, Mt.get_mode(mode), sim)
        monkeypatch.setattr(Mt, "CHUNK", 7)
        chunked = Mt.match_document(doc, preds, Mt.get_mode(mode), sim)
        monkeypatch.undo()
        assert len(preds) > 7 * 5 and whole.pairs
        assert chunked == whole


def test_error_analysis_holds_one_documents_gold_and_refuses_a_gold_record_after_predictions():
    """errors.md is written from the log with each document's gold records first (as the scorer
    writes them); a log in another order is an error naming the document, not a wrong file."""
    from harness.reporting.erroranalysis import error_analysis_lines

    gold = {"doc_id": "d1", "kind": "gold", "id": "c1", "matched": False, "evidence": "E",
            "claimant": "X", "date_verdict": None}  # fmt: skip
    pred = {"doc_id": "d1", "kind": "prediction", "matched": False, "duplicate": False,
            "nearest_gold": None, "text": "P", "start": None}  # fmt: skip
    block = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "date_accuracy": None, "n_dated": 0}
    summary = {"name": "x", "per_document": {"d1": block}}
    lines = list(error_analysis_lines(summary, lambda: iter([("d1", iter([gold, pred]))])))
    assert "- **c1** “E” — X" in lines and "- “P” — no gold claim in this document" in lines
    with pytest.raises(ValueError, match="d1: a gold record after a prediction record"):
        list(error_analysis_lines(summary, lambda: iter([("d1", iter([pred, gold]))])))
