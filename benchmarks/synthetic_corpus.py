"""Synthetic decision statements at scale, for the corpus benchmark.

The core drafts a pool of statements from random complaints (the full path: intake, engine,
drafting). Each of the N statements takes one from the pool and gets its own reference,
organisation, date, complainant and wording of what was alleged, so that N is reached quickly
while the vocabulary and the facet values stay varied. Every name here is invented.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

PLACES = (
    "Abbotsmere",
    "Barrowdene",
    "Caldbeck Vale",
    "Dunmorrow",
    "Elmstead Cross",
    "Farthingley",
    "Glenholme",
    "Harrowgate Vale",
    "Ivybridge Moor",
    "Juniper Fells",
    "Kestrel Moor",
    "Lindenfield",
    "Marrowby",
    "Netherwick",
    "Orchard Leigh",
    "Pennywell",
    "Quarrington",
    "Rookhaven",
    "Saltmarsh Hythe",
    "Tollington",
    "Upperwood",
    "Vexley",
    "Wilderby",
    "Yarrowdale",
    "Ashcombe",
    "Brindlecote",
    "Copperfold",
    "Dewsmoor",
    "Eastbridge",
    "Foxhollow",
    "Greyhaven",
    "Hollinsend",
    "Inkerby",
    "Kingsmere",
    "Lowther Bank",
    "Mistlecombe",
    "Northmere",
    "Oldcastle Fen",
    "Pikeford",
    "Redwater",
    "Stonehythe",
    "Thistledown",
    "Underbarrow",
    "Wrenfield",
    "Yelverton Heath",
)
KINDS = ("County Council", "Borough Council", "District Council", "City Council", "Council")
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx")
LETTERS = "BCDFGHJKLMNPRSTVWXYZ"
FAILINGS = (
    "delayed",
    "failed to properly consider",
    "wrongly refused",
    "did not explain",
    "mishandled",
    "ignored evidence about",
    "took too long over",
    "gave poor advice about",
    "did not record",
    "cancelled without notice",
    "charged too much for",
    "did not review",
    "lost the paperwork for",
    "made mistakes in",
)
SERVICES = (
    "her application for a disabled facilities grant",
    "his homelessness application",
    "the assessment of her father's care needs",
    "his council tax reduction claim",
    "the blue badge renewal",
    "the school admission appeal",
    "the education health and care plan",
    "the repair of a collapsed drain",
    "the licensing of a nearby takeaway",
    "the planning application for an extension next door",
    "the removal of fly-tipping",
    "the housing register banding",
    "the direct payments for his personal assistant",
    "the safeguarding enquiry about her aunt",
    "the residential care fees",
    "the parking permit for his street",
    "the penalty charge notice",
    "the pothole on her road",
    "the noise from a neighbouring pub",
    "the special guardianship allowance",
    "the foster care placement",
    "the respite care for his son",
    "the bus pass application",
    "the allotment tenancy",
    "the business rates relief",
    "the housing benefit overpayment",
    "the tree preservation order",
    "the damp and mould in her flat",
    "the garden waste collection",
    "the freedom of information request",
    "the street lighting outage",
    "the home to school travel assistance",
    "the public footpath obstruction",
)
_HEADER = re.compile(r"^(#\s*)?(?P<org>.+?) \((?P<ref>\d{2} \d{3} \d{3}[a-z]?)\)", re.MULTILINE)
_DATE = re.compile(r"(Decision date\s*:\s*)(\d{1,2} \w{3} \d{4})")
_COMPLAINANT = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx) ([A-Z])\b")


@dataclass(frozen=True)
class Pool:
    """Drafted statements and the allegation phrases they contain (to be re-worded)."""

    texts: list[str]
    allegations: tuple[str, ...]


def draft_pool(size: int, seed: int) -> Pool:
    """Draft ``size`` statements through the core: random complaints, assessed and drafted."""
    from ombuds.drafting import draft
    from ombuds.intake import synthetic
    from ombuds.rulebook import load_rulebook

    rulebook = load_rulebook()
    texts = [
        str(draft(complaint, rulebook, fmt="md"))
        for complaint in synthetic.random_complaints(size, seed=seed, rulebook=rulebook)
    ]
    return Pool(texts=texts, allegations=tuple(getattr(synthetic, "ALLEGATIONS", ())))


def vary(pool: Pool, n: int, seed: int) -> Iterator[str]:
    """``n`` statements with distinct references, each a varied copy of a pooled one."""
    rng = random.Random(seed)
    first_day = date(2019, 1, 1)
    for index in range(n):
        text = pool.texts[index % len(pool.texts)]
        decided = first_day + timedelta(days=rng.randint(0, 7 * 365))
        year = (decided.year - 1) % 100
        reference = f"{year:02d} {index // 1000 % 1000:03d} {index % 1000:03d}"
        if index >= 1_000_000:
            reference += "abcdefghij"[index // 1_000_000 % 10]
        organisation = f"{rng.choice(PLACES)} {rng.choice(KINDS)}"
        text = _HEADER.sub(
            lambda m, o=organisation, r=reference: f"{m.group(1) or ''}{o} ({r})", text, count=1
        )
        text = _DATE.sub(lambda m, d=decided: f"{m.group(1)}{d.day} {d:%b %Y}", text, count=1)
        person = (rng.choice(TITLES), rng.choice(LETTERS))
        text = _COMPLAINANT.sub(lambda m, p=person: f"{p[0]} {p[1]}", text)
        for allegation in pool.allegations:
            if allegation in text:
                text = text.replace(allegation, f"{rng.choice(FAILINGS)} {rng.choice(SERVICES)}")
        yield text
