"""The search index: a Tantivy index derived from the corpus database, for ranked search.

The database stays the source of truth; the index is a copy shaped for one job: BM25 ranking
with top-k pruning, filters, and facet counts from columnar fields. It stores no text (snippets
are cut from the database's copy), and one *state document* recording which corpus
(``corpus_id``) and which ``generation`` of it the index reflects, committed atomically with
the decisions it describes. An index whose state differs from the database's is stale and is
rebuilt from the database (see ``ombuds.corpus.sync``).

The folder holds a marker file naming it an ombuds index, so that only a folder this module
made is ever cleared or replaced; a folder of nothing but Tantivy's own files (say the marker
was deleted) is recognised too. Any file of the index missing or damaged makes it stale, not
broken: it is rebuilt. Where the folder cannot be written (a read-only copy of a corpus), a
stale or missing index is built in a temporary folder for the run instead.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import tantivy

SCHEMA_VERSION = 1
MARKER = "OMBUDS_INDEX"
MARKER_TEXT = (
    f"ombuds search index, schema {SCHEMA_VERSION}\n"
    "Derived from the corpus database and rebuilt from it when missing or stale "
    "(`ombuds reindex`); safe to delete.\n"
)
TOKENIZER = "ombuds_en"
# Searched fields and their BM25 weights: a word in the reference or organisation says more
# about a decision than the same word in its body.
WEIGHTS: dict[str, float] = {
    "reference": 10.0,
    "organisation": 5.0,
    "category": 3.0,
    "summary": 2.0,
    "text": 1.0,
}
SNIPPET_FIELD = "text"
DECISION_KIND, STATE_KIND = "decision", "state"
WRITER_HEAP = 128_000_000


# Files Tantivy writes in an index folder: segment components, metadata and lock files.
_TANTIVY_FILE = re.compile(
    r"(?:[0-9a-f]{32}(?:\.\d+)?\.(?:fast|fieldnorm|idx|pos|store|term|del)"
    r"|meta\.json|\.managed\.json|\.tantivy-(?:meta|writer)\.lock|.*\.tmp|\.?~.*)"
)

_SEGMENT_FILE = re.compile(r"[0-9a-f]{32}\.")


class SearchIndexError(RuntimeError):
    """The search index cannot be opened, read or written."""


class IndexBusy(SearchIndexError):
    """Another process (an ingest or a reindex) is writing the index."""


@dataclass(frozen=True)
class IndexState:
    """Which corpus, at which generation, an index was built from."""

    corpus_id: str
    generation: int


@dataclass(frozen=True)
class IndexEntry:
    """What the index needs of one decision; ``id`` is its database row id."""

    id: int
    reference_key: str
    reference: str
    organisation: str | None
    category: str | None
    summary: str | None
    text: str
    decision: str | None
    decided: date | None
    tests: tuple[str, ...]

    def document(self) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_text("kind", DECISION_KIND)
        doc.add_integer("id", self.id)
        doc.add_text("reference_key", self.reference_key)
        searched = {
            "reference": self.reference,
            "organisation": self.organisation,
            "category": self.category,
            "summary": self.summary,
            "text": self.text,
        }
        for name, value in searched.items():
            if value:
                doc.add_text(name, value)
        if self.organisation:
            doc.add_text("organisation_key", self.organisation.strip().lower())
        if self.category:
            doc.add_text("category_facet", self.category)
            for key in category_keys(self.category):
                doc.add_text("category_key", key)
        if self.decision:
            doc.add_text("decision", self.decision)
        for test_id in self.tests:
            doc.add_text("test", test_id)
        if self.decided:
            doc.add_text("year", str(self.decided.year))
            doc.add_integer("decided", day_number(self.decided))
        doc.add_unsigned("recency", recency(self.decided, self.id))
        return doc


def day_number(day: date) -> int:
    """A date as the integer YYYYMMDD, for range filters."""
    return day.year * 10_000 + day.month * 100 + day.day


def recency(decided: date | None, row_id: int) -> int:
    """Sort key for browsing newest first: decision date, then latest stored; undated last."""
    return ((decided.toordinal() if decided else 0) << 32) | (row_id & 0xFFFFFFFF)


def category_keys(category: str) -> list[str]:
    """Lower-cased names a category filter may use: the whole path, its top and its tails.

    "Housing > Homelessness" is found by "housing > homelessness", "housing" or "homelessness".
    """
    parts = [part.strip().lower() for part in category.split(">") if part.strip()]
    if not parts:
        return []
    keys = [" > ".join(parts), parts[0]]
    keys.extend(" > ".join(parts[n:]) for n in range(1, len(parts)))
    return list(dict.fromkeys(keys))


@cache
def analyzer() -> tantivy.TextAnalyzer:
    """Words split on non-alphanumerics, lower-cased, accents folded, English stems."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


@cache
def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("kind", tokenizer_name="raw")
    builder.add_integer_field("id", indexed=True, fast=True)
    builder.add_text_field("reference_key", tokenizer_name="raw")
    for name in WEIGHTS:
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option="position")
    builder.add_text_field("organisation_key", tokenizer_name="raw")
    builder.add_text_field("category_key", tokenizer_name="raw")
    builder.add_text_field("category_facet", tokenizer_name="raw", fast=True)
    builder.add_text_field("decision", tokenizer_name="raw", fast=True)
    builder.add_text_field("test", tokenizer_name="raw", fast=True)
    builder.add_text_field("year", tokenizer_name="raw", fast=True)
    builder.add_integer_field("decided", indexed=True, fast=True)
    builder.add_unsigned_field("recency", fast=True)
    builder.add_text_field("corpus_id", tokenizer_name="raw", stored=True)
    builder.add_integer_field("generation", stored=True)
    return builder.build()


class IndexWriter:
    """Changes to the index; nothing is visible to searches until ``commit``."""

    def __init__(self, writer: tantivy.IndexWriter) -> None:
        self._writer = writer

    def replace(self, entries: Iterable[IndexEntry]) -> int:
        """Add each decision, first removing any earlier version of it (same row id)."""
        count = 0
        for entry in entries:
            self._writer.delete_documents_by_term("id", entry.id)
            self._writer.add_document(entry.document())
            count += 1
        return count

    def clear(self) -> None:
        self._writer.delete_all_documents()

    def commit(self, state: IndexState) -> None:
        """Publish the changes together with the state they bring the index to."""
        self._writer.delete_documents_by_term("kind", STATE_KIND)
        doc = tantivy.Document()
        doc.add_text("kind", STATE_KIND)
        doc.add_text("corpus_id", state.corpus_id)
        doc.add_integer("generation", state.generation)
        self._writer.add_document(doc)
        try:
            self._writer.commit()
        except ValueError as exc:
            raise SearchIndexError(f"cannot write the search index: {exc}") from exc

    def rollback(self) -> None:
        self._writer.rollback()


class SearchIndex:
    """One index folder; opened lazily and kept open for repeated searches."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.home = path  # where the index belongs, even while a temporary one is used
        self._index: tantivy.Index | None = None
        self._temporary: tempfile.TemporaryDirectory[str] | None = None

    @property
    def temporary(self) -> bool:
        """This run's index is a temporary copy (the real folder cannot be written)."""
        return self._temporary is not None

    def exists(self) -> bool:
        """A usable index of this schema version is in the folder."""
        marker = self.path / MARKER
        try:
            current = marker.read_bytes() == MARKER_TEXT.encode("utf-8")
        except OSError:
            return False
        return current and (self.path / "meta.json").is_file()

    def _ours(self) -> bool:
        """Made by this module: the marker is there, or nothing but Tantivy's own files are."""
        if (self.path / MARKER).is_file():
            return True
        try:
            names = [entry.name for entry in self.path.iterdir()]
        except OSError:
            return False
        if not names or not all(_TANTIVY_FILE.fullmatch(n) for n in names):
            return False
        # Tantivy's own bookkeeping file, or its metadata with segments: never another tool's.
        segments = any(_SEGMENT_FILE.match(n) for n in names)
        return ".managed.json" in names or ("meta.json" in names and segments)

    def writable(self) -> bool:
        """Files can be made in the folder (or, if it does not exist yet, beside it)."""
        where = self.path if self.path.is_dir() else self.path.parent
        try:
            with tempfile.TemporaryFile(dir=where, prefix=".ombuds-probe-"):
                return True
        except OSError:
            return False

    def use_temporary(self) -> None:
        """Work in a new temporary folder for the rest of this run (removed on close)."""
        self.close()
        self._temporary = tempfile.TemporaryDirectory(prefix="ombuds-index-")
        self.path = Path(self._temporary.name) / "index"

    def reset(self) -> None:
        """Replace the folder with an empty index (only a folder this module made).

        A folder that cannot be written is left alone; the index moves to a temporary one.
        """
        self._index = None
        if not self.temporary and not self.writable():
            self.use_temporary()
        if self.path.exists():
            if not self._ours() and any(self.path.iterdir()):
                raise SearchIndexError(self._not_ours())
            shutil.rmtree(self.path)
        self._create()

    def _not_ours(self) -> str:
        return (
            f"{self.path} is not empty and is not an ombuds search index; give --index (or "
            "OMBUDS_INDEX) a new folder, or remove this one"
        )

    def _create(self) -> None:
        try:
            self.path.mkdir(parents=False, exist_ok=True)
            index = tantivy.Index(schema(), path=str(self.path), reuse=False)
        except (OSError, ValueError) as exc:
            raise SearchIndexError(f"cannot create the search index in {self.path}: {exc}") from exc
        (self.path / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        self._index = self._ready(index)

    def _ready(self, index: tantivy.Index) -> tantivy.Index:
        index.register_tokenizer(TOKENIZER, analyzer())
        return index

    def index(self) -> tantivy.Index:
        """The open index, creating an empty one (or replacing an outdated one) if needed."""
        if self._index is not None:
            return self._index
        if not self.exists():
            if self.path.exists() and any(self.path.iterdir()) and not self._ours():
                raise SearchIndexError(self._not_ours())
            self.reset()
            assert self._index is not None
            return self._index
        try:
            self._index = self._ready(tantivy.Index.open(str(self.path)))
        except (ValueError, OSError):
            self.reset()  # unreadable: it is derived data, so start again
        assert self._index is not None
        return self._index

    def searcher(self) -> tantivy.Searcher:
        """A searcher over the latest commit."""
        index = self.index()
        index.reload()
        return index.searcher()

    def state(self, searcher: tantivy.Searcher) -> IndexState | None:
        """The state the index was last committed with; ``None`` for a new, empty index."""
        query = tantivy.Query.term_query(schema(), "kind", STATE_KIND)
        hits = searcher.search(query, 1, count=False).hits
        if not hits:
            return None
        doc = searcher.doc(hits[0][1])
        corpus_id, generation = doc.get_first("corpus_id"), doc.get_first("generation")
        if not isinstance(corpus_id, str) or not isinstance(generation, int):
            return None
        return IndexState(corpus_id, generation)

    @contextmanager
    def writer(self) -> Iterator[IndexWriter]:
        """The single writer (a lock held until the block ends); ``IndexBusy`` if taken.

        Uncommitted changes are rolled back if the block fails; merges of segments are allowed
        to finish before the lock is released, so searches meet few segments.
        """
        try:
            raw = self.index().writer(heap_size=WRITER_HEAP)
        except ValueError as exc:
            if "LockBusy" in str(exc):
                raise IndexBusy(
                    f"the search index {self.path} is being written by another ombuds process "
                    "(an ingest or reindex); run this again when it has finished"
                ) from exc
            raise SearchIndexError(f"cannot write the search index {self.path}: {exc}") from exc
        writer = IndexWriter(raw)
        try:
            yield writer
        except BaseException:
            raw.rollback()
            raise
        finally:
            raw.wait_merging_threads()

    def close(self) -> None:
        self._index = None
        if self._temporary is not None:
            self._temporary.cleanup()  # ``temporary`` stays true, for messages after closing
