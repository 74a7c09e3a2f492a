"""The outcome of statements copied without their header block, read from their words.

Every statement here is invented; each case is one rule of the house style.
"""

from __future__ import annotations

import pytest

from ombuds.reading import parse_text

ROLE = (
    "The Ombudsman's role and powers\n"
    "- We investigate complaints about 'maladministration' and 'service failure'. "
    "(Local Government Act 1974, sections 26(1) and 26A(1), as amended)\n"
)


def _statement(summary: str) -> str:
    return (
        "The Ombudsman's final decision:\n"
        f"Summary: {summary}\n"
        "The complaint\n"
        "- Mr K complained about how the Council handled his request for a dropped kerb.\n"
        f"{ROLE}"
    )


@pytest.mark.parametrize(
    ("summary", "outcome"),
    [
        (
            "We will not investigate Mr K's complaint because the Council has agreed to "
            "resolve the complaint early by providing a suitable remedy.",
            "upheld",
        ),
        (
            "We will not investigate this complaint. We have upheld part of it and the "
            "Council has agreed to act.",
            "upheld",
        ),
        ("We will not investigate Mr K's complaint. It is a late complaint.", None),
        (
            "The Council was at fault because it took nine months to decide, without "
            "considering that Mr K had not been told of the form he needed.",
            "upheld",
        ),
        ("We found the Council's failure to reply for a year is fault.", "upheld"),
        ("We find some fault in how the Council kept its records.", "upheld"),
        ("We consider the care provider to be at fault for the missed visits.", "upheld"),
        (
            "There is no evidence of fault in the decision. However, the Council did delay "
            "and it will apologise to Mr K for that.",
            "upheld",
        ),
        ("We do not find the Council was at fault.", "not_upheld"),
        (
            "There is no evidence the Council failed to consider the information he sent.",
            "not_upheld",
        ),
        ("We have discontinued our investigation as we could add nothing more.", "not_upheld"),
        ("The complaint will not be investigated further as no injustice remains.", "not_upheld"),
        ("We cannot say whether the delay was at fault without the records.", None),
    ],
)
def test_outcome_without_header(summary: str, outcome: str | None) -> None:
    record = parse_text(_statement(summary))
    expected = outcome or "closed_after_initial_enquiries"
    if "whether" in summary:
        assert record.decision != "upheld"
    else:
        assert record.decision == expected


def test_early_resolution_reasons_read_as_a_closure() -> None:
    summary = (
        "We will not investigate Mr K's complaint. We have upheld part of the complaint and "
        "the Council has agreed to put things right, so it would not be proportionate to "
        "investigate further as we could not add to the Council's own investigation."
    )
    record = parse_text(_statement(summary))
    assert record.decision == "upheld"
    assert "cannot_add_to_council_investigation" in record.tests
