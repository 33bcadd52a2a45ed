"""What agents send, read safely: odd encodings give text or None, never an exception."""

from __future__ import annotations

import ipaddress

import pytest

from collectors.snmp import values
from collectors.snmp.types import Missing, Oid


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"S5720-52X-SI-AC", "S5720-52X-SI-AC"),
        (b"padded\x00\x00\x00", "padded"),
        ("政务云".encode(), "政务云"),
        ("财政局机房".encode("gb18030"), "财政局机房"),  # Chinese Windows agents
        (b"line one\r\nline two", "line one\nline two"),
        (b"\x80\x00\x1f\x88\x80", "0x80001f8880"),  # binary: shown as hex
        (b"esc\x1b[31mred", "esc[31mred"),  # a terminal escape is dropped, the text kept
        (b"\x1b]2;core-sw\x07", "]2;core-sw"),  # a hostile sysName: ESC and BEL gone
        (b"Hua\x01wei\x02 Tech", "Huawei Tech"),  # entPhysicalMfgName
        (b"\x01\x02\x03ab\x04", "0x010203616204"),  # mostly controls: binary
        (b"", None),
        (b"   ", None),
        (Missing.NO_SUCH_OBJECT, None),
        (None, None),
        (42, "42"),
    ],
)
def test_text(raw: object, expected: str | None) -> None:
    assert values.text(raw) == expected


def test_text_is_capped_so_a_hostile_sysdescr_cannot_grow_without_bound() -> None:
    assert len(values.text(b"A" * 100_000) or "") == values.MAX_TEXT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (bytes.fromhex("001a2b3c4d5e"), "00:1a:2b:3c:4d:5e"),
        (b"00-1A-2B-3C-4D-5E", "00:1a:2b:3c:4d:5e"),
        (b"001a.2b3c.4d5e", "00:1a:2b:3c:4d:5e"),
        (b"", None),
        (b"\x00\x01", None),
        (17, None),
    ],
)
def test_mac(raw: object, expected: str | None) -> None:
    assert values.mac(raw) == expected


def test_numbers_from_wrong_types() -> None:
    assert values.number(5) == 5
    assert values.number(b"1234") == 1234  # a counter sent as a string
    assert values.number(b"lots") is None
    assert values.number(Missing.END_OF_MIB_VIEW) is None
    assert values.number(Oid.parse("1.3.6")) is None


def test_oids_from_wrong_types() -> None:
    assert values.oid(Oid.parse("1.3.6.1.4.1.2011")) == (1, 3, 6, 1, 4, 1, 2011)
    assert values.oid(b".1.3.6.1.4.1.9") == (1, 3, 6, 1, 4, 1, 9)
    assert values.oid(b"not an oid") is None
    assert values.oid(7) is None


def test_hex_encoded_model_names_are_decoded() -> None:
    assert values.hex_or_text(b"0x4875617765692032323838") == "Huawei 2288"
    assert values.hex_or_text(b"plain") == "plain"


def test_serials_refuse_binary_noise() -> None:
    assert values.serial(b"2102311TQN10K6000123") == "2102311TQN10K6000123"
    assert values.serial(b"\x01\x02\x03") is None


def test_addresses() -> None:
    assert values.ipv4(ipaddress.IPv4Address("10.1.1.1")) == "10.1.1.1"
    assert values.ipv4(bytes([10, 1, 1, 2])) == "10.1.1.2"
    assert values.ipv4(b"abc") is None
