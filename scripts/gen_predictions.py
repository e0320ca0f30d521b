"""Generate a large predictions file for the scoring benchmark: the gold, repeated with jitter.

    python scripts/gen_predictions.py --lines 1000000 --out /tmp/preds.jsonl [--seed 0]

Each line is a gold claim or timex (from ``harness export --format predictions``) with its span
moved by a few characters and clipped to the document, so that most lines still overlap a gold
span (the matcher's worst case: every prediction is a candidate) and a few are exact repeats
(duplicates). The seed is fixed and printed; the same arguments give the same file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=100_000, help="lines to write (default: 100000)")
    ap.add_argument("--out", required=True, help="predictions file to write")
    ap.add_argument("--gold", default=str(ROOT / "annotations"), help="annotations directory")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = ap.parse_args(argv)

    from harness.extraction.predictions import claim_record, gold_predictions, timex_record
    from harness.gold.corpus import load_corpus

    corpus = load_corpus(args.gold)
    base: list[tuple[dict, int]] = []
    for d in corpus.documents:
        claims, timexes = gold_predictions(d)
        for c in claims:  # no date_text; the confidence is drawn below, in the same key order
            rec = claim_record(c)
            del rec["date_text"], rec["confidence"]
            base.append((rec, len(d.text)))
        base += [({"doc_id": d.doc_id, **timex_record(t)}, len(d.text)) for t in timexes]
    rng = random.Random(args.seed)
    with open(args.out, "w", encoding="utf-8") as fh:
        for i in range(args.lines):
            rec, n = base[i % len(base)]
            rec = dict(rec)
            if rec.get("start") is not None:
                s = min(max(0, rec["start"] + rng.randint(-20, 20)), n - 1)
                e = min(max(s + 1, rec["end"] + rng.randint(-20, 20)), n)
                rec["start"], rec["end"] = s, e
            if rec.get("kind") != "timex":
                rec["confidence"] = round(rng.random(), 3)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {args.lines} lines to {args.out} (seed {args.seed})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
