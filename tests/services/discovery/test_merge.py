"""The merge reads results as data: a batch that came over JSON merges the same."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import Session, select

from collectors.observation import (
    HostKey,
    KeyVerdict,
    Observation,
    TargetResult,
    from_json,
    to_json,
)
from collectors.targets import Target
from inventory.domain.choices import ScanKind
from inventory.models import Asset
from inventory.models import HostKey as StoredKey
from inventory.services import discovery
from inventory.services.context import Actor

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def batch() -> list[TargetResult]:
    server = Observation(
        "10.0.0.5",
        "ssh",
        "ops-key",
        NOW,
        name="jyj-srv-01",
        machine_id="0f4e6a2b9c1d4e5f8a7b6c5d4e3f2a1b",
        ssh_host_key="ab" * 32,
    )
    return [
        TargetResult(
            Target("10.0.0.5", 22),
            server,
            responded=True,
            host_key=HostKey("ssh-ed25519", "ab" * 32),
            verdict=KeyVerdict.FIRST_USE,
        ),
        TargetResult(Target("10.0.0.6", 22), responded=True, error="deadline reached in banner"),
        TargetResult(Target("10.0.0.7", 22)),
    ]


def test_a_batch_decoded_from_json_merges_like_the_original(session: Session, actor: Actor) -> None:
    decoded = [from_json(json.loads(json.dumps(to_json(r)))) for r in batch()]
    scan = discovery.start_scan(session, actor, ScanKind.SSH, ["10.0.0.5-7"], ["ops-key"], {})
    outcome = discovery.merge_results(session, scan, decoded)
    assert outcome.counts["created"] == 1
    assert (outcome.counts["probed"], outcome.counts["responding"]) == (3, 2)
    assert outcome.target_errors == {"10.0.0.6:22": "deadline reached in banner"}
    (key,) = session.exec(select(StoredKey)).all()  # the host key, read as data, was recorded
    assert key.fingerprint_sha256 == "ab" * 32
    again = discovery.merge_results(
        session,
        discovery.start_scan(session, actor, ScanKind.SSH, ["10.0.0.5-7"], ["ops-key"], {}),
        batch(),
    )
    assert (again.counts["created"], again.counts["unchanged"]) == (0, 1)
    assert len(session.exec(select(Asset)).all()) == 1


def test_an_unresolved_conflict_is_not_queued_again_on_a_rescan(
    session: Session, actor: Actor
) -> None:
    from inventory.domain.choices import ReviewKind
    from inventory.models import AuditEvent, ReviewItem
    from tests import factories

    factories.asset(session, actor, serial_number="SN-A", addresses=["10.0.0.5"])
    factories.asset(
        session, actor, serial_number="SN-B", system_uuid="6f1c2d3e-0000-4000-8000-00000000000b"
    )
    contradiction = Observation(
        "10.0.0.5",
        "snmp",
        "ro",
        NOW,
        serial_number="SN-A",
        system_uuid="6f1c2d3e-0000-4000-8000-00000000000b",
    )
    outcomes = [
        discovery.merge_results(
            session,
            discovery.start_scan(session, actor, ScanKind.SNMP, ["10.0.0.5"], ["ro"], {}),
            [TargetResult(Target("10.0.0.5", 161), contradiction, responded=True)],
        )
        for _ in range(3)
    ]
    assert [o.counts["conflicts"] for o in outcomes] == [1, 1, 1]  # still waiting, each time
    items = session.exec(
        select(ReviewItem).where(ReviewItem.kind == ReviewKind.IDENTITY_CONFLICT)
    ).all()
    assert len(items) == 1
    opened = session.exec(select(AuditEvent).where(AuditEvent.action == "review.open")).all()
    assert len(opened) == 1


def thin_snmp(name: str = "jyj-sto-01", engine: str = "80001f8880aa") -> Observation:
    """What an agent whose tables timed out tells: its system group only."""
    return Observation(
        "10.0.0.5",
        "snmp",
        "lab-v2c",
        NOW,
        name=name,
        description="Linux jyj-sto-01 5.10.0",
        device_class="server",
        snmp_engine_id=engine,
        value_errors=["tables: no answer from 10.0.0.5:161 after 1 tries of 0.1s"],
    )


def test_snmp_system_group_and_ssh_of_one_address_are_combined_ssh_winning() -> None:
    ssh = Observation(
        "10.0.0.5",
        "ssh",
        "lab-ssh",
        NOW,
        name="JYJ-STO-01",
        os_name="Kylin",
        machine_id="0f4e6a2b9c1d4e5f8a7b6c5d4e3f2a1b",
        ssh_host_key="ab" * 32,
        macs=["52:54:00:12:34:56"],
    )
    key = HostKey("ssh-ed25519", "ab" * 32)
    (one,) = discovery.combine_by_address(
        [
            TargetResult(Target("10.0.0.5", 161), thin_snmp(), responded=True),
            TargetResult(Target("10.0.0.5", 22), ssh, responded=True, host_key=key),
        ]
    )
    seen = one.observation
    assert seen is not None
    assert (seen.protocol, seen.name, seen.os_name) == ("ssh", "JYJ-STO-01", "Kylin")  # SSH wins
    assert seen.snmp_engine_id == "80001f8880aa"  # what only SNMP said is kept
    assert (seen.machine_id, seen.macs, one.host_key) == (ssh.machine_id, ssh.macs, key)
    assert seen.value_errors == thin_snmp().value_errors
    other = TargetResult(Target("10.0.0.6", 161), thin_snmp("b"), responded=True)
    assert len(discovery.combine_by_address([other, one])) == 2  # other addresses stay apart


def _merge_thin(session: Session, actor: Actor, seen: Observation) -> dict[str, int]:
    scan = discovery.start_scan(session, actor, ScanKind.SNMP, ["10.0.0.5"], ["lab-v2c"], {})
    result = TargetResult(Target("10.0.0.5", 161), seen, responded=True)
    return discovery.merge_results(session, scan, [result]).counts


def test_a_thin_answer_lands_on_the_asset_holding_its_address_and_name(
    session: Session, actor: Actor
) -> None:
    """Identity rule ADDRESS_NAME: no serial, UUID, machine-id or MAC; same address and name."""
    from tests import factories

    ledger = factories.asset(
        session, actor, name="jyj-sto-01", serial_number="SN-STO-01", addresses=["10.0.0.5"]
    )
    counts = _merge_thin(session, actor, thin_snmp())
    assert (counts["created"], counts["conflicts"]) == (0, 0)
    session.expire_all()  # the upsert writes through Core
    (asset,) = session.exec(select(Asset)).all()
    assert asset.id == ledger.id
    assert asset.snmp_engine_id == "80001f8880aa"  # now it has evidence of its own
    assert _merge_thin(session, actor, thin_snmp())["unchanged"] == 1


def test_an_address_reused_by_another_name_is_another_machine(
    session: Session, actor: Actor
) -> None:
    from tests import factories

    factories.asset(session, actor, name="jyj-sto-01", addresses=["10.0.0.5"])
    assert _merge_thin(session, actor, thin_snmp(name="jyj-web-09"))["created"] == 1


def test_the_same_name_with_contradicting_evidence_is_for_review_never_a_duplicate(
    session: Session, actor: Actor
) -> None:
    from inventory.models import ReviewItem
    from tests import factories

    factories.asset(
        session, actor, name="jyj-sto-01", snmp_engine_id="80001f8880bb", addresses=["10.0.0.5"]
    )
    counts = _merge_thin(session, actor, thin_snmp(engine="80001f8880aa"))
    assert (counts["created"], counts["conflicts"]) == (0, 1)
    (item,) = session.exec(select(ReviewItem)).all()
    assert "address and name" in item.reason
    assert len(session.exec(select(Asset)).all()) == 1


def test_a_machine_split_before_the_rule_is_queued_for_review_not_updated_forever(
    session: Session, actor: Actor
) -> None:
    """Two rows at one address under one name, a scan's serial naming one: a person decides."""
    from inventory.models import ReviewItem
    from tests import factories

    ledger = factories.asset(
        session, actor, name="jyj-sto-01", serial_number="SN-STO-01", addresses=["10.0.0.5"]
    )
    orphan = factories.asset(
        session, actor, name="jyj-sto-01", snmp_engine_id="80001f8880aa", addresses=["10.0.0.5"]
    )
    full = Observation(
        "10.0.0.5", "snmp", "lab-v2c", NOW, name="jyj-sto-01", serial_number="SN-STO-01"
    )
    counts = [_merge_thin(session, actor, full)["conflicts"] for _ in range(2)]
    assert counts == [1, 1]  # the open item stands for it on the rescan
    (item,) = session.exec(select(ReviewItem)).all()
    assert item.asset_id == orphan.id
    assert set(item.candidate_ids or ()) == {ledger.id, orphan.id}
