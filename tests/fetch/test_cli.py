"""``ombuds fetch`` end to end: the real parser and corpus store, HTTP to the local site."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner, Result

from ombuds.cli.main import app

from .conftest import READABLE_IN_RANGE
from .siteserver import FakeSite

FAST = ["--delay", "0", "--backoff", "0.01", "--timeout", "0.3", "--attempts", "3"]
RANGE = ["--since", "2024-03-01", "--until", "2024-04-30"]


def _fetch(site: FakeSite, db: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    args = ["fetch", *RANGE, "--db", str(db), "--base-url", site.base_url, *FAST, *extra]
    return CliRunner().invoke(app, args, env=env or {})


def _stored(db: Path) -> list[tuple[str, str, str]]:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT reference, decision, url FROM decision ORDER BY 1"))
        found = [(r[0], r[1], r[2]) for r in rows]
    engine.dispose()
    return found


def test_fetch_fills_the_corpus_and_keeps_the_raw_pages(site: FakeSite, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    env = {"OMBUDS_CONTACT": "mailto:corpus-team@example.org"}
    result = _fetch(site, db, env=env)
    assert result.exit_code == 1, result.output  # two pages on the site are broken
    assert "listed 8, fetched 8, skipped-already-had 0, ingested 6, failed 2" in result.output
    failed = site.base_url + "/decisions/planning/enforcement/24-105-119: the page does not"
    assert "failed (parse): " + failed in result.output
    stored = _stored(db)
    assert tuple(ref for ref, _, _ in stored) == READABLE_IN_RANGE
    assert ("24 102 317", "upheld") in {(r, d) for r, d, _ in stored}
    assert all(url.startswith(site.base_url + "/decisions/") for _, _, url in stored)
    raw = tmp_path / "corpus-raw" / "decisions"  # next to the database by default
    assert len(list(raw.glob("*.html"))) == 8
    agents = {r.user_agent for r in site.requests}
    assert len(agents) == 1
    [agent] = agents
    assert agent.startswith("ombuds/") and "mailto:corpus-team@example.org" in agent


def test_running_again_fetches_nothing_new(site: FakeSite, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    _fetch(site, db)
    pages_before = len(site.decision_requests())
    result = _fetch(site, db)
    assert "listed 8, fetched 0, skipped-already-had 8, ingested 0, failed 2" in result.output
    assert len(site.decision_requests()) == pages_before
    assert len(_stored(db)) == 6


def test_limit_then_resume(site: FakeSite, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    first = _fetch(site, db, "--limit", "3", "--raw-dir", str(tmp_path / "pages"))
    assert first.exit_code == 0, first.output
    assert "fetched 3," in first.output and "stopped at --limit" in first.output
    assert len(_stored(db)) == 3
    second = _fetch(site, db, "--raw-dir", str(tmp_path / "pages"))
    assert "fetched 5, skipped-already-had 3, ingested 3, failed 2" in second.output
    paths = site.decision_requests()
    assert len(paths) == len(set(paths)) == 8


def test_a_clean_range_exits_zero(site: FakeSite, tmp_path: Path) -> None:
    march = ["--since", "2024-03-01", "--until", "2024-03-31"]
    args = ["fetch", *march, "--db", str(tmp_path / "c.db"), "--base-url", site.base_url, *FAST]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "listed 3, fetched 3, skipped-already-had 0, ingested 3, failed 0" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2024-05-01", "--until", "2024-04-01"], "is after --until"),
        (["--since", "1st May"], "is not a date: use YYYY-MM-DD"),
        (["--since", "2024-05-01", "--base-url", "ftp://example.org"], "is not a web address"),
        (
            ["--since", "2024-05-01", "--base-url", "https://www.lgo.org.uk", "--delay", "0.2"],
            "too fast for www.lgo.org.uk",
        ),
    ],
)
def test_bad_options_are_refused_before_any_request(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(
        app, ["fetch", *args, "--db", str(tmp_path / "c.db")], env={"COLUMNS": "400"}
    )
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "c.db").exists()


def test_a_second_database_is_filled_from_the_pages_on_disk(site: FakeSite, tmp_path: Path) -> None:
    pages = ["--raw-dir", str(tmp_path / "pages")]
    _fetch(site, tmp_path / "one.db", *pages)
    before = len(site.decision_requests())
    result = _fetch(site, tmp_path / "two.db", *pages)
    assert "fetched 0, skipped-already-had 8, ingested 6, failed 2" in result.output
    assert len(site.decision_requests()) == before
    assert _stored(tmp_path / "two.db") == _stored(tmp_path / "one.db")


def test_transient_failures_are_retried_and_reported(site: FakeSite, tmp_path: Path) -> None:
    site.script["listing:2"] = ["429:0"]
    site.script["24-101-202"] = ["503", "500"]
    site.forever["24-106-848"] = "500"
    result = _fetch(site, tmp_path / "c.db")
    assert result.exit_code == 1
    assert "listed 8, fetched 7, skipped-already-had 0, ingested 5, failed 3" in result.output
    assert "retrying in" in result.output  # retries are reported as they happen
    failure = "failed (fetch): " + site.base_url + "/decisions/environment-and-regulation/noise/"
    assert failure + "24-106-848: HTTP 500 after 3 attempt(s)" in result.output
