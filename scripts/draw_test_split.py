"""Draw the claims test split from TimeBank + AQUAINT: a seeded random sample stratified by outlet.

The draw is made once, before any annotation, and its output is committed
(`annotations/tbaq-test/DRAW.md`) so that anyone with the same copy of TempEval-3 can check it:

    python scripts/draw_test_split.py --tbaq ../shared/data/tbaq

How it draws, so the sample excludes nothing by content:

1. Every ``*.tml`` file under ``TimeBank/`` and ``AQUAINT/`` is a candidate, named by its display
   path (``TimeBank/wsj_0006.tml``); the list is sorted, so the file system's order does not matter.
2. Candidates are grouped by outlet, from the file name as the TimeML importer reads it
   (`harness.gold.timeml.outlet_for`); files with no known outlet form their own stratum.
3. Each stratum gets a share of ``--size`` proportional to its size (largest remainder, ties broken
   by stratum name), and at least one document when the stratum has at least ``--min-stratum``
   files; the extra documents are taken from the largest strata's shares.
4. Within a stratum, documents are drawn without replacement by ``numpy.random.default_rng(seed)``
   permuting the sorted list, one generator per stratum seeded with ``[seed, index of stratum]``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

SEED = 20131
SIZE = 32
MIN_STRATUM = 3


def allocate(sizes: dict[str, int], total: int, min_stratum: int) -> dict[str, int]:
    """Proportional allocation with largest remainders and a floor of one for big-enough strata."""
    n = sum(sizes.values())
    exact = {k: total * v / n for k, v in sizes.items()}
    share = {k: int(x) for k, x in exact.items()}
    left = total - sum(share.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - share[k]), k))[:left]:
        share[k] += 1
    for k in sorted(sizes):
        if share[k] == 0 and sizes[k] >= min_stratum:
            share[k] = 1
            donor = max((d for d in share if share[d] > 1), key=lambda d: (share[d], d))
            share[donor] -= 1
    return share


def draw(tbaq: Path, seed: int, size: int, min_stratum: int) -> tuple[dict, dict[str, int]]:
    import numpy as np

    from harness.gold.timeml import outlet_for, timeml_files

    files = timeml_files([tbaq / "TimeBank", tbaq / "AQUAINT"])
    strata: dict[str, list[tuple[str, Path]]] = {}
    for path, display in sorted(files, key=lambda f: f[1]):
        outlet, _ = outlet_for(path.name)
        strata.setdefault(outlet or "(unknown)", []).append((display, path))
    share = allocate({k: len(v) for k, v in strata.items()}, size, min_stratum)
    chosen: dict[str, list[tuple[str, str]]] = {}
    for index, name in enumerate(sorted(strata)):
        rng = np.random.default_rng([seed, index])
        order = rng.permutation(len(strata[name]))[: share[name]]
        picked = sorted(strata[name][i] for i in order)
        chosen[name] = [(d, hashlib.sha256(p.read_bytes()).hexdigest()) for d, p in picked]
    return chosen, {k: len(v) for k, v in strata.items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tbaq", required=True, help="the TempEval-3 TBAQ directory")
    p.add_argument("--seed", type=int, default=SEED, help="random seed (default %(default)s)")
    p.add_argument("--size", type=int, default=SIZE, help="documents (default %(default)s)")
    p.add_argument("--min-stratum", type=int, default=MIN_STRATUM, help="default %(default)s")
    args = p.parse_args(argv)
    tbaq = Path(args.tbaq)
    if not (tbaq / "TimeBank").is_dir() or not (tbaq / "AQUAINT").is_dir():
        print(f"error: {tbaq} has no TimeBank/ and AQUAINT/ directories", file=sys.stderr)
        return 2
    chosen, sizes = draw(tbaq, args.seed, args.size, args.min_stratum)
    print(f"seed {args.seed}, size {args.size}, min stratum {args.min_stratum}")
    print("| outlet | files | drawn |\n| --- | ---: | ---: |")
    for name in sorted(sizes):
        print(f"| {name} | {sizes[name]} | {len(chosen[name])} |")
    print("\n| file | outlet | sha256 of the .tml file |\n| --- | --- | --- |")
    for name in sorted(chosen):
        for display, digest in chosen[name]:
            print(f"| {display} | {name} | {digest} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
