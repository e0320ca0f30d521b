"""Named collections: configuration, absent data reported as not run, cached TimeML imports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness.gold.collections import CollectionError, cache_key, load_collections
from harness.reporting.collections import run_collections
from harness.reporting.evaluate import EvaluateOptions
from harness.scoring.match import get_mode
from harness.scoring.score import ScoreConfig
from tests.conftest import MINI

TIMEML = Path(__file__).parent / "fixtures" / "timeml" / "good"

CONFIG = """\
collections:
  mini:
    format: corpus
    path: mini/annotations
    split: dev
    note: the worked example
  news:
    format: timeml
    env: HARNESS_TEST_TIMEML
    inputs: [good]
    split: test
    label: Hand-written TimeML
    obtain: set HARNESS_TEST_TIMEML
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "mini")
    (tmp_path / "collections.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def test_configuration_is_read_and_checked(project: Path, monkeypatch) -> None:
    monkeypatch.delenv("HARNESS_TEST_TIMEML", raising=False)
    mini, news = load_collections(project / "collections.yaml")
    assert (mini.name, mini.split, mini.format) == ("mini", "dev", "corpus")
    assert mini.absent_reason() is None
    assert news.absent_reason() == (
        "not run: Hand-written TimeML data not configured (set HARNESS_TEST_TIMEML); "
        "hint: set HARNESS_TEST_TIMEML"
    )
    monkeypatch.setenv("HARNESS_TEST_TIMEML", str(project / "nowhere"))
    assert news.absent_reason().startswith(
        f"not run: Hand-written TimeML data not found at {project / 'nowhere'}"
    )
    (project / "collections.yaml").write_text(CONFIG.replace("split: test", "split: train"))
    with pytest.raises(CollectionError, match="split must be one of dev, test"):
        load_collections(project / "collections.yaml")


def test_timeml_collection_is_imported_once_into_a_cache_keyed_by_the_files(
    project: Path, tmp_path: Path, monkeypatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(TIMEML, data / "good")
    monkeypatch.setenv("HARNESS_TEST_TIMEML", str(data))
    news = load_collections(project / "collections.yaml")[1]
    first = news.annotations()
    assert first.parent.parent == project / ".cache" / "collections"
    assert sorted(p.name for p in first.glob("*.yaml")) == [
        "APW19990312.0042.yaml",
        "wsj_0001.yaml",
    ]
    stamp = (first.parent / "import.json").stat().st_mtime_ns
    assert news.annotations() == first  # same files: the cached import is reused
    assert (first.parent / "import.json").stat().st_mtime_ns == stamp
    key = cache_key([data / "good"])
    (data / "good" / "wsj_0001.tml").write_bytes(
        (data / "good" / "wsj_0001.tml").read_bytes().replace(b"rose", b"fell")
    )
    assert cache_key([data / "good"]) != key
    second = news.annotations()
    assert second != first and not first.exists()  # a changed file is a new import


def test_evaluate_runs_present_collections_and_lists_absent_ones(
    project: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(project)
    monkeypatch.delenv("HARNESS_TEST_TIMEML", raising=False)
    opts = EvaluateOptions(
        score=ScoreConfig(get_mode("span"), n_resamples=20),
        extractors=["regex"],
        out=str(tmp_path / "results"),
        progress=False,
    )
    board = run_collections(opts, project / "collections.yaml")
    out = tmp_path / "results"
    assert (out / "mini" / "leaderboard.md").exists() and not (out / "news").exists()
    rows = json.loads((out / "leaderboard.json").read_text())["rows"]
    assert [(r["collection"], r["split"], r["status"]) for r in rows] == [
        ("mini", "dev", "ok"),
        ("news", "test", rows[1]["status"]),
    ]
    assert rows[1]["status"].startswith("not run: Hand-written TimeML data not configured")
    assert rows[1]["F1"] is None
    assert "| news | test |" in board

    data = tmp_path / "data"
    shutil.copytree(TIMEML, data / "good")
    monkeypatch.setenv("HARNESS_TEST_TIMEML", str(data))
    run_collections(opts, project / "collections.yaml", only=["news"])
    news = json.loads((out / "news" / "leaderboard.json").read_text())
    assert news["rows"][0]["status"] == "not run: claims not annotated"
    assert news["rows"][0]["F1"] is None  # never zeros for claims that were not annotated
    assert any("claims not annotated in any of the 2 documents" in n for n in news["notes"])
    assert news["notes"][0].startswith("collection: news (split test)")
    resolvers = (out / "news" / "resolvers.md").read_text()
    assert "outlet AP (1 docs)" in resolvers and "outlet WSJ (1 docs)" in resolvers
    timex = json.loads((out / "news" / "timex.json").read_text())
    assert any(r["extractor"].startswith("regex · outlet WSJ") for r in timex["rows"])
    comps = json.loads((out / "news" / "resolver_comparisons.json").read_text())
    # every resolver pair is tested overall and per outlet (heideltime adds pairs where installed)
    pairs = {(r["A"], r["B"]) for r in comps["rows"]}
    assert ("rules", "dateparser") in pairs
    for pair in pairs:
        scopes = [r["scope"] for r in comps["rows"] if (r["A"], r["B"]) == pair]
        assert scopes == ["all", "outlet AP", "outlet WSJ"]


def test_validate_collection_takes_no_files_and_no_fix(capsys) -> None:
    from harness.cli import main

    for extra, what in ((["annotations/x.yaml"], "files"), (["--fix"], "--fix")):
        assert main(["validate", "--collection", "tbaq-test", *extra]) == 2
        err = capsys.readouterr().err
        assert f"validates the whole collection: it takes no {what}; hint:" in err
