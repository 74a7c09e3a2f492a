"""The casework service's context: the database (shared with the corpus), rulebook and workflow."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection

from ombuds.casework.workflow import Workflow, load_workflow
from ombuds.corpus.store import Store
from ombuds.rulebook import Rulebook, load_rulebook


@dataclass(frozen=True)
class Office:
    """What every casework action needs; ``today`` is replaceable so tests can move the clock."""

    store: Store
    rulebook: Rulebook = field(default_factory=load_rulebook)
    workflow: Workflow = field(default_factory=load_workflow)
    today: Callable[[], date] = date.today
    _sqlite_writer: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction. On SQLite, writers of this process take turns here.

        SQLite lets one writer in at a time; others wait in its busy handler, which sleeps in
        growing steps (up to 100 ms), so under load a queue in the process is much fairer and
        faster. Readers are not held up (WAL). PostgreSQL locks rows itself.
        """
        turn: AbstractContextManager[object] = (
            self._sqlite_writer if self.store.dialect == "sqlite" else nullcontext()
        )
        with turn, self.store.begin() as conn:
            yield conn
