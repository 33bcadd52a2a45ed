"""Export a kind of row to CSV or XLSX in the columns the importer reads back."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from inventory.interchange.columns import COLUMNS, KINDS
from inventory.interchange.tables import sheet_format, write_sheet
from inventory.models import Asset, AssetAddress, AssetMac, Department, Staff, StaffAssignment


def export_file(
    session: Session,
    path: Path,
    kind: str,
    lang: str = "zh",
    department_ids: Iterable[int] | None = None,
) -> int:
    """Write every row of `kind` (optionally only some departments'); returns the count."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    sheet_format(path)
    if not path.parent.is_dir():  # before any query: the user hears it at once, in one line
        raise ValueError(f"cannot write {path}: the folder {path.parent} does not exist")
    columns = COLUMNS[kind]
    records = list(_RECORDS[kind](session, set(department_ids) if department_ids else None))
    rows = [
        [column.format(record.get(column.field), lang) for column in columns] for record in records
    ]
    write_sheet(path, [column.header(lang) for column in columns], rows)
    return len(rows)


def _codes(session: Session) -> dict[int, str]:
    return dict(session.execute(sa.select(Department.id, Department.code)).all())  # type: ignore[call-overload]


def _departments(session: Session, only: set[int] | None) -> Iterable[dict[str, Any]]:
    codes = _codes(session)
    for department in session.execute(sa.select(Department).order_by(Department.id)).scalars():  # type: ignore[arg-type]
        if only is None or department.id in only:
            yield {**department.model_dump(), "parent_code": codes.get(department.parent_id)}


def _grouped(session: Session, column: Any, key: Any) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for owner, value in session.execute(sa.select(key, column).order_by(key, column)):
        grouped.setdefault(owner, []).append(value)
    return grouped


def _assets(session: Session, only: set[int] | None) -> Iterable[dict[str, Any]]:
    codes = _codes(session)
    macs = _grouped(session, AssetMac.mac, AssetMac.asset_id)
    addresses = _grouped(session, AssetAddress.address, AssetAddress.asset_id)
    statement = sa.select(Asset).order_by(Asset.id)  # type: ignore[arg-type]
    if only is not None:
        statement = statement.where(Asset.department_id.in_(only))  # type: ignore[union-attr]
    for asset in session.execute(statement).scalars():
        values = asset.model_dump()
        values["department_code"] = codes.get(asset.department_id) if asset.department_id else None
        values["macs"] = macs.get(asset.id, [])
        primary = asset.primary_address
        listed = addresses.get(asset.id, [])
        values["addresses"] = ([primary] if primary else []) + [a for a in listed if a != primary]
        yield values


def _staff(session: Session, only: set[int] | None) -> Iterable[dict[str, Any]]:
    codes = _codes(session)
    maintains: dict[int, list[str]] = {}
    for staff_id, uid in session.execute(
        sa.select(StaffAssignment.staff_id, Asset.uid)  # type: ignore[call-overload]
        .join(Asset, Asset.id == StaffAssignment.asset_id)
        .order_by(StaffAssignment.staff_id, Asset.uid)
    ):
        maintains.setdefault(staff_id, []).append(uid)
    for staff in session.execute(sa.select(Staff).order_by(Staff.id)).scalars():  # type: ignore[arg-type]
        if only is None or staff.department_id in only:
            yield {
                **staff.model_dump(),
                "department_code": codes.get(staff.department_id),
                "maintains": maintains.get(staff.id, []),
            }


_RECORDS = {"departments": _departments, "assets": _assets, "staff": _staff}
