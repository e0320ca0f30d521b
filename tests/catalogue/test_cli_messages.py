"""Catalogue: messages and the command line (issue 8, point 11 and the newcomer list).

Every failure is one ``error:`` line naming the file and line (or the option) and the field, with a
hint, and exit status 2; no raw Python exception text or traceback reaches the user unless
``--debug`` asks for it. Each case is named ``<input>__<expected outcome>``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from tests.catalogue.conftest import ROOT


def test_version_flag__prints_version_exit_0(cli):
    from harness import __version__

    code, out, _ = cli("--version")
    assert code == 0 and out.strip() == f"harness {__version__}"


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield name, sub
                yield from _subparsers(sub)


def test_every_option_help__says_what_it_does_and_its_default():
    from harness.cli import build_parser

    parser = build_parser()
    missing = []
    for name, sub in [("harness", parser), *_subparsers(parser)]:
        help_text = sub.format_help()
        for action in sub._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            if not action.help:
                missing.append(f"{name} {action.dest}: no help")
                continue
            if not action.option_strings or action.required:
                continue  # positionals and required options have no default to show
            if isinstance(action, argparse._VersionAction):
                continue
            formatter = sub._get_formatter()
            shown = formatter._expand_help(action) if hasattr(formatter, "_expand_help") else ""
            if "default" not in shown:
                missing.append(f"{name} {action.option_strings[0]}: no default in {shown!r}")
        assert help_text
    assert missing == []


@pytest.mark.parametrize("dct", ["2023-W37-2", "yesterday", "2023-09-05T24:00", "2023-9-5"])
def test_resolve_bad_dct__exit_2_states_expected_format(cli, dct):
    code, _, err = cli("resolve", "--dct", dct, "on Monday")
    assert code == 2
    assert err.startswith("error: --dct: ") and "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM" in err


def test_resolve_jsonl_deeply_nested_line__exit_2_with_line(cli, monkeypatch):
    import io

    monkeypatch.setattr(
        sys, "stdin", io.StringIO('{"text": "x", "dct": "2023-09-05"}\n' + "[" * 100_000 + "\n")
    )
    code, _, err = cli("resolve", "--jsonl")
    assert code == 2 and "stdin:2:" in err and "Traceback" not in err


def test_unexpected_exception__one_line_hint_exit_2_no_raw_text(cli, monkeypatch):
    import harness.cli as hc

    def boom(args):
        raise ZeroDivisionError("secret internals 0xdeadbeef")

    monkeypatch.setitem(hc.COMMANDS, "list", boom)
    code, _, err = cli("list")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: 'harness list' failed unexpectedly")
    assert "hint: rerun with --debug" in err and "0xdeadbeef" not in err


def test_library_value_error__not_shown_raw(cli, monkeypatch):
    import datetime

    import harness.cli as hc

    monkeypatch.setitem(hc.COMMANDS, "list", lambda args: datetime.date(0, 1, 1))
    code, _, err = cli("list")
    assert code == 2 and "year 0 is out of range" not in err and "unexpectedly (ValueError)" in err


def test_debug_flag__lets_the_traceback_through(cli, monkeypatch):
    import harness.cli as hc

    def boom(args):
        raise ZeroDivisionError("x")

    monkeypatch.setitem(hc.COMMANDS, "list", boom)
    with pytest.raises(ZeroDivisionError):
        cli("--debug", "list")


def test_report_not_json__exit_2_names_file_and_line(cli, tmp_path):
    bad = tmp_path / "summary.json"
    bad.write_text('{"overall": {}\n,,\n', encoding="utf-8")
    code, _, err = cli("report", str(bad))
    assert code == 2 and f"{bad}:2: not JSON" in err


def test_report_json_list__exit_2_not_a_summary(cli, tmp_path):
    bad = tmp_path / "summary.json"
    bad.write_text('["overall", "per_document"]', encoding="utf-8")
    code, _, err = cli("report", str(bad))
    assert code == 2 and "not a score summary" in err


def test_report_latin1_file__exit_2_no_codec_text(cli, tmp_path):
    bad = tmp_path / "summary.json"
    bad.write_bytes(b'{"x": "caf\xe9"}')
    code, _, err = cli("report", str(bad))
    assert code == 2 and str(bad) in err and "codec" not in err


def test_export_out_under_a_file__exit_2_names_path(project, cli):
    (project / "afile").write_text("x", encoding="utf-8")
    code, _, err = cli("export", "--format", "jsonl", "--out", "afile/corpus.jsonl")
    assert code == 2 and "afile" in err and "Errno" not in err and "hint:" in err


def test_list__does_not_import_spacy():
    code = (
        "import sys, io, contextlib\n"
        "from harness.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['list'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.strip().replace("'", '"')) == []
