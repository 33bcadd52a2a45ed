"""Identity: an IP is never identity, placeholders never match, conflicts go to review."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.identity import (
    Evidence,
    MemoryIndex,
    Outcome,
    normalise_mac,
    normalise_serial,
    normalise_uuid,
    resolve,
)

UUID_A = "4c4c4544-0042-3510-8052-b4c04f4b4e32"
UUID_B = "30373237-3132-4e43-3736-32323034324a"


@pytest.mark.parametrize(
    "placeholder",
    [
        "To be filled by O.E.M.",
        "to be filled by o.e.m.",
        "0123456789",
        "Default string",
        "N/A",
        "0000000000",
        "XXXXXXXX",
        "  ",
        "System Serial Number",
        "Not Specified",
    ],
)
def test_placeholder_serials_are_thrown_away(placeholder: str) -> None:
    assert normalise_serial(placeholder) is None


@pytest.mark.parametrize(
    "placeholder",
    [
        "00000000-0000-0000-0000-000000000000",
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        "03000200-0400-0500-0006-000700080009",
        "not-a-uuid",
    ],
)
def test_placeholder_uuids_are_thrown_away(placeholder: str) -> None:
    assert normalise_uuid(placeholder) is None


def test_serials_and_uuids_are_normalised_for_comparison() -> None:
    assert normalise_serial(" 2102311 abc\x00 ") == "2102311 ABC"
    assert normalise_uuid(UUID_A.upper()) == UUID_A


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("00-16-3E-AA-BB-CC", "00:16:3e:aa:bb:cc"),
        ("0016.3eaa.bbcc", "00:16:3e:aa:bb:cc"),
        ("01:00:5e:00:00:01", None),
        ("00:00:00:00:00:00", None),
        ("zz", None),
    ],
)
def test_macs_are_normalised_and_multicast_is_nobodys(raw: str, expected: str | None) -> None:
    assert normalise_mac(raw) == expected


def index_with(**assets: Evidence) -> MemoryIndex:
    index = MemoryIndex()
    for key, evidence in assets.items():
        index.add(int(key.removeprefix("a")), evidence)
    return index


def test_the_same_serial_is_the_same_asset() -> None:
    index = index_with(a1=Evidence.of(serial_number="SN1"))
    assert resolve(index, Evidence.of(serial_number="sn1")).asset_id == 1


def test_placeholder_serials_never_merge_two_machines() -> None:
    index = index_with(a1=Evidence.of(serial_number="To be filled by O.E.M."))
    assert (
        resolve(index, Evidence.of(serial_number="To be filled by O.E.M.")).outcome is Outcome.NEW
    )


def test_evidence_pointing_at_two_assets_is_a_conflict() -> None:
    index = index_with(a1=Evidence.of(serial_number="SN1"), a2=Evidence.of(system_uuid=UUID_A))
    result = resolve(index, Evidence.of(serial_number="SN1", system_uuid=UUID_A))
    assert result.outcome is Outcome.CONFLICT
    assert result.candidates == (1, 2)


def test_a_match_that_contradicts_other_strong_evidence_is_a_conflict() -> None:
    index = index_with(a1=Evidence.of(serial_number="SN1", system_uuid=UUID_A))
    result = resolve(index, Evidence.of(serial_number="SN1", system_uuid=UUID_B))
    assert result.outcome is Outcome.CONFLICT
    assert "system_uuid" in result.reason


def test_a_mac_alone_matches_when_nothing_stronger_disagrees() -> None:
    index = index_with(a1=Evidence.of(macs=["00:16:3e:00:00:01"]))
    assert resolve(index, Evidence.of(macs=["00163e000001"])).outcome is Outcome.MATCH


def test_a_mac_shared_by_two_assets_is_a_conflict() -> None:
    index = index_with(
        a1=Evidence.of(macs=["00:16:3e:00:00:01"]), a2=Evidence.of(macs=["00:16:3e:00:00:01"])
    )
    assert resolve(index, Evidence.of(macs=["00:16:3e:00:00:01"])).outcome is Outcome.CONFLICT


def test_no_evidence_is_a_new_asset_not_a_match() -> None:
    index = index_with(a1=Evidence.of(serial_number="SN1"))
    assert resolve(index, Evidence()).outcome is Outcome.NEW


@given(
    st.lists(
        st.text(alphabet="ABCDEF0123456789", min_size=6, max_size=12),
        min_size=1,
        max_size=30,
        unique=True,
    )
)
def test_resolving_known_serials_always_finds_their_own_asset(serials: list[str]) -> None:
    index = MemoryIndex()
    for number, serial in enumerate(serials, start=1):
        index.add(number, Evidence.of(serial_number=serial))
    for number, serial in enumerate(serials, start=1):
        evidence = Evidence.of(serial_number=serial)
        if evidence.serial_number is None:
            continue  # deny-listed shapes such as "000000"
        assert resolve(index, evidence).asset_id == number


def test_the_scalar_kinds_are_exactly_the_single_valued_evidence_fields() -> None:
    from dataclasses import fields

    from inventory.domain.identity import SCALAR_KINDS, Evidence

    assert tuple(f.name for f in fields(Evidence) if f.name != "macs") == SCALAR_KINDS
