"""What `ombuds suggest` reads from a complaint file: the person's words, never the facts."""

from __future__ import annotations

from pathlib import Path

from ombuds.intake import load_complaint
from ombuds.rulebook import load_rulebook
from ombuds.suggest.inputs import complaint_words

SEED = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "24-009-458.yaml"


def test_points_and_subject_without_facts_or_notes() -> None:
    complaint = load_complaint(SEED, load_rulebook())
    words = complaint_words(complaint)
    assert complaint.subject in words
    assert all(p.alleged in words for p in complaint.points)
    notes = [note for p in complaint.points for note in p.notes]
    assert notes and not any(note in words for note in notes)


def test_the_complaint_as_received_is_used_when_the_file_keeps_it() -> None:
    complaint = load_complaint(SEED, load_rulebook())
    written = "I asked the Council for help with my rent arrears and nobody called back."
    kept = complaint.model_copy(update={"received_text": written})
    assert complaint_words(kept) == written
