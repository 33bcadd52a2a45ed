"""Migration waves, per-asset migration records and the history of every transition."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inventory.domain.choices import Mode, WaveStatus
from inventory.models.base import Versioned, enum_field, utc_field


class MigrationWave(Versioned, table=True):
    """迁移批次."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=128)
    mode: Mode = enum_field(Mode)
    status: WaveStatus = enum_field(WaveStatus, default=WaveStatus.PLANNING)
    planned_start: date | None = None
    planned_end: date | None = None
    notes: str | None = None


class MigrationRecord(Versioned, table=True):
    """How far one asset is along its mode's lifecycle.

    `state` holds a value of the lifecycle enum that `mode` selects
    (inventory.domain.lifecycles.MIGRATION_MACHINES).
    """

    __table_args__ = (sa.UniqueConstraint("asset_id", "mode"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    mode: Mode = enum_field(Mode)
    state: str = Field(max_length=32, index=True)
    wave_id: int | None = Field(default=None, foreign_key="migrationwave.id", index=True)
    target_machine_room_id: int | None = Field(default=None, foreign_key="machineroom.id")
    target_asset_id: int | None = Field(default=None, foreign_key="asset.id")
    target_description: str | None = Field(default=None, max_length=255)
    planned_date: date | None = None
    cutover_at: datetime | None = utc_field()
    verified_at: datetime | None = utc_field()
    released_at: datetime | None = utc_field()


class StateTransition(SQLModel, table=True):
    """One step of any lifecycle, and every mode decision (P2): who, when, why.

    Kept for good, unlike the audit trail, which retention prunes.
    """

    __table_args__ = (sa.Index("ix_transition_object", "object_type", "object_id"),)

    id: int | None = Field(default=None, primary_key=True)
    machine: str = Field(max_length=32)
    object_type: str = Field(max_length=32)
    object_id: int
    from_state: str | None = Field(default=None, max_length=32)
    to_state: str = Field(max_length=32)
    actor: str = Field(max_length=128)
    at: datetime = utc_field(default_now=True)
    reason: str = Field(max_length=1000)
