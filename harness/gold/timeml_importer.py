"""TimeML importer: a corpus directory (seeds, annotations, ``import.json``) from TimeML files.

The reading and conversion of one file is :mod:`harness.gold.timeml_reader` (its docstring says
exactly what is kept and what is skipped); this module walks the inputs, writes the corpus
atomically and prints the summary. ``harness.gold.timeml`` re-exports both.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.gold.timeml_reader import (
    ANNOTATOR,
    BAD_MOD,
    BAD_TYPE,
    BAD_VALUE,
    DCT_EVIDENCE,
    EMPTY,
    GUIDELINES,
    OUTSIDE,
    TimemlDocument,
    TimemlError,
    TimemlTimex,
    read_timeml,
)
from harness.gold.yamlio import short

# --- the corpus directory ----------------------------------------------------------------------


@dataclass
class ImportSummary:
    """What an import read, kept and skipped; :meth:`lines` is the printed summary."""

    out: str
    documents: list[TimemlDocument] = field(default_factory=list)
    failed: list[TimemlError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def n_timex3(self) -> int:
        return sum(d.n_timex3 for d in self.documents)

    @property
    def n_kept(self) -> int:
        return sum(len(d.timexes) for d in self.documents)

    def normalized(self) -> list[tuple[TimemlDocument, TimemlTimex]]:
        """Kept timexes whose value the reader normalized (a one-digit ISO week padded)."""
        return [(d, t) for d in self.documents for t in d.timexes if t.written_value is not None]

    def skipped_by_reason(self) -> Counter[str]:
        return Counter(s.reason for d in self.documents for s in d.skipped)

    def to_json(self) -> dict[str, Any]:
        """The summary as recorded in ``OUT/import.json`` (no times, no absolute paths)."""
        return {
            "documents": len(self.documents),
            "documents_by_outlet": dict(
                sorted(Counter(d.outlet or "unknown" for d in self.documents).items())
            ),
            "timex3": self.n_timex3,
            "dct": len(self.documents),
            "kept": self.n_kept,
            "skipped": dict(sorted(self.skipped_by_reason().items())),
            "normalized_values": [
                {
                    "file": d.file,
                    "line": t.line,
                    "tid": t.tid,
                    "written": t.written_value,
                    "value": t.value,
                }
                for d, t in self.normalized()
            ],
            "skipped_timexes": [
                {
                    "file": d.file,
                    "line": s.timex.line,
                    "tid": s.timex.tid,
                    "type": s.timex.type,
                    "value": s.timex.value,
                    "text": s.timex.text,
                    "reason": s.reason,
                    "detail": s.detail,
                }
                for d in self.documents
                for s in d.skipped
            ],
            "failed_documents": [str(e) for e in self.failed],
            "sources": [{"file": d.file, "sha256": d.sha256} for d in self.documents],
        }

    def lines(self) -> list[str]:
        skipped = self.skipped_by_reason()
        n_skipped = sum(skipped.values())
        by_outlet = Counter(d.outlet or "unknown" for d in self.documents)
        out = [
            f"imported {len(self.documents)} document(s) into {self.out} in {self.seconds:.2f} s",
            "  by outlet: " + ", ".join(f"{k} {v}" for k, v in sorted(by_outlet.items())),
            f"  TIMEX3 elements read: {self.n_timex3} = {len(self.documents)} DCT"
            f" + {self.n_kept} gold timexes + {n_skipped} skipped",
        ]
        normalized = self.normalized()
        out.append(
            f"    kept with a normalized value (one-digit ISO week padded): {len(normalized)}"
        )
        for d, t in normalized:
            out.append(
                f"      {d.file}:{t.line} {t.tid} value={short(t.written_value or '')} -> {t.value}"
            )
        for reason in (EMPTY, BAD_VALUE, BAD_TYPE, BAD_MOD, OUTSIDE):
            out.append(f"    skipped, {reason}: {skipped.get(reason, 0)}")
        for d in self.documents:
            for s in d.skipped:
                t = s.timex
                out.append(
                    f"      {d.file}:{t.line} {t.tid} {t.type} value={short(t.value)}"
                    f" text={short(t.text)}: {s.reason} ({s.detail})"
                )
        out.append(f"  documents skipped for bad input (--lenient): {len(self.failed)}")
        out += [f"    {e}" for e in self.failed]
        return out


def timeml_files(inputs: Sequence[str | Path]) -> list[tuple[Path, str]]:
    """Every ``*.tml`` file under the inputs (files or directories), with a display name.

    The display name is the path relative to the input's parent (``TimeBank/wsj_0006.tml``), so
    the record does not depend on where the data lives.
    """
    found: list[tuple[Path, str]] = []
    for item in inputs:
        base = Path(item)
        if base.is_file():
            found.append((base, base.name))
        elif base.is_dir():
            files = sorted(p for p in base.rglob("*.tml") if p.is_file())
            if not files:
                raise TimemlError(str(base), None, None, None, "no .tml files in this directory",
                                  document=False)  # fmt: skip
            found += [(p, p.relative_to(base.parent).as_posix()) for p in files]
        else:
            raise TimemlError(
                str(base),
                None,
                None,
                None,
                "is neither a regular file nor a directory (a FIFO or a device)"
                if base.exists()
                else "no such file or directory",
                "give TimeML files or directories",
                document=False,
            )
    return found


def read_all(
    inputs: Sequence[str | Path], lenient: bool = False
) -> tuple[list[TimemlDocument], list[TimemlError]]:
    """Read every TimeML file; with ``lenient`` bad documents are returned as errors, not raised."""
    docs: list[TimemlDocument] = []
    failed: list[TimemlError] = []
    ids: dict[str, str] = {}
    for path, display in timeml_files(inputs):
        try:
            doc = read_timeml(path, display)
            if doc.doc_id in ids:
                raise TimemlError(
                    display,
                    None,
                    None,
                    None,
                    f"document id {short(doc.doc_id)} also read from {ids[doc.doc_id]}",
                    "two inputs hold the same file name; import them into separate corpora",
                )
        except TimemlError as exc:
            if not lenient:
                raise
            failed.append(exc)
            continue
        ids[doc.doc_id] = display
        docs.append(doc)
    return docs, failed


def document_yaml(doc: TimemlDocument, seed_sha256: str) -> dict[str, Any]:
    """The annotation record of one imported document (see annotations/README.md)."""

    def timeml(t: TimemlTimex) -> dict[str, str]:
        return t.timeml

    timexes = []
    for t in doc.timexes:
        rec: dict[str, Any] = {
            "id": t.tid,
            "start": t.start,
            "end": t.end,
            "quote": t.text,
            "type": t.type,
            "value": t.value,
        }
        if t.mod is not None:
            rec["mod"] = t.mod
        if t.timeml:
            rec["timeml"] = timeml(t)
        timexes.append(rec)
    skipped = []
    for s in doc.skipped:
        t = s.timex
        rec = {"id": t.tid, "reason": s.reason, "detail": s.detail, "line": t.line}
        if t.start is not None:
            rec["start"], rec["end"] = t.start, t.end
        rec.update({"type": t.type, "value": t.value})
        if t.mod is not None:
            rec["mod"] = t.mod
        if t.timeml:
            rec["timeml"] = timeml(t)
        skipped.append(rec)
    published: dict[str, Any] = {"value": doc.dct.value, "evidence": DCT_EVIDENCE}
    published["timeml"] = {"tid": doc.dct.tid, "type": doc.dct.type, **doc.dct.timeml}
    data: dict[str, Any] = {
        "id": doc.doc_id,
        "source": f"seeds/{doc.doc_id}.txt",
        "sha256": seed_sha256,
        "outlet": doc.outlet,
        "outlet_note": doc.outlet_note,
        "byline": None,
        "language": "en",
        "annotator": ANNOTATOR,
        "annotated": None,
        "guidelines": GUIDELINES,
        "imported_from": {"format": "TimeML", "file": doc.file, "sha256": doc.sha256},
        "published": published,
        "timexes": timexes,
    }
    if skipped:
        data["skipped_timexes"] = skipped
    data["claims"] = None
    return data


_HEADER = (
    "# Imported from TimeML by `harness import timeml`; re-import rather than edit.\n"
    "# claims: null means claims are not annotated (left out of claim metrics), not 'no claims'.\n"
)


def _dump(data: dict[str, Any]) -> str:
    import yaml

    return _HEADER + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


#: What an import writes into its directory; a re-import replaces a directory holding no more.
IMPORT_ENTRIES = frozenset({"seeds", "annotations", "import.json"})


def _not_a_previous_import(out: Path) -> str | None:
    """Why the existing ``out`` is not a directory that an import wrote (None: it is one, or it
    is empty): a file, entries an import does not write, or an ``import.json`` that is not an
    import summary. A stray ``import.json`` must not let an import replace someone's files."""
    import json

    if not out.is_dir():
        return "not a directory"
    entries = {p.name for p in out.iterdir()}
    if not entries:
        return None
    if "import.json" not in entries:
        return "no import.json"
    if not entries <= IMPORT_ENTRIES:
        return "it also holds " + ", ".join(sorted(entries - IMPORT_ENTRIES)[:5])
    try:
        summary = json.loads((out / "import.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return "import.json is not an import summary"
    if not isinstance(summary, dict) or not {"documents", "timex3"} <= summary.keys():
        return "import.json is not an import summary"
    return None


def write_corpus(docs: Iterable[TimemlDocument], out: Path, summary: dict[str, Any]) -> None:
    """Write ``out/seeds``, ``out/annotations`` and ``out/import.json``, replacing a previous import.

    The corpus is built in a temporary directory beside ``out`` and moved into place, so a failed
    import never leaves half a corpus. An existing ``out`` that is not a previous import
    (:func:`_not_a_previous_import`) is refused rather than overwritten.
    """
    import json

    out = Path(out)
    if out.exists():
        reason = _not_a_previous_import(out)
        if reason is not None:
            raise TimemlError(str(out), None, None, None, f"exists and is not a previous TimeML "
                              f"import ({reason})", "give a new or empty directory",
                              document=False)  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        (tmp / "seeds").mkdir()
        (tmp / "annotations").mkdir()
        for doc in docs:
            raw = doc.text.encode("utf-8")
            (tmp / "seeds" / f"{doc.doc_id}.txt").write_bytes(raw)
            data = document_yaml(doc, hashlib.sha256(raw).hexdigest())
            (tmp / "annotations" / f"{doc.doc_id}.yaml").write_text(_dump(data), encoding="utf-8")
        (tmp / "import.json").write_text(
            json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.old-{tmp.name}")
            out.rename(old)
        tmp.rename(out)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def import_timeml(
    inputs: Sequence[str | Path],
    out: str | Path,
    lenient: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Convert TimeML files (or directories of them) into the corpus directory ``out``."""
    t0 = time.perf_counter()
    docs, failed = read_all(inputs, lenient=lenient)
    summary = ImportSummary(out=str(out), documents=docs, failed=failed)
    if not docs:
        raise TimemlError(
            ", ".join(str(i) for i in inputs),
            None,
            None,
            None,
            "no document could be imported",
            document=False,
        )
    write_corpus(docs, Path(out), summary.to_json())
    summary.seconds = time.perf_counter() - t0
    if progress:
        for line in summary.lines():
            progress(line)
    return summary
