"""An invented corpus of published decisions for the web tests (no real statement text)."""

from __future__ import annotations

from datetime import date

from ombuds.corpus.ingest import ingest
from ombuds.corpus.store import Store
from ombuds.domain.record import Remedy

from ..corpus.builders import Decision

DECISIONS = [
    Decision(
        "23 100 001",
        "Mr A complained about a penalty charge notice for parking. The Traffic Penalty "
        "Tribunal can hear his appeal, so we will not investigate.",
        organisation="Wilderby Borough Council",
        category="Transport and highways > Parking and other penalties",
        decided=date(2023, 2, 14),
        tests=["alternative_remedy_tribunal"],
        citations=["Local Government Act 1974, section 26(6)(a), as amended"],
    ),
    Decision(
        "24 100 002",
        "Ms B said the Council refused her parking permit without reasons. We found fault "
        "and the Council agreed to apologise.",
        organisation="Eastbridge City Council",
        category="Transport and highways > Parking and other penalties",
        decision="upheld",
        decided=date(2024, 6, 1),
        remedies=[Remedy(kind="apology", text="The Council will apologise to Ms B.")],
    ),
    Decision(
        "24 100 003",
        "Mrs C complained about council tax on an empty flat. The Valuation Tribunal decides "
        "council tax appeals and she can appeal there.",
        organisation="Eastbridge City Council",
        category="Benefits and tax > Council tax",
        decided=date(2024, 9, 5),
        tests=["alternative_remedy_tribunal"],
    ),
    Decision(
        "24 100 004",
        "Mr D complained the Council delayed his council tax support claim. The delay was "
        "short and caused no significant injustice.",
        organisation="Wilderby Borough Council",
        category="Benefits and tax > Council tax support",
        decided=date(2024, 11, 20),
        tests=["injustice_not_significant"],
    ),
    Decision(
        "25 100 005",
        "Ms E complained the Council took too long to assess her care needs. We found fault "
        "causing distress; the Council agreed to pay £300.",
        organisation="Wilderby Borough Council",
        category="Adult care services > Assessment and care plan",
        decision="upheld",
        decided=date(2025, 3, 3),
    ),
    Decision(
        "25 100 006",
        "Mr F complained about how the Council assessed his care charges. The Council followed "
        "the guidance and there was no fault.",
        organisation="Wilderby Borough Council",
        category="Adult care services > Charging",
        decision="not_upheld",
        decided=date(2025, 4, 9),
    ),
    Decision(
        "25 100 007",
        "Ms G complained about a blue badge refusal. <script>alert(1)</script> She can ask the "
        "Council to review it first.",
        organisation="Northmere District Council",
        category="Transport and highways > Parking and other penalties",
        decision="premature",
        decided=date(2025, 7, 1),
        tests=["premature"],
    ),
    Decision(
        "25 100 008",
        "Mr H complained the Council did not carry out repairs to a disabled facilities grant "
        "adaptation. We found fault and the Council agreed to finish the work.",
        organisation="Wilderby Borough Council",
        category="Adult care services > Disabled facilities grants",
        decision="upheld",
        decided=date(2025, 8, 12),
    ),
    Decision(
        "26 100 009",
        "Mrs J complained about the Council's decision on her care charges. The Council "
        "applied its charging policy properly and there was no fault.",
        organisation="Wilderby Borough Council",
        category="Adult care services > Charging",
        decision="not_upheld",
        decided=date(2026, 1, 15),
    ),
]


def fill(store: Store) -> None:
    ingest(store, [d.parsed(f"web-{n}.txt") for n, d in enumerate(DECISIONS)])
