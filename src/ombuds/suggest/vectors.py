"""Keeping the corpus's vector index in step, with the sentence-embedding model."""

from __future__ import annotations

from ombuds.corpus.store import Store
from ombuds.corpus.vectors import VectorIndex, catch_up, vector_location
from ombuds.suggest.embed import DIMENSIONS, MODEL_NAME


def follow(store: Store, index: VectorIndex | None = None) -> int:
    """Embed the decisions stored or changed since the index was last current; how many."""
    from ombuds.suggest.embed import encoder

    target = index or VectorIndex(vector_location(store))
    return catch_up(store, target, lambda texts: encoder().encode(texts), MODEL_NAME, DIMENSIONS)


def enabled(store: Store) -> bool:
    """The vector index has been built for this corpus (so ingest keeps it current)."""
    return VectorIndex(vector_location(store)).exists()
