"""The asset API: filters, sorting, paging, fields, detail with history, ETag/If-Match, P2."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from inventory.db.engine import session_scope
from inventory.domain.choices import DeviceClass
from inventory.models import Asset, AuditEvent
from inventory.services.context import Actor
from tests import factories
from tests.api.conftest import Estate

URL = "/api/v1/assets"


def names(page: dict[str, Any]) -> list[str]:
    return [item["name"] for item in page["items"]]


def test_lists_filter_by_department_mode_class_vendor_and_free_text(estate: Estate) -> None:
    assert estate.get("ops", URL).json()["total"] == 3
    assert names(estate.get("ops", URL, params={"department": "D2"}).json()) == ["d2-secret-app"]
    assert names(estate.get("ops", URL, params={"mode": "cloud"}).json()) == ["d1-db-01"]
    by_class = estate.get("ops", URL, params={"device_class": "virtual_machine"}).json()
    assert names(by_class) == ["d1-db-01"]
    assert names(estate.get("ops", URL, params={"vendor": "Huawei"}).json()) == ["d1-web-01"]
    assert names(estate.get("ops", URL, params={"q": "10.1.0.5"}).json()) == ["d1-web-01"]
    assert names(estate.get("ops", URL, params={"q": "WEB"}).json()) == ["d1-web-01"]
    # LIKE wildcards in the search text are matched literally.
    assert estate.get("ops", URL, params={"q": "%"}).json()["total"] == 0
    assert estate.get("ops", URL, params={"q": "d1_web"}).json()["total"] == 0


def test_lists_filter_by_last_seen(estate: Estate) -> None:
    with session_scope(estate.engine) as session:
        session.execute(
            sa.update(Asset)
            .where(col(Asset.name) == "d1-web-01")
            .values(last_seen=datetime(2026, 11, 1, tzinfo=UTC))
        )
    seen = estate.get("ops", URL, params={"seen_after": "2026-10-31T00:00:00Z"}).json()
    assert names(seen) == ["d1-web-01"]
    before = estate.get("ops", URL, params={"seen_before": "2026-10-31T00:00:00"}).json()
    assert before["total"] == 0


def test_sorts_and_pages_with_a_total(estate: Estate) -> None:
    first = estate.get("ops", URL, params={"sort": "-name", "per_page": 2}).json()
    assert (first["total"], first["page"], first["per_page"]) == (3, 1, 2)
    assert names(first) == ["d2-secret-app", "d1-web-01"]
    second = estate.get("ops", URL, params={"sort": "-name", "per_page": 2, "page": 2}).json()
    assert names(second) == ["d1-db-01"]
    beyond = estate.get("ops", URL, params={"page": 9}).json()
    assert (beyond["total"], beyond["items"]) == (3, [])


def test_a_page_can_go_without_its_total(estate: Estate) -> None:
    counted = estate.get("ops", URL, params={"sort": "name", "per_page": 2}).json()
    uncounted = estate.get(
        "ops", URL, params={"sort": "name", "per_page": 2, "total": "false"}
    ).json()
    assert (counted["total"], uncounted["total"]) == (3, None)
    assert uncounted["items"] == counted["items"]


def test_fields_trims_each_row(estate: Estate) -> None:
    page = estate.get("ops", URL, params={"fields": "uid,name", "sort": "name"}).json()
    assert all(set(item) == {"uid", "name"} for item in page["items"])


@pytest.mark.parametrize(
    ("query", "complaint"),
    [
        ({"sort": "password_hash"}, "cannot sort by"),
        ({"fields": "uid,secret"}, "unknown field"),
        ({"per_page": 501}, "per_page"),
        ({"mode": "teleported"}, "mode"),
    ],
)
def test_bad_list_requests_get_a_clear_422(
    estate: Estate, query: dict[str, Any], complaint: str
) -> None:
    response = estate.get("ops", URL, params=query)
    assert response.status_code == 422
    assert complaint in response.text


def test_detail_shows_evidence_addresses_and_history(estate: Estate) -> None:
    response = estate.get("ops", f"{URL}/{estate.own_asset}")
    detail = response.json()
    assert detail["addresses"] == ["10.1.0.5"]
    assert detail["department"] == "D1"
    assert detail["serial_number"].startswith("SN-")
    assert [h["action"] for h in detail["history"]] == ["asset.create"]
    assert response.headers["ETag"] == f'"asset-{estate.own_asset}-v1"'


def patch(estate: Estate, who: str, body: dict[str, Any], etag: str | None) -> Any:
    headers = estate.headers(who)
    if etag is not None:
        headers["If-Match"] = etag
    return estate.client.patch(f"{URL}/{estate.own_asset}", headers=headers, json=body)


def test_an_edit_needs_if_match_and_a_stale_one_gets_412(estate: Estate) -> None:
    etag = estate.get("ops", f"{URL}/{estate.own_asset}").headers["ETag"]
    missing = patch(estate, "ops", {"location": "A"}, None)
    assert missing.status_code == 428
    first = patch(estate, "ops", {"location": "Room 301"}, etag)
    assert first.status_code == 200
    assert first.headers["ETag"] == f'"asset-{estate.own_asset}-v2"'
    stale = patch(estate, "department", {"location": "Room 999"}, etag)
    assert stale.status_code == 412
    assert "version 2" in stale.json()["detail"]
    assert patch(estate, "ops", {"location": "x"}, '"asset-someone-else-v2"').status_code == 412
    detail = estate.get("ops", f"{URL}/{estate.own_asset}").json()
    assert detail["location"] == "Room 301"  # the stale edit lost nothing and wrote nothing
    latest = detail["history"][0]
    assert latest["actor"] == "user:ops"
    assert (latest["before"]["location"], latest["before"]["version"]) == (None, 1)
    assert (latest["after"]["location"], latest["after"]["version"]) == ("Room 301", 2)


def test_concurrent_edits_from_one_etag_let_exactly_one_win(estate: Estate) -> None:
    etag = estate.get("ops", f"{URL}/{estate.own_asset}").headers["ETag"]
    editors = ("ops", "bureau", "department") * 2
    with ThreadPoolExecutor(len(editors)) as pool:
        answers = list(pool.map(lambda who: patch(estate, who, {"purpose": who}, etag), editors))
    assert sorted(a.status_code for a in answers) == [200] + [412] * 5
    (winner,) = (a for a in answers if a.status_code == 200)
    final = estate.get("ops", f"{URL}/{estate.own_asset}").json()
    assert (final["purpose"], final["version"]) == (winner.json()["purpose"], 2)


def test_ops_can_move_an_asset_to_a_room_and_department(estate: Estate) -> None:
    etag = estate.get("ops", f"{URL}/{estate.own_asset}").headers["ETag"]
    moved = patch(estate, "ops", {"department": "D2", "machine_room": "R2"}, etag)
    assert moved.status_code == 200
    assert (moved.json()["department"], moved.json()["machine_room"]) == ("D2", "R2")
    assert estate.get("department", f"{URL}/{estate.own_asset}").status_code == 404
    unknown = patch(estate, "ops", {"department": "NOPE"}, moved.headers["ETag"])
    assert unknown.status_code == 404


def test_a_department_user_may_not_touch_fields_outside_the_ledger(estate: Estate) -> None:
    etag = estate.get("department", f"{URL}/{estate.own_asset}").headers["ETag"]
    refused = patch(estate, "department", {"purchase_value": "1"}, etag)
    assert refused.status_code == 403
    assert patch(estate, "department", {"purpose": "门户网站"}, etag).status_code == 200


def test_unknown_fields_are_refused_not_ignored(estate: Estate) -> None:
    etag = estate.get("ops", f"{URL}/{estate.own_asset}").headers["ETag"]
    response = patch(estate, "ops", {"serial_number": "forged"}, etag)
    assert response.status_code == 422


def test_the_bureau_decides_the_mode_with_a_reason_p2(estate: Estate) -> None:
    url = f"{URL}/{estate.own_asset}/mode"
    etag = estate.get("bureau", f"{URL}/{estate.own_asset}").headers["ETag"]
    headers = {**estate.headers("bureau"), "If-Match": etag}
    decided = estate.client.post(
        url, headers=headers, json={"mode": "hosted", "reason": "机房整合"}
    )
    assert decided.status_code == 200
    assert decided.json()["mode"] == "hosted"
    stale = estate.client.post(url, headers=headers, json={"mode": "cloud", "reason": "改"})
    assert stale.status_code == 412
    with session_scope(estate.engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "mode.transition")).one()
        assert (event.actor, event.reason) == ("user:bureau", "机房整合")


def test_a_classified_asset_cannot_be_given_a_mode_p1(estate: Estate) -> None:
    with session_scope(estate.engine) as session:
        secret = factories.asset(
            session,
            Actor("user:fixture"),
            name="classified",
            department_code="D1",
            device_class=DeviceClass.SERVER,
            is_classified=True,
        )
        uid, version = secret.uid, secret.version
    response = estate.client.post(
        f"{URL}/{uid}/mode",
        headers={**estate.headers("bureau"), "If-Match": f'"asset-{uid}-v{version}"'},
        json={"mode": "cloud", "reason": "try"},
    )
    assert response.status_code == 409
    assert "P1" in response.json()["detail"]


def test_history_is_a_nested_route_of_the_asset(estate: Estate) -> None:
    history = estate.get("finance", f"{URL}/{estate.own_asset}/history").json()
    assert history[0]["action"] == "asset.create"


def test_department_nested_lists_and_staff_assets(estate: Estate) -> None:
    nested = estate.get("department", "/api/v1/departments/D1/assets").json()
    assert sorted(names(nested)) == ["d1-db-01", "d1-web-01"]
    maintained = estate.get("department", f"/api/v1/staff/{estate.own_staff}/assets").json()
    assert names(maintained) == ["d1-web-01"]
