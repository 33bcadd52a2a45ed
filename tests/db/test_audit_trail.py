"""P7: the audit trail is append-only in the database itself, even against raw SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import col

from inventory.db.engine import make_engine, session_scope
from inventory.db.types import utcnow
from inventory.models import AuditEvent, AuditPolicy
from inventory.services import audit
from inventory.services.audit_chain import append
from inventory.services.context import Actor
from tests.conftest import Backend

REFUSED = (sa.exc.IntegrityError, sa.exc.DatabaseError)


def _insert_event(engine: sa.Engine, age_days: int) -> int:
    """An event written `age_days` ago, chained as the application chains it."""
    at = utcnow() - timedelta(days=age_days)
    with engine.begin() as connection:
        append(
            connection,
            [{**audit.event(Actor("user:a"), "x", "asset", 1, None, None), "occurred_at": at}],
        )
        newest = connection.execute(sa.select(sa.func.max(col(AuditEvent.id)))).scalar_one()
    assert newest is not None
    return newest


def _assert_refused(engine: sa.Engine, sql: str) -> None:
    with (
        pytest.raises(REFUSED, match=r"(?i)append-only|refused|check"),
        engine.begin() as connection,
    ):
        connection.exec_driver_sql(sql)


def check_append_only(engine: sa.Engine) -> None:
    young = _insert_event(engine, age_days=1)
    _assert_refused(engine, f"UPDATE auditevent SET actor = 'someone else' WHERE id = {young}")
    _assert_refused(engine, f"DELETE FROM auditevent WHERE id = {young}")
    _assert_refused(engine, "DELETE FROM auditevent")
    _assert_refused(engine, "UPDATE auditpolicy SET retention_days = 30")
    _assert_refused(engine, "DELETE FROM auditpolicy")
    with engine.connect() as connection:
        assert (
            connection.execute(
                sa.select(AuditEvent.actor).where(AuditEvent.id == young)
            ).scalar_one()
            == "user:a"
        )


def test_audit_rows_cannot_be_changed_or_deleted_with_raw_sql(engine: sa.Engine) -> None:
    check_append_only(engine)


@pytest.mark.integration
def test_audit_rows_cannot_be_changed_or_deleted_on_postgresql(postgres_backend: Backend) -> None:
    url = postgres_backend.fresh_url()
    engine = make_engine(url)
    try:
        check_append_only(engine)
        _assert_refused(engine, "TRUNCATE auditevent")
    finally:
        engine.dispose()
        postgres_backend.drop(url)


def test_only_events_past_retention_are_purged_and_the_purge_is_audited(engine: sa.Engine) -> None:
    old = _insert_event(engine, age_days=400)
    young = _insert_event(engine, age_days=200)
    with session_scope(engine) as session:
        assert audit.purge_expired(session, Actor("system:retention")) == 1
    with engine.connect() as connection:
        ids = set(connection.execute(sa.select(AuditEvent.id)).scalars())
        purge = connection.execute(
            sa.select(AuditEvent.after).where(AuditEvent.action == "audit.purge")
        ).scalar_one()
    assert old not in ids
    assert young in ids
    assert purge["purged"] == 1


def test_retention_below_six_months_is_refused(engine: sa.Engine) -> None:
    with session_scope(engine) as session, pytest.raises(ValueError, match="184"):
        audit.set_retention(session, Actor("user:a"), 90)
    with session_scope(engine) as session:
        audit.set_retention(session, Actor("user:a"), 184)
    with session_scope(engine) as session:
        assert session.get(AuditPolicy, 1).retention_days == 184
