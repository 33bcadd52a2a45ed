"""The pages: login first, the overview with charts, filters, detail, edits, reviews, languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from inventory.db.engine import session_scope
from inventory.domain.choices import ReviewKind, ScanKind, ScanStatus
from inventory.models import Asset, AuditEvent, ReviewItem, Scan
from inventory.services import records
from inventory.services.context import Actor
from inventory.settings import load_settings
from tests.api.conftest import Estate


def test_every_page_asks_for_a_login_first(estate: Estate) -> None:
    for path in ("/", "/assets", f"/assets/{estate.own_asset}", "/scans", "/reviews"):
        response = estate.client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_an_api_token_does_not_open_the_pages(estate: Estate) -> None:
    # Pages need the session cookie and its CSRF token; a bearer token is for scripts.
    response = estate.client.get("/", headers=estate.headers("ops"), follow_redirects=False)
    assert response.status_code == 303


def test_the_overview_counts_and_charts_the_estate(estate: Estate) -> None:
    estate.login("bureau")
    page = estate.client.get("/", params={"lang": "en"}).text
    assert re.search(r'id="total">3<', page)
    for chart in ("chart-mode", "chart-class", "chart-status", "chart-department"):
        assert f'id="{chart}"' in page
    assert "<svg" in page
    assert "Department rooms emptied" in page
    assert "First Bureau" in page  # departments by their English names
    assert "一局" not in page


def test_a_department_user_sees_only_their_department_in_the_overview(estate: Estate) -> None:
    estate.login("department")
    page = estate.client.get("/").text
    assert re.search(r'id="total">2<', page)
    assert "二局" not in page
    assert "已腾空小机房" not in page  # estate-wide figures are not theirs to see


def test_pages_speak_chinese_by_default_and_english_when_asked(estate: Estate) -> None:
    estate.login("ops")
    chinese = estate.client.get("/assets").text
    assert "资产" in chinese
    assert 'lang="zh-CN"' in chinese
    english = estate.client.get("/assets", params={"lang": "en"})
    assert 'lang="en"' in english.text
    assert "Device class" in english.text
    assert "lang=en" in english.headers["set-cookie"]
    assert 'lang="en"' in estate.client.get("/assets").text  # remembered


def test_the_asset_list_filters_and_pages(estate: Estate) -> None:
    estate.login("ops")
    filtered = estate.client.get("/assets", params={"mode": "cloud"}).text
    assert "d1-db-01" in filtered
    assert "d1-web-01" not in filtered
    assert re.search(r'id="result-count">1<', filtered)
    assert "<th>资产编号</th>" in filtered  # the asset tag, as the ledger knows it
    assert "<th>状态</th>" in filtered
    searched = estate.client.get("/assets", params={"q": "secret", "department": "D2"}).text
    assert "d2-secret-app" in searched
    assert estate.client.get("/assets", params={"mode": "nonsense"}).status_code == 400


def test_the_asset_page_shows_evidence_addresses_and_history(estate: Estate) -> None:
    estate.login("finance")
    page = estate.client.get(f"/assets/{estate.own_asset}").text
    assert "10.1.0.5" in page
    assert "SN-" in page
    assert "asset.create" in page
    assert 'id="edit-form"' not in page  # finance reads, never edits
    assert estate.client.get(f"/assets/{estate.other_asset}").status_code == 200


def test_a_department_user_gets_not_found_for_another_departments_page(estate: Estate) -> None:
    estate.login("department")
    response = estate.client.get(f"/assets/{estate.other_asset}")
    assert response.status_code == 404
    assert "d2-secret-app" not in response.text
    assert estate.client.get("/scans").status_code == 403


def test_a_ledger_edit_from_a_stale_page_is_refused_and_loses_nothing(estate: Estate) -> None:
    estate.login("department")
    token = estate.form_token(f"/assets/{estate.own_asset}")
    saved = estate.client.post(
        f"/assets/{estate.own_asset}",
        data={"csrf_token": token, "version": "1", "location": "三楼机房", "purpose": "门户"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    stale = estate.client.post(
        f"/assets/{estate.own_asset}",
        data={"csrf_token": token, "version": "1", "location": "覆盖", "purpose": ""},
    )
    assert stale.status_code == 409
    assert "该资产已被他人修改" in stale.text
    with session_scope(estate.engine) as session:
        asset = session.exec(select(Asset).where(Asset.uid == estate.own_asset)).one()
        assert (asset.location, asset.purpose, asset.version) == ("三楼机房", "门户", 2)


def test_a_form_without_the_csrf_token_changes_nothing(estate: Estate) -> None:
    estate.login("ops")
    forged = estate.client.post(
        f"/assets/{estate.own_asset}",
        data={"csrf_token": "forged", "version": "1", "location": "x"},
    )
    assert forged.status_code == 403
    with session_scope(estate.engine) as session:
        asset = session.exec(select(Asset).where(Asset.uid == estate.own_asset)).one()
        assert asset.version == 1


def test_ops_resolve_a_review_item_from_the_queue(estate: Estate) -> None:
    with session_scope(estate.engine) as session:
        asset = session.exec(select(Asset).where(Asset.uid == estate.own_asset)).one()
        item = records.create(
            session,
            Actor("scan:test"),
            ReviewItem(
                kind=ReviewKind.ZOMBIE_ASSET,
                asset_id=asset.id,
                reason="disposed asset answered at 10.1.0.5",
            ),
        )
        item_id = item.id
    estate.login("ops")
    queue = estate.client.get("/reviews").text
    assert "disposed asset answered" in queue
    assert "僵尸资产" in queue  # the kind by its Chinese label, not zombie_asset
    assert "zombie_asset" not in queue
    token = estate.form_token("/reviews")
    done = estate.client.post(
        f"/reviews/{item_id}",
        data={"csrf_token": token, "action": "dismiss", "reason": "重新启用"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "disposed asset answered" not in estate.client.get("/reviews").text
    assert (
        estate.get("ops", "/api/v1/reviews", params={"status": "dismissed"})
        .json()[0]["resolution"]
        .startswith("dismiss")
    )


def test_the_scan_form_reports_a_bad_target_clearly(estate: Estate) -> None:
    estate.client.post(
        "/api/v1/credentials",
        headers=estate.headers("ops"),
        json={"name": "lab", "kind": "snmp_v2c", "secret": {"community": "c"}},
    )
    estate.login("ops")
    token = estate.form_token("/scans")
    response = estate.client.post(
        "/scans", data={"csrf_token": token, "targets": "10.0.0.999", "profiles": "lab"}
    )
    assert response.status_code == 422
    assert "10.0.0.999" in response.text


def test_pages_forbid_scripts_and_framing(estate: Estate) -> None:
    estate.login("ops")
    policy = estate.client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


def test_every_page_number_is_bounded_like_the_api(estate: Estate) -> None:
    """Hole 4: a huge page= overflowed the offset into a 500."""
    estate.login("bureau")
    for number in ("99999999999999999999999", "1000001", "0", "-3", "x"):
        answer = estate.client.get("/assets", params={"page": number})
        assert answer.status_code == 400, number
    assert estate.client.get("/assets", params={"page": "1000000"}).status_code == 200
    for name, longest in (("q", 128), ("vendor", 64), ("department", 32)):
        assert estate.client.get("/assets", params={name: "x" * (longest + 1)}).status_code == 400
        assert estate.client.get("/assets", params={name: "x" * longest}).status_code == 200


def test_cookies_are_secure_when_configured_or_over_https(
    engine: sa.Engine, tmp_path: Path
) -> None:
    settings = load_settings(data_dir=tmp_path / "d", secure_cookies=True)
    with TestClient(create_app(settings, engine)) as client:
        assert "Secure" in client.get("/login").headers["set-cookie"]
    plain = load_settings(data_dir=tmp_path / "d")
    with TestClient(create_app(plain, engine)) as client:
        assert "Secure" not in client.get("/login").headers["set-cookie"]


def test_behind_a_trusted_proxy_the_scheme_and_address_are_the_clients(
    estate: Estate, engine: sa.Engine, tmp_path: Path
) -> None:
    """nginx terminates TLS and forwards X-Forwarded-Proto/-For; only it is believed."""
    settings = load_settings(data_dir=tmp_path / "d", forwarded_allow_ips=["127.0.0.1"])
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.23"}
    app = create_app(settings, engine)
    with TestClient(app, client=("127.0.0.1", 40000)) as via_proxy:
        assert "Secure" in via_proxy.get("/login", headers=forwarded).headers["set-cookie"]
        form = via_proxy.get("/login", headers=forwarded).text
        csrf = re.search(r'name="login_csrf" value="([^"]+)"', form)
        assert csrf is not None
        via_proxy.post(  # httpx keeps a Secure cookie from plain http: send it by hand
            "/login",
            headers={**forwarded, "Cookie": f"login_csrf={csrf.group(1)}"},
            data={"username": "ops", "password": "wrong", "login_csrf": csrf.group(1)},
        )
    with TestClient(app, client=("192.0.2.50", 40000)) as direct:  # not the proxy: ignored
        assert "Secure" not in direct.get("/login", headers=forwarded).headers["set-cookie"]
    with session_scope(engine) as session:
        reasons = session.exec(select(AuditEvent.reason).where(AuditEvent.actor == "user:ops"))
        assert "wrong password (198.51.100.23)" in reasons.all()


def test_the_api_docs_come_from_the_package_behind_login_with_the_pages_csp(
    estate: Estate,
) -> None:
    """Hole 4: /api/v1/docs loaded its scripts from a public CDN a government network lacks."""
    assert estate.client.get("/api/v1/docs", follow_redirects=False).status_code == 303
    estate.login("finance")
    docs = estate.client.get("/api/v1/docs")
    assert docs.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert sources
    assert all(s.startswith("/") and not s.startswith("//") for s in sources)
    assert "<script>" not in docs.text  # no inline script: the CSP would refuse it
    policy = docs.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    for source in sources:
        assert estate.client.get(source).status_code == 200, source


def test_scans_show_kind_status_and_times_in_chinese_and_local_time(estate: Estate) -> None:
    started = datetime(2026, 3, 1, 2, 30, 15, tzinfo=UTC)  # 10:30:15 in Asia/Shanghai
    with session_scope(estate.engine) as session:
        scan = Scan(
            kind=ScanKind.SNMP,
            status=ScanStatus.SUCCEEDED,
            requested_by="user:ops",
            targets=["10.1.0.0/30"],
            options={},
            target_errors={},
            started_at=started,
            finished_at=started,
        )
        uid = records.create(session, Actor("user:ops"), scan).uid
    estate.login("ops")
    listing = estate.client.get("/scans").text
    assert "SNMP 扫描" in listing
    assert "已完成" in listing
    assert "2026-03-01 10:30:15" in listing
    assert "succeeded" not in listing
    detail = estate.client.get(f"/scans/{uid}").text
    assert '<dd id="scan-status">已完成</dd>' in detail
    assert "2026-03-01 10:30:15" in detail
