"""Logins, lock-out, tokens (shown once, stored hashed), the audit trail for auditors only."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import select

from api.deps import csrf_token
from inventory.db.engine import session_scope
from inventory.models import ApiToken, AuditEvent, User
from inventory.services import users
from inventory.services.context import Actor
from inventory.services.throttle import PER_ACCOUNT_AND_SOURCE
from tests.api.conftest import PASSWORD, Estate


def login(estate: Estate, username: str, password: str) -> Any:
    return estate.login(username, password)


def test_login_sets_an_http_only_session_cookie_and_logout_revokes_it(estate: Estate) -> None:
    response = login(estate, "bureau", PASSWORD)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "inventory_session=inv_" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert estate.client.get("/").status_code == 200
    page = estate.client.get("/").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf is not None
    session_token = estate.client.cookies["inventory_session"]
    estate.client.post("/logout", data={"csrf_token": csrf.group(1)}, follow_redirects=False)
    estate.client.cookies.set("inventory_session", session_token)  # replayed after logout
    assert estate.client.get("/", follow_redirects=False).status_code == 303
    assert estate.client.get("/api/v1/me").status_code == 401


def test_a_login_form_without_its_csrf_token_is_refused(estate: Estate) -> None:
    estate.client.get("/login")
    response = estate.client.post(
        "/login",
        data={"username": "bureau", "password": PASSWORD, "login_csrf": "forged"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "inventory_session" not in response.headers.get("set-cookie", "")


def test_the_login_cookie_cannot_change_anything_without_the_csrf_header(
    estate: Estate,
) -> None:
    login(estate, "ops", PASSWORD)
    url = f"/api/v1/assets/{estate.own_asset}"
    etag = estate.client.get(url).headers["ETag"]
    forged = estate.client.patch(url, headers={"If-Match": etag}, json={"location": "x"})
    assert forged.status_code == 403
    assert "CSRF" in forged.json()["detail"]


def test_one_source_is_throttled_but_cannot_lock_the_account_or_its_tokens(
    estate: Estate,
) -> None:
    for _ in range(PER_ACCOUNT_AND_SOURCE):
        assert login(estate, "finance", "wrong").status_code == 401
    assert login(estate, "finance", PASSWORD).status_code == 401  # throttled, right or not
    with session_scope(estate.engine) as session:
        user = session.exec(select(User).where(User.username == "finance")).one()
        assert user.locked_until is None  # the account itself stays open
        reasons = session.exec(
            select(AuditEvent.reason).where(AuditEvent.actor == "user:finance")
        ).all()
    assert reasons.count("wrong password (testclient)") == PER_ACCOUNT_AND_SOURCE
    assert "too many failures from this source (testclient)" in reasons
    # The same person from another address logs in, and the API token keeps working.
    elsewhere = TestClient(estate.client.app, client=("192.0.2.7", 4000))
    with elsewhere:
        form = elsewhere.get("/login").text
        csrf = re.search(r'name="login_csrf" value="([^"]+)"', form)
        assert csrf is not None
        answer = elsewhere.post(
            "/login",
            data={"username": "finance", "password": PASSWORD, "login_csrf": csrf.group(1)},
            follow_redirects=False,
        )
    assert answer.status_code == 303
    assert estate.get("finance", "/api/v1/me").status_code == 200


def test_failed_logins_of_unknown_names_are_audited_with_their_source(estate: Estate) -> None:
    assert login(estate, "no-such-user", "guess").status_code == 401
    with session_scope(estate.engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.object_id == "no-such-user")).one()
    assert (event.action, event.actor, event.object_type) == (
        "user.login_failed",
        "source:testclient",
        "user",
    )
    assert event.reason == "unknown user (testclient)"


def test_an_unknown_user_and_a_wrong_password_read_the_same(estate: Estate) -> None:
    unknown = login(estate, "nobody", "whatever")
    wrong = login(estate, "ops", "whatever")
    assert unknown.status_code == wrong.status_code == 401

    def page(response: Any) -> str:  # the form's one-time token aside
        return re.sub(r'value="[^"]{20,}"', "", response.text)

    assert page(unknown) == page(wrong)


def test_login_redirects_only_within_the_site(estate: Estate) -> None:
    form = estate.client.get("/login", params={"next": "https://evil.example/"})
    assert 'name="next" value="/"' in form.text
    form = estate.client.get("/login", params={"next": "//evil.example/"})
    assert 'name="next" value="/"' in form.text


def test_a_token_is_shown_once_and_stored_only_as_a_salted_hash(estate: Estate) -> None:
    created = estate.client.post(
        "/api/v1/tokens", headers=estate.headers("finance"), json={"name": "excel", "days": 7}
    )
    assert created.status_code == 201
    text = created.json()["token"]
    listed = estate.get("finance", "/api/v1/tokens").json()
    assert all("token" not in item for item in listed)
    assert text not in estate.get("finance", "/api/v1/tokens").text
    with session_scope(estate.engine) as session:
        stored = session.exec(select(ApiToken).where(ApiToken.name == "excel")).one()
        prefix, secret = text.split("_")[1], text.split("_", 2)[2]
        assert stored.prefix == prefix
        assert secret not in stored.token_hash
        assert stored.token_hash.startswith("sha256$")
        assert stored.expires_at is not None
        assert round((stored.expires_at - stored.created_at).total_seconds() / 86400) == 7
        logged = session.exec(select(AuditEvent).where(AuditEvent.action == "token.create"))
        assert all(secret not in str(event.after) for event in logged)
    assert (
        estate.client.get("/api/v1/me", headers={"Authorization": f"Bearer {text}"}).json()[
            "username"
        ]
        == "finance"
    )


def test_a_token_records_its_last_use_and_can_be_revoked(estate: Estate) -> None:
    created = estate.client.post(
        "/api/v1/tokens", headers=estate.headers("ops"), json={"name": "script"}
    ).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    estate.client.get("/api/v1/me", headers=headers)
    (mine,) = (t for t in estate.get("ops", "/api/v1/tokens").json() if t["name"] == "script")
    assert mine["last_used_at"] is not None
    revoked = estate.client.delete(f"/api/v1/tokens/{mine['id']}", headers=estate.headers("ops"))
    assert revoked.json()["revoked_at"] is not None
    assert estate.client.get("/api/v1/me", headers=headers).status_code == 401


def test_nobody_revokes_someone_elses_token(estate: Estate) -> None:
    created = estate.client.post(
        "/api/v1/tokens", headers=estate.headers("ops"), json={"name": "mine"}
    ).json()
    stolen = estate.client.delete(
        f"/api/v1/tokens/{created['id']}", headers=estate.headers("admin")
    )
    assert stolen.status_code == 404


def test_a_read_only_token_only_makes_read_only_tokens(estate: Estate) -> None:
    response = estate.client.post(
        "/api/v1/tokens", headers=estate.headers("ops-read-only"), json={"name": "escalate"}
    )
    assert response.status_code == 403  # a POST is a write, refused outright


def test_admin_creates_users_with_a_password_policy(estate: Estate) -> None:
    weak = estate.client.post(
        "/api/v1/users",
        headers=estate.headers("admin"),
        json={"username": "li", "password": "123456", "role": "ops"},
    )
    assert weak.status_code == 409
    assert "12 characters" in weak.json()["detail"]
    no_department = estate.client.post(
        "/api/v1/users",
        headers=estate.headers("admin"),
        json={"username": "li", "password": PASSWORD, "role": "department"},
    )
    assert "needs a department" in no_department.json()["detail"]
    made = estate.client.post(
        "/api/v1/users",
        headers=estate.headers("admin"),
        json={"username": "li", "password": PASSWORD, "role": "department", "department": "D2"},
    )
    assert made.status_code == 201
    assert made.json() == {
        "username": "li",
        "display_name": None,
        "role": "department",
        "department": "D2",
        "is_active": True,
        "locked": False,
    }
    assert PASSWORD not in estate.get("admin", "/api/v1/users").text


def test_only_the_auditor_reads_the_audit_trail_and_secrets_never_appear(
    estate: Estate,
) -> None:
    estate.client.post(
        "/api/v1/credentials",
        headers=estate.headers("ops"),
        json={"name": "lab", "kind": "snmp_v2c", "secret": {"community": "s3cret-community"}},
    )
    trail = estate.get("auditor", "/api/v1/audit", params={"object_type": "credentialprofile"})
    assert trail.status_code == 200
    assert trail.json()["total"] == 1
    assert "s3cret-community" not in trail.text
    assert estate.get("admin", "/api/v1/audit").status_code == 403
    assert "s3cret-community" not in estate.get("ops", "/api/v1/credentials").text
    with_dates = estate.get("auditor", "/api/v1/audit", params={"since": "2000-01-01T00:00:00"})
    assert with_dates.json()["total"] > 0


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST"])
def test_no_route_changes_the_audit_trail(estate: Estate, method: str) -> None:
    response = estate.client.request(method, "/api/v1/audit", headers=estate.headers("auditor"))
    assert response.status_code == 405


def test_users_and_tokens_from_the_service_match_what_the_api_accepts(estate: Estate) -> None:
    with session_scope(estate.engine) as session:
        user = users.find_user(session, "bureau")
        _, text = users.issue_token(session, Actor("cli:root"), user, "from-cli", read_only=True)
    me = estate.client.get("/api/v1/me", headers={"Authorization": f"Bearer {text}"}).json()
    assert me == {"username": "bureau", "role": "bureau", "department": None, "read_only": True}


def test_an_api_token_is_never_a_page_session_and_cannot_write_through_the_pages(
    estate: Estate,
) -> None:
    """Hole 1: a read-only API token set as the cookie opened the pages and their forms."""
    for name in ("ops-read-only", "ops"):
        estate.client.cookies.set("inventory_session", estate.tokens[name])
        assert estate.client.get("/", follow_redirects=False).status_code == 303  # to login
        csrf = csrf_token(estate.tokens[name])  # what a forger computes from the token
        edit = estate.client.post(
            f"/assets/{estate.own_asset}",
            data={"csrf_token": csrf, "version": "1", "location": "forged"},
            follow_redirects=False,
        )
        assert edit.status_code == 303
        assert edit.headers["location"].startswith("/login")
        scan = estate.client.post(
            "/scans",
            data={"csrf_token": csrf, "targets": "127.0.0.1", "profiles": "lab"},
            follow_redirects=False,
        )
        assert scan.headers["location"].startswith("/login")
    with session_scope(estate.engine) as session:
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "scan.start")).all() == []
        assert "forged" not in str(session.exec(select(AuditEvent.after)).all())


def test_nobody_names_a_token_like_a_page_session(estate: Estate) -> None:
    made = estate.client.post(
        "/api/v1/tokens", headers=estate.headers("ops"), json={"name": users.WEB_SESSION}
    )
    assert made.status_code == 409
    assert "reserved" in made.json()["detail"]


def test_a_read_only_principal_is_refused_by_every_page_form(estate: Estate) -> None:
    estate.login("ops")
    token = estate.form_token()
    with session_scope(estate.engine) as session:
        # Even a page session, were one ever read-only, writes nothing.
        session.execute(sa.update(ApiToken).values(read_only=True))
    edit = estate.client.post(
        f"/assets/{estate.own_asset}",
        data={"csrf_token": token, "version": "1", "location": "changed"},
        follow_redirects=False,
    )
    assert edit.status_code == 403


def test_the_admin_cannot_mint_an_auditor_through_the_api(estate: Estate) -> None:
    """Hole 2, MLPS 2.0 三权分立: auditors are made on the server, never by the admin role."""
    made = estate.client.post(
        "/api/v1/users",
        headers=estate.headers("admin"),
        json={"username": "audit2", "password": PASSWORD, "role": "auditor"},
    )
    assert made.status_code == 403
    assert "inventory user add --role auditor" in made.json()["detail"]
    with session_scope(estate.engine) as session:
        assert session.exec(select(User).where(User.username == "audit2")).first() is None


def test_a_password_reset_revokes_every_session_and_token_of_the_account(
    estate: Estate,
) -> None:
    estate.login("finance")
    assert estate.client.get("/", follow_redirects=False).status_code == 200
    with session_scope(estate.engine) as session:
        revoked = users.set_password(session, Actor("cli:root"), "finance", PASSWORD + "!")
    assert revoked == 2  # the fixture's API token and the page session
    assert estate.client.get("/", follow_redirects=False).status_code == 303
    assert estate.get("finance", "/api/v1/me").status_code == 401
    assert estate.get("ops", "/api/v1/me").status_code == 200  # nobody else's
