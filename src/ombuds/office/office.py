"""The casework service's context: the database (shared with the corpus), rulebook and workflow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

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
