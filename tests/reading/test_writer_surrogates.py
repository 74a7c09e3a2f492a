"""`parse` never crashes its writer: a lone surrogate read from JSON lines (issue 10)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ombuds.cli.reading import writable_json

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def surrogate_jsonl(tmp_path: Path) -> Path:
    text = (FIXTURES / "closed_statement.txt").read_text(encoding="utf-8")
    text = text.replace("Council", "Council \ud800", 2)
    path = tmp_path / "lone.jsonl"
    path.write_text(json.dumps({"text": text}) + "\n", encoding="ascii")  # \ud800 as an escape
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_parse_writes_lone_surrogates_as_escapes(surrogate_jsonl: Path, fmt: str) -> None:
    """Run as a user would, with a real UTF-8 standard output (strict, unlike test runners')."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ombuds.cli.main import app; app()",
            "parse",
            "-f",
            fmt,
            str(surrogate_jsonl),
        ],
        capture_output=True,
        env={"PYTHONIOENCODING": "utf-8", "PATH": ""},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    out = done.stdout.decode("utf-8")  # valid UTF-8
    assert "\\ud800" in out
    data = json.loads(out) if fmt == "json" else [json.loads(out)]
    assert "\ud800" in json.dumps(data[0], ensure_ascii=False)


def test_writable_json_keeps_ordinary_characters() -> None:
    assert writable_json({"a": "café"}) in ('{"a": "café"}', '{"a": "caf\\u00e9"}')
    assert writable_json({"a": "x\udc80"}) == '{"a": "x\\udc80"}'
