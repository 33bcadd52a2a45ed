"""Identity: an IP is never identity, placeholders never match, conflicts go to review."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from inventory.domain.identity import (
    Evidence,
    Outcome,
    normalise_mac,
    normalise_serial,
    normalise_uuid,
    resolve,
)
from inventory.domain.memory_index import MemoryIndex

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


# --- values two machines share (clones, template images, board batches) ---------

MACHINE_ID = "b7c1e0d2f3a44c5e8d9f0a1b2c3d4e5f"
HOST_KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
CLONE_1 = Evidence.of(machine_id=MACHINE_ID, ssh_host_key=HOST_KEY, macs=["00:50:56:8a:10:01"])
CLONE_2 = Evidence.of(machine_id=MACHINE_ID, ssh_host_key=HOST_KEY, macs=["00:50:56:8a:10:02"])


@pytest.mark.parametrize(
    "clone", [CLONE_2, Evidence.of(machine_id=MACHINE_ID, macs=["00:50:56:8a:10:02"])]
)
def test_a_clone_live_beside_its_template_is_a_new_asset(clone: Evidence) -> None:
    """Same machine-id (and host key, when the template's was copied), other MACs, both live."""
    index = index_with(a1=CLONE_1)
    index.live_ids.add(1)
    result = resolve(index, clone)
    assert result.outcome is Outcome.NEW
    assert "machine_id" in result.reason


def test_a_clone_of_an_asset_not_seen_in_this_run_goes_to_review() -> None:
    """It may be a clone, or the machine itself with new network cards: a person decides."""
    result = resolve(index_with(a1=CLONE_1), CLONE_2)
    assert result.outcome is Outcome.CONFLICT
    assert result.candidates == (1,)
    assert "clone" in result.reason


def test_a_value_two_assets_share_decides_nothing_and_macs_decide() -> None:
    index = index_with(a1=CLONE_1, a2=CLONE_2)
    assert resolve(index, CLONE_2).asset_id == 2
    assert resolve(index, CLONE_1).asset_id == 1
    third = Evidence.of(machine_id=MACHINE_ID, macs=["00:50:56:8a:10:03"])
    assert resolve(index, third).outcome is Outcome.NEW


def test_a_shared_value_alone_leaves_it_to_a_person() -> None:
    index = index_with(a1=CLONE_1, a2=CLONE_2)
    result = resolve(index, Evidence.of(machine_id=MACHINE_ID))
    assert result.outcome is Outcome.CONFLICT
    assert result.candidates == (1, 2)


def test_the_same_machine_seen_twice_in_one_run_is_one_asset() -> None:
    """A multi-homed host answers on two addresses: same MACs, so no clone."""
    index = index_with(a1=CLONE_1)
    index.live_ids.add(1)
    assert resolve(index, CLONE_1).asset_id == 1


def test_a_shared_uuid_on_two_live_machines_with_other_macs_is_not_identity() -> None:
    index = index_with(a1=Evidence.of(system_uuid=UUID_A, macs=["00:16:3e:00:00:01"]))
    index.live_ids.add(1)
    seen = Evidence.of(system_uuid=UUID_A, macs=["00:16:3e:00:00:02"])
    assert resolve(index, seen).outcome is Outcome.NEW


def test_weak_evidence_never_overrides_a_strong_contradiction() -> None:
    index = index_with(a1=Evidence.of(serial_number="SN1", macs=["00:16:3e:00:00:01"]))
    result = resolve(index, Evidence.of(serial_number="SN2", macs=["00:16:3e:00:00:01"]))
    assert result.outcome is Outcome.CONFLICT
    assert "serial_number" in result.reason


def test_a_uuid_read_in_the_other_byte_order_is_the_same_machine() -> None:
    """dmidecode on SMBIOS 2.6+ and an older reader print the first three fields swapped."""
    swapped = "44454c4c-4200-1035-8052-b4c04f4b4e32"
    index = index_with(a1=Evidence.of(system_uuid=UUID_A, serial_number="SN1"))
    assert resolve(index, Evidence.of(system_uuid=swapped.upper())).asset_id == 1
    assert resolve(index, Evidence.of(system_uuid=swapped, serial_number="SN1")).outcome is (
        Outcome.MATCH
    )


def test_shared_interface_macs_never_match() -> None:
    """Docker, VMware's vmnet8 and VRRP addresses are the same on many live hosts."""
    index = index_with(a1=Evidence.of(serial_number="SN1", macs=["00:16:3e:00:00:01"]))
    for mac in ("02:42:ac:11:00:01", "00:50:56:c0:00:08", "00:00:5e:00:01:01"):
        assert Evidence.of(macs=[mac]).is_empty()
    assert resolve(index, Evidence.of(macs=["02:42:ac:11:00:01"])).outcome is Outcome.NEW


def test_a_software_mac_alone_matches_a_kvm_guest() -> None:
    """52:54:00:… may be all a KVM guest has: weak evidence, still evidence."""
    index = index_with(a1=Evidence.of(machine_id=MACHINE_ID, macs=["52:54:00:12:34:56"]))
    assert resolve(index, Evidence.of(macs=["52:54:00:12:34:56"])).asset_id == 1


def test_a_software_mac_a_template_copied_never_joins_two_hosts() -> None:
    """Two hosts cloned with the template's virbr0 MAC, each with its own NIC."""
    virbr0 = "52:54:00:aa:bb:cc"
    index = index_with(a1=Evidence.of(macs=["00:16:3e:00:00:01", virbr0]))
    seen = Evidence.of(macs=["00:16:3e:00:00:02", virbr0])
    assert resolve(index, seen).outcome is Outcome.NEW


def test_stored_placeholders_from_older_releases_contradict_nothing() -> None:
    """An asset stored before a deny-list entry existed still matches a real serial."""
    stale = Evidence(serial_number="SYSTEMSERIALNUMBER", macs=frozenset({"00:16:3e:00:00:01"}))
    index = index_with(a1=stale)
    seen = Evidence.of(serial_number="2102311TQN10K6000123", macs=["00:16:3e:00:00:01"])
    assert resolve(index, seen).outcome is Outcome.MATCH


@given(st.uuids(), st.binary(min_size=6, max_size=6), st.data())
def test_any_notation_of_known_identifiers_resolves_to_the_same_asset(
    value: uuid.UUID, raw_mac: bytes, data: st.DataObject
) -> None:
    """Whatever reader or sheet wrote them, the same identifiers are the same machine."""
    mac = bytes([raw_mac[0] & 0xFC, *raw_mac[1:]])  # a NIC's: unicast, globally administered
    canonical_mac = ":".join(f"{b:02x}" for b in mac)
    assume(Evidence.of(system_uuid=str(value), macs=[canonical_mac]).system_uuid is not None)
    assume(Evidence.of(macs=[canonical_mac]).macs)
    index = index_with(a1=Evidence.of(system_uuid=str(value)), a2=Evidence.of(macs=[canonical_mac]))
    spelling = data.draw(
        st.sampled_from(
            [
                str(value).upper(),
                "{" + str(value) + "}",
                value.hex,
                str(uuid.UUID(bytes_le=value.bytes)),
            ]
        )
    )
    assert resolve(index, Evidence.of(system_uuid=spelling)).asset_id == 1
    written = data.draw(
        st.sampled_from(
            [
                canonical_mac.upper().replace(":", "-"),
                ":".join(f"{b:x}" for b in mac),
                "".join(f"{b:02x}" for b in mac),
                ".".join(canonical_mac.replace(":", "")[i : i + 4] for i in range(0, 12, 4)),
            ]
        )
    )
    assert resolve(index, Evidence.of(macs=[written])).asset_id == 2


def test_address_and_name_decide_only_for_thin_evidence_that_contradicts_nothing() -> None:
    """Rule ADDRESS_NAME: the weakest evidence; an IP address alone is never identity."""
    from inventory.domain.identity import by_place, is_thin

    thin = Evidence.of(snmp_engine_id="80001f8880aa")
    assert is_thin(thin)
    assert is_thin(Evidence())
    assert not is_thin(Evidence.of(serial_number="SN1"))
    assert not is_thin(Evidence.of(macs=["52:54:00:12:34:56"]))
    ledger = ("jyj-sto-01", Evidence.of(serial_number="SN1"))
    found = by_place(thin, "JYJ-STO-01", {7: ledger})
    assert (found.outcome, found.asset_id, found.matched_on) == (
        Outcome.MATCH,
        7,
        ("address", "name"),
    )
    assert by_place(thin, "jyj-web-09", {7: ledger}).outcome is Outcome.NEW  # address reused
    other = ("jyj-sto-01", Evidence.of(snmp_engine_id="80001f8880bb"))
    clash = by_place(thin, "jyj-sto-01", {8: other})
    assert (clash.outcome, clash.candidates) == (Outcome.CONFLICT, (8,))
    both = by_place(thin, "jyj-sto-01", {7: ledger, 9: ("jyj-sto-01", Evidence())})
    assert (both.outcome, both.candidates) == (Outcome.CONFLICT, (7, 9))  # never a guess
    # The ledger knows it at another address: only the name ties them, a person decides.
    named = by_place(thin, "jyj-sto-01", {}, {7: ledger})
    assert (named.outcome, named.candidates) == (Outcome.CONFLICT, (7,))
    assert by_place(thin, "jyj-sto-01", {}, {8: other}).outcome is Outcome.NEW  # contradicts
    nothing = by_place(Evidence(), None, {})
    assert nothing.outcome is Outcome.CONFLICT  # answered, told nothing: not an asset
