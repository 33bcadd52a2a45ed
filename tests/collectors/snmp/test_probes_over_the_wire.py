"""Vendor MIB probes through the real client and snmpsim: what a generic agent also serves.

A NAS or BMC built on net-snmp answers with net-snmp's sysObjectID; only its
vendor subtree says what it is. These agents run in snmpsim (the lab's
runner) on a loopback address, and the collector's own requests find them.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from collectors.credentials import SnmpCredential, SnmpVersion
from collectors.observation import TargetResult
from collectors.snmp.client import SnmpEngine
from collectors.snmp.collect import SweepOptions, collect_target
from collectors.targets import Target
from inventory.lab.estate import LAB_COMMUNITY, SnmpLab
from inventory.lab.templates import Device

PORT = 11171
CREDENTIAL = SnmpCredential("lab", SnmpVersion.V2C, community=LAB_COMMUNITY)


def linux_agent(address: str, extra: dict[str, tuple[str, str]]) -> Device:
    return Device(
        address=address,
        template="linux",
        name="nas-01",
        engine_id="80001f8805aabbccddeeff0011",
        macs=["00:11:32:aa:bb:cc"],
        extra=extra,
    )


def collect(device: Device, workdir: Path) -> TargetResult:
    async def main() -> TargetResult:
        engine = SnmpEngine()
        try:
            target = Target(device.address, PORT)
            return await collect_target(engine, target, [CREDENTIAL], SweepOptions(timeout=1))
        finally:
            engine.close()

    with SnmpLab([device], port=PORT, workdir=workdir):
        return asyncio.run(main())


def test_a_synology_behind_net_snmp_is_found_by_its_own_subtree(tmp_path: Path) -> None:
    nas = linux_agent(
        "127.61.0.10",
        {
            "1.3.6.1.4.1.6574.1.5.1.0": ("4", "DS918+"),
            "1.3.6.1.4.1.6574.1.5.2.0": ("4", "1780PDN123456"),
            "1.3.6.1.4.1.6574.1.5.3.0": ("4", "DSM 7.1.1-42962"),
        },
    )
    result = collect(nas, tmp_path)
    o = result.observation
    assert o is not None, result.error
    assert o.object_id == "1.3.6.1.4.1.8072.3.2.10"  # net-snmp's number, nothing more
    assert (o.vendor, o.device_class, o.os_name) == ("Synology", "storage", "DSM")
    assert (o.model, o.serial_number, o.os_version) == (
        "DS918+",
        "1780PDN123456",
        "DSM 7.1.1-42962",
    )


def test_a_plain_linux_agent_stays_a_server_and_its_absent_subtrees_are_no_error(
    tmp_path: Path,
) -> None:
    result = collect(linux_agent("127.61.0.11", {}), tmp_path)
    o = result.observation
    assert o is not None, result.error
    assert o.vendor is None
    assert o.device_class == "server"
    assert o.value_errors == []
