"""Merging what scans see into the estate: no duplicates, nothing lost, everything audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from collectors.observation import Observation, TargetResult
from collectors.targets import Target
from inventory.db.engine import session_scope
from inventory.domain.choices import (
    DeviceClass,
    LifecycleStatus,
    ReviewKind,
    ScanKind,
    ScanStatus,
)
from inventory.domain.scan_options import ScanOptions
from inventory.models import (
    Asset,
    AssetAddress,
    AuditEvent,
    ReviewItem,
    Scan,
    UtilisationSample,
)
from inventory.services import audit, discovery, records
from inventory.services.context import Actor
from tests import factories

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def seen(address: str, **values: Any) -> TargetResult:
    observation = Observation(address=address, protocol="snmp", credential="lab", seen_at=NOW)
    for name, value in values.items():
        setattr(observation, name, value)
    return TargetResult(Target(address, 161), observation, responded=True)


def new_scan(session: Session, actor: Actor) -> Scan:
    return discovery.start_scan(session, actor, ScanKind.SNMP, ["10.0.0.0/24"], ["lab"], {})


def assets(session: Session) -> list[Asset]:
    return list(session.exec(select(Asset).order_by(col(Asset.id))))


def test_the_same_estate_scanned_twice_has_the_same_assets(session: Session, actor: Actor) -> None:
    batch = [
        seen("10.0.0.5", serial_number="2102311TQN10K6000123", name="jyj-srv-01"),
        seen("10.0.0.6", snmp_engine_id="80001f8805aabbccdd", macs=["3c:4f:0e:b1:8c:a7"]),
    ]
    first = discovery.merge_results(session, new_scan(session, actor), batch)
    second = discovery.merge_results(session, new_scan(session, actor), batch)
    assert first.counts["created"] == 2
    assert (second.counts["created"], second.counts["unchanged"]) == (0, 2)
    assert len(assets(session)) == 2


def test_a_device_that_moved_address_updates_its_asset(session: Session, actor: Actor) -> None:
    discovery.merge_results(
        session, new_scan(session, actor), [seen("10.0.0.5", serial_number="SN-MOVES-1")]
    )
    moved = discovery.merge_results(
        session, new_scan(session, actor), [seen("10.0.9.9", serial_number="SN-MOVES-1")]
    )
    (asset,) = assets(session)
    assert moved.counts["updated"] == 1
    assert asset.primary_address == "10.0.9.9"
    addresses = set(session.exec(select(AssetAddress.address)).all())
    assert addresses == {"10.0.0.5", "10.0.9.9"}  # history kept, nothing deleted


def test_placeholder_serials_are_no_identity(session: Session, actor: Actor) -> None:
    batch = [
        seen("10.0.0.5", name="srv-a", serial_number="To be filled by O.E.M."),
        seen("10.0.0.6", name="srv-b", serial_number="To be filled by O.E.M."),
    ]
    discovery.merge_results(session, new_scan(session, actor), batch)
    assert len(assets(session)) == 2
    assert all(a.serial_number is None for a in assets(session))


def test_an_answer_without_name_or_evidence_is_for_review_not_an_asset(
    session: Session, actor: Actor
) -> None:
    """Identity rule ADDRESS_NAME: nothing to tell it by, so never a silent 有物无账 row."""
    outcome = discovery.merge_results(session, new_scan(session, actor), [seen("10.0.0.5")])
    assert (outcome.counts["created"], outcome.counts["conflicts"]) == (0, 1)
    assert assets(session) == []


def test_contradicting_evidence_goes_to_review_not_a_merge(session: Session, actor: Actor) -> None:
    factories.asset(session, actor, serial_number="SN-A", addresses=["10.0.0.5"])
    factories.asset(
        session, actor, serial_number="SN-B", system_uuid="6f1c2d3e-0000-4000-8000-00000000000b"
    )
    outcome = discovery.merge_results(
        session,
        new_scan(session, actor),
        [
            seen(
                "10.0.0.5", serial_number="SN-A", system_uuid="6f1c2d3e-0000-4000-8000-00000000000b"
            )
        ],
    )
    assert outcome.counts["conflicts"] == 1
    (item,) = session.exec(select(ReviewItem)).all()
    assert item.kind is ReviewKind.IDENTITY_CONFLICT
    assert len(item.candidate_ids) == 2
    assert len(assets(session)) == 2


def test_a_bmc_speaks_for_its_server_without_renaming_it(session: Session, actor: Actor) -> None:
    server = factories.asset(
        session,
        actor,
        serial_number="21023113096890",
        name="rsj-srv-01",
        device_class=DeviceClass.SERVER,
        os_name="Kylin Linux Advanced Server",
    )
    discovery.merge_results(
        session,
        new_scan(session, actor),
        [
            seen(
                "10.0.1.5",
                serial_number="21023113096890",
                device_class="bmc",
                name="iBMC-01",
                os_name="iBMC",
                vendor="Huawei",
            )
        ],
    )
    session.refresh(server)
    assert (server.name, server.device_class, server.os_name) == (
        "rsj-srv-01",
        DeviceClass.SERVER,
        "Kylin Linux Advanced Server",
    )
    assert server.vendor == "Huawei"


def test_guesses_fill_gaps_but_never_overwrite_the_ledger(session: Session, actor: Actor) -> None:
    recorded = factories.asset(
        session, actor, serial_number="SN-OS", os_name="UOS Server", os_version="20 1060e"
    )
    blank = factories.asset(session, actor, serial_number="SN-BLANK")
    batch = [
        seen(
            "10.0.0.5",
            serial_number="SN-OS",
            os_name="UOS",
            os_version="4.19.90",
            inferred={"os_name", "os_version"},
        ),
        seen(
            "10.0.0.6",
            serial_number="SN-BLANK",
            os_name="UOS",
            os_version="4.19.90",
            inferred={"os_name", "os_version"},
        ),
    ]
    discovery.merge_results(session, new_scan(session, actor), batch)
    session.refresh(recorded)
    session.refresh(blank)
    assert (recorded.os_name, recorded.os_version) == ("UOS Server", "20 1060e")
    assert (blank.os_name, blank.os_version) == ("UOS", "4.19.90")


def test_load_is_sampled_for_idle_hardware_reports(session: Session, actor: Actor) -> None:
    discovery.merge_results(
        session,
        new_scan(session, actor),
        [
            seen(
                "10.0.0.5",
                serial_number="SN-LOAD",
                cpu_load_pct=3.5,
                memory_used_pct=12.0,
                logged_in_users=0,
            )
        ],
    )
    (sample,) = session.exec(select(UtilisationSample)).all()
    assert (sample.cpu_pct, sample.memory_pct, sample.logged_in_users) == (3.5, 12.0, 0)
    assert sample.at == NOW


def test_disks_become_components_once(session: Session, actor: Actor) -> None:
    from collectors.observation import Disk
    from inventory.models import AssetComponent

    disks = [Disk("sda", 558, "PERC H730P Mini", "6d09466"), Disk("sdb", 3725, None, None)]
    for _ in range(2):  # the second scan adds nothing
        discovery.merge_results(
            session,
            new_scan(session, actor),
            [seen("10.0.0.5", serial_number="SN-DISK", disks=disks)],
        )
    components = session.exec(select(AssetComponent).order_by(col(AssetComponent.name))).all()
    assert [(c.kind, c.name, c.serial_number, c.size_gb) for c in components] == [
        ("disk", "sda", "6d09466", 558),
        ("disk", "sdb", None, 3725),
    ]


def test_every_change_is_audited_with_the_scan_as_actor(session: Session, actor: Actor) -> None:
    scan = new_scan(session, actor)
    discovery.merge_results(session, scan, [seen("10.0.0.5", serial_number="SN-AUDIT")])
    (asset,) = assets(session)
    events = session.exec(select(AuditEvent).where(AuditEvent.object_id == asset.uid)).all()
    assert [e.actor for e in events] == [f"scan:{scan.uid}"]
    assert asset.first_seen == asset.last_seen == NOW


def test_p6_a_disposed_asset_that_answers_is_a_zombie_for_review(
    session: Session, actor: Actor
) -> None:
    gone = factories.asset(session, actor, serial_number="SN-ZOMBIE")
    records.update(
        session,
        actor,
        Asset,
        gone.id,
        gone.version,
        {"lifecycle_status": LifecycleStatus.DISPOSED},
        reason="scrapped",
    )
    outcome = discovery.merge_results(
        session, new_scan(session, actor), [seen("10.0.0.5", serial_number="SN-ZOMBIE")]
    )
    again = discovery.merge_results(
        session, new_scan(session, actor), [seen("10.0.0.5", serial_number="SN-ZOMBIE")]
    )
    assert outcome.zombies == [gone.uid] == again.zombies
    items = session.exec(select(ReviewItem).where(ReviewItem.kind == ReviewKind.ZOMBIE_ASSET)).all()
    assert len(items) == 1  # one open item, not one per scan


def test_p6_silent_assets_go_offline_and_come_back(session: Session, actor: Actor) -> None:
    quiet = factories.asset(session, actor, serial_number="SN-QUIET")
    session.execute(
        sa.update(Asset).where(col(Asset.id) == quiet.id).values(last_seen=NOW - timedelta(days=45))
    )
    never_scanned = factories.asset(session, actor, serial_number="SN-IMPORTED")
    assert discovery.flag_stale(session, actor, 30) == [quiet.uid]
    session.refresh(quiet)
    session.refresh(never_scanned)
    assert quiet.lifecycle_status is LifecycleStatus.OFFLINE
    assert never_scanned.lifecycle_status is LifecycleStatus.ACTIVE  # never seen is not stale
    discovery.merge_results(
        session, new_scan(session, actor), [seen("10.0.0.5", serial_number="SN-QUIET")]
    )
    back = session.exec(select(Asset.lifecycle_status).where(Asset.id == quiet.id)).one()
    assert back is LifecycleStatus.ACTIVE


def test_the_scan_record_keeps_counts_and_errors_but_no_secret(
    session: Session, actor: Actor
) -> None:
    scan = new_scan(session, actor)
    broken = TargetResult(
        Target("10.0.0.9", 161), None, responded=True, error="lab: undecodable reply"
    )
    silent = TargetResult(Target("10.0.0.10", 161))
    outcome = discovery.merge_results(
        session, scan, [seen("10.0.0.5", serial_number="SN-R"), broken, silent]
    )
    finished = discovery.finish_scan(session, scan.id, outcome, ScanStatus.SUCCEEDED)
    assert (finished.probed, finished.responding, finished.errors, finished.created) == (3, 2, 1, 1)
    assert finished.target_errors == {"10.0.0.9:161": "lab: undecodable reply"}
    assert finished.profile_names == ["lab"]
    assert finished.finished_at is not None


@pytest.mark.integration
def test_p1_a_classified_assets_address_never_receives_a_packet(engine: sa.Engine) -> None:
    from collectors.credentials import SnmpCredential, SnmpVersion
    from tests.agents import HostileAgent, answer

    actor = Actor("user:ops")
    with (
        HostileAgent(lambda data, addr: [answer(data)], "127.0.0.7") as secret,
        HostileAgent(lambda data, addr: [answer(data)], "127.0.0.8") as ordinary,
    ):
        with session_scope(engine) as session:
            factories.asset(
                session,
                actor,
                serial_number="SN-SECRET",
                is_classified=True,
                mode="exempt",
                addresses=["127.0.0.7"],
            )
            plan = discovery.plan_scan(
                session,
                [f"127.0.0.7:{secret.port}", f"127.0.0.8:{ordinary.port}"],
                [SnmpCredential("lab", SnmpVersion.V2C, community="c")],
                ScanOptions(timeout=0.3, retries=0),
            )
        outcome = discovery.run_scan(engine, actor, plan, ["127.0.0.7-8"], stale_after_days=30)
        assert secret.received == 0
        assert ordinary.received >= 1
    assert outcome.status is ScanStatus.SUCCEEDED
    assert outcome.counts["probed"] == 1


def test_ssh_hosts_that_keep_failing_rest_between_scans(session: Session, actor: Actor) -> None:
    from collectors.ssh.client import SshCredential

    for hours in (1, 3, 5, 7):  # four SSH scans, each failing on 10.0.0.5 only
        scan = discovery.start_scan(
            session, actor, ScanKind.SSH, ["10.0.0.0/29"], ["ops"], {"ssh_port": 22}
        )
        scan.status = ScanStatus.SUCCEEDED
        scan.started_at = NOW - timedelta(hours=hours)
        scan.target_errors = {"10.0.0.5:22": "ops: authentication failed"}
        session.add(scan)
        audit.record(session, actor, "test.setup", scan, None, {"note": "history"})
        session.flush()
    plan = discovery.plan_scan(
        session,
        ["10.0.0.4-6"],
        [],
        ScanOptions(),
        ssh_credentials=[SshCredential("ops", "ops", password="x")],
    )
    resting = discovery.ssh_resting(session, plan.specs, plan.exclusions, 22, NOW)
    assert resting == {"10.0.0.5"}
    later = discovery.ssh_resting(
        session, plan.specs, plan.exclusions, 22, NOW + timedelta(hours=3)
    )
    assert later == frozenset()  # the wait after four failures is two hours
