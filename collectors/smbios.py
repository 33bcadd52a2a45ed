"""SMBIOS knowledge shared by every reader of a system UUID: pure, no I/O.

DMTF SMBIOS 2.6 (DSP0134, section 7.2.1) says the first three fields of the
system UUID (time_low, time_mid, time_hi_and_version) are stored little-endian,
as the firmware had mostly done all along. Readers differ in how they print it:

- dmidecode 2.10+ and Linux since commit f1d8e614d74b (2014, "check dmi
  version when get system uuid") print those fields little-endian only when the
  table says SMBIOS >= 2.6, and the bytes as stored otherwise;
- older kernels (CentOS 6's 2.6.32) print the bytes as stored whatever the
  version, so /sys/class/dmi/id/product_uuid and dmidecode disagree there;
- Windows, iPXE and most BMCs always read the fields little-endian.

The canonical form here is the SMBIOS 2.6 reading of the stored bytes, whatever
the version, so the same machine gives one UUID whichever reader printed it.
A reader that printed the stored order is turned around with
`swap_uuid_fields`; `canonical_smbios_uuid` does that from the provenance.
"""

from __future__ import annotations

import re
import uuid

_VERSION = re.compile(r"SMBIOS (\d+)\.(\d+)(?:\.\d+)? present")
_TOOL = re.compile(r"^# dmidecode (\d+)\.(\d+)", re.MULTILINE)
_KERNEL = re.compile(r"^(\d+)\.(\d+)")
# Linux prints SMBIOS >= 2.6 UUIDs little-endian since 3.17 (f1d8e614d74b).
KERNEL_READS_BY_VERSION = (3, 17)
SMBIOS_LITTLE_ENDIAN = (2, 6)


def swap_uuid_fields(text: str) -> str:
    """The same 16 bytes with the first three fields read the other way round.

    `text` is any form `uuid.UUID` accepts; the answer is lower-case, hyphenated.
    Raises ValueError when `text` is not a UUID.
    """
    raw = uuid.UUID(text.strip()).bytes
    return str(uuid.UUID(bytes=raw[3::-1] + raw[5:3:-1] + raw[7:5:-1] + raw[8:]))


def smbios_version(dmidecode_output: str) -> tuple[int, int] | None:
    """The table's version from dmidecode's header ("SMBIOS 2.7 present.")."""
    match = _VERSION.search(dmidecode_output)
    return (int(match[1]), int(match[2])) if match else None


def dmidecode_version(dmidecode_output: str) -> tuple[int, int] | None:
    """The tool's version from its first line ("# dmidecode 3.3")."""
    match = _TOOL.search(dmidecode_output)
    return (int(match[1]), int(match[2])) if match else None


def printed_as_stored(
    reader: str,
    version: tuple[int, int] | None,
    kernel: str | None = None,
    dmidecode: tuple[int, int] | None = None,
) -> bool | None:
    """Did `reader` ("dmidecode" or "sysfs") print the stored byte order?

    `version` is the SMBIOS table's, `kernel` the release for sysfs ("2.6.32-754…"),
    `dmidecode` the tool's own version. True: turn it around to get the canonical
    form; False: it is canonical; None: the provenance does not say (a sysfs
    reading whose SMBIOS version is unknown on a kernel that looks at it).
    """
    if reader == "dmidecode" and dmidecode is not None and dmidecode < (2, 10):
        return True  # dmidecode before 2.10 knew nothing of SMBIOS 2.6
    if reader == "sysfs" and kernel is not None:
        match = _KERNEL.match(kernel)
        if match and (int(match[1]), int(match[2])) < KERNEL_READS_BY_VERSION:
            return True  # the old kernel printed the stored bytes, always
    if version is None:
        return None
    return version < SMBIOS_LITTLE_ENDIAN


def canonical_smbios_uuid(
    text: str | None,
    reader: str,
    version: tuple[int, int] | None,
    kernel: str | None = None,
    dmidecode: tuple[int, int] | None = None,
) -> str | None:
    """The SMBIOS 2.6 reading of a printed system UUID, lower-case; None if not a UUID.

    Where the provenance does not tell the byte order, the text is returned as
    printed (lower-cased): callers keep the provenance beside it.
    """
    if not text:
        return None
    try:
        printed = str(uuid.UUID(text.strip()))
    except ValueError:
        return None
    if printed_as_stored(reader, version, kernel, dmidecode):
        return swap_uuid_fields(printed)
    return printed


# Strings firmware ships when the maker left a field unset (vendor and model
# only: serials and UUIDs are judged by inventory.domain.identity's deny-list).
_PLACEHOLDERS = frozenset(
    {
        "",
        "systemmanufacturer",
        "systemproductname",
        "systemversion",
        "tobefilledbyoem",
        "defaultstring",
        "notspecified",
        "notapplicable",
        "none",
        "oem",
        "oemstring",
        "unknown",
        "invalid",
        "type1productconfigid",
        "productname",
        "manufacturer",
        "xxxxx",
        "0123456789",
    }
)


def is_placeholder(value: str | None) -> bool:
    """A vendor or product string the firmware left at its default."""
    if value is None:
        return True
    folded = re.sub(r"[\s._\-]+", "", value).lower()
    return folded in _PLACEHOLDERS


# DMI strings that name a hypervisor, after systemd's src/basic/virt.c
# (dmi_vendor_table): for systems without systemd-detect-virt (CentOS 6, SLES 11).
# (field, prefix) -> hypervisor as the inventory names it.
HYPERVISOR_DMI = (
    ("product_name", "KVM", "KVM"),
    ("sys_vendor", "QEMU", "KVM"),
    ("sys_vendor", "VMware", "VMware"),
    ("product_name", "VMware", "VMware"),
    ("sys_vendor", "VMW", "VMware"),
    ("sys_vendor", "innotek GmbH", "VirtualBox"),
    ("product_name", "VirtualBox", "VirtualBox"),
    ("sys_vendor", "Xen", "Xen"),
    ("product_name", "HVM domU", "Xen"),
    ("sys_vendor", "Bochs", "KVM"),
    ("sys_vendor", "Parallels", "Parallels"),
    ("sys_vendor", "BHYVE", "bhyve"),
    ("bios_vendor", "Amazon EC2", "KVM"),
    ("sys_vendor", "Alibaba Cloud", "KVM"),
    ("product_name", "OpenStack", "KVM"),
)


def hypervisor_from_dmi(values: dict[str, str]) -> str | None:
    """The hypervisor the DMI strings name, or None for hardware (or unknown)."""
    for name, prefix, hypervisor in HYPERVISOR_DMI:
        if values.get(name, "").startswith(prefix):
            return hypervisor
    if values.get("sys_vendor", "").startswith("Microsoft Corporation") and values.get(
        "product_name", ""
    ).startswith("Virtual Machine"):
        return "Hyper-V"
    return None


# SMBIOS 7.4.1 chassis types a person names as a server rather than a PC.
SERVER_CHASSIS = frozenset({17, 23, 25, 28, 29})  # main server, rack, multi-system, blade


__all__ = [
    "SERVER_CHASSIS",
    "canonical_smbios_uuid",
    "dmidecode_version",
    "hypervisor_from_dmi",
    "is_placeholder",
    "printed_as_stored",
    "smbios_version",
    "swap_uuid_fields",
]
