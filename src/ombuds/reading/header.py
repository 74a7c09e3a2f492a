"""Read the header block (organisation, reference, category, outcome, date) and the URL.

The header is the page's own statement of these facts, so it wins; a URL only fills what
the text lacks (and the record lists those fields in ``from_url``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from ombuds.reading.patterns import Patterns, slugify
from ombuds.reading.textnorm import label_key


@dataclass
class Header:
    """Header facts as printed (``None`` where the page does not give them)."""

    reference: str | None = None
    organisation: str | None = None
    category: str | None = None
    decision_label: str | None = None
    decision_date: date | None = None
    from_url: list[str] = field(default_factory=list)


def normalise_reference(raw: str) -> str:
    """'24-009-458', '24009458b' -> '24 009 458', '24 009 458b'."""
    digits = re.sub(r"[^0-9]", "", raw)
    suffix = re.sub(r"[^a-z]", "", raw.lower())
    return f"{digits[:2]} {digits[2:5]} {digits[5:8]}{suffix}"


# English month names and their three-letter forms ('%B' / '%b' in the C locale).
_MONTHS = {
    name: number
    for number, full in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
    for name in (full, full[:3])
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2}) ([A-Za-z]+) (\d{4})")


def parse_date(value: str, patterns: Patterns) -> date | None:
    """A printed date ('13 Nov 2024', '13 June 2022') as a date, or None if unreadable."""
    value = re.sub(r"\s+", " ", value.strip().rstrip("."))
    value = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", value)
    value = re.sub(r"\bSept\b", "Sep", value, flags=re.IGNORECASE)
    # the house form, '13 Nov 2024', without strptime (slow, and it raises for each format
    # that does not fit); any other form goes through the formats
    spelled = _DAY_MONTH_YEAR.fullmatch(value)
    month = _MONTHS.get(spelled.group(2).lower()) if spelled else None
    if spelled and month and {"%d %b %Y", "%d %B %Y"} & set(patterns.date_formats):
        try:
            return date(int(spelled.group(3)), month, int(spelled.group(1)))
        except ValueError:
            return None
    for fmt in patterns.date_formats:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def category_from_slugs(top: str, sub: str | None, patterns: Patterns) -> str:
    """The printed category for URL slugs, from the known taxonomy or rebuilt from the slug."""
    if sub is not None:
        known = patterns.categories.get(f"{slugify(top)}/{slugify(sub)}")
        if known:
            return known
    top_name = patterns.categories.get(slugify(top)) or _deslug(top, patterns, title=False)
    if sub is None:
        return top_name
    return f"{top_name} > {_deslug(sub, patterns, title=False)}"


def _deslug(slug: str, patterns: Patterns, *, title: bool) -> str:
    words = [w for w in re.split(r"[-\s]+", slug.strip()) if w]
    if not words:
        return ""
    text = " ".join(words)
    text = re.sub(r"\b(\w+) s\b", r"\1's", text)
    if not title:
        return text[:1].upper() + text[1:]
    out = []
    for i, word in enumerate(text.split(" ")):
        lower = word.lower()
        out.append(lower if i and lower in patterns.slug_lowercase_words else word.capitalize())
    return " ".join(out)


def read_header(lines: list[str], patterns: Patterns) -> Header:
    """Header facts from the lines before the first section heading."""
    header = Header()
    previous: str | None = None
    for line in lines:
        if title := patterns.title.match(line):
            header.organisation = header.organisation or title["org"].strip()
            header.reference = header.reference or normalise_reference(title["ref"])
        elif date_line := patterns.decision_date.match(line):
            header.decision_date = header.decision_date or parse_date(date_line["value"], patterns)
        elif category := patterns.category.match(line):
            header.category = header.category or re.sub(r"\s*>\s*", " > ", category["value"])
        elif decision := patterns.decision.match(line):
            header.decision_label = header.decision_label or decision["value"]
        elif mirror := patterns.mirror.match(line):
            header.reference = header.reference or normalise_reference(mirror["ref"])
            header.decision_label = header.decision_label or mirror["label"].strip()
            if mirror["sector"] and mirror["category"] and header.category is None:
                header.category = category_from_slugs(
                    mirror["sector"], mirror["category"], patterns
                )
            if mirror["date"] and header.decision_date is None:
                header.decision_date = parse_date(mirror["date"], patterns)
            if header.organisation is None and previous and not patterns.mirror.match(previous):
                header.organisation = previous
        previous = line
    return header


def outcome_id(label: str, patterns: Patterns) -> str | None:
    """Normalised id of a printed outcome label (known labels, else a slug of the label).

    None for labels that give no outcome (a mirror's "Other"), so the text is read instead.
    """
    key = label_key(label)
    if key in patterns.outcomes:
        return patterns.outcomes[key]
    return re.sub(r"[^a-z0-9]+", "_", key).strip("_") or None


def apply_url(header: Header, url: str, patterns: Patterns) -> None:
    """Fill fields the text lacks from what the URL reveals; note them in ``from_url``."""
    for pattern in patterns.urls:
        match = pattern.search(url)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("ref") and header.reference is None:
            header.reference = normalise_reference(groups["ref"])
            header.from_url.append("reference")
        if groups.get("top") and groups.get("sub") and header.category is None:
            header.category = category_from_slugs(groups["top"], groups["sub"], patterns)
            header.from_url.append("category")
        if groups.get("org") and header.organisation is None:
            header.organisation = _deslug(groups["org"], patterns, title=True)
            header.from_url.append("organisation")
        return
