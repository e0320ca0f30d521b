"""One test per validator error class, each asserting the message that names file, field and fix."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.gold.validate import validate_corpus

SEED = "Kim will visit Russia\u00a0soon, the Kremlin said on Monday. He said “yes” on Monday.\n"


def _project(tmp_path: Path, body: str, seed: str = SEED, clusters: str | None = None) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "annotations").mkdir()
    (tmp_path / "seeds" / "doc.txt").write_text(seed, encoding="utf-8")
    sha = hashlib.sha256(seed.encode()).hexdigest()
    head = textwrap.dedent(f"""\
        id: doc
        source: seeds/doc.txt
        sha256: {sha}
        outlet: null
        byline: null
        language: en
        annotator: test
        annotated: "2026-11-22"
        guidelines: "1.0"
        published:
          value: "2023-09-12"
          evidence: "test"
        """)
    (tmp_path / "annotations" / "doc.yaml").write_text(
        head + textwrap.dedent(body), encoding="utf-8"
    )
    if clusters is not None:
        (tmp_path / "annotations" / "clusters.yaml").write_text(clusters, encoding="utf-8")
    return tmp_path / "annotations"


GOOD = """\
timexes:
  - {id: t1, quote: "Monday", occurrence: 1, type: DATE, value: "2023-09-11"}
claims:
  - id: c1
    text: "Kim Jong-un will visit Russia soon."
    evidence: "Kim will visit Russia\u00a0soon"
    claimant: the Kremlin
    date: {value: FUTURE_REF, note: "soon"}
    cluster: null
"""


def _messages(annotations: Path) -> list[str]:
    return [str(p) for p in validate_corpus(annotations).problems]


def test_a_valid_file_has_no_problem(tmp_path):
    assert _messages(_project(tmp_path, GOOD)) == []


def test_duplicate_yaml_keys_are_an_error_with_both_lines(tmp_path):
    body = GOOD.replace(
        "    claimant: the Kremlin\n", "    claimant: the Kremlin\n    claimant: <AUTHOR>\n"
    )
    (msg,) = _messages(_project(tmp_path, body))
    assert "annotations/doc.yaml:" in msg and "duplicate key 'claimant' (first at line" in msg


def test_unknown_key_names_record_field_and_suggests_the_right_one(tmp_path):
    msgs = _messages(_project(tmp_path, GOOD.replace("claimant:", "claimnt:")))
    assert any("c1.claimnt: unknown key; hint: did you mean 'claimant'?" in m for m in msgs)
    assert any("c1.claimant: missing required key" in m for m in msgs)


def test_missing_key_is_reported_for_the_record(tmp_path):
    msgs = _messages(_project(tmp_path, GOOD.replace("    cluster: null\n", "")))
    assert any("c1.cluster: missing required key" in m for m in msgs)


def test_wrong_type_suggests_quoting_a_year(tmp_path):
    body = GOOD.replace('value: "2023-09-11"', "value: 2023")
    msgs = _messages(_project(tmp_path, body))
    assert any(
        "t1.value: expected string, got integer 2023" in m and 'quote it: "2023"' in m for m in msgs
    )


def test_python_tags_are_refused_by_safe_loading(tmp_path):
    body = GOOD.replace("cluster: null", "cluster: !!python/object/apply:os.system [echo]")
    (msg,) = _messages(_project(tmp_path, body))
    assert "could not determine a constructor" in msg and "not allowed" in msg


def test_changed_seed_is_caught_by_its_hash(tmp_path):
    ann = _project(tmp_path, GOOD)
    (tmp_path / "seeds" / "doc.txt").write_text(SEED + "edit\n", encoding="utf-8")
    msgs = _messages(ann)
    assert any("sha256" in m and "the seed changed after annotation" in m for m in msgs)


def test_missing_seed_file_is_named(tmp_path):
    ann = _project(tmp_path, GOOD)
    (tmp_path / "seeds" / "doc.txt").unlink()
    (msg,) = _messages(ann)
    assert "seed file 'seeds/doc.txt' not found" in msg


def test_quote_with_a_plain_space_where_the_seed_has_nbsp_names_the_character(tmp_path):
    body = GOOD.replace("Russia\u00a0soon", "Russia soon")
    (msg,) = _messages(_project(tmp_path, body))
    assert "c1.evidence: quote not found exactly" in msg
    assert "U+00A0 NO-BREAK SPACE at offset 21 where the quote has U+0020 SPACE" in msg


def test_quote_not_found_shows_the_nearest_text(tmp_path):
    body = GOOD.replace("Kim will visit Russia\u00a0soon", "Kim will visit Rusia\u00a0soon")
    (msg,) = _messages(_project(tmp_path, body))
    assert "quote not found; nearest text at offset" in msg and "'Kim will visit Russia" in msg


def test_repeated_quote_needs_an_occurrence(tmp_path):
    (msg,) = _messages(_project(tmp_path, GOOD.replace(", occurrence: 1", "")))
    assert "t1.quote: quote occurs 2 times" in msg and "add 'occurrence: N'" in msg


def test_occurrence_beyond_the_matches_is_an_error(tmp_path):
    (msg,) = _messages(_project(tmp_path, GOOD.replace("occurrence: 1", "occurrence: 3")))
    assert "occurrence 3 but the quote occurs 2 time(s)" in msg


def test_inconsistent_offsets_are_reported(tmp_path):
    body = GOOD.replace(
        'type: DATE, value: "2023-09-11"}', 'type: DATE, value: "2023-09-11", start: 5, end: 11}'
    )
    msgs = _messages(_project(tmp_path, body))
    assert any("t1.start: start is 5 but the quote is at 48-54" in m and "--fix" in m for m in msgs)
    assert any("t1.end: end is 11 but the quote is at 48-54" in m for m in msgs)


def test_duplicate_ids_are_an_error(tmp_path):
    body = GOOD.replace(
        "timexes:\n", 'timexes:\n  - {id: t1, quote: "Kim", type: DATE, value: "2023"}\n'
    )
    msgs = _messages(_project(tmp_path, body))
    assert any("duplicate timex id (first at line" in m for m in msgs)


def test_malformed_timex3_value_is_explained(tmp_path):
    (msg,) = _messages(_project(tmp_path, GOOD.replace('"2023-09-11"', '"2023-13-01"')))
    assert "t1.value: '2023-13-01': month 13 is out of range" in msg


def test_duration_value_under_date_type_is_an_error(tmp_path):
    (msg,) = _messages(_project(tmp_path, GOOD.replace('"2023-09-11"', '"P2D"')))
    assert "type DATE cannot take the duration 'P2D'; use DURATION" in msg


def test_claim_date_referencing_a_missing_timex(tmp_path):
    body = GOOD.replace('date: {value: FUTURE_REF, note: "soon"}', "date: {timex: t9}")
    (msg,) = _messages(_project(tmp_path, body))
    assert "c1.date.timex: no timex with id 't9' in this file" in msg


def test_inferred_claim_date_needs_a_note(tmp_path):
    body = GOOD.replace('date: {value: FUTURE_REF, note: "soon"}', "date: {value: FUTURE_REF}")
    (msg,) = _messages(_project(tmp_path, body))
    assert "c1.date.note: an inferred date needs a note" in msg


def test_undeclared_cluster_is_an_error(tmp_path):
    clusters = "clusters:\n  visit-2023: a visit\n  other: another\n"
    body = GOOD.replace("cluster: null", "cluster: visit-2024")
    msgs = _messages(_project(tmp_path, body, clusters=clusters))
    assert any(
        "cluster 'visit-2024' is not declared" in m and "did you mean 'visit-2023'?" in m
        for m in msgs
    )


def test_cluster_used_by_fewer_than_two_claims_is_an_error(tmp_path):
    clusters = "clusters:\n  visit-2023: a visit\n"
    msgs = _messages(
        _project(tmp_path, GOOD.replace("cluster: null", "cluster: visit-2023"), clusters=clusters)
    )
    assert msgs == [
        "annotations/clusters.yaml: visit-2023: cluster is used by 1 claim(s); a cluster needs at "
        "least two (G8.2); hint: use it, or delete it and set the claim's cluster to null"
    ]


def test_a_file_that_cannot_be_read_leaves_the_cluster_counts_unchecked(tmp_path):
    """Its claims are in no count: its clusters are not reported as unused beside its error."""
    clusters = "clusters:\n  visit-2023: a visit\n"
    body = GOOD.replace("cluster: null", "cluster: visit-2023")
    ann = _project(tmp_path, body + "  - 2\n  - [\n", clusters=clusters)
    msgs = _messages(ann)
    assert len(msgs) == 1 and "invalid YAML" in msgs[0] and "clusters.yaml" not in msgs[0]
    (ann / "doc.yaml").write_text((ann / "doc.yaml").read_text()[: -len("  - 2\n  - [\n")])
    assert [m.split(": ")[1] for m in _messages(ann)] == ["visit-2023"]  # once all read


def test_a_control_character_names_its_line_and_a_hint(tmp_path):
    ann = _project(tmp_path, GOOD.replace("the Kremlin", "the Kremlin\x00"))
    (msg,) = _messages(ann)
    line = (ann / "doc.yaml").read_text().split("\n").index("    claimant: the Kremlin\x00") + 1
    assert msg.startswith(f"annotations/doc.yaml:{line}: invalid YAML: unacceptable character ")
    assert "#x0000" in msg and "hint: delete it" in msg


def test_a_seed_that_is_not_utf8_names_its_line(tmp_path):
    ann = _project(tmp_path, GOOD)
    raw = SEED.encode() + b"caf\xe9\n"
    (tmp_path / "seeds" / "doc.txt").write_bytes(raw)
    msgs = _messages(ann)
    assert "annotations/doc.yaml:2: source: seed seeds/doc.txt is not UTF-8 (line 2, byte " \
        f"{len(SEED.encode()) + 3}); hint: save it as UTF-8" in msgs  # fmt: skip


def test_unconfirmed_suggestion_is_refused(tmp_path):
    body = GOOD.replace('value: "2023-09-11"}', 'value: "2023-09-11", suggested: true}')
    (msg,) = _messages(_project(tmp_path, body))
    assert "t1.suggested: unconfirmed machine suggestion" in msg


def test_duplicate_of_must_name_an_earlier_identical_claim(tmp_path):
    body = (
        GOOD
        + '  - {id: c2, text: "x", evidence: "the Kremlin said", claimant: x, date: null, cluster: null, duplicate_of: c1}\n'
    )
    (msg,) = _messages(_project(tmp_path, body))
    assert "c2.duplicate_of: evidence differs from c1's" in msg


def test_dct_must_have_day_precision(tmp_path):
    ann = _project(tmp_path, GOOD)
    p = ann / "doc.yaml"
    p.write_text(p.read_text().replace('value: "2023-09-12"', 'value: "2023-09"'))
    (msg,) = _messages(ann)
    assert "published.value: the DCT must have day or minute precision" in msg


def test_validate_exits_one_with_a_summary_on_problems(tmp_path, capsys):
    from harness.cli import main

    ann = _project(tmp_path, GOOD.replace("occurrence: 1", "occurrence: 3"))
    assert main(["validate", "--annotations", str(ann)]) == 1
    out = capsys.readouterr()
    assert "occurrence 3" in out.err and out.out.startswith("1 problem(s): 1 documents, 1 claims")
    (tmp_path / "ok").mkdir()
    ann2 = _project(tmp_path / "ok", GOOD)
    assert main(["validate", "--annotations", str(ann2)]) == 0
    assert capsys.readouterr().out.startswith("OK: 1 documents, 1 claims, 1 timexes, 0 clusters")


def test_fix_writes_derived_offsets_and_keeps_comments(tmp_path):
    from harness.annotate.fix import fix_files

    ann = _project(tmp_path, "# keep me\n" + GOOD)
    ((_, changes),) = fix_files(ann)
    text = (ann / "doc.yaml").read_text()
    assert "t1: start/end set to 48-54" in changes and "# keep me" in text
    assert "start: 48" in text and _messages(ann) == []


@pytest.mark.parametrize("bad", ["[1, 2]\n", "just a string\n"])
def test_a_file_that_is_not_a_mapping_is_reported(tmp_path, bad):
    ann = _project(tmp_path, GOOD)
    (ann / "doc.yaml").write_text(bad)
    (msg,) = _messages(ann)
    assert "expected a mapping" in msg


def test_a_billion_laughs_annotation_is_a_problem_with_file_and_line(tmp_path):
    from tests.test_yamlio import LAUGHS

    ann = _project(tmp_path, GOOD)
    (ann / "doc.yaml").write_text(LAUGHS)
    (msg,) = _messages(ann)
    assert "annotations/doc.yaml:" in msg and "aliases repeat more than" in msg and "hint" in msg


def test_a_wrong_type_message_quotes_at_most_a_cut_value(tmp_path):
    body = GOOD.replace("cluster: null", "cluster: [" + ", ".join(["x" * 50] * 2000) + "]")
    msgs = _messages(_project(tmp_path, body))
    assert msgs and all(len(m) < 400 for m in msgs)


def test_fix_keeps_the_file_mode(tmp_path):
    import os

    from harness.annotate.fix import fix_files

    ann = _project(tmp_path, GOOD)
    os.chmod(ann / "doc.yaml", 0o664)
    ((_, changes),) = fix_files(ann)
    assert changes and (ann / "doc.yaml").stat().st_mode & 0o777 == 0o664


def test_fix_neither_reads_nor_writes_files_that_validation_refuses(tmp_path, capsys):
    """``--fix`` picks its files as validation does: a file named from another directory, and a
    link that leads out of the project, are left as they are (validation reports both). A link
    inside the project is fixed through: its target is written and the link kept."""
    from harness.annotate.fix import fix_files
    from harness.cli import main

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    annotations = _project(tmp_path / "a", GOOD)
    other = _project(tmp_path / "b", GOOD)
    before = (other / "doc.yaml").read_text(encoding="utf-8")
    assert "start:" not in before
    assert fix_files(annotations, [other / "doc.yaml"]) == []
    assert (other / "doc.yaml").read_text(encoding="utf-8") == before
    code = main(["validate", "--annotations", str(annotations), "--fix", str(other / "doc.yaml")])
    assert code == 1 and "not in the annotations directory" in capsys.readouterr().err
    assert (other / "doc.yaml").read_text(encoding="utf-8") == before
    # a link out of the project: not followed, not replaced by a file
    (annotations / "doc.yaml").unlink()
    (annotations / "doc.yaml").symlink_to(other / "doc.yaml")
    for files in (None, [annotations / "doc.yaml"]):
        assert fix_files(annotations, files) == []
        assert (annotations / "doc.yaml").is_symlink()
        assert (other / "doc.yaml").read_text(encoding="utf-8") == before
    # a link inside the project: its target is fixed, and it stays a link
    (annotations / "doc.yaml").unlink()
    (annotations.parent / "real.yaml").write_text(before, encoding="utf-8")
    (annotations / "doc.yaml").symlink_to(annotations.parent / "real.yaml")
    ((_, changes),) = fix_files(annotations)
    assert changes and (annotations / "doc.yaml").is_symlink()
    assert "start:" in (annotations.parent / "real.yaml").read_text(encoding="utf-8")
    # the same file named from inside is fixed
    (annotations / "doc.yaml").unlink()
    (annotations / "doc.yaml").write_text(before, encoding="utf-8")
    ((_, changes),) = fix_files(annotations, [annotations / "doc.yaml"])
    assert changes and "start:" in (annotations / "doc.yaml").read_text(encoding="utf-8")


def test_files_checked_in_several_processes_give_the_same_corpus_and_messages(
    tmp_path, monkeypatch, capsys
):
    """``--workers 2`` (loky processes, here from two files on) finds the same problems, in the
    same order, and builds the same corpus as one process; broken files included."""
    import shutil

    import harness.gold.validate as V
    from harness.cli import main

    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    shutil.copytree(root / "annotations", tmp_path / "annotations")
    ann = tmp_path / "annotations"
    files = sorted(p for p in ann.glob("*.yaml") if p.name != "clusters.yaml")
    files[1].write_text(files[1].read_text(encoding="utf-8") + "id: again\n", encoding="utf-8")
    text = files[3].read_text(encoding="utf-8")
    files[3].write_text(text.replace("value:", "value: 2019-13-45 #", 1), encoding="utf-8")
    one = validate_corpus(ann)
    monkeypatch.setattr(V, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(V, "CHUNK_FILES", 2)
    two = validate_corpus(ann, workers=2)
    assert len(one.problems) >= 2 and one.problems == two.problems
    assert one.corpus == two.corpus and one.corpus.hash == two.corpus.hash
    # the workers' pickles go to disk as they came: a budget of one document spills the rest
    from harness.gold import spill

    monkeypatch.setattr(spill, "HOT_BYTES", 1)
    spilled = validate_corpus(ann, workers=2)
    assert len(spilled.corpus.documents._spill) == len(one.corpus) > 1
    assert list(spilled.corpus.documents) == list(one.corpus.documents)
    assert spilled.problems == one.problems and spilled.corpus.hash == one.corpus.hash
    assert main(["validate", "--annotations", str(ann), "--workers", "0"]) == 2
    assert "--workers: 0 is not a number of processes" in capsys.readouterr().err


def test_files_named_outside_the_annotations_directory_are_problems_not_crashes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    annotations = _project(tmp_path / "a", GOOD)
    other = _project(tmp_path / "b", GOOD)
    result = validate_corpus(
        annotations,
        [other / "doc.yaml", other, annotations / "missing.yaml", annotations / "doc.yaml"],
    )
    messages = [str(p) for p in result.problems]
    assert messages == [
        f"{other / 'doc.yaml'}: not in the annotations directory {annotations}; "
        f"hint: validate it with --annotations {other}",
        f"{other}: is a directory, not an annotation file; "
        f"hint: name the files, or validate the whole directory: --annotations {other}",
        f"{annotations / 'missing.yaml'}: file not found",
    ]
    assert [d.doc_id for d in result.corpus.documents] == ["doc"]


def test_annotation_and_cluster_files_that_link_outside_the_project_are_not_read(tmp_path):
    (tmp_path / "p").mkdir()
    annotations = _project(tmp_path / "p", GOOD)
    outside = tmp_path / "outside"
    outside.mkdir()
    (annotations / "doc.yaml").rename(outside / "doc.yaml")
    (annotations / "doc.yaml").symlink_to(outside / "doc.yaml")
    (outside / "clusters.yaml").write_text("clusters: {}\n", encoding="utf-8")
    (annotations / "clusters.yaml").symlink_to(outside / "clusters.yaml")
    project = annotations.resolve().parent
    for files in (None, [annotations / "doc.yaml"]):
        result = validate_corpus(annotations, files)
        assert [str(p) for p in result.problems] == [
            f"{annotations / 'clusters.yaml'}: links to {(outside / 'clusters.yaml').resolve()}, "
            f"outside the project {project}; hint: nothing is read outside the project: copy "
            "the file into the annotations directory",
            f"{annotations / 'doc.yaml'}: links to {(outside / 'doc.yaml').resolve()}, outside "
            f"the project {project}; hint: nothing is read outside the project: copy the file "
            "into the annotations directory",
        ]
        assert len(result.corpus) == 0


def test_a_link_inside_the_project_is_read_like_the_file(tmp_path):
    (tmp_path / "p").mkdir()
    annotations = _project(tmp_path / "p", GOOD)
    (annotations / "doc.yaml").rename(annotations.parent / "doc.yaml")
    (annotations / "doc.yaml").symlink_to(annotations.parent / "doc.yaml")
    for files in (None, [annotations / "doc.yaml"]):
        result = validate_corpus(annotations, files)
        assert result.problems == [] and [d.doc_id for d in result.corpus.documents] == ["doc"]


def test_nothing_outside_the_project_is_read_and_no_special_file_blocks(tmp_path, capsys):
    """seeds/ linked out of the project, an annotation file linked out (for review and agree
    too), a FIFO or a directory where an annotation or the cluster file should be, and a link
    loop: each is a problem, nothing outside is read, and nothing waits on a FIFO."""
    import os

    from harness.annotate.agree import AgreementError, agree
    from harness.annotate.review import render_review
    from harness.cli import main

    (tmp_path / "p").mkdir()
    annotations = _project(tmp_path / "p", GOOD)
    project = annotations.parent
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "doc.txt").write_text("SECRET " + SEED, encoding="utf-8")
    # seeds/ itself a link out of the project
    (project / "seeds" / "doc.txt").rename(project / "doc.txt")
    (project / "seeds").rmdir()
    (project / "seeds").symlink_to(outside)
    (msg,) = [str(p) for p in validate_corpus(annotations).problems]
    assert "seeds/ leads outside the project" in msg and "SECRET" not in msg
    review = render_review(None, tmp_path / "review", annotations)
    assert not any("SECRET" in p.read_text() for p in review)
    (project / "seeds").unlink()
    (project / "seeds").mkdir()
    (project / "doc.txt").rename(project / "seeds" / "doc.txt")
    assert validate_corpus(annotations).problems == []
    # an annotation file linked out of the project: review and agree refuse it unread
    (outside / "x.yaml").write_text("id: [SECRET_TOKEN]\n", encoding="utf-8")
    (annotations / "x.yaml").symlink_to(outside / "x.yaml")
    review = render_review([annotations / "x.yaml"], tmp_path / "review2", annotations)
    assert all("SECRET" not in p.read_text() for p in review)
    assert "outside the project" in review[0].read_text()
    with pytest.raises(AgreementError) as info:
        agree(annotations / "doc.yaml", annotations / "x.yaml", annotations)
    assert "outside the project" in str(info.value) and "SECRET" not in str(info.value)
    (annotations / "x.yaml").unlink()
    # a FIFO as an annotation file and as the cluster file, a directory, a link loop
    os.mkfifo(annotations / "fifo.yaml")
    (annotations / "dir.yaml").mkdir()
    (annotations / "loop.yaml").symlink_to(annotations / "loop.yaml")
    messages = [str(p) for p in validate_corpus(annotations).problems]
    assert messages == [
        "annotations/dir.yaml: is not a regular file (a directory, a FIFO or a device); "
        "hint: annotation files are YAML files",
        "annotations/fifo.yaml: is not a regular file (a directory, a FIFO or a device); "
        "hint: annotation files are YAML files",
        f"{annotations / 'loop.yaml'}: file not found",
    ]
    assert main(["validate", "--annotations", str(annotations)]) == 1
    capsys.readouterr()
    for p in ("fifo.yaml", "loop.yaml"):
        (annotations / p).unlink()
    (annotations / "dir.yaml").rmdir()
    os.mkfifo(annotations / "clusters.yaml")
    (msg,) = [str(p) for p in validate_corpus(annotations).problems]
    assert "clusters.yaml: is not a regular file" in msg


@pytest.mark.parametrize(
    "old, new, message",
    [("{id: t1,", "{id: [t1],", "timexes[0].id: expected string, got list ['t1']"),
     ("{id: t1,", "{id: {},", "timexes[0].id: expected string, got mapping {}"),
     ("date: {value: FUTURE_REF, note: \"soon\"}", "date: {timex: [t1]}",
      "c1.date.timex: expected string, got list ['t1']")],
)  # fmt: skip
def test_an_id_of_the_wrong_kind_is_a_problem_everywhere_not_a_crash(tmp_path, old, new, message):
    """A list or mapping where an id belongs was unhashable in the id sets of validate, review
    and agree ('failed unexpectedly (TypeError)')."""
    from harness.annotate.agree import AgreementError, agree
    from harness.annotate.review import render_review

    annotations = _project(tmp_path, GOOD.replace(old, new))
    assert any(message in m for m in _messages(annotations))
    (page, _index) = render_review(None, tmp_path / "review", annotations)
    assert page.name == "doc.html" and "timexes" in page.read_text()
    with pytest.raises(AgreementError, match="does not validate"):
        agree(annotations / "doc.yaml", annotations / "doc.yaml", annotations)


@settings(max_examples=400, deadline=None)
@given(st.text("abc d", max_size=40), st.text("abc dx", max_size=12))
def test_nearest_text_block_is_the_one_difflib_finds(text: str, quote: str) -> None:
    """The block behind "nearest text" (the longest common substring, earliest in the seed,
    then in the quote) is the one difflib's find_longest_match gives, ties and no match
    included."""
    import difflib

    from harness.gold.quotes import longest_common_block

    want = difflib.SequenceMatcher(None, text, quote, autojunk=False).find_longest_match(
        0, len(text), 0, len(quote)
    )
    assert longest_common_block(text, quote) == tuple(want)
