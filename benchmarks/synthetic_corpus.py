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
from itertools import islice

from ombuds.intake.synthetic import KINDS, TITLES

# Organisation kinds and titles are the core's; places and initials are wider than its own, so
# that N statements keep a varied vocabulary and varied facet values.
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


@dataclass(frozen=True)
class Variant:
    """How one of the N statements differs from the pooled statement it copies.

    The same rewriting applies to the statement's text and to every text field of its parsed
    record, so a pooled statement is parsed once and its record varied N / pool times.
    """

    pool_index: int
    reference: str
    organisation: str
    decided: date
    person: tuple[str, str]
    reworded: tuple[tuple[str, str], ...]

    def rewrite(self, text: str) -> str:
        """The complainant and allegation changes, which may occur anywhere in the text."""
        text = _COMPLAINANT.sub(f"{self.person[0]} {self.person[1]}", text)
        for allegation, replacement in self.reworded:
            text = text.replace(allegation, replacement)
        return text

    def apply(self, text: str) -> str:
        """The varied statement: header, date, complainant and allegations changed."""
        text = _HEADER.sub(
            lambda m: f"{m.group(1) or ''}{self.organisation} ({self.reference})", text, count=1
        )
        decided = self.decided
        text = _DATE.sub(lambda m: f"{m.group(1)}{decided.day} {decided:%b %Y}", text, count=1)
        return self.rewrite(text)


def draft_pool(size: int, seed: int) -> Pool:
    """Draft ``size`` statements through the core: random complaints, assessed and drafted."""
    from ombuds.domain.outcomes import Recommendation
    from ombuds.drafting import draft
    from ombuds.engine import assess
    from ombuds.intake import synthetic
    from ombuds.rulebook import load_rulebook

    rulebook = load_rulebook()
    # Only settled complaints: a file that still needs information drafts a marked DRAFT with
    # its questions, never a statement the Ombudsman would publish.
    settled = (
        complaint
        for complaint in synthetic.random_complaints(3 * size, seed=seed, rulebook=rulebook)
        if assess(complaint, rulebook).decision is not Recommendation.NEEDS_INFORMATION
    )
    texts = [str(draft(complaint, rulebook, fmt="md")) for complaint in islice(settled, size)]
    return Pool(texts=texts, allegations=tuple(getattr(synthetic, "ALLEGATIONS", ())))


def variants(pool: Pool, n: int, seed: int) -> Iterator[Variant]:
    """``n`` variants with distinct references, each of a pooled statement."""
    rng = random.Random(seed)
    first_day = date(2019, 1, 1)
    for index in range(n):
        pool_index = index % len(pool.texts)
        text = pool.texts[pool_index]
        decided = first_day + timedelta(days=rng.randint(0, 7 * 365))
        year = (decided.year - 1) % 100
        reference = f"{year:02d} {index // 1000 % 1000:03d} {index % 1000:03d}"
        if index >= 1_000_000:
            reference += "abcdefghij"[index // 1_000_000 % 10]
        organisation = f"{rng.choice(PLACES)} {rng.choice(KINDS)}"
        person = (rng.choice(TITLES), rng.choice(LETTERS))
        reworded = tuple(
            (allegation, f"{rng.choice(FAILINGS)} {rng.choice(SERVICES)}")
            for allegation in pool.allegations
            if allegation in text
        )
        yield Variant(pool_index, reference, organisation, decided, person, reworded)


def vary(pool: Pool, n: int, seed: int) -> Iterator[str]:
    """``n`` statements with distinct references, each a varied copy of a pooled one."""
    for variant in variants(pool, n, seed):
        yield variant.apply(pool.texts[variant.pool_index])
