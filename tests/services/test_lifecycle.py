"""Transitions through the service layer: guarded by policy, recorded with who, when, why."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from inventory.db.engine import make_engine, session_scope
from inventory.db.types import utcnow
from inventory.domain.choices import BatchStatus, DisposalRoute, MachineRoomKind, Mode
from inventory.domain.errors import ConflictError, PolicyViolation, TransitionError
from inventory.models import (
    Asset,
    AuditEvent,
    Disposal,
    MachineRoom,
    MigrationWave,
    StateTransition,
    TransferBatch,
)
from inventory.services import lifecycle, records
from inventory.services.context import Actor
from tests import factories
from tests.conftest import Backend


def test_p2_a_mode_decision_is_recorded_with_who_when_and_why(
    session: Session, actor: Actor
) -> None:
    asset = factories.asset(session, actor, serial_number="SN1")
    lifecycle.decide_mode(session, actor, asset.id, Mode.CLOUD, "2026年第1次评审会")
    step = session.exec(select(StateTransition).where(StateTransition.machine == "mode")).one()
    assert (step.from_state, step.to_state, step.actor, step.reason) == (
        "undecided",
        "cloud",
        "user:tester",
        "2026年第1次评审会",
    )
    assert step.at <= utcnow()
    assert lifecycle.current_migration(session, asset).state == "identified"


def test_p2_a_decision_needs_a_reason(session: Session, actor: Actor) -> None:
    asset = factories.asset(session, actor, serial_number="SN1")
    with pytest.raises(PolicyViolation, match="reason"):
        lifecycle.decide_mode(session, actor, asset.id, Mode.CLOUD, "  ")


def test_p1_a_classified_asset_cannot_be_given_a_migration_mode(
    session: Session, actor: Actor
) -> None:
    asset = factories.asset(session, actor, serial_number="SN1", is_classified=True, mode="exempt")
    with pytest.raises(PolicyViolation, match="P1"):
        lifecycle.decide_mode(session, actor, asset.id, Mode.HOSTED, "试图纳入")
    assert (
        session.exec(select(StateTransition).where(StateTransition.machine != "mode")).all() == []
    )


def test_p1_servers_of_a_classified_unit_are_exempt_too(session: Session, actor: Actor) -> None:
    factories.department(session, actor, "BMJ", is_classified_unit=True)
    asset = factories.asset(session, actor, serial_number="SN1", department_code="BMJ")
    with pytest.raises(PolicyViolation, match="P1"):
        lifecycle.decide_mode(session, actor, asset.id, Mode.CLOUD, "x")


def test_a_stale_decision_is_refused(session: Session, actor: Actor) -> None:
    asset = factories.asset(session, actor, serial_number="SN1")
    with pytest.raises(ConflictError):
        lifecycle.decide_mode(
            session, actor, asset.id, Mode.CLOUD, "x", expected_version=asset.version + 3
        )


def test_a_decision_on_a_version_changed_since_it_was_read_writes_nothing(
    session: Session, actor: Actor
) -> None:
    asset = factories.asset(session, actor, serial_number="SN1")
    read_version = asset.version
    # Another writer moves the row on after this session loaded it; the loaded
    # object still says read_version, so only the database can tell.
    table = Asset.__table__  # type: ignore[attr-defined]
    session.execute(sa.update(table).where(table.c.id == asset.id).values(version=read_version + 1))
    with pytest.raises(ConflictError, match=f"version {read_version}.*now at version"):
        lifecycle.decide_mode(
            session, actor, asset.id, Mode.CLOUD, "评审", expected_version=read_version
        )
    assert session.exec(select(StateTransition)).all() == []


@pytest.mark.integration
def test_of_two_bureau_users_deciding_at_once_only_one_wins_on_postgresql(
    postgres_backend: Backend, actor: Actor
) -> None:
    url = postgres_backend.fresh_url()
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            asset_id = factories.asset(session, actor, serial_number="SN1").id
        with session_scope(engine) as first, session_scope(engine) as second:
            # Both read version 1 before either writes: the race the ETag cannot see.
            # (The rows are kept: a session's identity map holds them only weakly.)
            read = [reader.get(Asset, asset_id) for reader in (first, second)]
            assert [row.version for row in read] == [1, 1]
            lifecycle.decide_mode(first, Actor("user:甲"), asset_id, Mode.CLOUD, "上云", 1)
            first.commit()
            with pytest.raises(ConflictError, match="now at version 2"):
                lifecycle.decide_mode(second, Actor("user:乙"), asset_id, Mode.HOSTED, "托管", 1)
            second.rollback()
        with session_scope(engine) as session:
            asset = session.get(Asset, asset_id)
            assert (asset.mode, asset.version) == (Mode.CLOUD, 2)
            decisions = session.exec(
                select(StateTransition).where(StateTransition.machine == "mode")
            ).all()
            assert [d.actor for d in decisions] == ["user:甲"]
    finally:
        engine.dispose()
        postgres_backend.drop(url)


def test_the_mode_is_fixed_once_its_migration_has_started(session: Session, actor: Actor) -> None:
    asset = factories.asset(session, actor, serial_number="SN1")
    lifecycle.decide_mode(session, actor, asset.id, Mode.CLOUD, "评审")
    lifecycle.advance_migration(session, actor, asset.id, "assessed", "评估完成")
    with pytest.raises(PolicyViolation, match="already assessed"):
        lifecycle.decide_mode(session, actor, asset.id, Mode.HOSTED, "改主意")


def test_a_cloud_migration_runs_to_source_released_and_each_step_is_audited(
    session: Session, actor: Actor
) -> None:
    source = factories.asset(session, actor, serial_number="SRC")
    target = factories.asset(session, actor, serial_number="VM1", is_virtual=True)
    wave = records.create(session, actor, MigrationWave(code="W1", name="第一批", mode=Mode.CLOUD))
    lifecycle.decide_mode(session, actor, source.id, Mode.CLOUD, "评审")
    for step, details in (
        ("assessed", {}),
        ("planned", {"wave_id": wave.id}),
        ("migrating", {}),
        ("cut_over", {"target_asset_id": target.id}),
    ):
        lifecycle.advance_migration(session, actor, source.id, step, f"{step} done", **details)
    with pytest.raises(PolicyViolation, match="P6"):
        lifecycle.advance_migration(session, actor, source.id, "verified", "太早")
    # The poller saw the cloud VM answer after the cut-over.
    records.update(
        session,
        actor,
        Asset,
        target.id,
        target.version,
        {"last_seen": utcnow() + timedelta(minutes=1)},
    )
    lifecycle.advance_migration(session, actor, source.id, "verified", "目标在线，源端静默")
    record = lifecycle.advance_migration(session, actor, source.id, "source_released", "源端释放")
    assert record.state == "source_released"
    assert record.released_at is not None
    steps = session.exec(
        select(StateTransition.to_state)
        .where(StateTransition.object_type == "migrationrecord")
        .order_by(StateTransition.id)
    ).all()
    assert steps == ["assessed", "planned", "migrating", "cut_over", "verified", "source_released"]
    audited = session.exec(
        select(AuditEvent).where(AuditEvent.action == "cloud migration.transition")
    ).all()
    assert len(audited) == 6
    assert any(e.after and e.after.get("wave_id") == wave.id for e in audited)


def test_a_skipped_step_is_refused_naming_the_allowed_ones(session: Session, actor: Actor) -> None:
    asset = factories.asset(session, actor, serial_number="SN1")
    lifecycle.decide_mode(session, actor, asset.id, Mode.CLOUD, "评审")
    with pytest.raises(TransitionError, match="allowed from 'identified': assessed, on_hold"):
        lifecycle.advance_migration(session, actor, asset.id, "migrating", "跳步")


def test_a_hosted_server_arrives_when_seen_in_the_colocation_network(
    session: Session, actor: Actor
) -> None:
    room = records.create(
        session,
        actor,
        MachineRoom(
            code="TG", name="托管机房", kind=MachineRoomKind.COLOCATION, networks=["10.200.0.0/16"]
        ),
    )
    wave = records.create(
        session, actor, MigrationWave(code="H1", name="托管一批", mode=Mode.HOSTED)
    )
    asset = factories.asset(session, actor, serial_number="SN1", addresses=["10.21.0.5"])
    lifecycle.decide_mode(session, actor, asset.id, Mode.HOSTED, "评审")
    lifecycle.advance_migration(
        session,
        actor,
        asset.id,
        "planned",
        "排期",
        wave_id=wave.id,
        target_machine_room_id=room.id,
    )
    lifecycle.advance_migration(session, actor, asset.id, "relocating", "搬迁")
    with pytest.raises(PolicyViolation, match="colocation"):
        lifecycle.advance_migration(session, actor, asset.id, "hosted", "到位？")
    factories.asset(session, actor, serial_number="SN1", addresses=["10.200.3.7"])
    assert (
        lifecycle.advance_migration(session, actor, asset.id, "hosted", "在托管网段发现").state
        == "hosted"
    )


def test_p5_staff_follow_servers_in_an_approved_batch(session: Session, actor: Actor) -> None:
    department = factories.department(session, actor, "JYJ")
    server = factories.asset(session, actor, serial_number="SN1", department_code="JYJ")
    person = factories.staff(session, actor, department.id, maintains=[server])
    batch = records.create(session, actor, TransferBatch(number=1, name="第一批"))
    lifecycle.set_staff_state(session, actor, person.id, "nominated", "随服务器", batch_id=batch.id)
    with pytest.raises(PolicyViolation, match="approval"):
        lifecycle.set_staff_state(session, actor, person.id, "transferred", "划转")
    records.update(
        session,
        actor,
        TransferBatch,
        batch.id,
        batch.version,
        {"status": BatchStatus.APPROVED, "approval_doc_no": "市数据局〔2026〕12号"},
    )
    assert (
        lifecycle.set_staff_state(session, actor, person.id, "transferred", "划转").state
        == "transferred"
    )


@pytest.mark.parametrize("flag", ["is_law_enforcement", "is_classified_unit"])
def test_p5_staff_of_law_enforcement_or_classified_units_are_excluded(
    session: Session, actor: Actor, flag: str
) -> None:
    department = factories.department(session, actor, "GAJ", **{flag: True})
    server = factories.asset(
        session,
        actor,
        serial_number="SN1",
        department_code="GAJ",
        is_classified=flag == "is_classified_unit" or None,
        mode="exempt" if flag == "is_classified_unit" else None,
    )
    person = factories.staff(session, actor, department.id, maintains=[server])
    batch = records.create(session, actor, TransferBatch(number=1, name="第一批"))
    with pytest.raises(PolicyViolation, match="P5"):
        lifecycle.set_staff_state(session, actor, person.id, "nominated", "x", batch_id=batch.id)
    excluded = lifecycle.set_staff_state(session, actor, person.id, "excluded", "公检法/涉密 (P5)")
    assert excluded.exclusion_reason == "公检法/涉密 (P5)"


def test_p8_a_disposal_leaves_only_after_sanitisation_and_marks_the_asset_disposed(
    session: Session, actor: Actor
) -> None:
    asset = factories.asset(session, actor, serial_number="OLD1", lifecycle_status="idle")
    disposal = records.create(
        session,
        actor,
        Disposal(
            asset_id=asset.id,
            route=DisposalRoute.WRITE_OFF,
            reason="超过使用年限",
        ),
    )
    lifecycle.advance_disposal(
        session,
        actor,
        disposal.id,
        "approved",
        "批复",
        approval_doc_no="财资〔2026〕41号",
    )
    with pytest.raises(TransitionError):
        lifecycle.advance_disposal(session, actor, disposal.id, "written_off", "直接报废")
    with pytest.raises(PolicyViolation, match="P8"):
        lifecycle.advance_disposal(
            session,
            actor,
            disposal.id,
            "sanitised",
            "清除",
            sanitisation_method="destroy",
            sanitisation_operator="张伟",
        )
    lifecycle.advance_disposal(
        session,
        actor,
        disposal.id,
        "sanitised",
        "消磁并物理销毁",
        sanitisation_method="destroy",
        sanitisation_operator="张伟",
        sanitisation_verifier="李娜",
        sanitised_on=date(2026, 11, 1),
        sanitisation_certificate_no="XH-2026-001",
    )
    lifecycle.advance_disposal(session, actor, disposal.id, "written_off", "报废")
    session.refresh(asset)
    assert asset.lifecycle_status == "disposed"
    assert asset.disposed_at is not None
