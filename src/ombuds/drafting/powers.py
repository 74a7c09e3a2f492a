"""The role-and-powers section: exactly the tests the statement uses, each explained once.

One general paragraph lists the discretionary reasons (closed by the general-discretion
citation of the house-style edition in force), then one paragraph per jurisdictional or
separately explained test, each closed by its own citation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ombuds.domain.statement import RoleParagraph
from ombuds.drafting.text import clean
from ombuds.drafting.units import Unit
from ombuds.drafting.wording import module, say
from ombuds.rulebook.model import Rulebook


def role_and_powers(
    parts: Any,
    context: dict[str, Any],
    units: list[Unit],
    rulebook: Rulebook,
    discretion_citation: str,
) -> list[RoleParagraph]:
    """The role-and-powers paragraphs for the tests the statement uses.

    Their wording depends only on the house style and the body's short name, so each is
    rendered once per (style, body) and reused.
    """
    style, body, folder = context["style"], context["body"], rulebook.folder
    ids = {t.id for u in units for t in (*u.main, *u.further)}
    used = [t for t in rulebook.tests if t.id in ids and t.role != "none"]
    bullets: list[str] = []
    bullet_tests: list[str] = []
    for test in used:
        if test.role in ("bullet", "both"):
            text = _role_text(folder, f"tests/{test.id}.j2", "bullet", style, body)
            bullet_tests.append(test.id)
            if text and text not in bullets:
                bullets.append(text)
    paragraphs: list[RoleParagraph] = []
    own = [t for t in used if t.role in ("paragraph", "both")]
    if any(t.stage != "discretion" for t in own):
        opening = _role_text(folder, "parts.j2", "role_opening", style, body)
        paragraphs.append(RoleParagraph(text=opening))
    paragraphs.append(
        RoleParagraph(
            text=_role_text(folder, "parts.j2", "role_general", style, body, bool(bullets)),
            bullets=[
                clean(b + (", or" if i < len(bullets) - 1 else ".")) for i, b in enumerate(bullets)
            ],
            citation=discretion_citation if bullets else rulebook.general_citation,
            tests=bullet_tests,
        )
    )
    for test in sorted(own, key=lambda t: t.stage == "discretion"):
        paragraphs.append(
            RoleParagraph(
                text=_role_text(folder, f"tests/{test.id}.j2", "paragraph", style, body),
                citation=test.citation,
                tests=[test.id],
            )
        )
    return paragraphs


@lru_cache(maxsize=1024)
def _role_text(folder: str, template: str, macro: str, style: str, body: str, *args: Any) -> str:
    """One role-and-powers text, cleaned; its macro sees only the house style and the body."""
    wording = getattr(module(folder, template), macro)
    return clean(say(wording, {"style": style, "body": body}, *args))
