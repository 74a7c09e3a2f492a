"""From a parsed decision to the rows that store it: pure, no database.

A decision is keyed by its case reference. A record with no reference is rejected rather
than keyed by URL or file name: the same decision read from a mirror, a different file or a
later crawl would then be stored twice, and references are what users search by.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from ombuds.corpus.reference import display_reference, reference_key
from ombuds.domain.record import DecisionRecord

NO_REFERENCE = (
    "no case reference (YY NNN NNN) was found in the header or URL; "
    "decisions are stored by reference, so add the header line 'Organisation (YY NNN NNN)'"
)
NO_TEXT = "the decision has no text to store; check that the file is a decision statement"
NOT_UNICODE = (
    "the decision holds a lone surrogate (such as \\ud800 in JSON), which is not a character "
    "and cannot be stored; fix the text at its source"
)


@dataclass(frozen=True)
class PreparedDecision:
    """One decision ready to write: its row, child rows and a hash of its content."""

    key: str
    row: dict[str, Any]
    tests: list[str]
    citations: list[str]
    remedies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        return str(self.row["content_hash"])


def content_hash(record: DecisionRecord, text: str, raw: str | None) -> str:
    """Hash of everything stored except provenance (``source``), to tell updated from unchanged."""
    payload = record.model_dump(mode="json", exclude={"source"})
    digest = hashlib.sha256()
    digest.update(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    digest.update(b"\x00")
    digest.update(text.encode("utf-8"))
    digest.update(b"\x00")
    digest.update((raw or "").encode("utf-8"))
    return digest.hexdigest()


def prepare(record: DecisionRecord, text: str, raw: str | None) -> PreparedDecision | str:
    """The rows for one decision, or the reason it cannot be stored."""
    if not record.reference or not record.reference.strip():
        return NO_REFERENCE
    if not text.strip():
        return NO_TEXT
    stored_raw = raw if raw is not None and raw != text else None
    try:
        hashed = content_hash(record, text, stored_raw)
    except UnicodeEncodeError:  # only lone surrogates fail to encode as UTF-8
        return NOT_UNICODE
    category = record.category.strip() if record.category else None
    row: dict[str, Any] = {
        "reference_key": reference_key(record.reference),
        "reference": display_reference(record.reference),
        "decision": record.decision,
        "category": category,
        "category_top": category.split(">")[0].strip() if category else None,
        "year": record.decision_date.year if record.decision_date else None,
        "decision_date": record.decision_date,
        "organisation": record.organisation,
        "decision_label": record.decision_label,
        "complainant": record.complainant,
        "content_hash": hashed,
        "url": record.url,
        "source": record.source,
        "from_url": list(record.from_url),
        "points": list(record.points),
        "summary": record.summary,
        "sections": dict(record.sections),
        "text": text,
        "raw": stored_raw,
    }
    return PreparedDecision(
        key=row["reference_key"],
        row=row,
        tests=list(dict.fromkeys(record.tests)),
        citations=list(record.citations),
        remedies=[remedy.model_dump() for remedy in record.remedies],
    )
