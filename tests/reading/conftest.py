"""Shared fixtures for the reader's tests: fixture files, a CLI runner, the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ombuds.cli import reading as reading_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def cli_app() -> typer.Typer:
    """An app with just the reading commands (the full ``ombuds`` app needs every module)."""
    app = typer.Typer()
    reading_cli.register(app)
    return app


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def dev_corpus() -> Path:
    path = SHARED / "corpus" / "dev.jsonl"
    if not path.is_file():
        pytest.skip("shared development corpus not present")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir() or not any(path.glob("*.txt")):
        pytest.skip("shared seed statements not present")
    return path
