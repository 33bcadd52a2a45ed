"""The append-only audit trail (审计日志). The database refuses changes to it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inventory.domain.policy import MIN_AUDIT_RETENTION_DAYS
from inventory.models.base import json_field, utc_field


class AuditEvent(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_audit_object", "object_type", "object_id"),)

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = utc_field(default_now=True, index=True)
    actor: str = Field(max_length=128, index=True)
    action: str = Field(max_length=64)
    object_type: str = Field(max_length=32)
    object_id: str = Field(max_length=64)
    before: dict[str, Any] | None = json_field(default_factory=lambda: None, nullable=True)
    after: dict[str, Any] | None = json_field(default_factory=lambda: None, nullable=True)
    request_id: str | None = Field(default=None, max_length=64, index=True)
    reason: str | None = Field(default=None, max_length=1000)
    # SHA-256 over the predecessor's chain_hash and this event's content
    # (inventory.domain.audit_chain); set in the transaction that writes the event.
    chain_hash: str | None = Field(default=None, max_length=64)


class AuditChain(SQLModel, table=True):
    """One row: the chain's tail (head) and where pruning cut it (anchor).

    Writers lock this row (PostgreSQL: SELECT ... FOR UPDATE; SQLite: the
    write transaction) so that two transactions cannot fork the chain.
    """

    __table_args__ = (sa.CheckConstraint("id = 1", name="ck_auditchain_single_row"),)

    id: int = Field(default=1, primary_key=True)
    head_hash: str = Field(max_length=64)
    # Events up to and including anchor_id were pruned; the next one links to anchor_hash.
    anchor_id: int = Field(default=0)
    anchor_hash: str = Field(max_length=64)


class AuditPolicy(SQLModel, table=True):
    """One row: how long audit events are kept. The database refuses less than 184 days."""

    __table_args__ = (
        sa.CheckConstraint(
            f"retention_days >= {MIN_AUDIT_RETENTION_DAYS}", name="ck_auditpolicy_min_retention"
        ),
        sa.CheckConstraint("id = 1", name="ck_auditpolicy_single_row"),
    )

    id: int = Field(default=1, primary_key=True)
    retention_days: int
