"""Server facts from the fact script, on recorded and faithfully built servers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from collectors.ssh.parse import parse
from collectors.ssh.script import MARKER, SECTIONS, script, sections

DATA = Path(__file__).parents[2] / "data" / "ssh"
SEEN = datetime(2026, 11, 22, tzinfo=UTC)


def facts(name: str) -> object:
    return parse((DATA / name).read_text(), "10.0.0.1", "ops-key", SEEN)


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (
            "centos7-dell.out",
            {
                "name": "rsj-db-01",
                "os_name": "CentOS Linux",
                "os_version": "7",
                "vendor": "Dell Inc.",
                "model": "PowerEdge R740",
                "serial_number": "3F2CC07",
                "system_uuid": "4c4c4544-0046-3210-8043-b3c04f324337",
                "cpu_count": 4,
                "memory_mb": 128645,
                "disk_total_gb": 4283,
                "is_virtual": False,
                "device_class": "server",
                "addresses": ["10.23.0.21"],
                "macs": ["a4:bb:6d:12:34:56", "a4:bb:6d:12:34:57"],
                "listening_ports": [22, 3306],
            },
        ),
        (
            "kylin-v10-huawei.out",
            {
                "os_name": "Kylin Linux Advanced Server",
                "os_version": "V10",
                "vendor": "Huawei",
                "serial_number": "2102312PNK10L8000456",
                "cpu_model": "HiSilicon Kunpeng-920",
                "system_uuid": "78639069-1658-4fdf-9775-418d49c266c2",
                "logged_in_users": 2,
            },
        ),
        (
            "uos20-vm.out",
            {
                "os_name": "UnionTech OS Server 20",
                "os_version": "20",
                "is_virtual": True,
                "hypervisor": "KVM",
                "device_class": "virtual_machine",
                "serial_number": None,
                "machine_id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            },
        ),
        (
            "ubuntu2204-vmware.out",
            {
                "os_name": "Ubuntu",
                "os_version": "22.04",
                "is_virtual": True,
                "hypervisor": "VMware",
                "device_class": "virtual_machine",
                "name": "jyj-oa-01",
            },
        ),
        (
            "debian12-vm.out",  # recorded on this project's own build machine
            {
                "os_name": "Debian GNU/Linux",
                "os_version": "12",
                "cpu_count": 2,
                "machine_id": "3d1219c7c4c5404aaa1f6d2a48adfda4",
                "addresses": ["192.0.2.2", "fd00::2"],
            },
        ),
    ],
)
def test_recorded_servers(sample: str, expected: dict[str, object]) -> None:
    observation = facts(sample)
    assert {k: getattr(observation, k) for k in expected} == expected
    assert observation.value_errors == ERRORS.get(sample, [])  # type: ignore[attr-defined]


NO_SUDO = "dmidecode not permitted (the login is not root and the profile allows no sudo)"
ERRORS = {
    # QEMU: vendor and model readable by anyone, serial and UUID root-only.
    "uos20-vm.out": [
        "serial and UUID: /sys/class/dmi/id/product_serial, product_uuid readable by root "
        f"only, and {NO_SUDO}"
    ],
    # This project's build machine (Firecracker) has no SMBIOS at all; so had the
    # VMware sample's login no /sys/class/dmi.
    "debian12-vm.out": [f"no SMBIOS: /sys/class/dmi/id absent and {NO_SUDO}"],
    "ubuntu2204-vmware.out": [f"no SMBIOS: /sys/class/dmi/id absent and {NO_SUDO}"],
}


def test_the_script_is_constant_and_sudo_only_when_allowed() -> None:
    assert script() == script()
    assert "sudo" not in script(allow_sudo=False)
    assert "sudo -n dmidecode" in script(allow_sudo=True)
    # Nothing to fill in: no format field anywhere (shell's ${x##*/} and { …; } are not).
    assert not any(re.search(r"\{[A-Za-z_0-9]*\}", command) for _name, command in SECTIONS)
    assert "dmidecode" in script(allow_sudo=False)  # for a root login, never through sudo


def test_sections_survive_missing_and_hostile_output() -> None:
    text = f"{MARKER}hostname\n<script>alert(1)</script>\n{MARKER}meminfo\nMemTotal: lots kB\n"
    observation = parse(text + f"{MARKER}uptime\nnot-a-number\n", "10.0.0.1", "k", SEEN)
    assert observation.name == "<script>alert(1)</script>"  # kept as data; pages escape it
    assert observation.memory_mb is None
    assert observation.os_name is None
    assert "uptime: not a number" in observation.value_errors
    assert sections("no markers at all") == {}


def test_disks_with_model_and_serial_and_filesystems_with_usage() -> None:
    from collectors.observation import Disk, Filesystem

    observation = facts("centos7-dell.out")
    assert observation.disks == [  # type: ignore[attr-defined]
        Disk("sda", 558, "PERC H730P Mini", "6d0946600a1b2c00262e1f3a0d0e1c2b"),
        Disk("sdb", 3725, "PERC H730P Mini", "6d0946600a1b2c00262e1f3a0d0e1c3c"),
    ]  # the DVD drive (TYPE rom) is not a disk
    assert Filesystem("/data", 3724.2, 31.6) in observation.filesystems  # type: ignore[attr-defined]
