"""CLI error paths: clear messages with exit status 2, never a bare traceback."""

from __future__ import annotations

import json

from harness.cli import main
from tests.conftest import MINI


def test_malformed_prediction_line_names_file_line_and_field(tmp_path, capsys):
    p = tmp_path / "p.jsonl"
    p.write_text('{"doc_id": "m1", "text": "ok"}\n{"doc_id": "m1", "text": 3}\n')
    assert main(["score", "--gold", str(MINI / "annotations"), "--predictions", str(p)]) == 2
    err = capsys.readouterr().err
    assert f"error: {p}:2: text: expected str, got 3" in err


def test_unknown_doc_id_is_an_error_with_a_suggestion(tmp_path, capsys):
    p = tmp_path / "p.jsonl"
    p.write_text('{"doc_id": "m1x", "text": "x"}\n')
    assert main(["score", "--gold", str(MINI / "annotations"), "--predictions", str(p)]) == 2
    assert (
        "p.jsonl:1: doc_id: unknown document 'm1x'; hint: did you mean 'm1'?"
        in capsys.readouterr().err
    )


def test_lenient_skips_bad_lines_and_reports_them(tmp_path, capsys):
    p = tmp_path / "p.jsonl"
    p.write_text(
        'not json\n{"doc_id": "m1", "text": "x", "start": 5, "end": 2}\n{"doc_id": "m1", "text": "x"}\n'
    )
    code = main(["score", "--gold", str(MINI / "annotations"), "--predictions", str(p), "--lenient",
                 "--json", "--resamples", "10"])  # fmt: skip
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert [s["line"] for s in summary["skipped_lines"]] == [1, 2]
    assert "invalid JSON" in summary["skipped_lines"][0]["reason"]
    assert summary["overall"]["n_pred"] == 1


def test_score_out_writes_summary_log_and_error_analysis_from_which_report_renders(
    tmp_path, capsys
):
    out = tmp_path / "out"
    args = ["score", "--gold", str(MINI / "annotations"), "--predictions", str(MINI / "damaged.jsonl"),
            "--out", str(out), "--resamples", "10"]  # fmt: skip
    assert main(args) == 0
    assert {p.name for p in out.iterdir()} == {"summary.json", "instances.jsonl", "errors.md"}
    errors = (out / "errors.md").read_text()
    assert (
        "**c3** “the talks would focus on trade”" in errors
        and "repeats an earlier prediction" in errors
    )
    n_instances = len((out / "instances.jsonl").read_text().splitlines())
    assert n_instances == 6 + 9
    capsys.readouterr()
    assert main(["report", str(out / "summary.json"), "--format", "csv"]) == 0
    csv_text = capsys.readouterr().out
    assert csv_text.startswith("# mode:span|t:0.5|tt:0.5|sim:tfidf|st:0.5|bs:10|seed:12345")
    assert "overall (micro),0.555556,0.2,0.888889" not in csv_text  # the interval is data, not text
    assert "scope,P,P_lo,P_hi,R,R_lo,R_hi,F1,F1_lo,F1_hi" in csv_text


def test_missing_predictions_file_is_a_clear_error(tmp_path, capsys):
    assert (
        main(
            [
                "score",
                "--gold",
                str(MINI / "annotations"),
                "--predictions",
                str(tmp_path / "nope.jsonl"),
            ]
        )
        == 2
    )
    assert "cannot open" in capsys.readouterr().err


def test_invalid_gold_is_reported_with_a_hint(tmp_path, capsys):
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "x.yaml").write_text("id: [\n")
    assert main(["score", "--gold", str(tmp_path / "annotations"), "--predictions", "x"]) == 2
    err = capsys.readouterr().err
    assert "x.yaml:2: invalid YAML" in err and "run 'harness validate'" in err


def test_bad_threshold_is_a_usage_error(capsys):
    assert (
        main(
            ["score", "--gold", str(MINI / "annotations"), "--predictions", "x", "--threshold", "2"]
        )
        == 2
    )
    assert "threshold must be in [0, 1]" in capsys.readouterr().err


def test_unknown_extractor_suggests_the_closest_name(capsys):
    assert main(["evaluate", "--extractors", "regx", "--out", "/nonexistent-never-written"]) == 2
    assert "unknown extractor 'regx'; did you mean 'regex'?" in capsys.readouterr().err


def test_agree_without_two_files_or_two_directories_is_one_error_line(capsys):
    """``harness agree`` with nothing to compare, or files mixed with directories, fails as
    every command does: one ``error:`` line with a hint, exit status 2."""
    for argv in (["agree"], ["agree", "a.yaml", "b.yaml", "--dir-a", "x"]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: harness agree: give two files")
        assert "hint: harness agree annotations/<id>.yaml agreement/<id>.yaml" in err[0]


def test_report_refuses_an_altered_summary_naming_the_key(tmp_path, capsys):
    """A summary edited by hand (or cut short) is refused with the key that is wrong, in every
    format, never rendered as it is and never a failure without a message."""
    out = tmp_path / "out"
    args = ["score", "--gold", str(MINI / "annotations"), "--predictions", str(MINI / "damaged.jsonl"),
            "--out", str(out), "--resamples", "10"]  # fmt: skip
    assert main(args) == 0
    good = json.loads((out / "summary.json").read_text())
    first = next(iter(good["per_document"]))

    def altered(edit) -> str:
        d = json.loads(json.dumps(good))
        edit(d)
        (tmp_path / "b.json").write_text(json.dumps(d))
        return str(tmp_path / "b.json")

    cases = [
        (lambda d: d["overall"].update(precision="high"), "overall.precision: expected a number "
         "from 0 to 1, or null, got 'high'"),
        (lambda d: d["overall"].update(tp="x"), "overall.tp: expected a whole number"),
        (lambda d: d["overall"].update(ci="x"), "overall.ci: expected an object"),
        (lambda d: d["overall"]["ci"]["document_bootstrap"].update(precision=[1]),
         "overall.ci.document_bootstrap.precision: expected [low, high]"),
        (lambda d: d.pop("macro"), "macro: missing"),
        (lambda d: d.update(signature="x"), "signature: expected an object"),
        (lambda d: d.update(name=None), "name: expected a string, got None"),
        (lambda d: d["per_document"].update({first: None}), f"per_document.{first}: expected"),
        (lambda d: d.update(set_level="x"), "set_level: expected an object"),
        (lambda d: d["set_level"].update(status=12), "set_level.status: expected a string"),
    ]  # fmt: skip
    capsys.readouterr()
    for edit, message in cases:
        path = altered(edit)
        for fmt in ("md", "csv", "tex", "json"):
            assert main(["report", path, "--format", fmt]) == 2
            err = capsys.readouterr().err
            assert err.startswith(f"error: {path}: not a score summary as the harness writes it "
                                  f"({message}"), err  # fmt: skip
    (tmp_path / "nan.json").write_text(
        (out / "summary.json")
        .read_text()
        .replace('"precision": 0.', '"precision": NaN, "x": 0.', 1)
    )
    assert main(["report", str(tmp_path / "nan.json")]) == 2
    assert "NaN is not a JSON number" in capsys.readouterr().err


def test_every_option_states_its_default_once():
    """The help shows each option's default, and never twice ("(default: off) (default: off)")."""
    import argparse
    import re

    from harness.cli.parser import _HelpFormatter, build_parser

    states = re.compile(r"\(default\b|\bdefault:")
    subparsers = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    seen = 0
    for name, sub in subparsers.choices.items():
        formatter = _HelpFormatter(prog=name)
        for action in sub._actions:
            if not action.option_strings or action.help in (None, argparse.SUPPRESS):
                continue
            # as argparse shows it: %(default)s and the like filled in
            text = (formatter._get_help_string(action) or "") % dict(vars(action), prog=name)
            said = len(states.findall(text))
            assert said <= 1, f"{name} {action.option_strings}: {text}"
            if action.default not in (None, argparse.SUPPRESS) and action.dest != "help":
                assert said == 1, f"{name} {action.option_strings} hides its default: {text}"
                seen += 1
    assert seen > 20  # the options with a default were all looked at


def test_options_naming_a_missing_file_or_directory_are_errors_not_silent_defaults(
    capsys, tmp_path
):
    """A mistyped --config-dir used to run every extractor on its defaults, and a mistyped
    --collections-config to evaluate annotations/ alone, both without a word."""
    out = str(tmp_path / "out")
    cases = [
        (["--config-dir", str(tmp_path / "nosuch")],
         f"error: --config-dir {tmp_path / 'nosuch'}: not a directory; hint: give the directory "
         "that holds the <extractor>.yaml files"),
        (["--collections-config", str(tmp_path / "nosuch.yaml")],
         f"error: --collections-config {tmp_path / 'nosuch.yaml'}: no such file; hint: check "
         "the path"),
        (["--collections-config", "collections.yaml", "--gold", str(MINI / "annotations")],
         "error: --collections-config and --gold: give one"),
    ]  # fmt: skip
    for args, message in cases:
        assert main(["evaluate", "--out", out, "--no-progress", *args]) == 2
        assert capsys.readouterr().err.startswith(message)
    assert not (tmp_path / "out").exists()
