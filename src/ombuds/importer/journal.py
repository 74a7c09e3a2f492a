"""What an import has done so far, kept on disk so an interrupted run picks up where it stopped.

Two things live in the raw directory:

- ``decisions/<yy-nnn-nnn>.html``: the raw HTML of every decision page, written atomically
  (temporary file, then rename), so a page on disk is always a whole page and is never fetched
  again;
- ``fetch-journal.jsonl``: one JSON event a line, appended and flushed as the run goes:
  listing pages read (so a resumed walk does not ask for them again), decisions ingested or
  failed, and walks completed (after which the listing is read afresh next time, because the
  site publishes decisions weeks after their date).

A crash can at worst leave a torn last line, which is dropped when the journal is next opened.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ombuds.importer.listing import ListingPage

JOURNAL_NAME = "fetch-journal.jsonl"


class JournalError(ValueError):
    """The journal cannot be read back."""


class RawStore:
    """The raw HTML of decision pages, one file per decision, keyed by its URL slug."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / "decisions"

    def path_for(self, slug: str) -> Path:
        return self.folder / f"{slug}.html"

    def has(self, slug: str) -> bool:
        return self.path_for(slug).is_file()

    def read(self, slug: str) -> bytes:
        return self.path_for(slug).read_bytes()

    def write(self, slug: str, content: bytes) -> Path:
        """Store a page whole or not at all."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path_for(slug)
        fd, tmp = tempfile.mkstemp(prefix=f".{slug}.", suffix=".part", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target


@dataclass
class Journal:
    """Replayed state of past runs, plus an append-only log of this one."""

    path: Path
    _listings: dict[str, dict[int, ListingPage]] = field(default_factory=dict)
    _ingested: set[tuple[str, str]] = field(default_factory=set)
    _encodings: dict[str, str] = field(default_factory=dict)

    @classmethod
    def open(cls, raw_dir: Path) -> Journal:
        """Read the journal in ``raw_dir`` (an absent one is an empty history)."""
        journal = cls(raw_dir / JOURNAL_NAME)
        if journal.path.exists():
            journal._replay()
        return journal

    def listing_page(self, query: str, page: int) -> ListingPage | None:
        """A results page read earlier in the same unfinished walk, if any."""
        return self._listings.get(query, {}).get(page)

    def is_ingested(self, sink: str, slug: str) -> bool:
        return (sink, slug) in self._ingested

    def encoding(self, slug: str) -> str:
        """The character set the server declared for a stored page."""
        return self._encodings.get(slug, "utf-8")

    def record_listing_page(self, query: str, page: int, listing: ListingPage) -> None:
        self._append(
            {
                "event": "listing_page",
                "query": query,
                "page": page,
                **listing.model_dump(mode="json"),
            }
        )
        self._listings.setdefault(query, {})[page] = listing

    def record_fetched(self, slug: str, url: str, encoding: str, sha256: str) -> None:
        self._append(
            {"event": "fetched", "slug": slug, "url": url, "encoding": encoding, "sha256": sha256}
        )
        self._encodings[slug] = encoding

    def record_ingested(self, sink: str, slug: str) -> None:
        self._append({"event": "ingested", "sink": sink, "slug": slug})
        self._ingested.add((sink, slug))

    def record_failed(self, slug: str, url: str, stage: str, error: str) -> None:
        self._append({"event": "failed", "slug": slug, "url": url, "stage": stage, "error": error})

    def record_walk_complete(self, query: str) -> None:
        self._append({"event": "walk_complete", "query": query})
        self._listings.pop(query, None)

    def _append(self, event: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(event, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def _replay(self) -> None:
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            # A torn final event from an interrupted write: drop it so that this run's
            # events do not get appended onto a half line.
            data = data[: data.rfind(b"\n") + 1]
            with self.path.open("r+b") as handle:
                handle.truncate(len(data))
        for number, line in enumerate(data.decode("utf-8").split("\n"), start=1):
            if not line.strip():
                continue
            try:
                self._apply(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, ValidationError) as exc:
                raise JournalError(
                    f"{self.path}, line {number}: unreadable event ({exc}). Move the file "
                    "aside to start the listing afresh; pages already on disk will not be "
                    "fetched again."
                ) from exc

    def _apply(self, event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "listing_page":
            listing = ListingPage.model_validate({"items": event["items"], "total": event["total"]})
            self._listings.setdefault(event["query"], {})[int(event["page"])] = listing
        elif kind == "fetched":
            self._encodings[event["slug"]] = event["encoding"]
        elif kind == "ingested":
            self._ingested.add((event["sink"], event["slug"]))
        elif kind == "walk_complete":
            self._listings.pop(event["query"], None)
        elif kind != "failed":
            raise KeyError(f"unknown event {kind!r}")
