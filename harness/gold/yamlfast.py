"""A faster first reading of annotation files: exactly the value :func:`~harness.gold.yamlio.loads`
gives, or no value at all.

Validation reads every annotation file, and reading YAML was most of its time: libyaml (through
PyYAML) makes a node, with its marks, for every scalar before yamlio builds the value. The Rust
parser of the ``yaml-rs`` package builds the values directly, about four times as fast. It cannot
replace yamlio's loader, for two reasons:

* it records no lines, and every validation message names the line to fix;
* it reads plain values by YAML 1.2's rules, more or less, where yamlio reads them as PyYAML does,
  by YAML 1.1's: ``yes`` is a string to it and ``True`` to yamlio, ``017`` is 17 to it and 15 to
  yamlio, ``0o17`` and ``_1`` are numbers to it and strings to yamlio.

So :func:`fast_loads` answers only where it can vouch that its value is the one yamlio would
build (type for type, key order included), and otherwise returns :data:`NOT_FAST`, so that the
caller reads the text with yamlio. It turns down a text that has

* a plain value starting with a sign, a dot, a digit or an underscore (where a value may start,
  and ending where a plain value may end) that the two read differently; each such value is read
  both ways once per process and the answer kept, so ``2``, ``2023-09-05`` or a digest costs one
  comparison;
* a string value or key that YAML 1.1 reads as a boolean, a merge key or a value key (``yes``,
  ``Off``, ``<<``, ``=``), quoted or not; a key that is not a string or is longer than 100
  characters; nesting deeper than 100;
* an anchor, an alias or a tag (``&``, ``*`` or ``!`` where a value may start);
* a block scalar that keeps or clips its final line break (``|``, ``>``, ``|+``); those that strip
  it (``|-``, ``>-``) read alike;
* a flow collection (``[...]``, ``{...}``) that is nested, spans lines or has a comment, a plain
  item that starts with one of YAML's indicators or holds a colon, or a key not followed by a
  colon and a space (``{"a":1}``): libyaml refuses ``[:0]`` and ``[|]``, which yaml-rs reads;
* a directive or a document marker (``%``, ``---``, ``...`` at the start of a line);
* a tab, a carriage return, a byte-order mark, a control character, or a Unicode line or
  paragraph separator anywhere;
* anything yaml-rs refuses (a duplicate key among them).

The checks look at the whole text, quoted values included, so they turn down some texts they need
not (a quote that says ``wow ! 2``); that costs time, never a difference. ``tests/test_yamlfast.py``
holds the promise against yamlio on every annotation file of the project, on generated and
mutated texts, and on every short plain value of several alphabets in several places.

:func:`harness.gold.validate.check_file` reads a file here first and, if the file has any
problem, checks it again from yamlio's reading, so that every message carries its line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from yaml.nodes import ScalarNode

from harness.gold.yamlio import _STR, LineDict, _Loader, loads

try:
    import yaml_rs
except ImportError:  # pragma: no cover - yaml-rs is a dependency; a platform may lack its wheel
    yaml_rs = None

#: Deepest nesting, and longest key, of a value the fast reading vouches for.
MAX_DEPTH = 100
MAX_KEY = 100
#: Longest plain value starting like a number, and longest flow collection, vouched for.
MAX_PLAIN = 200
MAX_FLOW = 1000


class _NotFast:
    def __repr__(self) -> str:
        return "NOT_FAST"


#: What :func:`fast_loads` returns where it cannot vouch for its value.
NOT_FAST: Any = _NotFast()

# where a plain value may end: the end of the line, a comment, a flow indicator or a key's colon
_ENDS = r"(?=[ ]*(?:$|[#,\]}]|:(?:[ \n]|$)))"
# One scan of the text finds what is turned down, the plain values to compare and the flow
# collections to check. It starts with one character class, and the lookbehinds come after it, so
# that the scan passes over everything else quickly. A value may start after white space, a flow
# indicator or a colon.
_BAD = r"\t\r\ufeff\x85\u2028\u2029\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff"
_SCAN = re.compile(
    rf"[{_BAD}&*!|>\-+.0-9_\[{{]"
    # characters whose handling is not proven the same
    rf"(?:(?<=[{_BAD}])"
    # or, where a value may start,
    r"|(?<=[\s\[{,:].)(?:"
    # an anchor or alias, or a tag (``! 1`` too: a string to yamlio, a number to yaml-rs)
    r"(?<=[&*])(?=\S)|(?<=!)"
    # a block scalar that keeps or clips its final line break (``|``, ``>+``): yaml-rs keeps one
    # where the text ends without one, or where the scalar is empty; ``|-`` and ``>-`` read alike
    r"|(?<=[|>])[+1-9]{0,2}[ ]*(?:#[^\n]*)?$"
    # a plain value that starts like a number (a sign, a dot, a digit or, for yaml-rs, which
    # reads ``_1`` as 1, an underscore): compared, not refused; one of more than
    # :data:`MAX_PLAIN` characters is not vouched for (the lazy search for its end, tried from
    # every colon of a long token such as ``00:01:02:...``, would read the token once per colon)
    rf"|(?<=[-+.0-9_])[^\s,\[\]{{}}#\"']{{0,{MAX_PLAIN}}}?{_ENDS}(?P<plain>)"
    rf"|(?<=[-+.0-9_])[^\s,\[\]{{}}#\"']{{{MAX_PLAIN + 1}}}(?P<long>)"
    # a flow collection: held to :data:`_FLOW`
    r"|(?<=[\[{])(?P<flow>)))",
    re.M,
)
# The flow collections vouched for: on one line, not nested, without comments, their items
# quoted or plain, a plain item starting with none of YAML's indicators and holding no colon, a
# key followed by a colon and a space (libyaml refuses some that yaml-rs reads, such as ``[:0]``
# and ``[|]``).
_ITEM = (
    r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s\-?:,\[\]{}#&*!|>'"%@`][^,\[\]{}:#"'\n]*?)"""
)
_FLOW = re.compile(
    rf"\{{[ ]*(?:{_ITEM}[ ]*:[ ]+{_ITEM}[ ]*(?:,[ ]*{_ITEM}[ ]*:[ ]+{_ITEM}[ ]*)*)?\}}"
    rf"|\[[ ]*(?:{_ITEM}[ ]*(?:,[ ]*{_ITEM}[ ]*)*)?\]"
)
# the words YAML 1.1 reads as booleans, a merge key or a value key, which yaml-rs reads as strings
_YAML11_WORDS = frozenset(
    ("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "<<", "=")
)
#: Plain values already compared: value -> whether both readings give the same.
_ALIKE: dict[str, bool] = {}
_ALIKE_MAX = 1 << 16


def _alike(token: str) -> bool:
    """Whether yamlio and yaml-rs read the plain value ``token`` alike (type and value)."""
    known = _ALIKE.get(token)
    if known is None:
        text = f"a: {token}\n"
        try:
            fast = yaml_rs.loads(text, parse_datetime=False)["a"]
            if fast == token and type(fast) is str and not _typed_in_yaml11(token):
                known = True  # a string to both, without building yamlio's reading
            else:
                slow = loads(text)["a"]
                known = type(slow) is type(fast) and repr(slow) == repr(fast)
        except Exception:
            known = False
        if len(_ALIKE) >= _ALIKE_MAX:
            _ALIKE.clear()
        _ALIKE[token] = known
    return known


def _typed_in_yaml11(plain: str) -> bool:
    """Whether yamlio's resolver gives the plain value ``plain`` a tag other than a string's
    (its ``resolve`` reads only class attributes, so the class serves as the instance)."""
    return _Loader.resolve(_Loader, ScalarNode, plain, (True, False)) != _STR


def _vouched(text: str) -> bool:
    """The checks on the text (see the module's doc); the words are checked on the value."""
    # the newline lets the first line start as every other does
    text = "\n" + text
    if "\n%" in text or "\n---" in text or "\n..." in text:
        return False
    for m in _SCAN.finditer(text):
        if m.group("plain") is not None:
            if not _alike(m.group()):
                return False
        elif m.group("flow") is None or not _FLOW.match(text, m.start(), _line_cap(text, m)):
            return False
    return True


def _line_cap(text: str, m: re.Match[str]) -> int:
    """Where a flow collection's match must end: its line's end, or :data:`MAX_FLOW` characters
    on (its items' lazy ends and the spaces after them could split a long run of spaces in every
    way); one that does not fit is not vouched for."""
    end = text.find("\n", m.start())
    end = len(text) if end < 0 else end
    return min(end, m.start() + MAX_FLOW)


class _Unvouched(Exception):
    pass


_SCALARS = (int, float, bool, type(None))


def _build(value: Any, depth: int) -> Any:
    """``value`` with its mappings as :class:`LineDict` (lines unknown: 0, the class's own
    defaults); the items, strings and numbers most of them, are checked in place rather than in
    a call of their own."""
    if depth > MAX_DEPTH:
        raise _Unvouched
    kind = type(value)
    if kind is dict:
        out = LineDict(value)  # the same items in the same order; a mapping item is rebuilt
        for key, item in value.items():
            if type(key) is not str or len(key) > MAX_KEY or key in _YAML11_WORDS:
                raise _Unvouched
            of = type(item)
            if of is str:
                if item in _YAML11_WORDS:
                    raise _Unvouched
            elif of is dict or of is list:
                out[key] = _build(item, depth + 1)
            elif of not in _SCALARS:
                raise _Unvouched
        return out
    if kind is list:
        items = []
        for item in value:
            of = type(item)
            if of is str:
                if item in _YAML11_WORDS:
                    raise _Unvouched
                items.append(item)
            elif of is dict or of is list:
                items.append(_build(item, depth + 1))
            elif of in _SCALARS:
                items.append(item)
            else:
                raise _Unvouched
        return items
    if kind is str:
        if value in _YAML11_WORDS:
            raise _Unvouched
        return value
    if kind not in _SCALARS:
        raise _Unvouched
    return value


def fast_loads(text: str) -> Any:
    """The value :func:`harness.gold.yamlio.loads` gives for ``text``, with every line 0, or
    :data:`NOT_FAST` where this reading cannot vouch for it (see the module's doc)."""
    if yaml_rs is None or not _vouched(text):
        return NOT_FAST
    try:
        value = yaml_rs.loads(
            text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error
        )
        return _build(value, 0)
    except Exception:
        return NOT_FAST
    except BaseException as exc:  # a panic in the parser (pyo3's PanicException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return NOT_FAST


def fast_load(path: str | Path) -> Any:
    """:func:`fast_loads` of the file ``path``; :data:`NOT_FAST` also where it cannot be read
    or is not UTF-8 (yamlio reports those)."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return NOT_FAST
    return fast_loads(text)


__all__ = ["NOT_FAST", "fast_load", "fast_loads"]
