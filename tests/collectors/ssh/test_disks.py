"""Disks from lsblk as real servers print it, and from /sys/block where lsblk is old."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from collectors.observation import Disk, Observation
from collectors.ssh import disks

DATA = Path(__file__).parents[2] / "data" / "ssh" / "lsblk"
GIB = 1 << 30


def listed(lsblk: str, block: str = "") -> Observation:
    observation = Observation("10.0.0.1", "ssh", "ops", datetime(2026, 11, 22, tzinfo=UTC))
    disks.apply(observation, lsblk, block)
    return observation


def test_a_recorded_server_lists_its_disks_and_not_its_loops() -> None:
    observation = listed((DATA / "server-lsblk-Pbdi.txt").read_text())
    assert [(d.name, d.model) for d in observation.disks] == [
        ("sda", "Logical Volume"),
        ("sdb", "Logical Volume"),
        ("sdc", "TOSHIBA MG04ACA4"),
    ]
    assert observation.disk_total_gb == (298999349248 + 19999998607360 + 4000787030016) // GIB


def test_identical_disks_without_a_serial_are_two_disks() -> None:
    observation = listed((DATA / "ipa-identical-disks.txt").read_text())
    assert [d.name for d in observation.disks] == ["sda", "sdb", "sdc", "sdd"]
    assert observation.disks[0] == Disk("sda", 2, "TinyUSB Drive", "123")


def test_the_same_serial_on_another_size_is_another_disk() -> None:
    observation = listed(
        'NAME="sdb" SIZE="1073741824" TYPE="disk" MODEL="X" SERIAL="S1"\n'
        'NAME="sdc" SIZE="2147483648" TYPE="disk" MODEL="X" SERIAL="S1"\n'
        'NAME="sdd" SIZE="2147483648" TYPE="disk" MODEL="X" SERIAL="s1"\n'
    )
    assert [d.name for d in observation.disks] == ["sdb", "sdc"]  # sdd: sdc's other path


def test_sysfs_fills_what_old_lsblk_cannot_print_and_skips_what_is_no_disk() -> None:
    block = (
        "sda size 1170997248\nsda device/type 0\nsda device/model PERC H710P      \n"
        "sr0 size 2097151\nsr0 device/type 5\n"
        "st0 size 1000\nst0 device/type 1\n"  # a tape drive
        "vda size 536870912\nvda serial 19866319187891873\n"  # virtio: no SCSI type
        "dm-0 size 1000\nmd0 size 1000\nzram0 size 0\n"
        "garbage\n\nsdz\n"
    )
    observation = listed("", block)
    assert observation.disks == [
        Disk("sda", 558, "PERC H710P", None),
        Disk("vda", 256, None, "19866319187891873"),
    ]
    with_lsblk = listed('NAME="vda" SIZE="274877906944" TYPE="disk" MODEL="" SERIAL=""', block)
    assert with_lsblk.disks == [Disk("vda", 256, None, "19866319187891873")]


def test_nothing_anywhere_is_an_error_and_a_bad_line_is_named() -> None:
    observation = listed('NAME="sda SIZE=1\n')
    assert observation.disks == []
    assert observation.disk_total_gb is None
    assert observation.value_errors == [
        "disks: unreadable line 'NAME=\"sda SIZE=1'",
        "disks: none listed (lsblk printed no disk and /sys/block has none)",
    ]
