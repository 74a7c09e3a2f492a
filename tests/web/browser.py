"""Driving Debian's chromium with Playwright: a live server, axe-core, narrow screens, screenshots.

No browser is ever downloaded: Playwright launches the system's chromium (``apt-get install
chromium``; ``OMBUDS_CHROMIUM`` names another binary). Where it is missing the browser tests
skip, except under CI (``CI=true``), where they fail instead.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

CHROMIUM = Path(os.environ.get("OMBUDS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
BLOCKING = ("serious", "critical")
_axe = Axe()
# Page type -> axe violations by impact, written to screenshots/axe.json for people to read.
AXE_RESULTS: dict[str, dict[str, Any]] = {}


def require_chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"{CHROMIUM} not found: apt-get install chromium (or set OMBUDS_CHROMIUM)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests must run in CI: {message}")
    pytest.skip(message)


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 at a free port in a thread; stop it afterwards."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def check_page(page: Page, name: str) -> None:
    """axe-core (no serious or critical violation), no sideways scroll at 390 px, screenshots."""
    SCREENSHOTS.mkdir(exist_ok=True)
    results = _axe.run(page)
    violations = results.response["violations"]
    record = AXE_RESULTS.setdefault(name, {"url": page.url, "violations": {}})
    for violation in violations:
        record["violations"].setdefault(violation["impact"] or "none", []).append(violation["id"])
    (SCREENSHOTS / "axe.json").write_text(json.dumps(AXE_RESULTS, indent=2, sort_keys=True))
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert not blocking, f"{name}: axe-core found\n" + "\n".join(blocking)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size(NARROW)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.screenshot(path=str(SCREENSHOTS / f"{name}-390.png"), full_page=True)
    if size:
        page.set_viewport_size(size)
    assert overflow <= 0, f"{name}: at 390 px wide the page scrolls sideways by {overflow} px"
