"""Hardware facts without privilege: SMBIOS from sysfs, dmidecode for root or sudo.

Every server whose firmware exposes vendor and model gets them; every one that
does not carries a value error saying why (issue 19, item 2).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from collectors.observation import Disk, Observation
from collectors.ssh import hardware
from collectors.ssh.parse import parse
from collectors.ssh.script import MARKER

DATA = Path(__file__).parents[2] / "data" / "ssh"
SEEN = datetime(2026, 11, 22, tzinfo=UTC)


def facts(name: str) -> Observation:
    return parse((DATA / name).read_text(), "10.0.0.1", "ops-key", SEEN)


def smbios(
    dmi: str, dmidecode: str = "!reader none", kernel: str = "5.10.0-28-amd64"
) -> Observation:
    observation = Observation("10.0.0.1", "ssh", "ops", SEEN)
    hardware.apply(observation, dmi, dmidecode, kernel)
    return observation


def test_case_04_centos6_old_lsblk_is_an_error_not_silence() -> None:
    """The field case verbatim: the old script's disk section came back empty."""
    observation = facts("cases/04-centos6-ssh.out")
    assert (observation.os_name, observation.os_version) == ("CentOS", "6.10")
    assert (observation.vendor, observation.model) == ("Dell Inc.", "PowerEdge R720")
    assert observation.disks == []
    assert "disks: none listed (lsblk printed no disk and /sys/block has none)" in (
        observation.value_errors
    )


def test_centos6_disks_from_sysfs_when_lsblk_has_no_serial_column() -> None:
    """The same server with today's script: /sys/block lists sda; the DVD is no disk."""
    observation = facts("centos6-r720-ssh.out")
    assert observation.disks == [Disk("sda", 558, "PERC H710P", None)]
    assert observation.disk_total_gb == 558
    assert observation.firmware == "Dell Inc. 2.9.0"
    assert observation.device_class == "server"  # chassis type 23: rack mount
    assert observation.smbios["board_name"] == "0X3D66"
    assert observation.value_errors == [
        "serial and UUID: /sys/class/dmi/id/product_serial, product_uuid readable by root "
        "only, and dmidecode not permitted (the login is not root and the profile allows no sudo)"
    ]


def test_multipath_lun_counted_once_by_map_serial_or_wwn() -> None:
    observation = facts("centos7-multipath-ssh.out")
    assert [d.name for d in observation.disks] == ["sda", "mydev1"]
    assert observation.disk_total_gb == 558 + 512  # not 558 + 4 x 512
    # Without the sysfs map (a login that cannot see /sys/block), the WWN alone decides.
    text = (DATA / "centos7-multipath-ssh.out").read_text()
    cut = text[text.index(f"{MARKER}block") : text.index(f"{MARKER}filesystems")]
    alone = parse(text.replace(cut, ""), "10.0.0.1", "ops", SEEN)
    assert [d.name for d in alone.disks] == ["sda", "sdb"]
    assert alone.disk_total_gb == 558 + 512


def test_no_smbios_says_why_for_each_reader() -> None:
    none = smbios("!absent /sys/class/dmi/id")
    assert none.value_errors == [
        "no SMBIOS: /sys/class/dmi/id absent and dmidecode not permitted "
        "(the login is not root and the profile allows no sudo)"
    ]
    container = smbios(
        "!absent /sys/class/dmi/id",
        "!reader root\n# dmidecode 3.4\n# No SMBIOS nor DMI entry point found, sorry.",
    )
    assert container.value_errors == [
        "no SMBIOS: /sys/class/dmi/id absent and dmidecode found no SMBIOS table "
        "(none in containers, some VMs, device-tree ARM boards)"
    ]
    refused = smbios(
        "!absent /sys/class/dmi/id", "!reader sudo\n!error sudo: a password is required"
    )
    assert refused.value_errors == [
        "no SMBIOS: /sys/class/dmi/id absent and dmidecode via sudo failed: "
        "sudo: a password is required"
    ]
    assert (none.vendor, none.model, none.serial_number, none.system_uuid) == (None,) * 4


def test_without_privilege_vendor_and_model_come_from_sysfs() -> None:
    observation = smbios(
        "sys_vendor=Huawei\nproduct_name=TaiShan 200 (Model 2280)\nproduct_version=V100R005\n"
        "!unreadable product_serial\n!unreadable product_uuid\nchassis_type=23"
    )
    assert (observation.vendor, observation.model) == ("Huawei", "TaiShan 200 (Model 2280)")
    assert observation.serial_number is None
    assert observation.value_errors[0].startswith("serial and UUID: /sys/class/dmi/id/")


def test_root_runs_dmidecode_and_the_uuid_carries_its_provenance() -> None:
    decoded = (DATA / "dmidecode" / "vmware-smbios24.txt").read_text()
    observation = smbios(
        "sys_vendor=VMware, Inc.\nproduct_name=VMware Virtual Platform\n"
        "product_serial=VMware-56 4d a6 d2 17 06 63 43-dc 2d 99 59 b5 33 a7 b3\n"
        "product_uuid=564da6d2-1706-6343-dc2d-9959b533a7b3",
        "!reader root\n" + decoded,
    )
    assert observation.system_uuid == "d2a64d56-0617-4363-dc2d-9959b533a7b3"
    assert observation.system_uuid_source == (
        "dmidecode via root, SMBIOS 2.4: printed in stored order, turned"
    )
    assert observation.serial_number == "VMware-56 4d a6 d2 17 06 63 43-dc 2d 99 59 b5 33 a7 b3"
    assert observation.value_errors == []


def test_root_on_centos6_without_dmidecode_reads_sysfs_in_stored_order() -> None:
    observation = smbios(
        "sys_vendor=Dell Inc.\nproduct_name=PowerEdge R720\nproduct_serial=3F2CC07\n"
        "product_uuid=44454C4C-4600-1032-8043-B3C04F324337",
        "!reader root\n!error sh: 1: dmidecode: not found",
        kernel="2.6.32-754.35.1.el6.x86_64",
    )
    assert observation.system_uuid == "4c4c4544-0046-3210-8043-b3c04f324337"  # as dmidecode
    assert observation.system_uuid_source == (
        "/sys/class/dmi/id/product_uuid, kernel 2.6.32-754.35.1.el6.x86_64: "
        "printed in stored order, turned"
    )


def test_placeholders_are_not_a_vendor_or_model() -> None:
    """Case 07: whitebox boards that say 'System manufacturer' say nothing."""
    observation = facts("cases/07-asus1-ssh.out")
    assert (observation.vendor, observation.model) == (None, None)
    assert observation.serial_number == "SystemSerialNumber"  # judged by identity's deny-list
    assert observation.value_errors == [
        "vendor/model: the firmware left placeholders ('System manufacturer', "
        "'System Product Name')"
    ]


def test_lenovo_names_the_model_in_product_version() -> None:
    observation = smbios(
        "sys_vendor=Lenovo\nproduct_name=7X06CTO1WW\n"
        "product_version=ThinkSystem SR650 -[7X06CTO1WW]-"
    )
    assert observation.model == "ThinkSystem SR650 -[7X06CTO1WW]-"


def test_case_03_clones_still_parse() -> None:
    """The identity engineer's cloned-machine case reads as before (same machine-id)."""
    one, two = facts("cases/03-clone1-ssh.out"), facts("cases/03-clone2-ssh.out")
    assert one.machine_id == two.machine_id
    assert one.name != two.name
    assert (one.vendor, one.model) == ("VMware, Inc.", "VMware Virtual Platform")
    assert one.disks == [Disk("sda", 100, "Virtual disk", None)]


def test_old_systems_without_systemd_learn_the_hypervisor_from_dmi() -> None:
    """CentOS 6 and SLES 11 have no systemd-detect-virt; the DMI strings still tell."""
    text = (DATA / "cases" / "04-centos6-ssh.out").read_text()
    as_vm = text.replace("sys_vendor=Dell Inc.", "sys_vendor=VMware, Inc.").replace(
        "product_name=PowerEdge R720", "product_name=VMware Virtual Platform"
    )
    vm = parse(as_vm, "10.0.0.1", "ops", SEEN)
    assert (vm.is_virtual, vm.hypervisor, vm.device_class) == (True, "VMware", "virtual_machine")
    physical = facts("cases/04-centos6-ssh.out")
    assert (physical.is_virtual, physical.device_class) == (None, "server")
    hyperv = smbios("sys_vendor=Microsoft Corporation\nproduct_name=Virtual Machine")
    assert hyperv.hypervisor == "Hyper-V"
    told = smbios("sys_vendor=QEMU\nproduct_name=Standard PC (i440FX + PIIX, 1996)")
    assert told.hypervisor == "KVM"
