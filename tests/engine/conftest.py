"""The engine's tests share the core tests' paths and fixtures."""

from __future__ import annotations

from tests.core.conftest import EXAMPLES, REPO, rulebook, runner

__all__ = ["EXAMPLES", "REPO", "rulebook", "runner"]
