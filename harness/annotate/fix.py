"""``harness validate --fix``: write derived fields (a missing sha256, quote offsets) back into
annotation files, comments and order kept.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from harness.gold.checks import _display
from harness.gold.files import annotation_files, named_files, outside_project
from harness.gold.quotes import locate_quote
from harness.gold.seeds import SeedPathError, read_seed

# --- validate --fix ------------------------------------------------------------------------------


def fix_files(
    annotations: str | Path = "annotations", files: list[str | Path] | None = None
) -> list[tuple[str, list[str]]]:
    """Write derived fields back: a missing ``sha256``, and ``start``/``end`` of located quotes.

    Comments, order and quoting are kept (ruamel.yaml round trip). A *wrong* sha256 is never
    overwritten: it means the seed changed and every quote must be re-checked by a person.

    The files are those validation reads: a named file that is not in ``annotations`` (or is a
    directory, or is missing), and a symbolic link that leads outside the project, are neither
    read nor written; the validation that follows reports them.
    """
    from io import StringIO

    from ruamel.yaml import YAML

    from harness.extraction.atomic import write_text_atomic

    annotations = Path(annotations)
    root = annotations.resolve().parent
    if files:
        paths, _ = named_files(annotations, [Path(f) for f in files])
        paths = [p for p in paths if p.is_file()]
    else:
        paths = annotation_files(annotations)
    outside = outside_project(root, set(paths))
    out = []
    for path in (p for p in paths if p not in outside):
        rt = YAML(typ="rt")
        rt.preserve_quotes = True
        rt.width = 4096
        try:
            data = rt.load(path.read_text(encoding="utf-8"))
        except Exception as exc:  # reported properly by the validation that follows
            out.append((str(path), [f"not fixed: cannot load ({type(exc).__name__})"]))
            continue
        changes: list[str] = []
        if not isinstance(data, dict) or not isinstance(data.get("source"), str):
            continue
        try:
            raw = read_seed(root, data["source"])
        except SeedPathError:  # reported by the validation that follows; nothing is read
            continue
        if not data.get("sha256"):
            data["sha256"] = hashlib.sha256(raw).hexdigest()
            changes.append("sha256 filled in")
        text = raw.decode("utf-8", errors="replace")
        records = [("published", data.get("published"), "quote")]
        records += [
            (str(r.get("id")), r, "quote") for r in data.get("timexes") or [] if isinstance(r, dict)
        ]
        records += [
            (str(r.get("id")), r, "evidence")
            for r in data.get("claims") or []
            if isinstance(r, dict)
        ]
        for rid, rec, key in records:
            if not isinstance(rec, dict) or not isinstance(rec.get(key), str):
                continue
            span = locate_quote(text, rec[key], rec.get("occurrence"))
            if isinstance(span, str):
                continue
            start, end = span
            if rec.get("start") != start or rec.get("end") != end:
                rec["start"], rec["end"] = start, end
                changes.append(f"{rid}: start/end set to {start}-{end}")
        if changes:
            buf = StringIO()
            rt.dump(data, buf)
            # through a link (inside the project: the others were left out), its target is
            # fixed and the link kept; renaming onto the link would replace it with a copy
            write_text_atomic(path.resolve() if path.is_symlink() else path, buf.getvalue())
        out.append((_display(path, root), changes))
    return out
