"""The auditor's landing page: the audit trail, with menu, name and logout, filterable."""

from __future__ import annotations

import re

from inventory.db.engine import session_scope
from inventory.models import Asset
from inventory.services import records
from inventory.services.context import Actor
from tests.api.conftest import Estate


def test_every_role_lands_on_a_page_it_may_see_with_its_name_and_logout(
    estate: Estate,
) -> None:
    for role in ("admin", "ops", "bureau", "department", "finance", "auditor"):
        estate.client.cookies.clear()
        assert estate.login(role).status_code == 303
        landed = estate.client.get("/")
        assert landed.status_code == 200, role
        assert 'id="logout"' in landed.text
        assert f"{role} ·" in landed.text
        assert "<nav>" in landed.text
    assert landed.url.path == "/audit"  # the auditor's


def test_a_refused_page_still_shows_the_menu_and_a_way_out(estate: Estate) -> None:
    estate.login("auditor")
    refused = estate.client.get("/assets")
    assert refused.status_code == 403
    assert 'id="logout"' in refused.text
    assert 'id="audit-link"' in refused.text


def test_the_audit_page_filters_by_object_actor_and_day(estate: Estate) -> None:
    with session_scope(estate.engine) as session:
        asset = session.get(Asset, 1)
        assert asset is not None
        uid = asset.uid
        records.update(session, Actor("user:ops"), Asset, asset.id, asset.version, {"notes": "x"})
    estate.login("auditor")
    everything = estate.client.get("/audit")
    assert everything.status_code == 200
    total = int(re.search(r'id="result-count">(\d+)<', everything.text).group(1))
    assert total > 3
    by_short_uid = estate.client.get("/audit", params={"object": uid[:8]})
    assert f"asset {uid}" in by_short_uid.text
    assert "d2-secret-app" not in by_short_uid.text
    by_name = estate.client.get("/audit", params={"object": "d1-web-01", "actor": "user:ops"})
    assert 'id="result-count">1<' in by_name.text
    assert "notes: None → x" in by_name.text
    future = estate.client.get("/audit", params={"since": "2999-01-01"})
    assert 'id="result-count">0<' in future.text
    bad = estate.client.get("/audit", params={"since": "yesterday"})
    assert bad.status_code == 200
    assert "日期应写作 YYYY-MM-DD" in bad.text  # in the page's language
    ambiguous = estate.client.get("/audit", params={"object": "1"})
    assert "对应多个对象" in ambiguous.text
    assert estate.client.get("/audit", params={"page": "9" * 30}).status_code == 400


def test_audit_times_are_local_to_the_second(estate: Estate) -> None:
    estate.login("auditor")
    page = estate.client.get("/audit").text
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d</td>", page)


def test_only_auditors_open_the_audit_page(estate: Estate) -> None:
    estate.login("admin")
    assert estate.client.get("/audit").status_code == 403
