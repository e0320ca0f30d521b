"""``harness new``: the scaffold of a new annotation file, in a throw-away project under tmp_path."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.annotate.scaffold import (
    ScaffoldError,
    _q,
    guess_byline,
    guess_language,
    new_annotation,
)
from harness.gold.validate import find_all, validate_corpus
from harness.gold.yamlio import load_yaml, loads

ARTICLE = (
    "Port workers strike over pay\n"
    "By Jane Doe\n"
    "Published: 14 Nov, 2023 08:30\n"
    "Dock workers walked out on Monday, the union said. The strike will last until Friday.\n"
    "Talks with the port authority failed on Monday evening, the union said.\n"
    "The port was last closed by a strike in March 2019.\n"
)
NO_STAMP = (
    "Dock workers walked out on Monday, the union said. The port last closed in March 2019.\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "annotations").mkdir()
    (tmp_path / "seeds").mkdir()
    return tmp_path


def _seed(project: Path, name: str, text: str | bytes) -> Path:
    path = project / "seeds" / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _new(project: Path, seed: Path, **kw: str) -> Path:
    return new_annotation(seed, project / "annotations", today="2026-11-22", **kw)


def _confirm(path: Path) -> None:
    """What the annotator does after checking each suggestion: delete its suggested line."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^ *suggested: true\n", "", text), encoding="utf-8")


def test_scaffold_with_confirmed_suggestions_validates(project: Path) -> None:
    path = _new(project, _seed(project, "article.txt", ARTICLE), annotator="jd")
    before = validate_corpus(project / "annotations", files=[path])
    # Unconfirmed, the file is refused for its suggestions and for nothing else.
    assert before.problems
    assert {p.message for p in before.problems} == {"unconfirmed machine suggestion"}
    assert {p.record for p in before.problems} == {"published", "t1", "t2", "t3", "t4", "t5"}
    _confirm(path)
    after = validate_corpus(project / "annotations", files=[path])
    assert after.problems == []
    doc = after.corpus.documents[0]
    assert doc.published.value == "2023-11-14T08:30"
    assert doc.published.quote == "14 Nov, 2023 08:30"
    assert len(doc.timexes) == 5 and doc.claims == ()


def test_scaffold_header_fields_and_guesses(project: Path) -> None:
    seed = _seed(project, "article.txt", ARTICLE)
    data = load_yaml(_new(project, seed, annotator="jd"))
    assert data["id"] == "article"
    assert data["source"] == "seeds/article.txt"
    assert data["sha256"] == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert data["byline"] == "Jane Doe"  # "By Jane Doe", without "By"
    assert data["language"] == "en"
    assert data["outlet"] is None and "Guess" in data["outlet_note"]
    assert data["annotator"] == "jd" and data["annotated"] == "2026-11-22"
    assert data["claims"] == []


def test_scaffold_suggests_resolved_timexes_with_exact_quotes(project: Path) -> None:
    path = _new(project, _seed(project, "article.txt", ARTICLE))
    data = load_yaml(path)
    got = [
        (t["quote"], t.get("occurrence"), t["type"], t["value"], t.get("mod"))
        for t in data["timexes"]
    ]
    # DCT Tuesday 2023-11-14: "walked out on Monday" (past) is the day before; "until Friday"
    # (future) is 2023-11-17; "Monday evening" is a part of day, so TIME (G5.3). "Monday" occurs
    # twice in the text (once inside "Monday evening"), so its record needs occurrence 1.
    assert got == [
        ("14 Nov, 2023 08:30", None, "TIME", "2023-11-14T08:30", None),
        ("Monday", 1, "DATE", "2023-11-13", None),
        ("Friday", None, "DATE", "2023-11-17", None),
        ("Monday evening", None, "TIME", "2023-11-13TEV", None),
        ("March 2019", None, "DATE", "2019-03", None),
    ]
    for t in data["timexes"]:
        hits = find_all(ARTICLE, t["quote"])
        start = hits[t.get("occurrence", 1) - 1]
        assert ARTICLE[start : start + len(t["quote"])] == t["quote"]
        assert t["suggested"] is True
    text = path.read_text(encoding="utf-8")
    assert "relative to the DCT" in text  # Monday, Friday: re-check if the DCT changes
    assert "harness validate annotations/article.yaml" in text  # the header says what to run


def test_scaffold_without_stamp_suggests_only_absolute_values(project: Path) -> None:
    path = _new(project, _seed(project, "nostamp.txt", NO_STAMP))
    data = load_yaml(path)
    assert data["published"]["value"] == ""  # nothing to suggest: the annotator infers it
    assert [t["quote"] for t in data["timexes"]] == ["March 2019"]
    assert "Monday (its value needs the DCT)" in path.read_text(encoding="utf-8")
    _confirm(path)
    problems = validate_corpus(project / "annotations", files=[path]).problems
    assert [(p.record, p.field) for p in problems] == [("published", "value")]


def test_scaffold_never_overwrites(project: Path) -> None:
    seed = _seed(project, "article.txt", ARTICLE)
    path = _new(project, seed)
    path.write_text("# my work\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"article\.yaml already exists.*hint"):
        _new(project, seed)
    assert path.read_text(encoding="utf-8") == "# my work\n"


def test_scaffold_refuses_a_text_already_annotated_under_another_name(project: Path) -> None:
    _new(project, _seed(project, "article.txt", ARTICLE))
    copy = _seed(project, "copy.txt", ARTICLE)
    with pytest.raises(ScaffoldError, match=r"already annotated in article\.yaml"):
        _new(project, copy)
    assert not (project / "annotations" / "copy.yaml").exists()


def test_scaffold_rejects_non_utf8_naming_the_byte_offset(project: Path) -> None:
    seed = _seed(project, "latin.txt", b"Caf\xe9 owners protest\n")
    with pytest.raises(ScaffoldError) as err:
        _new(project, seed)
    message = str(err.value)
    assert "seeds/latin.txt" in message
    assert "byte 0xE9 at byte offset 3 (line 1)" in message
    assert "hint: save the file as UTF-8" in message
    assert list((project / "annotations").iterdir()) == []  # nothing written, no temp file left


def test_scaffold_rejects_a_seed_outside_the_project(project: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "a.txt"
    outside.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"outside the project root.*hint: move or copy"):
        _new(project, outside)


def test_scaffold_reports_a_missing_seed_with_a_hint(project: Path) -> None:
    with pytest.raises(ScaffoldError, match="seed file not found; hint: put the raw article"):
        _new(project, project / "seeds" / "nope.txt")


def test_scaffold_is_deterministic(project: Path) -> None:
    first = _new(project, _seed(project, "article.txt", ARTICLE)).read_bytes()
    (project / "annotations" / "article.yaml").unlink()
    second = _new(project, project / "seeds" / "article.txt").read_bytes()
    assert first == second


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_yaml_quoting_round_trips_any_string(s: str) -> None:
    assert loads("k: " + _q(s) + "  # comment\n")["k"] == s


@pytest.mark.parametrize(
    ("text", "byline"),
    [
        ("Headline\nWritten by Henrik Rothen\n", "Henrik Rothen"),
        ("BY MICHAEL LEE [lee.michael@joongang.co.kr]\n", "MICHAEL LEE"),
        ("By John Smith, Reuters\n", "John Smith"),
        ("By Monday, the troops had left.\n", None),  # a sentence, not a byline
        ("By the time he left, it was over.\n", None),
    ],
)
def test_byline_guess_takes_the_name_as_printed(text: str, byline: str | None) -> None:
    assert guess_byline(text)[0] == byline


def test_language_guess_is_en_only_for_mostly_ascii_english_text() -> None:
    assert guess_language(ARTICLE)[0] == "en"
    assert (
        guess_language("Türkiye'de seçim sonuçları açıklandı ve muhalefet itiraz etti.\n")[0]
        == "und"
    )


def test_scaffold_takes_only_a_seed_that_validation_takes(project: Path) -> None:
    """A text of the project outside seeds/, or reached through seeds/.., is refused before
    anything is written: the annotation would name a source that validation refuses."""
    (project / "other.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"'other.txt' is not inside seeds/"):
        _new(project, project / "other.txt")
    (project / "annotations" / "notes.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"is not inside seeds/"):
        _new(project, project / "seeds" / ".." / "annotations" / "notes.txt")
    assert sorted(p.name for p in (project / "annotations").iterdir()) == ["notes.txt"]
