"""Value errors reach the scan record, the JSON and the CLI: never silence (issue 19)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from collectors.observation import TargetResult
from collectors.ssh.parse import parse
from collectors.targets import Target
from inventory.domain.choices import ScanKind, ScanStatus
from inventory.services import discovery
from inventory.services.context import Actor

DATA = Path(__file__).parents[1] / "data" / "ssh"
SEEN = datetime(2026, 11, 22, tzinfo=UTC)


def ssh_result(address: str, sample: str) -> TargetResult:
    observation = parse((DATA / sample).read_text(), address, "ops-key", SEEN)
    return TargetResult(Target(address, 22), observation, responded=True)


def test_a_host_without_smbios_is_recorded_with_why_and_not_as_a_failure(
    session: Session, actor: Actor
) -> None:
    scan = discovery.start_scan(session, actor, ScanKind.SSH, ["10.0.0.0/24"], ["ops-key"], {})
    outcome = discovery.merge_results(
        session,
        scan,
        [
            ssh_result("10.0.0.5", "debian12-vm.out"),  # no SMBIOS (Firecracker)
            ssh_result("10.0.0.6", "kylin-v10-huawei.out"),  # everything readable
        ],
    )
    finished = discovery.finish_scan(session, scan.id, outcome, ScanStatus.SUCCEEDED)
    assert finished.value_errors == {
        "10.0.0.5:22": [
            "no SMBIOS: /sys/class/dmi/id absent and dmidecode not permitted "
            "(the login is not root and the profile allows no sudo)"
        ]
    }
    assert finished.target_errors == {}  # it answered: no back-off for a missing SMBIOS
    assert outcome.as_dict()["value_errors"] == finished.value_errors
    assert outcome.counts["created"] == 2
