"""Shared paths and helpers for the engine tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ombuds.rulebook import Rulebook, load_rulebook

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
SEEDS_DIR = REPO.parent / "shared" / "seeds"
GOLDEN = REPO / "tests" / "golden"


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return load_rulebook()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
