"""SMBIOS system UUIDs: one machine, one canonical UUID, whichever reader printed it."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from collectors.smbios import (
    canonical_smbios_uuid,
    dmidecode_version,
    is_placeholder,
    printed_as_stored,
    smbios_version,
    swap_uuid_fields,
)

# yumaojun03/dmidecode#22: one VMware VM (SMBIOS 2.4), two readers, two printings.
AS_STORED = "564da6d2-1706-6343-dc2d-9959b533a7b3"  # dmidecode 3.2
LITTLE_ENDIAN = "D2A64D56-0617-4363-DC2D-9959B533A7B3"  # a reader that always swaps


def test_the_same_vmware_vm_read_two_ways_gives_one_uuid() -> None:
    from_dmidecode = canonical_smbios_uuid(AS_STORED, "dmidecode", (2, 4))
    assert from_dmidecode == LITTLE_ENDIAN.lower()
    assert canonical_smbios_uuid(LITTLE_ENDIAN, "dmidecode", (2, 6)) == from_dmidecode


def test_centos6_kernel_prints_stored_order_even_for_smbios_27() -> None:
    # 2.6.32 predates the kernel's version check: sysfs and dmidecode disagree there.
    dmidecode = "4c4c4544-0046-3210-8043-b3c04f324337"  # Dell, SMBIOS 2.7
    sysfs = swap_uuid_fields(dmidecode).upper()
    assert canonical_smbios_uuid(sysfs, "sysfs", None, "2.6.32-754.35.1.el6.x86_64") == dmidecode
    assert canonical_smbios_uuid(dmidecode, "dmidecode", (2, 7)) == dmidecode


def test_provenance_rules() -> None:
    assert printed_as_stored("dmidecode", (2, 5)) is True
    assert printed_as_stored("dmidecode", (3, 2)) is False
    assert printed_as_stored("dmidecode", (3, 2), dmidecode=(2, 9)) is True  # before 2.10
    assert printed_as_stored("sysfs", None, "5.15.0-91-generic") is None  # version unknown
    assert printed_as_stored("sysfs", (2, 8), "5.15.0-91-generic") is False
    assert canonical_smbios_uuid("not-a-uuid", "dmidecode", (3, 0)) is None
    assert canonical_smbios_uuid(None, "dmidecode", (3, 0)) is None


def test_versions_from_dmidecode_headers() -> None:
    header = "# dmidecode 3.3\nGetting SMBIOS data from sysfs.\nSMBIOS 3.2.1 present.\n"
    assert smbios_version(header) == (3, 2)
    assert dmidecode_version(header) == (3, 3)
    assert smbios_version("# No SMBIOS nor DMI entry point found, sorry.") is None


@given(st.uuids())
def test_swapping_twice_is_the_identity_and_keeps_the_last_two_fields(value: uuid.UUID) -> None:
    once = swap_uuid_fields(str(value))
    assert swap_uuid_fields(once) == str(value)
    assert once[19:] == str(value)[19:]
    assert sorted(uuid.UUID(once).bytes) == sorted(value.bytes)


def test_firmware_placeholders_for_vendor_and_model() -> None:
    for text in (
        "System manufacturer",
        "System Product Name",
        "To Be Filled By O.E.M.",
        "Default string",
        "Not Specified",
        " OEM ",
        "",
        None,
    ):
        assert is_placeholder(text), text
    for text in ("Dell Inc.", "PowerEdge R720", "Huawei", "QEMU", "VMware, Inc."):
        assert not is_placeholder(text), text
