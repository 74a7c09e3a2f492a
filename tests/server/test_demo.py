"""`ombuds serve --demo`: demo users and the example cases, and how to sign in."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ombuds.intake.examples import sample_complaint_files
from ombuds.office.demo import DEMO_USERS, seed
from ombuds.office.office import Office

from .conftest import REPO


def test_seeding_twice_adds_each_example_once_and_renews_passwords(office: Office) -> None:
    users, added = seed(office, REPO / "examples")
    assert added == len(sample_complaint_files(REPO / "examples"))
    assert [(u.name, u.role) for u in users] == list(DEMO_USERS)
    again, added_again = seed(office, REPO / "examples")
    assert added_again == 0
    assert {u.password for u in again}.isdisjoint({u.password for u in users})


@pytest.mark.slow
def test_serve_demo_prints_users_and_how_to_sign_in(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "OMBUDS_DB": str(tmp_path / "demo.db")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    server = subprocess.Popen(
        ["ombuds", "serve", "--demo", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        printed = ""
        while "/api/cases" not in printed:
            line = server.stdout.readline()
            assert line, f"serve --demo stopped early:\n{printed}"
            printed += line
        examples = len(sample_complaint_files(REPO / "examples"))
        assert f"{examples} example cases opened" in printed
        password = re.search(r"demo-assessor\s+assessor\s+password: (\S+)", printed)
        assert password is not None, printed
        assert f'"password": "{password.group(1)}"' in printed  # the curl line to sign in
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(f"{base}/api/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        with httpx.Client(base_url=base) as client:
            signed_in = client.post(
                "/api/session", json={"username": "demo-assessor", "password": password.group(1)}
            )
            assert signed_in.status_code == 200
            assert client.get("/api/cases").json()["total"] == examples
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_refuses_a_model_it_cannot_read_before_anyone_signs_in(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ombuds.cli.main import app

    bogus = tmp_path / "model.npz"
    bogus.write_text("not a model")
    result = CliRunner().invoke(
        app, ["serve", "--db", str(tmp_path / "office.db"), "--model", str(bogus)]
    )
    assert result.exit_code == 2
    assert "model.npz" in result.output and "ombuds train" in result.output
