"""One run per results directory: a lock, a fresh temporary directory, and a swap at the end.

``harness evaluate`` writes dozens of files. Written in place, a run killed half-way would leave
new tables beside old per-system files, and two runs into the same directory would interleave
theirs; both look like one valid run. So a run:

1. takes an exclusive lock, ``.<name>.lock`` beside the directory (``fcntl.flock``: the kernel
   releases it when the process dies, so a killed run never leaves a stale lock), with its owner
   (pid, host, start time) written in the file so that a second run can name it when it refuses;
2. checks before any extraction starts that ``--out`` is a directory (or absent) and that its
   parent is writable, by creating the temporary directory ``.<name>.tmp-*`` beside it;
3. writes everything into that directory and, only when all of it is written, swaps it with the
   previous results (one ``renameat2(RENAME_EXCHANGE)`` where Linux offers it, two renames
   otherwise) and deletes the previous results.

A run that fails or is killed leaves the previous results whole; its temporary directory is
removed (or, after a kill, by the next run, which holds the lock and so knows it is stale). The
directory gets the mode the umask gives, like any directory the user makes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path


class OutputError(ValueError):
    """``--out`` cannot take the results; the message names the path and the fix."""


def _umask_mode(base: int = 0o777) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


def check_out(out: Path) -> None:
    """Refuse an ``--out`` that is not a directory, or whose parent cannot take a new one."""
    if out.exists() and not out.is_dir():
        raise OutputError(
            f"--out {out}: exists and is not a directory; hint: give a directory (it is replaced "
            "whole by the run), or remove the file"
        )
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(
            f"--out {out}: the parent directory {parent} does not exist; hint: create it first"
        )


@contextlib.contextmanager
def lock(out: Path) -> Iterator[Path]:
    """Hold ``.<name>.lock`` beside ``out`` for the block; refuse at once if another run holds it."""
    import fcntl

    path = out.parent / f".{out.name}.lock"
    owner = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": " ".join(sys.argv[:1] + sys.argv[1:8]),
    }
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, _umask_mode(0o666))
        except OSError as exc:
            raise OutputError(
                f"--out {out}: cannot create the lock {path} ({exc.strerror}); hint: the "
                "directory that holds --out must be writable, or write elsewhere with --out"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            held = _read_owner(fd)
            os.close(fd)
            raise OutputError(
                f"--out {out}: another run is writing these results (lock {path}, held by "
                f"{held}); hint: wait for it to finish, or write elsewhere with --out"
            ) from None
        # The lock file may have been unlinked by the run that held it, between our open and our
        # flock: then we hold a lock nobody else can see, so start again on the current file.
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, (json.dumps(owner, sort_keys=True) + "\n").encode())
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def _read_owner(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        owner = json.loads(os.read(fd, 4096).decode("utf-8", errors="replace") or "{}")
        return (
            f"pid {owner.get('pid', '?')} on host {owner.get('host', '?')}, started "
            f"{owner.get('started', '?')}"
        )
    except (OSError, ValueError):
        return "a run whose owner record cannot be read"


def fresh_dir(out: Path) -> Path:
    """A new empty directory beside ``out`` for this run, with the umask's mode; leftovers of
    killed runs (``.<name>.tmp-*``) are removed first (the caller holds the lock)."""
    for stale in out.parent.glob(f".{out.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as exc:
        raise OutputError(
            f"--out {out}: cannot create a directory in {out.parent} ({exc.strerror}); hint: "
            "make it writable, or write elsewhere with --out"
        ) from None
    os.chmod(tmp, _umask_mode())  # mkdtemp makes it 0700
    probe = tmp / ".probe"
    try:
        with open(probe, "wb") as fh:
            fh.write(b"\0" * 4096)
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(
            f"--out {out}: cannot write in {out.parent} ({exc.strerror}); hint: free some space "
            "or fix the permissions, or write elsewhere with --out"
        ) from None
    if out.exists() and not os.access(out, os.W_OK):
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(
            f"--out {out}: the directory is not writable, so it cannot be replaced; hint: "
            "make it writable, or write elsewhere with --out"
        )
    return tmp


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    import errno

    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM):  # file system or kernel without it
        return False
    raise OSError(err, os.strerror(err), str(b))


#: Directories of the previous results that a new run keeps: the resume journals
#: (``harness.extraction.journal.RunJournal``), which outlive a run by design.
KEEP = (".resume",)


def swap_in(tmp: Path, out: Path) -> None:
    """Make ``tmp`` the results at ``out`` and delete the previous results (their resume
    journals, :data:`KEEP`, move into the new results first)."""
    if not out.exists():
        os.rename(tmp, out)
        return
    for name in KEEP:
        for src in sorted(out.rglob(name)):
            dest = tmp / src.relative_to(out)
            if src.is_dir() and dest.parent.is_dir() and not dest.exists():
                os.rename(src, dest)
    if _exchange(tmp, out):
        shutil.rmtree(tmp)  # now the previous results
        return
    old = out.with_name(f".{out.name}.tmp-old-{os.getpid()}")
    os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def results_dir(out: str | Path, after_swap: Callable[[], object] | None = None) -> Iterator[Path]:
    """Lock ``out``, yield a fresh directory to write the run into, and swap it in on success;
    ``after_swap`` runs still under the lock (the README's leaderboard block).

    On any exception the fresh directory is removed and the previous results stay as they were.
    """
    out = Path(out)
    check_out(out)
    with lock(out):
        tmp = fresh_dir(out)
        try:
            yield tmp
            swap_in(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if after_swap is not None:
            after_swap()
