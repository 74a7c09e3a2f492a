"""Where things are in a YAML or JSON file, so errors can name the line a user must fix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import yaml

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedDocument:
    """A parsed YAML/JSON document and the line (1-based) where each path starts."""

    data: object
    lines: dict[Path, int]

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)


class DocumentError(ValueError):
    """The file is not valid YAML/JSON at all."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so the model reports a bad date by its field."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_document(text: str) -> LoadedDocument:
    """Parse YAML (JSON is YAML) and map each mapping key and list item to its line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise DocumentError(f"not valid YAML/JSON: {exc.problem}", line) from None
    except yaml.YAMLError as exc:
        raise DocumentError(f"not valid YAML/JSON: {exc}", None) from None
    lines: dict[Path, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return LoadedDocument(data, lines)


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*path, str(key_node.value))
            lines[key] = key_node.start_mark.line + 1
            _walk(value_node, key, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)
