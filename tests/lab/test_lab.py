"""The lab estate: the same devices every time, each agent answering as itself."""

from __future__ import annotations

import asyncio
import collections
from pathlib import Path

import pytest

from collectors.credentials import SnmpCredential, SnmpVersion
from collectors.observation import TargetResult
from collectors.snmp.collect import SweepOptions, sweep
from collectors.targets import Exclusions, expand, parse_targets
from inventory.lab.estate import (
    LAB_COMMUNITY,
    UNREGISTERED,
    SnmpLab,
    classified_networks,
    lab_devices,
    scan_targets,
)
from inventory.lab.templates import TEMPLATES, render


def test_the_lab_is_deterministic_and_covers_many_kinds() -> None:
    devices = lab_devices()
    assert [d.address for d in devices] == [d.address for d in lab_devices()]
    assert len({d.address for d in devices}) == len(devices)
    kinds = collections.Counter(d.template for d in devices)
    assert {"recorded:netsnmp", "recorded:snmpsim-linux"} <= set(kinds)
    assert len(kinds) >= 12
    assert sum(1 for d in devices if d.location.startswith("未登记")) == len(UNREGISTERED)


def test_recordings_are_in_oid_order_and_one_record_per_line() -> None:
    for device in lab_devices():
        if device.template not in TEMPLATES:
            continue  # served from a recording
        text = render(TEMPLATES[device.template](device))
        oids = [tuple(int(p) for p in line.split("|")[0].split(".")) for line in text.splitlines()]
        assert oids == sorted(oids)
        assert all(line.count("|") >= 2 for line in text.splitlines())


def test_the_secrets_bureau_has_its_own_network_to_exclude() -> None:
    assert classified_networks() == ["127.33.0.0/24"]
    assert all(t.endswith(":1161") for t in scan_targets(lab_devices()))


@pytest.mark.integration
def test_each_endpoint_answers_with_its_own_device_and_a_delayed_one_costs_a_timeout(
    tmp_path: Path,
) -> None:
    devices = lab_devices()[:4]
    slow, failing = devices[2], devices[3]
    # snmpsim's variations: one agent answers sysName after 3 s, one answers genErr.
    slow.extra = {"1.3.6.1.2.1.1.5.0": ("4:delay", f"value={slow.name},wait=3000")}
    failing.extra = {"1.3.6.1.2.1.1.5.0": ("4:error", "op=get,status=genError")}
    results: dict[str, TargetResult] = {}
    with SnmpLab(devices, port=11161, workdir=tmp_path):
        specs = parse_targets([f"{d.address}:11161" for d in devices])
        asyncio.run(
            sweep(
                expand(specs, Exclusions()),
                [SnmpCredential("lab", SnmpVersion.V2C, community=LAB_COMMUNITY)],
                SweepOptions(timeout=0.5, retries=1),
                lambda r: results.__setitem__(r.target.address, r),
            )
        )
    for device in devices[:2]:
        observation = results[device.address].observation
        assert observation is not None
        assert observation.name == device.name
    assert results[slow.address].observation is None
    assert results[slow.address].silent  # the delay cost its time-out, nothing more
    # Under pysnmp 7.1 snmpsim drops a request its error variation fails, where
    # it would answer genErr: either way the host yields nothing and costs its
    # own time-out (genErr itself is tested against a hostile agent).
    failed = results[failing.address]
    assert failed.observation is None
    assert failed.silent or "genErr" in (failed.error or "")


def test_lab_servers_answer_the_fact_script_as_the_ledger_describes_them() -> None:
    from datetime import UTC, datetime

    from collectors.ssh.parse import parse
    from inventory.lab.ssh_lab import has_smbios, render_facts

    servers = [d for d in lab_devices() if d.template == "linux" and d.serial]
    for server in servers:
        observation = parse(render_facts(server), server.address, "lab-ssh", datetime.now(UTC))
        assert (observation.os_name, observation.os_version) == (server.os_name, server.os_version)
        assert observation.macs == sorted(server.macs)
        if has_smbios(server):
            assert observation.serial_number == server.serial
            assert observation.system_uuid == server.system_uuid  # CentOS 6 sysfs turned too
            assert (observation.vendor, observation.model) == (server.vendor, server.model)
            assert observation.value_errors == []
        else:  # the demo's servers without SMBIOS say why
            assert observation.vendor is None
            assert observation.value_errors == [
                "no SMBIOS: /sys/class/dmi/id absent and dmidecode found no SMBIOS table "
                "(none in containers, some VMs, device-tree ARM boards)"
            ]
    assert any(not has_smbios(s) for s in servers)
    assert any(has_smbios(s) for s in servers)
