"""Parsers on recorded agents: the real snmpd, snmpsim's bundled walks, the lab's devices."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import snmpsim

from collectors.observation import Observation
from collectors.snmp.parse import parse
from collectors.snmp.snmprec import load_snmprec, replay, to_snmprec
from collectors.snmp.types import Oid
from inventory.lab.templates import TEMPLATES, Device, render

DATA = Path(__file__).parents[3] / "inventory" / "lab" / "recordings"
BUNDLED = Path(snmpsim.__file__).parent / "data" / "recorded"
SEEN = datetime(2026, 11, 22, tzinfo=UTC)


def observe(text: str, address: str = "10.1.1.1") -> Observation:
    return parse(replay(load_snmprec(text.splitlines())), address, "lab", SEEN)


def test_net_snmp_recorded_from_the_real_agent() -> None:
    o = observe((DATA / "netsnmp-5.9-debian12.snmprec").read_text())
    assert o.name == "lab-snmpd"
    assert o.location == "数据局机房 A-01"
    assert o.device_class == "server"
    assert o.os_name == "Linux"
    assert (o.snmp_engine_id or "").startswith("80001f88")
    assert (o.memory_mb or 0) > 100
    assert (o.cpu_count or 0) >= 1
    assert o.macs
    assert all(len(m) == 17 for m in o.macs)
    assert "127.0.0.1" not in o.addresses


def test_snmpsim_bundled_linux_walk() -> None:
    o = observe((BUNDLED / "linux-full-walk.snmprec").read_text())
    assert o.device_class in ("server", "virtual_machine")
    assert o.os_name == "Linux"
    assert o.interfaces


def test_snmpsim_bundled_windows_walk() -> None:
    o = observe((BUNDLED / "winxp-full-walk.snmprec").read_text())
    assert o.os_name == "Windows XP"  # build 2600, as people name it
    assert o.vendor is None  # Microsoft wrote the OS, not the machine
    assert "os_name" in o.inferred


def device(template: str, **values: object) -> Device:
    base: dict[str, object] = {
        "address": "10.1.1.10",
        "template": template,
        "name": "dev-01",
        "engine_id": "80001f8805aabbccddeeff0011",
        "macs": ["3c:4f:0e:b1:8c:a7"],
        "serial": "2102311TQN10K6000123",
        "system_uuid": "cd8d2101-5c9a-44bb-961f-60e9b6225352",
        "vendor": "Huawei",
        "model": "FusionServer 2288H V5",
    }
    return Device(**{**base, **values})


@pytest.mark.parametrize(
    ("template", "extra", "expected"),
    [
        (
            "huawei_ibmc",
            {},
            {
                "device_class": "bmc",
                "serial_number": "2102311TQN10K6000123",
                "system_uuid": "CD8D2101-5C9A-44BB-961F-60E9B6225352",
                "model": "FusionServer 2288H V5",
                "vendor": "Huawei",
            },
        ),
        (
            "dell_idrac",
            {"serial": "3F2CC07", "model": "PowerEdge R740"},
            {"device_class": "bmc", "serial_number": "3F2CC07", "model": "PowerEdge R740"},
        ),
        (
            "hpe_ilo",
            {"serial": "CN79681276", "model": "ProLiant DL380 Gen10"},
            {"device_class": "bmc", "serial_number": "CN79681276", "vendor": "HPE"},
        ),
        (
            "h3c_switch",
            {"model": "S5560X-54C-EI", "vendor": "H3C"},
            {"device_class": "switch", "model": "S5560X-54C-EI", "os_name": "Comware"},
        ),
        (
            "cisco_switch",
            {"model": "WS-C2960X-48TS-L", "vendor": "Cisco"},
            {"device_class": "switch", "model": "WS-C2960X-48TS-L", "vendor": "Cisco"},
        ),
        (
            "vmware_esxi",
            {"vendor": "Dell Inc.", "model": "PowerEdge R740xd"},
            {
                "device_class": "hypervisor",
                "os_name": "VMware ESXi",
                "os_version": "7.0.3",
                "vendor": "Dell",  # ENTITY-MIB says "Dell Inc.": one spelling per maker
                "memory_mb": 32768,
            },
        ),
        (
            "linux",
            {
                "os_name": "Kylin Linux Advanced Server",
                "virtual": True,
                "macs": ["00:50:56:aa:bb:cc"],
            },
            {
                "device_class": "virtual_machine",
                "os_name": "Kylin",
                "is_virtual": True,
                "hypervisor": "VMware",
                "cpu_count": 8,
                "disk_total_gb": 1200,
            },
        ),
        (
            "windows",
            {},
            {
                "device_class": "server",
                "os_name": "Windows Server 2019",
                "vendor": None,
                "is_virtual": False,
            },
        ),
        (
            "apc_ups",
            {"vendor": "APC", "model": "Smart-UPS SRT 10000"},
            {"device_class": "ups", "model": "Smart-UPS SRT 10000"},
        ),
    ],
)
def test_lab_devices_parse_to_what_they_are(
    template: str, extra: dict[str, object], expected: dict[str, object]
) -> None:
    o = observe(render(TEMPLATES[template](device(template, **extra))))
    assert {k: getattr(o, k) for k in expected} == expected


def test_a_recording_round_trips() -> None:
    values = load_snmprec((DATA / "netsnmp-5.9-debian12.snmprec").read_text().splitlines())
    assert load_snmprec(to_snmprec(values).splitlines()) == values


def test_hostile_values_become_per_value_problems_and_the_rest_is_kept() -> None:
    text = render(TEMPLATES["huawei_ibmc"](device("huawei_ibmc")))
    broken = text.replace("1.3.6.1.6.3.10.2.1.1.0|4x|", "1.3.6.1.6.3.10.2.1.1.0|2|7\n#").replace(
        "1.3.6.1.2.1.1.5.0|4|dev-01", "1.3.6.1.2.1.1.5.0|4x|ff00fe1b"
    )
    o = observe(broken)
    assert o.snmp_engine_id is None
    assert any("snmpEngineID" in e for e in o.value_errors)
    assert o.name == "0xff00fe1b"  # binary name shown as hex, never raw
    assert o.serial_number == "2102311TQN10K6000123"


def test_sysobjectid_as_a_string_still_fingerprints() -> None:
    text = render(TEMPLATES["h3c_switch"](device("h3c_switch", model="S5560X-54C-EI")))
    text = text.replace("1.3.6.1.2.1.1.2.0|6|", "1.3.6.1.2.1.1.2.0|4|")
    o = observe(text)
    assert o.vendor == "H3C"
    assert o.object_id == str(Oid.parse("1.3.6.1.4.1.25506.11.1.239"))


def test_an_mge_agent_is_read_through_eatons_ups_mib() -> None:
    # snmpsim's recording of an Eaton 9PX: sysObjectID under MGE's 705, model in XUPS-MIB (534).
    o = observe((BUNDLED / "eaton-9PX-partial-walk.snmprec").read_text())
    assert (o.vendor, o.device_class, o.model) == ("Eaton", "ups", "Eaton 9PX 2200i RT 3U")
