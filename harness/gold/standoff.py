"""Stand-off claim annotations over imported text (the claims test split).

The text of an imported corpus (TempEval-3's TimeBank + AQUAINT) is the user's data and is never
stored in the project. Claims annotated on it are committed as *stand-off* files, one per document,
in a directory such as ``annotations/tbaq-test/``::

    id: wsj_0026                      # the imported document's id
    tml_file: TimeBank/wsj_0026.tml   # the TimeML file it was imported from
    text_sha256: 5f0c...              # sha256 of the imported text the claims were made on
    guidelines: "1.1"                 # GUIDELINES.md version the claims follow
    annotator: annotator-a
    annotated: 2026-11-29
    claims:                           # as in a gold file (annotations/README.md), except that
      - id: c1                        # the evidence is given by offsets into the imported text
        text: "..."                   # and never quoted: the text stays the user's data
        start: 120
        end: 181
        claimant: <AUTHOR>
        date: {timex: t12}            # the TimeML timex id
        cluster: null

plus ``clusters.yaml`` for the split's own clusters. :func:`overlay` merges them into the imported
corpus: every document with a stand-off file gets its claims (and annotator, date); documents
without one are left out of the collection. The merged corpus is then validated and evaluated like
any other, so an offset out of range, or a claim date naming a timex the import does not have, is
reported as usual. A different copy of the data is caught before anything is merged:
``text_sha256`` must equal the sha256 of the imported text.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from harness.gold.yamlio import key_line, load_yaml

#: Keys of a stand-off file; ``claims`` is copied into the merged document as it is.
REQUIRED = ("id", "tml_file", "text_sha256", "guidelines", "annotator", "annotated", "claims")
CLUSTERS_FILE = "clusters.yaml"


class StandoffError(ValueError):
    """A stand-off file that cannot be merged; the message names the file, line and field."""


def _line(data: Any, key: str) -> int:
    return key_line(data, key, None) or 1


def read_standoff(path: Path) -> Any:
    """One stand-off file, checked for its keys (the claims themselves are checked by validate)."""
    data = load_yaml(path)
    if not isinstance(data, Mapping):
        raise StandoffError(f"{path}:1: expected a mapping with keys {', '.join(REQUIRED)}")
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise StandoffError(
            f"{path}:1: missing key(s) {', '.join(missing)}; hint: a stand-off file has "
            f"{', '.join(REQUIRED)} (harness/gold/standoff.py)"
        )
    unknown = sorted(set(data) - set(REQUIRED))
    if unknown:
        raise StandoffError(
            f"{path}:{_line(data, unknown[0])}: unknown key {unknown[0]!r}; "
            f"allowed: {', '.join(REQUIRED)}"
        )
    if not isinstance(data["claims"], list):
        raise StandoffError(
            f"{path}:{_line(data, 'claims')}: claims must be a list (write [] for an annotated "
            "document with no claim)"
        )
    if Path(path).stem != str(data["id"]):
        raise StandoffError(
            f"{path}:{_line(data, 'id')}: id {data['id']!r} differs from the file name; "
            "hint: name the file <id>.yaml"
        )
    return data  # type: ignore[return-value]  # keeps line numbers for messages


def standoff_files(directory: Path) -> list[Path]:
    """The stand-off files of a directory (every ``*.yaml`` but ``clusters.yaml``), sorted."""
    directory = Path(directory)
    if not directory.is_dir():
        raise StandoffError(f"{directory}: no such directory of stand-off claim annotations")
    odd = sorted(p.name for p in directory.glob("*.yml"))
    if odd:
        raise StandoffError(f"{directory / odd[0]}: use the .yaml extension; hint: rename it")
    return sorted(p for p in directory.glob("*.yaml") if p.name != CLUSTERS_FILE)


def overlay(imported: Path, standoff: Path, out: Path) -> Path:
    """Merge the stand-off claims in ``standoff`` into the imported corpus ``imported``.

    ``imported`` is a corpus directory (``seeds/`` and ``annotations/``) written by
    ``harness import timeml``; ``out`` receives the merged corpus, built in a temporary directory
    and moved into place. Returns ``out / "annotations"``.
    """
    import yaml

    imported, standoff, out = Path(imported), Path(standoff), Path(out)
    files = standoff_files(standoff)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        (tmp / "seeds").mkdir()
        (tmp / "annotations").mkdir()
        for path in files:
            so = read_standoff(path)
            doc_id = str(so["id"])
            gold_file = imported / "annotations" / f"{doc_id}.yaml"
            seed = imported / "seeds" / f"{doc_id}.txt"
            if not gold_file.is_file() or not seed.is_file():
                raise StandoffError(
                    f"{path}:{_line(so, 'id')}: id: no imported document {doc_id!r} "
                    f"(from {so['tml_file']}); hint: is the collection's data the TempEval-3 copy "
                    "these claims were annotated on?"
                )
            raw = seed.read_bytes()
            digest = hashlib.sha256(raw).hexdigest()
            if digest != so["text_sha256"]:
                raise StandoffError(
                    f"{path}:{_line(so, 'text_sha256')}: text_sha256: the imported text of "
                    f"{so['tml_file']} has sha256 {digest[:12]}..., these claims were made on "
                    f"{str(so['text_sha256'])[:12]}...; hint: a different copy or version of the "
                    "data; the claims cannot be trusted on it"
                )
            doc = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
            doc["annotator"] = so["annotator"]
            # null stays null (the string "None" is no day)
            doc["annotated"] = None if so["annotated"] is None else str(so["annotated"])
            doc["claims"] = [_with_evidence(path, c, raw.decode("utf-8")) for c in so["claims"]]
            (tmp / "seeds" / seed.name).write_bytes(raw)
            text = (
                f"# Merged: TimeML import of {so['tml_file']} + claims from {path.name} "
                f"(guidelines {so['guidelines']}).\n"
            )
            text += yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
            (tmp / "annotations" / gold_file.name).write_text(text, encoding="utf-8")
        clusters = standoff / CLUSTERS_FILE
        if clusters.is_file():
            shutil.copyfile(clusters, tmp / "annotations" / CLUSTERS_FILE)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out / "annotations"


def _with_evidence(path: Path, claim: Any, text: str) -> dict[str, Any]:
    """A stand-off claim with its evidence quoted from the imported text (and its occurrence)."""
    from harness.gold.quotes import find_all

    where = f"{path}:{_line(claim, 'start') if isinstance(claim, Mapping) else 1}"
    if not isinstance(claim, Mapping):
        raise StandoffError(f"{where}: claims: each claim must be a mapping")
    start, end = claim.get("start"), claim.get("end")
    if "evidence" in claim or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in (start, end)
    ):
        raise StandoffError(
            f"{where}: claim {claim.get('id')!r}: give the evidence as integer start/end offsets, "
            "not as a quote; hint: harness standoff writes them"
        )
    if not 0 <= start < end <= len(text):
        raise StandoffError(
            f"{where}: claim {claim.get('id')!r}: start/end {start}-{end} outside the text "
            f"(0-{len(text)})"
        )
    quote = text[start:end]
    out: dict[str, Any] = {}
    for key, value in _plain(claim).items():
        if key == "start":
            out["evidence"] = quote
            hits = find_all(text, quote)
            if len(hits) > 1:
                out["occurrence"] = hits.index(start) + 1
        out[key] = value
    return out


def overlay_key(standoff: Path) -> str:
    """sha256 over the stand-off directory's files, so a changed annotation is a new overlay."""
    h = hashlib.sha256()
    for p in sorted(Path(standoff).glob("*.y*ml")):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def to_standoff(
    annotation_file: Path, guidelines: str, clusters_read: dict[Path, Any] | None = None
) -> str:
    """The stand-off file (YAML text) for a claims-annotated document of an imported corpus.

    This is how claims annotated on a copy of the import become committable: everything but the
    claims and who made them stays with the user's data. ``clusters_read``: the cluster files
    already read, by annotation directory, for a caller that converts many files; each
    directory's is read once and kept there.
    """
    import yaml

    from harness.gold.files import unreadable_problem
    from harness.gold.validate import check_file, load_clusters

    annotation_file = Path(annotation_file)
    root = annotation_file.resolve().parent.parent
    refused = unreadable_problem(annotation_file, root, str(annotation_file))
    if refused is not None:  # outside the copy, or a FIFO that would block the reader
        raise StandoffError(str(refused))
    doc = load_yaml(annotation_file)
    origin = doc.get("imported_from") if isinstance(doc, Mapping) else None
    if not isinstance(origin, Mapping) or not origin.get("file"):
        raise StandoffError(
            f"{annotation_file}:1: imported_from: not a document of an imported corpus; hint: "
            "stand-off files are for text that cannot be stored in the project (harness import)"
        )
    if not isinstance(doc.get("claims"), list):
        raise StandoffError(
            f"{annotation_file}:{_line(doc, 'claims')}: claims: not annotated (null); "
            "hint: annotate the claims first, or write [] for a document without claims"
        )
    # the file as validation takes it: a stand-off file is made from a valid annotation only
    directory = annotation_file.resolve().parent
    if clusters_read is not None and directory in clusters_read:
        clusters = clusters_read[directory]
    else:
        clusters, _ = load_clusters(annotation_file.parent, root)
        if clusters_read is not None:
            clusters_read[directory] = clusters
    checked, problems = check_file(annotation_file, root, clusters)
    if problems or checked is None:
        listed = "\n".join(f"  {p}" for p in problems[:10])
        raise StandoffError(f"{annotation_file}: {len(problems)} validation problem(s):\n{listed}"
                            f"\nhint: run 'harness validate --annotations "
                            f"{annotation_file.parent} {annotation_file}' and fix them")  # fmt: skip
    text = checked.text  # the seed as validation read it (inside seeds/, UTF-8)
    out = {
        "id": str(doc["id"]),
        "tml_file": str(origin["file"]),
        "text_sha256": str(doc["sha256"]),
        "guidelines": guidelines,
        "annotator": doc.get("annotator"),
        "annotated": None if doc.get("annotated") is None else str(doc["annotated"]),
        "claims": [_offsets(annotation_file, c, text) for c in doc["claims"]],
    }
    head = (
        f"# Stand-off claims over the TimeML import of {origin['file']} (the text is the user's "
        "data and is not stored here).\n"
    )
    return head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100)


def _plain(value: Any) -> Any:
    """The loader's line-tracking containers as plain dicts and lists, for dumping."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _offsets(annotation_file: Path, claim: Any, text: str) -> dict[str, Any]:
    """A claim with its evidence quote replaced by the offsets it stands at."""
    from harness.gold.quotes import locate_quote

    span = locate_quote(text, claim.get("evidence", ""), claim.get("occurrence"))
    if isinstance(span, str):
        raise StandoffError(
            f"{annotation_file}:{_line(claim, 'evidence')}: claim {claim.get('id')!r}: evidence "
            f"{span}; hint: run harness validate on the corpus first"
        )
    out: dict[str, Any] = {}
    for key, value in _plain(claim).items():
        if key == "evidence":
            out["start"], out["end"] = span
        elif key not in ("occurrence", "start", "end"):
            out[key] = value
    return out
