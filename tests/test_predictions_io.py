"""Predictions files: every bad line is an error naming the file, the line and the field."""

from __future__ import annotations

import io
import json
import os

import pytest

from harness.cli import main
from harness.extraction.atomic import write_text_atomic
from harness.extraction.predictions import (
    IndexedPredictions,
    PredictionError,
    read_predictions,
)
from tests.conftest import MINI

TEXTS = {"d": "Kim will visit Russia soon, the Kremlin said."}


@pytest.mark.parametrize(
    "line, expected",
    [(b'{"doc_id": "d", "text": "x", "date": "2023-W54"}', ":2: date: '2023-W54': week 54"),
     (b'{"doc_id": "d", "text": "x", "date": "next week"}', ":2: date: 'next week' is not a calendar"),
     (b'{"doc_id": "d", "text": "x", "date": "2021-W53"}', ":2: date: '2021-W53': 2021 has no"),
     (b'{"doc_id": "d", "text": "x", "confidence": NaN}', ":2: invalid JSON: NaN is not"),
     (b'{"doc_id": "d", "text": "x", "confidence": -Infinity}', ":2: invalid JSON: -Infinity"),
     (b'{"doc_id": "d", "text": "x", "confidence": 1e999}', ":2: confidence: inf is not a finite"),
     (b'{"doc_id": "d", "text": "caf\xe9"}', ":2: not UTF-8: byte b'\\xe9' at column 29"),
     (b"[" * 100_000, ":2: JSON nested too deeply"),
     (b'{"doc_id": {"a": [1]}, "text": "x"}', ":2: doc_id: expected str, got {'a': [1]}"),
     (b'{"doc_id": "d", "text": "x", "kind": ["timex"]}', ":2: kind: unknown kind ['timex']"),
     (b'{"doc_id": "d", "text": "x", "start": ' + b"9" * 5000 + b', "end": 1}', ":2: invalid JSON"),
     (b'{"doc_id": "d", "text": ', ":2: invalid JSON: Expecting value at the end of the line "
      "(column 25); hint: the line ends before its record does"),
     (b'{"doc_id": "d", "text": "x"', ":2: invalid JSON: Expecting ',' delimiter at the end of "
      "the line (column 28)"),
     (b'{"doc_id": "d" "text": "x"}', ":2: invalid JSON: Expecting ',' delimiter at column 16; "
      'hint: each line is one JSON object, such as {"doc_id": "...", "text": "..."}'),
     (b"{'doc_id': 'd'}", ":2: invalid JSON: Expecting property name enclosed in double quotes "
      "at column 2")],
)  # fmt: skip
@pytest.mark.parametrize("reader", [read_predictions, IndexedPredictions])
def test_bad_lines_name_file_line_and_field(tmp_path, line, expected, reader):
    """The same message from the in-memory reader and the one-pass index ``harness score`` uses."""
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"doc_id": "d", "text": "ok"}\n' + line + b"\n")
    with pytest.raises(PredictionError) as info:
        reader(path, TEXTS)
    message = str(info.value)
    assert message.startswith(f"{path}:2: ") and expected in message and "; hint: " in message
    assert len(message) < 400  # a long value is cut, never printed whole


def test_lenient_skips_the_same_lines_and_keeps_the_good_ones(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(
        b'{"doc_id": "d", "text": "ok", "date": "2023-09-12", "confidence": 0.5}\n'
        b'{"doc_id": "d", "text": "x", "confidence": NaN}\n{"doc_id": "d", "text": "\xff"}\n'
    )
    preds = read_predictions(path, TEXTS, lenient=True)
    assert [s.line for s in preds.skipped] == [2, 3]
    (claim,) = preds.claims_for("d")
    assert (claim.date, claim.confidence) == ("2023-09-12", 0.5)


def test_score_exits_two_on_a_non_utf8_or_deeply_nested_file(tmp_path, capsys):
    for body in (b'{"doc_id": "m1", "text": "caf\xe9"}\n', b"[" * 50_000 + b"\n"):
        p = tmp_path / "p.jsonl"
        p.write_bytes(body)
        assert main(["score", "--gold", str(MINI / "annotations"), "--predictions", str(p)]) == 2
        err = capsys.readouterr().err
        assert f"error: {p}:1: " in err and "Traceback" not in err


def test_resolve_jsonl_refuses_nan_and_never_prints_it(monkeypatch, capsys):
    line = {"text": "on Monday", "dct": "2023-09-05"}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(line) + "\n"))
    assert main(["resolve", "--jsonl"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["value"] == "2023-09-04" and "NaN" not in out
    bad = '{"text": "on Monday", "dct": "2023-09-05", "score": NaN}\n'
    monkeypatch.setattr("sys.stdin", io.StringIO(bad))
    assert main(["resolve", "--jsonl"]) == 2
    captured = capsys.readouterr()
    assert "NaN" not in captured.out and "stdin:1: " in captured.err


def test_atomic_writes_keep_the_mode_or_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        fresh = write_text_atomic(tmp_path / "new.txt", "a")
        assert fresh.stat().st_mode & 0o777 == 0o644
        os.chmod(fresh, 0o600)
        write_text_atomic(fresh, "b")
        assert fresh.stat().st_mode & 0o777 == 0o600 and fresh.read_text() == "b"
    finally:
        os.umask(old)


def test_resolve_jsonl_names_the_line_and_the_field_of_each_bad_record(monkeypatch, capsys):
    cases = [
        ('{"text": "Monday", "dct": "2023-09-05", "context": 5}', "stdin:1: context: expected a "
         "string, got int"),
        ('{"text": "Monday"}', "stdin:1: dct: missing"),
        ('{"dct": "2023-09-05"}', "stdin:1: text: missing"),
        ('{"text": 5, "dct": "2023-09-05"}', "stdin:1: text: expected a string, got int"),
        ('{"text": "\\ud800", "dct": "2023-09-05"}', "stdin:1: text: holds an unpaired surrogate"),
        ("[1]", "stdin:1: expected a JSON object, got list"),
        ("x", "stdin:1: not a JSON line"),
    ]  # fmt: skip
    for line, message in cases:
        monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
        assert main(["resolve", "--jsonl"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {message}") and "unexpectedly" not in err, err
    # bytes that are not UTF-8 are refused, not replaced
    raw = io.TextIOWrapper(io.BytesIO(b'{"text": "caf\xe9", "dct": "2023-09-05"}\n'))
    monkeypatch.setattr("sys.stdin", raw)
    assert main(["resolve", "--jsonl"]) == 2
    assert "stdin:1: not UTF-8 (byte 13)" in capsys.readouterr().err
    # a null context or anchor is no context or anchor
    line = '{"text": "Monday", "dct": "2023-09-05", "context": null, "anchor": null}\n'
    monkeypatch.setattr("sys.stdin", io.StringIO(line))
    assert main(["resolve", "--jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == "2023-09-04"


def test_resolve_with_heidelTime_missing_says_why_and_how_to_install(monkeypatch, capsys):
    from harness.dates import heideltime

    def unavailable(*args, **kwargs):
        raise heideltime.HeidelTimeUnavailable("HeidelTime not run: no Java runtime; install it")

    monkeypatch.setattr(heideltime.HeidelTimeResolver, "resolve", unavailable)
    assert main(["resolve", "--resolver", "heideltime", "--dct", "2023-09-05", "today"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --resolver heideltime: HeidelTime not run: no Java runtime")


def test_score_refuses_an_unpaired_surrogate_naming_the_line_and_field(tmp_path, capsys):
    """A lone ``\\ud800`` passes JSON but no UTF-8 file can hold it: refused where it is read,
    not when the instance log is written (without --out the run accepted it)."""
    p = tmp_path / "p.jsonl"
    p.write_text('{"doc_id": "m1", "text": "ok"}\n{"doc_id": "m1", "text": "\\ud800"}\n')
    for extra in ([], ["--out", str(tmp_path / "out")]):
        argv = ["score", "--gold", str(MINI / "annotations"), "--predictions", str(p), *extra]
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {p}:2: text: holds an unpaired surrogate '\\ud800'"), err
    assert not (tmp_path / "out").exists()


def test_resamples_and_seed_out_of_range_are_usage_errors(tmp_path, capsys):
    gold = ["--gold", str(MINI / "annotations")]
    p = tmp_path / "p.jsonl"
    p.write_text('{"doc_id": "m1", "text": "ok"}\n')
    for option, value, message in (
        ("--seed", "-1", "--seed must be a whole number from 0 to 2**64 - 1, got -1"),
        ("--resamples", "99999999999999999999", "--resamples must be between 1 and 1,000,000"),
        ("--resamples", "0", "--resamples must be between 1 and 1,000,000, got 0"),
    ):
        assert main(["score", *gold, "--predictions", str(p), option, value]) == 2
        assert capsys.readouterr().err.startswith(f"error: {message}")


def test_a_failed_atomic_write_names_the_file_asked_for_not_the_temporary_one(tmp_path):
    (tmp_path / "adir").mkdir()
    with pytest.raises(OSError) as info:
        write_text_atomic(tmp_path / "adir", "x")
    assert info.value.filename == str(tmp_path / "adir") and ".tmp" not in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir"]  # no temporary file left


def test_score_refuses_an_empty_gold_and_predictions_that_out_would_replace(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    p = tmp_path / "p.jsonl"
    p.write_text('{"doc_id": "m1", "text": "ok"}\n')
    assert main(["score", "--gold", str(tmp_path / "empty"), "--predictions", str(p)]) == 2
    assert "no annotation files (*.yaml) in this gold directory" in capsys.readouterr().err
    out = tmp_path / "out"
    out.mkdir()
    (out / "instances.jsonl").write_text(p.read_text())
    argv = ["score", "--gold", str(MINI / "annotations"), "--out", str(out)]
    assert main([*argv, "--predictions", str(out / "instances.jsonl")]) == 2
    assert "is a file that --out" in capsys.readouterr().err
    assert (out / "instances.jsonl").read_text() == p.read_text()  # kept as it was
    # predictions beside the outputs (as evaluate lays out systems/<name>/) are fine
    (out / "predictions.jsonl").write_text(p.read_text())
    assert main([*argv, "--predictions", str(out / "predictions.jsonl")]) == 0


def test_a_predictions_file_that_cannot_be_opened_is_named_without_a_line(tmp_path, capsys):
    gold = ["score", "--gold", str(MINI / "annotations"), "--predictions"]
    assert main([*gold, str(tmp_path / "nope.jsonl")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {tmp_path / 'nope.jsonl'}: cannot open: ")
    assert main([*gold, ""]) == 2
    assert capsys.readouterr().err.startswith("error: --predictions: the path is empty")


def test_an_atomic_set_renames_all_its_files_or_none(tmp_path) -> None:
    from harness.extraction.atomic import atomic_set

    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")
    with pytest.raises(ValueError, match="half-way"), atomic_set() as write:
        write(tmp_path / "a.txt", "new a")
        write(tmp_path / "b.txt", "new b")
        raise ValueError("half-way")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old a"
    with atomic_set() as write:
        write(tmp_path / "a.txt", "new a")
        write(tmp_path / "b.txt", "new b")
        assert not (tmp_path / "b.txt").exists()  # nothing appears before the set is complete
    assert [(tmp_path / n).read_text(encoding="utf-8") for n in ("a.txt", "b.txt")] == [
        "new a",
        "new b",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
