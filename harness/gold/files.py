"""Which files a validation reads: the annotation files of a directory, the files named on the
command line, and none that leads outside the project.

Every path here is a problem with a hint rather than an exception: a ``.yml`` file the glob
would skip, a directory or a file elsewhere named as an annotation file, and a symbolic link to
a file outside the project, which is never read (nothing is read outside the project).
"""

from __future__ import annotations

from pathlib import Path

from harness.gold.checks import _display
from harness.gold.schema import CLUSTERS_FILE, Problem
from harness.gold.yamlio import short

ANNOTATION_SUFFIX = ".yaml"


def is_annotation_name(path: Path) -> bool:
    """Whether ``path`` is named as an annotation file: ``*.yaml``, but not the cluster file."""
    return path.suffix == ANNOTATION_SUFFIX and path.name != CLUSTERS_FILE


def annotation_files(annotations: Path) -> list[Path]:
    """Every annotation file of a directory: ``*.yaml`` except the cluster file."""
    return sorted(p for p in annotations.glob("*" + ANNOTATION_SUFFIX) if is_annotation_name(p))


def misnamed_files(annotations: Path, root: Path) -> list[Problem]:
    """A ``.yml`` (or ``.YAML``) file in the annotations directory would be silently skipped by
    the ``*.yaml`` glob, and its article silently missing from every score: refuse it instead."""
    problems = []
    for p in sorted(annotations.iterdir()):
        if p.suffix.lower() in (".yml", ".yaml") and p.suffix != ANNOTATION_SUFFIX:
            problems.append(
                Problem(
                    _display(p, root),
                    None,
                    None,
                    None,
                    f"annotation file with suffix {short(p.suffix)} is not loaded",
                    f"rename it to {p.stem}{ANNOTATION_SUFFIX} (annotation files end in "
                    f"{ANNOTATION_SUFFIX})",
                )
            )
    return problems


def outside_project(root: Path, paths: set[Path]) -> set[Path]:
    """The paths that are symbolic links to a file outside the project ``root`` (the directory
    of annotation files resolves inside it, so only a link can lead out)."""
    out = set()
    for p in paths:
        if p.is_symlink() and p.exists():  # a broken link or a loop is reported as not found
            try:
                p.resolve().relative_to(root)
            except ValueError:
                out.add(p)
    return out


#: Why a directory, a FIFO or a device is not read as a file (a FIFO would block the reader).
NOT_REGULAR = "is not a regular file (a directory, a FIFO or a device)"


def not_regular_problem(shown: str, hint: str) -> Problem:
    """The problem of a path (shown as ``shown``) that exists but is not a regular file."""
    return Problem(shown, None, None, None, NOT_REGULAR, hint)


def unreadable_problem(path: Path, root: Path, shown: str) -> Problem | None:
    """A problem for a file that must not be read: one that leads outside the project ``root``
    (a link, or a path elsewhere), or one that is not a regular file (a directory, or a FIFO,
    which would block the reader). None for a regular file of the project, and for a missing
    one (its reader says it is not found)."""
    if not path.exists():
        return None
    real = path.resolve()
    if not real.is_relative_to(root.resolve()):
        return Problem(shown, None, None, None, f"leads to {real}, outside the project {root}",
                       "nothing is read outside the project: copy the file into it")  # fmt: skip
    if not path.is_file():
        return not_regular_problem(shown, "give an annotation file")
    return None


def outside_problem(path: Path, root: Path, shown: str) -> Problem:
    """The problem of ``path`` (shown as ``shown``), a link to a file outside the project."""
    return Problem(shown, None, None, None, f"links to {path.resolve()}, outside the project {root}",
                   "nothing is read outside the project: copy the file into the annotations "
                   "directory")  # fmt: skip


def named_files(annotations: Path, files: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The files named on the command line that are annotation files of ``annotations``, and a
    problem for each other one: a directory, or a file elsewhere, whose seed paths would be read
    from another root and whose name the corpus hash cannot place."""
    home = annotations.resolve()
    kept, problems = [], []
    for f in files:
        if not f.exists():
            kept.append(f)  # reported as not found, in order
        elif f.is_dir():
            problems.append(
                Problem(str(f), None, None, None, "is a directory, not an annotation file",
                        f"name the files, or validate the whole directory: --annotations {f}")
            )  # fmt: skip
        elif f.suffix.lower() not in (".yaml", ".yml"):  # a seed text: no --annotations takes it
            problems.append(
                Problem(str(f), None, None, None, f"not an annotation file (*{ANNOTATION_SUFFIX})",
                        "name the annotation files (annotations/<id>.yaml); their seed texts "
                        "are found from them")
            )  # fmt: skip
        elif f.parent.resolve() != home:
            problems.append(
                Problem(str(f), None, None, None, f"not in the annotations directory {annotations}",
                        f"validate it with --annotations {f.parent}")
            )  # fmt: skip
        else:
            kept.append(f)
    return kept, problems
