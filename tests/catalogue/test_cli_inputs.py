"""Catalogue: mistaken inputs to the commands (a wrong path, a conflicting or out-of-range option,
a field of the wrong type) are refused with one line naming the option or the file, and a hint,
before anything is written; none is taken silently for something else.

Each case is named ``<input>__<expected outcome>``.
"""

from __future__ import annotations

import io
import json
import shutil

import pytest

from harness.cli import main
from tests.catalogue.conftest import MINI

GOLD = str(MINI / "annotations")


def _err(capsys) -> str:
    return capsys.readouterr().err


# --- evaluate and its collections -----------------------------------------------------------------


def test_evaluate_gold_without_annotation_files__exit_2_nothing_written(capsys, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    argv = ["evaluate", "--gold", str(empty), "--out", str(tmp_path / "out"), "--no-progress"]
    assert main(argv) == 2
    assert _err(capsys).startswith(
        f"error: {empty}: no annotation files (*.yaml) in this gold directory; hint: "
    )
    assert not (tmp_path / "out").exists()


def _config(tmp_path, text: str):
    path = tmp_path / "collections.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("collections:\n  s:\n    format: corpus\n    path: 5\n    split: dev\n",
         ":4: collection 's': path must be a string, got 5; hint: quote it"),
        ("collections:\n  s:\n    path: x\n    split: dev\n    label: [a]\n",
         ":5: collection 's': label must be a string, got ['a']"),
        ("collections: {}\n", ":1: no collections configured; hint: "),
    ],
    ids=["path-not-a-string", "label-not-a-string", "none"],
)  # fmt: skip
def test_collections_config_bad_field__exit_2_names_line_and_field(capsys, tmp_path, text, message):
    config = _config(tmp_path, text)
    argv = ["evaluate", "--collections-config", str(config), "--out", str(tmp_path / "out"),
            "--no-progress"]  # fmt: skip
    assert main(argv) == 2
    assert _err(capsys).startswith(f"error: {config}{message}")


def test_no_collection_can_run__exit_2_previous_results_kept(capsys, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "leaderboard.md").write_text("the previous results\n", encoding="utf-8")
    seed = tmp_path / "a-file.txt"
    seed.write_text("not a directory\n", encoding="utf-8")
    config = _config(
        tmp_path,
        f"collections:\n  gone:\n    path: {tmp_path / 'nosuch'}\n    split: dev\n"
        f"  file:\n    path: {seed}\n    split: dev\n",
    )
    argv = ["evaluate", "--collections-config", str(config), "--out", str(out), "--no-progress",
            "--extractors", "regex"]  # fmt: skip
    assert main(argv) == 2
    err = _err(capsys)
    assert err.startswith("error: no collection can be evaluated here (gone: not run: gone data ")
    assert f"not found at {tmp_path / 'nosuch'}" in err
    assert f"file: not run: file data at {seed} is a file, not a directory" in err
    assert err.rstrip().endswith(f"the results in {out} are unchanged")
    assert [p.name for p in out.iterdir()] == ["leaderboard.md"]
    assert (out / "leaderboard.md").read_text(encoding="utf-8") == "the previous results\n"


def test_extractor_named_twice_or_none_named__exit_2(capsys, tmp_path):
    base = ["evaluate", "--gold", GOLD, "--out", str(tmp_path / "out"), "--no-progress"]
    assert main([*base, "--extractors", "regex", "regex"]) == 2
    assert _err(capsys).startswith("error: --extractors: regex named twice; hint: name each once")
    with pytest.raises(SystemExit) as exc:  # argparse: "expected at least one argument"
        main([*base, "--extractors"])
    assert exc.value.code == 2
    assert "--extractors: expected at least one argument" in _err(capsys)
    assert not (tmp_path / "out").exists()


# --- validate, new, review: the annotations directory ---------------------------------------------


def test_validate_directory_without_annotation_files__exit_2_not_ok(capsys, tmp_path):
    assert main(["validate", "--annotations", str(tmp_path)]) == 2
    assert _err(capsys).startswith(
        f"error: {tmp_path}: no annotation files (*.yaml) in this directory; hint: "
    )


def test_file_given_as_annotations_directory__called_a_file(capsys, tmp_path):
    one = MINI / "annotations" / "m1.yaml"
    assert main(["validate", "--annotations", str(one)]) == 1
    assert f"{one}: a file, not an annotations directory; hint: give the directory" in _err(capsys)
    assert main(["validate", "--annotations", str(tmp_path / "nosuch")]) == 1
    assert "annotations directory not found; hint: run from the project root, or give" in _err(
        capsys
    )
    assert main(["new", "--annotations", str(one), str(MINI / "seeds" / "m1.txt")]) == 2
    assert f"{one}: a file, not an annotations directory" in _err(capsys)


def test_validate_collection_with_annotations__exit_2(capsys):
    assert main(["validate", "--collection", "seeds", "--annotations", GOLD]) == 2
    assert "--collection seeds validates the whole collection: it takes no --annotations" in _err(
        capsys
    )


def test_review_missing_directory_or_non_annotation_file__exit_2_no_pages(capsys, tmp_path):
    out = str(tmp_path / "pages")
    assert main(["review", "--annotations", str(tmp_path / "nosuch"), "--out", out]) == 2
    assert f"--annotations {tmp_path / 'nosuch'}: not found; hint: " in _err(capsys)
    for name in (MINI / "seeds" / "m1.txt", MINI / "annotations" / "clusters.yaml"):
        assert main(["review", "--annotations", GOLD, "--out", out, str(name)]) == 2
        assert _err(capsys).startswith(f"error: {name}: not an annotation file; hint: ")
    assert not (tmp_path / "pages").exists()


# --- score and report -------------------------------------------------------------------------------


def _predictions(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"doc_id": "m1", "text": "x"}\n', encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", ""], "--name: empty; hint: "),
        (["--threshold", "1.5"], "--threshold must be in [0, 1], got 1.5; hint: 0.5 is the default"),
        (["--text-threshold", "7"], "--text-threshold must be in [0, 1], got 7.0; hint: "),
        (["--threshold", "nan"], "--threshold must be in [0, 1], got nan"),
        (["--similarity", "bogus"], "--similarity: unknown similarity strategy 'bogus'"),
    ],
)  # fmt: skip
def test_score_option_out_of_range__exit_2_names_the_option(capsys, tmp_path, args, message):
    argv = ["score", "--gold", GOLD, "--predictions", _predictions(tmp_path), *args]
    assert main(argv) == 2
    assert _err(capsys).startswith(f"error: {message}")


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ({"overall": {}, "per_document": []}, "per_document: expected an object, got an array"),
        ({"overall": "x", "per_document": {}}, "overall: expected an object, got a string"),
        ({"per_document": {}}, "not a score summary (no 'overall')"),
        ([1, 2], "not a score summary (an array, not an object)"),
    ],
)
def test_report_summary_of_wrong_shape__exit_2_names_the_part(capsys, tmp_path, summary, message):
    path = tmp_path / "summary.json"
    path.write_text(json.dumps(summary), encoding="utf-8")
    assert main(["report", str(path)]) == 2
    assert _err(capsys).startswith(f"error: {path}: {message}; hint: give the summary.json")


# --- resolve ------------------------------------------------------------------------------------------


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["on Monday", "--jsonl"], "", "give expressions or --jsonl, not both"),
        (["--jsonl", "--dct", "bogus"], "", "--dct: 'bogus' is not a day or minute DCT"),
        (["--jsonl", "--dct", "2023-09-05", "--anchor", "banana"],
         '{"text": "that time"}\n', "--anchor: 'banana' is not a TIMEX3 value"),
        (["--jsonl"], '{"text": "x", "dct": "bogus"}\n',
         "stdin:1: dct: 'bogus' is not a day or minute DCT"),
        (["--jsonl"], '{"text": "on Monday", "dct": "2023-09-05"\n',
         "stdin:1: not a JSON line: Expecting ',' delimiter at the end of the line (column 42); "
         "hint: the line ends before its record does"),
        (["--jsonl"], '{"text" "x"}\n',
         "stdin:1: not a JSON line: Expecting ':' delimiter at column 9; hint: each line is one "
         'JSON object, such as {"text": "on Monday", "dct": "2023-09-05"}'),
        (["--dct", "2023-02-30", "on Monday"], "",
         "--dct: '2023-02-30' names no day or time of the calendar (expected YYYY-MM-DD or "
         "YYYY-MM-DDTHH:MM"),
    ],
    ids=["both", "bad-dct-option", "bad-anchor-option", "bad-dct-on-a-line", "line-cut-short",
         "bad-json", "no-such-day"],
)  # fmt: skip
def test_resolve_bad_option_or_line__exit_2_names_which(capsys, monkeypatch, args, stdin, message):
    _stdin(monkeypatch, stdin)
    assert main(["resolve", *args]) == 2
    err = _err(capsys)
    assert err.startswith(f"error: {message}"), err
    assert "NaN" not in err


def test_resolve_jsonl_line_without_context__uses_the_context_option(capsys, monkeypatch):
    """--context is every line's default, as --dct and --anchor are (it was ignored)."""
    from harness.dates.resolve import get_resolver

    rules = get_resolver("rules")
    context = "He said last month that it would happen then."
    line = {"text": "Monday", "dct": "2023-09-06"}
    expected = rules.resolve("Monday", "2023-09-06", context)
    assert expected != rules.resolve("Monday", "2023-09-06", None)  # the context matters here
    _stdin(monkeypatch, json.dumps(line) + "\n")
    assert main(["resolve", "--jsonl", "--context", context]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == expected.value


def test_valid_corpus_copy__still_validates_exit_0(capsys, tmp_path):
    """The refusals above leave the ordinary case alone."""
    shutil.copytree(MINI, tmp_path / "mini")
    assert main(["validate", "--annotations", str(tmp_path / "mini" / "annotations")]) == 0
    assert capsys.readouterr().out.startswith("OK: 2 documents")


# --- hints that point at the right place ------------------------------------------------------------


def _mini_copy(tmp_path, old: str = "", new: str = ""):
    root = tmp_path / "corpus"
    shutil.copytree(MINI, root)
    path = root / "annotations" / "m1.yaml"
    if old:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root, path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("language: en", "language: 42",
         'language: expected string, got integer 42; hint: quote it: "42" (the field is text)'),
        ('  value: "2023-09-12"', "  value: yesterday",
         "published.value: 'yesterday' is not a calendar value"),
        ("source: seeds/m1.txt", "source: seeds/nosuch.txt",
         "source: seed file 'seeds/nosuch.txt' not found; hint: paths are relative to "),
    ],
    ids=["number-for-text", "value-as-written", "seed-root-named"],
)  # fmt: skip
def test_validate_problem__says_what_was_written_and_where_paths_start(
    capsys, tmp_path, old, new, message
):
    root, _ = _mini_copy(tmp_path, old, new)
    assert main(["validate", "--annotations", str(root / "annotations")]) == 1
    err = _err(capsys)
    assert message in err, err
    if "seed file" in message:  # the directory that holds seeds/, not "the project root"
        assert f"{str(root.resolve())!r}, the directory that holds seeds/" in err


def test_agree_with_a_broken_file__hint_command_that_works(capsys, tmp_path):
    root, good = _mini_copy(tmp_path)
    broken = root / "annotator-b" / "m1.yaml"  # B's file, beside the annotations directory
    broken.parent.mkdir()
    broken.write_text(good.read_text(encoding="utf-8").replace("language: en", "language: 42"),
                      encoding="utf-8")  # fmt: skip
    argv = ["agree", str(good), str(broken), "--annotations", str(root / "annotations")]
    assert main(argv) == 2
    err = _err(capsys)
    hint = err[err.index("hint: run '") + len("hint: run '") :]
    command = hint[: hint.index("'")].split()
    assert command[:3] == ["harness", "validate", "--annotations"]
    # the command the hint gives runs, and lists the problem (exit 1), not a refusal of the path
    assert main(command[1:]) == 1
    assert "language: expected string, got integer 42" in _err(capsys)


def test_lenient_score__note_names_each_skipped_line_and_why(capsys, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"doc_id": "m1", "text": "ok"}\n{"doc_id": "zz", "text": "x"}\n'
                    '{"doc_id": "m1", "text": 3}\n', encoding="utf-8")  # fmt: skip
    argv = ["score", "--gold", GOLD, "--predictions", str(path), "--lenient", "--resamples", "10"]
    assert main(argv) == 0
    assert (
        "2 prediction line(s) skipped (--lenient): line 2: doc_id: unknown document 'zz'; "
        "line 3: text: expected str, got 3" in capsys.readouterr().out
    )


def test_agree_missing_annotations_directory__exit_2_names_the_option(capsys, tmp_path):
    good = str(MINI / "annotations" / "m1.yaml")
    assert main(["agree", good, good, "--annotations", str(tmp_path / "nosuch")]) == 2
    assert _err(capsys).startswith(f"error: --annotations {tmp_path / 'nosuch'}: not found; hint: ")


def test_validate_seed_text_named__not_an_annotation_file(capsys):
    seed = MINI / "seeds" / "m1.txt"
    assert main(["validate", "--annotations", GOLD, str(seed)]) == 1
    err = _err(capsys)
    assert f"{seed}: not an annotation file (*.yaml); hint: name the annotation files" in err
    assert "--annotations" not in err.split("hint:")[1]  # no directory would make it one
