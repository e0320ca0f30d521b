"""Build a synthetic corpus for scale measurements: N copies of the gold under new ids.

    python scripts/synth_corpus.py --docs 1000 --out /tmp/synth

Each copy of a seed ``<id>.txt`` becomes ``seeds/<id>_c<k>.txt``: the same bytes followed by one
line holding the new id, because the corpus refuses two annotation files for one text; every
offset is unchanged. Its annotation ``annotations/<id>_c<k>.yaml`` changes only ``id``, ``source``
and ``sha256``, so every quote, value and cluster still checks. ``clusters.yaml`` is copied as is. ``--docs`` counts documents, so 1,000
documents from five seeds are 200 copies of each. The output is deterministic and valid for
``harness validate --annotations OUT/annotations``. It is a measuring tool, not a data set: the
copies say nothing new.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(out: Path, docs: int, source: Path = ROOT) -> Path:
    """Write ``docs`` documents under ``out`` (annotations/ and seeds/); return the annotations dir.

    ``out`` must not exist yet or be empty, so that a stale corpus is never measured by mistake.
    """
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out}: not empty; hint: give a new directory")
    ann_in = source / "annotations"
    originals = sorted(p for p in ann_in.glob("*.yaml") if p.name != "clusters.yaml")
    if not originals:
        raise SystemExit(f"{ann_in}: no annotation files")
    ann_out, seeds_out = out / "annotations", out / "seeds"
    ann_out.mkdir(parents=True)
    seeds_out.mkdir()
    if (ann_in / "clusters.yaml").exists():
        shutil.copyfile(ann_in / "clusters.yaml", ann_out / "clusters.yaml")
    texts = {p: p.read_text(encoding="utf-8") for p in originals}
    width = len(str(docs))
    seed_bytes: dict[Path, bytes] = {}
    for i in range(docs):
        path = originals[i % len(originals)]
        text = texts[path]
        old_id = path.stem
        new_id = f"{old_id}_c{i // len(originals):0{width}d}"
        src = re.search(r"^source:\s*(\S+)\s*$", text, re.M)
        if src is None:
            raise SystemExit(f"{path}: no 'source:' line")
        seed = seed_bytes.setdefault(path, (source / src.group(1)).read_bytes())
        copy = seed + (b"" if seed.endswith(b"\n") else b"\n") + f"{new_id}\n".encode()
        (seeds_out / f"{new_id}.txt").write_bytes(copy)
        body = re.sub(r"^id:.*$", f"id: {new_id}", text, count=1, flags=re.M)
        body = re.sub(r"^source:.*$", f"source: seeds/{new_id}.txt", body, count=1, flags=re.M)
        body = re.sub(
            r"^sha256:.*$",
            f"sha256: {hashlib.sha256(copy).hexdigest()}",
            body,
            count=1,
            flags=re.M,
        )
        (ann_out / f"{new_id}.yaml").write_text(body, encoding="utf-8")
    return ann_out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000)")
    ap.add_argument("--out", type=Path, required=True, help="new directory to write into")
    args = ap.parse_args()
    ann = build(args.out, args.docs)
    print(f"{args.docs} documents in {ann}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
