"""The main job: every sample complaint assessed, drafted in three formats, read back and stored."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ombuds.cli.demo import ACCEPTANCE_FOLDER
from ombuds.cli.main import app
from tests.core.conftest import EXAMPLES


def test_demo_runs_the_whole_loop(tmp_path: Path, runner: CliRunner) -> None:
    db = tmp_path / "corpus.db"
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["demo", "--examples", str(EXAMPLES), "--out", str(out), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    complaints = [  # examples/real holds acceptance cases for `ombuds score`, not samples
        p
        for p in EXAMPLES.rglob("*.yaml")
        if ACCEPTANCE_FOLDER not in p.relative_to(EXAMPLES).parts
    ]
    for suffix in (".md", ".html", ".docx"):
        assert len(list(out.glob(f"*{suffix}"))) == len(complaints)
    # premature and invalid outcomes are not published, so they are not stored
    stats = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    assert stats.exit_code == 0, stats.output
    data = json.loads(stats.output)
    assert 0 < data["total"] < len(complaints)
    again = runner.invoke(
        app, ["demo", "--examples", str(EXAMPLES), "--out", str(out), "--db", str(db)]
    )
    words = " ".join(again.output.split())  # rich wraps to the test terminal's width
    assert f"0 added, 0 updated, {data['total']} unchanged, 0 rejected" in words


def test_demo_without_examples_explains(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["demo", "--examples", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "no complaint files here" in " ".join(result.output.split())
