"""Schemathesis against the OpenAPI document with each role's token: no 5xx, no schema violations.

Every generated request is sent once per caller (each role, a second
department's user, a read-only token), so refusals (401, 403, 404, 409, 412,
422, 428) are exercised as much as answers; each must match the document.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.api.conftest import ROLES, Estate
from tests.api.test_authorisation import MATRIX

CALLERS = (*map(str, ROLES), "department2", "ops-read-only")
EXAMPLES = 20


def fuzz(estate: Estate, method: str, path: str) -> set[int]:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", estate.client.app)
    operation = schema.find_operation_by_label(f"{method} {path}")
    assert operation is not None, f"{method} {path} is not in the OpenAPI document"
    statuses: set[int] = set()

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def each(case: Any) -> None:
        if (method, path) == ("POST", "/api/v1/scans"):
            # A real scan would sweep whatever the fuzzer names; refusals only.
            case.body = {**case.body, "profiles": ["no-such-profile"]}
        for caller in CALLERS:
            response = case.call_and_validate(
                headers=estate.headers(caller),
                checks=[not_a_server_error, response_schema_conformance],
            )
            statuses.add(response.status_code)

    each()
    return statuses


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_every_caller_gets_well_formed_answers_and_no_server_errors(
    estate: Estate, route: tuple[str, str]
) -> None:
    statuses = fuzz(estate, *route)
    assert statuses, "nothing was sent"
    assert max(statuses) < 500
