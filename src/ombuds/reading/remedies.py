"""Remedies of upheld decisions: apologies, payments, reconsiderations, service improvements."""

from __future__ import annotations

import re

from ombuds.domain.record import Remedy
from ombuds.reading.layout import Layout
from ombuds.reading.patterns import Patterns
from ombuds.reading.textnorm import sentences, strip_marker

_KIND_ORDER = ("apology", "payment", "reconsider", "service_improvement")


def _amount(text: str, patterns: Patterns) -> float | None:
    match = patterns.remedy_amount.search(text)
    return float(match["amount"].replace(",", "")) if match else None


def find_remedies(layout: Layout, patterns: Patterns) -> list[Remedy]:
    """Each action the body agreed or was asked to take, one Remedy per kind per sentence.

    The "Agreed action" section is the authoritative list when the page has one; otherwise
    the summary, final decision and assessment are read.
    """
    agreed = _remedies_in(layout, patterns, ("agreed_action",))
    if agreed:
        return agreed
    others = tuple(k for k in patterns.remedy_sections if k != "agreed_action")
    return _remedies_in(layout, patterns, others)


def _remedies_in(layout: Layout, patterns: Patterns, keys: tuple[str, ...]) -> list[Remedy]:
    out: list[Remedy] = []
    seen: set[tuple[str, str]] = set()
    for key in keys:
        intro_deadline: str | None = None
        intro_commits = False
        for line in layout.sections.get(key, []):
            body = strip_marker(line)
            if body.endswith(":"):
                intro_match = patterns.remedy_deadline.search(body)
                intro_deadline = intro_match.group() if intro_match else intro_deadline
                intro_commits = bool(patterns.remedy_commitment.search(body))
                continue
            is_item = body[:1].islower()
            if not is_item:
                intro_commits, intro_deadline = False, None
            for sentence in sentences(body):
                commits = bool(patterns.remedy_commitment.search(sentence)) or (
                    is_item and intro_commits
                )
                if not commits:
                    continue
                deadline_match = patterns.remedy_deadline.search(sentence)
                deadline = deadline_match.group() if deadline_match else intro_deadline
                for kind in _KIND_ORDER:
                    if not any(p.search(sentence) for p in patterns.remedy_kinds[kind]):
                        continue
                    if (
                        kind == "payment"
                        and _amount(sentence, patterns) is None
                        and not re.search(
                            r"\b(?:pay|pays|refund|reimburse|backdate)", sentence, re.IGNORECASE
                        )
                    ):
                        continue
                    if (kind, sentence) in seen:
                        continue
                    seen.add((kind, sentence))
                    out.append(
                        Remedy(
                            kind=kind,
                            text=sentence,
                            amount_gbp=_amount(sentence, patterns) if kind == "payment" else None,
                            deadline=deadline,
                        )
                    )
    return out
