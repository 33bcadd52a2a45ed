"""Audit events: recorded in the caller's transaction, secrets redacted, chained, never edited.

Every event goes through inventory.services.audit_chain (hashed onto the
chain) and pays what inventory.services.writes says the transaction owes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from inventory.db.types import utcnow
from inventory.models import AuditEvent, AuditPolicy
from inventory.services import audit_chain, writes
from inventory.services.context import Actor
from inventory.services.writes import UnauditedWriteError
from inventory.services.writes import guard_flush as guard_unaudited_flush
from inventory.settings import MIN_AUDIT_RETENTION_DAYS

REDACTED = "[redacted]"
SECRET_FIELDS = frozenset(
    {"secret_ciphertext", "password_hash", "token_hash", "secret", "password", "passphrase"}
)
# Every session the database layer opens carries the write ledger, once the
# services (the only code that writes) are loaded.
writes.install()


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
) -> None:
    """Write an audit event for `row` in the session's transaction, chained."""
    object_id = getattr(row, "uid", None) or getattr(row, "id", None)
    object_type = str(type(row).__tablename__)
    values = event(actor, action, object_type, object_id, before, after, reason)
    audit_chain.append(session.connection(), [values])
    writes.paid(session, object_type, row)


def record_many(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write many events (as :func:`event` builds them) in one statement, chained."""
    audit_chain.append(session.connection(), rows)
    for values in rows:
        writes.paid(session, values["object_type"])


def changed(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, on both sides."""
    keys = [key for key in after if before.get(key) != after[key]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


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
    """Delete audit events past retention (the database refuses younger ones).

    Cuts the chain in id order, before the oldest event still within
    retention, and anchors the first kept event (audit_chain.cut_before), so
    the rest still verifies.
    """
    horizon = utcnow() - timedelta(days=retention_days(session))
    first_kept = session.execute(
        sa.select(sa.func.min(col(AuditEvent.id))).where(col(AuditEvent.occurred_at) >= horizon)
    ).scalar()
    purged = audit_chain.cut_before(session.connection(), first_kept)
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


__all__ = [
    "REDACTED",
    "SECRET_FIELDS",
    "UnauditedWriteError",
    "changed",
    "event",
    "guard_unaudited_flush",
    "purge_expired",
    "record",
    "record_many",
    "redact",
    "retention_days",
    "set_retention",
    "snapshot",
]
