"""``harness review``: one self-contained HTML page per annotation file, for reading it against the text.

A YAML file of quotes and offsets is hard to check by eye; the second pass (GUIDELINES G10) reads
the article sentence by sentence with the annotation beside it. Each page shows the raw article
(escaped, white space preserved) with every claim evidence, timex and the DCT stamp marked in
place, a side panel with every record (claim: text, claimant, date and its timex, cluster; timex:
type, value, mod; the DCT and its evidence), and every validation problem of the file, both in a
list at the top and next to the record it concerns.

Pages render files that do not validate: records are located leniently from the raw YAML (the same
quote and occurrence rules as the validator), problems come from :func:`harness.validate.check_file`,
and a record that cannot be located is listed as unplaced instead of being dropped. Spans may
overlap (claims with claims, timexes inside claims): the text is cut into segments at every span
boundary, and each segment lists every record that covers it.

Output is deterministic (no time stamps, stable order) and needs no network: the CSS and the small
script that links marks and cards are inline.

The page model (records located in the text) is :mod:`harness.annotate.review_model`, the HTML
:mod:`harness.annotate.review_html`; this module writes the pages and the index.
"""

from __future__ import annotations

from pathlib import Path

from harness.annotate.review_html import _render_index, _render_page
from harness.annotate.review_model import ReviewError, _build_page, _Page
from harness.extraction.atomic import atomic_set
from harness.gold.validate import annotation_files, load_clusters

# --- entry point --------------------------------------------------------------------------------


def render_review(
    files: list[str | Path] | None,
    out_dir: str | Path,
    annotations_dir: str | Path = "annotations",
) -> list[Path]:
    """Write one page per annotation file (default: every file) and ``index.html`` into ``out_dir``.

    Returns the written paths, the pages in the order of ``files`` and then the index. The project
    root, where ``source`` paths start, is the parent of ``annotations_dir``.
    """
    annotations = Path(annotations_dir)
    root = annotations.resolve().parent
    paths = [Path(f) for f in files] if files else annotation_files(annotations)
    missing = [str(p) for p in paths if not p.exists()]  # the others: refused on their page
    if missing:
        raise ReviewError(
            f"annotation file(s) not found: {', '.join(missing)}; hint: give paths such as "
            "annotations/<id>.yaml, relative to the current directory"
        )
    clusters, cluster_problems = load_clusters(annotations, root)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    entries: list[tuple[str, _Page]] = []
    used: set[str] = set()
    with atomic_set() as write:  # the pages and the index appear together, or none of them
        for path in paths:
            page = _build_page(path, root, clusters)
            name = _page_name(path, used)
            written.append(write(out / name, _render_page(page, clusters or {})))
            entries.append((name, page))
        written.append(write(out / "index.html", _render_index(entries, cluster_problems)))
    return written


def _page_name(path: Path, used: set[str]) -> str:
    """``<stem>.html``, disambiguated by the parent directory when two files share a stem."""
    candidates = [path.stem, f"{path.stem}--{path.parent.name}"]
    candidates += [f"{path.stem}--{i}" for i in range(2, 10_000)]
    for c in candidates:
        if c not in used and c != "index":
            used.add(c)
            return f"{c}.html"
    raise ReviewError(f"{path}: too many files with the same name")  # pragma: no cover


__all__ = ["ReviewError", "render_review"]
