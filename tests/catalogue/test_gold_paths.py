"""Catalogue: the gold never reads outside the project (issue 8, point 3).

An annotation's ``source`` must resolve, after symlinks, to a regular file inside the corpus's
``seeds/``; anything else is refused before a byte of it is read, with file:line and a hint, by
every command that loads the gold. Each case is named ``<input>__<expected outcome>``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.catalogue.conftest import set_source

SECRET = "sk-catalogue-SECRET-0123456789abcdef"


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HARNESS_CATALOGUE_SECRET", SECRET)
    return SECRET


def _commands(project: Path) -> list[list[str]]:
    """Every command that reads the gold, each as it would be typed."""
    preds = project / "preds.jsonl"
    preds.write_text("", encoding="utf-8")
    return [
        ["validate"],
        ["review", "--out", str(project / "review")],
        ["agree", "annotations/m1.yaml", "annotations/m1.yaml"],
        ["export", "--format", "jsonl"],
        ["score", "--predictions", str(preds)],
        ["evaluate", "--extractors", "regex", "--out", str(project / "out"), "--no-progress"],
    ]


@pytest.mark.parametrize(
    "index", range(6), ids=["validate", "review", "agree", "export", "score", "evaluate"]
)
def test_source_proc_self_environ__refused_before_reading_secret_never_shown(
    project, cli, secret_env, index
):
    set_source(project / "annotations" / "m1.yaml", "/proc/self/environ")
    args = _commands(project)[index]
    code, out, err = cli(*args)
    written = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in project.rglob("*")
        if p.is_file() and p.suffix in (".html", ".md", ".json", ".jsonl")
    )
    assert SECRET not in out + err + written
    assert "HARNESS_CATALOGUE_SECRET" not in out + err + written
    if args[0] == "review":  # review renders the problem on the page and exits 0
        assert code == 0
        assert "absolute path" in written
    else:
        assert code in (1, 2)
        assert "annotations/m1.yaml:3" in err and "source" in err and "absolute path" in err
        assert "hint:" in err


def _outside_file(project: Path) -> Path:
    outside = project.parent / "outside.txt"
    outside.write_text(f"TOKEN={SECRET}\n", encoding="utf-8")
    return outside


def test_source_dotdot_outside__refused_with_line_and_hint(project, cli):
    _outside_file(project)
    set_source(project / "annotations" / "m1.yaml", "seeds/../../outside.txt")
    code, out, err = cli("validate")
    assert code == 1
    assert (
        "annotations/m1.yaml:3: source: source 'seeds/../../outside.txt' steps out with '..'" in err
    )
    assert SECRET not in out + err


def test_source_symlink_pointing_outside__refused(project, cli):
    outside = _outside_file(project)
    (project / "seeds" / "link.txt").symlink_to(outside)
    set_source(project / "annotations" / "m1.yaml", "seeds/link.txt")
    code, out, err = cli("validate")
    assert code == 1
    assert "annotations/m1.yaml:3: source:" in err and "leads outside seeds/" in err
    assert SECRET not in out + err


def test_source_symlinked_seeds_dir_component_outside__refused(project, cli):
    outside = _outside_file(project)
    (project / "seeds" / "sub").symlink_to(outside.parent)
    set_source(project / "annotations" / "m1.yaml", "seeds/sub/outside.txt")
    code, out, err = cli("validate")
    assert code == 1 and "leads outside seeds/" in err and SECRET not in out + err


def test_source_symlink_to_another_seed_inside__accepted(project, cli):
    (project / "seeds" / "alias.txt").symlink_to(project / "seeds" / "m1.txt")
    set_source(project / "annotations" / "m1.yaml", "seeds/alias.txt")
    code, _, err = cli("validate")
    assert code == 0, err


def test_source_symlink_to_dev_zero__refused_without_reading(project, cli):
    (project / "seeds" / "zero.txt").symlink_to("/dev/zero")
    set_source(project / "annotations" / "m1.yaml", "seeds/zero.txt")
    code, _, err = cli("validate")
    assert code == 1 and "leads outside seeds/" in err


def test_source_outside_seeds_inside_project__refused(project, cli):
    set_source(project / "annotations" / "m1.yaml", "annotations/m2.yaml")
    code, _, err = cli("validate")
    assert code == 1 and "is not inside seeds/" in err and "hint: source is a path" in err


def test_source_directory__refused_as_not_a_regular_file(project, cli):
    (project / "seeds" / "dir").mkdir()
    set_source(project / "annotations" / "m1.yaml", "seeds/dir")
    code, _, err = cli("validate")
    assert code == 1 and "is a directory, not a regular file" in err


def test_source_windows_drive_path__refused_as_absolute(project, cli):
    set_source(project / "annotations" / "m1.yaml", "'C:\\Windows\\win.ini'")
    code, _, err = cli("validate")
    assert code == 1 and "absolute path" in err


def test_source_broken_symlink__refused(project, cli):
    (project / "seeds" / "gone.txt").symlink_to(project / "seeds" / "nothing.txt")
    set_source(project / "annotations" / "m1.yaml", "seeds/gone.txt")
    code, _, err = cli("validate")
    assert code == 1 and "broken symlink" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_source_fifo__refused_without_blocking(project):
    os.mkfifo(project / "seeds" / "pipe.txt")
    set_source(project / "annotations" / "m1.yaml", "seeds/pipe.txt")
    # in a child process with a deadline: opening a FIFO for reading blocks until a writer comes
    proc = subprocess.run(
        [sys.executable, "-m", "harness", "validate"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert proc.returncode == 1
    assert "annotations/m1.yaml:3: source:" in proc.stderr and "is a FIFO" in proc.stderr


def test_validate_fix_with_outside_source__writes_nothing_reads_nothing(project, cli):
    _outside_file(project)
    path = project / "annotations" / "m1.yaml"
    set_source(path, "../outside.txt")
    # an empty sha256 is what --fix fills in from the seed's bytes: here it must not read them
    text = "".join(
        "sha256: ''\n" if ln.startswith("sha256:") else ln
        for ln in path.read_text(encoding="utf-8").splitlines(keepends=True)
    )
    path.write_text(text, encoding="utf-8")
    code, out, err = cli("validate", "--fix")
    assert code == 1 and path.read_text(encoding="utf-8") == text
    assert "steps out with '..'" in err and SECRET not in out + err
