from __future__ import annotations

from pathlib import Path

import pytest

from ombuds.importer.journal import JOURNAL_NAME, Journal, JournalError, RawStore
from ombuds.importer.listing import ListingPage

from .conftest import listing_item

ITEM = listing_item("http://127.0.0.1:1", "24 101 202")


def test_state_survives_reopening(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path)
    journal.record_listing_page("q", 1, ListingPage(items=[ITEM], total=4))
    journal.record_fetched("24-101-202", ITEM.url, "iso-8859-1", "ab" * 32)
    journal.record_ingested("sqlite:///a.db", "24-101-202")
    journal.record_failed("24-105-119", "u", "parse", "no header")
    again = Journal.open(tmp_path)
    assert again.listing_page("q", 1) == ListingPage(items=[ITEM], total=4)
    assert again.listing_page("q", 2) is None
    assert again.encoding("24-101-202") == "iso-8859-1"
    assert again.is_ingested("sqlite:///a.db", "24-101-202")
    assert not again.is_ingested("sqlite:///other.db", "24-101-202")


def test_a_completed_walk_forgets_its_listing(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path)
    journal.record_listing_page("q", 1, ListingPage(items=[ITEM], total=1))
    journal.record_walk_complete("q")
    assert journal.listing_page("q", 1) is None
    assert Journal.open(tmp_path).listing_page("q", 1) is None


def test_a_torn_last_line_is_dropped_and_the_log_stays_usable(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path)
    journal.record_ingested("db", "24-101-202")
    path = tmp_path / JOURNAL_NAME
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"event": "ingested", "sink": "db", "slu')  # the write was cut short
    reopened = Journal.open(tmp_path)
    assert reopened.is_ingested("db", "24-101-202")
    reopened.record_ingested("db", "24-102-317")
    final = Journal.open(tmp_path)
    assert final.is_ingested("db", "24-102-317")
    assert path.read_text("utf-8").count("\n") == 2


def test_a_damaged_line_in_the_middle_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / JOURNAL_NAME
    path.write_text('{"event": "ingested", "sink": "db", "slug": "a"}\nnot json\n{}\n', "utf-8")
    with pytest.raises(JournalError, match=rf"{JOURNAL_NAME}, line 2: unreadable event"):
        Journal.open(tmp_path)


def test_raw_pages_are_written_whole(tmp_path: Path) -> None:
    raw = RawStore(tmp_path)
    assert not raw.has("24-101-202")
    path = raw.write("24-101-202", b"<html>one</html>")
    raw.write("24-101-202", b"<html>two</html>")
    assert raw.read("24-101-202") == b"<html>two</html>"
    assert path == tmp_path / "decisions" / "24-101-202.html"
    assert [p.name for p in path.parent.iterdir()] == ["24-101-202.html"]  # no temporary files
