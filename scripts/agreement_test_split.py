"""Agreement on the claims test split: the first annotation against the independent second one.

Both annotations are stand-off files over the user's copy of TempEval-3 (the first in
``annotations/tbaq-test/``, the second, of six articles, in ``agreement/tbaq-test/annotator-b/``).
This script merges each into a fresh import of the data, pairs the six articles, runs
``harness agree``'s corpus mode on them and writes the corpus summary to
``agreement/tbaq-test/report.md`` and ``report.json``:

    HARNESS_TBAQ=../shared/data/tbaq python scripts/agreement_test_split.py

Only the summary is written into the project: the per-article reports quote evidence, and the
text is the user's data. Pass ``--details DIR`` to write those reports outside the project.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECOND = ROOT / "agreement" / "tbaq-test" / "annotator-b"
OUT = ROOT / "agreement" / "tbaq-test"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--details", help="also write the per-article reports here (outside the project)"
    )
    args = p.parse_args(argv)

    from harness.annotate.agree_corpus import agree_corpus, format_corpus
    from harness.extraction.atomic import write_text_atomic
    from harness.gold.collections import load_collections
    from harness.gold.standoff import overlay

    (coll,) = [c for c in load_collections(ROOT / "collections.yaml") if c.name == "tbaq-test"]
    reason = coll.absent_reason()
    if reason is not None:
        print(f"tbaq-test agreement: {reason}", file=sys.stderr)
        return 2
    first = coll.annotations()  # the import merged with the first annotation
    imported = next(
        p for p in first.parent.parent.glob("tbaq-test-*") if (p / "import.json").is_file()
    )
    ids = sorted(p.stem for p in SECOND.glob("*.yaml") if p.name != "clusters.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        overlay(imported, SECOND, Path(tmp) / "b")
        a = Path(tmp) / "a"
        (a / "annotations").mkdir(parents=True)
        (a / "seeds").mkdir()
        for i in ids:
            shutil.copy(first / f"{i}.yaml", a / "annotations" / f"{i}.yaml")
            shutil.copy(first.parent / "seeds" / f"{i}.txt", a / "seeds" / f"{i}.txt")
        shutil.copy(first / "clusters.yaml", a / "annotations" / "clusters.yaml")
        cwd = Path.cwd()
        os.chdir(tmp)  # seed paths in the merged files are relative to their corpus root
        try:
            result = agree_corpus(
                Path("a/annotations"), Path("b/annotations"), Path("a/annotations")
            )
        finally:
            os.chdir(cwd)
        text = format_corpus(result).replace("a/annotations", "annotations/tbaq-test")
        text = text.replace("b/annotations", "agreement/tbaq-test/annotator-b")
        if args.details:
            from harness.annotate.agree_report import format_agreement

            details = Path(args.details)
            details.mkdir(parents=True, exist_ok=True)
            for name, r in zip(ids, result["articles"], strict=True):  # both sorted by name
                write_text_atomic(details / f"{name}.md", format_agreement(r))
    header = (
        "# Agreement on the claims test split (six articles, independent second annotation)\n\n"
        "Written by `scripts/agreement_test_split.py`. The timexes of both annotations are the "
        "imported TimeML gold, so the timex and DCT rows agree by construction; the claim, "
        "claimant, date and cluster rows are the annotators' own.\n\n"
    )
    write_text_atomic(OUT / "report.md", header + text)
    write_text_atomic(
        OUT / "report.json",
        json.dumps({"ids": ids, "micro": result["micro"]}, indent=2, ensure_ascii=False) + "\n",
    )
    print(header + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
