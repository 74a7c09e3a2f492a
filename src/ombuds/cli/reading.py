"""CLI: ``ombuds parse`` (decisions -> JSON records) and ``ombuds evaluate`` (against gold)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from ombuds.reading import Parsed, ParseFailure, iter_records
from ombuds.reading.crossval import CrossValidation, cross_validate
from ombuds.reading.evaluate import GoldRow, Report, score
from ombuds.reading.sources import parse_one


class OutputFormat(StrEnum):
    """How ``parse`` prints records."""

    JSONL = "jsonl"
    JSON = "json"


class Rows(StrEnum):
    """Which rows ``evaluate`` scores (even/odd give a two-way held-out split)."""

    ALL = "all"
    EVEN = "even"
    ODD = "odd"


def parse(
    paths: list[str] = typer.Argument(
        ..., help="Decision files (.txt, .html, .jsonl with a 'text' field), folders, or '-'."
    ),
    fmt: OutputFormat = typer.Option(
        OutputFormat.JSONL, "--format", "-f", help="jsonl: one record per line; json: an array."
    ),
) -> None:
    """Read published decision statements and print one JSON record per decision."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    failed = 0
    first = True
    if fmt is OutputFormat.JSON:
        sys.stdout.write("[")
    for result in iter_records(paths):
        if isinstance(result, ParseFailure):
            failed += 1
            err.print(f"error: {result.source}: {result.message}", markup=False)
            continue
        data = result.record.model_dump(mode="json")
        if fmt is OutputFormat.JSON:
            sys.stdout.write(("\n" if first else ",\n") + writable_json(data, indent=2))
        else:
            sys.stdout.write(writable_json(data) + "\n")
        sys.stdout.flush()
        first = False
    if fmt is OutputFormat.JSON:
        sys.stdout.write("\n]\n" if not first else "]\n")
    if failed:
        err.print(f"{failed} input(s) could not be parsed", markup=False)
        raise typer.Exit(code=1)


def writable_json(data: object, indent: int | None = None) -> str:
    """JSON text that standard output can take, whatever the strings hold.

    Characters are written as themselves where the stream can encode them; a record holding
    one it cannot (a lone surrogate such as ``\\ud800`` read from JSON lines) is written with
    ``\\u`` escapes instead, which is still the same JSON value, rather than crashing the writer.
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(data, ensure_ascii=True, indent=indent)
    return text


def _gold_rows(path: Path, rows: Rows) -> Iterator[GoldRow]:
    with path.open("rb") as handle:
        index = -1
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            index += 1
            if (rows is Rows.EVEN and index % 2) or (rows is Rows.ODD and not index % 2):
                continue
            try:
                gold: Any = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                yield GoldRow(index, {}, None, f"line {number}: invalid JSON ({error})")
                continue
            if not isinstance(gold, dict) or not isinstance(gold.get("text"), str):
                yield GoldRow(index, {}, None, f"line {number}: no 'text' field")
                continue
            url = gold.get("url") if isinstance(gold.get("url"), str) else None
            result = parse_one(gold["text"], url, f"{path}:{number}")
            if isinstance(result, Parsed):
                yield GoldRow(index, gold, result.record)
            else:
                yield GoldRow(index, gold, None, f"line {number}: {result.message}")


def _render(report: Report, console: Console, rows: Rows) -> None:
    console.print(
        f"[bold]Rows[/bold] {report.rows} ({rows.value}); parsed {report.parsed}; "
        f"failed {len(report.failures)}"
    )
    for index, message in report.failures[:10]:
        console.print(f"  row {index}: {message}", markup=False)
    fields = Table(title="Header fields (exact match, rows with gold)")
    for column in ("field", "accuracy", "correct", "total"):
        fields.add_column(column, justify="left" if column == "field" else "right")
    for name, field_score in report.fields.items():
        fields.add_row(
            name, f"{field_score.accuracy:.3f}", str(field_score.correct), str(field_score.total)
        )
    console.print(fields)
    for field_score in report.fields.values():
        for reference, expected, got in field_score.misses[:5]:
            console.print(
                f"  {field_score.name} miss {reference}: gold {expected!r} got {got!r}",
                markup=False,
            )
    micro = report.micro
    tests = Table(title="Tests relied on (per test)")
    for column in ("test", "support", "tp", "fp", "fn", "precision", "recall", "F1"):
        tests.add_column(column, justify="left" if column == "test" else "right")
    for name, s in sorted(report.tests.items(), key=lambda kv: -kv[1].support):
        tests.add_row(
            name,
            str(s.support),
            str(s.tp),
            str(s.fp),
            str(s.fn),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
        )
    tests.add_row(
        "[bold]micro[/bold]",
        str(micro.support),
        str(micro.tp),
        str(micro.fp),
        str(micro.fn),
        f"{micro.precision:.3f}",
        f"{micro.recall:.3f}",
        f"{micro.f1:.3f}",
    )
    console.print(tests)
    console.print(
        f"tests micro-F1 {micro.f1:.3f}  macro-F1 {report.macro_f1:.3f}  "
        f"exact set {report.exact_tests}/{report.parsed}"
    )
    worst = Table(title="Worst misses")
    for column in ("reference", "confidence", "missed", "extra"):
        worst.add_column(column)
    for miss in report.worst_misses():
        worst.add_row(
            miss.reference, miss.confidence or "", ", ".join(miss.missed), ", ".join(miss.extra)
        )
    console.print(worst)


def _render_folds(result: CrossValidation, console: Console) -> None:
    console.print(
        f"[bold]{result.k}-fold cross-validation[/bold] (folds by hash of the reference; "
        f"rows per fold {', '.join(str(r.rows) for r in result.folds)})"
    )
    table = Table(title="Held-out figures per fold")
    table.add_column("figure")
    for fold in range(result.k):
        table.add_column(f"fold {fold}", justify="right")
    for column in ("mean", "sd"):
        table.add_column(column, justify="right")
    spreads = result.spreads()
    for name, values in result.figures().items():
        spread = spreads[name]
        cells = [f"{v:.3f}" for v in values] + [""] * (result.k - len(values))
        table.add_row(name, *cells, f"{spread.mean:.3f}", f"{spread.sd:.3f}")
    console.print(table)
    micro = spreads["tests micro-F1"]
    console.print(
        f"tests micro-F1 {micro.mean:.3f} ± {micro.sd:.3f} (mean ± sd over {result.k} folds)"
    )


def evaluate(
    corpus: Path = typer.Argument(..., help="JSONL with 'text', 'url' and gold fields."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    rows: Rows = typer.Option(Rows.ALL, "--rows", help="Score all rows, or the even/odd half."),
    folds: int = typer.Option(
        0,
        "--folds",
        min=0,
        help="k-fold cross-validation (folds by hash of the reference): per-fold figures, "
        "mean and spread. 0 scores the rows as one set.",
    ),
) -> None:
    """Parse each row's text and compare with its gold header fields and tests."""
    if not corpus.is_file():
        Console(stderr=True, soft_wrap=True).print(
            f"error: {corpus}: no such file (expected a JSONL corpus)", markup=False
        )
        raise typer.Exit(code=2)
    if folds == 1:
        Console(stderr=True, soft_wrap=True).print(
            "error: --folds: give 2 or more folds (or 0 for no cross-validation)", markup=False
        )
        raise typer.Exit(code=2)
    if folds:
        result = cross_validate(list(_gold_rows(corpus, rows)), folds)
        if as_json:
            sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
        else:
            _render(result.pooled, Console(), rows)
            _render_folds(result, Console())
        if result.pooled.rows == 0:
            raise typer.Exit(code=1)
        return
    report = score(_gold_rows(corpus, rows))
    if as_json:
        sys.stdout.write(writable_json(report.to_dict(), indent=2) + "\n")
    else:
        _render(report, Console(), rows)
    if report.rows == 0:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add ``parse`` and ``evaluate`` to the ``ombuds`` command."""
    app.command("parse")(parse)
    app.command("evaluate")(evaluate)
