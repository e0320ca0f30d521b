"""Catalogue: the date tagger, resolvers and stamp detector run in linear time (issue 8, point 6).

A relative budget, not a wall-clock one: each case times the same shape of input at 10 KB and at
100 KB (best of three) and requires the large one to cost at most ``FACTOR`` times the small one.
Linear code costs about 10x; a quadratic pattern costs about 100x and fails. Each case runs in a
child process with a deadline, so a catastrophic pattern fails the case instead of hanging the
suite. Each case is named ``<input shape>__linear``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.catalogue.conftest import ROOT

#: Linear is about 10x, quadratic about 100x; 50 leaves room for a loaded machine (a tagger case
#: measured 34x once while other test suites ran on both cores) and still fails a quadratic one.
FACTOR = 50
FLOOR = 0.005  # seconds: below this the small input's time is noise

CHILD = r"""
import json, sys, time
kind, head, unit, tail = sys.argv[1:5]
from harness.dates.resolve import get_resolver
from harness.dates.stamps import detect_dct
from harness.dates.tagger import find_timexes

def run(text):
    if kind == "rules":
        return get_resolver("rules").resolve(text, "2023-09-05", text[:300])
    if kind == "tagger":
        return find_timexes(text)
    return detect_dct(text)

out = []
for n in (10_000, 100_000):
    best = None
    for i in range(3):
        body = (unit * (n // len(unit) + 1))[: n - len(head) - len(tail) - 1]
        text = head + body + tail + str(i)
        t = time.perf_counter()
        run(text)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    out.append(best)
print(json.dumps(out))
"""

CASES = [
    ("rules", "", " ", "x"),  # the clean-up's dash pattern: 100,000 spaces took 99 s
    ("rules", "", " \t\n", "—"),
    ("rules", "", " ", "– x"),
    ("rules", "", "late ", "2019"),  # stacked period modifiers: quadratic, then RecursionError
    ("rules", "", "the end of ", "2019"),
    ("rules", "", "1 ", "days"),
    ("rules", "", "on ", "Monday"),
    ("tagger", "", " ", "x"),
    ("tagger", "", " – ", "2019"),
    ("tagger", "", "1 ", "x"),
    ("tagger", "", "Monday ", "x"),
    ("tagger", "", "2019 ", "x"),
    ("stamps", "", " ", "5 Sep 2023"),
    ("stamps", "", "date ", "5 Sep 2023"),
    ("stamps", "date", " ", "x 5 Sep 2023"),  # the keyword's \s*:?\s*: 20,000 spaces took 50 s
    ("stamps", "date", " ", ": x 5 Sep 2023"),
    ("stamps", "", "Published: ", "x"),
]


@pytest.mark.parametrize(
    ("kind", "head", "unit", "tail"),
    CASES,
    ids=[f"{k}-{h}{u.strip() or repr(u)}-{t}" for k, h, u, t in CASES],
)
def test_input_shape__linear(kind: str, head: str, unit: str, tail: str) -> None:
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, kind, head, unit, tail],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{kind} on {unit!r} x 100 KB did not finish in 180 s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    small, large = json.loads(proc.stdout)
    assert large <= FACTOR * max(small, FLOOR), (
        f"{kind} on {unit!r}: 10 KB {small:.4f} s, 100 KB {large:.4f} s "
        f"(ratio {large / max(small, 1e-9):.0f}; linear is about 10)"
    )
