"""Invented decision statements for the suggestion tests (every name and fact is made up).

Three kinds of case, each with its own vocabulary, so a model can learn them and a test can
tell whether it did: parking penalties closed because the tribunal is the route, planning
complaints closed for lack of evidence of fault, and care-charging complaints investigated.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

PLACES = ("Abbotsmere", "Barrowdene", "Caldbeck", "Dunmorrow", "Elmstead", "Farthingley")
PEOPLE = ("Mr B", "Mrs C", "Ms D", "Mr F", "Miss G", "Mr H")

KINDS = {
    "parking": dict(
        category="Transport and highways > Parking and other penalties",
        decision_label="Closed after initial enquiries",
        complaint=(
            "{p} complains the Council issued a penalty charge notice to his car while it was "
            "parked {where}. {p} says the signs were unclear and wants the parking fine cancelled."
        ),
        summary=(
            "We will not investigate this complaint about a penalty charge notice. It was "
            "reasonable for {p} to appeal to the traffic penalty tribunal."
        ),
        assessment=(
            "The law gives a right of appeal to a tribunal. It was reasonable for {p} to "
            "appeal to the tribunal, so we will not investigate."
        ),
        tests=["alternative_remedy_tribunal"],
    ),
    "planning": dict(
        category="Planning > Planning applications",
        decision_label="Closed after initial enquiries",
        complaint=(
            "{p} complains about the Council's decision to grant planning permission for an "
            "extension on the house next door {where}. {p} says the extension overlooks the garden."
        ),
        summary=(
            "We will not investigate this complaint about a neighbour's planning application. "
            "There is not enough evidence of fault in how the Council made its decision."
        ),
        assessment=(
            "There is not enough evidence of fault in how the Council considered the "
            "application to justify an investigation."
        ),
        tests=["insufficient_evidence_of_fault"],
    ),
    "charging": dict(
        category="Adult care services > Charging",
        decision_label="Upheld",
        complaint=(
            "1. {p} complained the Council failed to explain the charges for his mother's "
            "residential care and delayed the financial assessment {where}.\n"
            "2. {p} said this caused months of worry and debt."
        ),
        summary=(
            "{p} complained about how the Council charged for residential care. The Council "
            "was at fault for delay and has agreed to apologise and waive part of the debt."
        ),
        assessment=(
            "The Council delayed the financial assessment for six months. This was fault, "
            "which caused {p} distress."
        ),
        tests=[],
    ),
}


def statement(kind: str, number: int, rng: random.Random) -> dict[str, object]:
    spec = KINDS[kind]
    place = rng.choice(PLACES)
    person = rng.choice(PEOPLE)
    where = rng.choice(("last spring", "in 2023", "over the winter", "near the station"))
    reference = f"{23 + (number // 3) % 3} {100 + number:03d} {rng.randrange(100, 999)}"
    fill = {"p": person, "where": where}
    complaint = str(spec["complaint"]).format(**fill)
    heading = "My assessment" if spec["decision_label"] != "Upheld" else "What I found"
    text = (
        f"{place} Council ({reference})\n\nCategory : {spec['category']}\n\n"
        f"Decision : {spec['decision_label']}\n\nDecision date : 12 Mar 2025\n\n"
        "The Ombudsman's final decision:\n\n"
        f"Summary: {str(spec['summary']).format(**fill)}\n\n"
        f"The complaint\n\n{complaint}\n\n"
        f"{heading}\n\n{str(spec['assessment']).format(**fill)}\n"
    )
    decision = {
        "Closed after initial enquiries": "closed_after_initial_enquiries",
        "Upheld": "upheld",
    }[str(spec["decision_label"])]
    return {
        "reference": reference,
        "url": f"https://decisions.example/{reference.replace(' ', '-')}",
        "text": text,
        "decision": decision,
        "tests": list(spec["tests"]),  # type: ignore[call-overload]
        "complaint_text": complaint,
    }


def corpus(n: int = 60, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    kinds = list(KINDS)
    return [statement(kinds[i % len(kinds)], i, rng) for i in range(n)]


def write_corpus(path: Path, n: int = 60, seed: int = 7) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in corpus(n, seed)), encoding="utf-8")
    return path
