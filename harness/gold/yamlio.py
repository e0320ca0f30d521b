"""Safe YAML loading that rejects duplicate keys and remembers line numbers.

PyYAML's SafeLoader silently keeps the last of two duplicate keys; a hand-written gold file must
never lose a value that way. Mappings come back as :class:`LineDict`, which records the line of the
mapping and of each key so that validation errors can point at the line to fix.

Dates such as ``2023-09-11`` stay strings: TIMEX3 values are strings, and YAML's implicit timestamp
conversion would turn some of them into ``datetime.date`` objects and leave others alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class YamlError(ValueError):
    """A YAML file that cannot be loaded; ``line`` is 1-based (None where unknown)."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class LineDict(dict):
    """A dict that knows the line of its mapping (``line``) and of each key (``key_lines``)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


# Keep every resolver except the implicit timestamp one.
_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, f"unhashable key at line {line}", key_node.start_mark
            ) from None
        if key in result:
            raise _DuplicateKey(key, result.key_lines[key], line)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


class _DuplicateKey(Exception):
    def __init__(self, key: Any, first: int, again: int) -> None:
        self.key, self.first, self.again = key, first, again


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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
        raise YamlError(
            str(path), None, f"not UTF-8 (byte {exc.start}); hint: save the file as UTF-8"
        ) from None
    return loads(text, str(path))


def loads(text: str, name: str = "<string>") -> Any:
    """Like :func:`load_yaml`, from a string."""
    try:
        return yaml.load(text, Loader=_Loader)
    except _DuplicateKey as dup:
        raise YamlError(
            name,
            dup.again,
            f"duplicate key {dup.key!r} (first at line {dup.first}); "
            "hint: YAML keeps only one of them, so merge or rename the two",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        hint = ""
        if "could not determine a constructor" in problem:
            hint = "; hint: tags such as !!python/object are not allowed in annotation files"
        raise YamlError(name, line, f"invalid YAML: {problem}{hint}") from None
    except yaml.YAMLError as exc:
        raise YamlError(name, None, f"invalid YAML: {exc}") from None
