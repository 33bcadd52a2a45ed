"""Read-side queries for lists: filters, sorting, paging and field selection, department-scoped.

Every list is built here from a `scope` (None for every department, else the
set of department ids the reader may see), so no route can forget it.
Pages come back as plain dicts straight from the database rows: a 100-row page
costs two statements (the count and the rows), whatever its size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inventory.db.types import as_utc
from inventory.domain.choices import DeviceClass, LifecycleStatus, Mode
from inventory.models import Asset, AuditEvent, Department, StaffAssignment

MAX_PAGE_SIZE = 500
MAX_PAGE_NUMBER = 1_000_000  # as the API bounds it; an offset past it overflows

# The columns of an asset a list can show, by the name the API uses.
ASSET_COLUMNS: dict[str, Any] = {
    "uid": Asset.uid,
    "name": Asset.name,
    "department": Department.code,
    "department_name": Department.name,
    "device_class": Asset.device_class,
    "vendor": Asset.vendor,
    "model": Asset.model,
    "serial_number": Asset.serial_number,
    "os_name": Asset.os_name,
    "os_version": Asset.os_version,
    "primary_address": Asset.primary_address,
    "asset_tag": Asset.asset_tag,
    "mode": Asset.mode,
    "lifecycle_status": Asset.lifecycle_status,
    "is_virtual": Asset.is_virtual,
    "is_classified": Asset.is_classified,
    "cpu_count": Asset.cpu_count,
    "memory_mb": Asset.memory_mb,
    "location": Asset.location,
    "first_seen": Asset.first_seen,
    "last_seen": Asset.last_seen,
    "version": Asset.version,
}
SORTABLE = frozenset(
    {
        "name",
        "department",
        "device_class",
        "vendor",
        "primary_address",
        "mode",
        "lifecycle_status",
        "first_seen",
        "last_seen",
        "asset_tag",
    }
)
TEXT_SEARCHED = (
    Asset.name,
    Asset.uid,
    Asset.primary_address,
    Asset.serial_number,
    Asset.asset_tag,
    Asset.vendor,
    Asset.model,
    Asset.os_name,
)


class QueryError(ValueError):
    """A filter, sort or field the list does not know; the message lists what it does."""


@dataclass(frozen=True)
class AssetFilter:
    department: str | None = None  # department code
    mode: Mode | None = None
    status: LifecycleStatus | None = None
    device_class: DeviceClass | None = None
    vendor: str | None = None
    seen_after: datetime | None = None
    seen_before: datetime | None = None
    text: str | None = None
    maintained_by: int | None = None  # staff id: the servers this person maintains


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = 50
    sort: str = "name"
    fields: Sequence[str] = field(default_factory=lambda: tuple(ASSET_COLUMNS))
    # The exact total costs a count over every match; a script paging through
    # everything until a short page can go without it.
    with_total: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.page <= MAX_PAGE_NUMBER:
            raise QueryError(f"page is 1 to {MAX_PAGE_NUMBER}")
        if not 1 <= self.per_page <= MAX_PAGE_SIZE:
            raise QueryError(f"per_page is 1 to {MAX_PAGE_SIZE}")
        if self.sort.removeprefix("-") not in SORTABLE:
            raise QueryError(f"cannot sort by {self.sort!r}; one of {', '.join(sorted(SORTABLE))}")
        unknown = [name for name in self.fields if name not in ASSET_COLUMNS]
        if unknown or not self.fields:
            raise QueryError(
                f"unknown field(s) {', '.join(unknown) or '(none asked)'}; "
                f"one of {', '.join(ASSET_COLUMNS)}"
            )


@dataclass
class Page:
    total: int | None  # None when the request went without it
    page: int
    per_page: int
    items: list[dict[str, Any]]


def parse_fields(text: str | None) -> tuple[str, ...]:
    if not text:
        return tuple(ASSET_COLUMNS)
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Each filter as a condition on bound parameters: a statement depends only on
# which filters apply, so it is built once per shape and reused (building it
# cost more than running it, docs/benchmarks.md); the values travel apart.
_CONDITIONS: dict[str, Any] = {
    "scope": lambda: col(Asset.department_id).in_(sa.bindparam("scope", expanding=True)),
    "department": lambda: col(Department.code) == sa.bindparam("department"),
    "mode": lambda: col(Asset.mode) == sa.bindparam("mode"),
    "status": lambda: col(Asset.lifecycle_status) == sa.bindparam("status"),
    "device_class": lambda: col(Asset.device_class) == sa.bindparam("device_class"),
    "vendor": lambda: col(Asset.vendor) == sa.bindparam("vendor"),
    "seen_after": lambda: col(Asset.last_seen) >= sa.bindparam("seen_after"),
    "seen_before": lambda: col(Asset.last_seen) < sa.bindparam("seen_before"),
    "maintained_by": lambda: col(Asset.id).in_(
        sa.select(col(StaffAssignment.asset_id)).where(
            col(StaffAssignment.staff_id) == sa.bindparam("maintained_by")
        )
    ),
    "pattern": lambda: sa.or_(
        *(col(c).ilike(sa.bindparam("pattern"), escape="\\") for c in TEXT_SEARCHED)
    ),
}


def asset_filter_values(criteria: AssetFilter, scope: frozenset[int] | None) -> dict[str, Any]:
    """The values of the filters that apply, by the name of their condition."""
    values: dict[str, Any] = {
        "department": criteria.department or None,
        "mode": criteria.mode or None,
        "status": criteria.status or None,
        "device_class": criteria.device_class or None,
        "vendor": criteria.vendor or None,
        "seen_after": as_utc(criteria.seen_after) if criteria.seen_after else None,
        "seen_before": as_utc(criteria.seen_before) if criteria.seen_before else None,
        "maintained_by": criteria.maintained_by,
        "pattern": _like(criteria.text.strip())
        if criteria.text and criteria.text.strip()
        else None,
    }
    if scope is not None:
        values["scope"] = sorted(scope)
    return {name: value for name, value in values.items() if value is not None}


def asset_conditions(names: Sequence[str]) -> list[sa.ColumnElement[bool]]:
    return [_CONDITIONS[name]() for name in names]


_JOINED = sa.outerjoin(Asset, Department, col(Department.id) == col(Asset.department_id))


@lru_cache(maxsize=1024)
def _page_statements(
    filters: tuple[str, ...], fields: tuple[str, ...], sort: str, with_total: bool
) -> tuple[sa.Select[Any] | None, sa.Select[Any]]:
    conditions = asset_conditions(filters)
    count = (
        sa.select(sa.func.count()).select_from(_JOINED).where(*conditions) if with_total else None
    )
    order = ASSET_COLUMNS[sort.removeprefix("-")]
    direction = sa.desc if sort.startswith("-") else sa.asc
    rows = (
        sa.select(*(ASSET_COLUMNS[name] for name in fields))
        .select_from(_JOINED)
        .where(*conditions)
        .order_by(direction(order).nulls_last(), direction(col(Asset.id)))
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .offset(sa.bindparam("offset", type_=sa.Integer))
    )
    return count, rows


def asset_page(
    session: Session, criteria: AssetFilter, request: PageRequest, scope: frozenset[int] | None
) -> Page:
    values = asset_filter_values(criteria, scope)
    fields = tuple(request.fields)
    count, select_rows = _page_statements(tuple(values), fields, request.sort, request.with_total)
    # Core statements on the session's connection: the ORM's execution path adds
    # nothing for plain column rows but time (docs/benchmarks.md).
    connection = session.connection()
    total = connection.execute(count, values).scalar_one() if count is not None else None
    paging = {"limit": request.per_page, "offset": (request.page - 1) * request.per_page}
    rows = connection.execute(select_rows, {**values, **paging}).all()
    items = [dict(zip(fields, row, strict=True)) for row in rows]
    return Page(total, request.page, request.per_page, items)


def asset_counts(session: Session, field_name: str, scope: frozenset[int] | None) -> dict[str, int]:
    """Assets per value of one list field (mode, device_class, ...), within the scope."""
    column = ASSET_COLUMNS[field_name]
    values = asset_filter_values(AssetFilter(), scope)
    rows = session.execute(
        sa.select(column, sa.func.count())
        .select_from(_JOINED)
        .where(*asset_conditions(tuple(values)))
        .group_by(column),
        values,
    ).all()
    return {str(key) if key is not None else "—": count for key, count in rows}


def asset_history(session: Session, uid: str, limit: int = 200) -> list[dict[str, Any]]:
    """The asset's audit events, newest first: who changed what, when and why."""
    rows = session.execute(
        sa.select(AuditEvent)
        .where(col(AuditEvent.object_type) == "asset", col(AuditEvent.object_id) == uid)
        .order_by(col(AuditEvent.occurred_at).desc(), col(AuditEvent.id).desc())
        .limit(limit)
    ).scalars()
    return [
        {
            "occurred_at": event.occurred_at,
            "actor": event.actor,
            "action": event.action,
            "before": event.before,
            "after": event.after,
            "reason": event.reason,
        }
        for event in rows
    ]
