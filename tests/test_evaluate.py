"""The evaluate pipeline: plug-in discovery, "not run" rows, determinism, README block."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from harness.extraction.registry import available_names
from harness.reporting.evaluate import (
    EvaluateOptions,
    extractor_status,
    run_evaluate,
    update_readme,
)
from harness.scoring.match import get_mode
from harness.scoring.score import ScoreConfig
from tests.conftest import MINI

PLUGIN = '''
from harness.extraction.api import Extraction, Extractor, PredictedClaim


class FirstSentence(Extractor):
    """Predicts the first sentence of every document, with the author as claimant."""

    name = "first-sentence"

    def extract(self, doc):
        end = doc.text.index(".")
        return Extraction(claims=(PredictedClaim(doc.doc_id, doc.text[:end], 0, end, "<AUTHOR>"),))


class Broken(Extractor):
    name = "broken"

    @classmethod
    def unavailable_reason(cls, config=None):
        raise RuntimeError("plug-in exploded")

    def extract(self, doc):
        raise AssertionError
'''


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """A real installed distribution (dist-info on sys.path) declaring two extractors."""
    site = tmp_path / "site"
    dist = site / "fake_plugin-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-plugin\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[harness.extractors]\nfirst-sentence = fake_plugin_mod:FirstSentence\n"
        "broken = fake_plugin_mod:Broken\n"
    )
    (site / "fake_plugin_mod.py").write_text(textwrap.dedent(PLUGIN))
    monkeypatch.syspath_prepend(str(site))
    for var in ("HARNESS_LLM_BASE_URL", "HARNESS_LLM_MODEL", "HARNESS_LLM_REPLAY"):
        monkeypatch.delenv(var, raising=False)
    return site


def _options(out: Path, extractors, **kw) -> EvaluateOptions:
    return EvaluateOptions(
        score=ScoreConfig(get_mode("span"), n_resamples=50),
        extractors=extractors,
        gold=str(MINI / "annotations"),
        out=str(out),
        progress=False,
        readme=None,
        **kw,
    )


def test_entry_point_extractors_are_discovered_and_a_broken_one_is_listed_with_its_reason(plugin):
    names = available_names()
    assert names["first-sentence"] == "fake_plugin_mod:FirstSentence"
    status = {r["name"]: r for r in extractor_status()}
    assert status["first-sentence"]["available"] is True
    assert status["broken"]["available"] is False
    assert "plug-in exploded" in status["broken"]["reason"]


def test_evaluate_scores_a_plugin_and_lists_unavailable_extractors_as_not_run(plugin, tmp_path):
    board = run_evaluate(_options(tmp_path / "r", ["first-sentence", "llm-prompt", "broken"]))
    rows = {
        line.split(" | ")[0].strip("| "): line
        for line in board.splitlines()
        if line.startswith("| ")
    }
    assert "not run: no endpoint configured" in rows["llm-prompt"]
    assert "not run: cannot load" in rows["broken"] and "plug-in exploded" in rows["broken"]
    # first sentences: m1 "Kim will visit Russia in the coming days, the Kremlin said on Monday"
    # matches c1 (span F1 2*8/(8+13) = 0.76); m2 "Putin arrived in Vladivostok on Sunday" = c1
    assert "| first-sentence | ok | 1.000" in rows["first-sentence"]
    out = tmp_path / "r"
    for name in ("leaderboard", "per_source", "modes", "comparisons", "resolvers", "timex"):
        for ext in ("md", "csv", "tex", "json"):
            assert (out / f"{name}.{ext}").exists(), (name, ext)
    sysdir = out / "systems" / "first-sentence"
    assert {p.name for p in sysdir.iterdir()} == {
        "predictions.jsonl", "summary.json", "instances.jsonl", "errors.md", "run.json"
    }  # fmt: skip
    assert (out / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "not run: fewer than two extractors" in (out / "comparisons.md").read_text()


def test_evaluate_twice_gives_the_same_files_timestamps_aside(plugin, tmp_path):
    for run in ("a", "b"):
        run_evaluate(_options(tmp_path / run, ["first-sentence", "regex"]))
    files_a = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    files_b = sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert files_a == files_b
    stamp = re.compile(rb'"timestamp": "[^"]*"')
    for rel in files_a:
        a, b = (tmp_path / "a" / rel).read_bytes(), (tmp_path / "b" / rel).read_bytes()
        assert stamp.sub(b"", a) == stamp.sub(b"", b), rel


def test_missing_spacy_model_is_a_not_run_row_with_the_install_command(plugin, tmp_path):
    pytest.importorskip("spacy")
    cfg = tmp_path / "configs"
    cfg.mkdir()
    (cfg / "spacy.yaml").write_text("model: en_core_web_does_not_exist\n")
    board = run_evaluate(_options(tmp_path / "r", ["spacy"], config_dir=str(cfg)))
    row = next(line for line in board.splitlines() if line.startswith("| spacy"))
    note = next(line for line in board.splitlines() if line.startswith("- spacy: not run"))
    assert "| not run:" in row and "pip install" not in row  # the cell is short ...
    assert "pip install" in note  # ... and the full reason, with the fix, is in the notes


def test_readme_leaderboard_block_is_replaced_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- leaderboard:start -->\nold\n<!-- leaderboard:end -->\noutro\n")
    assert update_readme(readme, "### Leaderboard\n\n| a |\n")
    assert (
        readme.read_text()
        == "intro\n<!-- leaderboard:start -->\n| a |\n<!-- leaderboard:end -->\noutro\n"
    )
    plain = tmp_path / "PLAIN.md"
    plain.write_text("no markers\n")
    assert not update_readme(plain, "x") and plain.read_text() == "no markers\n"


def test_default_configuration_is_the_yaml_beside_the_extractors_module() -> None:
    from harness.gold.yamlio import load_yaml
    from harness.reporting.evaluate import load_extractor_config

    here = Path(__file__).resolve().parent.parent / "baselines" / "configs"
    for name in ("regex", "spacy", "llm-prompt"):
        assert load_extractor_config(name, None) == dict(load_yaml(here / f"{name}.yaml"))
    assert load_extractor_config("no-such-extractor", None) == {}
