"""What the API accepts and answers, as the OpenAPI document describes it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from inventory.domain import scan_options as so
from inventory.domain.choices import (
    CredentialKind,
    DeviceClass,
    LifecycleStatus,
    MachineRoomKind,
    MachineRoomStatus,
    Mode,
    ReviewKind,
    ReviewStatus,
    Role,
    ScanKind,
    ScanStatus,
)
from inventory.domain.lifecycles import StaffState
from inventory.services.review import Action

# Row ids in paths: within the databases' 32-bit integer keys, or a clear 422.
RowId = Annotated[int, PathParam(ge=1, le=2_147_483_647)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssetSummary(BaseModel):
    """One row of the asset list; `fields` trims it, so every key is optional."""

    uid: str | None = None
    name: str | None = None
    department: str | None = None
    department_name: str | None = None
    device_class: DeviceClass | None = None
    vendor: str | None = None
    model: str | None = None
    serial_number: str | None = None
    os_name: str | None = None
    os_version: str | None = None
    primary_address: str | None = None
    asset_tag: str | None = None
    mode: Mode | None = None
    lifecycle_status: LifecycleStatus | None = None
    is_virtual: bool | None = None
    is_classified: bool | None = None
    cpu_count: int | None = None
    memory_mb: int | None = None
    location: str | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    version: int | None = None


class AssetPage(BaseModel):
    total: int | None = Field(description="matching assets; null when asked with total=false")
    page: int
    per_page: int
    items: list[AssetSummary]


class Component(BaseModel):
    kind: str
    name: str | None
    model: str | None
    serial_number: str | None
    size_gb: int | None


class HistoryEntry(BaseModel):
    occurred_at: datetime
    actor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None


class AssetDetail(BaseModel):
    uid: str
    name: str | None
    department: str | None
    machine_room: str | None
    device_class: DeviceClass
    vendor: str | None
    model: str | None
    serial_number: str | None
    system_uuid: str | None
    machine_id: str | None
    snmp_engine_id: str | None
    ssh_host_key: str | None
    cpu_model: str | None
    cpu_count: int | None
    memory_mb: int | None
    disk_total_gb: int | None
    os_name: str | None
    os_version: str | None
    firmware: str | None
    description: str | None
    is_virtual: bool
    hypervisor: str | None
    primary_address: str | None
    location: str | None
    purpose: str | None
    asset_tag: str | None
    purchase_date: date | None
    purchase_value: Decimal | None
    useful_life_years: int | None
    warranty_until: date | None
    is_classified: bool
    mode: Mode
    lifecycle_status: LifecycleStatus
    monitoring_enabled: bool
    first_seen: datetime | None
    last_seen: datetime | None
    notes: str | None
    version: int
    addresses: list[str]
    macs: list[str]
    components: list[Component]
    history: list[HistoryEntry]


class AssetPatch(Strict):
    """Ledger fields; which ones a role may change is in inventory.domain.access."""

    name: str | None = Field(default=None, max_length=255)
    location: str | None = Field(default=None, max_length=255)
    purpose: str | None = Field(default=None, max_length=255)
    notes: str | None = Field(default=None, max_length=10_000)
    department: str | None = Field(default=None, max_length=32, description="department code")
    machine_room: str | None = Field(default=None, max_length=32, description="room code")
    monitoring_enabled: bool | None = None
    asset_tag: str | None = Field(default=None, max_length=64)
    purchase_date: date | None = None
    purchase_value: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    useful_life_years: int | None = Field(default=None, ge=0, le=50)
    warranty_until: date | None = None


class ModeDecision(Strict):
    mode: Mode
    reason: str = Field(min_length=1, max_length=1000)


class DepartmentOut(BaseModel):
    code: str
    name: str
    name_en: str | None
    parent: str | None
    is_classified_unit: bool
    is_law_enforcement: bool
    version: int


class DepartmentIn(Strict):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1, max_length=128)
    name_en: str | None = Field(default=None, max_length=128)
    parent: str | None = Field(default=None, max_length=32)
    is_classified_unit: bool = False
    is_law_enforcement: bool = False


class DepartmentPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=128)
    name_en: str | None = Field(default=None, max_length=128)
    is_classified_unit: bool | None = None
    is_law_enforcement: bool | None = None


class RoomOut(BaseModel):
    code: str
    name: str
    kind: MachineRoomKind
    status: MachineRoomStatus
    department: str | None
    address: str | None
    networks: list[str]
    version: int


class RoomPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=128)
    status: MachineRoomStatus | None = None
    address: str | None = Field(default=None, max_length=256)


class StaffOut(BaseModel):
    id: int
    staff_no: str
    name: str
    department: str | None
    title: str | None
    skills: str | None
    state: StaffState
    version: int


class StaffPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=64)
    title: str | None = Field(default=None, max_length=64)
    skills: str | None = Field(default=None, max_length=255)


class ScanRequest(Strict):
    """Targets, profiles and the scan options, each field from its one definition."""

    targets: list[str] = Field(min_length=1, max_length=so.MAX_TARGETS)
    profiles: list[str] = Field(min_length=1, max_length=so.MAX_PROFILES)
    timeout: float = Field(**so.TIMEOUT.field())
    retries: int = Field(**so.RETRIES.field())
    concurrency: int = Field(**so.CONCURRENCY.field())
    packets_per_second: float = Field(**so.PACKETS_PER_SECOND.field())
    quick: bool = Field(**so.QUICK.field())
    ssh_port: int = Field(**so.SSH_PORT.field())

    def options(self) -> so.ScanOptions:
        return so.ScanOptions(**self.model_dump(exclude={"targets", "profiles"}))


class ScanLive(BaseModel):
    total: int
    probed: int
    responding: int
    errors: int


class ScanOut(BaseModel):
    uid: str
    kind: ScanKind | None
    status: ScanStatus
    requested_by: str
    targets: list[str]
    profile_names: list[str]
    started_at: datetime | None
    finished_at: datetime | None
    probed: int
    responding: int
    errors: int
    created: int
    updated: int
    unchanged: int
    conflicts: int
    target_errors: dict[str, str]
    value_errors: dict[str, list[str]] = {}
    live: ScanLive | None = None


class ReviewOut(BaseModel):
    id: int
    kind: ReviewKind
    status: ReviewStatus
    asset: str | None
    candidates: list[str]
    reason: str
    created_at: datetime
    resolved_by: str | None
    resolution: str | None


class ReviewDecision(Strict):
    action: Action
    reason: str = Field(min_length=1, max_length=1000)
    asset: str | None = Field(default=None, description="uid of the asset to merge into")


class CredentialIn(Strict):
    """A profile; the secret goes in and never comes out of any endpoint."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    kind: CredentialKind
    username: str | None = Field(default=None, max_length=64)
    secret: dict[str, str] = Field(
        description="community; or auth_key/priv_key (v3); or password; or private_key "
        "and passphrase"
    )
    params: dict[str, str | bool] = Field(default_factory=dict)
    trust_on_first_use: bool = False
    allow_sudo: bool = False


class CredentialOut(BaseModel):
    name: str
    kind: CredentialKind
    username: str | None
    params: dict[str, Any]
    trust_on_first_use: bool
    allow_sudo: bool
    version: int


class AuditOut(BaseModel):
    id: int
    occurred_at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    reason: str | None


class AuditPage(BaseModel):
    total: int
    page: int
    per_page: int
    items: list[AuditOut]


class UserIn(Strict):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=1, max_length=256)
    role: Role
    department: str | None = Field(default=None, max_length=32)
    display_name: str | None = Field(default=None, max_length=128)


class UserOut(BaseModel):
    username: str
    display_name: str | None
    role: Role
    department: str | None
    is_active: bool
    locked: bool


class TokenIn(Strict):
    name: str = Field(min_length=1, max_length=64)
    read_only: bool = False
    days: int = Field(default=90, ge=1, le=366)


class TokenOut(BaseModel):
    id: int
    name: str
    read_only: bool
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="shown once; only a salted hash is kept")


class Me(BaseModel):
    username: str
    role: Role
    department: str | None
    read_only: bool
