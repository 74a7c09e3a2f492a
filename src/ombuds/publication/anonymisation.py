"""The anonymisation check a statement must pass before it is published or stored as one.

Detectors live in ``detectors.yaml`` (Presidio-style: each is configured as data, tested alone,
and every finding carries the reason a reviewer sees). The check is deliberately cautious: a
false alarm costs a reviewer a glance, a miss can identify a child.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DETECTORS = Path(__file__).with_name("detectors.yaml")


@dataclass(frozen=True)
class Finding:
    """Something in a statement that looks like personal data."""

    detector: str
    text: str
    line: int
    explain: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.detector}: {self.text!r} ({self.explain})"


@dataclass(frozen=True)
class _Detector:
    id: str
    pattern: re.Pattern[str]
    explain: str


@lru_cache(maxsize=1)
def _detectors() -> tuple[tuple[_Detector, ...], frozenset[str]]:
    data = yaml.safe_load(DETECTORS.read_text(encoding="utf-8"))
    detectors = tuple(
        _Detector(d["id"], re.compile(d["pattern"]), d["explain"]) for d in data["detectors"]
    )
    return detectors, frozenset(data.get("allow", []))


def check_anonymised(text: str, organisation: str | None = None) -> list[Finding]:
    """Findings of personal data in ``text`` (empty when it may be published).

    The organisation's own name is allowed (a care provider may be named after a person).
    """
    detectors, allowed = _detectors()
    findings: list[Finding] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for detector in detectors:
            for match in detector.pattern.finditer(line):
                found = match.group().strip()
                if found in allowed or (organisation and found in organisation):
                    continue
                findings.append(Finding(detector.id, found, number, detector.explain))
    return findings
