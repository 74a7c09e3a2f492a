"""A small invented corpus, ingested, and a model trained on it, shared by the suggest tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ombuds.corpus.ingest import ingest
from ombuds.corpus.store import Store, open_store
from ombuds.reading.sources import Parsed, parse_one
from ombuds.suggest.model import SuggestModel, train
from ombuds.suggest.training import stored_examples

from .invented import corpus, write_corpus


@pytest.fixture(scope="session")
def corpus_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("invented") / "corpus.jsonl")


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "corpus.db"
    store = open_store(path)
    try:
        parsed = []
        for row in corpus():
            item = parse_one(str(row["text"]), str(row["url"]), "invented")
            assert isinstance(item, Parsed)
            parsed.append(item)
        ingest(store, parsed)
    finally:
        store.close()
    return path


@pytest.fixture
def store(corpus_db: Path, tmp_path: Path) -> Iterator[Store]:
    copy = tmp_path / "corpus.db"
    copy.write_bytes(corpus_db.read_bytes())
    opened = open_store(copy)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def model(corpus_db: Path) -> SuggestModel:
    store = open_store(corpus_db)
    try:
        return train(list(stored_examples(store)))
    finally:
        store.close()
