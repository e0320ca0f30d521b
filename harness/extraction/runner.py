"""Running extractors: each one's configuration, whether it can run here, and a run over a corpus
in which an exception on one document is recorded for that document, never fatal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.extraction.api import (
    Document,
    Extraction,
    Extractor,
    as_extraction,
)
from harness.extraction.journal import RunJournal, _doc_hash, resume_key
from harness.extraction.predictions import (
    Predictions,
)
from harness.extraction.progress import progress_display
from harness.extraction.registry import available_names, default_config_dir, load_extractor_class
from harness.gold import timex as tx
from harness.gold.corpus import Corpus, GoldDocument
from harness.gold.cycles import alive_objects_frozen
from harness.gold.spill import SpilledMapping
from harness.gold.yamlio import YamlError, load_yaml

# --- extractors -----------------------------------------------------------------------------------


def load_extractor_config(name: str, config_dir: str | Path | None) -> dict[str, Any]:
    """The extractor's YAML configuration (``<config_dir>/<name>.yaml``), or {} if there is none.

    Without ``config_dir``, the ``configs/`` folder beside the extractor's module.
    """
    folder = Path(config_dir) if config_dir else default_config_dir(name)
    if folder is None:
        return {}
    path = folder / f"{name}.yaml"
    if not path.exists():
        return {}
    data = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise YamlError(str(path), 1, "an extractor configuration must be a mapping")
    return dict(data)


def extractor_status(config_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """Every registered extractor with whether it can run here and, if not, why."""
    rows = []
    for name, target in sorted(available_names().items()):
        row: dict[str, Any] = {"name": name, "target": target, "available": False, "reason": None}
        try:
            cls = load_extractor_class(name)
            reason = cls.unavailable_reason(load_extractor_config(name, config_dir))
        except Exception as exc:  # a broken plug-in must not break the listing
            reason = f"not run: cannot load {target}: {type(exc).__name__}: {exc}"
        row["available"] = reason is None
        row["reason"] = reason
        rows.append(row)
    return rows


def _not_run(reason: str) -> str:
    return reason if reason.startswith("not run") else f"not run: {reason}"


@dataclass(frozen=True)
class ExtractionFailure:
    """An exception raised by an extractor on one document, as text (it travels between processes)."""

    reason: str


#: One document's outcome: its id and the extraction, or the failure that replaced it.
DocResult = tuple[str, "Extraction | ExtractionFailure"]

BACKENDS = ("loky", "dask")


def extract_document(extractor: Extractor, doc: Document) -> DocResult:
    """Run ``extractor`` on one document: the single per-document step, in-process or in a worker.

    An exception becomes an :class:`ExtractionFailure` (the run goes on); an extractor's own
    recorded error (``Extraction.error``, an invalid LLM answer say) stays an Extraction.
    """
    try:
        ex = as_extraction(extractor.extract(doc), doc)
    except Exception as exc:
        return doc.doc_id, ExtractionFailure(f"{type(exc).__name__}: {exc}")
    bad = [c for c in ex.claims if c.doc_id != doc.doc_id]
    if bad:
        return doc.doc_id, ExtractionFailure(
            f"extractor returned claims for another document ({bad[0].doc_id})"
        )
    return doc.doc_id, ex


#: Extractors built in a worker process, by registry name and configuration: built once per
#: process, not once per batch (a spaCy model takes seconds to load).
_WORKER_EXTRACTORS: dict[str, Extractor] = {}


def _extract_batch(
    name: str, config: Mapping[str, Any], docs: Sequence[Document]
) -> list[DocResult]:
    """What a worker runs: build (or reuse) the extractor from its name and configuration, then
    extract each document of the batch. Only the name, the configuration and the documents travel
    to the worker; predictions come back, and scoring and writing stay with the caller."""
    key = f"{name}\0{json.dumps(config, sort_keys=True, default=str)}"
    extractor = _WORKER_EXTRACTORS.get(key)
    if extractor is None:
        extractor = load_extractor_class(name)(dict(config))
        _WORKER_EXTRACTORS[key] = extractor
    with alive_objects_frozen():  # as in the caller's process: see run_extractor
        return [extract_document(extractor, d) for d in docs]


# --- the run --------------------------------------------------------------------------------------


def _batches(docs: Sequence[Document], workers: int) -> Iterator[list[Document]]:
    """Batches small enough to balance the workers, large enough to keep overhead low; made as
    they are sent, so only the batches in flight are in memory."""
    size = max(1, min(64, len(docs) // (workers * 8) or 1))
    return (list(docs[i : i + size]) for i in range(0, len(docs), size))


class _Pending(Sequence[Document]):
    """The documents at ``positions`` of ``corpus`` as the extractor sees them, built on access
    (the corpus may be on disk: see :mod:`harness.gold.spill`). With ``hashes``, each document
    built puts its :func:`_doc_hash` there, for the journal, so no pass reads them all first."""

    def __init__(
        self,
        corpus: Corpus,
        positions: Sequence[int],
        dct_mode: str,
        hashes: dict[str, str] | None = None,
    ) -> None:
        self.corpus, self.positions, self.dct_mode = corpus, positions, dct_mode
        self.hashes = hashes

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        doc = _document(self.corpus.documents[self.positions[i]], self.dct_mode)
        if self.hashes is not None:
            self.hashes[doc.doc_id] = _doc_hash(doc)
        return doc


def _document(d: GoldDocument, dct_mode: str) -> Document:
    return Document(d.doc_id, d.text, d.published.value if dct_mode == "gold" else None)


def _results(
    extractor: Extractor,
    docs: Sequence[Document],
    name: str,
    config: Mapping[str, Any],
    workers: int,
    backend: str,
    scheduler: str | None,
) -> Iterator[list[DocResult]]:
    """Batches of per-document results, in document order, from the chosen backend."""
    if workers <= 1 and backend == "loky":
        for doc in docs:
            yield [extract_document(extractor, doc)]
        return
    from joblib import Parallel, delayed, parallel_config

    batches = _batches(docs, max(workers, 1))
    jobs = (delayed(_extract_batch)(name, dict(config), b) for b in batches)
    if backend == "loky":
        yield from Parallel(n_jobs=workers, backend="loky", return_as="generator")(jobs)
        return
    try:
        from dask.distributed import Client
    except ImportError:
        raise ValueError(
            "--backend dask needs dask.distributed; hint: pip install 'claim-harness[dask]'"
        ) from None
    client = _dask_client(Client, scheduler, workers)
    try:
        with parallel_config(backend="dask"):
            yield from Parallel(n_jobs=-1, return_as="generator")(jobs)
    finally:
        client.close()


def _dask_client(client_class: Any, scheduler: str | None, workers: int) -> Any:
    """A ``dask.distributed`` client of the scheduler at ``scheduler``, or of a local cluster of
    ``workers`` processes; an address dask cannot read, a scheduler that does not answer (within
    dask's connect timeout, ``distributed.comm.timeouts.connect``) or a local cluster that cannot
    start is a ValueError that says which and what to do."""
    try:
        if scheduler:
            return client_class(scheduler)
        return client_class(n_workers=workers, threads_per_worker=1)
    except ValueError as exc:
        raise ValueError(
            f"--scheduler {scheduler!r}: not a scheduler address ({exc}); hint: give the address "
            "that 'dask scheduler' prints, such as tcp://10.0.0.5:8786"
        ) from None
    except OSError as exc:
        if not scheduler:
            raise ValueError(
                f"a local dask cluster of {workers} workers could not start ({exc}); hint: "
                "run with the default backend (--backend loky), or give --scheduler"
            ) from None
        raise ValueError(
            f"--scheduler {scheduler}: no dask scheduler answered ({exc}); hint: start one with "
            "'dask scheduler' on that machine and check the address, the port and any firewall "
            "between, or leave out --scheduler to start a local cluster"
        ) from None


def run_extractor(
    extractor: Extractor,
    corpus: Corpus,
    dct_mode: str,
    progress: bool,
    *,
    name: str | None = None,
    config: Mapping[str, Any] | None = None,
    workers: int = 1,
    backend: str = "loky",
    scheduler: str | None = None,
    resume_dir: str | Path | None = None,
) -> tuple[Predictions, dict[str, Any]]:
    """Run one extractor over every document; an exception on one document is recorded, not fatal.

    ``workers`` > 1 runs batches of documents in that many processes (joblib's loky backend);
    ``backend="dask"`` sends them to a ``dask.distributed`` scheduler (``scheduler``, an address
    such as ``tcp://host:8786``; without one, a local cluster of ``workers`` processes). Workers
    rebuild the extractor from ``name`` (its registry name) and ``config``; results come back in
    document order, so the predictions are the same whatever the backend. With ``resume_dir``,
    documents already journalled there under the same :func:`resume_key` are not recomputed.
    """
    from tqdm import tqdm

    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    name = name or extractor.name
    config = dict(extractor.config if config is None else config)
    ids = corpus.doc_ids
    journal = (
        RunJournal(resume_dir, name, resume_key(name, extractor, dct_mode)) if resume_dir else None
    )
    # journalled outcomes still valid for their document (same text and DCT), on disk beyond a
    # budget (harness.gold.spill); only these documents are read to check them
    reused: SpilledMapping[Extraction] = SpilledMapping()
    if journal is not None:
        at = {doc_id: i for i, doc_id in enumerate(ids)}
        for doc_id, (h, ex) in journal.load().items():
            i = at.get(doc_id)
            if i is not None and _doc_hash(_document(corpus.documents[i], dct_mode)) == h:
                reused[doc_id] = ex
    hashes: dict[str, str] | None = {} if journal is not None else None
    todo = _Pending(corpus, [i for i, d in enumerate(ids) if d not in reused], dct_mode, hashes)
    # a bar on a terminal; plain lines where stderr is a file or a pipe (harness.extraction.progress)
    bar = progress_display(len(ids), len(ids) - len(todo), name, progress, sys.stderr)
    if journal is not None and len(todo) < len(ids):
        tqdm.write(f"{name}: resuming, {len(ids) - len(todo)} of {len(ids)} documents already "
                   f"extracted ({journal.path})", file=sys.stderr)  # fmt: skip
    fh = journal.open() if journal is not None and todo else None

    def extracted() -> Iterator[DocResult]:
        """The outcomes of ``todo``, in its order, journalled and counted as they come."""
        for batch in _results(extractor, todo, name, config, workers, backend, scheduler):
            for doc_id, result in batch:
                h = hashes.pop(doc_id) if hashes is not None else ""
                if fh is not None and isinstance(result, Extraction) and result.error is None:
                    journal.record(fh, doc_id, h, result)  # type: ignore[union-attr]
                yield doc_id, result
            bar.update(len(batch))

    def in_corpus_order() -> Iterator[DocResult]:
        """Every document's outcome in corpus order: reused ones and extracted ones merged
        (``todo`` keeps corpus order, and every backend gives its results in that order)."""
        fresh = extracted()
        for doc_id in ids:
            if doc_id in reused:
                yield doc_id, reused[doc_id]
                continue
            got, result = next(fresh)
            if got != doc_id:  # pragma: no cover - a backend that reorders results
                raise RuntimeError(f"extraction results out of order: {got} for {doc_id}")
            yield got, result
        # run the backend to its end: the bar counts the last batch, the backend finishes cleanly
        for got, _result in fresh:  # pragma: no cover - a backend with a result too many
            raise RuntimeError(f"an extraction result for no pending document: {got}")

    # log records emitted while the bar is drawn are written above it (tqdm.write), not through it
    from tqdm.contrib.logging import logging_redirect_tqdm

    try:
        # the collector skips what was alive before the run (the corpus above all): a full
        # collection walked all of it again and again while the extractor made its objects
        with logging_redirect_tqdm(), alive_objects_frozen():
            # predictions and the log are made as the outcomes come: none is held or read twice
            return collect(in_corpus_order(), corpus, dct_mode)
    finally:
        bar.close()
        if fh is not None:
            fh.close()


def collect(
    outcomes: Iterable[DocResult], corpus: Corpus, dct_mode: str
) -> tuple[Predictions, dict[str, Any]]:
    """Predictions and the per-document log, in the order of ``outcomes`` (each document's id
    and its extraction or failure), made as they come; the predictions are kept on disk
    beyond a budget (:mod:`harness.gold.spill`)."""
    claims: SpilledMapping[tuple] = SpilledMapping()
    timexes: SpilledMapping[tuple] = SpilledMapping()
    log: dict[str, Any] = {}
    any_timex = False
    for doc_id, outcome in outcomes:
        ex = outcome if isinstance(outcome, Extraction) else Extraction(error=outcome.reason)
        claims[doc_id] = tuple(ex.claims)
        timexes[doc_id] = tuple(ex.timexes)
        any_timex = any_timex or bool(ex.timexes)
        log[doc_id] = {
            "error": ex.error,
            "dct": ex.dct,
            "dct_correct": None
            if dct_mode == "gold" or ex.dct is None
            else tx.equal(ex.dct[:10], corpus.get(doc_id).published.value[:10]),
            "n_claims": len(ex.claims),
            "n_timexes": len(ex.timexes),
            "usage": dict(ex.usage),
        }
    return Predictions(claims=claims, timexes=timexes if any_timex else None), log


# --- failures -------------------------------------------------------------------------------------


def _cut(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def failed_documents(log: dict[str, Any]) -> list[tuple[str, str]]:
    """(doc_id, error) of every document the extractor failed on, in corpus order."""
    return [(doc_id, entry["error"]) for doc_id, entry in log.items() if entry.get("error")]


def run_status(log: dict[str, Any], n_documents: int) -> str:
    """``ok``, ``partial (k/N documents failed: first error ...)`` or ``failed (N/N documents:
    first error ...)``, followed after ``;`` by the full first error and where every reason is.

    A table cell shows the part before the first ``;`` (:func:`short_status`), so that part holds
    no ``;`` and cuts the first error short; the notes and stderr show the whole string.
    """
    failed = failed_documents(log)
    if not failed:
        return "ok"
    first_doc, first = failed[0]
    brief = _cut(first, 60).replace(";", ",")
    if len(failed) >= n_documents:
        head = f"failed ({len(failed)}/{n_documents} documents: {brief})"
        tail = "left out of the comparisons and drawn as a gap in the chart"
    else:
        head = f"partial ({len(failed)}/{n_documents} documents failed: {brief})"
        tail = (
            "the failed documents count as documents with no predictions (their gold claims "
            "are misses)"
        )
    return (
        f"{head}; first error (document {first_doc}): {_cut(first, 300)}; {tail}; every "
        "reason is in its errors.md"
    )


def is_failed(status: str) -> bool:
    """Whether a run failed on every document (no predictions to score)."""
    return status.startswith("failed (")


def is_partial(status: str) -> bool:
    return status.startswith("partial (")
