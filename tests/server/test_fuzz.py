"""Property-based fuzzing of the JSON API from its OpenAPI description (schemathesis).

Every operation is called with generated requests, signed in as an assessor (an admin for
the people, audit and assignment routes) on a database holding one case: no response may be
a server error, and each must conform to the description (documented status code, content
type and body schema). The run is bounded: 25 examples per operation, no deadline (CI
machines are shared); about half a minute.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import bearer, seed_document

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.slow
def test_the_api_never_fails_and_keeps_to_its_description(
    app: FastAPI, as_user: Any, tokens: dict[str, str]
) -> None:
    as_user("assessor").post("/api/cases", json=seed_document())  # case 1 exists
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:
        admin = operation.path.startswith(("/api/users", "/api/audit"))
        admin |= operation.path.endswith("/assignee")
        headers = bearer(tokens["admin" if admin else "assessor"])

        _fuzz(operation, headers)


def _fuzz(operation: Any, headers: dict[str, str]) -> None:
    @given(operation.as_strategy())
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def conforms(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    conforms()
