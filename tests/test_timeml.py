"""The TimeML reader and importer, on small hand-written fixtures (tests/fixtures/timeml/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from harness.gold.timeml import (
    BAD_VALUE,
    EMPTY,
    OUTSIDE,
    TimemlError,
    import_timeml,
    outlet_for,
    pad_week,
    parse_timeml,
    read_all,
    read_timeml,
)

FIX = Path(__file__).parent / "fixtures" / "timeml"
APW = FIX / "good" / "APW19990312.0042.tml"
WSJ = FIX / "good" / "wsj_0001.tml"


def test_text_is_TEXT_with_tags_stripped_and_entities_unescaped() -> None:
    doc = read_timeml(APW)
    assert doc.text.startswith("\nBRIGHTPORT (AP) -- The port authority & the city said Thursday")
    assert 'the "harbor plan" would start early next month.' in doc.text
    assert "Café owners" in doc.text  # &#233;
    assert "<raw>" in doc.text  # CDATA is text
    assert "<EVENT" not in doc.text and "Harbor plan" not in doc.text  # TITLE is not read
    assert doc.text.endswith("tomorrow, after a while. <raw> \n")


def test_crlf_line_ends_become_newlines_as_xml_requires() -> None:
    doc = read_timeml(WSJ)
    assert doc.text == "\nShares rose yesterday.\nThey fell in the third quarter.\n"
    assert "\r" not in doc.text


def test_every_kept_timex_indexes_the_text_exactly() -> None:
    doc = read_timeml(APW)
    got = {t.tid: (doc.text[t.start : t.end], t.type, t.value, t.mod) for t in doc.timexes}
    assert got == {
        "t1": ("Thursday", "DATE", "1999-03-11", None),
        "t2": ("early next month", "DATE", "1999-04", "START"),
        "t5": ("two years", "DURATION", "P2Y", None),
        "t7": ("every week", "SET", "P1W", None),
        "t6": ("last week", "DATE", "1999-W07", None),  # written 1999-W7: padded
        "t8": ("tomorrow", "DATE", "P1D", None),  # TimeML's grammar does not tie value to type
    }
    assert all(doc.text[t.start : t.end] == t.text for t in doc.timexes)


def test_dct_and_timeml_attributes_are_kept_under_their_names() -> None:
    doc = read_timeml(APW)
    assert (doc.dct.tid, doc.dct.value) == ("t0", "1999-03-12T10:34:00")
    by_id = {t.tid: t for t in doc.timexes}
    assert by_id["t1"].timeml == {
        "anchorTimeID": "t0",
        "temporalFunction": "true",
        "functionInDocument": "NONE",
    }
    assert by_id["t7"].timeml["quant"] == "EVERY" and by_id["t7"].timeml["freq"] == "1X"
    skipped = {s.timex.tid: s for s in doc.skipped}
    assert skipped["t3"].timex.timeml["beginPoint"] == "t2"


def test_nothing_is_dropped_silently() -> None:
    doc = read_timeml(APW)
    reasons = {s.timex.tid: s.reason for s in doc.skipped}
    assert reasons == {"t90": OUTSIDE, "t3": EMPTY, "t9": BAD_VALUE}
    assert doc.n_timex3 == 10 == 1 + len(doc.timexes) + len(doc.skipped)
    bad = next(s for s in doc.skipped if s.timex.tid == "t9")
    assert "PXX" in bad.detail and bad.timex.line == 10


def test_a_one_digit_iso_week_is_kept_padded_with_the_written_value_under_timeml() -> None:
    doc = read_timeml(APW)
    week = next(t for t in doc.timexes if t.tid == "t6")
    assert (week.value, week.written_value, week.line) == ("1999-W07", "1999-W7", 9)
    assert week.timeml["value"] == "1999-W7"
    # values already in normal form carry no written value
    assert all("value" not in t.timeml for t in doc.timexes if t.tid != "t6")


@pytest.mark.parametrize(
    ("written", "padded"),
    [
        ("2000-W7", "2000-W07"),
        ("2000-W7-WE", "2000-W07-WE"),
        ("2000-W7/2000-W9", "2000-W07/2000-W09"),
        ("XXXX-W3", "XXXX-W03"),
        ("2000-W07", "2000-W07"),
        ("2000-W17", "2000-W17"),
        ("2000-07", "2000-07"),
        ("PXW", "PXW"),
    ],
)
def test_pad_week_pads_only_one_digit_week_numbers(written: str, padded: str) -> None:
    assert pad_week(written) == padded


@pytest.mark.parametrize(
    ("name", "outlet"),
    [
        ("APW19980213.1310", "AP"),
        ("AP900815-0044", "AP"),
        ("NYT19980206.0460", "NYT"),
        ("wsj_0006", "WSJ"),
        ("WSJ900813-0157", "WSJ"),
        ("XIE19980808.0031", "Xinhua"),
        ("CNN19980213.2130.0155", "CNN"),
        ("bbc_20130322_1353", "BBC"),
        ("ea980120.1830.0071", None),
        ("APWX1", None),  # a prefix must end at a digit, '_', '-' or '.'
    ],
)
def test_outlet_table(name: str, outlet: str | None) -> None:
    assert outlet_for(name)[0] == outlet


@pytest.mark.parametrize(
    ("fixture", "line", "element", "message"),
    [
        ("malformed.tml", 5, '<TIMEX3 tid="t1">', "malformed XML: mismatched tag"),
        ("no_dct.tml", 2, "<TimeML>", "no DCT"),
        ("no_value.tml", 6, '<TIMEX3 tid="t2">', "TIMEX3 has no 'value' attribute"),
        ("latin1.tml", 5, "<TEXT>", "not UTF-8: byte 0xE9"),
        ("entity_bomb.tml", 3, "<!DOCTYPE>", "entity declaration 'a' refused"),
        ("dangling_anchor.tml", 5, '<TIMEX3 tid="t1">', "anchorTimeID 't9' names no TIMEX3"),
    ],
)
def test_bad_input_names_file_line_and_element(
    fixture: str, line: int, element: str, message: str
) -> None:
    with pytest.raises(TimemlError) as info:
        read_timeml(FIX / "bad" / fixture, display=f"bad/{fixture}")
    err = info.value
    assert (err.file, err.line, err.element) == (f"bad/{fixture}", line, element)
    assert message in err.message
    assert str(err).startswith(f"bad/{fixture}:{line}")


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<TimeML><TEXT>x</TEXT></TimeML>", "no DCT"),
        (b'<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08"/></DCT></TimeML>', ""),
        (
            b'<?xml version="1.0" encoding="ISO-8859-1"?><TimeML><TEXT>x</TEXT></TimeML>',
            "declares encoding 'ISO-8859-1'",
        ),
        (
            b'<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" '
            b'functionInDocument="CREATION_TIME">x</TIMEX3></DCT><TEXT><TIMEX3 tid="t0" '
            b'type="DATE" value="1998">1998</TIMEX3></TEXT></TimeML>',
            "duplicate tid",
        ),
        (
            b'<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998" '
            b'functionInDocument="CREATION_TIME">x</TIMEX3></DCT><TEXT>y</TEXT></TimeML>',
            "day or minute precision",
        ),
        (b'<TimeML><TEXT><TIMEX3 type="DATE" value="1998">x</TIMEX3></TEXT></TimeML>', "'tid'"),
    ],
)
def test_more_bad_input(xml: bytes, message: str) -> None:
    with pytest.raises(TimemlError, match=message or "no TEXT element"):
        parse_timeml(xml, "x.tml", "x")


def test_lenient_skips_bad_documents_and_lists_them() -> None:
    with pytest.raises(TimemlError):
        read_all([FIX / "bad", FIX / "good"])
    docs, failed = read_all([FIX / "bad", FIX / "good"], lenient=True)
    assert sorted(d.doc_id for d in docs) == ["APW19990312.0042", "wsj_0001"]
    assert sorted(e.file for e in failed) == [
        f"bad/{n}.tml"
        for n in (
            "dangling_anchor",
            "entity_bomb",
            "latin1",
            "malformed",
            "no_dct",
            "no_value",
        )
    ]


def test_import_writes_a_corpus_and_a_summary_that_accounts_for_every_timex3(
    tmp_path: Path,
) -> None:
    out = tmp_path / "corpus"
    printed: list[str] = []
    summary = import_timeml([FIX / "good"], out, progress=printed.append)
    assert (summary.n_timex3, len(summary.documents), summary.n_kept) == (13, 2, 8)
    assert dict(summary.skipped_by_reason()) == {OUTSIDE: 1, EMPTY: 1, BAD_VALUE: 1}
    assert "  TIMEX3 elements read: 13 = 2 DCT + 8 gold timexes + 3 skipped" in printed
    assert "    kept with a normalized value (one-digit ISO week padded): 1" in printed
    assert any(line.endswith("t6 value='1999-W7' -> 1999-W07") for line in printed)
    record = json.loads((out / "import.json").read_text())
    assert record["timex3"] == 13 and record["kept"] == 8 and record["dct"] == 2
    assert len(record["skipped_timexes"]) == 3
    assert [(n["tid"], n["written"], n["value"]) for n in record["normalized_values"]] == [
        ("t6", "1999-W7", "1999-W07")
    ]
    seed = (out / "seeds" / "wsj_0001.txt").read_text(encoding="utf-8")
    data = yaml.safe_load((out / "annotations" / "wsj_0001.yaml").read_text(encoding="utf-8"))
    assert data["claims"] is None
    assert data["published"] == {
        "value": "1989-11-02",
        "evidence": "TimeML DCT",
        "timeml": {
            "tid": "t0",
            "type": "DATE",
            "temporalFunction": "false",
            "functionInDocument": "CREATION_TIME",
        },
    }
    assert data["outlet"] == "WSJ" and data["guidelines"] == "TimeML 1.2.1"
    assert [(t["id"], seed[t["start"] : t["end"]]) for t in data["timexes"]] == [
        ("t1", "yesterday"),
        ("t2", "in the third quarter"),
    ]
    assert all(t["quote"] == seed[t["start"] : t["end"]] for t in data["timexes"])


def test_import_is_deterministic_and_replaces_only_a_previous_import(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    import_timeml([FIX / "good"], out)
    first = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    import_timeml([FIX / "good"], out)
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == first
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(TimemlError, match="not a previous TimeML import"):
        import_timeml([FIX / "good"], other)
    assert (other / "notes.txt").read_text() == "keep me"
    # a stray import.json does not make a directory an import's: nothing of it is replaced
    for summary, reason in (('{"name": "x"}', "import.json is not an import summary"),
                            ("{}", "import.json is not an import summary")):  # fmt: skip
        (other / "import.json").write_text(summary)
        with pytest.raises(TimemlError, match=r"not a previous TimeML import \(it also holds"):
            import_timeml([FIX / "good"], other)
        (other / "notes.txt").rename(tmp_path / "notes.txt")
        with pytest.raises(TimemlError, match=reason):
            import_timeml([FIX / "good"], other)
        (tmp_path / "notes.txt").rename(other / "notes.txt")
    assert sorted(p.name for p in other.iterdir()) == ["import.json", "notes.txt"]


# --- the imported corpus in the rest of the harness ----------------------------------------------


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    out = tmp_path / "corpus"
    import_timeml([FIX / "good"], out)
    return out


def test_imported_corpus_validates_and_keeps_claims_not_annotated(imported: Path) -> None:
    from harness.gold.corpus import load_corpus

    corpus = load_corpus(imported / "annotations")
    assert len(corpus) == 2 and corpus.claim_documents == ()
    doc = corpus.get("APW19990312.0042")
    assert not doc.claims_annotated and doc.claims == ()
    assert doc.published.value == "1999-03-12T10:34" and doc.published.evidence == "TimeML DCT"
    t1 = doc.timex("t1")
    assert doc.text[t1.start : t1.end] == "Thursday"
    assert dict(t1.timeml)["anchorTimeID"] == "t0"
    assert doc.timex("t8").value == "P1D"  # TimeML grammar: value not tied to the DATE type
    assert "(2 with claims not annotated)" in corpus.summary()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("anchorTimeID: t0", "anchorTimeID: t77", "'t77' names no TIMEX3 of this file"),
        ("  start: 13\n", "  start: 12\n", "start is 12 but the quote is at 13-22"),
        ("  quote: yesterday", "  quote: yesterdays", "offsets 13-22 hold 'yesterday'"),
        ("guidelines: TimeML 1.2.1", "guidelines: '1.1'", "duration"),  # harness rules: typed
        ("\nclaims: null", "\nclaims: 3", "expected list or null"),
        (
            "    temporalFunction: 'true'",
            "    temporalFunktion: 'true'",
            "unknown TimeML attribute",
        ),
    ],
)
def test_validator_checks_imported_documents(
    imported: Path, old: str, new: str, message: str
) -> None:
    from harness.gold.validate import validate_corpus

    target = "wsj_0001" if "start: 13" in old or "yesterday" in old else "APW19990312.0042"
    _edit(imported / "annotations" / f"{target}.yaml", old, new)
    problems = [str(p) for p in validate_corpus(imported / "annotations").problems]
    assert any(message in p for p in problems), problems


def test_offsets_pick_the_occurrence_of_a_repeated_quote(tmp_path: Path) -> None:
    from harness.gold.validate import validate_corpus

    (tmp_path / "seeds").mkdir()
    (tmp_path / "annotations").mkdir()
    text = "It rained Monday. It snowed Monday.\n"
    (tmp_path / "seeds" / "d.txt").write_text(text, encoding="utf-8")
    import hashlib

    sha = hashlib.sha256(text.encode()).hexdigest()
    body = (
        f"id: d\nsource: seeds/d.txt\nsha256: {sha}\noutlet: null\nbyline: null\nlanguage: en\n"
        "annotator: x\nannotated: '2026-01-01'\nguidelines: '1.1'\n"
        "published: {value: '2023-09-12', evidence: e}\n"
        "timexes:\n  - {id: t1, quote: Monday, start: 28, end: 34, type: DATE, value: '2023-09-11'}\n"
        "claims: []\n"
    )
    (tmp_path / "annotations" / "d.yaml").write_text(body, encoding="utf-8")
    result = validate_corpus(tmp_path / "annotations")
    assert result.problems == []
    doc = result.corpus.get("d")
    assert (doc.timex("t1").start, doc.claims_annotated) == (28, True)
    _edit(tmp_path / "annotations" / "d.yaml", "end: 34", "end: 34, occurrence: 1")
    problems = [str(p) for p in validate_corpus(tmp_path / "annotations").problems]
    assert any("occurrence 1 is not the match at start 28" in p for p in problems), problems


def test_claim_metrics_leave_out_documents_without_claim_annotation(imported: Path) -> None:
    """A claims: null document is not a document where every prediction is spurious."""
    from harness.extraction.api import PredictedClaim, PredictedTimex
    from harness.extraction.predictions import Predictions
    from harness.gold.corpus import load_corpus
    from harness.scoring.match import get_mode
    from harness.scoring.score import ScoreConfig, score, summarize

    corpus = load_corpus(imported / "annotations")
    claim = PredictedClaim("wsj_0001", "Shares rose yesterday.", 1, 23)
    timex = PredictedTimex("wsj_0001", 13, 22, "yesterday", "DATE", "1989-11-01")
    preds = Predictions(claims={"wsj_0001": (claim,)}, timexes={"wsj_0001": (timex,)})
    config = ScoreConfig(get_mode("span"), n_resamples=10)
    result = score(corpus, preds, config, "x")
    assert result.doc_ids == [] and result.predictions_not_scored == 1
    summary = summarize(result, config, {})
    assert summary["overall"]["n_pred"] == 0 and summary["overall"]["n_gold"] == 0
    assert summary["claims_not_annotated"]["documents"] == 2
    assert summary["timex"]["overall"]["n_gold"] == 8
    assert summary["timex"]["per_document"]["wsj_0001"]["strict_f1"] == pytest.approx(2 / 3)


def test_cli_import_then_validate_export_review(imported: Path, tmp_path: Path, capsys) -> None:
    from harness.cli import main

    assert main(["import", "timeml", str(FIX / "good"), "--out", str(tmp_path / "c2")]) == 0
    assert "TIMEX3 elements read: 13" in capsys.readouterr().out
    assert main(["import", "timeml", str(FIX / "bad"), "--out", str(tmp_path / "c3")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: bad/") and "--lenient" in err
    assert main(["validate", "--annotations", str(imported)]) == 0
    assert capsys.readouterr().out.startswith("OK: 2 documents")
    assert main(["export", "--format", "jsonl", "--annotations", str(imported)]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["claims"] for r in rows] == [None, None]
    assert main(["review", "--annotations", str(imported), "--out", str(tmp_path / "r")]) == 0
    page = (tmp_path / "r" / "wsj_0001.html").read_text(encoding="utf-8")
    assert "claims not annotated" in page


def test_cli_import_offers_lenient_only_for_a_document_it_could_skip(tmp_path, capsys) -> None:
    import os

    from harness.cli import main

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine", encoding="utf-8")
    cases = [
        ([str(tmp_path / "missing")], "missing: no such file or directory"),
        ([str(fifo)], "fifo: is neither a regular file nor a directory (a FIFO or a device)"),
        ([str(taken)], "taken: no .tml files in this directory"),
        ([str(FIX / "good"), "--out", str(taken)], "taken: exists and is not a previous TimeML"),
    ]
    for args, message in cases:
        out = [] if "--out" in args else ["--out", str(tmp_path / "c")]
        assert main(["import", "timeml", *args, *out]) == 2
        err = capsys.readouterr().err
        assert message in err and "--lenient" not in err, err
    assert (taken / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_two_timeml_files_with_the_same_text_are_two_documents(tmp_path: Path) -> None:
    from harness.gold.corpus import load_corpus

    src = tmp_path / "src"
    src.mkdir()
    (src / "wsj_0001.tml").write_bytes(WSJ.read_bytes())
    (src / "wsj_0002.tml").write_bytes(WSJ.read_bytes())
    import_timeml([src], tmp_path / "out")
    assert load_corpus(tmp_path / "out" / "annotations").doc_ids == ("wsj_0001", "wsj_0002")
