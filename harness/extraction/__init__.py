"""Extraction: the extractor interface and its records, the registry, prediction files.

Imports only :mod:`harness.gold` and :mod:`harness.dates`. Extractors register through entry
points (:mod:`harness.extraction.registry`); nothing here names one. The interface and the
registry are re-exported here (``from harness.extraction import Extractor``); the old path
``harness.extract`` is this package.
"""

from harness.extraction.api import (
    Document,
    Extraction,
    Extractor,
    ExtractorUnavailable,
    PredictedClaim,
    PredictedTimex,
    as_extraction,
)
from harness.extraction.registry import (
    ENTRY_POINT_GROUP,
    available_names,
    load_extractor_class,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "Document",
    "Extraction",
    "Extractor",
    "ExtractorUnavailable",
    "PredictedClaim",
    "PredictedTimex",
    "as_extraction",
    "available_names",
    "load_extractor_class",
]
