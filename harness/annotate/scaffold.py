"""``harness new``: the first draft of an annotation file for a raw article dropped into seeds/.

Annotating from an empty file is slow and error-prone: quotes must be character-exact, repeated
quotes need an ``occurrence``, and every relative date must be resolved against the DCT. The
scaffold does the mechanical part and leaves every decision to the annotator:

* the header fields, with ``sha256`` computed and ``outlet``/``byline``/``language`` guessed by
  simple heuristics, each guess marked as such in a comment or note;
* the DCT candidates of the page (the stamp :func:`harness.tagger.detect_dct` picks, then every
  other full date), as comments, and the first plausible one as a ``published`` block marked
  ``suggested: true``;
* every temporal expression :func:`harness.tagger.find_timexes` finds, resolved by the rule resolver
  against that DCT, each marked ``suggested: true``; expressions the resolver cannot resolve are
  listed in a comment instead, so that every record the file holds is well-formed;
* ``claims: []`` and a commented claim template.

The validator refuses ``suggested: true``, so nothing reaches the gold unreviewed; once the
annotator has confirmed (and deleted the ``suggested: true`` lines of) the suggestions and the
``published`` block is right, the file validates. An existing file is never overwritten.

The suggestions are made in :mod:`harness.annotate.suggest`; this module writes the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from harness.annotate.suggest import (
    _MAX_CANDIDATES,
    _Candidate,
    _choose,
    _Suggestion,
    dct_candidates,
    guess_byline,
    guess_language,
    guess_outlet,
    suggest_timexes,
)
from harness.annotate.yaml_text import (
    _comment,
    _line_of,
    _occurrence,
    _plain,
    _q,
    _shorten,
    _snippet,
)
from harness.gold.seeds import SeedPathError, read_seed
from harness.gold.validate import CLUSTERS_FILE, annotation_files

#: Written into ``guidelines`` when GUIDELINES.md does not state its version.
DEFAULT_GUIDELINES_VERSION = "1.0"


class ScaffoldError(ValueError):
    """A scaffold that cannot be written; the message names the file and says how to fix it."""


# --- entry point --------------------------------------------------------------------------------


def new_annotation(
    seed: str | Path,
    annotations_dir: str | Path = "annotations",
    *,
    annotator: str | None = None,
    today: str | None = None,
) -> Path:
    """Write ``<annotations_dir>/<seed stem>.yaml``, a scaffold for the raw article ``seed``.

    ``seed`` is a path as typed (relative to the working directory, or else to the project root,
    the parent of ``annotations_dir``); it must lie inside the project root so that ``source`` is a
    relative path, and it must be UTF-8. ``annotator`` fills the ``annotator`` field (left empty
    otherwise) and ``today`` (``YYYY-MM-DD``, default: today's date) the ``annotated`` field.
    Returns the path written. Raises :class:`ScaffoldError` instead of overwriting anything.
    """
    annotations = Path(annotations_dir)
    if annotations.exists() and not annotations.is_dir():
        raise ScaffoldError(
            f"{annotations}: a file, not an annotations directory; hint: give the directory "
            "that holds the annotation files with --annotations"
        )
    if not annotations.is_dir():
        raise ScaffoldError(
            f"{annotations}: annotations directory not found; hint: run 'harness new' from the "
            "project root (the directory that holds annotations/ and seeds/)"
        )
    root = annotations.resolve().parent
    seed_path = _find_seed(Path(seed), root)
    try:
        rel = seed_path.resolve().relative_to(root)
    except ValueError:
        raise ScaffoldError(
            f"{seed}: the seed is outside the project root {root}; hint: move or copy it into "
            f"{root / 'seeds'} so that the annotation can name it by a relative path"
        ) from None
    source = rel.as_posix()
    stem = seed_path.stem
    target = annotations / f"{stem}.yaml"
    if target.name == CLUSTERS_FILE:
        raise ScaffoldError(
            f"{seed}: the annotation would be {target}, the cluster file; hint: rename the seed"
        )
    if target.exists():
        raise ScaffoldError(
            f"{target} already exists and is never overwritten; hint: keep editing it, or delete "
            "it yourself to start again. A second, independent annotation of the same article "
            "(GUIDELINES G10) is made in a separate copy of the project and compared with "
            "'harness agree'"
        )
    try:  # the checks validation makes: inside seeds/, no link out, a regular file
        raw = read_seed(root, source)
    except SeedPathError as exc:
        raise ScaffoldError(f"{seed}: {exc}") from None
    text = _decode(raw, source)
    if not text.strip():
        raise ScaffoldError(f"{source}: the seed is empty; hint: paste the article text into it")
    digest = hashlib.sha256(raw).hexdigest()
    _refuse_known_text(annotations, root, digest, source)
    annotated = _today(today)
    content = render_scaffold(
        text,
        doc_id=stem,
        source=source,
        sha256=digest,
        annotator=annotator or "",
        annotated=annotated,
        guidelines=_guidelines_version(annotations),
    )
    _write_new(target, content)
    return target


def _find_seed(seed: Path, root: Path) -> Path:
    candidates = [seed] if seed.is_absolute() else [seed, root / seed]
    for c in candidates:
        if c.is_file():
            return c
    if seed.exists():
        raise ScaffoldError(f"{seed}: not a file; hint: give the path of the article text file")
    raise ScaffoldError(
        f"{seed}: seed file not found; hint: put the raw article into seeds/ and run "
        "'harness new seeds/<file>' from the project root"
    )


def _decode(raw: bytes, source: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 1].hex().upper()
        raise ScaffoldError(
            f"{source}: not UTF-8: byte 0x{bad} at byte offset {exc.start} (line {line}) cannot be "
            "decoded; hint: save the file as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8), then "
            "check that the text still reads right"
        ) from None


def _refuse_known_text(annotations: Path, root: Path, digest: str, source: str) -> None:
    """Refuse a seed whose bytes another annotation file already annotates (a duplicate article)."""
    from harness.gold.yamlio import YamlError, load_yaml

    for path in annotation_files(annotations):
        try:
            data = load_yaml(path)
        except YamlError:
            continue
        if isinstance(data, dict) and data.get("sha256") == digest:
            raise ScaffoldError(
                f"{source}: the same text is already annotated in {path.name} "
                f"(source {data.get('source')!r}); hint: the corpus must not hold an article "
                "twice; delete the duplicate seed"
            )


def _today(today: str | None) -> str:
    if today is None:
        return date.today().isoformat()
    try:
        return date.fromisoformat(today).isoformat()
    except (TypeError, ValueError):
        raise ScaffoldError(
            f"today={today!r} is not a date; hint: write it as YYYY-MM-DD"
        ) from None


def _guidelines_version(annotations: Path) -> str:
    path = annotations / "GUIDELINES.md"
    if path.is_file():
        m = re.search(r"Version \**([\w.]+)\**", path.read_text(encoding="utf-8", errors="replace"))
        if m:
            return m.group(1)
    return DEFAULT_GUIDELINES_VERSION


def _write_new(target: Path, content: str) -> None:
    """Write ``content`` to ``target`` atomically, failing if ``target`` appears meanwhile.

    The bytes go to a temporary file in the same directory first; a hard link then creates the
    target only if it does not exist yet, so a reader never sees half a file and a file created
    by someone else at the same moment is never replaced.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise ScaffoldError(
                f"{target} appeared while the scaffold was being written; hint: it was not "
                "overwritten, check who created it"
            ) from None
        except OSError:  # file systems without hard links
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
            try:
                os.close(os.open(target, flags))
            except FileExistsError:
                raise ScaffoldError(
                    f"{target} already exists; hint: it was not overwritten"
                ) from None
            os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


# --- content ------------------------------------------------------------------------------------


def render_scaffold(
    text: str,
    *,
    doc_id: str,
    source: str,
    sha256: str,
    annotator: str,
    annotated: str,
    guidelines: str,
) -> str:
    """The scaffold's YAML text for the article ``text`` (a pure function; see the module doc)."""
    from harness.gold.yamlio import loads

    candidates = dct_candidates(text)
    chosen = _choose(candidates)
    suggestions, unresolved = suggest_timexes(text, chosen.value if chosen else None)
    outlet, outlet_why = guess_outlet(text)
    byline, byline_why = guess_byline(text)
    language, language_why = guess_language(text)

    data: dict[str, Any] = {
        "id": doc_id,
        "source": source,
        "sha256": sha256,
        "outlet": outlet,
        "outlet_note": f"Guess by harness new: {outlet_why}. Replace it with the outlet as the text "
        "evidences it (or null) and say here what evidences it.",
        "byline": byline,
        "language": language,
        "annotator": annotator,
        "annotated": annotated,
        "guidelines": guidelines,
    }
    out: list[str] = []
    out += _header(source, doc_id, guidelines, chosen is not None)
    for key in ("id", "source", "sha256"):
        out.append(f"{key}: {_q(data[key])}")
    out.append(f"outlet: {_q(outlet)}  # guess")
    out.append(f"outlet_note: {_q(data['outlet_note'])}")
    out.append(f"byline: {_q(byline)}  # guess: {_comment(byline_why)}")
    out.append(f"language: {_q(language)}  # guess: {_comment(language_why)}")
    note = "" if annotator else "  # your name or initials (harness new --annotator NAME)"
    out.append(f"annotator: {_q(annotator)}{note}")
    out.append(f"annotated: {_q(annotated)}")
    out.append(f"guidelines: {_q(guidelines)}")
    out.append("")

    published = _published_block(text, candidates, chosen, out)
    data["published"] = published
    out.append("")

    timexes = _timex_block(text, suggestions, unresolved, chosen, out)
    data["timexes"] = timexes
    out.append("")

    data["claims"] = []
    out.append("claims: []")
    out += _CLAIM_TEMPLATE
    content = "\n".join(out) + "\n"

    loaded = loads(content, f"{doc_id}.yaml")
    if _plain(loaded) != data:  # the emitter below is hand-written: check it, never trust it
        raise RuntimeError(f"scaffold for {source} does not round-trip through YAML; this is a bug")
    return content


def _header(source: str, doc_id: str, guidelines: str, has_dct: bool) -> list[str]:
    dct_step = (
        "The DCT below is the page's first plausible date stamp, a guess: check it against the\n"
        "     body (G4.2), fix `value`/`quote` if needed, write `evidence`, delete `suggested: true`."
        if has_dct
        else "No date stamp was found: infer the DCT from the body (G4.2 step 4), fill in `value`\n"
        "     and `evidence`. Timexes that depend on the DCT could not be resolved (listed below)."
    )
    lines = f"""\
Annotation scaffold for {source}, written by `harness new`.

Next steps:
  1. Read annotations/GUIDELINES.md (version {guidelines}) and annotations/README.md (format).
  2. {dct_step}
  3. Every timex below is a machine suggestion (`suggested: true`). For each one: fix its quote,
     type, value and mod, or delete the whole record (page chrome G1.2, not a timex G5.1); then
     delete its `suggested: true` line. Values were resolved against the suggested DCT: if you
     change the DCT, re-check every record marked "relative to the DCT". Add the timexes the
     tagger missed.
  4. Check the guesses (outlet, byline, language) and fill in `annotator`.
  5. Add the claims (G2-G8) under `claims:`, replacing `[]` (a template is at the end).
  6. Run these until the first reports no problem (it refuses every `suggested: true` line),
     then open the page the second writes and read it against the article:
       harness validate annotations/{doc_id}.yaml
       harness review annotations/{doc_id}.yaml"""
    return ["# " + _comment(x) if x else "#" for x in lines.split("\n")] + [""]


def _published_block(
    text: str, candidates: list[_Candidate], chosen: _Candidate | None, out: list[str]
) -> dict[str, Any]:
    if candidates:
        out.append("# DCT candidates found in the page (G4.2 step 1), the detected stamp first:")
        for c in candidates[:_MAX_CANDIDATES]:
            out.append(
                f"#   line {_line_of(text, c.start)}, offset {c.start}: "
                f"{_comment(_shorten(c.quote, 60))} -> {c.value} ({c.how})"
            )
        if len(candidates) > _MAX_CANDIDATES:
            out.append(f"#   ... and {len(candidates) - _MAX_CANDIDATES} more full dates")
    else:
        out.append("# No full date (day, month and year) found in the page.")
    out.append("published:")
    if chosen is None:
        block: dict[str, Any] = {
            "value": "",
            "evidence": "TODO (G4.2 step 4): no stamp; infer the day from the body and say how.",
        }
        out.append(f"  value: {_q('')}  # TODO: YYYY-MM-DD, inferred from the body")
        out.append(f"  evidence: {_q(block['evidence'])}")
        return block
    block = {"value": chosen.value, "quote": chosen.quote}
    out.append(f"  value: {_q(chosen.value)}")
    out.append(f"  quote: {_q(chosen.quote)}")
    occ = _occurrence(text, chosen.quote, chosen.start)
    if occ is not None:
        block["occurrence"] = occ
        out.append(f"  occurrence: {occ}")
    block["evidence"] = (
        f"TODO (G4.2): suggested by harness new ({chosen.how}); check it against the body's "
        "relative dates and write here why it is the DCT."
    )
    out.append(f"  evidence: {_q(block['evidence'])}")
    block["suggested"] = True
    out.append("  suggested: true")
    return block


def _timex_block(
    text: str,
    suggestions: list[_Suggestion],
    unresolved: list[tuple[int, int, str, str]],
    chosen: _Candidate | None,
    out: list[str],
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    if not suggestions:
        out.append("timexes: []")
    else:
        against = f"resolved against the DCT {chosen.value}" if chosen else "absolute values only"
        out.append(f"# Machine suggestions ({against}); check each one (G5).")
        out.append("timexes:")
    for i, s in enumerate(suggestions, start=1):
        rec: dict[str, Any] = {"id": f"t{i}", "quote": s.quote}
        rel = "; relative to the DCT" if s.relative else ""
        out.append(
            f"  # line {_line_of(text, s.start)}: {_comment(_snippet(text, s.start, s.end))}{rel}"
        )
        out.append(f"  - id: t{i}")
        out.append(f"    quote: {_q(s.quote)}")
        occ = _occurrence(text, s.quote, s.start)
        if occ is not None:
            rec["occurrence"] = occ
            out.append(f"    occurrence: {occ}")
        rec.update(type=s.type, value=s.value)
        out.append(f"    type: {s.type}")
        out.append(f"    value: {_q(s.value)}")
        if s.mod:
            rec["mod"] = s.mod
            out.append(f"    mod: {s.mod}")
        rec["suggested"] = True
        out.append("    suggested: true")
        records.append(rec)
    if unresolved:
        out.append(
            "# Found by the tagger but not resolved; add them by hand if they are timexes (G5):"
        )
        for start, _end, quote, why in unresolved:
            out.append(
                f"#   line {_line_of(text, start)}, offset {start}: {_comment(_shorten(quote, 60))}"
                f" ({why})"
            )
    return records


_CLAIM_TEMPLATE = [
    "# Claim template (annotations/README.md; GUIDELINES G2-G8):",
    "#  - id: c1",
    '#    text: "A self-contained English sentence with absolute dates."',
    '#    evidence: "the minimal exact quote of the seed"',
    "#    occurrence: 2                 # only when the evidence occurs more than once",
    '#    claimant: "<AUTHOR>"          # or the source as the text names it (G6)',
    '#    date: {timex: t1}             # or {value: "2023-09", note: "why"}, or null (G7)',
    "#    cluster: null                 # or an id from annotations/clusters.yaml (G8)",
]


# guess_* and the suggestion functions live in harness.annotate.suggest; re-exported here.
__all__ = [
    "ScaffoldError",
    "dct_candidates",
    "guess_byline",
    "guess_language",
    "guess_outlet",
    "new_annotation",
    "render_scaffold",
    "suggest_timexes",
]
