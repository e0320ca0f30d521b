"""Shared fixtures: the gold corpus, the two-document mini corpus used by METRICS.md."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture(scope="session")
def gold_corpus():
    from harness.gold.corpus import load_corpus

    return load_corpus(ROOT / "annotations")


@pytest.fixture(scope="session")
def rules():
    """The rule resolver (stateless, so one instance serves every resolver test)."""
    from harness.dates.resolve import RuleResolver

    return RuleResolver()


@pytest.fixture(scope="session")
def mini_corpus():
    from harness.gold.corpus import load_corpus

    return load_corpus(MINI / "annotations")


def gold_as_predictions(corpus):
    """The gold claims and timexes of ``corpus`` as a Predictions object."""
    from harness.extraction.predictions import Predictions, gold_predictions

    both = {d.doc_id: gold_predictions(d) for d in corpus}
    return Predictions({k: c for k, (c, _) in both.items()}, {k: t for k, (_, t) in both.items()})
