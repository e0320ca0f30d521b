"""Catalogue: corpus hygiene (issue 8, point 10). Each case is ``<input>__<expected outcome>``."""

from __future__ import annotations

import shutil

import pytest


def test_yml_annotation_file__rejected_with_rename_hint(project, cli):
    (project / "annotations" / "m2.yaml").rename(project / "annotations" / "m2.yml")
    code, _, err = cli("validate")
    assert code == 1
    assert "annotations/m2.yml: annotation file with suffix '.yml' is not loaded" in err
    assert "hint: rename it to m2.yaml" in err


def test_yml_annotation_file__evaluate_refuses_instead_of_scoring_one_document(project, cli):
    (project / "annotations" / "m2.yaml").rename(project / "annotations" / "m2.yml")
    code, _, err = cli("export", "--format", "jsonl")
    assert code == 2 and "m2.yml" in err


def test_uppercase_yaml_suffix__rejected(project, cli):
    (project / "annotations" / "m2.yaml").rename(project / "annotations" / "m2.YAML")
    code, _, err = cli("validate")
    assert code == 1 and "suffix '.YAML' is not loaded" in err


def test_two_annotation_files_for_one_seed__error_naming_both(project, cli):
    text = (project / "annotations" / "m1.yaml").read_text(encoding="utf-8")
    (project / "annotations" / "m1b.yaml").write_text(
        text.replace("id: m1\n", "id: m1b\n"), encoding="utf-8"
    )
    code, _, err = cli("validate")
    assert code == 1
    assert "annotations/m1b.yaml: source: seeds/m1.txt: the same seed file is annotated in " in err
    assert "annotations/m1.yaml" in err


def test_two_annotation_files_for_one_text_under_two_seed_names__error(project, cli):
    shutil.copy(project / "seeds" / "m1.txt", project / "seeds" / "m1b.txt")
    text = (project / "annotations" / "m1.yaml").read_text(encoding="utf-8")
    (project / "annotations" / "m1b.yaml").write_text(
        text.replace("id: m1\n", "id: m1b\n").replace("seeds/m1.txt", "seeds/m1b.txt"),
        encoding="utf-8",
    )
    code, _, err = cli("validate")
    assert code == 1 and "the same seed text is annotated in annotations/m1.yaml" in err


@pytest.mark.parametrize(
    "dct", ["2023-W37-2", "2023-09-05TMO", "2023-09-05T24:00", "2023-09-05T10"]
)
def test_dct_resolvers_cannot_anchor__refused_by_validate(project, cli, dct):
    path = project / "annotations" / "m1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('value: "2023-09-12"', f'value: "{dct}"'),
        encoding="utf-8",
    )
    code, _, err = cli("validate")
    assert code == 1
    assert "annotations/m1.yaml:" in err and "published.value" in err
    assert "hint: write the calendar day" in err or "day or minute precision" in err


def test_every_dct_validate_accepts__parses_in_the_resolver():
    """The validator's DCT check and the resolver's DCT parser agree on the accepted shapes."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from harness.dates.resolve import parse_dct
    from harness.gold.checks import _usable_dct

    @settings(max_examples=300, deadline=None)
    @given(st.from_regex(r"\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?", fullmatch=True))
    def check(value: str) -> None:
        if _usable_dct(value):
            parse_dct(value)  # must not raise

    check()
