"""Values computed from the corpus, kept until the corpus changes.

Every write to the corpus advances its generation (``corpus_state``), so a value kept with the
generation it was computed at is current exactly while the generation is unchanged; checking
costs one small query. One value per corpus and name, so memory stays bounded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ombuds.corpus.index import IndexState
from ombuds.corpus.store import Store
from ombuds.corpus.sync import database_state

T = TypeVar("T")
_kept: dict[tuple[str, str], tuple[IndexState, Any]] = {}
_lock = threading.Lock()


def per_generation(store: Store, name: str, compute: Callable[[Store], T]) -> T:
    with store.engine.connect() as conn:
        state = database_state(conn)
    key = (store.url, name)
    with _lock:
        kept = _kept.get(key)
    if kept is not None and kept[0] == state:
        value: T = kept[1]
        return value
    value = compute(store)
    with _lock:
        _kept[key] = (state, value)
    return value
