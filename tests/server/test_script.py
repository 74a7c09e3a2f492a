"""The README's curl walkthrough, run end to end against a real `ombuds serve`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

SCRIPT = REPO / "scripts" / "casework-walkthrough.sh"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_curl_walkthrough_runs_from_a_clone(tmp_path: Path) -> None:
    env = {**os.environ, "WORK": str(tmp_path)}
    env.pop("OMBUDS_DB", None)
    # The ombuds and python3 of this interpreter's environment come first.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "case 1: 24 022 031, received" in out
    assert "'body_investigated_complaint': True" in out
    assert "recommendation: Closed after initial enquiries" in out
    assert "only a user with the role reviewer may move a case to decided" in out
    assert out.index("decided\npublished\n") < out.index("== ombuds search")
    assert "== ombuds search finds the published decision\n24 022 031\n" in out
    history = out.split("== history\n")[1].splitlines()
    assert [line.split()[1:3] for line in history] == [
        ["ann", "case.created"],
        ["ann", "case.facts_set"],
        ["ann", "case.transition"],
        ["ann", "case.transition"],
        ["ann", "case.drafted"],
        ["ann", "case.transition"],
        ["rob", "case.transition"],
        ["rob", "case.transition"],
    ]
    log = (tmp_path / "serve.log").read_text()
    assert "POST /api/cases/{case_id}/transitions 200" in log
    requests = [line for line in log.splitlines() if line.split(" ")[0] in {"GET", "POST", "PATCH"}]
    assert len(requests) > 10
    assert not [line for line in requests if "ann" in line or "rob" in line or "24 022" in line]
