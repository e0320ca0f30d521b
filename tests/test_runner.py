"""The extraction runner: parallel workers, the dask backend and resuming an interrupted run.

Each test compares against a plain in-process run: whatever the backend or however a run was
interrupted, the predictions and the per-document log must be the same.
"""

from __future__ import annotations

import json
from typing import ClassVar

import pytest

from harness.extraction.api import Extraction, Extractor, PredictedClaim
from harness.extraction.journal import RunJournal, resume_key
from harness.extraction.predictions import claim_record, timex_record
from harness.extraction.registry import load_extractor_class
from harness.extraction.runner import run_extractor
from harness.gold.corpus import load_corpus
from tests.conftest import MINI


def _dump(result) -> str:
    """Predictions and log as the bytes evaluate would write (order included)."""
    preds, log = result
    ids = list(log)
    records = [claim_record(c) for d in ids for c in preds.claims_for(d)]
    records += [timex_record(t) for d in ids for t in preds.timexes_for(d)]
    return json.dumps({"records": records, "log": log}, sort_keys=True)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(MINI / "annotations")


@pytest.fixture(scope="module")
def regex():
    cls = load_extractor_class("regex")
    from harness.extraction.runner import load_extractor_config

    return cls(load_extractor_config("regex", None))


def test_two_workers_give_the_same_predictions_byte_for_byte(corpus, regex):
    one = run_extractor(regex, corpus, "gold", False, name="regex")
    two = run_extractor(regex, corpus, "gold", False, name="regex", workers=2)
    assert _dump(one) == _dump(two)
    assert sum(len(c) for c in one[0].claims.values()) > 0  # the comparison has content


def test_dask_backend_on_a_local_cluster_gives_the_same_predictions(corpus, regex):
    pytest.importorskip(
        "dask.distributed", reason="the dask extra is not installed (pip install '.[dask]')"
    )
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        remote = run_extractor(
            regex,
            corpus,
            "gold",
            False,
            name="regex",
            backend="dask",
            scheduler=cluster.scheduler_address,
        )
    assert _dump(remote) == _dump(run_extractor(regex, corpus, "gold", False, name="regex"))


class Interrupted(BaseException):
    """Stands for a kill: not an Exception, so the runner does not record it per document."""


class Flaky(Extractor):
    """The first sentence of every document; dies on ``die_at`` documents when told to."""

    name = "flaky"
    calls: ClassVar[list[str]] = []
    die_at: ClassVar[int | None] = None

    def extract(self, doc):
        if Flaky.die_at is not None and len(Flaky.calls) == Flaky.die_at:
            raise Interrupted
        Flaky.calls.append(doc.doc_id)
        end = doc.text.index(".")
        return Extraction(claims=(PredictedClaim(doc.doc_id, doc.text[:end], 0, end),))


def test_resume_after_a_simulated_kill_recomputes_only_the_missing_documents(corpus, tmp_path):
    assert len(corpus) >= 2
    fresh = run_extractor(Flaky(), corpus, "gold", False)
    Flaky.calls.clear()
    Flaky.die_at = 1  # the run dies on its second document
    with pytest.raises(Interrupted):
        run_extractor(Flaky(), corpus, "gold", False, resume_dir=tmp_path)
    first_done = list(Flaky.calls)
    assert len(first_done) == 1
    Flaky.calls.clear()
    Flaky.die_at = None
    resumed = run_extractor(Flaky(), corpus, "gold", False, resume_dir=tmp_path)
    assert Flaky.calls == [d for d in corpus.doc_ids if d not in first_done]
    assert _dump(resumed) == _dump(fresh)
    # a finished run is journalled whole: nothing is recomputed the next time
    Flaky.calls.clear()
    assert _dump(run_extractor(Flaky(), corpus, "gold", False, resume_dir=tmp_path)) == _dump(fresh)
    assert Flaky.calls == []
    # without resume every document is extracted again
    run_extractor(Flaky(), corpus, "gold", False)
    assert Flaky.calls == list(corpus.doc_ids)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_backend_runs_to_its_end_and_the_bar_counts_every_document(
    corpus, regex, monkeypatch, workers
):
    from harness.extraction import runner

    finished, counted = [], []
    real = runner._results

    def spy(*args, **kwargs):
        yield from real(*args, **kwargs)
        finished.append(True)

    class Bar:
        def __init__(self, total, initial, *args):
            counted.append(initial)

        def update(self, n):
            counted.append(n)

        def close(self):
            pass

    monkeypatch.setattr(runner, "_results", spy)
    monkeypatch.setattr(runner, "progress_display", Bar)
    run_extractor(regex, corpus, "gold", False, workers=workers, name="regex")
    assert finished == [True]
    assert sum(counted) == len(corpus)


def test_a_document_whose_text_changed_is_extracted_again(corpus, tmp_path):
    from dataclasses import replace

    Flaky.calls.clear()
    Flaky.die_at = None
    run_extractor(Flaky(), corpus, "gold", False, resume_dir=tmp_path)
    docs = list(corpus.documents)
    docs[1] = replace(docs[1], text=docs[1].text.replace(".", "!", 1) + " Edited.")
    edited = replace(corpus, documents=tuple(docs))
    Flaky.calls.clear()
    resumed = run_extractor(Flaky(), edited, "gold", False, resume_dir=tmp_path)
    assert Flaky.calls == [docs[1].doc_id]
    Flaky.calls.clear()
    assert _dump(resumed) == _dump(run_extractor(Flaky(), edited, "gold", False))
    # the edited text is journalled now: a third run extracts nothing
    Flaky.calls.clear()
    run_extractor(Flaky(), edited, "gold", False, resume_dir=tmp_path)
    assert Flaky.calls == []


def test_a_changed_configuration_or_dct_setting_never_reuses_the_journal(corpus, tmp_path):
    Flaky.calls.clear()
    Flaky.die_at = None
    run_extractor(Flaky(), corpus, "gold", False, resume_dir=tmp_path)
    keys = {resume_key("flaky", Flaky(), "gold"), resume_key("flaky", Flaky({"x": 1}), "gold"),
            resume_key("flaky", Flaky(), "detect")}  # fmt: skip
    assert len(keys) == 3
    Flaky.calls.clear()
    run_extractor(Flaky({"x": 1}), corpus, "gold", False, resume_dir=tmp_path)
    assert Flaky.calls == list(corpus.doc_ids)


def test_a_line_cut_by_a_kill_is_ignored(corpus, tmp_path):
    Flaky.calls.clear()
    Flaky.die_at = None
    run_extractor(Flaky(), corpus, "gold", False, resume_dir=tmp_path)
    journal = RunJournal(tmp_path, "flaky", resume_key("flaky", Flaky(), "gold"))
    text = journal.path.read_text(encoding="utf-8")
    journal.path.write_text(text[: len(text) - 20], encoding="utf-8")  # the last line cut short
    Flaky.calls.clear()
    run_extractor(Flaky(), corpus, "gold", False, resume_dir=tmp_path)
    assert Flaky.calls == [corpus.doc_ids[-1]]


def test_failed_documents_are_not_journalled_and_are_tried_again(corpus, tmp_path):
    class Failing(Flaky):
        def extract(self, doc):
            Flaky.calls.append(doc.doc_id)
            raise ValueError("HTTP 500")

    Flaky.calls.clear()
    _, log = run_extractor(Failing(), corpus, "gold", False, resume_dir=tmp_path)
    assert all(v["error"] == "ValueError: HTTP 500" for v in log.values())
    Flaky.calls.clear()
    run_extractor(Failing(), corpus, "gold", False, resume_dir=tmp_path)
    assert Flaky.calls == list(corpus.doc_ids)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "0"], "--workers must be at least 1"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --backend dask"),
    ],
)
def test_bad_parallel_options_are_usage_errors(args, message, capsys, tmp_path):
    from harness.cli import main

    assert main(["evaluate", "--out", str(tmp_path / "out"), *args]) == 2
    assert message in capsys.readouterr().err


def test_an_edit_to_a_code_dependency_never_reuses_the_journal(tmp_path, monkeypatch):
    """The shared tagger is outside the baselines' package: its sources are in the key too."""
    dep = tmp_path / "resume_dep_module.py"
    dep.write_text("RULE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))

    class WithDependency(Flaky):
        code_dependencies = ("resume_dep_module",)

    before = resume_key("flaky", WithDependency(), "gold")
    assert before != resume_key("flaky", Flaky(), "gold")
    dep.write_text("RULE = 2\n", encoding="utf-8")
    assert resume_key("flaky", WithDependency(), "gold") != before


def test_the_baselines_key_covers_the_shared_tagger_and_resolvers():
    from baselines.regex_extractor import RegexExtractor
    from harness.extraction.journal import code_files

    names = {name for name, _path in code_files(RegexExtractor())}
    assert {"regex_extractor.py", "harness.dates/tagger.py", "harness.gold.text"} <= names
    assert any(n.startswith("harness.dates/rules/") for n in names)


class _Refusing:
    """Stands for dask's Client: raises what dask raises for a bad address or a silent one."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def __call__(self, *args, **kwargs):
        raise self.exc


@pytest.mark.parametrize(
    ("scheduler", "raised", "message"),
    [
        ("notanaddress", ValueError("missing port number in address 'notanaddress'"),
         "--scheduler 'notanaddress': not a scheduler address (missing port number in address "
         "'notanaddress'); hint: give the address that 'dask scheduler' prints"),
        ("tcp://10.0.0.5:8786", OSError("Timed out trying to connect to tcp://10.0.0.5:8786"),
         "--scheduler tcp://10.0.0.5:8786: no dask scheduler answered (Timed out trying to "
         "connect to tcp://10.0.0.5:8786); hint: start one with 'dask scheduler'"),
        (None, OSError("could not bind port"),
         "a local dask cluster of 2 workers could not start (could not bind port); hint: run "
         "with the default backend (--backend loky), or give --scheduler"),
    ],
    ids=["bad-address", "no-answer", "local-cluster"],
)  # fmt: skip
def test_a_scheduler_that_cannot_be_used_is_a_clear_error(scheduler, raised, message):
    from harness.extraction.runner import _dask_client

    with pytest.raises(ValueError) as caught:
        _dask_client(_Refusing(raised), scheduler, 2)
    assert str(caught.value).startswith(message)


def test_the_command_names_a_bad_scheduler_address_and_writes_no_results(capsys, tmp_path):
    pytest.importorskip(
        "dask.distributed", reason="the dask extra is not installed (pip install '.[dask]')"
    )
    from harness.cli import main

    out = tmp_path / "out"
    argv = ["evaluate", "--gold", str(MINI / "annotations"), "--out", str(out), "--extractors",
            "regex", "--no-progress", "--backend", "dask", "--scheduler", "notanaddress"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "error: --scheduler 'notanaddress': not a scheduler address (" in err
    assert "hint: give the address that 'dask scheduler' prints" in err
    assert "unexpectedly" not in err and "Traceback" not in err
    # no results: at most the resume journal, opened before the backend was asked for workers
    assert not out.exists() or {p.name for p in out.iterdir()} == {".resume"}
