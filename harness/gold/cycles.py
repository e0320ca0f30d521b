"""Pause Python's cycle collector over a stage that builds many objects and no reference cycles.

CPython's cyclic garbage collector runs after every few hundred new container objects, and each
full collection walks every object alive, so a stage that builds a large structure pays for it
again and again as the structure grows. Loading a corpus builds hundreds of dicts, lists and
records per annotation file and keeps them; in one timing of ``load_corpus`` on 10,000
synthetic articles, the collector took 9.8 of 41 s, in 135 full collections that found nothing
to free. Loading makes no reference cycles (``tests/test_cycles.py`` checks that the collector
finds nothing after it), so pausing the collector frees no memory later than it would have been
freed anyway: objects without cycles are freed by reference counting, which the pause does not
touch.

A stage that runs code the project does not control (an extractor plugin, which may well make
cycles) cannot pause the collector. :func:`alive_objects_frozen` lets it skip, instead, what was
alive when the stage began (the corpus, above all), which every full collection would otherwise
walk again to find nothing; the stage's own cycles are collected as always.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_frozen_depth = 0


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Disable the cycle collector inside the block; restore its previous state on the way out.

    Nested and re-entrant use is safe: only the outermost block that found the collector enabled
    enables it again, and it does so whether the block returns or raises.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def alive_objects_frozen() -> Iterator[None]:
    """Inside the block, the cycle collector passes over every object alive at its start
    (:func:`gc.freeze`); they are handed back to it on the way out (:func:`gc.unfreeze`).

    Objects made inside the block are collected as usual, cycles included. A frozen object that
    becomes garbage in a cycle inside the block is freed after it. Nested use is safe: only the
    outermost block freezes and hands back.
    """
    global _frozen_depth
    if _frozen_depth == 0:
        gc.freeze()
    _frozen_depth += 1
    try:
        yield
    finally:
        _frozen_depth -= 1
        if _frozen_depth == 0:
            gc.unfreeze()
