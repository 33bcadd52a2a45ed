"""Identifiers: every notation of one value compares equal; placeholders identify nobody.

Property tests cover the kinds (any MAC in any notation, any UUID in either
byte order, any placeholder in any spacing and case), tables cover the values
real firmware and other inventory tools' deny-lists name.
"""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from inventory.domain.identifiers import (
    PLACEHOLDER_UUIDS,
    canonical_mac,
    is_locally_administered,
    is_placeholder_serial,
    is_shared_mac,
    normalise_mac,
    normalise_machine_id,
    normalise_serial,
    normalise_uuid,
    swap_uuid_fields,
    uuid_key,
)

octets = st.binary(min_size=6, max_size=6)
# A MAC a real NIC could have: unicast (I/G bit clear), globally administered (U/L clear).
nic_octets = octets.map(lambda b: bytes([b[0] & 0xFC, *b[1:]])).filter(
    lambda b: any(b[:5]) and b[:5] != b"\x00\x50\x56\xc0\x00"
)


def notations(raw: bytes) -> list[str]:
    """The ways tools print one MAC: Linux, Windows, Cisco, snmpwalk, HP, bare, Hex-STRING."""
    pairs = [f"{b:02x}" for b in raw]
    bare = "".join(pairs)
    return [
        ":".join(pairs),
        "-".join(pairs).upper(),
        ".".join(bare[i : i + 4] for i in range(0, 12, 4)),
        ":".join(f"{b:x}" for b in raw),  # snmpwalk: no leading zeros
        "-".join(f"{b:X}" for b in raw),
        f"{bare[:6]}-{bare[6:]}",
        bare.upper(),
        "0x" + bare,
        " ".join(pairs).upper() + " ",
        ".".join(f"{int(bare[i : i + 4], 16):x}" for i in range(0, 12, 4)),  # Cisco, no zeros
    ]


@given(nic_octets)
def test_every_notation_of_a_mac_is_one_value(raw: bytes) -> None:
    canonical = ":".join(f"{b:02x}" for b in raw)
    for written in notations(raw):
        assert canonical_mac(written) == canonical, written
        assert normalise_mac(written) == canonical, written


@given(octets)
def test_mac_normalisation_is_idempotent_and_canonical(raw: bytes) -> None:
    for written in notations(raw):
        mac = normalise_mac(written)
        if mac is not None:
            assert re.fullmatch(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}", mac)
            assert normalise_mac(mac) == mac
            assert normalise_mac(mac.upper()) == mac


@given(octets)
def test_multicast_macs_identify_nobody_and_software_macs_are_weak(raw: bytes) -> None:
    mac = ":".join(f"{b:02x}" for b in raw)
    if raw[0] & 0x01:  # group address: broadcast, multicast, never one machine's
        assert normalise_mac(mac) is None
    elif raw[0] & 0x02 and not is_shared_mac(mac):  # virbr0, KVM/OpenStack guests, bridges
        assert is_locally_administered(mac)
        assert normalise_mac(mac) == mac  # kept, weighed as weak by the identity rules


@given(st.binary(min_size=4, max_size=4))
def test_docker_macs_identify_nobody(address: bytes) -> None:
    """Docker derives a container's MAC from its address: 02:42 + the IPv4 octets."""
    assert normalise_mac("02:42:" + ":".join(f"{b:02x}" for b in address)) is None


@pytest.mark.parametrize(
    "mac",
    [
        "02:42:ac:11:00:02",  # a Docker container (172.17.0.2)
        "00:50:56:C0:00:01",  # VMware Workstation vmnet1 (same on every host)
        "00:50:56:C0:00:08",  # vmnet8
        "0a:00:27:00:00:00",  # VirtualBox host-only
        "20:41:53:59:4e:ff",  # Windows RAS async adapter
        "50:50:54:50:30:30",  # WAN miniport
        "00:00:5e:00:01:0a",  # VRRP group 10
        "00:00:0c:07:ac:01",  # HSRP group 1
        "00:00:00:00:00:00",
        "ff:ff:ff:ff:ff:ff",
        "not a mac",
        "00:0c:29:71:86",
        "00:0c-29:71:86:17",  # mixed separators: a typo, not a MAC
    ],
)
def test_shared_and_malformed_macs_are_no_identity(mac: str) -> None:
    assert normalise_mac(mac) is None


def test_vm_guest_macs_of_global_ouis_stay_identity() -> None:
    # VMware, Xen and Hyper-V guests get unique addresses from the vendor's OUI.
    for mac in ("00:0c:29:71:86:17", "00:50:56:8a:10:01", "00:16:3e:12:34:56", "00:15:5d:01:02:03"):
        assert normalise_mac(mac) == mac


@given(st.uuids())
def test_every_spelling_of_a_uuid_is_one_value(value: uuid.UUID) -> None:
    canonical = str(value)
    assume(normalise_uuid(canonical) is not None)
    for written in (canonical.upper(), "{" + canonical.upper() + "}", value.hex, value.urn):
        assert normalise_uuid(written) == canonical


@given(st.uuids())
def test_both_byte_orders_of_a_uuid_have_one_key(value: uuid.UUID) -> None:
    """SMBIOS 2.6+ readers and older ones print the first three fields swapped."""
    canonical = str(value)
    swapped = swap_uuid_fields(canonical)
    assert swapped == str(uuid.UUID(bytes_le=value.bytes))
    assert swap_uuid_fields(swapped) == canonical
    assert uuid_key(canonical) == uuid_key(swapped)


@given(st.uuids())
def test_the_domain_and_the_ssh_collector_swap_uuids_alike(value: uuid.UUID) -> None:
    """One rule in two layers that may not import each other (import-linter): kept equal."""
    from collectors.smbios import swap_uuid_fields as collector_swap

    assert swap_uuid_fields(str(value)) == collector_swap(str(value).upper())


@given(st.sampled_from("0123456789abcdef"), st.booleans())
def test_any_repeated_digit_uuid_is_a_placeholder(digit: str, upper: bool) -> None:
    value = "-".join(digit * n for n in (8, 4, 4, 4, 12))
    assert normalise_uuid(value.upper() if upper else value) is None


@given(st.text("0123456789abcdef", min_size=1, max_size=8))
def test_uuids_of_a_short_repeated_unit_are_placeholders(unit: str) -> None:
    digits = (unit * 32)[:32]
    assume(32 % len(unit) == 0)
    value = f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"
    assert normalise_uuid(value) is None


@pytest.mark.parametrize("value", sorted(PLACEHOLDER_UUIDS))
def test_shared_default_uuids_are_placeholders_in_either_byte_order(value: str) -> None:
    assert normalise_uuid(value) is None
    assert normalise_uuid(swap_uuid_fields(value).upper()) is None


@pytest.mark.parametrize(
    "value",
    [
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        "01010101-0101-0101-0101-010101010101",
        "DEADBEEF-DEAD-BEEF-DEAD-BEEFDEADBEEF",
        "00000000-0000-0000-0000-000000000001",
        "03000200-0400-0500-0006-000700080009",
        "00020003-0004-0005-0006-000700080009",
    ],
)
def test_well_known_placeholder_uuids(value: str) -> None:
    assert normalise_uuid(value) is None


# Placeholder families from GLPI's default blacklist, the GLPI agent's and
# OCS's dmidecode filters and the values other trackers report.
PLACEHOLDER_SERIALS = [
    "To be filled by O.E.M.",
    "To Be Filled By O.E.M.",
    "TO BE FILLED BY OEM",
    "To be filled by manufacturer",
    "Default string",
    "Default_string",
    "$(DEFAULT_STRING)",
    "System Serial Number",
    "SystemSerialNumber",
    "SystemSerialNumb",
    "Chassis Serial Number",
    "Base Board Serial Number",
    "Serial Number xxxxxx",
    "Not Specified",
    "Not Available",
    "Not Applicable",
    "None",
    "(null string)",
    "N/A",
    "NA",
    "Unknown",
    "Unknow",
    "INVALID",
    "empty",
    "Default",
    "OEM",
    "OEM_Serial",
    "EVAL",
    "IATPASS",
    "Tulip Computers",
    "Type1ProductConfigId",
    "SKU",
    "0",
    "0000000000",
    "1111111",
    "XXXXXXXXXX",
    "xxxxxxxxxxx",
    "NNNNNNN",
    "0101010101",
    "0123456789",
    "123456789",
    "1234567890",
    "12345",
    "123456789000",
    "12345678901234567",
    "ABCDEFGHIJ",
    "SN-12345",
    "SN-1234567890",
    "SYS-1234567890",
    "SYS-9876543210",
    "MB-1234567890",
    "0x00000000",
    "1.0",
    "v2.1.3",
    "无",
    "未知",
    "暂无",
    "-",
    "/",
    "——",
]


@pytest.mark.parametrize("value", PLACEHOLDER_SERIALS)
def test_placeholder_serial_families(value: str) -> None:
    assert normalise_serial(value) is None


spacing = st.sampled_from(["", " ", "  ", "_", "-", ".", "\t"])


@given(
    st.sampled_from(PLACEHOLDER_SERIALS),
    st.lists(spacing, min_size=60, max_size=60),
    st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_placeholders_in_any_spacing_and_case(
    value: str, gaps: list[str], upper: list[bool]
) -> None:
    """'SystemSerialNumber' is 'System Serial Number': words joined or split, any case."""
    assume(not re.fullmatch(r"v?[\d.]+", value))  # a version's dots are its shape
    written = "".join(
        (c.upper() if up else c.lower()) + (gap if c == " " else "")
        for c, gap, up in zip(value, gaps, upper, strict=False)
    )
    written = written.replace(" ", gaps[0])
    assert is_placeholder_serial(written), written


@given(st.characters(categories=["L", "N"]), st.integers(min_value=1, max_value=40))
def test_one_character_repeated_is_no_serial(char: str, times: int) -> None:
    assert normalise_serial(char * times) is None


@given(st.integers(0, 30), st.integers(5, 20))
def test_sequential_runs_are_no_serial(start: int, length: int) -> None:
    run = "0123456789abcdefghijklmnopqrstuvwxyz"[start : start + length]
    assume(len(run) >= 5)
    assert normalise_serial(run) is None
    assert normalise_serial(f"SN-{run}") is None


REAL_SERIALS = [
    "2102311TQN10K6000123",  # Huawei
    "210235A1ABH123000045",  # H3C
    "CN0J8D5X",  # Dell service tag style
    "8Y7ZQK2",
    "SGH123ABCD",  # HPE
    "J10012345",  # Lenovo
    "219305478",  # Inspur
    "VMware-56 4d 12 34 56 78 9a bc-de f0 12 34 56 78 9a bc",
    "FCW2245L0AB",  # Cisco
    "G1NNAB1234",  # Ruijie
    "2810190123456789",  # Hillstone
    "JAD12345678",
]


@pytest.mark.parametrize("value", REAL_SERIALS)
def test_real_serials_are_kept_upper_case_and_trimmed(value: str) -> None:
    assert normalise_serial(f"  {value.lower()}\x00 ") == " ".join(value.upper().split())


@given(st.text(min_size=1, max_size=40))
def test_serial_normalisation_is_idempotent_and_case_blind(value: str) -> None:
    once = normalise_serial(value)
    if once is not None:
        assert normalise_serial(once) == once
        assert normalise_serial(value.lower()) == once == normalise_serial(value.upper())


@given(st.text("0123456789abcdef", min_size=32, max_size=32))
def test_machine_ids_are_lowercase_hex_and_filler_is_dropped(value: str) -> None:
    found = normalise_machine_id(value.upper())
    if len(set(value)) == 1:
        assert found is None
    if found is not None:
        assert found == value
