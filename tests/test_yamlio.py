"""YAML loading: C parser with the pure-Python fallback, duplicate keys, lines, bounded aliases."""

from __future__ import annotations

import time

import pytest
import yaml

from harness.gold import yamlio
from harness.gold.yamlio import YamlError, key_line, load_yaml, loads, node_line, short

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


@pytest.fixture(params=["c", "python"])
def loader(request, monkeypatch):
    """Run a test with each parser; the C one only where PyYAML has libyaml."""
    if request.param == "c":
        if not yaml.__with_libyaml__:
            pytest.skip("PyYAML built without libyaml")
        assert yamlio.LOADER.startswith("libyaml")
    else:
        monkeypatch.setattr(yamlio, "_Loader", yamlio._PyLoader)
    return request.param


def test_the_c_parser_is_used_where_pyyaml_has_it():
    assert yamlio.LOADER.startswith("libyaml") == bool(yaml.__with_libyaml__)
    assert issubclass(
        yamlio._Loader, yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    )


def test_values_lines_and_plain_scalars_are_the_same_with_both_parsers(loader):
    data = loads("a: 1\nb:\n  - x\n  - {c: 2.5, d: null, e: true, f: 2023-09-05, g: 0x1f}\n")
    assert data == {
        "a": 1,
        "b": ["x", {"c": 2.5, "d": None, "e": True, "f": "2023-09-05", "g": 31}],
    }
    assert (data.line_of("a"), data.line_of("b"), data["b"][1].line) == (1, 2, 4)


def test_key_and_node_lines_fall_back_where_a_value_knows_no_lines(loader):
    data = loads("a: 1\nb:\n  c: 2\n  d: [x]\n")
    assert key_line(data, "b", 99) == 2 and key_line(data["b"], "d", 99) == 4
    assert node_line(data["b"], 99) == 3  # the nested mapping's first line
    # a list, a scalar or a dict built in code knows no lines: the caller's default stands
    for value in (data["b"]["d"], data["a"], {"d": 1}):
        assert key_line(value, "d", 7) == 7 and node_line(value, None) is None


def test_duplicate_keys_name_both_lines(loader):
    with pytest.raises(YamlError, match=r"duplicate key 'a' \(first at line 1\); hint") as info:
        loads("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert info.value.line == 3 and str(info.value).startswith("f.yaml:3: ")


def test_a_billion_laughs_is_refused_quickly_with_a_line_and_a_hint(loader, tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS)
    assert len(LAUGHS.encode()) < 1024
    t0 = time.perf_counter()
    with pytest.raises(YamlError, match="aliases repeat more than 100,000 values") as info:
        load_yaml(path)
    assert time.perf_counter() - t0 < 5  # unbounded expansion takes minutes and gigabytes
    assert info.value.line is not None and "hint: " in str(info.value)
    assert str(info.value).startswith(f"{path}:")


def test_moderate_aliases_and_merge_keys_still_load(loader):
    data = loads("base: &b {x: 1}\nuse: *b\nmerged:\n  <<: *b\n  y: 2\n")
    assert data["use"] == {"x": 1} and data["merged"] == {"x": 1, "y": 2}


@pytest.mark.parametrize("text", ["&a [*a]\n", "&a {k: *a}\n"])
def test_a_value_that_contains_itself_is_refused(loader, text):
    with pytest.raises(YamlError, match="refers to itself"):
        loads(text)


@pytest.mark.parametrize(
    "text, message",
    [("a: !!python/object/apply:os.system [echo]\n", "not allowed in annotation files"),
     ("a: !!set {x}\n", "not allowed in annotation files"),
     ("? [a]\n: b\n", "a key must be a plain value"),
     ("a: [\n", "invalid YAML"),
     ("[" * 5000 + "]" * 5000, "invalid YAML")],
)  # fmt: skip
def test_unsafe_or_broken_yaml_is_a_yaml_error(loader, text, message):
    with pytest.raises(YamlError, match=message):
        loads(text)


def test_deep_block_nesting_is_an_error_not_a_crash(loader):
    text = "".join(" " * i + "- \n" for i in range(3000)) + " " * 3000 + "- x\n"
    with pytest.raises(YamlError, match=r"invalid YAML: .*nest.*; hint: annotation files nest"):
        loads(text)


def test_non_utf8_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(YamlError, match=r"bad.yaml:2: not UTF-8 \(byte 11") as info:
        load_yaml(path)
    assert "save the file as UTF-8" in str(info.value)


def test_messages_never_format_a_whole_value():
    huge = "x" * 100_000
    assert len(short(huge)) < 90 and short(huge).endswith("...'")
    nested = [[list(range(1000))] * 1000] * 1000  # a billion values if formatted whole
    assert len(short(nested)) <= 80
    assert len(short({i: huge for i in range(1000)})) <= 80
    with pytest.raises(YamlError) as info:
        loads(f"{huge}: 1\n{huge}: 2\n")
    assert len(str(info.value)) < 300
