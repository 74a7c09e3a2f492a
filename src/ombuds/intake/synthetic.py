"""Synthetic complaints for benchmarks and property tests: varied, valid and reproducible.

Every organisation and person is invented; the facts are drawn from the rulebook's vocabulary
so that every test of the scheme gets exercised across a few hundred complaints.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from ombuds.domain.complaint import Complaint, FactValue
from ombuds.rulebook import Fact, Rulebook, load_rulebook

PLACES = (
    "Northshire",
    "Riverton",
    "Eastmoor",
    "Westfield",
    "Kingsbrook",
    "Ashdale",
    "Millhaven",
    "Stonebridge",
    "Fernley",
    "Oakhurst",
    "Brackenford",
    "Highcombe",
    "Larkmead",
    "Thornbury",
)
KINDS = ("County Council", "Borough Council", "District Council", "City Council", "Council")
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx")
LETTERS = "BCDFGHJKLMNPRSTXYZ"
ALLEGATIONS = (
    "failed to assess her mother's care needs properly",
    "delayed deciding his application",
    "did not tell him about the charges for his care",
    "mishandled the review of the child's plan",
    "did not respond to repeated reports of noise from a neighbouring property",
    "refused to arrange school transport for her son",
    "took too long to deal with a complaint about missed bin collections",
    "wrongly decided she was liable for council tax at the property",
    "did not follow its own procedure when it closed the case",
    "shared information about him with another organisation",
    "failed to repair a dangerous pavement outside her home",
    "did not take enforcement action against a breach of planning control",
)
SUBJECTS = (
    "how the Council dealt with a request for help",
    "the Council's handling of an application",
    "the Council's decisions about her family's support",
    "how the Council responded to his concerns",
)


def random_complaints(
    n: int, seed: int = 0, rulebook: Rulebook | None = None
) -> Iterator[Complaint]:
    """``n`` valid, varied complaints; the same ``seed`` gives the same complaints."""
    rulebook = rulebook or load_rulebook()
    rng = random.Random(seed)
    settable = [
        f
        for f in rulebook.facts.values()
        if not f.derived and (f.type != "text" or f.name in TEXT_VALUES)
    ]
    categories = [(top, sub) for top, subs in rulebook.categories.items() for sub in subs]
    exceptions = _exception_facts(rulebook)
    for index in range(n):
        yield _complaint(rng, index, settable, categories, exceptions)


def _exception_facts(rulebook: Rulebook) -> dict[str, list[str]]:
    """For each fact a test's condition reads, the facts its exceptions read that the rulebook
    does not presume: a complete file records them (as an assessor answering the questions)."""
    found: dict[str, list[str]] = {}
    for test in rulebook.tests:
        asked = sorted(
            {
                name
                for e in test.unless
                for name in e.when.fact_names()
                if rulebook.facts[name].answerable
                and rulebook.facts[name].presume is None
                and rulebook.facts[name].type == "bool"
                and not rulebook.facts[name].derived
            }
        )
        for name in test.applies_when.fact_names():
            found.setdefault(name, []).extend(a for a in asked if a not in found.get(name, []))
    return found


# Names a text fact can take: each fact's own kind of body, so statements stay coherent.
TEXT_VALUES: dict[str, tuple[str, ...]] = {
    "other_body": ("the academy trust", "the NHS trust", "the housing association"),
    "another_body_route": (
        "the Independent Review Mechanism",
        "the council's insurers",
        "the Traffic Enforcement Centre",
    ),
}


def _fact_value(
    rng: random.Random, name: str, fact_type: str, values: tuple[str, ...]
) -> FactValue:
    if fact_type == "bool":
        return True
    if fact_type == "enum":
        return rng.choice(values)
    if fact_type == "int":
        return rng.randint(0, 30)
    return rng.choice(TEXT_VALUES[name])


def _complaint(
    rng: random.Random,
    index: int,
    settable: list[Fact],
    categories: list[tuple[str, str]],
    exceptions: dict[str, list[str]],
) -> Complaint:
    received = date(2023, 1, 1) + timedelta(days=rng.randint(0, 900))
    first_knew = received - timedelta(days=rng.choice((40, 120, 200, 300, 420, 800)))
    complained = first_knew + timedelta(days=rng.randint(5, 30))
    has_final = rng.random() < 0.85
    final = complained + timedelta(days=rng.randint(20, 80)) if has_final else None
    if final is not None and final > received:
        final = received
    if complained > received:
        complained = received
    top, sub = rng.choice(categories)
    points = []
    for p in range(rng.choice((1, 1, 2, 2, 3, 4))):
        facts: dict[str, FactValue] = {}
        for fact in rng.sample(settable, rng.choice((0, 1, 1, 2, 3))):
            facts[fact.name] = _fact_value(rng, fact.name, fact.type, fact.values)
        complete = rng.random() < 0.9  # most files are complete; the rest need information
        if complete or rng.random() < 0.5:
            facts["evidence_of_fault"] = rng.random() < 0.6
        if complete or rng.random() < 0.4:
            facts["injustice"] = rng.choice(("none", "minor", "significant", "serious"))
        if complete:
            for name in [n for n in facts if facts[n] is True]:
                for other in exceptions.get(name, []):
                    facts.setdefault(other, False)
            if final is None:
                facts["body_final_response_given"] = False
        points.append(
            {
                "label": chr(ord("a") + p),
                "alleged": rng.choice(ALLEGATIONS),
                "facts": facts,
                "notes": [f"The Council's records show what happened on {received:%d %B %Y}."]
                if rng.random() < 0.5
                else [],
            }
        )
    reference = f"{received.year % 100:02d} {rng.randint(0, 999):03d} {index % 1000:03d}"
    return Complaint.model_validate(
        {
            "reference": reference,
            "organisation": f"{rng.choice(PLACES)} {rng.choice(KINDS)}",
            "category": f"{top} > {sub}",
            "complainant": f"{rng.choice(TITLES)} {rng.choice(LETTERS)}",
            "subject": rng.choice(SUBJECTS),
            "considered": ["the complainant", "the Council"],
            "dates": {
                "first_knew": first_knew,
                "complained_to_body": complained,
                "final_response": final,
                "received": received,
                "decision": received + timedelta(days=rng.randint(20, 120)),
            },
            "points": points,
        }
    )
