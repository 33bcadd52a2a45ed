"""Departments, machine rooms and the information systems they run."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from inventory.domain.choices import MachineRoomKind, MachineRoomStatus, Mode
from inventory.models.base import Versioned, enum_field, json_field, utc_field


class Department(Versioned, table=True):
    """部门 / 单位: owner of assets and employer of staff."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=128)
    name_en: str | None = Field(default=None, max_length=128)
    parent_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    is_classified_unit: bool = False  # 涉密单位: all its servers are exempt (P1)
    is_law_enforcement: bool = False  # 公检法: its staff are excluded (P5)


class MachineRoom(Versioned, table=True):
    """部门小机房, 政务云, 托管机房 or 大数据标准机房."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=128)
    kind: MachineRoomKind = enum_field(MachineRoomKind)
    status: MachineRoomStatus = enum_field(MachineRoomStatus, default=MachineRoomStatus.IN_USE)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    address: str | None = Field(default=None, max_length=256)
    # CIDRs of the room's networks: a hosted server seen there has arrived.
    networks: list[str] = json_field(default_factory=list)
    emptied_at: datetime | None = utc_field()


class InformationSystem(Versioned, table=True):
    """政务信息系统: migration is planned per system, carried out per asset."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=128)
    department_id: int = Field(foreign_key="department.id", index=True)
    description: str | None = None
    protection_level: int | None = Field(default=None, ge=1, le=5)  # 等保级别
    target_mode: Mode = enum_field(Mode, default=Mode.UNDECIDED)


class AssetSystemLink(SQLModel, table=True):
    """Which assets run which information system."""

    asset_id: int = Field(foreign_key="asset.id", primary_key=True)
    system_id: int = Field(foreign_key="informationsystem.id", primary_key=True, index=True)
