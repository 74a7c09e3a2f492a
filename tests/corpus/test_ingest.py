"""Ingest is idempotent by reference and never leaves a decision half-written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from ombuds.corpus.ingest import IngestInterrupted, ingest
from ombuds.corpus.rows import NO_REFERENCE
from ombuds.corpus.store import Store
from ombuds.domain.record import Remedy
from ombuds.reading import Parsed, ParseFailure

from .builders import Decision


def _count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _decisions() -> list[Decision]:
    return [
        Decision(
            "24 000 101",
            "Mr A could appeal to the tribunal about the penalty charge.",
            tests=["alternative_remedy_tribunal"],
            citations=["Local Government Act 1974, section 26(6)(a)"],
        ),
        Decision(
            "24 000 102",
            "The Council delayed the care assessment and agreed to pay Mrs B.",
            decision="upheld",
            remedies=[Remedy(kind="payment", text="pay £300", amount_gbp=300.0)],
        ),
        Decision("24 000 103", "Noise from the depot was not a statutory nuisance."),
    ]


def test_reingest_counts_unchanged_and_updated_without_duplicates(store: Store) -> None:
    first = ingest(store, [d.parsed() for d in _decisions()])
    assert (first.added, first.updated, first.unchanged, first.rejected) == (3, 0, 0, 0)

    again = ingest(store, [d.parsed() for d in _decisions()])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)

    changed = _decisions()
    changed[0].tests = ["late_complaint"]
    changed[0].body = "Mr A complained too late about the penalty charge."
    third = ingest(store, [d.parsed() for d in changed])
    assert (third.added, third.updated, third.unchanged) == (0, 1, 2)

    assert _count(store, "decision") == 3
    with store.engine.connect() as conn:
        tests = conn.execute(text("SELECT test_id FROM decision_test")).scalars().all()
    assert tests == ["late_complaint"]  # children replaced, not appended
    assert _count(store, "citation") == 1
    assert _count(store, "remedy") == 1


def test_spelling_of_reference_does_not_matter(store: Store) -> None:
    ingest(store, [Decision("24 000 101", "Original text.").parsed()])
    report = ingest(store, [Decision("24-000-101", "Revised text.").parsed()])
    assert (report.added, report.updated) == (0, 1)
    assert _count(store, "decision") == 1


def test_same_reference_twice_in_one_run_keeps_the_last(store: Store) -> None:
    items = [Decision("24 000 101", "First.").parsed(), Decision("24 000 101", "Second.").parsed()]
    report = ingest(store, items)
    assert (report.added, report.updated) == (1, 1)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT text FROM decision")).scalar_one().endswith("Second.")


def test_no_reference_and_parse_failures_are_rejected_with_reasons(store: Store) -> None:
    items: list[Parsed | ParseFailure] = [
        Decision(None, "A statement without its header.").parsed(source="headless.txt"),
        ParseFailure(source="broken.html", message="not a decision statement"),
        Decision("24 000 104", "A good one.").parsed(source="good.txt"),
    ]
    report = ingest(store, items)
    assert report.added == 1
    assert [(r.source, r.reason) for r in report.rejections] == [
        ("headless.txt", NO_REFERENCE),
        ("broken.html", "not a decision statement"),
    ]


def test_a_crash_mid_ingest_keeps_committed_batches_and_no_partial_rows(store: Store) -> None:
    def items() -> Iterator[Parsed]:
        for n in range(7):
            yield Decision(
                f"24 000 {200 + n}", f"Decision number {n}.", tests=["premature"]
            ).parsed()
        raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError):
        ingest(store, items(), batch_size=3)
    # Two full batches were committed; the third (one decision read) was never written.
    assert _count(store, "decision") == 6
    assert _count(store, "decision_test") == 6


def test_a_decision_the_database_refuses_is_rejected_alone(store: Store) -> None:
    with store.begin() as conn:
        conn.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON decision WHEN new.reference = '24 000 302' "
                "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
            )
        )
    items = [Decision(f"24 000 {300 + n}", f"Decision {n}.").parsed(f"f{n}.txt") for n in range(5)]
    report = ingest(store, items, batch_size=10)
    assert report.added == 4
    assert [r.source for r in report.rejections] == ["f2.txt"]
    assert "refused by test trigger" in report.rejections[0].reason
    assert _count(store, "decision") == 4


def test_a_database_failure_stops_with_what_was_committed(store: Store) -> None:
    with store.begin() as conn:
        conn.execute(text("DROP TABLE citation"))  # every write of a citation now fails
    plain = [Decision(f"24 000 {400 + n}", f"Plain decision {n}.").parsed() for n in range(2)]
    cited = Decision("24 000 410", "Cites the Act.", citations=["section 26(6)(a)"]).parsed()
    with pytest.raises(IngestInterrupted) as caught:
        ingest(store, [*plain, cited], batch_size=2)
    assert caught.value.report.added == 2
    assert "nothing is half-written" in str(caught.value)
    assert _count(store, "decision") == 2  # the failed batch left no decision row behind
