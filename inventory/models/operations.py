"""Scans, credential profiles and the review queue: the ops engineers' side."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inventory.domain.choices import CredentialKind, ReviewKind, ReviewStatus, ScanKind, ScanStatus
from inventory.models.assets import new_uid
from inventory.models.base import Versioned, enum_field, json_field, utc_field


class Scan(SQLModel, table=True):
    """发现扫描: who scanned what with which profiles (names only), and what came of it."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, max_length=36, unique=True, index=True)
    kind: ScanKind = enum_field(ScanKind)
    status: ScanStatus = enum_field(ScanStatus, default=ScanStatus.QUEUED)
    requested_by: str = Field(max_length=128)
    zone: str | None = Field(default=None, max_length=64)
    targets: list[str] = json_field(default_factory=list)
    profile_names: list[str] = json_field(default_factory=list)
    options: dict[str, Any] = json_field()
    started_at: datetime | None = utc_field()
    finished_at: datetime | None = utc_field()
    probed: int = 0
    responding: int = 0
    errors: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    target_errors: dict[str, str] = json_field()
    # Per target: values the device should have told and did not, each with why.
    value_errors: dict[str, list[str]] = json_field(
        sa_column_kwargs={"server_default": sa.text("'{}'")}
    )


class CredentialProfile(Versioned, table=True):
    """凭据配置: the secret part is encrypted; nothing here returns it in clear."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    kind: CredentialKind = enum_field(CredentialKind)
    username: str | None = Field(default=None, max_length=64)
    params: dict[str, Any] = json_field()  # non-secret: protocols, port, key type
    secret_ciphertext: bytes = Field(sa_type=sa.LargeBinary)
    trust_on_first_use: bool = False
    allow_sudo: bool = False


class ReviewItem(SQLModel, table=True):
    """待核查: evidence the inventory refused to merge on its own."""

    id: int | None = Field(default=None, primary_key=True)
    kind: ReviewKind = enum_field(ReviewKind)
    status: ReviewStatus = enum_field(ReviewStatus, default=ReviewStatus.OPEN, index=True)
    asset_id: int | None = Field(default=None, foreign_key="asset.id", index=True)
    candidate_ids: list[int] = json_field(default_factory=list)
    observation: dict[str, Any] = json_field()
    reason: str = Field(max_length=1000)
    scan_id: int | None = Field(default=None, foreign_key="scan.id")
    created_at: datetime = utc_field(default_now=True)
    resolved_by: str | None = Field(default=None, max_length=128)
    resolved_at: datetime | None = utc_field()
    resolution: str | None = Field(default=None, max_length=1000)
