"""Confine an annotation's ``source`` to the corpus's seeds directory before anything is read.

An annotation file may come from anyone (a contributed article, a second annotator's copy), and
the validator, the review page and the exporters all print or embed text from the seed it names.
A ``source`` such as ``/proc/self/environ`` or ``../../.ssh/id_rsa`` would turn them into a way to
read, and publish, any file the user can read. So the seed path is checked *before* it is opened:
it must be relative, free of ``..``, and resolve (after every symlink) to a regular file inside
``<root>/seeds``; devices, FIFOs and sockets are refused (a FIFO would also block the reader).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath

from harness.gold.records import Resolver

SEEDS_DIR = "seeds"
HINT = "source is a path relative to the project root inside seeds/, e.g. seeds/<id>.txt"


class SeedPathError(Exception):
    """``source`` names no file the gold may read; ``message`` says why (no file content)."""

    def __init__(self, message: str, hint: str = HINT) -> None:
        super().__init__(message, hint)
        self.message, self.hint = message, hint

    def __str__(self) -> str:
        return f"{self.message}; hint: {self.hint}"


def _show(source: object) -> str:
    """``source`` for a message, cut to about 80 characters."""
    text = repr(source)
    return text if len(text) <= 80 else text[:77] + "..."


def resolve_seed(root: Path, source: object, resolve: Resolver | None = None) -> Path:
    """The resolved path of the seed ``source`` names, checked without reading it.

    Raises :class:`SeedPathError` when ``source`` is not a relative path inside ``root/seeds``,
    when it (or a symlink on the way) leads outside that directory, when ``seeds/`` itself leads
    outside ``root``, or when it is not a regular file. Nothing is opened here; :func:`read_seed`
    opens it without blocking and checks again. ``resolve``, a
    :class:`~harness.gold.records.Resolver` kept for a run over many seeds, resolves the project
    root and ``seeds/`` once, not at every seed; each seed itself is always resolved in full.
    """
    if not isinstance(source, str) or not source.strip():
        raise SeedPathError(f"source {_show(source)} is not a path")
    if "\0" in source:
        raise SeedPathError(f"source {_show(source)} holds a NUL byte")
    posix, windows = PurePosixPath(source), PureWindowsPath(source)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or source.startswith("~"):
        raise SeedPathError(f"source {_show(source)} is an absolute path")
    if ".." in posix.parts or ".." in windows.parts:
        raise SeedPathError(f"source {_show(source)} steps out with '..'")
    if not posix.parts or posix.parts[0] != SEEDS_DIR:
        raise SeedPathError(f"source {_show(source)} is not inside {SEEDS_DIR}/")
    resolve = resolve or Resolver()
    seeds = resolve(root / SEEDS_DIR)
    if not seeds.is_relative_to(resolve(root)):  # seeds/ itself a link out of the project
        raise SeedPathError(
            f"{SEEDS_DIR}/ leads outside the project (to {_show(str(seeds))})",
            f"{SEEDS_DIR}/ must be a directory of the project: copy the texts there",
        )
    candidate = root / source
    try:
        # one lstat says whether the seed exists, whether it is a link and, if not, its kind
        st = os.lstat(candidate)
    except OSError:
        raise SeedPathError(
            f"seed file {_show(source)} not found",
            f"paths are relative to {_show(str(root))}, the directory that holds seeds/ and the "
            "annotations directory, e.g. seeds/<id>.txt",
        ) from None
    if not stat.S_ISLNK(st.st_mode) and candidate.parent == root / SEEDS_DIR:
        # a file (not a link) right in seeds/, whose resolution was checked just above, resolves
        # to that resolution and its name: no walk over the path's components again
        resolved, mode = seeds / candidate.name, st.st_mode
    else:  # a link, or a file in a subdirectory of seeds/ (which may itself be a link)
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):  # a dangling symlink or a symlink loop
            raise SeedPathError(f"source {_show(source)} is a broken symlink") from None
        if not resolved.is_relative_to(seeds):
            raise SeedPathError(
                f"source {_show(source)} leads outside {SEEDS_DIR}/ (through a symlink)",
                "a seed must be a regular file inside seeds/: copy the text there",
            )
        mode = os.stat(resolved).st_mode
    if not stat.S_ISREG(mode):
        kind = (
            "a directory"
            if stat.S_ISDIR(mode)
            else "a FIFO"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise SeedPathError(
            f"source {_show(source)} is {kind}, not a regular file",
            "a seed is a plain UTF-8 text file inside seeds/",
        )
    return resolved


def read_seed(root: Path, source: object, resolve: Resolver | None = None) -> bytes:
    """The bytes of the seed ``source`` names, after :func:`resolve_seed` accepted it.

    The file is opened without following a last-moment symlink and without blocking, and checked
    again as a regular file on the open descriptor, so that swapping the file between the check
    and the read cannot make the gold read a FIFO or a device.
    """
    path = resolve_seed(root, source, resolve)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise SeedPathError(
            f"seed file {_show(source)} cannot be opened ({exc.strerror})",
            "check that the file exists and is readable",
        ) from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise SeedPathError(f"source {_show(source)} is not a regular file")
        return fh.read()
