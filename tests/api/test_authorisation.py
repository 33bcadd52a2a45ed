"""Authorisation on every route: the role matrix, department scope, token kinds.

The matrix below is the specification, written out by hand; it is not read
from inventory.domain.access, so a change there that opens or closes a route
fails here until someone agrees and updates this table.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa

from inventory.db.engine import session_scope
from inventory.db.types import utcnow
from inventory.models import ApiToken
from tests.api.conftest import Estate

ALL = {"admin", "ops", "bureau", "department", "finance", "auditor"}
READERS = {"admin", "ops", "bureau", "department", "finance"}

# (method, path) -> the roles that may use it; everyone else gets 403.
MATRIX: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/assets"): READERS,
    ("GET", "/api/v1/assets/export"): {"ops", "bureau", "department", "finance"},
    ("GET", "/api/v1/assets/{uid}"): READERS,
    ("PATCH", "/api/v1/assets/{uid}"): {"ops", "bureau", "department"},
    ("GET", "/api/v1/assets/{uid}/history"): READERS,
    ("POST", "/api/v1/assets/{uid}/mode"): {"bureau"},
    ("GET", "/api/v1/departments"): READERS,
    ("POST", "/api/v1/departments"): {"admin"},
    ("GET", "/api/v1/departments/{code}"): READERS,
    ("PATCH", "/api/v1/departments/{code}"): {"admin"},
    ("GET", "/api/v1/departments/{code}/assets"): READERS,
    ("GET", "/api/v1/rooms"): READERS,
    ("GET", "/api/v1/rooms/{code}"): READERS,
    ("PATCH", "/api/v1/rooms/{code}"): {"admin", "bureau"},
    ("GET", "/api/v1/staff"): {"admin", "ops", "bureau", "department"},
    ("GET", "/api/v1/staff/{staff_id}"): {"admin", "ops", "bureau", "department"},
    ("PATCH", "/api/v1/staff/{staff_id}"): {"bureau", "department"},
    ("GET", "/api/v1/staff/{staff_id}/assets"): {"admin", "ops", "bureau", "department"},
    ("GET", "/api/v1/scans"): {"admin", "ops", "bureau"},
    ("POST", "/api/v1/scans"): {"ops"},
    ("GET", "/api/v1/scans/{uid}"): {"admin", "ops", "bureau"},
    ("GET", "/api/v1/reviews"): {"admin", "ops", "bureau"},
    ("POST", "/api/v1/reviews/{item_id}/resolve"): {"ops"},
    ("GET", "/api/v1/credentials"): {"admin", "ops"},
    ("POST", "/api/v1/credentials"): {"admin", "ops"},
    ("GET", "/api/v1/audit"): {"auditor"},
    ("GET", "/api/v1/me"): ALL,
    ("GET", "/api/v1/users"): {"admin"},
    ("POST", "/api/v1/users"): {"admin"},
    ("GET", "/api/v1/tokens"): ALL,
    ("POST", "/api/v1/tokens"): ALL,
    ("DELETE", "/api/v1/tokens/{token_id}"): ALL,
}


def concrete(estate: Estate, path: str) -> str:
    """The path with the caller's own department's objects (or unknown ids) filled in."""
    return (
        path.replace("/assets/{uid}", f"/assets/{estate.own_asset}")
        .replace("/scans/{uid}", "/scans/00000000-0000-0000-0000-000000000000")
        .replace("{code}", "R1" if "/rooms/" in path else "D1")
        .replace("{staff_id}", str(estate.own_staff))
        .replace("{item_id}", "999999")
        .replace("{token_id}", "999999")
    )


BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PATCH", "/api/v1/assets/{uid}"): {"location": "3F"},
    ("POST", "/api/v1/assets/{uid}/mode"): {"mode": "managed", "reason": "matrix"},
    ("POST", "/api/v1/departments"): {"code": "NEW", "name": "新部门"},
    ("PATCH", "/api/v1/departments/{code}"): {"name_en": "Renamed"},
    ("PATCH", "/api/v1/rooms/{code}"): {"address": "2F"},
    ("PATCH", "/api/v1/staff/{staff_id}"): {"title": "engineer"},
    ("POST", "/api/v1/scans"): {"targets": ["127.0.0.1"], "profiles": ["no-such-profile"]},
    ("POST", "/api/v1/reviews/{item_id}/resolve"): {"action": "dismiss", "reason": "matrix"},
    ("POST", "/api/v1/credentials"): {
        "name": "matrix",
        "kind": "snmp_v2c",
        "secret": {"community": "matrix-community"},
    },
    ("POST", "/api/v1/users"): {"username": "x", "password": "short", "role": "ops"},
    ("POST", "/api/v1/tokens"): {"name": "matrix"},
}


def call(estate: Estate, who: str, method: str, path: str) -> int:
    url = concrete(estate, path)
    headers = estate.headers(who)
    if method in ("PATCH",):
        current = estate.client.get(url, headers=estate.headers("ops" if who != "ops" else who))
        headers["If-Match"] = current.headers.get("ETag", '"none"')
    body = BODIES.get((method, path))
    response = estate.client.request(method, url, headers=headers, json=body)
    assert response.status_code < 500, response.text
    return response.status_code


def test_the_matrix_names_every_api_route(estate: Estate) -> None:
    spec = estate.client.get("/api/v1/openapi.json").json()
    routes = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
    }
    assert routes == set(MATRIX), "a route was added or removed: decide who may use it here"


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_every_role_on_every_route(estate: Estate, route: tuple[str, str]) -> None:
    method, path = route
    for role in sorted(ALL):
        status = call(estate, role, method, path)
        if role in MATRIX[route]:
            assert status not in (401, 403), f"{role} refused {method} {path}: {status}"
        else:
            assert status == 403, f"{role} allowed {method} {path}: {status}"


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_no_route_answers_without_a_token(estate: Estate, route: tuple[str, str]) -> None:
    method, path = route
    response = estate.client.request(method, concrete(estate, path), json=BODIES.get(route))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_wrong_expired_or_revoked_token_is_refused(estate: Estate) -> None:
    url = "/api/v1/me"
    forged = estate.tokens["ops"][:-4] + "AAAA"
    assert estate.client.get(url, headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    assert estate.client.get(url, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    with session_scope(estate.engine) as session:
        session.execute(sa.update(ApiToken).values(expires_at=utcnow()))
    assert estate.get("ops", url).status_code == 401


def test_a_read_only_token_reads_but_never_writes(estate: Estate) -> None:
    url = f"/api/v1/assets/{estate.own_asset}"
    read = estate.get("ops-read-only", url)
    assert read.status_code == 200
    headers = {**estate.headers("ops-read-only"), "If-Match": read.headers["ETag"]}
    refused = estate.client.patch(url, headers=headers, json={"location": "3F"})
    assert refused.status_code == 403
    assert "read-only" in refused.json()["detail"]


# --- A department user and another department's data, by every route -------------------


def test_department_user_cannot_read_another_departments_asset_by_any_route(
    estate: Estate,
) -> None:
    other = estate.other_asset
    for url in (
        f"/api/v1/assets/{other}",
        f"/api/v1/assets/{other}/history",
        "/api/v1/departments/D2",
        "/api/v1/departments/D2/assets",
        "/api/v1/rooms/R2",
        f"/api/v1/staff/{estate.other_staff}",
        f"/api/v1/staff/{estate.other_staff}/assets",
    ):
        response = estate.get("department", url)
        assert response.status_code == 404, url
        assert "d2-secret-app" not in response.text
    # ...nor find it by filtering or searching for it.
    for query in (
        {"department": "D2"},
        {"q": "d2-secret"},
        {"q": other},
        {"vendor": "Inspur"},
        {"q": "10.2.0.5"},
    ):
        listed = estate.get("department", "/api/v1/assets", params=query).json()
        assert listed["total"] == 0, query
    listed = estate.get("department", "/api/v1/assets").json()
    assert {item["department"] for item in listed["items"]} == {"D1"}
    assert [d["code"] for d in estate.get("department", "/api/v1/departments").json()] == ["D1"]
    assert [r["code"] for r in estate.get("department", "/api/v1/rooms").json()] == ["R1"]
    assert {s["department"] for s in estate.get("department", "/api/v1/staff").json()} == {"D1"}
    assert estate.get("department", "/api/v1/staff", params={"department": "D2"}).json() == []


def test_department_user_cannot_change_another_departments_asset(estate: Estate) -> None:
    other = estate.other_asset
    etag = estate.get("ops", f"/api/v1/assets/{other}").headers["ETag"]
    headers = {**estate.headers("department"), "If-Match": etag}
    response = estate.client.patch(
        f"/api/v1/assets/{other}", headers=headers, json={"location": "stolen"}
    )
    assert response.status_code == 404
    staff_etag = estate.get("ops", f"/api/v1/staff/{estate.other_staff}").headers["ETag"]
    response = estate.client.patch(
        f"/api/v1/staff/{estate.other_staff}",
        headers={**estate.headers("department"), "If-Match": staff_etag},
        json={"title": "x"},
    )
    assert response.status_code == 404
    assert estate.get("ops", f"/api/v1/assets/{other}").json()["location"] is None


def test_department_user_cannot_move_an_asset_to_another_department(estate: Estate) -> None:
    url = f"/api/v1/assets/{estate.own_asset}"
    etag = estate.get("department", url).headers["ETag"]
    response = estate.client.patch(
        url,
        headers={**estate.headers("department"), "If-Match": etag},
        json={"department": "D2"},
    )
    assert response.status_code == 403
    assert "department_id" in response.json()["detail"]


def test_a_department_users_export_holds_only_their_department(estate: Estate) -> None:
    response = estate.get(
        "department", "/api/v1/assets/export", params={"format": "xlsx", "lang": "en"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "d1-web-01" in cells
    assert "d2-secret-app" not in cells
    assert estate.other_asset not in cells
    csv = estate.get("department", "/api/v1/assets/export", params={"format": "csv"})
    assert "d1-web-01" in csv.text
    assert "d2-secret-app" not in csv.text
    everything = estate.get("ops", "/api/v1/assets/export", params={"format": "csv"})
    assert "d2-secret-app" in everything.text


def test_a_department_user_without_a_department_sees_nothing() -> None:
    from inventory.domain.access import Principal
    from inventory.domain.choices import Role

    lost = Principal(1, "lost", Role.DEPARTMENT, department_id=None)
    assert lost.departments == frozenset()
    assert not lost.sees(None)
    assert not lost.sees(1)
