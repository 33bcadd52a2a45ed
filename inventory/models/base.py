"""Field helpers and mixins shared by the tables."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inventory.db.types import UTCDateTime, enum_column_type, utcnow


def enum_field(enum_cls: type[StrEnum], default: Any = ..., **kwargs: Any) -> Any:
    return Field(default=default, sa_type=enum_column_type(enum_cls), **kwargs)


def utc_field(default_now: bool = False, **kwargs: Any) -> Any:
    if default_now:
        return Field(default_factory=utcnow, sa_type=UTCDateTime, **kwargs)
    return Field(default=None, sa_type=UTCDateTime, **kwargs)


def json_field(default_factory: Any = dict, **kwargs: Any) -> Any:
    return Field(default_factory=default_factory, sa_type=sa.JSON, **kwargs)


class Timestamped(SQLModel):
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class Versioned(Timestamped):
    """Rows people edit: every update must name the version it was made against."""

    version: int = Field(default=1, ge=1)


def pk(row: SQLModel) -> int:
    """The primary key of a row that has been flushed (SQLModel types it int | None)."""
    key = getattr(row, "id", None)
    if not isinstance(key, int):
        raise ValueError(f"{type(row).__name__} has no id yet: add and flush it first")
    return key


def column_widths(model: type[SQLModel]) -> dict[str, int]:
    """The declared length of each string column: the one definition of a field's width.

    Validation (AssetIn) and clipping of device strings (the discovery merge)
    read their limits from here, so a migration that widens a column widens them.
    """
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    widths: dict[str, int] = {}
    for column in table.columns:
        # sqlmodel's AutoString carries the length without being an sa.String.
        length: object = getattr(column.type, "length", None)
        if isinstance(length, int):
            widths[column.name] = length
    return widths
