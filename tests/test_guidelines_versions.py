"""A file's ``guidelines`` names a version of GUIDELINES.md (or TimeML's), and ``annotated`` a day.

``guidelines`` decides which value grammar a file is checked by: a typo ("1.33", "banana") used to
pass as "not TimeML" and be checked by the current grammar without a word.
"""

from __future__ import annotations

import re
import shutil

import pytest

from harness.gold.schema import GUIDELINES_VERSIONS, TIMEML_GUIDELINES
from harness.gold.validate import validate_corpus
from tests.conftest import MINI, ROOT


def test_the_versions_are_those_of_the_guidelines_changelog():
    text = (ROOT / "annotations" / "GUIDELINES.md").read_text(encoding="utf-8")
    current = re.search(r"^Version \*\*([\d.]+)\*\*", text, re.M)
    assert current is not None and current.group(1) == GUIDELINES_VERSIONS[-1]
    log = text[text.index("## Changelog") :]
    named = re.findall(r"^- (?:\*\*)?(\d+\.\d+)(?: -> (\d+\.\d+))?", log, re.M)
    versions = [named[0][0]] + [to for _frm, to in named if to]
    assert tuple(versions) == GUIDELINES_VERSIONS


def _mini_with(tmp_path, old: str, new: str):
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    path = root / "annotations" / "m1.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root / "annotations", path


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('guidelines: "banana"', "guidelines: 'banana' is not a version of GUIDELINES.md (1.0, 1.1, "
         "1.2, 1.3) nor 'TimeML 1.2.1'; hint: the version the file follows"),
        ('guidelines: ""', "guidelines: '' is not a version of GUIDELINES.md"),
        ('guidelines: "1.33"', "guidelines: '1.33' is not a version of GUIDELINES.md"),
        ('annotated: "tomorrow"', "annotated: 'tomorrow' is not a day YYYY-MM-DD; hint: the day"),
        ('annotated: "2026-02-30"', "annotated: '2026-02-30' is not a day YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_a_mistaken_version_or_day_is_a_problem_with_its_line(tmp_path, line, message):
    key = line.split(":")[0]
    old = 'guidelines: "1.0"' if key == "guidelines" else 'annotated: "2026-11-22"'
    annotations, path = _mini_with(tmp_path, old, line)
    number = path.read_text(encoding="utf-8").splitlines().index(line) + 1
    problems = [str(p) for p in validate_corpus(annotations).problems]
    # the one problem, named by the file as validation shows it (relative to the project)
    assert len(problems) == 1 and problems[0].startswith(f"annotations/m1.yaml:{number}: {message}")


@pytest.mark.parametrize(
    "line", [*(f'guidelines: "{v}"' for v in GUIDELINES_VERSIONS), "annotated: null"]
)
def test_every_version_and_an_unknown_day_are_accepted(tmp_path, line):
    key = line.split(":")[0]
    old = 'guidelines: "1.0"' if key == "guidelines" else 'annotated: "2026-11-22"'
    annotations, _ = _mini_with(tmp_path, old, line)
    assert validate_corpus(annotations).problems == []


def test_timeml_guidelines_are_known_to_the_importer():
    from harness.gold.timeml_reader import GUIDELINES

    assert GUIDELINES == TIMEML_GUIDELINES


@pytest.mark.parametrize("version", ["", "banana", "TimeML 1.2.1"])
def test_standoff_refuses_a_version_that_is_not_the_guidelines(capsys, tmp_path, version):
    from harness.cli import main

    out = tmp_path / "standoff"
    assert main(["standoff", str(MINI / "annotations" / "m1.yaml"), "--out", str(out),
                 "--guidelines", version]) == 2  # fmt: skip
    assert capsys.readouterr().err.startswith(
        f"error: --guidelines {version!r}: not a version of GUIDELINES.md (1.0, 1.1, 1.2, 1.3); "
    )
    assert not out.exists()
