"""``ombuds ingest --workers N``: worker processes parse, and store what one process would."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from ombuds.cli import corpus as corpus_cli

from .builders import FIXTURES

runner = CliRunner()


def _corpus(tmp_path: Path) -> Path:
    """A JSONL corpus of 150 statements (copies of a fixture with their own references)."""
    source = next(p for p in sorted(FIXTURES.glob("*.txt")))
    text = source.read_text()
    reference = next(
        line.rsplit("(", 1)[1].rstrip(")") for line in text.splitlines() if line.endswith(")")
    )
    path = tmp_path / "corpus.jsonl"
    with path.open("w") as handle:
        for i in range(150):
            row = {"text": text.replace(reference, f"22 {i // 1000:03d} {i % 1000:03d}")}
            handle.write(json.dumps(row) + "\n")
        handle.write("{not json\n")
    return path


def test_ingest_with_workers_matches_one_process(tmp_path: Path) -> None:
    app = typer.Typer()
    corpus_cli.register(app)
    corpus = _corpus(tmp_path)
    outputs = {}
    for workers in ("1", "2"):
        db = tmp_path / f"w{workers}.db"
        result = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--workers", workers])
        assert result.exit_code == 1, result.output  # the broken line is rejected
        assert "added 150, updated 0, unchanged 0, rejected 1" in result.output
        assert "corpus.jsonl:151" in result.output
        stats = runner.invoke(app, ["stats", "--db", str(db), "--json"])
        assert stats.exit_code == 0, stats.output
        outputs[workers] = json.loads(stats.output)
    assert outputs["1"] == outputs["2"]
