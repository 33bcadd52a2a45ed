"""Technical staff (专业技术人员), who maintains what, and transfer batches (集中批次)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inventory.domain.choices import AssignmentRole, BatchStatus
from inventory.domain.lifecycles import StaffState
from inventory.models.base import Versioned, enum_field, utc_field


class TransferBatch(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True, index=True, ge=1)
    name: str = Field(max_length=128)
    status: BatchStatus = enum_field(BatchStatus, default=BatchStatus.DRAFT)
    approval_doc_no: str | None = Field(default=None, max_length=64)  # 批复文号
    approved_by: str | None = Field(default=None, max_length=128)
    approved_at: datetime | None = utc_field()
    notes: str | None = None


class Staff(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    staff_no: str = Field(max_length=32, unique=True, index=True)  # 工号
    name: str = Field(max_length=64)
    department_id: int = Field(foreign_key="department.id", index=True)
    title: str | None = Field(default=None, max_length=64)
    skills: str | None = Field(default=None, max_length=255)
    state: StaffState = enum_field(StaffState, default=StaffState.REGISTERED, index=True)
    batch_id: int | None = Field(default=None, foreign_key="transferbatch.id", index=True)
    exclusion_reason: str | None = Field(default=None, max_length=255)


class StaffAssignment(SQLModel, table=True):
    """Staff follow servers (人员随服务器走): this is the link they follow."""

    __table_args__ = (sa.UniqueConstraint("staff_id", "asset_id"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    role: AssignmentRole = enum_field(AssignmentRole, default=AssignmentRole.PRIMARY)
    since: datetime = utc_field(default_now=True)
