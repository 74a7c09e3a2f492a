from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest

from ombuds.importer.listing import ListingItem

from .siteserver import FakeSite, SiteServer

# The fixture decisions dated in March and April 2024 whose pages read, by reference: what a
# fetch of that range stores.
READABLE_IN_RANGE = (
    "23 118 540",
    "24 101 202",
    "24 102 317",
    "24 103 006",
    "24 104 771",
    "24 106 848",
)


def listing_item(host: str, reference: str, decided: date | None = None) -> ListingItem:
    """A homelessness decision as a results page lists it; tests vary only host and reference."""
    slug = reference.replace(" ", "-")
    return ListingItem(
        url=f"{host}/decisions/housing/homelessness/{slug}",
        slug=slug,
        reference=reference,
        category_slug="housing",
        subcategory_slug="homelessness",
        decision_date=decided,
    )


@dataclass
class FakeTime:
    """A clock that moves only when something sleeps, and a record of every sleep."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def site() -> Iterator[FakeSite]:
    with SiteServer(FakeSite()) as served:
        yield served
