"""Import a sheet: validate every row first; write all good rows, or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inventory.interchange.columns import KINDS
from inventory.interchange.schemas import DepartmentIn, StaffIn
from inventory.interchange.streaming import validate_assets, write_assets
from inventory.interchange.tables import (
    DEFAULT_LIMITS,
    FileFormatError,
    Limits,
    Sheet,
    open_sheet,
    write_sheet,
)
from inventory.interchange.validate import (
    RowError,
    Validated,
    looks_like,
    map_headers,
    validate_sheet,
)
from inventory.models import Asset, Department, Staff, StaffAssignment
from inventory.services import records
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor

ERROR_HEADER = "错误 / error"


# How a sheet of each kind is named in a message (with its article: "an asset sheet").
_SHEET_NAMES = {
    "assets": "an asset sheet",
    "departments": "a department sheet",
    "staff": "a staff sheet",
}


@dataclass
class ImportReport:
    kind: str
    path: str
    total: int = 0
    valid: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    rejected_file: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "total": self.total,
            "valid": self.valid,
            "invalid_rows": len({e.line for e in self.errors}),
            "errors": [e.__dict__ for e in self.errors],
            "written": self.written,
            "dry_run": self.dry_run,
            "counts": self.counts,
            "rejected_file": self.rejected_file,
        }


def import_file(
    session: Session,
    actor: Actor,
    path: Path,
    kind: str,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ImportReport:
    """Read, validate and (unless dry_run or any row is bad) write `path`.

    `limits` caps the rows and cells (FileFormatError naming the cap).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    with open_sheet(path, limits) as stream:
        # The header first: a sheet of the wrong kind or with unknown columns is
        # refused before a single row is read.
        fits = looks_like(stream.headers)
        header_errors = map_headers(kind, stream.headers)[1]
        if fits is not None and fits != kind and header_errors:
            raise FileFormatError(
                f"{path.name} looks like {_SHEET_NAMES[fits]} (--kind {fits}), "
                f"not {_SHEET_NAMES[kind]}: import it with --kind {fits}"
            )
        if header_errors:
            return ImportReport(kind=kind, path=str(path), dry_run=dry_run, errors=header_errors)
        if kind == "assets":
            sheet = Sheet(stream.headers, [])
        else:  # departments and staff: small sheets, cross-checked as a whole
            sheet = Sheet(stream.headers, list(stream.rows))
    if kind == "assets":
        options = (dry_run, skip_invalid, limits)
        return _import_assets(session, actor, path, options, progress)
    departments = _department_resolver(session)
    checked = validate_sheet(kind, sheet, departments)
    checked.errors.extend(_check_references(session, checked))
    report = ImportReport(kind=kind, path=str(path), total=len(sheet.rows), dry_run=dry_run)
    report.errors = sorted(checked.errors, key=lambda e: (e.line, e.column))
    good = [(line, row) for line, row in checked.good if line not in checked.bad_lines]
    report.valid = len(good)
    if report.errors and not skip_invalid:
        return report
    if report.errors and skip_invalid:
        report.rejected_file = str(_save_rejected(path, checked))
    reason = f"import {kind} from {path.name}"
    rows = [row for _, row in good]
    if kind == "departments":
        report.counts = _apply_departments(session, actor, rows, reason)  # type: ignore[arg-type]
    else:
        report.counts = _apply_staff(session, actor, rows, reason)  # type: ignore[arg-type]
    if dry_run:
        session.rollback()
    else:
        report.written = True
    return report


def _import_assets(
    session: Session,
    actor: Actor,
    path: Path,
    options: tuple[bool, bool, Limits],
    progress: Callable[[int, int], None] | None,
) -> ImportReport:
    """Assets stream in two passes (interchange.streaming): flat memory in the row count."""
    dry_run, skip_invalid, limits = options
    departments = _department_resolver(session)
    checked, total = validate_assets(path, limits, departments)
    report = ImportReport(kind="assets", path=str(path), total=total, dry_run=dry_run)
    report.errors = sorted(checked.errors, key=lambda e: (e.line, e.column))
    bad = checked.bad_lines
    report.valid = total - len(bad)
    if report.errors and not skip_invalid:
        return report
    if report.errors:
        report.rejected_file = str(_save_rejected(path, checked))
    report.counts = write_assets(
        session,
        actor,
        path,
        limits,
        departments,
        bad,
        f"import assets from {path.name}",
        (lambda n: progress(n, total)) if progress else None,
    )
    if dry_run:
        session.rollback()
    else:
        report.written = True
    return report


def _department_resolver(session: Session) -> Callable[[str], str | None]:
    rows = session.execute(sa.select(Department.code, Department.name)).all()  # type: ignore[call-overload]
    by_code = {code: code for code, _ in rows}
    by_name = {name: code for code, name in rows}
    return lambda text: by_code.get(text) or by_name.get(text)


def _check_references(session: Session, checked: Validated) -> list[RowError]:
    """References to things the file or the database must already hold."""
    errors: list[RowError] = []
    if checked.kind == "departments":
        in_file = {row.code for _, row in checked.good}  # type: ignore[attr-defined]
        known = set(session.exec(select(Department.code)).all())
        for line, row in checked.good:
            parent = row.parent_code  # type: ignore[attr-defined]
            if parent and parent not in in_file | known:
                errors.append(
                    RowError(line, "上级部门编码", f"unknown parent department {parent!r}")
                )
    if checked.kind == "staff":
        assets = _asset_keys(session)
        for line, row in checked.good:
            for key in row.maintains:  # type: ignore[attr-defined]
                if key not in assets:
                    errors.append(RowError(line, "维护资产", f"unknown asset {key!r}"))
    return errors


def _asset_keys(session: Session) -> dict[str, int]:
    keys: dict[str, int] = {}
    for asset_id, uid, tag in session.execute(sa.select(Asset.id, Asset.uid, Asset.asset_tag)):  # type: ignore[call-overload]
        keys[uid] = asset_id
        if tag:
            keys[tag] = asset_id
    return keys


def _save_rejected(path: Path, checked: Validated) -> Path:
    target = path.with_name(f"{path.stem}.rejected{path.suffix}")
    reasons: dict[int, list[str]] = {}
    for error in checked.errors:
        reasons.setdefault(error.line, []).append(
            f"line {error.line} {error.column}: {error.reason}".strip()
        )
    rows = [
        [*checked.raw.get(line, []), "; ".join(messages)]
        for line, messages in sorted(reasons.items())
        if line in checked.raw
    ]
    write_sheet(target, [*checked.headers, ERROR_HEADER], rows)
    return target


def _apply_departments(
    session: Session, actor: Actor, rows: list[DepartmentIn], reason: str
) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    existing = {d.code: d for d in session.exec(select(Department)).all()}
    for row in rows:  # first pass: every department exists, parents or not
        values = row.model_dump(exclude={"parent_code"}, exclude_none=True)
        current = existing.get(row.code)
        if current is None:
            existing[row.code] = records.create(session, actor, Department(**values), reason)
            counts["created"] += 1
            continue
        changes = {k: v for k, v in values.items() if getattr(current, k) != v}
        if changes:
            records.update(session, actor, Department, current.id, current.version, changes, reason)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    for row in rows:  # second pass: parents, now that all codes resolve
        if row.parent_code:
            department = existing[row.code]
            parent_id = existing[row.parent_code].id
            if department.parent_id != parent_id:
                records.update(
                    session,
                    actor,
                    Department,
                    department.id,
                    department.version,
                    {"parent_id": parent_id},
                    reason,
                )
    return counts


def _apply_staff(
    session: Session, actor: Actor, rows: list[StaffIn], reason: str
) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0, "assignments_added": 0}
    departments: dict[str, int] = dict(
        session.execute(sa.select(col(Department.code), col(Department.id))).all()
    )
    assets = _asset_keys(session)
    existing = {s.staff_no: s for s in session.exec(select(Staff)).all()}
    for row in rows:
        values = row.model_dump(
            exclude={"department_code", "maintains", "state"}, exclude_none=True
        )
        values["department_id"] = departments[row.department_code]
        current = existing.get(row.staff_no)
        if current is None:
            if row.state not in (None, "registered"):
                raise records.InvalidValueError(
                    f"staff {row.staff_no}: new staff start as registered; "
                    "transfers go through their batches"
                )
            current = records.create(session, actor, Staff(**values), reason)
            counts["created"] += 1
        else:
            if row.state is not None and row.state != current.state:
                raise records.InvalidValueError(
                    f"staff {row.staff_no}: state {current.state} cannot be changed by import"
                )
            changes = {k: v for k, v in values.items() if getattr(current, k) != v}
            if changes:
                current = records.update(
                    session, actor, Staff, current.id, current.version, changes, reason
                )
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        have = set(
            session.exec(
                select(StaffAssignment.asset_id).where(StaffAssignment.staff_id == current.id)
            ).all()
        )
        for key in row.maintains:
            asset_id = assets[key]
            if asset_id not in have:
                assignment = StaffAssignment(staff_id=current.id, asset_id=asset_id)  # type: ignore[arg-type]
                records.create(session, actor, assignment, reason)
                have.add(asset_id)
                counts["assignments_added"] += 1
    return counts


__all__ = ["AssetIn", "ImportReport", "import_file"]
