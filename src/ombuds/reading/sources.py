"""Read decision statements from files, folders, JSONL corpora or stdin, one at a time.

``iter_records`` streams: a JSONL file is read line by line, never whole, so a corpus of any
size can be ingested. Each input yields either ``Parsed`` or ``ParseFailure`` (never raises
for bad input), so one bad file or line does not stop the rest.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ombuds.domain.record import DecisionRecord
from ombuds.reading.html import html_to_text, looks_like_html
from ombuds.reading.parser import ParseError, parse_text

_JSONL = (".jsonl", ".ndjson")
_FOLDER_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".ndjson")


@dataclass(frozen=True)
class Parsed:
    """A decision read successfully: the record, the plain text parsed, and the raw input."""

    record: DecisionRecord
    text: str
    raw: str


@dataclass(frozen=True)
class RawInput:
    """One statement as read, not yet parsed: text or HTML, its URL if known, and where from."""

    raw: str
    url: str | None
    source: str


@dataclass(frozen=True)
class ParseFailure:
    """An input that could not be read as a decision: where (file or file:line) and why."""

    source: str
    message: str


def parse_one(raw: str, url: str | None, source: str) -> Parsed | ParseFailure:
    """Parse one statement given as text or HTML."""
    try:
        text = html_to_text(raw) if looks_like_html(raw) else raw
        record = parse_text(text, url=url, source=source)
    except ParseError as error:
        return ParseFailure(source=source, message=str(error))
    return Parsed(record=record, text=text, raw=raw)


def _decode(data: bytes, source: str) -> str | ParseFailure:
    if b"\x00" in data[:8192]:
        return ParseFailure(
            source, "binary file, not text: expected a decision as .txt, .html or .jsonl"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return ParseFailure(
            source, f"not UTF-8 text ({error.reason} at byte {error.start}); save the file as UTF-8"
        )


def parse_input(item: RawInput | ParseFailure) -> Parsed | ParseFailure:
    """Parse a statement as read (a failure to read it passes through)."""
    if isinstance(item, ParseFailure):
        return item
    return parse_one(item.raw, item.url, item.source)


def _jsonl_row(line: bytes, source: str) -> RawInput | ParseFailure | None:
    decoded = _decode(line, source)
    if isinstance(decoded, ParseFailure):
        return decoded
    if not decoded.strip():
        return None
    try:
        row = json.loads(decoded)
    except json.JSONDecodeError as error:
        return ParseFailure(
            source,
            f"invalid JSON ({error.msg} at column {error.colno}); each "
            "line must be one JSON object with a 'text' field",
        )
    if not isinstance(row, dict):
        return ParseFailure(
            source, 'JSON line is not an object; expected {"text": ..., "url": ...}'
        )
    text = row.get("text")
    if not isinstance(text, str):
        return ParseFailure(source, "missing 'text' field (a string with the decision statement)")
    url = row.get("url")
    if url is not None and not isinstance(url, str):
        return ParseFailure(source, "'url' must be a string when given")
    return RawInput(text, url, source)


def iter_jsonl(
    stream: Iterable[bytes], name: str, first_line: int = 1
) -> Iterator[RawInput | ParseFailure]:
    """Statements from a JSONL byte stream, one per non-blank line."""
    for number, line in enumerate(stream, start=first_line):
        result = _jsonl_row(line, f"{name}:{number}")
        if result is not None:
            yield result


def _iter_stdin(stdin: IO[bytes]) -> Iterator[RawInput | ParseFailure]:
    first = stdin.readline()
    while first and not first.strip():
        first = stdin.readline()
    if first.lstrip().startswith(b"{"):
        yield from iter_jsonl([first], "<stdin>")
        yield from iter_jsonl(stdin, "<stdin>", first_line=2)
        return
    decoded = _decode(first + stdin.read(), "<stdin>")
    if isinstance(decoded, ParseFailure):
        yield decoded
    else:
        yield RawInput(decoded, None, "<stdin>")


def _iter_path(path: Path) -> Iterator[RawInput | ParseFailure]:
    name = str(path)
    if path.is_dir():
        children = sorted(p for p in path.iterdir() if p.suffix.lower() in _FOLDER_SUFFIXES)
        if not children:
            yield ParseFailure(name, "folder holds no .txt, .html or .jsonl files")
        for child in children:
            yield from _iter_path(child)
        return
    if not path.exists():
        yield ParseFailure(name, "no such file")
        return
    try:
        if path.suffix.lower() in _JSONL:
            with path.open("rb") as handle:
                yield from iter_jsonl(handle, name)
            return
        data = path.read_bytes()
    except OSError as error:
        yield ParseFailure(name, f"cannot read: {error.strerror or error}")
        return
    decoded = _decode(data, name)
    if isinstance(decoded, ParseFailure):
        yield decoded
        return
    yield RawInput(decoded, None, name)


def iter_inputs(paths: Sequence[str]) -> Iterator[RawInput | ParseFailure]:
    """Every statement named in ``paths`` ('-' is stdin) as read, one at a time, unparsed."""
    for name in paths:
        if name == "-":
            yield from _iter_stdin(sys.stdin.buffer)
        else:
            yield from _iter_path(Path(name))


def iter_records(paths: Sequence[str], workers: int = 1) -> Iterator[Parsed | ParseFailure]:
    """Parse every input named in ``paths`` ('-' is stdin), yielding results in input order.

    With ``workers`` > 1, parsing runs in that many worker processes (see ``parallel``);
    inputs are still read, and results yielded, one at a time in this process.
    """
    if workers > 1:
        from ombuds.reading.parallel import parse_in_workers

        yield from parse_in_workers(iter_inputs(paths), workers)
        return
    for item in iter_inputs(paths):
        yield parse_input(item)
