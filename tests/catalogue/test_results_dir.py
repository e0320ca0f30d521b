"""Catalogue: a results directory always holds one run; I/O errors early and plainly (issue 8,
points 7 and 8). Kills and real concurrent runs are in scripts/catalogue.py (slow); here the
lock is held by the test itself and faults are injected. Each case is ``<fault>__<outcome>``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import socket
import stat

import pytest


def _evaluate(cli, project, *extra, names=("first-sentence",)):
    return cli(
        "evaluate", "--gold", "annotations", "--out", str(project / "out"), "--no-progress",
        "--resamples", "20", "--similarity", "none", "--extractors", *names, *extra,
    )  # fmt: skip


def _snapshot(root):
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _leftovers(project):
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".out.tmp-"))


def test_results_files__keep_the_umask_mode_0644(project, cli, faulty):
    old = os.umask(0o022)
    try:
        assert _evaluate(cli, project)[0] == 0
    finally:
        os.umask(old)
    out = project / "out"
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    modes = {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
    assert modes == {0o644}


def test_rerun__replaces_the_whole_directory_no_stale_file(project, cli, faulty):
    assert _evaluate(cli, project)[0] == 0
    stale = project / "out" / "systems" / "gone" / "summary.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    assert _evaluate(cli, project)[0] == 0
    assert not stale.exists() and _leftovers(project) == []


def test_second_run_while_locked__refuses_naming_lock_and_owner(project, cli, faulty):
    from harness.reporting.outdir import lock

    ran = []
    with lock(project / "out") as path:
        import catalogue_faults

        orig = catalogue_faults.FirstSentence.extract
        catalogue_faults.FirstSentence.extract = lambda self, doc: (
            ran.append(doc) or orig(self, doc)
        )
        try:
            code, _, err = _evaluate(cli, project)
        finally:
            catalogue_faults.FirstSentence.extract = orig
    assert code == 2 and ran == []
    assert f"lock {path}" in err and f"pid {os.getpid()} on host {socket.gethostname()}" in err
    assert "started 20" in err and "hint:" in err


def test_run_failing_while_writing__previous_results_whole_no_leftovers(
    project, cli, faulty, monkeypatch
):
    assert _evaluate(cli, project)[0] == 0
    before = _snapshot(project / "out")
    from harness.reporting import tables

    real = tables.write_table
    calls = []

    def fail_third(t, out_dir):
        calls.append(t.name)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(out_dir / f"{t.name}.md"))
        return real(t, out_dir)

    monkeypatch.setattr(tables, "write_table", fail_third)
    code, _, err = _evaluate(cli, project)
    assert code == 2
    assert f"--out {project / 'out'}: writing the results failed (No space left on device" in err
    assert "previous results are unchanged" in err and "Errno" not in err
    assert _snapshot(project / "out") == before and _leftovers(project) == []


def test_out_is_a_file__exit_2_names_path_before_extraction(project, cli, faulty):
    (project / "out").write_text("not a directory", encoding="utf-8")
    code, _, err = _evaluate(cli, project, names=("slow",))
    assert code == 2
    assert f"--out {project / 'out'}: exists and is not a directory" in err


def test_out_parent_missing__exit_2_names_path(project, cli, faulty):
    code, _, err = cli(
        "evaluate", "--gold", "annotations", "--out", str(project / "no" / "such" / "out"),
        "--no-progress", "--extractors", "first-sentence",
    )  # fmt: skip
    assert code == 2 and "parent directory" in err and str(project / "no" / "such") in err


@pytest.mark.parametrize(
    ("err_no", "words"),
    [(errno.EACCES, "Permission denied"), (errno.EROFS, "Read-only file system")],
)
def test_out_not_writable__exit_2_before_extraction(
    project, cli, faulty, monkeypatch, err_no, words
):
    import tempfile

    def refuse(*a, **k):
        raise OSError(err_no, os.strerror(err_no), str(project))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    import catalogue_faults

    ran = []
    monkeypatch.setattr(catalogue_faults.FirstSentence, "extract", lambda self, d: ran.append(d))
    code, _, err = _evaluate(cli, project)
    assert code == 2 and ran == []
    assert f"--out {project / 'out'}: cannot create a directory in {project} ({words})" in err


def test_disk_full_at_the_probe__exit_2_before_extraction(project, cli, faulty, monkeypatch):
    import harness.reporting.outdir as outdir

    real_open = open

    def full(path, *a, **k):
        if str(path).endswith(".probe"):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr(outdir, "open", full, raising=False)
    code, _, err = _evaluate(cli, project)
    assert code == 2 and "No space left on device" in err and _leftovers(project) == []


def test_validate_fix__keeps_the_file_mode(project, cli):
    path = project / "annotations" / "m1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("".join(
        "sha256: ''\n" if ln.startswith("sha256:") else ln for ln in text.splitlines(True)
    ), encoding="utf-8")  # fmt: skip
    os.chmod(path, 0o640)
    code, out, _ = cli("validate", "--fix")
    assert "sha256 filled in" in out and code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_readme_block__updated_atomically_keeping_its_mode(tmp_path):
    from harness.reporting.evaluate import README_END, README_START, update_readme

    readme = tmp_path / "README.md"
    readme.write_text(f"head\n{README_START}\nold\n{README_END}\ntail\n", encoding="utf-8")
    os.chmod(readme, 0o664)
    assert update_readme(readme, "| new |")
    assert (
        readme.read_text(encoding="utf-8") == f"head\n{README_START}\n| new |\n{README_END}\ntail\n"
    )
    assert stat.S_IMODE(readme.stat().st_mode) == 0o664
    assert [p.name for p in tmp_path.iterdir()] == ["README.md"]


def test_resume_journal__survives_the_swap(project, cli, faulty):
    assert _evaluate(cli, project)[0] == 0
    journals = sorted((project / "out" / ".resume").glob("*.jsonl"))
    assert journals, "the run journals its documents"
    assert _evaluate(cli, project)[0] == 0
    assert sorted((project / "out" / ".resume").glob("*.jsonl")) == journals
