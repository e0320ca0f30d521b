"""How the ``harness`` command reports a failure: one ``error:`` line with a hint, exit status 2.

A message written by the project (or by a registered extractor) is shown as it is; anything else
is an unexpected error, shown as one line without its raw text (it may quote library internals or
input never meant to be shown), with the traceback only under ``--debug``.
"""

from __future__ import annotations

import sys
from pathlib import Path


class UsageError(Exception):
    """A user-facing error: printed as ``error: <message>`` with exit status 2."""


def _raised_by_harness(exc: BaseException) -> bool:
    """Whether ``exc`` was raised by the project's own code (its message was written for a user)
    rather than deep inside Python or a library (its message is raw: "year 0 is out of range")."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    if last is None:
        return False
    here = Path(__file__).resolve().parent.parent  # the harness package
    try:
        path = Path(last).resolve()
    except OSError:
        return False
    if path.is_relative_to(here):
        return True
    # a registered extractor's own package (this project's included, found like any plug-in's);
    # a top-level module is skipped: its folder may be all of site-packages
    from harness.extraction.registry import available_names, default_config_dir

    for name, target in available_names().items():
        folder = default_config_dir(name) if "." in target.partition(":")[0] else None
        if folder is not None and path.is_relative_to(folder.parent):
            return True
    return False


def _os_error(exc: OSError) -> str:
    """An OSError as one line naming the path, without Python's "[Errno 28]" prefix."""
    import errno

    where = exc.filename if exc.filename is not None else "a file"
    what = exc.strerror or type(exc).__name__
    hints = {
        errno.ENOSPC: "free some space on that disk, or write elsewhere with --out",
        errno.EACCES: "check the permissions of that path, or write elsewhere with --out",
        errno.EROFS: "the file system is read-only: write elsewhere with --out",
        errno.ENOTDIR: "a path component is a file, not a directory",
        errno.EEXIST: "a file stands where a directory is needed",
        errno.EISDIR: "that path is a directory, not a file",
        errno.ENOENT: "check the path (relative paths start at the current directory)",
    }
    # an error that knows its own hint (harness.gold.spill.SpillError) gives it
    hint = getattr(exc, "hint", None) or hints.get(exc.errno or 0, "check the path and try again")
    return f"{where}: {what}; hint: {hint}"


def _internal(command: str, exc: BaseException) -> None:
    """An unexpected error: one line, no raw exception text (it may be a library's internals or
    quote input that was never meant to be shown), and how to get the traceback."""
    print(
        f"error: 'harness {command}' failed unexpectedly ({type(exc).__name__}); hint: rerun with "
        "--debug (or HARNESS_DEBUG=1) for the traceback, and report it with the input that "
        "caused it",
        file=sys.stderr,
    )
