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
