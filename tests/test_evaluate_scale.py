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


def test_streamed_system_files_are_those_of_the_whole_result(mini_corpus, tmp_path):
    """instances.jsonl, summary.json and errors.md written document by document are the bytes
    write_system_outputs writes from the whole result, the failed-documents section included."""
    from harness.reporting.systems import score_to_directory, write_system_outputs

    config = ScoreConfig(get_mode("span"), n_resamples=50)
    preds = read_predictions(MINI / "damaged.jsonl", {d.doc_id: d.text for d in mini_corpus})
    run_log = {"m1": {"error": None}, "m2": {"error": "TimeoutError: no answer"}}
    result, _summary = score_to_directory(
        tmp_path / "streamed", "damaged", mini_corpus, preds, config, {}, run_log
    )
    assert result.instances == []  # written, not held
    whole = score(mini_corpus, preds, config, "damaged")
    write_system_outputs(
        tmp_path / "whole", "damaged", summarize(whole, config, {}), whole, mini_corpus, run_log
    )
    for name in ("instances.jsonl", "summary.json", "errors.md"):
        streamed = (tmp_path / "streamed" / name).read_bytes()
        assert streamed == (tmp_path / "whole" / name).read_bytes(), name
    errors = (tmp_path / "streamed" / "errors.md").read_text()
    assert "## Extractor failures (1/2 documents)" in errors and "m2: TimeoutError" in errors


def test_resolver_instances_are_made_as_read_and_written_as_the_plain_list(gold_corpus):
    """The resolver track keeps a value and two verdicts per timex; its records, and the JSON
    streamed from them, are those of a plain list of dicts."""
    import io

    from harness.reporting import tables as report
    from harness.scoring.result import ScoreConfig
    from harness.scoring.tracks import resolver_track

    inst = resolver_track(gold_corpus, ScoreConfig(mode="strict", n_resamples=10))["rules"][
        "instances"
    ]
    plain = list(iter(inst))
    assert len(inst) == len(plain) == sum(len(d.timexes) for d in gold_corpus) > 50
    first = gold_corpus.documents[0].timexes[0]
    assert (plain[0]["id"], plain[0]["gold"], inst[0]) == (first.id, first.value, plain[0])
    assert inst == plain and inst[-1] == plain[-1]
    fh = io.StringIO()
    report.dump({"instances": {"rules": inst}}, fh)
    assert fh.getvalue() == report.dumps({"instances": {"rules": plain}})


def test_written_table_json_is_to_json_with_each_record_made_as_it_is_written(tmp_path):
    import json

    t = report.Table(
        "t",
        "A table",
        ["system", "f1", "n"],
        [["a", (0.5, 0.25, 0.75), 3], ["b|c", (None, None, None), None]],
        signature={"harness": "x"},
        notes=["a note"],
    )
    paths = report.write_table(t, tmp_path)
    assert [p.name for p in paths] == ["t.md", "t.csv", "t.tex", "t.json"]
    assert (tmp_path / "t.json").read_text(encoding="utf-8") == report.to_json(t)
    assert json.loads(report.to_json(t))["rows"][0] == {
        "system": "a",
        "f1": {"value": 0.5, "ci": [0.25, 0.75]},
        "n": 3,
    }
    rows = report._json_obj(t)["rows"]
    assert list.__len__(rows) == 0 and len(rows) == 2  # nothing stored: made when read
    empty = report.Table("e", "Empty", ["system"], [])
    report.write_table(empty, tmp_path)
    assert (tmp_path / "e.json").read_text(encoding="utf-8") == report.to_json(empty)
    assert json.loads(report.to_json(empty))["rows"] == []


def test_the_benchmark_says_whether_imports_read_compiled_bytecode(tmp_path, monkeypatch):
    """The warm evaluate counts compiling scikit-learn, SciPy and spaCy where the interpreter
    finds no bytecode and may not write it; the benchmark prints which case it ran in."""
    import importlib.machinery
    import importlib.util
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("benchmark", root / "scripts" / "benchmark.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    sources = {}
    for name in ("sklearn", "scipy", "spacy"):
        (tmp_path / name).mkdir()
        sources[name] = tmp_path / name / "__init__.py"
        sources[name].write_text("")
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name: importlib.machinery.ModuleSpec(name, None, origin=str(sources[name])),
    )
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert bench.bytecode().startswith("bytecode: NONE for sklearn, scipy, spacy, and Python")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert bench.bytecode().startswith("bytecode: none yet for sklearn, scipy, spacy;")
    for source in sources.values():
        compiled = Path(importlib.util.cache_from_source(str(source)))
        compiled.parent.mkdir(exist_ok=True)
        compiled.write_bytes(b"")
    assert bench.bytecode() == "bytecode: compiled for the installed packages"


def test_the_benchmark_runs_and_prints_each_run_and_the_tfidf_model_apart():
    """`nox -s benchmark` on a tiny corpus: it exits cleanly, prints each run's figure under the
    medians, the TF-IDF model's time on a line of its own, and the summary; its figures are the
    machine's, so only their presence and shape are pinned."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    cmd = [sys.executable, str(root / "scripts" / "benchmark.py"), "--docs", "10", "--runs", "2",
           "--skip", "spacy", "memory", "workers", "warm", "stream"]  # fmt: skip
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    head, _, summary = out.partition("\nsummary\n")
    assert summary, out
    for label in ("validate (load", "validate, 2 worker", "regex extraction, one core",
                  "score + both bootstraps"):  # fmt: skip
        assert re.search(rf"^{re.escape(label)}.*ratio +\d+\.\d\d +(met|NOT met)$", head, re.M)
    # two runs each: two figures per "each run" line, lowest first (validate twice, regex, score)
    each = re.findall(r"^  each run, lowest to highest +([\d.]+), ([\d.]+) articles/s$", head, re.M)
    assert len(each) == 4 and all(float(a) <= float(b) for a, b in each)
    assert re.search(
        r"^  TF-IDF model of the corpus, made before the runs +\d+\.\d\d s$", head, re.M
    )
    # the summary repeats the figures, line for line
    assert summary.strip().splitlines() == head.splitlines()[3:]
