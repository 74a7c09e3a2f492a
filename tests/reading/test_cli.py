"""The ``parse`` and ``evaluate`` commands end to end (files, folders, JSONL, stdin)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from ombuds.reading import Parsed, ParseFailure, iter_records


def _records(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_parse_text_and_html_files(cli_app: typer.Typer, runner: CliRunner, fixtures: Path) -> None:
    result = runner.invoke(
        cli_app,
        ["parse", str(fixtures / "closed_statement.txt"), str(fixtures / "decision_page.html")],
    )
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    assert [r["reference"] for r in records] == ["24 123 456", "25 000 111"]
    assert records[0]["decision_date"] == "2025-02-07"
    assert records[1]["source"] == str(fixtures / "decision_page.html")


def test_parse_json_format_is_an_array(
    cli_app: typer.Typer, runner: CliRunner, fixtures: Path
) -> None:
    result = runner.invoke(
        cli_app, ["parse", "--format", "json", str(fixtures / "upheld_statement.txt")]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list) and data[0]["decision"] == "upheld"
    assert any(r["kind"] == "payment" and r["amount_gbp"] == 250.0 for r in data[0]["remedies"])


def test_jsonl_with_bad_lines_reports_each_and_exits_1(
    cli_app: typer.Typer, runner: CliRunner, fixtures: Path, tmp_path: Path
) -> None:
    good = json.dumps(
        {
            "text": (fixtures / "closed_statement.txt").read_text(),
            "url": "https://www.lgo.org.uk/decisions/planning/enforcement/24-123-456",
        }
    )
    lines = [
        good,
        "{not json",
        json.dumps({"url": "https://example.org"}),
        json.dumps({"text": "Shopping list: eggs, milk, bread."}),
        "",
        json.dumps({"text": (fixtures / "upheld_statement.txt").read_text()}),
    ]
    corpus = tmp_path / "mixed.jsonl"
    corpus.write_text("\n".join(lines) + "\n")
    result = runner.invoke(cli_app, ["parse", str(corpus)])
    assert result.exit_code == 1
    assert [r["reference"] for r in _records(result.stdout)] == ["24 123 456", "23 654 321"]
    assert _records(result.stdout)[0]["source"] == f"{corpus}:1"
    assert f"{corpus}:2: invalid JSON" in result.stderr
    assert f"{corpus}:3: missing 'text'" in result.stderr
    assert f"{corpus}:4: not a decision statement" in result.stderr
    assert "3 input(s) could not be parsed" in result.stderr


def test_bad_files_do_not_stop_good_ones(
    cli_app: typer.Typer, runner: CliRunner, fixtures: Path, tmp_path: Path
) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01\x02" * 20)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = runner.invoke(
        cli_app,
        [
            "parse",
            str(binary),
            str(empty),
            str(tmp_path / "missing.txt"),
            str(fixtures / "closed_statement.txt"),
        ],
    )
    assert result.exit_code == 1
    assert [r["reference"] for r in _records(result.stdout)] == ["24 123 456"]
    assert f"{binary}: binary file" in result.stderr
    assert f"{empty}: empty input" in result.stderr
    assert "missing.txt: no such file" in result.stderr


def test_parse_stdin_text_and_jsonl(
    cli_app: typer.Typer, runner: CliRunner, fixtures: Path
) -> None:
    text = (fixtures / "closed_statement.txt").read_text()
    result = runner.invoke(cli_app, ["parse", "-"], input=text)
    assert result.exit_code == 0, result.stderr
    assert _records(result.stdout)[0]["source"] == "<stdin>"
    jsonl = json.dumps({"text": text}) + "\n" + "[1, 2]\n"
    result = runner.invoke(cli_app, ["parse", "-"], input=jsonl)
    assert result.exit_code == 1
    assert len(_records(result.stdout)) == 1
    assert "<stdin>:2: JSON line is not an object" in result.stderr


def test_iter_records_folder(fixtures: Path) -> None:
    results = list(iter_records([str(fixtures)]))
    parsed = [r for r in results if isinstance(r, Parsed)]
    assert not [r for r in results if isinstance(r, ParseFailure)]
    # three statements on their own + three rows of gold.jsonl
    assert len(parsed) == 6
    page = next(r for r in parsed if r.record.reference == "25 000 111")
    assert page.raw.lstrip().startswith("<!DOCTYPE html>")
    assert "Back to top" not in page.text and page.text.startswith("Westmarch District Council")


def test_evaluate_synthetic_gold(cli_app: typer.Typer, runner: CliRunner, fixtures: Path) -> None:
    result = runner.invoke(cli_app, ["evaluate", str(fixtures / "gold.jsonl"), "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rows"] == 3 and report["parsed"] == 3
    assert report["fields"]["reference"] == {"accuracy": 1.0, "correct": 3, "total": 3}
    assert report["fields"]["organisation"]["total"] == 2  # gold null on the mirror row
    assert report["fields"]["decision"]["accuracy"] == 1.0
    micro = report["tests"]["micro"]
    # gold 5 ids; read: all 5 less outcome_not_achievable, plus injustice_not_significant
    assert (micro["tp"], micro["fp"], micro["fn"]) == (4, 1, 1)
    assert micro["precision"] == 0.8 and micro["recall"] == 0.8
    per_test = report["tests"]["per_test"]
    assert per_test["outcome_not_achievable"]["recall"] == 0.0
    misses = {m["reference"]: m for m in report["worst_misses"]}
    assert misses["22 333 444"]["missed"] == ["outcome_not_achievable"]
    assert misses["24 123 456"]["extra"] == ["injustice_not_significant"]
    table = runner.invoke(cli_app, ["evaluate", str(fixtures / "gold.jsonl")])
    assert table.exit_code == 0
    assert "micro" in table.stdout and "Worst misses" in table.stdout


def test_evaluate_missing_file(cli_app: typer.Typer, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli_app, ["evaluate", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr
