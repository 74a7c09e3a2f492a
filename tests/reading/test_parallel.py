"""Parsing in worker processes: same records, same order, failures passed through."""

from __future__ import annotations

from pathlib import Path

from ombuds.reading import Parsed, ParseFailure, iter_records
from ombuds.reading.parallel import parse_in_workers
from ombuds.reading.sources import RawInput, iter_inputs, parse_input


def _inputs(fixtures: Path, copies: int) -> list[RawInput | ParseFailure]:
    text = (fixtures / "closed_statement.txt").read_text()
    items: list[RawInput | ParseFailure] = []
    for i in range(copies):
        reference = f"24 {i // 1000:03d} {i % 1000:03d}"
        items.append(RawInput(text.replace("24 123 456", reference), None, f"copy:{i}"))
        if i % 25 == 0:
            items.append(RawInput("not a statement", None, f"junk:{i}"))
            items.append(ParseFailure(f"unreadable:{i}", "invalid JSON"))
    return items


def test_workers_give_the_same_results_in_order(fixtures: Path) -> None:
    items = _inputs(fixtures, 150)
    expected = [parse_input(item) for item in items]
    got = list(parse_in_workers(items, workers=2, chunk=16))
    assert got == expected
    assert sum(isinstance(r, Parsed) for r in got) == 150
    failures = [r for r in got if isinstance(r, ParseFailure)]
    assert [f.source for f in failures][:2] == ["junk:0", "unreadable:0"]


def test_short_input_parsed_without_workers(fixtures: Path) -> None:
    items = _inputs(fixtures, 3)
    assert list(parse_in_workers(items, workers=4)) == [parse_input(i) for i in items]


def test_iter_records_with_workers(fixtures: Path, tmp_path: Path) -> None:
    import json

    text = (fixtures / "upheld_statement.txt").read_text()
    corpus = tmp_path / "many.jsonl"
    with corpus.open("w") as handle:
        for i in range(140):
            handle.write(json.dumps({"text": text.replace("23 654 321", f"23 100 {i:03d}")}))
            handle.write("\n" if i != 70 else "\n{broken\n")
    sequential = list(iter_records([str(corpus)]))
    parallel = list(iter_records([str(corpus)], workers=2))
    assert parallel == sequential and len(parallel) == 141
    assert len(list(iter_inputs([str(corpus)]))) == 141
    broken = [r for r in parallel if isinstance(r, ParseFailure)]
    assert len(broken) == 1 and broken[0].source.endswith("many.jsonl:72")
