"""The fast first reading of annotation files gives exactly yamlio's value, or no value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.gold import validate, yamlfast
from harness.gold.yamlfast import NOT_FAST, fast_load, fast_loads
from harness.gold.yamlio import LineDict, YamlError, loads

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(ROOT.glob("annotations/*.yaml")) + sorted(ROOT.glob("tests/fixtures/**/*.yaml"))


def same(a, b) -> bool:
    """Equal values of the same types, mappings in the same key order (floats by repr: nan)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return repr(a) == repr(b)


def holds(text: str) -> None:
    """The promise: no value, or yamlio's value (and yamlio does not refuse the text)."""
    fast = fast_loads(text)
    if fast is NOT_FAST:
        return
    try:
        slow = loads(text)
    except YamlError as exc:
        raise AssertionError(f"fast reading vouched for a text yamlio refuses: {exc}") from None
    assert same(fast, slow), (fast, slow)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_annotation_file_of_the_project_is_read_fast_and_the_same(path):
    text = path.read_text(encoding="utf-8")
    fast = fast_load(path)
    assert fast is not NOT_FAST
    assert same(fast, loads(text))
    assert isinstance(fast, LineDict) and fast.line == 0 and fast.key_lines == {}


def test_a_mapping_read_fast_knows_no_lines_and_cannot_be_given_any_in_passing():
    """The fast reading's mappings share their class's empty, read-only line table: every key is
    at line 0, and writing a line into one mapping's table fails rather than reaching them all."""
    fast = fast_loads("a:\n  b: 1\nc: [x]\n")
    assert fast is not NOT_FAST and type(fast["a"]) is LineDict
    assert fast.line_of("a") == fast["a"].line_of("b") == 0
    with pytest.raises(TypeError):
        fast["a"].key_lines["b"] = 2  # type: ignore[index]
    assert loads("a:\n  b: 1\n")["a"].line_of("b") == 2  # yamlio's own lines are kept


VOUCHED = [
    "a: 2\nb: -3\nc: 1.5\nd: 0\n",
    "a: 2023-09-05\nb: 2023-09-05T03:09\nc: 2023-09-05T03:09:00\n",
    "a: null\nb: ~\nc:\nd: true\ne: False\n",
    "a: \"x\\u00a0y \\\"q\\\" \\\\ z\"\nb: 'it''s'\n",
    "a: >-\n  folded\n  text\n\n  more\nb: |-\n  kept\n   lines\n",
    "a: {timex: t3}\nb: [1, two, 'three']\n",
    "- id: t1\n  occurrence: 2  # a comment\n- id: t2\n",
    "quote: \"5 Sep, 2023 03:09\"\nnote: 'seed 003, and 017 in a quote'\n",
]


@pytest.mark.parametrize("text", VOUCHED)
def test_what_the_annotation_files_use_is_read_fast_and_the_same(text):
    fast = fast_loads(text)
    assert fast is not NOT_FAST
    assert same(fast, loads(text))


REFUSED = {
    # YAML 1.1 and 1.2 read these plain values differently
    "octal in 1.1, decimal in 1.2": "a: 017\n",
    "a string in 1.1": "a: 0o17\n",
    "a boolean in 1.1": "a: yes\n",
    "a boolean key in 1.1": "off: 1\n",
    "sexagesimal in 1.1": "a: 1:30\n",
    "a float in 1.2 only": "a: 1e3\n",
    "a merge key": "<<: {b: 1}\na: 2\n",
    "a value key": "a: =\n",
    # quoted words are turned down too: the check is on the value
    "a quoted boolean word": "a: 'no'\n",
    # structures and characters whose handling is not proven the same
    "anchors and aliases": "a: &x 1\nb: *x\n",
    "a tag": "a: !!str 12\n",
    "a nested flow collection": "a: [x, [y]]\n",
    "a flow collection over two lines": "a: [x,\n  y]\n",
    "a flow key without a space after its colon": 'a: {"k":1}\n',
    "a flow item with a colon": "a: [x:y]\n",
    "a flow item starting with an indicator": "a: [:0]\n",
    "a block scalar that clips": "a: |\n  x",
    "a block scalar that keeps": "a: >+\n  x\n\n",
    "a directive": "%YAML 1.1\n---\na: 1\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "a tab": "a: 'x\ty'\n",
    "a carriage return": "a: 1\r\nb: 2\r\n",
    "a byte-order mark": "\ufeffa: 1\n",
    "a control character": "a: 'x\x07'\n",
    "a key that is not a string": "1: a\n",
    "a long key": "k" * 101 + ": 1\n",
    "deep nesting (yamlio refuses 600 levels)": "".join(" " * i + "k:\n" for i in range(600)),
    "a document end marker": "a: 1\n...\nb: 2\n",
    "a document end marker alone": "...\n",
    # what yaml-rs refuses: yamlio then reports it, with its line
    "a duplicate key": "a: 1\nb: 2\na: 3\n",
    "invalid YAML": "a: [1, 2\n",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_what_the_two_readings_may_read_differently_is_not_vouched_for(text):
    assert fast_loads(text) is NOT_FAST


WORDS = [v for w in ("yes", "no", "on", "off", "y", "n", "true", "false", "null")
         for v in (w, w.capitalize(), w.upper())] + ["~", "<<", "="]  # fmt: skip


@pytest.mark.parametrize("word", WORDS)
def test_words_yaml_reads_as_booleans_or_null_are_read_the_same_or_not_vouched_for(word):
    for text in (f"a: {word}\n", f"{word}: a\n", f"- {word}\n", f"a: [{word}]\n"):
        holds(text)


def test_the_guarded_values_do_differ_between_the_two_readings():
    """The guards are there for a reason: unguarded, yaml-rs would give another value."""
    for text in ("a: 017\n", "a: 0o17\n", "a: yes\n", "a: 1:30\n", "a: 1e3\n", "a: |\n  x"):
        assert not same(yaml_rs.loads(text, parse_datetime=False), loads(text)), text


def test_nothing_is_vouched_for_without_yaml_rs(monkeypatch):
    monkeypatch.setattr(yamlfast, "yaml_rs", None)
    assert fast_loads("a: 1\n") is NOT_FAST


def test_unreadable_or_undecodable_files_are_left_to_yamlio(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: '\xff'\n")
    assert fast_load(bad) is NOT_FAST
    assert fast_load(tmp_path / "missing.yaml") is NOT_FAST


def test_the_memo_of_compared_values_is_bounded(monkeypatch):
    monkeypatch.setattr(yamlfast, "_ALIKE", {})
    monkeypatch.setattr(yamlfast, "_ALIKE_MAX", 3)
    for n in range(10):
        assert yamlfast._alike(str(n + 1))
        assert len(yamlfast._ALIKE) <= 3
    assert not yamlfast._alike("017")


# --- the promise, on generated and mutated texts ---------------------------------------------

TOKENS = [
    "yes", "No", "ON", "off", "y", "n", "true", "False", "TRUE", "tRUE", "null", "NULL", "~", "",
    "017", "08", "00", "0o17", "0x1F", "-0x1F", "0b11", "1_000", "1e3", "1E+3", "1.0e+3", "12e03",
    ".5", "+.5", "-.inf", ".NaN", ".nan", "1:30", "1:30.5", "=", "<<", "2023-09-05",
    "2023-09-05T03:09", "2023-09-05 03:09:00", "2001-12-14t21:59:43.10-05:00", "+12", "-0",
    "0.0", "-0.0", "1.", "3", "2.5", "a b", "x: y", "x #y", "- a", "? q", "t1", "DATE",
    "it's", 'say "no"', "a\\b", "é’“ ", "\u00a0", "#", ":", "-", "&a", "*a", "!t", "|", ">",
    "[x]", "{x: 1}", "a,b", "%", "@", "`", ":0", "?x", "-x", "@x", "%x", "`x", "|x", ">x",
    "…", "[…]", "a:b", "a :b", "'", '"',
]  # fmt: skip
ESCAPES = ["\\n", "\\t", "\\\\", '\\"', "\\u00a0", "\\x41", "\\/", "\\N", "\\_", "\\L", "\\P",
           "\\e", "\\0", "\\a", "\\U0001F600", "\\ ", "\\q"]  # fmt: skip
WORD = st.text(alphabet="abcxyzTF019 :-#'\"\\é’", max_size=8)


@st.composite
def scalar(draw, indent: int) -> str:
    content = draw(st.one_of(st.sampled_from(TOKENS), WORD))
    style = draw(st.sampled_from(["plain", "plain", "single", "double", "literal", "folded"]))
    if style == "plain":
        return content
    if style == "single":
        return "'" + content.replace("'", "''") + "'"
    if style == "double":
        parts = draw(st.lists(st.one_of(st.sampled_from(ESCAPES), WORD), max_size=3))
        return '"' + content.replace("\\", "\\\\").replace('"', '\\"') + "".join(parts) + '"'
    pad = " " * (indent + 2)
    lines = draw(st.lists(st.one_of(st.sampled_from(TOKENS), WORD), min_size=1, max_size=3))
    head = draw(st.sampled_from(["|", "|-", "|+", ">", ">-", ">+"]))
    return head + "\n" + "\n".join(pad + x if x else "" for x in lines)


@st.composite
def node(draw, indent: int = 0, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["scalar", "map", "seq", "flow"] if depth < 3 else ["scalar"]))
    pad = " " * indent
    if kind == "scalar":
        return draw(scalar(indent))
    if kind == "flow":
        pool = st.sampled_from([*TOKENS, "t3", "'q'", '"d"', '"a\\"b"', "[x, y]", "{k: v}"])
        items = draw(st.lists(pool, max_size=3))
        if draw(st.booleans()):
            return "[" + ", ".join(items) + "]"
        return "{" + ", ".join(f"k{i}: {x}" for i, x in enumerate(items)) + "}"
    n = draw(st.integers(1, 3))
    out = []
    for i in range(n):
        child = draw(node(indent + 2, depth + 1))
        comment = draw(st.sampled_from(["", "", "  # note"]))
        if kind == "map":
            key = draw(st.sampled_from([f"k{i}", f"'k{i}'", f'"k{i}"', *TOKENS[:20]]))
            if child.startswith(("[", "{")) or "\n" not in child:
                out.append(f"{pad}{key}: {child}{comment}")
            else:
                out.append(f"{pad}{key}:{comment}\n{' ' * (indent + 2)}{child.lstrip()}")
        else:
            out.append(f"{pad}- {child}{comment}")
    return "\n".join(out).lstrip() if indent == 0 else "\n" + "\n".join(out)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(node())
def test_generated_texts_read_fast_are_read_the_same(text):
    holds(text + "\n")


SEED = (ROOT / "annotations" / "000_9c3cdb8a7894e004.yaml").read_text(encoding="utf-8")[:3000]
EDITS = ["\n", " ", "  ", ": ", "- ", "#", "'", '"', "\\", "[", "]", "{", "}", ",", "?", "|", ">",
         "&a ", "*a", "!!", "017", "yes", "1e3", "\t", "---", "%", ":", "\\u00a0", "a: b\n"]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SEED)), st.sampled_from(EDITS), st.integers(0, 3)),
                min_size=1, max_size=3))  # fmt: skip
def test_mutated_annotation_texts_read_fast_are_read_the_same(edits):
    text = SEED
    for at, insert, drop in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + drop :]
    holds(text)


@given(
    st.one_of(
        st.sampled_from(TOKENS), WORD, st.from_regex(r"[-+.0-9_eExXoObB:]{1,8}", fullmatch=True)
    )
)
@settings(max_examples=600, deadline=None)
def test_plain_values_that_look_typed_are_read_the_same_or_not_vouched_for(token):
    """In every place a plain value may stand: a value, a key, a list item, a flow item."""
    for text in (f"a: {token}\n", f"{token}: a\n", f"- {token}\n", f"a: [{token}, b]\n",
                 f'{{"a":{token}}}\n'):  # fmt: skip
        holds(text)


CONTEXTS = ("a: {}\n", "{}: a\n", "- {}\n", "a: [{}, b]\n", '{{"a": {}}}\n', "a: {{b: {}}}\n",
            "a: '{}'\n", 'a: "{}"\n', "a: {}")  # fmt: skip


@pytest.mark.parametrize(
    "alphabet", ["0189_.eExob+-: ", "yYnNoOfFtTl~=<. ", "\"'\\,:[]{}#&*!|>?%@`- 0a"]
)
def test_every_short_value_of_these_alphabets_is_read_the_same_or_not_vouched_for(alphabet):
    tokens = [a + b for a in alphabet for b in ["", *alphabet]]
    for token in tokens:
        for context in CONTEXTS:
            holds(context.format(token))


# --- validation: fast where the file is valid, lines where it is not --------------------------


def test_a_valid_file_is_validated_from_the_fast_reading(monkeypatch):
    def refuse(path):
        raise AssertionError(f"yamlio read {path}")

    monkeypatch.setattr(validate, "load_yaml", refuse)
    path = ROOT / "annotations" / "000_9c3cdb8a7894e004.yaml"
    doc, problems = validate.check_file(path, ROOT, None)
    assert problems == [] and doc is not None and doc.doc_id == path.stem


def test_a_file_with_a_problem_is_reported_from_yamlio_with_its_lines(tmp_path):
    (tmp_path / "annotations").mkdir()
    (tmp_path / "seeds").mkdir()
    source = ROOT / "seeds" / "000_9c3cdb8a7894e004.txt"
    (tmp_path / "seeds" / source.name).write_bytes(source.read_bytes())
    text = (ROOT / "annotations" / "000_9c3cdb8a7894e004.yaml").read_text(encoding="utf-8")
    broken = text.replace("    type: SET\n", "    type: SETT\n", 1)
    assert broken != text
    path = tmp_path / "annotations" / "000_9c3cdb8a7894e004.yaml"
    path.write_text(broken, encoding="utf-8")
    assert fast_load(path) is not NOT_FAST
    _doc, problems = validate.check_file(path, tmp_path, None)
    line = broken.splitlines().index("    type: SETT") + 1
    assert [p.line for p in problems] == [line], problems
    assert "SETT" in problems[0].message


@pytest.mark.parametrize("path", sorted(ROOT.glob("annotations/0*.yaml")), ids=lambda p: p.stem)
def test_the_documents_are_the_same_from_either_reading(monkeypatch, path):
    fast_doc, _ = validate.check_file(path, ROOT, None)
    monkeypatch.setattr(validate, "fast_load", lambda p: NOT_FAST)
    slow_doc, _ = validate.check_file(path, ROOT, None)
    assert fast_doc == slow_doc
