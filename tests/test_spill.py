"""Records kept on disk (harness.gold.spill): what the corpus and the predictions are read from."""

from __future__ import annotations

import os
import pickle
import tempfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.gold import spill
from harness.gold.corpus import load_corpus
from harness.gold.spill import SpilledMapping, SpilledSequence, Subset

values = st.recursive(
    st.none() | st.integers() | st.text(max_size=20) | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4).map(tuple),
    max_leaves=10,
)


@given(st.lists(values, max_size=30), st.integers(0, 400))
def test_sequence_reads_back_what_was_appended(items: list, hot_bytes: int) -> None:
    seq = SpilledSequence(items, hot_bytes=hot_bytes)  # some in memory, the rest on disk
    assert len(seq) == len(items)
    assert list(seq) == items
    assert [seq[i] for i in range(len(items))] == items
    assert [seq[-i] for i in range(1, len(items) + 1)] == [
        items[-i] for i in range(1, len(items) + 1)
    ]
    assert seq[1:-1:2] == tuple(items[1:-1:2])
    assert seq == tuple(items) and tuple(items) == seq and seq == items


@given(st.lists(values, max_size=80), st.integers(0, 400), st.lists(st.booleans(), max_size=80))
def test_appending_a_pickle_is_appending_the_record(items, hot_bytes, as_pickle) -> None:
    """The same records in memory and on disk, whichever way each came, the pickles on disk
    written as they were given."""
    plain = SpilledSequence(items, hot_bytes=hot_bytes)
    mixed = SpilledSequence(hot_bytes=hot_bytes)
    for i, item in enumerate(items):
        if i < len(as_pickle) and as_pickle[i]:
            mixed.append_pickled(pickle.dumps(item, pickle.HIGHEST_PROTOCOL))
        else:
            mixed.append(item)
    assert len(mixed._hot) == len(plain._hot) and len(mixed._spill) == len(plain._spill)
    assert list(mixed) == list(plain) == items


def test_sequence_bounds_equality_and_pickling() -> None:
    seq = SpilledSequence([["a"], ("b", 1)], hot_bytes=0)
    with pytest.raises(IndexError):
        seq[2]
    with pytest.raises(IndexError):
        seq[-3]
    assert seq != (["a"],) and seq != (["a"], ("b", 2)) and seq != "ab"
    assert seq[1] is seq[1]  # the record read last is the same object
    first = seq[0]
    seq[1]
    assert seq[0] == first and seq[0] is not first  # read again: equal, not the same
    assert pickle.loads(pickle.dumps(seq)) == (["a"], ("b", 1))
    assert type(pickle.loads(pickle.dumps(seq))) is tuple
    with pytest.raises(TypeError):
        hash(seq)
    assert list(SpilledSequence()) == [] and len(SpilledSequence()) == 0


def test_subset_reads_its_positions_in_order() -> None:
    base = SpilledSequence(range(10), hot_bytes=0)
    sub = Subset(base, [7, 2, 5])
    assert list(sub) == [7, 2, 5] and len(sub) == 3
    assert sub[0] == 7 and sub[-1] == 5 and sub[1:] == (2, 5)
    assert sub == (7, 2, 5) and sub != (7, 2)
    assert pickle.loads(pickle.dumps(sub)) == (7, 2, 5)
    with pytest.raises(IndexError):
        sub[3]


def test_mapping_keeps_order_and_refuses_a_second_value() -> None:
    m: SpilledMapping[tuple] = SpilledMapping([("b", (1,)), ("a", ())], hot_bytes=0)
    assert list(m) == ["b", "a"] and len(m) == 2 and "a" in m and "c" not in m
    assert m["b"] == (1,) and m.get("c", "none") == "none"
    assert dict(m.items()) == {"b": (1,), "a": ()}
    with pytest.raises(KeyError):
        m["c"]
    with pytest.raises(KeyError, match="already stored"):
        m["a"] = (2,)
    assert m["a"] == ()  # unchanged
    assert pickle.loads(pickle.dumps(m)) == {"b": (1,), "a": ()}


def test_spill_leaves_no_file_behind(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seq = SpilledSequence(["x" * 1000] * 50, hot_bytes=5000)
    assert seq._hot and seq[49] == "x" * 1000 and seq[0] == "x" * 1000
    assert os.listdir(tmp_path) == []  # unlinked as soon as it is made


def test_memory_keeps_the_first_records_up_to_the_budget() -> None:
    items = [("x" * 100, i) for i in range(10)]
    size = len(pickle.dumps(items[0], pickle.HIGHEST_PROTOCOL))
    seq = SpilledSequence(items, hot_bytes=3 * size + size // 2)
    assert seq._hot == items[:3] and len(seq._spill) == 7
    assert seq[0] is items[0] and seq[3] == items[3] and seq[3] is not items[3]
    assert SpilledSequence(items, hot_bytes=10**9)._spill._file is None  # never spilled
    # beyond the first SAMPLE records, each counts at their mean size (not weighed again)
    many = [("y" * 100, i) for i in range(spill.SAMPLE + 40)]
    size = len(pickle.dumps(many[0], pickle.HIGHEST_PROTOCOL))
    seq = SpilledSequence(many, hot_bytes=(spill.SAMPLE + 16) * size + size // 2)
    assert len(seq._hot) == spill.SAMPLE + 16 and list(seq) == many


@pytest.mark.parametrize("hot_bytes", [0, 25_000, None])
def test_loaded_corpus_equals_its_documents_wherever_they_are(monkeypatch, hot_bytes) -> None:
    if hot_bytes is not None:  # all on disk, part of them, or the default budget (all in memory)
        monkeypatch.setattr(spill, "HOT_BYTES", hot_bytes)
    corpus = load_corpus("annotations")
    assert isinstance(corpus.documents, SpilledSequence)
    assert len(corpus.documents._hot) == {0: 0, 25_000: 1, None: 5}[hot_bytes]
    docs = tuple(corpus)
    assert corpus.documents == docs
    assert corpus.doc_ids == tuple(d.doc_id for d in docs)
    for d in docs:
        assert corpus.get(d.doc_id) == d
    with pytest.raises(KeyError):
        corpus.get("no such document")
    annotated = corpus.claim_documents
    assert isinstance(annotated, Subset)
    assert tuple(annotated) == tuple(d for d in docs if d.claims_annotated)


def test_other_record_sets_keep_a_share_of_the_budget_read_when_made(monkeypatch) -> None:
    from harness.scoring.setlevel import SetInstances

    monkeypatch.setattr(spill, "HOT_BYTES", 1000)
    monkeypatch.setattr(spill, "PART_SHARE", 4)
    assert spill.part_budget() == 250
    assert SpilledMapping()._values._budget == 250
    assert SetInstances()._blocks._budget == 250
    monkeypatch.setattr(spill, "PART_SHARE", 8)
    assert SpilledMapping()._values._budget == 125 == spill.part_budget()
    assert SpilledMapping(hot_bytes=7)._values._budget == 7


def test_a_loaded_corpus_knows_its_ids_without_reading_its_documents(monkeypatch):
    """load_corpus keeps the ids as the documents pass, so ``doc_ids`` reads none from disk."""
    from harness.gold import spill
    from harness.gold.corpus import load_corpus
    from tests.conftest import MINI

    monkeypatch.setattr(spill, "HOT_BYTES", 0)  # every document on disk
    corpus = load_corpus(MINI / "annotations")
    reads = []
    real = spill._Spill.read
    monkeypatch.setattr(spill._Spill, "read", lambda self, i: reads.append(i) or real(self, i))
    ids, claim_ids, outlets = corpus.doc_ids, corpus.claim_doc_ids, dict(corpus.outlets)
    assert reads == []
    assert ids == tuple(d.doc_id for d in corpus.documents)
    assert claim_ids == tuple(d.doc_id for d in corpus.documents if d.claims_annotated)
    assert outlets == {d.doc_id: d.outlet_label for d in corpus.documents}
    assert len(reads) == 3 * len(ids) > 3


def test_claim_ids_outlets_and_the_claim_corpus_of_a_spilled_corpus(monkeypatch):
    """What a corpus knows of its documents equals what they say, and the claim corpus inherits
    it: no document is read to find the ids or outlets of the claim-annotated ones."""
    from dataclasses import replace

    from harness.gold import spill
    from harness.gold.corpus import load_corpus
    from harness.gold.records import Corpus
    from tests.conftest import MINI

    mini = load_corpus(MINI / "annotations")
    m1, m2 = mini.documents
    unannotated = replace(m2, doc_id="m3", claims=(), claims_annotated=False, outlet=None)
    docs = spill.SpilledSequence([m1, unannotated, m2], hot_bytes=0)
    corpus = Corpus(documents=docs, hash="h")
    assert corpus.claim_doc_ids == ("m1", "m2")
    assert [d.doc_id for d in corpus.claim_documents] == ["m1", "m2"]
    assert corpus.outlets == {"m1": m1.outlet_label, "m3": "unknown (m3)", "m2": m2.outlet_label}
    reads = []
    real = spill._Spill.read
    monkeypatch.setattr(spill._Spill, "read", lambda self, i: reads.append(i) or real(self, i))
    sub = corpus.claim_corpus()
    assert (sub.doc_ids, sub.claim_doc_ids, sub.hash) == (("m1", "m2"), ("m1", "m2"), "h")
    assert sub.outlets == {"m1": m1.outlet_label, "m2": m2.outlet_label}
    assert reads == []
    assert [d.doc_id for d in sub.claim_documents] == ["m1", "m2"]  # read only now
    assert reads


class _FullDisk:
    """Stands for the spill's temporary file on a full disk: every write (or flush) fails."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def write(self, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    flush = write  # type: ignore[assignment]


def _full_disk(monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "TemporaryFile", _FullDisk)


def test_a_full_temporary_directory_is_a_spill_error_naming_it_and_tmpdir(monkeypatch):
    _full_disk(monkeypatch)
    seq = SpilledSequence(hot_bytes=0)
    with pytest.raises(spill.SpillError) as caught:
        seq.append(("a record",))
    exc = caught.value
    assert isinstance(exc, OSError) and exc.errno == 28
    assert exc.filename == tempfile.gettempdir()
    assert exc.strerror == (
        "No space left on device (writing the records kept on disk beyond the memory budget)"
    )
    assert "set TMPDIR to a directory on a disk with room" in exc.hint


def test_a_write_that_fails_only_when_flushed_is_a_spill_error_too():
    seq = SpilledSequence([("first",)], hot_bytes=0)

    class Flushless:
        def flush(self):
            raise OSError(28, "No space left on device")

    seq._spill._file = Flushless()  # as if the buffered write of the record had not reached disk
    with pytest.raises(spill.SpillError, match="No space left on device"):
        seq[0]


def test_the_command_names_tmpdir_not_out_when_the_spill_disk_is_full(
    monkeypatch, capsys, tmp_path
):
    from harness.cli import main
    from tests.conftest import MINI

    _full_disk(monkeypatch)
    monkeypatch.setattr(spill, "HOT_BYTES", 0)  # every record goes to disk
    for argv in (
        ["validate", "--annotations", str(MINI / "annotations")],
        ["evaluate", "--gold", str(MINI / "annotations"), "--out", str(tmp_path / "out"),
         "--extractors", "regex", "--no-progress", "--no-resume"],
    ):  # fmt: skip
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith(
            f"error: {tempfile.gettempdir()}: No space left on device (writing the records kept "
            "on disk beyond the memory budget); hint: set TMPDIR to a directory"
        ), err
        assert "--out" not in err and "unexpectedly" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["set-level", "similarity-validation"])
def test_a_spill_error_is_the_runs_not_a_similarity_strategys_failure(monkeypatch, where):
    """Code that reports a strategy's failure as a status lets a full disk through."""
    from harness.scoring import setlevel, similarity, tracks
    from harness.scoring.match import get_mode
    from harness.scoring.score import ScoreConfig, score_set_level
    from tests.conftest import MINI

    def full(*args, **kwargs):
        raise spill.SpillError(OSError(28, "No space left on device"))

    corpus = load_corpus(MINI / "annotations")
    config = ScoreConfig(get_mode("span"), n_resamples=10)
    if where == "set-level":
        from harness.extraction.predictions import Predictions

        monkeypatch.setattr(setlevel, "score_sets", full)
        with pytest.raises(spill.SpillError):
            score_set_level(corpus, Predictions({}, {}), config, "x")
    else:
        monkeypatch.setattr(similarity, "get_similarity", full)
        with pytest.raises(spill.SpillError):
            tracks.similarity_validation(corpus, config)
