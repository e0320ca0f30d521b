"""Safe YAML loading that rejects duplicate keys, bounds alias expansion and remembers line numbers.

PyYAML's SafeLoader silently keeps the last of two duplicate keys; a hand-written gold file must
never lose a value that way. Mappings come back as :class:`LineDict`, which records the line of the
mapping and of each key so that validation errors can point at the line to fix.

Parsing uses libyaml through PyYAML's C parser (``yaml.CSafeLoader``) where PyYAML was built with
it, and the pure-Python ``SafeLoader`` otherwise; :data:`LOADER` names the one in use and it is
logged at debug level. The node tree is turned into Python values here rather than by PyYAML's
constructor, for two reasons: the constructor's generic machinery costs more than the parsing
itself, and the tree must be measured before it is expanded. Aliases (``*name``) make a small file
denote a huge value (the "billion laughs"); a document whose aliases repeat more than
:data:`MAX_ALIAS_EXPANSION` values, or that refers to itself, is refused before anything is built.

Dates such as ``2023-09-11`` stay strings: TIMEX3 values are strings, and YAML's implicit timestamp
conversion would turn some of them into ``datetime.date`` objects and leave others alone.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from itertools import islice
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

log = logging.getLogger(__name__)

#: Values that aliases may repeat in one document, beyond the values written out in it.
MAX_ALIAS_EXPANSION = 100_000
#: Longest excerpt of a value that any message quotes.
MAX_SHOWN = 80


def short(value: Any, limit: int = MAX_SHOWN) -> str:
    """``repr(value)`` cut to about ``limit`` characters, for messages.

    A message must never format a whole value: a value may be megabytes long, or (through YAML
    aliases) denote far more than the file holds. Containers are cut before they are formatted.
    """
    if isinstance(value, (list, tuple, dict, set)):
        if isinstance(value, dict):
            items = list(islice(value.items(), 4))
            text = "{" + ", ".join(f"{short(k, 20)}: {short(v, 30)}" for k, v in items)
            text += ", ...}" if len(value) > 4 else "}"
        else:
            items = list(islice(value, 4))
            text = "[" + ", ".join(short(v, 30) for v in items)
            text += ", ...]" if len(value) > 4 else "]"
    else:
        if isinstance(value, str) and len(value) > limit:
            value = value[:limit]
            return repr(value)[:-1] + "..." + repr(value)[-1]
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def unpaired_surrogate(text: str) -> int | None:
    """Where ``text`` holds an unpaired surrogate (which JSON's ``\\u`` escapes can make and no
    UTF-8 text can hold), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def cut(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to at most ``limit`` characters, marked with '...' where cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


class YamlError(ValueError):
    """A YAML file that cannot be loaded; ``line`` is 1-based (None where unknown)."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class LineDict(dict):
    """A dict that knows the line of its mapping (``line``) and of each key (``key_lines``)."""

    line: int = 0
    #: no lines known (a mapping the fast reading built): every key's line is ``line``, 0
    key_lines: Mapping[str, int] = MappingProxyType({})

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def node_line(node: object, default: int | None) -> int | None:
    """The line of a mapping read from YAML (a :class:`LineDict`), else ``default`` (a value of
    another kind, whose line its parent's key gives)."""
    return node.line if isinstance(node, LineDict) else default


def key_line(node: object, key: str, default: int | None) -> int | None:
    """The line of ``key`` in a mapping read from YAML (a :class:`LineDict`), else ``default``
    (a value that is no mapping, or a mapping built in code, knows no lines)."""
    return node.line_of(key) if isinstance(node, LineDict) else default


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def _loader_class(base: type) -> type:
    """``base`` with the timestamp resolver removed and a resolver cut down to what we need.

    PyYAML's generic ``resolve`` also serves path resolvers, which are never registered here; this
    one gives the same tags for plain scalars (implicit resolvers by first character) and the
    default tags otherwise, at a fraction of the cost per node.
    """

    def resolve(self: Any, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1] or "", ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def nothing(self: Any, *args: Any) -> None:
        return None

    resolvers = {
        ch: [(tag, rx) for tag, rx in found if tag != "tag:yaml.org,2002:timestamp"]
        for ch, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    namespace = {
        "resolve": resolve,
        "descend_resolver": nothing,
        "ascend_resolver": nothing,
        "yaml_implicit_resolvers": resolvers,
    }
    return type(f"_{base.__name__}", (base,), namespace)


#: The pure-Python loader, used where PyYAML was built without libyaml (and by the tests).
_PyLoader: Any = _loader_class(yaml.SafeLoader)
_Loader: Any = _PyLoader
#: Which parser loads YAML here.
LOADER = "pure Python (yaml.SafeLoader; a PyYAML built with libyaml loads about 10x faster)"
if getattr(yaml, "__with_libyaml__", False):
    _Loader = _loader_class(yaml.CSafeLoader)
    LOADER = "libyaml (yaml.CSafeLoader)"
log.debug("YAML parser: %s", LOADER)

_MERGE = "tag:yaml.org,2002:merge"
_SCALARS = {
    "tag:yaml.org,2002:null": "construct_yaml_null",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:binary": "construct_yaml_binary",
}


class _Refused(Exception):
    def __init__(self, node: Node, message: str) -> None:
        self.line, self.message = node.start_mark.line + 1, message


class _Builder:
    """Node tree -> Python values (LineDict, list, str, int, float, bool, None), expansion bounded.

    A node reached a second time came through an alias: its value is shared, as PyYAML shares it,
    and the values it denotes count against :data:`MAX_ALIAS_EXPANSION`, so a consumer that walks
    or formats the result can never be made to do more than that much extra work. A collection
    reached again while it is still being built contains itself and is refused.
    """

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.done: dict[int, tuple[Any, int]] = {}  # collections: id -> (value, expanded size)
        self.active: set[int] = set()
        self.extra = 0

    def build(self, node: Node) -> tuple[Any, int]:
        """The value of ``node`` and the number of values it denotes."""
        if isinstance(node, ScalarNode):
            return self._scalar(node), 1
        key = id(node)
        if key in self.done:
            value, size = self.done[key]
            self.extra += size
            if self.extra > MAX_ALIAS_EXPANSION:
                raise _Refused(
                    node,
                    f"aliases repeat more than {MAX_ALIAS_EXPANSION:,} values in this document; "
                    "hint: annotation files do not need anchors and aliases (&name, *name): "
                    "write the values out",
                )
            return value, size
        if key in self.active:
            raise _Refused(
                node, "a value refers to itself through an alias; hint: write the value out"
            )
        self.active.add(key)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise _Refused(node, _tag_message(node.tag))
            value, size = [], 1
            for child in node.value:
                if isinstance(child, ScalarNode):
                    value.append(self._scalar(child))
                    size += 1
                else:
                    v, n = self.build(child)
                    value.append(v)
                    size += n
        elif isinstance(node, MappingNode):
            if node.tag != _MAP:
                raise _Refused(node, _tag_message(node.tag))
            value, size = self._mapping(node)
        else:  # pragma: no cover - PyYAML has no other node kinds
            raise _Refused(node, f"unexpected YAML node {type(node).__name__}")
        self.active.discard(key)
        self.done[key] = value, size
        return value, size

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag in _SCALARS:
            return getattr(self.loader, _SCALARS[tag])(node)
        raise _Refused(node, _tag_message(tag))

    def _mapping(self, node: MappingNode) -> tuple[LineDict, int]:
        if any(k.tag == _MERGE for k, _ in node.value):
            self.loader.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        lines: dict[Any, int] = {}
        result.key_lines = lines
        size = 1
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key = self._scalar(key_node)
                size += 1
            else:
                raise _Refused(
                    key_node,
                    f"a key must be a plain value, not a {key_node.id}; "
                    "hint: keys are words such as 'id' or 'quote'",
                )
            line = key_node.start_mark.line + 1
            if key in lines:
                raise _Refused(
                    key_node,
                    f"duplicate key {short(key)} (first at line {lines[key]}); "
                    "hint: YAML keeps only one of them, so merge or rename the two",
                )
            if isinstance(value_node, ScalarNode):
                result[key] = self._scalar(value_node)
                size += 1
            else:
                result[key], n = self.build(value_node)
                size += n
            lines[key] = line
        return result, size


def _tag_message(tag: str) -> str:
    return (
        f"could not determine a constructor for the tag {short(tag)}; hint: tags such as "
        "!!python/object or !!set are not allowed in annotation files: remove the tag"
    )


def load_yaml(path: str | Path) -> Any:
    """Load one YAML document safely; raise :class:`YamlError` with a line number on any problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlError(str(path), None, f"cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            str(path),
            line,
            f"not UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r}); "
            "hint: save the file as UTF-8",
        ) from None
    return loads(text, str(path))


def loads(text: str, name: str = "<string>") -> Any:
    """Like :func:`load_yaml`, from a string."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _Builder(loader).build(node)[0]
    except _Refused as exc:
        raise YamlError(name, exc.line, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        hint = ""
        if "could not determine a constructor" in problem:
            hint = "; hint: tags such as !!python/object are not allowed in annotation files"
        elif "nesting depth" in problem:
            hint = "; hint: annotation files nest a few levels deep"
        raise YamlError(name, line, f"invalid YAML: {cut(problem, 200)}{hint}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: no mark, a position
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise YamlError(
            name,
            line,
            f"invalid YAML: unacceptable character {what}: {exc.reason}; hint: delete it (YAML "
            "files hold printable characters; write a control character in a quote as a "
            "double-quoted escape such as \\t)",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(name, None, f"invalid YAML: {cut(str(exc), 200)}") from None
    except RecursionError:
        raise YamlError(
            name, None, "invalid YAML: nested too deeply; hint: annotation files nest a few levels"
        ) from None
    finally:
        loader.dispose()
