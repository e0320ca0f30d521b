"""The catalogue of bad inputs and faults: run every case and count those that hold.

Two parts:

* the fast cases, ``tests/catalogue/`` (pytest; each test is one named case with its expected
  outcome in its name), run here with pytest and counted from its JUnit report;
* the slow cases below, which need real processes: a run killed mid-way, two concurrent runs into
  one results directory, and a full or read-only file system (a tiny tmpfs, which needs root;
  without it those cases say "not run" and why, and are not counted as held).

Usage: ``python scripts/catalogue.py [--fast-only | --slow-only]`` (``nox -s catalogue``). Exit
status 0 when every case that ran held, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Outcome:
    name: str
    expected: str
    held: bool | None  # None: not run
    detail: str = ""


# --- helpers --------------------------------------------------------------------------------------


def _project(base: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the mini corpus, the faulty plug-in, and the environment to run ``harness``."""
    from tests.catalogue.conftest import MINI, install_faulty_plugin

    project = base / "proj"
    shutil.copytree(MINI / "annotations", project / "annotations")
    shutil.copytree(MINI / "seeds", project / "seeds")
    site = install_faulty_plugin(base / "site")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    env.pop("HARNESS_DEBUG", None)
    return project, env


def _cmd(out: Path | str, *names: str) -> list[str]:
    return [sys.executable, "-m", "harness", "evaluate", "--gold", "annotations", "--out",
            str(out), "--no-progress", "--resamples", "20", "--similarity", "none",
            "--extractors", *names]  # fmt: skip


def _snapshot(root: Path) -> dict[str, str]:
    return (
        {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and ".resume" not in p.parts
        }
        if root.exists()
        else {}
    )


def _wait_for(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.05)
    return False


# --- slow cases -----------------------------------------------------------------------------------


def case_kill_mid_run(base: Path) -> Outcome:
    expected = "previous results whole; next run succeeds and leaves no temporary directory"
    name = "evaluate killed (SIGKILL) mid-run"
    project, env = _project(base)
    first = subprocess.run(_cmd("out", "first-sentence"), cwd=project, env=env,
                           capture_output=True, text=True)  # fmt: skip
    if first.returncode != 0:
        return Outcome(name, expected, False, f"first run failed: {first.stderr[-300:]}")
    before = _snapshot(project / "out")
    proc = subprocess.Popen(_cmd("out", "slow"), cwd=project, env={**env,
                            "HARNESS_CATALOGUE_SLOW": "3"}, stderr=subprocess.PIPE)  # fmt: skip
    started = _wait_for(project / ".out.lock", 60)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if not started:
        return Outcome(name, expected, False, "the run never took its lock")
    whole = _snapshot(project / "out") == before
    again = subprocess.run(_cmd("out", "first-sentence"), cwd=project, env=env,
                           capture_output=True, text=True)  # fmt: skip
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".out.tmp-")]
    held = whole and again.returncode == 0 and not leftovers
    return Outcome(name, expected, held,
                   f"previous results whole: {whole}; rerun exit {again.returncode}; "
                   f"leftovers: {leftovers or 'none'}")  # fmt: skip


def case_two_concurrent_runs(base: Path) -> Outcome:
    name = "two concurrent evaluate runs into one --out"
    expected = "the second exits 2 naming the lock and the first run's pid and host; first exits 0"
    project, env = _project(base)
    first = subprocess.Popen(_cmd("out", "slow"), cwd=project,
                             env={**env, "HARNESS_CATALOGUE_SLOW": "2"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    if not _wait_for(project / ".out.lock", 60):
        first.kill()
        return Outcome(name, expected, False, "the first run never took its lock")
    time.sleep(0.3)
    second = subprocess.run(_cmd("out", "first-sentence"), cwd=project, env=env,
                            capture_output=True, text=True)  # fmt: skip
    first.wait(timeout=300)
    import socket

    named = f"pid {first.pid} on host {socket.gethostname()}" in second.stderr
    held = second.returncode == 2 and named and ".out.lock" in second.stderr
    held = held and first.returncode == 0
    runs = {p.name for p in (project / "out" / "systems").iterdir()}
    held = held and runs == {"slow"}
    return Outcome(name, expected, held,
                   f"second exit {second.returncode}, names owner: {named}; first exit "
                   f"{first.returncode}; systems in results: {sorted(runs)}; "
                   f"message: {second.stderr.strip()[:160]}")  # fmt: skip


def _tmpfs(path: Path, size: str) -> str | None:
    """Mount a tmpfs of ``size`` at ``path``; None on success, else why not."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return "needs root to mount a tmpfs"
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True)  # fmt: skip
    return None if proc.returncode == 0 else f"mount failed: {proc.stderr.strip()[:120]}"


def _umount(path: Path) -> None:
    subprocess.run(["umount", str(path)], capture_output=True)


def case_disk_full(base: Path) -> Outcome:
    name = "evaluate onto a full disk (64 KB tmpfs)"
    expected = "exit 2 naming --out and 'No space left on device'; no partial results"
    project, env = _project(base)
    disk = base / "disk"
    why = _tmpfs(disk, "64k")
    if why:
        return Outcome(name, expected, None, f"not run: {why}")
    try:
        proc = subprocess.run(_cmd(disk / "out", "first-sentence"), cwd=project, env=env,
                              capture_output=True, text=True)  # fmt: skip
        out = str(disk / "out")
        held = (
            proc.returncode == 2
            and f"--out {out}" in proc.stderr
            and "No space left on device" in proc.stderr
            and "Traceback" not in proc.stderr
            # nothing published: at most the resume journal, which is written as documents finish
            and all(p.name == ".resume" for p in (disk / "out").glob("*"))
            and not _snapshot(disk / "out")
            and not [p for p in disk.iterdir() if p.name.startswith(".out.tmp-")]
        )
        return Outcome(name, expected, held,
                       f"exit {proc.returncode}: {proc.stderr.strip()[-200:]}")  # fmt: skip
    finally:
        _umount(disk)


def case_read_only(base: Path) -> Outcome:
    name = "evaluate onto a read-only file system"
    expected = "exit 2 naming --out before any extraction ('Read-only file system')"
    project, env = _project(base)
    disk = base / "ro"
    why = _tmpfs(disk, "1m")
    if why:
        return Outcome(name, expected, None, f"not run: {why}")
    try:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        t0 = time.monotonic()
        proc = subprocess.run(_cmd(disk / "out", "slow"), cwd=project,
                              env={**env, "HARNESS_CATALOGUE_SLOW": "5"},
                              capture_output=True, text=True)  # fmt: skip
        seconds = time.monotonic() - t0
        held = (
            proc.returncode == 2
            and f"--out {disk / 'out'}" in proc.stderr
            and "Read-only file system" in proc.stderr
            and seconds < 10  # two documents at 5 s each would take 10 s: it never extracted
        )
        return Outcome(name, expected, held,
                       f"exit {proc.returncode} after {seconds:.1f} s: "
                       f"{proc.stderr.strip()[-200:]}")  # fmt: skip
    finally:
        _umount(disk)


SLOW: list[Callable[[Path], Outcome]] = [
    case_kill_mid_run,
    case_two_concurrent_runs,
    case_disk_full,
    case_read_only,
]


# --- fast cases -----------------------------------------------------------------------------------


def fast_cases(base: Path) -> list[Outcome]:
    report = base / "junit.xml"
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "tests/catalogue", f"--junitxml={report}"], cwd=ROOT)  # fmt: skip
    outcomes = []
    for case in ET.parse(report).getroot().iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped")
        module = case.get("classname", "").rsplit(".", 1)[-1]
        name = f"{module}::{case.get('name')}"
        if skipped is not None:
            outcomes.append(Outcome(name, "", None, f"not run: {skipped.get('message', '')}"))
        else:
            outcomes.append(Outcome(name, "", not failed))
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--fast-only", action="store_true", help="only tests/catalogue (pytest)")
    group.add_argument("--slow-only", action="store_true", help="only the process-level cases")
    args = parser.parse_args(argv)
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="harness-catalogue-") as tmp:
        base = Path(tmp)
        if not args.slow_only:
            outcomes += fast_cases(base / "fast")
        if not args.fast_only:
            for i, case in enumerate(SLOW):
                sub = base / f"slow{i}"
                sub.mkdir()
                try:
                    outcome = case(sub)
                except Exception as exc:  # a case that crashes did not hold
                    outcome = Outcome(case.__name__, "", False, f"{type(exc).__name__}: {exc}")
                mark = {True: "held", False: "NOT HELD", None: "not run"}[outcome.held]
                print(f"[{mark}] {outcome.name}: expected {outcome.expected}; {outcome.detail}")
                outcomes.append(outcome)
    ran = [o for o in outcomes if o.held is not None]
    held = [o for o in ran if o.held]
    not_run = len(outcomes) - len(ran)
    for o in outcomes:
        if o.held is False and not o.expected:
            print(f"[NOT HELD] {o.name}")
    print(
        f"catalogue: {len(outcomes)} cases, {len(held)} held, {len(ran) - len(held)} not held, "
        f"{not_run} not run"
    )
    return 0 if len(held) == len(ran) else 1


if __name__ == "__main__":
    sys.exit(main())
