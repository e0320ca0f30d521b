"""Validation pauses the cycle collector, which is only sound while loading makes no cycles."""

from __future__ import annotations

import gc
import shutil

import pytest

from harness.gold.cycles import cycle_collector_paused
from harness.gold.validate import validate_corpus
from tests.conftest import MINI, ROOT


class _Node:
    def __init__(self) -> None:
        self.me = self


def _garbage_in_cycles(load) -> int:
    """What the cycle collector frees after ``load()`` ran with it paused."""
    gc.collect()
    with cycle_collector_paused():
        result = load()
        del result
        return gc.collect()


def test_the_probe_sees_a_cycle():
    assert _garbage_in_cycles(_Node) >= 1


@pytest.mark.parametrize("annotations", [ROOT / "annotations", MINI / "annotations"])
def test_loading_a_corpus_leaves_no_garbage_in_cycles(annotations):
    assert _garbage_in_cycles(lambda: validate_corpus(annotations)) == 0


def test_loading_a_corpus_with_problems_leaves_no_garbage_in_cycles(tmp_path):
    shutil.copytree(MINI, tmp_path / "mini")
    ann = tmp_path / "mini" / "annotations"
    first = sorted(ann.glob("*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("id:", "id:\nid:", 1), encoding="utf-8")
    (ann / "broken.yaml").write_text("a: [1,\n", encoding="utf-8")

    def load():
        result = validate_corpus(ann)
        assert result.problems
        return result

    assert _garbage_in_cycles(load) == 0


@pytest.mark.parametrize("enabled", [True, False])
def test_the_pause_restores_the_collector_as_it_found_it(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with cycle_collector_paused():
            assert not gc.isenabled()
            with cycle_collector_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError), cycle_collector_paused():
            raise KeyError("x")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_validation_leaves_the_collector_enabled():
    assert gc.isenabled()
    validate_corpus(MINI / "annotations")
    assert gc.isenabled()


def test_scoring_leaves_garbage_in_cycles_that_does_not_grow_with_the_documents(
    gold_corpus, mini_corpus
):
    """Scoring pauses the collector too. It makes a few cycles per call (the entry-point lookup
    of the similarity strategies), never per document or per record, so the pause holds back a
    few objects, not memory that grows with the corpus: the same number for two documents and
    for five."""
    from harness.scoring.match import get_mode
    from harness.scoring.score import ScoreConfig, score
    from tests.conftest import gold_as_predictions

    config = ScoreConfig(get_mode("span"), n_resamples=10)
    found = []
    for corpus in (mini_corpus, gold_corpus):
        preds = gold_as_predictions(corpus)
        score(corpus, preds, config)  # first use: lazy imports and fitted models
        found.append(_garbage_in_cycles(lambda c=corpus, p=preds: score(c, p, config)))
    assert found[0] == found[1] < 100, found


def test_summaries_leave_garbage_in_cycles_that_does_not_grow_with_the_documents(
    gold_corpus, mini_corpus
):
    """Summarizing pauses the collector too, and makes no cycles per document or outlet: the
    same number (none expected beyond a few per call) for two documents and for five."""
    from harness.scoring.match import get_mode
    from harness.scoring.score import ScoreConfig, score, summarize
    from tests.conftest import gold_as_predictions

    config = ScoreConfig(get_mode("span"), n_resamples=10)
    found = []
    for corpus in (mini_corpus, gold_corpus):
        result = score(corpus, gold_as_predictions(corpus), config)
        summarize(result, config, {})  # first use: lazy imports
        found.append(_garbage_in_cycles(lambda r=result: summarize(r, config, {})))
    assert found[0] == found[1] < 100, found
    assert gc.isenabled()


def test_freezing_skips_what_was_alive_and_still_collects_new_cycles():
    from harness.gold import cycles

    gc.collect()
    assert gc.get_freeze_count() == 0
    old = [_Node() for _ in range(3)]
    with cycles.alive_objects_frozen():
        frozen = gc.get_freeze_count()
        assert frozen > 0  # what was alive, the three nodes among it
        with cycles.alive_objects_frozen():  # nested: nothing more frozen, nothing handed back
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen
        _Node()  # a new cycle, garbage at once: still collected inside the block
        assert gc.collect() >= 1
        del old  # a frozen cycle become garbage: left alone until the block ends
        assert gc.collect() == 0
    assert gc.get_freeze_count() == 0
    assert gc.collect() >= 3


def test_freezing_hands_everything_back_when_the_block_raises():
    from harness.gold import cycles

    with pytest.raises(RuntimeError), cycles.alive_objects_frozen():
        assert gc.get_freeze_count() > 0
        raise RuntimeError("boom")
    assert gc.get_freeze_count() == 0


def test_an_extraction_runs_with_what_was_alive_frozen(monkeypatch):
    from harness.extraction import runner
    from harness.gold.corpus import load_corpus

    corpus = load_corpus(MINI / "annotations")
    seen = []
    real = runner.collect

    def spy(*args):
        seen.append(gc.get_freeze_count())
        return real(*args)

    monkeypatch.setattr(runner, "collect", spy)
    ex = runner.load_extractor_class("regex")()
    preds, _log = runner.run_extractor(ex, corpus, "gold", False)
    assert seen and seen[0] > 0
    assert sum(preds.n_claims(d) for d in corpus.doc_ids) > 0
    assert gc.get_freeze_count() == 0


def test_a_worker_batch_runs_with_what_was_alive_frozen(monkeypatch):
    from harness.extraction import runner
    from harness.extraction.api import Document

    seen = []
    real = runner.extract_document

    def spy(extractor, doc):
        seen.append(gc.get_freeze_count())
        return real(extractor, doc)

    monkeypatch.setattr(runner, "extract_document", spy)
    doc = Document("d1", "Officials said on Monday that talks would resume.", "2023-09-05")
    [(doc_id, _result)] = runner._extract_batch("regex", {}, [doc])
    assert doc_id == "d1" and seen and seen[0] > 0
    assert gc.get_freeze_count() == 0
