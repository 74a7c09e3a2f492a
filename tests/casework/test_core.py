"""The pure casework core: the workflow and its guards, deadlines, JSON merge patch."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from ombuds.casework.deadlines import add_working_days, is_working_day, working_days_between
from ombuds.casework.merge_patch import merge_patch
from ombuds.casework.workflow import (
    WORKFLOW,
    Actor,
    CaseFacts,
    WorkflowError,
    load_workflow,
    parse_workflow,
)

ANN = Actor("ann", "assessor")
ROB = Actor("rob", "reviewer")
REVIEW = CaseFacts(
    status="review",
    recommendation="closed_after_initial_enquiries",
    drafted_by="ann",
    submitted_by="ann",
    statement_drafted=True,
)


def test_the_happy_path_is_allowed_to_the_right_roles() -> None:
    workflow = load_workflow()
    steps = [("received", "assessment", ANN), ("assessment", "draft", ANN),
             ("draft", "review", ANN), ("review", "decided", ROB)]  # fmt: skip
    for status, to, actor in steps:
        facts = CaseFacts(**{**REVIEW.__dict__, "status": status})
        assert workflow.can(actor, facts, to) is None, (status, to)


def test_refusals_say_why() -> None:
    workflow = load_workflow()
    role = workflow.can(ANN, REVIEW, "decided")
    assert role is not None and role.kind == "role" and "reviewer" in role.reason
    state = workflow.can(ROB, REVIEW, "published")
    assert (
        state is not None
        and state.kind == "state"
        and "can move to: draft, decided" in state.reason
    )
    unknown = workflow.can(ROB, REVIEW, "limbo")
    assert unknown is not None and "unknown state" in unknown.reason


def test_four_eyes() -> None:
    workflow = load_workflow()
    own = CaseFacts(**{**REVIEW.__dict__, "drafted_by": "rob"})
    refusal = workflow.can(ROB, own, "decided")
    assert refusal is not None and refusal.guard == "four_eyes"
    sent = CaseFacts(**{**REVIEW.__dict__, "drafted_by": "ann", "submitted_by": "rob"})
    assert workflow.can(ROB, sent, "decided") is not None
    assert workflow.can(Actor("ria", "reviewer"), own, "decided") is None


def test_a_departure_needs_a_reason_and_a_settled_recommendation() -> None:
    workflow = load_workflow()
    departs = CaseFacts(**{**REVIEW.__dict__, "decision": "investigate"})
    refusal = workflow.can(ROB, departs, "decided")
    assert refusal is not None and refusal.guard == "departure_has_reason"
    reasoned = CaseFacts(**{**departs.__dict__, "decision_reason": "a pattern of fault"})
    assert workflow.can(ROB, reasoned, "decided") is None
    unsettled = CaseFacts(**{**REVIEW.__dict__, "recommendation": "needs_information"})
    refusal = workflow.can(ROB, unsettled, "decided")
    assert refusal is not None and refusal.guard == "recommendation_settled"


def test_publication_needs_a_clean_anonymisation_check() -> None:
    workflow = load_workflow()
    decided = CaseFacts(**{**REVIEW.__dict__, "status": "decided"})
    unchecked = workflow.can(ROB, decided, "published")
    assert unchecked is not None and unchecked.guard == "anonymisation_clean"
    dirty = CaseFacts(**{**decided.__dict__, "anonymisation_findings": ("line 3: email",)})
    refusal = workflow.can(ROB, dirty, "published")
    assert refusal is not None and refusal.details == ("line 3: email",)
    clean = CaseFacts(**{**decided.__dict__, "anonymisation_findings": ()})
    assert workflow.can(ROB, clean, "published") is None
    premature = CaseFacts(**{**clean.__dict__, "decision": "premature", "decision_reason": "r"})
    refusal = workflow.can(ROB, premature, "published")
    assert refusal is not None and refusal.guard == "decision_published"
    assert workflow.can(ROB, premature, "referred_back") is None


def test_roles_permissions() -> None:
    workflow = load_workflow()
    assert workflow.allows("auditor", "case.read") and not workflow.allows("auditor", "case.edit")
    assert workflow.allows("admin", "user.manage") and not workflow.allows(
        "assessor", "user.manage"
    )
    assert workflow.final_states == {"published", "referred_back", "investigation"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["transitions"].append({"from": "received", "to": "nowhere"}), "unknown state"),
        (lambda d: d["transitions"][0].update(guards=["vibes"]), "unknown guard"),
        (lambda d: d["transitions"][0].update(roles=["boss"]), "unknown role"),
        (lambda d: d["guards"].pop("four_eyes"), "no refusal text"),
        (lambda d: d.update(initial="limbo"), "initial state"),
    ],
)
def test_an_inconsistent_workflow_file_is_refused(change: Any, message: str) -> None:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(WorkflowError, match=message):
        parse_workflow(data)


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    assert not is_working_day(date(2025, 4, 18))  # Good Friday
    assert not is_working_day(date(2025, 4, 21))  # Easter Monday
    assert not is_working_day(date(2025, 4, 19))  # Saturday
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)
    assert add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)  # Christmas, Boxing Day
    assert add_working_days(date(2023, 5, 5), 1) == date(2023, 5, 9)  # the coronation holiday
    assert working_days_between(date(2025, 3, 4), date(2025, 4, 1)) == 20
    assert working_days_between(date(2025, 4, 1), date(2025, 3, 4)) == -20


def test_merge_patch_follows_rfc_7396() -> None:
    # The examples of RFC 7396, appendix A.
    cases = [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ]
    for target, patch, result in cases:
        assert merge_patch(target, patch) == result
    original = {"a": {"b": 1}}
    merge_patch(original, {"a": {"b": None}})
    assert original == {"a": {"b": 1}}  # not modified
