"""Conditions on facts, in three-valued logic.

A rule must not apply on facts nobody established, so a condition evaluates to True, False or
None (unknown), and only True makes a rule apply. ``all``/``any``/``not`` follow Kleene's logic.
Conditions are parsed once from the rulebook's YAML into small frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ombuds.domain.complaint import FactValue

Facts = Mapping[str, FactValue]
Used = dict[str, FactValue]


class ConditionError(ValueError):
    """A condition in the rulebook is malformed."""


@dataclass(frozen=True, slots=True)
class FactTrue:
    fact: str

    def evaluate(self, facts: Facts, used: Used) -> bool | None:
        value = facts.get(self.fact)
        used[self.fact] = value
        return None if value is None else value is True

    def fact_names(self) -> set[str]:
        return {self.fact}


@dataclass(frozen=True, slots=True)
class Compare:
    fact: str
    op: str
    operand: Any

    def evaluate(self, facts: Facts, used: Used) -> bool | None:
        value = facts.get(self.fact)
        used[self.fact] = value
        if value is None:
            return None
        return _OPS[self.op](value, self.operand)

    def fact_names(self) -> set[str]:
        return {self.fact}


@dataclass(frozen=True, slots=True)
class Not:
    inner: Condition

    def evaluate(self, facts: Facts, used: Used) -> bool | None:
        value = self.inner.evaluate(facts, used)
        return None if value is None else not value

    def fact_names(self) -> set[str]:
        return self.inner.fact_names()


def _junction(
    parts: tuple[Condition, ...], facts: Facts, used: Used, *, decisive: bool
) -> bool | None:
    """Kleene AND (``decisive`` False) or OR (True), shared by ``All`` and ``Any_``.

    Stops at the first decisive part, so ``used`` records only the facts that were looked at.
    """
    unknown = False
    for part in parts:
        value = part.evaluate(facts, used)
        if value is decisive:
            return decisive
        unknown = unknown or value is None
    return None if unknown else not decisive


@dataclass(frozen=True, slots=True)
class All:
    parts: tuple[Condition, ...]

    def evaluate(self, facts: Facts, used: Used) -> bool | None:
        return _junction(self.parts, facts, used, decisive=False)

    def fact_names(self) -> set[str]:
        return set().union(*(p.fact_names() for p in self.parts))


@dataclass(frozen=True, slots=True)
class Any_:
    parts: tuple[Condition, ...]

    def evaluate(self, facts: Facts, used: Used) -> bool | None:
        return _junction(self.parts, facts, used, decisive=True)

    def fact_names(self) -> set[str]:
        return set().union(*(p.fact_names() for p in self.parts))


Condition = FactTrue | Compare | Not | All | Any_

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "present": lambda v, o: (v != "") == bool(o),
    "is": lambda v, o: bool(v == o),
    "in": lambda v, o: v in o,
    "gt": lambda v, o: bool(v > o),
    "ge": lambda v, o: bool(v >= o),
    "lt": lambda v, o: bool(v < o),
    "le": lambda v, o: bool(v <= o),
}


def comparisons(condition: Condition) -> list[Compare]:
    """Every comparison inside a condition (to work out the values worth trying for a fact)."""
    if isinstance(condition, Compare):
        return [condition]
    if isinstance(condition, Not):
        return comparisons(condition.inner)
    if isinstance(condition, All | Any_):
        return [c for part in condition.parts for c in comparisons(part)]
    return []


def parse_condition(raw: object, where: str) -> Condition:
    """Parse the YAML form of a condition; ``where`` names it in error messages."""
    if isinstance(raw, str):
        return FactTrue(raw)
    if isinstance(raw, dict):
        if set(raw) == {"not"}:
            return Not(parse_condition(raw["not"], where))
        if set(raw) in ({"all"}, {"any"}):
            key = next(iter(raw))
            items = raw[key]
            if not isinstance(items, list) or not items:
                raise ConditionError(f"{where}: '{key}' needs a non-empty list of conditions")
            parts = tuple(parse_condition(item, where) for item in items)
            return All(parts) if key == "all" else Any_(parts)
        if "fact" in raw and len(raw) == 2:
            op = next(k for k in raw if k != "fact")
            if op not in _OPS:
                raise ConditionError(
                    f"{where}: unknown comparison '{op}'; use one of {', '.join(_OPS)}"
                )
            return Compare(str(raw["fact"]), op, raw[op])
    raise ConditionError(
        f"{where}: cannot read condition {raw!r}; write a fact name, or a mapping with "
        "'not', 'all', 'any', or 'fact' plus one comparison"
    )
