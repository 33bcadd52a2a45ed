"""SMBIOS facts from the fact script: /sys/class/dmi/id, then dmidecode. Pure.

The dmi section reads /sys/class/dmi/id (most fields world-readable; serial and
UUID root-only), the dmidecode section says which reader ran it ("!reader root",
"sudo" or "none") and its first error. What cannot be read is a value error that
says why, so an ops engineer sees "no SMBIOS" instead of an empty field.
Recordings from before these markers ("name=" for an unreadable field, a
dmidecode section only where sudo ran) are read too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from collectors.observation import Observation
from collectors.smbios import (
    SERVER_CHASSIS,
    canonical_smbios_uuid,
    dmidecode_version,
    hypervisor_from_dmi,
    is_placeholder,
    printed_as_stored,
    smbios_version,
)

_DMIDECODE_FIELD = re.compile(r"^\s+([A-Za-z][A-Za-z ]*?):\s*(.*?)\s*$")
# dmidecode handle type -> the sysfs names its fields map to.
_DMIDECODE_NAMES = {
    "BIOS Information": {"Vendor": "bios_vendor", "Version": "bios_version"},
    "System Information": {
        "Manufacturer": "sys_vendor",
        "Product Name": "product_name",
        "Version": "product_version",
        "Serial Number": "product_serial",
        "UUID": "product_uuid",
        "Family": "product_family",
        "SKU Number": "product_sku",
    },
    "Base Board Information": {
        "Manufacturer": "board_vendor",
        "Product Name": "board_name",
        "Serial Number": "board_serial",
    },
    "Chassis Information": {"Serial Number": "chassis_serial", "Type": "chassis_type"},
}


@dataclass
class Dmi:
    """What /sys/class/dmi/id gave: values, fields present but unreadable, absence."""

    values: dict[str, str] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    absent: bool = False
    new_format: bool = False  # printed by a script that marks what it could not read


@dataclass
class Dmidecode:
    """What dmidecode gave and who ran it ("root", "sudo", "none" or "" if unknown)."""

    values: dict[str, str] = field(default_factory=dict)
    reader: str = ""
    error: str | None = None
    version: tuple[int, int] | None = None  # the SMBIOS table's
    no_table: bool = False


def read_dmi(text: str) -> Dmi:
    """The dmi section: "name=value", "!unreadable name", "!absent <path>"."""
    dmi = Dmi()
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        dmi.absent = True  # the old script printed nothing when the directory was missing
        return dmi
    for line in lines:
        if line.startswith("!absent"):
            dmi.absent = dmi.new_format = True
        elif line.startswith("!unreadable "):
            dmi.unreadable.append(line.split(None, 1)[1].strip())
            dmi.new_format = True
        else:
            key, sep, value = line.partition("=")
            if sep and key.strip() and key.strip() not in dmi.values:
                dmi.values[key.strip()] = value.strip()
    return dmi


def read_dmidecode(text: str) -> Dmidecode:
    """dmidecode -t 0-3 as printed (any version since 2.9), plus the script's marks."""
    found = Dmidecode(version=smbios_version(text))
    names: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("!reader "):
            found.reader = line.split(None, 1)[1].strip()
        elif line.startswith("!error "):
            found.error = line.split(None, 1)[1].strip()[:200]
        elif "No SMBIOS nor DMI entry point found" in line:
            found.no_table = True
        elif line and not line[0].isspace():
            names = _DMIDECODE_NAMES.get(line.strip(), {})
        elif match := _DMIDECODE_FIELD.match(line):
            name = names.get(match[1])
            if name and name not in found.values:
                found.values[name] = match[2]
    if found.values and not found.reader:
        found.reader = "sudo"  # recordings from before the marker: only sudo ran it
    return found


def apply(observation: Observation, dmi_text: str, dmidecode_text: str, kernel: str) -> None:
    """Fill vendor, model, serial, UUID (with provenance) and firmware; record why not."""
    dmi, decoded = read_dmi(dmi_text), read_dmidecode(dmidecode_text)
    merged = {**dmi.values, **{k: v for k, v in decoded.values.items() if v}}
    observation.smbios = {
        k: v for k, v in merged.items() if k not in ("product_serial", "product_uuid") and v
    }
    _vendor_and_model(observation, merged, dmi, decoded)
    serial = merged.get("product_serial") or merged.get("chassis_serial") or None
    observation.serial_number = serial
    _uuid(observation, dmi, decoded, dmidecode_text, kernel)
    if bios := " ".join(v for k in ("bios_vendor", "bios_version") if (v := merged.get(k))):
        observation.firmware = bios[:128]
    if observation.is_virtual is None and (hypervisor := hypervisor_from_dmi(merged)):
        # No systemd-detect-virt (CentOS 6, SLES 11): the firmware names the hypervisor.
        observation.is_virtual, observation.hypervisor = True, hypervisor
        observation.device_class = "virtual_machine"
    chassis = merged.get("chassis_type", "")
    if chassis.isdigit() and int(chassis) in SERVER_CHASSIS and not observation.is_virtual:
        observation.device_class = "server"
    if not (dmi.absent and not decoded.values):
        _unread_identity(observation, dmi, decoded)


def _vendor_and_model(
    observation: Observation, merged: dict[str, str], dmi: Dmi, decoded: Dmidecode
) -> None:
    vendor, model = merged.get("sys_vendor"), merged.get("product_name")
    version = merged.get("product_version")
    # Lenovo puts the machine type in product_name ("7X06CTO1WW") and the name
    # people use in product_version ("ThinkSystem SR650 -[7X06CTO1WW]-").
    if vendor and vendor.strip().upper() == "LENOVO" and not is_placeholder(version):
        model = version
    if dmi.absent and not decoded.values:
        observation.value_errors.append(f"no SMBIOS: /sys/class/dmi/id absent and {_why(decoded)}")
        return
    placeholders = [v for v in (vendor, model) if v and is_placeholder(v)]
    observation.vendor = None if is_placeholder(vendor) else vendor
    observation.model = None if is_placeholder(model) else model
    if placeholders:
        shown = ", ".join(repr(v) for v in placeholders)
        observation.value_errors.append(f"vendor/model: the firmware left placeholders ({shown})")
    elif observation.vendor is None or observation.model is None:
        missing = [n for n in ("vendor", "model") if getattr(observation, n) is None]
        observation.value_errors.append(f"{'/'.join(missing)}: the firmware does not say")


def _why(decoded: Dmidecode) -> str:
    """Why dmidecode gave nothing, in words an ops engineer acts on."""
    if decoded.no_table:
        return (
            "dmidecode found no SMBIOS table (none in containers, some VMs, device-tree ARM boards)"
        )
    if decoded.reader in ("", "none"):
        return "dmidecode not permitted (the login is not root and the profile allows no sudo)"
    if decoded.error:
        return f"dmidecode via {decoded.reader} failed: {decoded.error}"
    return f"dmidecode via {decoded.reader} printed no system information"


def _uuid(observation: Observation, dmi: Dmi, decoded: Dmidecode, text: str, kernel: str) -> None:
    """The UUID in SMBIOS 2.6 order, and where it came from (collectors.smbios)."""
    if printed := decoded.values.get("product_uuid"):
        tool = dmidecode_version(text)
        swapped = printed_as_stored("dmidecode", decoded.version, dmidecode=tool)
        version = ".".join(map(str, decoded.version)) if decoded.version else "unknown"
        source = f"dmidecode via {decoded.reader}, SMBIOS {version}"
        canonical = canonical_smbios_uuid(printed, "dmidecode", decoded.version, dmidecode=tool)
    elif printed := dmi.values.get("product_uuid"):
        swapped = printed_as_stored("sysfs", None, kernel)
        source = f"/sys/class/dmi/id/product_uuid, kernel {kernel or 'unknown'}"
        canonical = canonical_smbios_uuid(printed, "sysfs", None, kernel)
    else:
        return
    if canonical is None:
        observation.value_errors.append(f"UUID: not a UUID ({printed[:40]!r}, {source})")
        return
    observation.system_uuid = canonical
    order = {True: "printed in stored order, turned", False: "SMBIOS 2.6 order"}
    known = order.get(swapped) if swapped is not None else None
    observation.system_uuid_source = f"{source}: {known or 'byte order unknown'}"


def _unread_identity(observation: Observation, dmi: Dmi, decoded: Dmidecode) -> None:
    """Serial and UUID missing: root-only in sysfs, and dmidecode did not fill them."""
    missing = [
        name
        for name, value in (
            ("serial", observation.serial_number),
            ("UUID", observation.system_uuid),
        )
        if not value
    ]
    if not missing:
        return
    locked = [f for f in ("product_serial", "product_uuid") if f in dmi.unreadable]
    if not dmi.new_format and not decoded.values:
        locked = [f for f in ("product_serial", "product_uuid") if not dmi.values.get(f)]
    if locked:
        observation.value_errors.append(
            f"{' and '.join(missing)}: /sys/class/dmi/id/{', '.join(locked)} readable by root "
            f"only, and {_why(decoded)}"
        )
