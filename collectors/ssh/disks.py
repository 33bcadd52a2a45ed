"""Disks from lsblk, or from /sys/block where lsblk is too old. Pure.

lsblk (util-linux 2.19+ for -P and -b, 2.21+ for SERIAL, 2.22+ for WWN) gives
each whole disk; CentOS 6's util-linux-ng 2.17 fails on the SERIAL column and
prints nothing, so the /sys/block section (present since Linux 2.6) lists them
instead: size in 512-byte sectors whatever the logical block size, SCSI
vendor and model, and the members ("slaves") of device-mapper devices.

dm-multipath shows a LUN once per path (sdb, sdc, … with the same serial and
WWN): a disk is counted once per multipath map, and once per serial or WWN of
the same size.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from collectors.observation import Disk, Observation

GIB = 1 << 30
SECTOR = 512  # /sys/block/*/size is always in 512-byte units (include/linux/types.h)
# Not disks: loop, RAM, compressed swap, floppies, optical drives, network
# block devices, and the mapped devices built on top of real disks.
_NOT_DISKS = ("loop", "ram", "zram", "fd", "sr", "nbd", "dm-", "md")
_SCSI_DISK_TYPES = ("0", "14")  # direct access, simplified direct access (SPC-4 table)


@dataclass
class _Row:
    name: str
    size: int  # bytes
    model: str | None = None
    serial: str | None = None
    wwn: str | None = None


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value[:128] or None


def _lsblk(text: str, errors: list[str]) -> list[_Row]:
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            fields = dict(item.split("=", 1) for item in shlex.split(line))
        except ValueError:
            errors.append(f"disks: unreadable line {line[:80]!r}")
            continue
        size = fields.get("SIZE", "").strip()
        if fields.get("TYPE") != "disk" or not size.isdigit() or int(size) == 0:
            continue
        rows.append(
            _Row(
                (fields.get("NAME") or fields.get("KNAME", ""))[:64],
                int(size),
                _text(fields.get("MODEL")),
                _text(fields.get("SERIAL")),
                _text(fields.get("WWN")),
            )
        )
    return rows


def _sysfs(text: str) -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    """The block section: attributes per device, and each dm device's members."""
    attributes: dict[str, dict[str, str]] = {}
    members: dict[str, list[str]] = {}
    for line in text.splitlines():
        parts = line.split(" ", 2)
        if len(parts) < 2:
            continue
        device, key, value = parts[0], parts[1], parts[2] if len(parts) == 3 else ""
        if key == "slave":
            members.setdefault(device, []).append(value.strip())
        else:
            attributes.setdefault(device, {})[key] = value.strip()
    return attributes, members


def _sysfs_rows(attributes: dict[str, dict[str, str]]) -> list[_Row]:
    rows = []
    for name, found in attributes.items():
        size = found.get("size", "")
        kind = found.get("device/type")
        if name.startswith(_NOT_DISKS) or not size.isdigit() or int(size) == 0:
            continue
        if kind is not None and kind not in _SCSI_DISK_TYPES:
            continue  # a tape, an enclosure, a CD drive under another name
        rows.append(
            _Row(
                name[:64],
                int(size) * SECTOR,
                _text(found.get("device/model")),
                _text(found.get("device/serial") or found.get("serial")),
                _text(found.get("wwid") or found.get("device/wwid")),
            )
        )
    return rows


def _multipath_paths(
    attributes: dict[str, dict[str, str]], members: dict[str, list[str]]
) -> dict[str, str]:
    """Every path device of a multipath map -> the map's name (mpatha)."""
    paths = {}
    for device, slaves in members.items():
        found = attributes.get(device, {})
        if found.get("dm/uuid", "").startswith("mpath-"):
            for slave in slaves:
                paths[slave] = found.get("dm/name") or device
    return paths


def apply(observation: Observation, lsblk: str, block: str) -> None:
    """Disks and their total on `observation`; an empty list where disks must exist is an error."""
    attributes, members = _sysfs(block)
    rows = _lsblk(lsblk, observation.value_errors) or _sysfs_rows(attributes)
    for row in rows:  # lsblk without SERIAL/WWN: sysfs may know them
        found = attributes.get(row.name, {})
        row.serial = row.serial or _text(found.get("device/serial") or found.get("serial"))
        row.wwn = row.wwn or _text(found.get("wwid") or found.get("device/wwid"))
    paths = _multipath_paths(attributes, members)
    seen: set[tuple[str, ...]] = set()
    kept = 0
    for row in rows:
        keys: set[tuple[str, ...]] = {("map", paths[row.name])} if row.name in paths else set()
        keys |= {
            (kind, value.lower(), str(row.size))
            for kind, value in (("serial", row.serial), ("wwn", row.wwn))
            if value
        }
        if keys & seen:
            continue  # another path to a disk already counted
        seen |= keys
        kept += row.size
        name = paths.get(row.name, row.name)
        observation.disks.append(Disk(name, row.size // GIB, row.model, row.serial))
    observation.disk_total_gb = kept // GIB if observation.disks else None
    if not observation.disks:
        observation.value_errors.append(
            "disks: none listed (lsblk printed no disk and /sys/block has none)"
        )
