"""The scan page and API show value errors, and a device's text in them stays text."""

from __future__ import annotations

from datetime import UTC, datetime

from collectors.observation import TargetResult
from collectors.ssh.parse import parse
from collectors.targets import Target
from inventory.db.engine import session_scope
from inventory.domain.choices import ScanKind, ScanStatus
from inventory.services import discovery
from inventory.services.context import Actor
from tests.api.conftest import Estate

HOSTILE_DISK = 'NAME="<svg onload=alert(1)>'  # an unbalanced quote: an unreadable line


def test_value_errors_are_listed_on_the_scan_page_and_escaped(estate: Estate) -> None:
    report = f"@@inventory:disks\n{HOSTILE_DISK}\n@@inventory:dmi\n!absent /sys/class/dmi/id\n"
    observation = parse(report, "10.9.0.7", "ops-key", datetime.now(UTC))
    with session_scope(estate.engine) as session:
        scan = discovery.start_scan(session, Actor("user:ops"), ScanKind.SSH, ["x"], ["k"], {})
        outcome = discovery.merge_results(
            session, scan, [TargetResult(Target("10.9.0.7", 22), observation, responded=True)]
        )
        discovery.finish_scan(session, scan.id, outcome, ScanStatus.SUCCEEDED)
        uid = scan.uid
    answer = estate.get("ops", f"/api/v1/scans/{uid}").json()
    errors = answer["value_errors"]["10.9.0.7:22"]
    assert any(e.startswith("no SMBIOS: /sys/class/dmi/id absent") for e in errors)
    assert any(HOSTILE_DISK[:20] in e for e in errors)  # plain data in the API
    estate.login("ops")
    page = estate.client.get(f"/scans/{uid}").text
    assert "no SMBIOS: /sys/class/dmi/id absent" in page
    assert "<svg onload" not in page
    assert "&lt;svg onload=alert(1)&gt;" in page
