"""The casework service's context: the database (shared with the corpus), rulebook and workflow."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from ombuds.casework.workflow import Workflow, load_workflow
from ombuds.corpus.store import Store
from ombuds.rulebook import Rulebook, load_rulebook

if TYPE_CHECKING:
    from ombuds.suggest.service import Suggester


@dataclass(frozen=True)
class Office:
    """What every casework action needs; ``today`` is replaceable so tests can move the clock."""

    store: Store
    rulebook: Rulebook = field(default_factory=load_rulebook)
    workflow: Workflow = field(default_factory=load_workflow)
    today: Callable[[], date] = date.today
    #: The suggestion model for the assessment pages (None: the one shipped in the package).
    suggest_model: Path | None = None
    _sqlite_writer: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _suggesters: dict[str, Suggester] = field(default_factory=dict, repr=False, compare=False)

    def suggester(self) -> Suggester:
        """The model and the corpus's precedents, loaded on first use (about 0.1 s) and kept.

        Raises ``ModelError`` when the model file cannot be read."""
        from ombuds.suggest.model import SuggestModel, default_model_path
        from ombuds.suggest.service import Suggester

        kept = self._suggesters.get("model")
        if kept is None:  # two first requests may both load it; setdefault keeps one
            model = SuggestModel.load(self.suggest_model or default_model_path())
            kept = self._suggesters.setdefault(
                "model", Suggester(model, self.store, mode="bm25", rulebook=self.rulebook)
            )
        return kept

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
