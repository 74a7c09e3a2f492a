"""A small reader of the fixture decision pages, so the importer's walk can be tested on its
own; the end-to-end CLI tests use the project's real parser instead."""

from __future__ import annotations

import re
from datetime import datetime

from bs4 import BeautifulSoup

from ombuds.domain.record import DecisionRecord


class FixtureParseError(ValueError):
    pass


def parse_fixture_page(
    html: str, url: str | None = None, source: str | None = None
) -> DecisionRecord:
    soup = BeautifulSoup(html, "lxml")
    article = soup.find(id="article")
    if article is None:
        raise FixtureParseError("no <article id='article'> on the page")
    title = article.find("h1")
    match = re.match(r"(.+) \((\d{2} \d{3} \d{3})\)$", title.get_text(strip=True) if title else "")
    if match is None:
        raise FixtureParseError("no 'Organisation (YY NNN NNN)' heading")
    fields = {}
    for label in article.find_all(class_="label"):
        value = label.find_next(class_="value")
        fields[label.get_text(strip=True).rstrip(" :")] = (
            value.get_text(" ", strip=True) if value else ""
        )
    missing = {"Category", "Decision", "Decision date"} - set(fields)
    if missing:
        raise FixtureParseError(f"header lines missing: {sorted(missing)}")
    return DecisionRecord(
        reference=match.group(2),
        organisation=match.group(1),
        category=fields.get("Category"),
        decision_label=fields.get("Decision"),
        decision_date=datetime.strptime(fields["Decision date"], "%d %b %Y").date(),
        url=url,
        source=source,
        sections={"summary": "present"},
    )
