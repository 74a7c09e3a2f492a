"""The scheme's wording: the Jinja environment over its templates, and how a test's macros are
called (a reason sentence, a clause to follow "because")."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape

from ombuds.rulebook.model import Rulebook, Test, refer_names


def and_join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def points_phrase(labels: list[str], all_points: bool = False) -> str:
    if all_points:
        return "all points"
    marked = [f"{label})" for label in labels]
    return ("point " if len(marked) == 1 else "points ") + and_join(marked)


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


@lru_cache(maxsize=8)
def environment(folder: str) -> Environment:
    """The Jinja environment over a scheme's templates (cached: templates compile once)."""
    env = Environment(
        loader=FileSystemLoader(str(Path(folder) / "templates")),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are package data: compile once, never stat them again
    )
    env.filters.update(
        and_join=and_join,
        points_phrase=points_phrase,
        capitalize_first=capitalize_first,
        long_date=long_date,
    )
    return env


@lru_cache(maxsize=256)
def module(folder: str, name: str) -> Any:
    template: Template = environment(folder).get_template(name)
    return template.module


def wording(rulebook: Rulebook, test: Test) -> Any:
    return module(rulebook.folder, f"tests/{test.id}.j2")


def say(macro: Any, *args: Any) -> str:
    return " ".join(str(macro(*args)).split())


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def reason(rulebook: Rulebook, test: Test, c: dict[str, Any]) -> str:
    """A test's reason sentence, naming where this test (not the point's others) refers to."""
    refer = and_join(refer_names(test, c["facts"]))
    return say(wording(rulebook, test).reason, {**c, "refer_text": refer})


def reason_clause(rulebook: Rulebook, test: Test, c: dict[str, Any]) -> str:
    """A test's reason as a clause to follow "because", for the summary and final decision."""
    refer = and_join(refer_names(test, c["facts"]))
    return say(wording(rulebook, test).summary, {**c, "refer_text": refer})


def closed_clause(rulebook: Rulebook, test: Test, c: dict[str, Any]) -> str:
    macros = wording(rulebook, test)
    return say(macros.closed_summary, c) if hasattr(macros, "closed_summary") else ""


def unique(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
