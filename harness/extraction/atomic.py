"""Atomic writes: a file appears whole or not at all, and a set of files together or not at all.

Every writer of results, predictions, reports and fixed annotations goes through here, so that a
run that dies half-way leaves the previous files as they were, never a truncated one.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write a text file to a temporary file beside ``path``, then rename it into place.

    A run that dies half-way leaves the previous file intact instead of a truncated one. The file
    keeps the mode of the file it replaces (``validate --fix`` must not make a shared annotation
    private), and a new file gets the mode the umask gives (``mkstemp`` alone would give 0600).
    """
    with open_atomic(path) as fh:
        fh.write(text)
    return Path(path)


@contextmanager
def open_atomic(path: str | Path, staged: list[tuple[str, Path]] | None = None) -> Iterator[TextIO]:
    """A text handle on a temporary file beside ``path``, renamed into place on a clean exit
    (or, given ``staged``, added to it as ``(temporary file, path)`` for :func:`atomic_set`).

    For outputs written as they are produced (the per-instance log of a million predictions):
    nothing is held in memory, and an error half-way removes the temporary file, so neither a
    truncated file nor a stray temporary one is left. Modes as :func:`write_text_atomic`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:  # it names a temporary file the user never gave: name the target
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        if staged is None:
            os.replace(tmp, path)
        else:
            staged.append((tmp, path))
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        # a failed write or flush names no file, a failed rename the temporary one: name the
        # file the user asked for
        if exc.filename is None or str(exc.filename) == tmp:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_set() -> Iterator[Callable[[str | Path, str], Path]]:
    """``write(path, text)`` for files that belong together (a review's pages and its index):
    each is written to a temporary file beside it, and all are renamed into place when the block
    ends cleanly. An error in the block leaves every target as it was and removes the temporary
    files, so a failed run never leaves some new pages beside old ones."""
    staged: list[tuple[str, Path]] = []

    def write(path: str | Path, text: str) -> Path:
        with open_atomic(path, staged) as fh:
            fh.write(text)
        return Path(path)

    try:
        yield write
    except BaseException:
        for tmp, _path in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for k, (tmp, path) in enumerate(staged):
        try:
            os.replace(tmp, path)
        except OSError as exc:
            for left, _path in staged[k:]:
                Path(left).unlink(missing_ok=True)
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None


__all__ = ["atomic_set", "open_atomic", "write_text_atomic"]
