"""Shared helpers of the catalogue of bad inputs and faults (see tests/catalogue/README.md)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the two-document mini corpus (annotations/, seeds/) as the working directory."""
    root = tmp_path / "proj"
    shutil.copytree(MINI / "annotations", root / "annotations")
    shutil.copytree(MINI / "seeds", root / "seeds")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``harness ARGS`` in-process; return (exit status, stdout, stderr)."""
    from harness.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
        out, err = capsys.readouterr()
        return code, out, err

    return run


def set_source(annotation: Path, source: str) -> None:
    """Point ``annotation``'s ``source:`` at ``source`` (the line is replaced, nothing else)."""
    lines = annotation.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [f"source: {source}\n" if ln.startswith("source:") else ln for ln in lines]
    annotation.write_text("".join(lines), encoding="utf-8")


FAULTY_PLUGIN = '''
import os
import time

from harness.extraction.api import Extraction, Extractor, PredictedClaim


class FirstSentence(Extractor):
    name = "first-sentence"

    def extract(self, doc):
        end = doc.text.index(".")
        return Extraction(claims=(PredictedClaim(doc.doc_id, doc.text[:end], 0, end, "<AUTHOR>"),))


class Always500(Extractor):
    """Fails on every document, as an LLM endpoint answering HTTP 500 would."""

    name = "always-500"

    def extract(self, doc):
        raise RuntimeError("HTTP 500 Internal Server Error from http://127.0.0.1:9/v1")


class HalfFails(FirstSentence):
    """Fails on the first document (m1) only."""

    name = "half-fails"

    def extract(self, doc):
        if doc.doc_id == "m1":
            return Extraction(error="invalid answer: not JSON")
        return super().extract(doc)


class Slow(FirstSentence):
    """Sleeps before each document (HARNESS_CATALOGUE_SLOW seconds), for kill and lock cases."""

    name = "slow"

    def extract(self, doc):
        time.sleep(float(os.environ.get("HARNESS_CATALOGUE_SLOW", "0")))
        return super().extract(doc)
'''


def install_faulty_plugin(site: Path) -> Path:
    """A real distribution (dist-info) declaring the catalogue's faulty extractors, under ``site``."""
    dist = site / "catalogue_faults-0.1.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: catalogue-faults\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[harness.extractors]\n"
        "first-sentence = catalogue_faults:FirstSentence\n"
        "always-500 = catalogue_faults:Always500\n"
        "half-fails = catalogue_faults:HalfFails\n"
        "slow = catalogue_faults:Slow\n"
    )
    (site / "catalogue_faults.py").write_text(FAULTY_PLUGIN)
    return site


@pytest.fixture
def faulty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = install_faulty_plugin(tmp_path / "site")
    monkeypatch.syspath_prepend(str(site))
    return site
