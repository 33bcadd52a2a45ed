"""Every string a device sends is escaped everywhere: pages, exports and API answers.

A real snmpd answers with <script> in sysName and <img onerror> in sysDescr;
an SSH fact report names its host "><svg onload=...>, another one a formula.
They arrive by the real paths (an API-started scan; the SSH parser and merge)
and are then looked for, raw, in every page, export and API answer.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlmodel import select

from collectors.observation import TargetResult
from collectors.ssh.parse import parse
from collectors.targets import Target
from inventory.db.engine import session_scope
from inventory.domain.choices import ScanKind
from inventory.models import Asset
from inventory.services import discovery
from inventory.services.context import Actor
from tests.agents import COMMUNITY, RealSnmpd
from tests.api.conftest import Estate

pytestmark = pytest.mark.integration

SYS_NAME = '<script>alert("sysName")</script>'
SYS_DESCR = 'Linux lab 6.1 <img src=x onerror=alert("sysDescr")>'
HOSTNAME = '"><svg onload=alert("hostname")>'
FORMULA = '=HYPERLINK("http://evil.example/","open me")'
PLANTED = (SYS_NAME, SYS_DESCR, HOSTNAME)
RAW_MARKUP = ("<script>alert", "<img src=x", "<svg onload")


@pytest.fixture
def hostile_snmpd(tmp_path: Path) -> Any:
    from tests.conftest import _require_net_snmp

    _require_net_snmp()
    agent = RealSnmpd(tmp_path, sys_name=SYS_NAME, sys_descr=SYS_DESCR).start()
    yield agent
    agent.stop()


def ssh_observation(hostname: str, address: str, machine_id: str) -> TargetResult:
    """A fact report of our script (only two sections), through the real parser."""
    report = f"@@inventory:hostname\n{hostname}\n@@inventory:machine_id\n{machine_id}\n"
    observation = parse(report, address, "ops-key", datetime.now(UTC))
    assert observation.name == hostname
    return TargetResult(Target(address, 22), observation, responded=True)


def plant(estate: Estate, snmpd: Any) -> None:
    ops = estate.headers("ops")
    created = estate.client.post(
        "/api/v1/credentials",
        headers=ops,
        json={"name": "lab", "kind": "snmp_v2c", "secret": {"community": COMMUNITY}},
    )
    assert created.status_code == 201, created.text
    started = estate.client.post(
        "/api/v1/scans",
        headers=ops,
        json={"targets": [f"127.0.0.1:{snmpd.port}"], "profiles": ["lab"], "timeout": 1},
    )
    assert started.status_code == 202, started.text
    uid = started.json()["uid"]
    estate.client.app.state.services.scans.wait(uid, timeout=60)  # type: ignore[attr-defined]
    scan = estate.get("ops", started.headers["Location"]).json()
    assert (scan["status"], scan["created"]) == ("succeeded", 1), scan
    with session_scope(estate.engine) as session:
        record = discovery.start_scan(session, Actor("user:ops"), ScanKind.SSH, ["x"], ["k"], {})
        discovery.merge_results(
            session,
            record,
            [
                ssh_observation(HOSTNAME, "10.9.0.1", "1" * 32),
                ssh_observation(FORMULA, "10.9.0.2", "2" * 32),
            ],
        )
        names = set(session.exec(select(Asset.name)).all())
        descriptions = set(session.exec(select(Asset.description)).all())
    assert {SYS_NAME, HOSTNAME, FORMULA} <= names
    assert SYS_DESCR in descriptions


def assert_escaped(html: str, where: str) -> None:
    for raw in RAW_MARKUP:
        assert raw not in html, f"{raw!r} unescaped in {where}"


def test_device_strings_are_escaped_in_every_page(estate: Estate, hostile_snmpd: Any) -> None:
    plant(estate, hostile_snmpd)
    estate.login("ops")
    listing = estate.client.get("/assets", params={"per_page": 500})
    assert_escaped(listing.text, "/assets")
    assert "&lt;script&gt;alert(&#34;sysName&#34;)&lt;/script&gt;" in listing.text
    assert "script-src 'none'" in listing.headers["Content-Security-Policy"]
    with session_scope(estate.engine) as session:
        uids = session.exec(select(Asset.uid).where(Asset.name.in_(PLANTED))).all()
    assert len(uids) == 2
    for uid in uids:
        page = estate.client.get(f"/assets/{uid}")
        assert page.status_code == 200
        assert_escaped(page.text, f"/assets/{uid}")
    detail = "".join(estate.client.get(f"/assets/{uid}").text for uid in uids)
    assert "&lt;img src=x onerror=alert(&#34;sysDescr&#34;)&gt;" in detail
    assert "&#34;&gt;&lt;svg onload=alert(&#34;hostname&#34;)&gt;" in detail
    for path in ("/", "/scans", "/reviews", "/assets?q=%3Cscript%3E"):
        assert_escaped(estate.client.get(path).text, path)
    scan_uid = estate.get("ops", "/api/v1/scans").json()[0]["uid"]
    assert_escaped(estate.client.get(f"/scans/{scan_uid}").text, "/scans/{uid}")
    # The search box echoes what was typed, escaped too.
    echoed = estate.client.get("/assets", params={"q": '"><script>alert(1)</script>'})
    assert_escaped(echoed.text, "the search box")


def test_device_strings_are_plain_data_in_api_answers(estate: Estate, hostile_snmpd: Any) -> None:
    plant(estate, hostile_snmpd)
    response = estate.get("ops", "/api/v1/assets", params={"per_page": 500})
    assert response.headers["content-type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    names = {item["name"] for item in response.json()["items"]}
    assert {SYS_NAME, HOSTNAME, FORMULA} <= names  # exactly as sent: no double escaping
    uid = next(i["uid"] for i in response.json()["items"] if i["name"] == SYS_NAME)
    detail = estate.get("ops", f"/api/v1/assets/{uid}")
    assert detail.json()["description"] == SYS_DESCR
    assert detail.headers["X-Content-Type-Options"] == "nosniff"


def test_device_strings_cannot_become_formulas_in_exports(
    estate: Estate, hostile_snmpd: Any
) -> None:
    plant(estate, hostile_snmpd)
    xlsx = estate.get("ops", "/api/v1/assets/export", params={"format": "xlsx"})
    assert xlsx.headers["content-disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells)  # no cell is a formula
    values = {str(c.value) for c in cells}
    assert SYS_NAME in values
    assert FORMULA not in values  # it is there, neutralised with a leading quote
    assert any(v.endswith(FORMULA) and v != FORMULA for v in values)
    text = estate.get("ops", "/api/v1/assets/export", params={"format": "csv"}).text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    flat = {cell for row in rows for cell in row}
    assert SYS_NAME in flat
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in flat if "HYPERLINK" in cell)
