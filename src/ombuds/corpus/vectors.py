"""The vector index: one dense vector per stored decision, for "similar decisions".

Like the search index it is derived data beside the database (``ombuds.db.vectors/``), made
only on request (``ombuds vectors``), then kept in step incrementally: each ingest (and each
suggestion that finds it behind) embeds only the decisions whose content changed since,
found by comparing content hashes with the database, and drops deleted ones. A missing or
unreadable index is rebuilt from the database.

Storage: append-only segments (``seg-NNNNNN.npz``: row ids, content-hash prefixes, float16
unit vectors, ids deleted), compacted into one when there are more than ``MAX_SEGMENTS``; a
``state.json`` written last (atomic rename) names the live segments, so a crash leaves the
previous state readable. Search is exact: one matrix product over all vectors (100k x 384
float16 is 77 MB and takes milliseconds), so there is no approximate-recall trade-off to tune.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select

from ombuds.corpus.schema import decision
from ombuds.corpus.store import Store
from ombuds.corpus.sync import database_state

MARKER = "OMBUDS_VECTORS"
MARKER_TEXT = (
    "ombuds vector index, format 1\n"
    "Derived from the corpus database and rebuilt from it when missing (`ombuds vectors`); "
    "safe to delete.\n"
)
STATE = "state.json"
MAX_SEGMENTS = 8
_BATCH = 256

Embed = Callable[[list[str]], NDArray[np.float32]]


class VectorIndexError(RuntimeError):
    """The vector index cannot be read or written."""


@dataclass(frozen=True)
class Document:
    """What is embedded for one decision: the complaint as the statement gives it."""

    id: int
    hash: int
    text: str


def vector_location(store: Store) -> Path:
    """Beside the search index folder: ``X.index`` -> ``X.vectors``."""
    path = store.index.path
    name = path.name[: -len(".index")] if path.name.endswith(".index") else path.name
    return path.with_name(f"{name}.vectors")


def hash_prefix(content_hash: str) -> int:
    return int(content_hash[:15], 16)


def embedded_text(sections: dict[str, object] | None, summary: str | None, text: str) -> str:
    """The complaint section if the statement has one, else its summary, else its start."""
    complaint = (sections or {}).get("complaint")
    if isinstance(complaint, str) and complaint.strip():
        return complaint
    if summary and summary.strip():
        return summary
    return text[:2000]


@dataclass
class Loaded:
    ids: NDArray[np.int64]
    hashes: NDArray[np.int64]
    vectors: NDArray[np.float16]
    model: str
    generation: int | None
    corpus_id: str | None


class VectorIndex:
    """One vector index folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._loaded: Loaded | None = None

    def exists(self) -> bool:
        return (self.path / MARKER).is_file() and (self.path / STATE).is_file()

    def _state(self) -> dict[str, object]:
        try:
            state = json.loads((self.path / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise VectorIndexError(f"cannot read {self.path / STATE}: {exc}") from exc
        if not isinstance(state, dict):
            raise VectorIndexError(f"{self.path / STATE} is not a vector index state")
        return state

    def create(self, model: str, dimensions: int) -> None:
        """An empty index (replacing one this module made; never another folder)."""
        if self.path.exists():
            if not (self.path / MARKER).is_file() and any(self.path.iterdir()):
                raise VectorIndexError(
                    f"{self.path} is not empty and is not an ombuds vector index; remove it"
                )
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        (self.path / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        self._write_state(
            {
                "model": model,
                "dimensions": dimensions,
                "segments": [],
                "next": 1,
                "corpus_id": None,
                "generation": None,
            }
        )
        self._loaded = None

    def _write_state(self, state: dict[str, object]) -> None:
        temporary = self.path / f"{STATE}.tmp"
        temporary.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path / STATE)

    def load(self) -> Loaded:
        """Every live vector (later segments override earlier ones), cached until changed."""
        if self._loaded is not None:
            return self._loaded
        state = self._state()
        ids: dict[int, int] = {}
        hash_parts: list[NDArray[np.int64]] = []
        vector_parts: list[NDArray[np.float16]] = []
        offset = 0
        dimensions = int(str(state.get("dimensions", 0)))
        for name in list(state.get("segments") or []):  # type: ignore[call-overload]
            try:
                with np.load(self.path / str(name), allow_pickle=False) as segment:
                    seg_ids, seg_hashes = segment["ids"], segment["hashes"]
                    seg_vectors, deleted = segment["vectors"], segment["deleted"]
            except (OSError, ValueError, KeyError) as exc:
                raise VectorIndexError(f"cannot read {self.path / str(name)}: {exc}") from exc
            for row_id in deleted.tolist():
                ids.pop(int(row_id), None)
            for position, row_id in enumerate(seg_ids.tolist()):
                ids[int(row_id)] = offset + position
            hash_parts.append(seg_hashes)
            vector_parts.append(seg_vectors)
            offset += len(seg_ids)
        order = sorted(ids)
        rows = np.array([ids[i] for i in order], dtype=np.int64)
        all_hashes = np.concatenate(hash_parts) if hash_parts else np.zeros(0, np.int64)
        all_vectors = (
            np.concatenate(vector_parts) if vector_parts else np.zeros((0, dimensions), np.float16)
        )
        generation = state.get("generation")
        self._loaded = Loaded(
            ids=np.array(order, dtype=np.int64),
            hashes=all_hashes[rows] if len(rows) else np.zeros(0, np.int64),
            vectors=all_vectors[rows] if len(rows) else np.zeros((0, dimensions), np.float16),
            model=str(state.get("model")),
            generation=int(str(generation)) if generation is not None else None,
            corpus_id=str(state["corpus_id"]) if state.get("corpus_id") else None,
        )
        return self._loaded

    def add_segment(
        self,
        ids: Sequence[int],
        hashes: Sequence[int],
        vectors: NDArray[np.float32],
        deleted: Sequence[int],
        *,
        corpus_id: str,
        generation: int,
    ) -> None:
        """Record new or changed vectors and deletions, then publish them with the state."""
        state = self._state()
        number = int(str(state.get("next", 1)))
        name = f"seg-{number:06d}.npz"
        with open(self.path / name, "wb") as handle:
            np.savez(
                handle,
                ids=np.asarray(ids, dtype=np.int64),
                hashes=np.asarray(hashes, dtype=np.int64),
                vectors=np.asarray(vectors, dtype=np.float16).reshape(len(ids), -1),
                deleted=np.asarray(deleted, dtype=np.int64),
            )
        segments = [*list(state.get("segments") or []), name]  # type: ignore[call-overload]
        state.update(segments=segments, next=number + 1, corpus_id=corpus_id, generation=generation)
        self._write_state(state)
        self._loaded = None
        if len(segments) > MAX_SEGMENTS:
            self.compact()

    def compact(self) -> None:
        """Merge the live vectors into one segment and remove the others."""
        loaded = self.load()
        state = self._state()
        old = list(state.get("segments") or [])  # type: ignore[call-overload]
        state["segments"] = []
        self._write_state(state)
        self._loaded = None
        self.add_segment(
            loaded.ids.tolist(),
            loaded.hashes.tolist(),
            loaded.vectors.astype(np.float32),
            [],
            corpus_id=str(state.get("corpus_id") or ""),
            generation=int(str(state.get("generation") or 0)),
        )
        for name in old:
            (self.path / str(name)).unlink(missing_ok=True)
        self._loaded = None

    def nearest(
        self, query: NDArray[np.float32], k: int, exclude: set[int] | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` stored decisions whose vectors are closest (cosine) to ``query``."""
        loaded = self.load()
        if not len(loaded.ids):
            return []
        scores = loaded.vectors @ query.astype(np.float16)
        wanted = min(len(scores), k + len(exclude or ()))
        top = np.argpartition(-scores, wanted - 1)[:wanted]
        top = top[np.argsort(-scores[top].astype(np.float32), kind="stable")]
        found = [(int(loaded.ids[i]), float(scores[i])) for i in top]
        return [hit for hit in found if not exclude or hit[0] not in exclude][:k]

    def vector_of(self, row_id: int) -> NDArray[np.float32] | None:
        loaded = self.load()
        position = np.searchsorted(loaded.ids, row_id)
        if position < len(loaded.ids) and loaded.ids[position] == row_id:
            return np.asarray(loaded.vectors[position], dtype=np.float32)
        return None


def catch_up(store: Store, index: VectorIndex, embed: Embed, model: str, dimensions: int) -> int:
    """Embed what changed in the database since the index was last brought up to date.

    Returns how many decisions were embedded. A missing index, or one made with another
    model or for another corpus, is rebuilt from scratch.
    """
    with store.engine.connect() as conn:
        state = database_state(conn)
        if not index.exists():
            index.create(model, dimensions)
        loaded = index.load()
        if loaded.model != model or (loaded.corpus_id and loaded.corpus_id != state.corpus_id):
            index.create(model, dimensions)
            loaded = index.load()
        if loaded.generation == state.generation and loaded.corpus_id == state.corpus_id:
            return 0
        d = decision.c
        current = {
            int(row.id): hash_prefix(row.content_hash)
            for row in conn.execute(select(d.id, d.content_hash))
        }
        known = dict(zip(loaded.ids.tolist(), loaded.hashes.tolist(), strict=True))
        deleted = [row_id for row_id in known if row_id not in current]
        changed = sorted(i for i, h in current.items() if known.get(i) != h)
        embedded = 0
        for start in range(0, max(len(changed), 1), _BATCH * 8):
            chunk = changed[start : start + _BATCH * 8]
            documents = (
                [
                    Document(
                        int(row.id),
                        hash_prefix(row.content_hash),
                        embedded_text(row.sections, row.summary, row.text),
                    )
                    for row in conn.execute(
                        select(d.id, d.content_hash, d.sections, d.summary, d.text).where(
                            d.id.in_(chunk)
                        )
                    )
                ]
                if chunk
                else []
            )
            vectors = (
                embed([doc.text for doc in documents])
                if documents
                else np.zeros((0, dimensions), np.float32)
            )
            last = start + _BATCH * 8 >= len(changed)
            index.add_segment(
                [doc.id for doc in documents],
                [doc.hash for doc in documents],
                vectors,
                deleted if start == 0 else [],
                corpus_id=state.corpus_id,
                # Only the last chunk marks the index as current: a crash midway resumes.
                generation=state.generation if last else -1,
            )
            embedded += len(documents)
        return embedded
