"""Where things are in a YAML or JSON file, so errors can name the line a user must fix."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from ombuds.limits import MAX_ALIAS_EXPANSION, MAX_DOCUMENT_DEPTH

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
    """SafeLoader that leaves dates as text, so the model reports a bad date by its field.

    It also refuses nesting deeper than :data:`MAX_DOCUMENT_DEPTH` while composing (PyYAML's
    composer recurses, so a deep document would otherwise end in a ``RecursionError``).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DOCUMENT_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _too_deep(mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_document(text: str) -> LoadedDocument:
    """Parse YAML (JSON is YAML) and map each mapping key and list item to its line.

    Refused, with the line: nesting deeper than :data:`MAX_DOCUMENT_DEPTH`, a key given twice
    in one mapping (YAML and JSON would silently keep the last), aliases that refer to
    themselves or expand to more than :data:`MAX_ALIAS_EXPANSION` extra nodes.
    """
    try:
        loader = _Loader(text)  # a SafeLoader subclass: no arbitrary objects
    except yaml.reader.ReaderError as exc:  # NUL, vertical tab...: checked before parsing
        raise DocumentError(
            f"not valid YAML/JSON: control character U+{exc.character:04X} is not allowed; "
            "remove it",
            text.count("\n", 0, exc.position) + 1,
        ) from None
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_node_graph(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise DocumentError(f"not valid YAML/JSON: {exc.problem}", line) from None
    except yaml.YAMLError as exc:
        raise DocumentError(f"not valid YAML/JSON: {exc}", None) from None
    except DocumentError:
        raise  # our own refusals (depth, duplicates, aliases) are ValueErrors too
    except ValueError:  # an integer over Python's 4,300-digit conversion limit
        raise DocumentError(
            "not valid YAML/JSON: a number is too long (over 4,300 digits); quote it as text",
            None,
        ) from None
    finally:
        loader.dispose()
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


def _check_node_graph(root: yaml.Node) -> None:
    """Refuse duplicate keys, self-referring aliases and alias bombs, in time linear in the file.

    Sizes are memoised per node, so a node shared by many aliases is counted in O(1) each
    time: the check never expands what it is checking.
    """
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    active: set[int] = set()
    composed: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            if depth + heights[key] > MAX_DOCUMENT_DEPTH:  # an alias nests a deep value deeper
                raise _too_deep(node.start_mark.line + 1)
            return sizes[key]
        if key in active:
            raise DocumentError("a YAML alias refers to its own anchor", node.start_mark.line + 1)
        if depth > MAX_DOCUMENT_DEPTH:
            raise _too_deep(node.start_mark.line + 1)
        active.add(key)
        composed.add(key)
        total, height = 1, 0
        children: list[yaml.Node] = []
        if isinstance(node, yaml.ScalarNode) and _SURROGATE.search(node.value):
            node.value = _join_surrogate_pairs(node.value)
        elif isinstance(node, yaml.MappingNode):
            _check_duplicate_keys(node)
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        for child in children:
            total += size(child, depth + 1)
            height = max(height, heights[id(child)] + 1)
        active.discard(key)
        sizes[key], heights[key] = total, height
        return total

    expanded = size(root, 1)
    if expanded - len(composed) > MAX_ALIAS_EXPANSION:
        raise DocumentError(
            f"YAML aliases expand to {expanded:,} values from {len(composed):,} written; "
            f"at most {MAX_ALIAS_EXPANSION:,} more are allowed: write the values out",
            root.start_mark.line + 1,
        )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _join_surrogate_pairs(text: str) -> str:
    """'\\ud83d\\ude00' (JSON's escaped emoji) as one character; lone halves stay for the model
    to refuse by field."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")


def _too_deep(line: int) -> DocumentError:
    return DocumentError(f"nested deeper than {MAX_DOCUMENT_DEPTH} levels; flatten the file", line)


def _check_duplicate_keys(node: yaml.MappingNode) -> None:
    seen: dict[str, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        line = key_node.start_mark.line + 1
        name = str(key_node.value)
        if name in seen:
            raise DocumentError(
                f"key {name!r} is given twice (lines {seen[name]} and {line}); keep one", line
            )
        seen[name] = line
