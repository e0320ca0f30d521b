"""The extractor interface and its records.

An extractor implements one method, :meth:`Extractor.extract`, from a :class:`Document` (raw text,
id and, unless the DCT must be detected, the publication date) to an :class:`Extraction`. The
harness does the rest: running, timing, writing predictions, scoring. Extractors are found by name
in :mod:`harness.extraction.registry`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Document:
    """What an extractor sees: the raw seed text, its id, and the DCT (None in ``--dct detect``)."""

    doc_id: str
    text: str
    dct: str | None = None


@dataclass(frozen=True)
class PredictedClaim:
    """One predicted claim, as in the predictions JSONL (see README, "Predictions format")."""

    doc_id: str
    text: str
    start: int | None = None
    end: int | None = None
    claimant: str | None = None
    date: str | None = None
    date_text: str | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class PredictedTimex:
    """One predicted temporal expression, for the timex track."""

    doc_id: str
    start: int
    end: int
    text: str
    type: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Extraction:
    """An extractor's output for one document.

    ``error`` is set, and the lists are empty, when the extractor could not produce a valid answer
    for this document (an unparsable LLM reply, say): the run goes on and the error is recorded.
    ``dct`` is the DCT the extractor detected (``--dct detect``) or was given.
    ``usage`` holds per-document facts worth logging (tokens, latency, cache hits).
    """

    claims: tuple[PredictedClaim, ...] = ()
    timexes: tuple[PredictedTimex, ...] = ()
    dct: str | None = None
    error: str | None = None
    usage: Mapping[str, Any] = field(default_factory=dict)


class ExtractorUnavailable(RuntimeError):
    """The extractor cannot run here; the message says why and how to enable it."""


class Extractor(ABC):
    """Base class of every extractor. Subclasses set ``name`` and implement :meth:`extract`."""

    name: ClassVar[str] = "unnamed"
    #: Short human description shown by ``harness list``.
    description: ClassVar[str] = ""
    #: Modules or packages outside the extractor's own package whose code shapes its predictions
    #: (e.g. ``"harness.dates"`` for the shared tagger and resolvers). Their sources join the
    #: extractor's own in the resume key, so an edit to them never reuses old predictions.
    code_dependencies: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config: dict[str, Any] = dict(config or {})

    @classmethod
    def unavailable_reason(cls, config: Mapping[str, Any] | None = None) -> str | None:
        """Why this extractor cannot run here (missing model, no endpoint), or None if it can."""
        return None

    def signature(self) -> dict[str, Any]:
        """What to record in results so that a run can be reproduced: name, configuration, models."""
        return {"name": self.name, "config": dict(self.config)}

    @abstractmethod
    def extract(self, doc: Document) -> Extraction | Sequence[PredictedClaim]:
        """Predict the claims (and optionally timexes) of one document."""

    def extract_batch(self, docs: Iterable[Document]) -> list[Extraction]:
        """Predict for several documents; override to batch requests."""
        return [as_extraction(self.extract(d), d) for d in docs]


def as_extraction(result: Extraction | Sequence[PredictedClaim], doc: Document) -> Extraction:
    """Accept a bare list of claims from simple extractors."""
    if isinstance(result, Extraction):
        return result
    return Extraction(claims=tuple(result), dct=doc.dct)
