"""Cases over the JSON API: validation, ETag/If-Match, merge patch, lists, errors, logs."""

from __future__ import annotations

import logging
import threading
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from .conftest import Clock, LiveServer, bearer, seed_document
from .test_flow import created

PROBLEM = "application/problem+json"


def test_a_complaint_with_a_bad_field_is_refused_naming_it(as_user: Any) -> None:
    document = seed_document()
    document["points"][0]["facts"]["evidence_of_fault"] = "maybe"
    document["dates"]["received"] = "4 March"
    response = as_user("assessor").post("/api/cases", json=document)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "expected bool" in fields["points.0.facts.evidence_of_fault"]
    assert "YYYY-MM-DD" in fields["dates.received"]


def test_the_same_reference_twice_is_a_conflict(as_user: Any) -> None:
    created(as_user)
    again = as_user("assessor").post("/api/cases", json=seed_document())
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM


def test_patch_is_a_merge_patch_that_needs_the_current_etag(as_user: Any) -> None:
    assessor = as_user("assessor")
    case = created(as_user)
    url = f"/api/cases/{case['id']}"
    patch = {"subject": "how the Council handled a child in need plan", "representative": None}

    missing = assessor.patch(url, json=patch)
    assert missing.status_code == 428 and missing.headers["content-type"] == PROBLEM

    ok = assessor.patch(
        url, json=patch, headers={"If-Match": '"1"', "Content-Type": "application/merge-patch+json"}
    )
    assert ok.status_code == 200, ok.text
    assert ok.headers["ETag"] == '"2"'
    assert ok.json()["document"]["subject"] == patch["subject"]
    assert ok.json()["document"]["points"] == case["document"]["points"]  # untouched

    stale = assessor.patch(url, json={"subject": "something else"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2 and stale.headers["ETag"] == '"2"'
    assert assessor.get(url).json()["document"]["subject"] == patch["subject"]

    invalid = assessor.patch(url, json={"points": []}, headers={"If-Match": '"2"'})
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "points"
    assert assessor.get(url).headers["ETag"] == '"2"'  # nothing stored


def test_setting_facts_checks_them_against_the_rulebook(as_user: Any) -> None:
    assessor = as_user("assessor")
    case = created(as_user)
    url = f"/api/cases/{case['id']}/facts"
    wrong = assessor.patch(
        url, json={"point": "a", "facts": {"evidence_of_faults": True}}, headers={"If-Match": '"1"'}
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "points.0.facts.evidence_of_faults"
    forget = assessor.patch(
        url, json={"point": "a", "facts": {"injustice": None}}, headers={"If-Match": '"1"'}
    )
    assert forget.status_code == 200
    assert "injustice" not in forget.json()["document"]["points"][0]["facts"]
    no_point = assessor.patch(
        url, json={"point": "z", "facts": {"injustice": "minor"}}, headers={"If-Match": '"2"'}
    )
    assert no_point.status_code == 422


def test_cases_are_listed_with_filters_and_pages(as_user: Any, clock: Clock) -> None:
    assessor = as_user("assessor")
    first = created(as_user)
    second = created(as_user, seed_document("24-003-230"))
    assessor.post(f"/api/cases/{first['id']}/transitions", json={"to": "assessment"})

    everything = assessor.get("/api/cases").json()
    assert everything["total"] == 2
    assert assessor.get("/api/cases?status=assessment").json()["items"][0]["id"] == first["id"]
    assert assessor.get("/api/cases?assignee=assessor").json()["total"] == 1
    organisation = second["organisation"].split()[0].upper()
    by_org = assessor.get("/api/cases", params={"organisation": organisation}).json()
    assert [c["id"] for c in by_org["items"]] == [second["id"]]
    page = assessor.get("/api/cases?limit=1&offset=1").json()
    assert page["total"] == 2 and len(page["items"]) == 1 and page["offset"] == 1

    clock.day = min(first["due"], second["due"])  # nothing overdue yet
    assert assessor.get("/api/cases?overdue=true").json()["total"] == 0
    from datetime import date, timedelta

    clock.day = date.fromisoformat(max(first["due"], second["due"])) + timedelta(days=1)
    overdue = assessor.get("/api/cases?overdue=true").json()
    assert overdue["total"] == 2 and all(c["overdue"] for c in overdue["items"])
    assert assessor.get("/api/cases?overdue=false").json()["total"] == 0
    assert assessor.get("/api/cases?limit=0").status_code == 422


def test_unknown_cases_and_bad_ids_are_problems(as_user: Any) -> None:
    reader = as_user("auditor")
    missing = reader.get("/api/cases/999")
    assert missing.status_code == 404 and missing.json()["title"] == "Not found"
    assert reader.get("/api/cases/99999999999999999999").status_code == 422
    assert reader.get("/api/cases/abc").headers["content-type"] == PROBLEM
    assert reader.get("/api/nowhere").headers["content-type"] == PROBLEM


def test_openapi_and_health(client: Any) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/cases/{case_id}" in schema["paths"]
    assert "Problem" in schema["components"]["schemas"]
    assert client.get("/api/health").json() == {"status": "ok", "database": "ok"}


def test_request_logs_hold_no_personal_data(as_user: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="ombuds.server.requests")
    case = created(as_user)
    as_user("assessor").get("/api/cases", params={"organisation": "Mrs Jones of Leeds"})
    as_user("assessor").get(f"/api/cases/{case['id']}")
    lines = [r.getMessage() for r in caplog.records if r.name == "ombuds.server.requests"]
    assert "GET /api/cases/{case_id} 200" in " ".join(lines)
    logged = "\n".join(lines)
    for secret in ("Jones", "Mr X", "assessor", "Cambridgeshire", "testclient"):
        assert secret not in logged


@pytest.mark.parametrize("store", ["sqlite", "postgresql"], indirect=True)
def test_concurrent_edits_never_lose_an_update(app: FastAPI, tokens: dict[str, str]) -> None:
    """Many clients append a note each with If-Match, retrying on 412: every note survives."""
    with LiveServer(app) as base:
        headers = bearer(tokens["assessor"])
        case = httpx.post(f"{base}/api/cases", json=seed_document(), headers=headers).json()
        url = f"{base}/api/cases/{case['id']}"
        successes: list[str] = []
        lock = threading.Lock()

        def client(n: int) -> None:
            with httpx.Client(headers=headers, timeout=30) as http:
                for i in range(4):
                    note = f"note {n}-{i}"
                    while True:
                        read = http.get(url)
                        notes = read.json()["document"]["points"][0].get("notes", [])
                        points = read.json()["document"]["points"]
                        points[0] = {**points[0], "notes": [*notes, note]}
                        sent = http.patch(
                            url, json={"points": points}, headers={"If-Match": read.headers["ETag"]}
                        )
                        if sent.status_code == 200:
                            with lock:
                                successes.append(note)
                            break
                        assert sent.status_code == 412, sent.text

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        final = httpx.get(url, headers=headers).json()
    kept = [n for n in final["document"]["points"][0]["notes"] if n.startswith("note ")]
    assert sorted(kept) == sorted(successes) and len(kept) == 32
    assert final["version"] == 33
