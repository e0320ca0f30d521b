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
    from harness.extraction.api import PredictedClaim, PredictedTimex
    from harness.extraction.predictions import Predictions

    claims = {
        d.doc_id: tuple(
            PredictedClaim(d.doc_id, c.text, c.start, c.end, c.claimant, c.date) for c in d.claims
        )
        for d in corpus
    }
    timexes = {
        d.doc_id: tuple(
            PredictedTimex(d.doc_id, t.start, t.end, t.text, t.type, t.value) for t in d.timexes
        )
        for d in corpus
    }
    return Predictions(claims, timexes)
