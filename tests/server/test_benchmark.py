"""benchmarks/serve.py runs (briefly) and reports what it promises; no timing is asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO


@pytest.mark.slow
def test_the_load_benchmark_reports_no_errors_and_no_lost_updates() -> None:
    env = {**os.environ}
    env.pop("OMBUDS_DB", None)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "serve.py"),
         "--clients", "4", "--seconds", "3", "--cases", "2", "--json"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    keys = {"clients", "requests", "rps", "p50_ms", "p95_ms", "errors", "lost_updates"}
    assert keys <= set(figures)
    assert figures["clients"] == 4 and figures["requests"] > 0
    assert figures["errors"] == 0 and figures["lost_updates"] == 0
