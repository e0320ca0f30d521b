"""Validation of annotation files, and construction of the corpus records from them.

Every check reports a :class:`Problem` naming the file, the line, the record id and the field, what
is wrong and how to fix it. Loading (:func:`harness.corpus.load_corpus`) and ``harness validate``
run the same code, so a corpus that loads is a corpus that validates.

The schema and :class:`Problem` are in :mod:`harness.gold.schema`, quote location in
:mod:`harness.gold.quotes`, the record checks in :mod:`harness.gold.checks`; this module checks a
file and the whole corpus, and re-exports the names other modules use. Writing derived fields
back (``harness validate --fix``) is an annotation tool: :mod:`harness.annotate.fix`.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from harness.gold.checks import (
    _check_claims,
    _check_metadata,
    _check_published,
    _check_timeml,
    _check_timexes,
    _display,
)
from harness.gold.cycles import cycle_collector_paused
from harness.gold.files import (
    ANNOTATION_SUFFIX,
    annotation_files,
    misnamed_files,
    named_files,
    not_regular_problem,
    outside_problem,
    outside_project,
)
from harness.gold.quotes import diagnose_missing_quote, find_all, locate_quote
from harness.gold.records import Corpus, GoldDocument, Resolver, corpus_hash
from harness.gold.schema import (
    CLUSTERS_FILE,
    DOC_SCHEMA,
    TIMEML_GUIDELINES,
    Problem,
    _check_schema,
    _Reporter,
)
from harness.gold.seeds import SeedPathError, read_seed
from harness.gold.spill import SpilledSequence
from harness.gold.yamlfast import NOT_FAST, fast_load
from harness.gold.yamlio import YamlError, load_yaml, short


@dataclass
class ValidationResult:
    corpus: Corpus
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        status = "OK" if not self.problems else f"{len(self.problems)} problem(s)"
        return f"{status}: {self.corpus.summary()}"


# --- one file ----------------------------------------------------------------------------------


def check_file(
    path: Path, root: Path, clusters: Mapping[str, str] | None, resolve: Resolver | None = None
) -> tuple[GoldDocument | None, list[Problem]]:
    """Validate one annotation file; return its document (None if unusable) and its problems.

    The file is read by :func:`~harness.gold.yamlfast.fast_load` where that reading vouches for
    its value; a file with any problem is checked again from yamlio's reading, whose values are
    the same and whose lines the messages name. ``resolve``: see :func:`read_seed`.
    """
    name = _display(path, root, resolve or Path.resolve)
    data = fast_load(path)
    if data is not NOT_FAST:
        doc, problems = _check_data(path, root, clusters, name, data, resolve)
        if not problems:
            return doc, problems
    try:
        data = load_yaml(path)
    except YamlError as exc:
        rep = _Reporter(name)
        rep.add(exc.line, None, None, exc.message)
        return None, rep.problems
    return _check_data(path, root, clusters, name, data, resolve)


def _check_data(
    path: Path,
    root: Path,
    clusters: Mapping[str, str] | None,
    name: str,
    data: Any,
    resolve: Resolver | None = None,
) -> tuple[GoldDocument | None, list[Problem]]:
    rep = _Reporter(name)
    if not _check_schema(rep, data, DOC_SCHEMA, None, "", 1):
        return None, rep.problems

    doc_id = data["id"]
    if doc_id != path.stem:
        rep.add(
            data.line_of("id"),
            None,
            "id",
            f"id {short(doc_id)} differs from the file name {short(path.stem)}",
            "the id is the seed's file stem and the file is annotations/<id>.yaml",
        )
    _check_metadata(rep, data)
    try:
        raw = read_seed(root, data["source"], resolve)
    except SeedPathError as exc:
        rep.add(data.line_of("source"), None, "source", exc.message, exc.hint)
        return None, rep.problems
    digest = hashlib.sha256(raw).hexdigest()
    if digest != data["sha256"]:
        rep.add(
            data.line_of("sha256"),
            None,
            "sha256",
            f"seed {data['source']} has sha256 {digest[:12]}..., the file says "
            f"{str(data['sha256'])[:12]}...",
            "the seed changed after annotation: re-check every quote, then update sha256 "
            "(harness validate --fix fills a missing one, never a wrong one)",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        rep.add(
            data.line_of("source"),
            None,
            "source",
            f"seed {data['source']} is not UTF-8 (line {line}, byte {exc.start})",
            "save it as UTF-8",
        )
        return None, rep.problems

    timeml = data["guidelines"] == TIMEML_GUIDELINES
    published = _check_published(rep, data, text)
    timexes = _check_timexes(rep, data, text, timeml)
    _check_timeml(rep, data)
    annotated = data["claims"] is not None
    claims = (
        _check_claims(rep, data, text, {t.id: t for t in timexes}, clusters) if annotated else []
    )
    if published is None:
        return None, rep.problems
    doc = GoldDocument(
        doc_id=doc_id,
        source_file=data["source"],
        sha256=data["sha256"],
        outlet=data["outlet"],
        byline=data["byline"],
        language=data["language"],
        annotator=data["annotator"],
        annotated=data["annotated"],
        guidelines=data["guidelines"],
        published=published,
        text=text,
        timexes=tuple(timexes),
        claims=tuple(claims),
        annotation_file=name,
        claims_annotated=annotated,
    )
    return doc, rep.problems


# --- the whole corpus --------------------------------------------------------------------------


def load_clusters(annotations: Path, root: Path) -> tuple[dict[str, str] | None, list[Problem]]:
    path = annotations / CLUSTERS_FILE
    rep = _Reporter(_display(path, root))
    if not path.exists():
        return {}, []
    if outside_project(root, {path}):
        return None, [outside_problem(path, root, rep.file)]
    if not path.is_file():
        return None, [not_regular_problem(rep.file, f"{CLUSTERS_FILE} is a YAML file")]
    try:
        data = load_yaml(path)
    except YamlError as exc:
        rep.add(exc.line, None, None, exc.message)
        return None, rep.problems
    if not isinstance(data, dict) or not isinstance(data.get("clusters"), dict):
        rep.add(1, None, "clusters", "expected a mapping 'clusters: {id: definition}'")
        return None, rep.problems
    clusters = data["clusters"]
    for cid, definition in clusters.items():
        if not isinstance(cid, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cid):
            rep.add(
                clusters.line_of(cid), str(cid), None, "cluster ids are kebab-case: a-z, 0-9, '-'"
            )
        if not isinstance(definition, str) or not definition.strip():
            rep.add(clusters.line_of(cid), str(cid), None, "needs a one-line definition")
    return {str(k): str(v) for k, v in clusters.items()}, rep.problems


#: Files checked per task when several processes check a corpus, and the fewest files for which
#: processes are started at all (their start-up costs about as much as checking a hundred files).
CHUNK_FILES = 64
PARALLEL_MIN_FILES = 256


class _Facts(NamedTuple):
    """What the checks across files need of a checked document, taken where it was checked, so
    that the parent of worker processes need not unpickle the documents it only keeps."""

    doc_id: str
    annotation_file: str
    source_file: str
    guidelines: str
    sha256: str
    claims_annotated: bool
    outlet_label: str
    clusters: tuple[str, ...]


#: One file's check: its document (a pickle of it from a worker process; None if unusable), the
#: document's facts (None with it), and its problems.
_Checked = tuple["GoldDocument | bytes | None", "_Facts | None", list[Problem]]


def _check_one(
    path: Path,
    root: Path,
    clusters: Mapping[str, str] | None,
    pickled: bool,
    resolve: Resolver | None = None,
) -> _Checked | None:
    if not path.is_file():  # missing, or a directory or a FIFO (which would block the reader)
        if not path.exists():
            return None
        hint = "annotation files are YAML files"
        return None, None, [not_regular_problem(_display(path, root), hint)]
    doc, problems = check_file(path, root, clusters, resolve)
    if doc is None:
        return None, None, problems
    facts = _Facts(
        doc.doc_id,
        doc.annotation_file,
        doc.source_file,
        doc.guidelines,
        doc.sha256,
        doc.claims_annotated,
        doc.outlet_label,
        tuple(c.cluster for c in doc.claims if c.cluster),
    )
    return (pickle.dumps(doc, pickle.HIGHEST_PROTOCOL) if pickled else doc), facts, problems


def _check_chunk(
    paths: Sequence[Path], root: Path, clusters: Mapping[str, str] | None
) -> list[_Checked | None]:
    resolve = Resolver()
    with cycle_collector_paused():
        return [_check_one(p, root, clusters, True, resolve) for p in paths]


def _checked(
    paths: Sequence[Path],
    root: Path,
    clusters: Mapping[str, str] | None,
    workers: int,
    resolve: Resolver,
) -> Iterator[_Checked | None]:
    """:func:`check_file` of each path in order (None: the file does not exist), in ``workers``
    processes (joblib's loky backend) when there are at least :data:`PARALLEL_MIN_FILES`.

    Each file is checked on its own (its document and problems depend on it, the root and the
    clusters only), so the results are the same whichever process checks it; the checks that
    span files (ids, seeds, clusters) run afterwards, in order, in the calling process. A worker
    sends each document pickled, and the corpus keeps the pickle as it is where the document is
    beyond its memory budget (:meth:`SpilledSequence.append_pickled`). The seeds' directories
    are resolved once per run (by ``resolve``), or once per task in a worker."""
    if workers <= 1 or len(paths) < PARALLEL_MIN_FILES:
        for p in paths:
            yield _check_one(p, root, clusters, False, resolve)
        return
    from joblib import Parallel, delayed

    chunks = [paths[i : i + CHUNK_FILES] for i in range(0, len(paths), CHUNK_FILES)]
    run = Parallel(n_jobs=workers, backend="loky", return_as="generator")
    for part in run(delayed(_check_chunk)(c, root, clusters) for c in chunks):
        yield from part


def validate_corpus(
    annotations: str | Path = "annotations",
    files: list[str | Path] | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int = 1,
) -> ValidationResult:
    """Validate ``files`` (default: every annotation file) and, for the full set, the clusters.

    The project root (where ``source`` paths start) is the parent of the annotations directory.
    Cluster usage (each declared cluster used by two or more claims) is checked only when the full
    set is validated, since a subset cannot tell. ``workers`` > 1 checks the files in that many
    processes (:func:`_checked`); the result is the same. The cycle collector is paused meanwhile
    (:mod:`harness.gold.cycles`): loading makes no reference cycles.
    """
    with cycle_collector_paused():
        return _validate_corpus(Path(annotations), files, progress, workers)


def _validate_corpus(
    annotations: Path,
    files: list[str | Path] | None,
    progress: Callable[[str], None] | None,
    workers: int,
) -> ValidationResult:
    root = annotations.resolve().parent
    problems: list[Problem] = []
    if not annotations.is_dir():
        problems.append(
            Problem(str(annotations), None, None, None, "annotations directory not found",
                    "run from the project root, or give the directory with --annotations")
            if not annotations.exists()
            else Problem(str(annotations), None, None, None, "a file, not an annotations directory",
                         "give the directory that holds the annotation files (or a corpus "
                         "directory holding annotations/); to check one file, name it after "
                         "the options")
        )  # fmt: skip
        return ValidationResult(Corpus(()), problems)
    clusters, cproblems = load_clusters(annotations, root)
    problems += cproblems
    if not files:
        problems += misnamed_files(annotations, root)
    all_files = annotation_files(annotations)
    paths = all_files
    if files:
        paths, refused = named_files(annotations, [Path(f) for f in files])
        problems += refused
    # load_clusters has reported the cluster file if it leads out; it is not hashed then either
    outside = outside_project(root, {*all_files, *paths, annotations / CLUSTERS_FILE})
    if outside:
        problems += [outside_problem(p, root, str(p)) for p in sorted(outside)
                     if p.name != CLUSTERS_FILE]  # fmt: skip
        all_files = [p for p in all_files if p not in outside]
        paths = [p for p in paths if p not in outside]
    docs: SpilledSequence[GoldDocument] = SpilledSequence()  # on disk: see harness.gold.spill
    # what the checks after the loop need of each document, taken as it passes: the documents
    # beyond the budget are on disk, and each further pass over them unpickles every one
    doc_ids: list[str] = []
    annotated: list[int] = []
    outlets: dict[str, str] = {}
    sources: list[Path] = []
    cluster_uses: Counter[str] = Counter()
    unread = 0  # files whose document could not be built
    seen_ids: dict[str, str] = {}
    seen_seeds: dict[Path, str] = {}  # resolved seed -> the annotation file that has it
    seen_text: dict[str, str] = {}  # seed sha256 -> the annotation file that has it
    resolve = Resolver()  # the seeds' directories and the annotations' resolved once
    for path, checked in zip(paths, _checked(paths, root, clusters, workers, resolve), strict=True):
        if progress:
            progress(str(path))
        if checked is None:
            problems.append(Problem(str(path), None, None, None, "file not found"))
            unread += 1
            continue
        doc, facts, file_problems = checked
        problems += file_problems
        unread += facts is None
        if facts is not None:
            if facts.doc_id in seen_ids:
                problems.append(
                    Problem(
                        facts.annotation_file,
                        None,
                        None,
                        "id",
                        f"document id also in {seen_ids[facts.doc_id]}",
                    )
                )
            seed = resolve(root / facts.source_file)
            # Imported TimeML documents are distinct source files even where a corpus ships the
            # same text twice (TBAQ has such a pair); only a shared seed file is an error there.
            same_text = (
                None if facts.guidelines == TIMEML_GUIDELINES else seen_text.get(facts.sha256)
            )
            for other, label in (
                (seen_seeds.get(seed), "seed file"),
                (same_text, "seed text"),
            ):
                if other is not None:
                    problems.append(
                        Problem(
                            facts.annotation_file,
                            None,
                            None,
                            "source",
                            f"{facts.source_file}: the same {label} is annotated in {other}",
                            "one annotation file per seed: keep one (a second annotator's file is "
                            "compared with 'harness agree', not loaded into the corpus)",
                        )
                    )
                    break
            seen_ids[facts.doc_id] = facts.annotation_file
            seen_seeds.setdefault(seed, facts.annotation_file)
            seen_text.setdefault(facts.sha256, facts.annotation_file)
            if isinstance(doc, bytes):
                docs.append_pickled(doc)
            else:
                docs.append(doc)
            if facts.claims_annotated:
                annotated.append(len(doc_ids))
            doc_ids.append(facts.doc_id)
            outlets[facts.doc_id] = facts.outlet_label
            sources.append(root / facts.source_file)
            cluster_uses.update(facts.clusters)
    full = not files or {resolve(p) for p in paths} == {resolve(p) for p in all_files}
    # A file that could not be read has claims no count includes: its clusters would be reported
    # as unused, once per cluster, beside the one problem that matters. Checked once all read.
    if full and clusters is not None and not unread:
        problems += _check_cluster_usage(annotations, root, clusters, cluster_uses)
    hashed = [*all_files, annotations / CLUSTERS_FILE] if full else list(paths)
    hashed = [p for p in hashed if p.is_file() and p not in outside] + sources
    corpus = Corpus(
        documents=docs,
        clusters=clusters or {},
        path=str(annotations),
        hash=corpus_hash(hashed, root, resolve),
    )
    corpus.remember(doc_ids, annotated, outlets)  # no pass over the documents to find them
    return ValidationResult(corpus, problems, [str(p) for p in paths])


def _check_cluster_usage(
    annotations: Path, root: Path, clusters: Mapping[str, str], counts: Mapping[str, int]
) -> list[Problem]:
    """A problem for each cluster of ``clusters.yaml`` that fewer than two claims use
    (``counts``: claims by cluster id, over every document)."""
    name = _display(annotations / CLUSTERS_FILE, root)
    problems = []
    for cid in clusters:
        n = counts.get(cid, 0)
        if n < 2:
            problems.append(
                Problem(
                    name,
                    None,
                    cid,
                    None,
                    f"cluster is used by {n} claim(s); a cluster needs at least two (G8.2)",
                    "use it, or delete it and set the claim's cluster to null",
                )
            )
    return problems


# Names other modules import from here (the public surface of validation).
__all__ = [
    "ANNOTATION_SUFFIX",
    "CLUSTERS_FILE",
    "Problem",
    "ValidationResult",
    "annotation_files",
    "check_file",
    "diagnose_missing_quote",
    "find_all",
    "load_clusters",
    "locate_quote",
    "validate_corpus",
]
