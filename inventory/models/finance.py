"""Disposal records, the finance bureau's fixed-asset register and reconciliation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inventory.domain.choices import DisposalRoute, ReconciliationStatus, SanitisationMethod
from inventory.domain.lifecycles import DisposalState
from inventory.models.base import Versioned, enum_field, json_field, utc_field


class Disposal(Versioned, table=True):
    """处置: proposed, approved, sanitised (P8), then warehouse, write-off or redeploy."""

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    route: DisposalRoute = enum_field(DisposalRoute)
    state: DisposalState = enum_field(DisposalState, default=DisposalState.PROPOSED, index=True)
    reason: str = Field(max_length=1000)
    healthy: bool = True
    approval_doc_no: str | None = Field(default=None, max_length=64)
    approved_by: str | None = Field(default=None, max_length=128)
    approved_at: datetime | None = utc_field()
    sanitisation_method: SanitisationMethod | None = enum_field(SanitisationMethod, default=None)
    sanitisation_operator: str | None = Field(default=None, max_length=64)
    sanitisation_verifier: str | None = Field(default=None, max_length=64)
    sanitised_on: date | None = None
    sanitisation_certificate_no: str | None = Field(default=None, max_length=64)
    book_value: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    warehouse_receipt_no: str | None = Field(default=None, max_length=64)
    register_row_id: int | None = Field(default=None, foreign_key="registerrow.id")


class RegisterRow(SQLModel, table=True):
    """One row of the finance bureau's fixed-asset register (固定资产账), as imported."""

    __table_args__ = (sa.UniqueConstraint("import_batch", "card_no"),)

    id: int | None = Field(default=None, primary_key=True)
    import_batch: str = Field(max_length=64, index=True)
    card_no: str = Field(max_length=64, index=True)  # 资产卡片编号
    name: str = Field(max_length=255)
    category: str | None = Field(default=None, max_length=64)
    brand_model: str | None = Field(default=None, max_length=255)
    serial_number: str | None = Field(default=None, max_length=128, index=True)
    department_code: str | None = Field(default=None, max_length=32)
    department_name: str | None = Field(default=None, max_length=128)
    location: str | None = Field(default=None, max_length=255)
    custodian: str | None = Field(default=None, max_length=64)
    original_value: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    accumulated_depreciation: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    net_book_value: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    purchase_date: date | None = None
    useful_life_years: int | None = None
    raw: dict[str, Any] = json_field()
    imported_at: datetime = utc_field(default_now=True)


class ReconciliationLink(SQLModel, table=True):
    """账实核对: a register row and the asset discovery saw for it."""

    id: int | None = Field(default=None, primary_key=True)
    register_row_id: int | None = Field(default=None, foreign_key="registerrow.id", index=True)
    asset_id: int | None = Field(default=None, foreign_key="asset.id", index=True)
    status: ReconciliationStatus = enum_field(ReconciliationStatus)
    method: str = Field(max_length=32)  # card_no, serial, manual
    confirmed_by: str | None = Field(default=None, max_length=128)
    confirmed_at: datetime | None = utc_field()
