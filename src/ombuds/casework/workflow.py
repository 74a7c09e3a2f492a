"""The casework workflow read from ``workflow.yaml``, and ``can``: may this person take this step?

``can(actor, case, to)`` answers with a :class:`Refusal` naming why not (or ``None``), so the
JSON API and the web pages show the same text. Guards are named facts of a case; their wording
is in the YAML, their meaning in :data:`GUARDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).with_name("workflow.yaml")
ROLES = ("assessor", "reviewer", "admin", "auditor")
#: Decisions the Ombudsman publishes (as the drafting templates mark them publishable).
PUBLISHED_DECISIONS = frozenset({"closed_after_initial_enquiries", "incomplete_invalid"})


class WorkflowError(ValueError):
    """The workflow file is inconsistent (an unknown state, role or guard)."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user's name and role."""

    name: str
    role: str


@dataclass(frozen=True)
class CaseFacts:
    """What the guards look at: the facts of a case, gathered by the caller."""

    status: str
    recommendation: str | None = None
    decision: str | None = None
    decision_reason: str | None = None
    drafted_by: str | None = None
    submitted_by: str | None = None
    statement_drafted: bool = False
    #: Findings of the anonymisation check on the statement to publish (None: not run).
    anonymisation_findings: tuple[str, ...] | None = None

    @property
    def decided(self) -> str | None:
        """The decision a person made, else the recommendation it follows."""
        return self.decision or self.recommendation

    @property
    def departs(self) -> bool:
        return self.decision is not None and self.decision != self.recommendation


def _four_eyes(actor: Actor, case: CaseFacts) -> bool:
    return actor.name not in {case.drafted_by, case.submitted_by}


GUARDS: dict[str, Callable[[Actor, CaseFacts], bool]] = {
    "recommendation_settled": lambda _a, c: (
        c.recommendation is not None and c.recommendation != "needs_information"
    ),
    "statement_drafted": lambda _a, c: c.statement_drafted,
    "departure_has_reason": lambda _a, c: not c.departs or bool((c.decision_reason or "").strip()),
    "four_eyes": _four_eyes,
    "not_own_draft": lambda a, c: a.name != c.drafted_by,
    "decision_published": lambda _a, c: c.decided in PUBLISHED_DECISIONS,
    "anonymisation_clean": lambda _a, c: c.anonymisation_findings == (),
    "decision_premature": lambda _a, c: c.decided == "premature",
    "decision_investigate": lambda _a, c: c.decided == "investigate",
}


@dataclass(frozen=True)
class Refusal:
    """Why a step may not be taken; ``kind`` is 'role' (403) or 'state'/'guard' (409)."""

    kind: str
    reason: str
    guard: str | None = None
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: tuple[str, ...]
    guards: tuple[str, ...] = ()


@dataclass(frozen=True)
class Workflow:
    """States, transitions, role permissions, guard wording and deadline targets."""

    initial: str
    states: dict[str, dict[str, Any]]
    transitions: tuple[Transition, ...]
    permissions: dict[str, frozenset[str]]
    guard_text: dict[str, str]
    decision_working_days: int
    _by_step: dict[tuple[str, str], Transition] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for t in self.transitions:
            self._by_step[(t.source, t.target)] = t

    @property
    def final_states(self) -> frozenset[str]:
        return frozenset(s for s, info in self.states.items() if info.get("final"))

    def label(self, state: str) -> str:
        return str(self.states[state].get("label", state))

    def editable(self, state: str, what: str) -> bool:
        """May ``what`` ('document' or 'statement') still change in ``state``?"""
        return what in (self.states[state].get("editable") or [])

    def allows(self, role: str, permission: str) -> bool:
        return permission in self.permissions.get(role, frozenset())

    def next_states(self, status: str) -> list[str]:
        return [t.target for t in self.transitions if t.source == status]

    def can(self, actor: Actor, case: CaseFacts, to: str) -> Refusal | None:
        """None if ``actor`` may move ``case`` to ``to``; otherwise the refusal and its reason."""
        if to not in self.states:
            known = ", ".join(self.states)
            return Refusal("state", f"unknown state {to!r}; the states are {known}")
        step = self._by_step.get((case.status, to))
        if step is None:
            onward = ", ".join(self.next_states(case.status)) or "none (it is closed)"
            return Refusal(
                "state",
                f"a case that is {self.label(case.status).lower()} cannot move to {to}; "
                f"it can move to: {onward}",
            )
        if actor.role not in step.roles:
            who = " or ".join(step.roles)
            return Refusal("role", f"only a user with the role {who} may move a case to {to}")
        for guard in step.guards:
            if not GUARDS[guard](actor, case):
                details = (
                    (case.anonymisation_findings or ()) if guard == "anonymisation_clean" else ()
                )
                return Refusal("guard", self.guard_text[guard], guard, tuple(details))
        return None

    def guards_for(self, source: str, to: str) -> tuple[str, ...]:
        step = self._by_step.get((source, to))
        return step.guards if step else ()


def _check(data: dict[str, Any]) -> None:
    states = data.get("states") or {}
    if data.get("initial") not in states:
        raise WorkflowError(f"initial state {data.get('initial')!r} is not among the states")
    roles = data.get("roles") or {}
    if set(roles) != set(ROLES):
        raise WorkflowError(f"roles must be exactly {', '.join(ROLES)}; found {', '.join(roles)}")
    for n, t in enumerate(data.get("transitions") or [], start=1):
        for end in ("from", "to"):
            if t.get(end) not in states:
                raise WorkflowError(f"transition {n}: unknown state {t.get(end)!r} in {end!r}")
        for role in t.get("roles") or []:
            if role not in ROLES:
                raise WorkflowError(f"transition {n}: unknown role {role!r}")
        for guard in t.get("guards") or []:
            if guard not in GUARDS:
                raise WorkflowError(f"transition {n}: unknown guard {guard!r}")
            if guard not in (data.get("guards") or {}):
                raise WorkflowError(f"transition {n}: guard {guard!r} has no refusal text")


def parse_workflow(data: dict[str, Any]) -> Workflow:
    """A workflow from its YAML data, checked for unknown states, roles and guards."""
    _check(data)
    return Workflow(
        initial=data["initial"],
        states={str(k): dict(v or {}) for k, v in data["states"].items()},
        transitions=tuple(
            Transition(
                t["from"], t["to"], tuple(t.get("roles") or ()), tuple(t.get("guards") or ())
            )
            for t in data["transitions"]
        ),
        permissions={role: frozenset(perms) for role, perms in data["roles"].items()},
        guard_text={k: " ".join(str(v).split()) for k, v in data["guards"].items()},
        decision_working_days=int(data["deadlines"]["decision_working_days"]),
    )


@lru_cache(maxsize=1)
def load_workflow() -> Workflow:
    """The workflow shipped with ombuds (read once)."""
    return parse_workflow(yaml.safe_load(WORKFLOW.read_text(encoding="utf-8")))
