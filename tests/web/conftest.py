"""Fixtures for the web tests: the casework app over a fresh office; one chromium for the
session, a fresh page per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright

from .browser import CHROMIUM_ARGS, WIDE, require_chromium
from .office import open_office, serving


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with serving(open_office(tmp_path)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=WIDE, java_script_enabled=True)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()
