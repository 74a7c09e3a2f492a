from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from .siteserver import FakeSite, SiteServer


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
