"""Audit events: recorded in the caller's transaction, secrets redacted, never edited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from inventory.db.bulk import insert_many
from inventory.db.engine import InventorySession
from inventory.db.types import utcnow
from inventory.models import AuditEvent, AuditPolicy, UtilisationSample
from inventory.services.context import Actor
from inventory.settings import MIN_AUDIT_RETENTION_DAYS

REDACTED = "[redacted]"
SECRET_FIELDS = frozenset(
    {"secret_ciphertext", "password_hash", "token_hash", "secret", "password", "passphrase"}
)
# Telemetry is data the collectors observe, not a decision anybody makes.
UNAUDITED_TABLES = frozenset({AuditEvent, UtilisationSample})


def redact(values: Mapping[str, Any]) -> dict[str, Any]:
    if SECRET_FIELDS.isdisjoint(values):  # the common case, at C speed
        return dict(values)
    return {key: (REDACTED if key in SECRET_FIELDS else value) for key, value in values.items()}


def snapshot(row: SQLModel) -> dict[str, Any]:
    """The row as JSON-ready values, secrets redacted."""
    return redact(row.model_dump(mode="json"))


def event(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    reason: str | None = None,
) -> dict[str, Any]:
    """One audit row as plain values, for bulk inserts."""
    return {
        "occurred_at": utcnow(),
        "actor": actor.name,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "before": redact(before) if before is not None else None,
        "after": redact(after) if after is not None else None,
        "request_id": actor.request_id,
        "reason": reason,
    }


def record(
    session: Session,
    actor: Actor,
    action: str,
    row: SQLModel,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    reason: str | None = None,
) -> AuditEvent:
    """Add an audit event for `row` to the session's transaction."""
    object_id = getattr(row, "uid", None) or getattr(row, "id", None)
    audit = AuditEvent(
        **event(actor, action, type(row).__tablename__, object_id, before, after, reason)  # type: ignore[arg-type]
    )
    session.add(audit)
    return audit


def announce(session: Session) -> None:
    """Declare that the next flush assigns ids its audit event (recorded next) needs."""
    session.info["announced"] = True


def record_many(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    insert_many(session.connection(), AuditEvent.__table__, rows)  # type: ignore[attr-defined]


def changed(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, on both sides."""
    keys = [key for key in after if before.get(key) != after[key]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


class UnauditedWriteError(RuntimeError):
    """A flush changed audited rows without an audit event: a bug, never user error."""


def guard_unaudited_flush(session: Session, _context: Any, _instances: Any) -> None:
    """before_flush hook: every flush that changes audited rows carries its audit event.

    The one exception is a flush that assigns the ids a following audit event
    needs, which the caller declares with :func:`announce`.
    """
    touched = [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if type(obj) not in UNAUDITED_TABLES
        and (obj in session.new or session.is_modified(obj) or obj in session.deleted)
    ]
    if not touched:
        return
    if any(isinstance(obj, AuditEvent) for obj in session.new):
        return
    if session.info.pop("announced", False):
        return
    names = sorted({type(obj).__name__ for obj in touched})
    raise UnauditedWriteError(f"write to {', '.join(names)} without an audit event")


# Every session the database layer opens carries the guard, once the services
# (the only code that writes) are loaded.
if not sa.event.contains(InventorySession, "before_flush", guard_unaudited_flush):
    sa.event.listen(InventorySession, "before_flush", guard_unaudited_flush)


def retention_days(session: Session) -> int:
    return session.exec(select(AuditPolicy.retention_days).where(AuditPolicy.id == 1)).one()


def set_retention(session: Session, actor: Actor, days: int) -> None:
    """Change how long audit events are kept (never below 184 days)."""
    if days < MIN_AUDIT_RETENTION_DAYS:
        raise ValueError(f"audit retention must be at least {MIN_AUDIT_RETENTION_DAYS} days")
    policy = session.get(AuditPolicy, 1)
    if policy is None:
        raise RuntimeError("auditpolicy row missing: run `inventory db upgrade`")
    if policy.retention_days == days:
        return
    before = snapshot(policy)
    policy.retention_days = days
    record(session, actor, "audit.retention", policy, before, snapshot(policy))


def purge_expired(session: Session, actor: Actor) -> int:
    """Delete audit events past retention (the database refuses younger ones)."""
    horizon = utcnow() - timedelta(days=retention_days(session))
    result = session.execute(sa.delete(AuditEvent).where(col(AuditEvent.occurred_at) < horizon))
    purged = int(result.rowcount)  # type: ignore[attr-defined]
    if purged:
        policy = session.get(AuditPolicy, 1)
        assert policy is not None
        record(
            session,
            actor,
            "audit.purge",
            policy,
            None,
            {"purged": purged, "older_than": horizon.isoformat()},
        )
    return purged
