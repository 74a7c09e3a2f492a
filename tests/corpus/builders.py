"""Decisions built without the parser, for unit tests of the store, ingest and search.

The records are built directly, but wrapped in the reader's own ``Parsed``, so the store is
tested against what the reader really yields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ombuds.domain.record import DecisionRecord, Remedy
from ombuds.reading import Parsed

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Decision:
    """Terse builder for a decision and the text it was read from."""

    reference: str | None
    body: str
    organisation: str = "Testshire County Council"
    category: str = "Housing > Homelessness"
    decision: str = "closed_after_initial_enquiries"
    decided: date = date(2024, 5, 1)
    tests: list[str] = field(default_factory=list)
    remedies: list[Remedy] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    summary: str | None = None

    def parsed(self, source: str = "test.txt") -> Parsed:
        header = (
            f"{self.organisation} ({self.reference})\nCategory : {self.category}\n"
            f"Decision date : {self.decided:%d %b %Y}\n"
        )
        summary = self.summary or self.body.split(".")[0]
        record = DecisionRecord(
            reference=self.reference,
            organisation=self.organisation,
            category=self.category,
            decision=self.decision,
            decision_date=self.decided,
            summary=summary,
            tests=self.tests,
            citations=self.citations,
            remedies=self.remedies,
            source=source,
        )
        text = f"{header}Summary: {summary}\n{self.body}"
        return Parsed(record=record, text=text, raw=text)
