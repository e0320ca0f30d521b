"""Stand-off claims over an imported corpus: merged, checked against the text's sha256, refused
when they do not fit; and a collection with ``claims`` evaluates only its annotated documents."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from harness.cli import main
from harness.gold.collections import load_collections
from harness.gold.standoff import StandoffError, overlay, to_standoff
from harness.gold.timeml import import_timeml
from harness.gold.validate import validate_corpus

TIMEML = Path(__file__).parent / "fixtures" / "timeml" / "good"
TEXT = "\nShares rose yesterday.\nThey fell in the third quarter.\n"
SHA = hashlib.sha256(TEXT.encode()).hexdigest()

CLAIMS = [
    {
        "id": "c1",
        "text": "Shares rose on the day before the publication date.",
        "start": 1,
        "end": 22,
        "claimant": "<AUTHOR>",
        "date": {"timex": "t1"},
        "cluster": None,
    }
]
#: The same claim as an annotator writes it on a copy of the import: a quote, no offsets.
QUOTED = [
    {k: v for k, v in CLAIMS[0].items() if k not in ("start", "end")}
    | {"evidence": "Shares rose yesterday"}
]


def standoff_doc(**changes) -> dict:
    doc = {
        "id": "wsj_0001",
        "tml_file": "good/wsj_0001.tml",
        "text_sha256": SHA,
        "guidelines": "1.1",
        "annotator": "annotator-a",
        "annotated": "2026-11-29",
        "claims": CLAIMS,
    }
    doc.update(changes)
    return doc


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    import_timeml([TIMEML], tmp_path / "import")
    assert (tmp_path / "import" / "seeds" / "wsj_0001.txt").read_text() == TEXT
    return tmp_path / "import"


def write(directory: Path, doc: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{doc['id']}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_overlay_merges_claims_and_keeps_only_annotated_documents(
    imported: Path, tmp_path: Path
) -> None:
    write(tmp_path / "so", standoff_doc())
    merged = overlay(imported, tmp_path / "so", tmp_path / "merged")
    assert sorted(p.name for p in merged.glob("*.yaml")) == ["wsj_0001.yaml"]
    result = validate_corpus(merged, None)
    assert result.problems == []
    doc = yaml.safe_load((merged / "wsj_0001.yaml").read_text())
    assert doc["claims"][0]["evidence"] == "Shares rose yesterday"
    assert doc["annotator"] == "annotator-a" and doc["timexes"][0]["id"] == "t1"


def test_a_different_copy_of_the_text_is_refused_with_file_line_and_field(
    imported: Path, tmp_path: Path
) -> None:
    path = write(tmp_path / "so", standoff_doc(text_sha256="0" * 64))
    with pytest.raises(StandoffError) as err:
        overlay(imported, tmp_path / "so", tmp_path / "merged")
    assert f"{path}:3: text_sha256:" in str(err.value) and "different copy" in str(err.value)
    assert not (tmp_path / "merged").exists()  # nothing half-written


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "wsj_9999"}, "differs from the file name"),
        ({"claims": None}, "claims must be a list"),
        ({"extra": 1}, "unknown key 'extra'"),
    ],
)
def test_malformed_standoff_files_are_refused(
    imported: Path, tmp_path: Path, change: dict, message: str
) -> None:
    doc = standoff_doc(**change)
    path = tmp_path / "so" / "wsj_0001.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    with pytest.raises(StandoffError, match=message):
        overlay(imported, tmp_path / "so", tmp_path / "merged")


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        (QUOTED[0], "give the evidence as integer start/end offsets, not as a quote"),
        (dict(CLAIMS[0], end=999), "start/end 1-999 outside the text"),
        (dict(CLAIMS[0], start="1"), "integer start/end offsets"),
    ],
)
def test_standoff_evidence_is_offsets_in_range_never_a_quote(
    imported: Path, tmp_path: Path, claim: dict, message: str
) -> None:
    write(tmp_path / "so", standoff_doc(claims=[claim]))
    with pytest.raises(StandoffError, match=message):
        overlay(imported, tmp_path / "so", tmp_path / "merged")


def test_standoff_command_writes_what_overlay_reads(imported: Path, tmp_path: Path) -> None:
    gold = imported / "annotations" / "wsj_0001.yaml"
    with pytest.raises(StandoffError, match="claims: not annotated"):
        to_standoff(gold, "1.1")
    doc = yaml.safe_load(gold.read_text())
    doc["claims"] = QUOTED
    doc["annotator"] = "annotator-a"
    gold.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    assert main(["standoff", str(gold), "--out", str(tmp_path / "so"), "--guidelines", "1.1"]) == 0
    written = yaml.safe_load((tmp_path / "so" / "wsj_0001.yaml").read_text())
    assert written["text_sha256"] == SHA and written["tml_file"] == "good/wsj_0001.tml"
    assert "Shares rose yesterday" not in (tmp_path / "so" / "wsj_0001.yaml").read_text()
    assert written["claims"][0]["start"] == 1 and written["claims"][0]["end"] == 22
    merged = overlay(imported, tmp_path / "so", tmp_path / "merged")
    assert validate_corpus(merged, None).problems == []
    # the copy's cluster file, which COPY/annotations/*.yaml names too, is copied as it is
    clusters = imported / "annotations" / "clusters.yaml"
    clusters.write_text("clusters:\n  rise: shares rose\n", encoding="utf-8")
    files = [str(clusters), str(gold)]
    assert main(["standoff", *files, "--out", str(tmp_path / "so2"), "--guidelines", "1.1"]) == 0
    assert (tmp_path / "so2" / "clusters.yaml").read_text() == clusters.read_text()
    assert (tmp_path / "so2" / "wsj_0001.yaml").read_text() == (
        tmp_path / "so" / "wsj_0001.yaml"
    ).read_text()


def test_collection_with_claims_is_not_run_without_annotations_then_merged(
    tmp_path: Path, monkeypatch
) -> None:
    shutil.copytree(TIMEML, tmp_path / "data" / "good")
    (tmp_path / "collections.yaml").write_text(
        "collections:\n  news-test:\n    format: timeml\n    env: HARNESS_TEST_TIMEML\n"
        "    inputs: [good]\n    claims: claims\n    split: test\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HARNESS_TEST_TIMEML", str(tmp_path / "data"))
    (coll,) = load_collections(tmp_path / "collections.yaml")
    assert coll.absent_reason() == "not run: no stand-off claim files in claims"
    write(tmp_path / "claims", standoff_doc())
    assert coll.absent_reason() is None
    merged = coll.annotations()
    assert [p.name for p in merged.glob("*.yaml")] == ["wsj_0001.yaml"]
    assert coll.annotations() == merged  # unchanged annotations: the merge is reused
    write(tmp_path / "claims", standoff_doc(annotator="annotator-b"))
    again = coll.annotations()
    assert again != merged and not merged.parent.exists()


def test_standoff_refuses_what_validation_refuses_and_never_its_own_input(
    imported: Path, tmp_path: Path, capsys
) -> None:
    import os

    gold = imported / "annotations" / "wsj_0001.yaml"
    doc = yaml.safe_load(gold.read_text())
    doc["claims"] = [QUOTED[0] | {"date": {"timex": "t99"}}]
    gold.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    with pytest.raises(
        StandoffError, match=r"1 validation problem\(s\):\n.*no timex with id 't99'"
    ):
        to_standoff(gold, "1.1")
    doc["claims"] = QUOTED
    gold.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    before = gold.read_text()
    argv = ["standoff", str(gold), "--guidelines", "1.1", "--out", str(gold.parent)]
    assert main(argv) == 2
    assert "would replace this file with its stand-off form" in capsys.readouterr().err
    assert gold.read_text() == before
    os.mkfifo(imported / "annotations" / "fifo.yaml")
    with pytest.raises(StandoffError, match="is not a regular file"):
        to_standoff(imported / "annotations" / "fifo.yaml", "1.1")


def test_many_files_of_one_directory_read_its_cluster_file_once(
    imported: Path, tmp_path: Path, monkeypatch
) -> None:
    from harness.gold import validate

    gold = imported / "annotations" / "wsj_0001.yaml"
    doc = yaml.safe_load(gold.read_text())
    doc["claims"] = QUOTED
    gold.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    alone = to_standoff(gold, "1.1")
    calls = []
    real = validate.load_clusters

    def counted(*args):
        calls.append(args[0])
        return real(*args)

    monkeypatch.setattr(validate, "load_clusters", counted)
    read: dict = {}
    assert [to_standoff(gold, "1.1", read) for _ in range(3)] == [alone] * 3
    assert len(calls) == 1 and list(read) == [gold.resolve().parent]
    # the command keeps them across its files too
    assert main(["standoff", str(gold), str(gold), "--out", str(tmp_path / "so"),
                 "--guidelines", "1.1"]) == 0  # fmt: skip
    assert len(calls) == 2
