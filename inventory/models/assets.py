"""Assets and what is known about them: addresses, MACs, parts, host keys, load."""

from __future__ import annotations

import uuid as uuidlib
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inventory.domain.choices import DeviceClass, HostKeyStatus, LifecycleStatus, Mode
from inventory.models.base import Timestamped, Versioned, enum_field, utc_field


def new_uid() -> str:
    return str(uuidlib.uuid4())


class Asset(Versioned, table=True):
    """One physical or virtual machine or device."""

    __table_args__ = (
        # Department x mode is the bureau's headline slice: counted on every list page.
        sa.Index("ix_asset_department_mode", "department_id", "mode"),
        # "Seen most recently first", never-seen last: the list's order, read off an index.
        sa.Index(
            "ix_asset_recently_seen", sa.text("last_seen DESC NULLS LAST"), sa.text("id DESC")
        ).ddl_if(dialect="postgresql"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, max_length=36, unique=True, index=True)
    name: str | None = Field(default=None, max_length=255)

    # Identity evidence, normalised by inventory.domain.identity.
    system_uuid: str | None = Field(default=None, max_length=36, index=True)
    serial_number: str | None = Field(default=None, max_length=128, index=True)
    machine_id: str | None = Field(default=None, max_length=32, index=True)
    snmp_engine_id: str | None = Field(default=None, max_length=96, index=True)
    ssh_host_key: str | None = Field(default=None, max_length=128, index=True)

    # Hardware and software.
    device_class: DeviceClass = enum_field(DeviceClass, default=DeviceClass.UNKNOWN)
    vendor: str | None = Field(default=None, max_length=64, index=True)
    model: str | None = Field(default=None, max_length=128)
    cpu_model: str | None = Field(default=None, max_length=128)
    cpu_count: int | None = Field(default=None, ge=0)
    memory_mb: int | None = Field(default=None, ge=0)
    disk_total_gb: int | None = Field(default=None, ge=0)
    os_name: str | None = Field(default=None, max_length=128)
    os_version: str | None = Field(default=None, max_length=64)
    firmware: str | None = Field(default=None, max_length=128)
    description: str | None = Field(default=None, max_length=512)  # sysDescr, uname: as sent
    is_virtual: bool = False
    hypervisor: str | None = Field(default=None, max_length=64)
    primary_address: str | None = Field(default=None, max_length=64, index=True)

    # Where it is, whose it is, what it does.
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    machine_room_id: int | None = Field(default=None, foreign_key="machineroom.id", index=True)
    location: str | None = Field(default=None, max_length=255)
    purpose: str | None = Field(default=None, max_length=255)

    # Fixed-asset fields (固定资产).
    asset_tag: str | None = Field(default=None, max_length=64, unique=True, index=True)
    purchase_date: date | None = None
    purchase_value: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    useful_life_years: int | None = Field(default=None, ge=0, le=50)
    warranty_until: date | None = None

    # Consolidation.
    is_classified: bool = False
    mode: Mode = enum_field(Mode, default=Mode.UNDECIDED, index=True)
    lifecycle_status: LifecycleStatus = enum_field(
        LifecycleStatus, default=LifecycleStatus.ACTIVE, index=True
    )
    monitoring_enabled: bool = False
    first_seen: datetime | None = utc_field()
    last_seen: datetime | None = utc_field(index=True)
    disposed_at: datetime | None = utc_field()
    notes: str | None = None


class AssetAddress(SQLModel, table=True):
    """An address an asset was seen at. Never identity: addresses move."""

    __table_args__ = (sa.UniqueConstraint("asset_id", "address"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    address: str = Field(max_length=64, index=True)
    source: str = Field(default="import", max_length=16)
    first_seen: datetime = utc_field(default_now=True)
    last_seen: datetime = utc_field(default_now=True)


class AssetMac(SQLModel, table=True):
    """A MAC address: weak identity evidence (cloned VMs, swapped NICs)."""

    __table_args__ = (sa.UniqueConstraint("asset_id", "mac"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    mac: str = Field(max_length=17, index=True)
    interface: str | None = Field(default=None, max_length=64)


class AssetComponent(SQLModel, table=True):
    """Disks, NICs, PSUs, modules: storage media matter for sanitisation (P8)."""

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    kind: str = Field(max_length=32)
    name: str | None = Field(default=None, max_length=128)
    model: str | None = Field(default=None, max_length=128)
    serial_number: str | None = Field(default=None, max_length=128, index=True)
    size_gb: int | None = None
    firmware: str | None = Field(default=None, max_length=64)


class HostKey(Timestamped, table=True):
    """An SSH host key seen at an address; only TRUSTED keys are logged into."""

    __table_args__ = (sa.UniqueConstraint("address", "port", "key_type"),)

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(max_length=64, index=True)
    port: int = 22
    key_type: str = Field(max_length=32)
    fingerprint_sha256: str = Field(max_length=128)
    status: HostKeyStatus = enum_field(HostKeyStatus, default=HostKeyStatus.PENDING)
    asset_id: int | None = Field(default=None, foreign_key="asset.id", index=True)
    approved_by: str | None = Field(default=None, max_length=64)
    approved_at: datetime | None = utc_field()


class UtilisationSample(SQLModel, table=True):
    """CPU, memory, network and logins at one moment; pruned by retention."""

    __table_args__ = (sa.Index("ix_sample_asset_at", "asset_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id")
    at: datetime = utc_field(default_now=True)
    cpu_pct: float | None = Field(default=None, ge=0, le=100)
    memory_pct: float | None = Field(default=None, ge=0, le=100)
    net_in_bps: float | None = Field(default=None, ge=0)
    net_out_bps: float | None = Field(default=None, ge=0)
    logged_in_users: int | None = Field(default=None, ge=0)
