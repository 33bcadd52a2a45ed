"""Writes through the service layer: validated, versioned, audited, secrets redacted."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from inventory.db.engine import session_scope
from inventory.domain.choices import CredentialKind
from inventory.domain.errors import ConflictError
from inventory.models import AuditEvent, CredentialProfile, Department
from inventory.services import records
from inventory.services.audit import REDACTED, UnauditedWriteError
from inventory.services.context import Actor


def test_create_records_who_what_and_after_in_the_same_transaction(
    session: Session, actor: Actor
) -> None:
    department = records.create(session, actor, Department(code="D1", name="市教育局"))
    event = session.exec(select(AuditEvent)).one()
    assert (event.actor, event.action, event.object_id) == (
        "user:tester",
        "department.create",
        str(department.id),
    )
    assert event.after["name"] == "市教育局"
    assert event.request_id == actor.request_id


def test_update_bumps_the_version_and_audits_only_what_changed(
    session: Session, actor: Actor
) -> None:
    department = records.create(session, actor, Department(code="D1", name="市教育局"))
    updated = records.update(
        session, actor, Department, department.id, 1, {"name": "市教育体育局"}, reason="机构改革"
    )
    assert updated.version == 2
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "department.update")).one()
    assert event.before == {
        "name": "市教育局",
        "version": 1,
        "updated_at": event.before["updated_at"],
    }
    assert event.after["name"] == "市教育体育局"
    assert event.reason == "机构改革"


def test_a_stale_update_is_refused_and_overwrites_nothing(engine: sa.Engine, actor: Actor) -> None:
    with session_scope(engine) as session:
        department = records.create(session, actor, Department(code="D1", name="原名"))
    with session_scope(engine) as session:
        records.update(session, actor, Department, department.id, 1, {"name": "甲改的"})
    with session_scope(engine) as session, pytest.raises(ConflictError) as conflict:
        records.update(session, actor, Department, department.id, 1, {"name": "乙改的"})
    assert "version 1" in str(conflict.value)
    assert "now at version 2" in str(conflict.value)
    with session_scope(engine) as session:
        assert session.get(Department, department.id).name == "甲改的"


def test_two_concurrent_editors_of_one_version_cannot_both_win(
    engine: sa.Engine, actor: Actor
) -> None:
    with session_scope(engine) as session:
        department = records.create(session, actor, Department(code="D1", name="原名"))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def edit(name: str) -> None:
        barrier.wait()
        try:
            with session_scope(engine) as session:
                records.update(
                    session, Actor(f"user:{name}"), Department, department.id, 1, {"name": name}
                )
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    with session_scope(engine) as session:
        assert session.get(Department, department.id).version == 2


def test_invalid_values_are_refused_with_the_field_named(session: Session, actor: Actor) -> None:
    department = records.create(session, actor, Department(code="D1", name="x"))
    with pytest.raises(records.InvalidValueError, match="code"):
        records.update(session, actor, Department, department.id, 1, {"code": "X" * 40})
    with pytest.raises(records.InvalidValueError, match="read-only"):
        records.update(session, actor, Department, department.id, 1, {"version": 7})


def test_secrets_never_reach_the_audit_trail(session: Session, actor: Actor) -> None:
    sentinel = b"SENTINEL-SECRET-4711"
    records.create(
        session,
        actor,
        CredentialProfile(name="snmp-a", kind=CredentialKind.SNMP_V3, secret_ciphertext=sentinel),
    )
    event = session.exec(select(AuditEvent)).one()
    assert event.after["secret_ciphertext"] == REDACTED
    assert "SENTINEL" not in str(event.after)


def test_a_write_without_an_audit_event_is_refused(session: Session) -> None:
    session.add(Department(code="D9", name="未审计"))
    with pytest.raises(UnauditedWriteError, match="Department"):
        session.flush()
    session.rollback()


def test_deleting_with_the_current_version_is_audited(session: Session, actor: Actor) -> None:
    department = records.create(session, actor, Department(code="D1", name="x"))
    with pytest.raises(ConflictError):
        records.delete(session, actor, Department, department.id, expected_version=5)
    records.delete(session, actor, Department, department.id, expected_version=1, reason="重复录入")
    assert session.get(Department, department.id) is None
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "department.delete")).one()
