"""The estate summary: the numbers the bureau answers the city leadership with."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inventory.db.types import utcnow
from inventory.domain import policy
from inventory.domain.choices import (
    LifecycleStatus,
    MachineRoomKind,
    MachineRoomStatus,
    Mode,
    ReviewStatus,
)
from inventory.domain.facts import AssetFacts
from inventory.models import (
    Asset,
    Department,
    Disposal,
    MachineRoom,
    MigrationRecord,
    ReviewItem,
    Staff,
    StaffAssignment,
)


@dataclass
class EstateSummary:
    total_assets: int = 0
    in_scope: int = 0
    exempt: int = 0
    by_mode: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    by_device_class: dict[str, int] = field(default_factory=dict)
    by_department: dict[str, dict[str, int]] = field(default_factory=dict)
    migration_progress: dict[str, dict[str, int]] = field(default_factory=dict)
    department_rooms: int = 0
    department_rooms_emptied: int = 0
    staff_by_state: dict[str, int] = field(default_factory=dict)
    disposals_by_state: dict[str, int] = field(default_factory=dict)
    stale: int = 0
    zombies: int = 0
    managed_ledger_incomplete: int = 0
    open_reviews: int = 0
    departments: int = 0
    stale_after_days: int = 30

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _count_by(session: Session, column: Any) -> dict[str, int]:
    rows = session.execute(sa.select(column, sa.func.count()).group_by(column)).all()
    return {str(key): count for key, count in sorted(rows, key=lambda r: str(r[0]))}


def estate_summary(session: Session, stale_after_days: int = 30) -> EstateSummary:
    summary = EstateSummary(stale_after_days=stale_after_days)
    summary.by_mode = _count_by(session, Asset.mode)
    summary.total_assets = sum(summary.by_mode.values())
    summary.exempt = summary.by_mode.get(Mode.EXEMPT, 0)
    summary.in_scope = summary.total_assets - summary.exempt
    summary.by_status = _count_by(session, Asset.lifecycle_status)
    summary.by_device_class = _count_by(session, Asset.device_class)
    summary.departments = session.execute(
        sa.select(sa.func.count()).select_from(Department)
    ).scalar_one()

    _fill_departments_and_progress(session, summary)
    _fill_rooms(session, summary)
    summary.staff_by_state = _count_by(session, Staff.state)
    summary.disposals_by_state = _count_by(session, Disposal.state)

    horizon = utcnow() - timedelta(days=stale_after_days)
    summary.stale = session.execute(
        sa.select(sa.func.count())
        .select_from(Asset)
        .where(
            col(Asset.last_seen) < horizon,
            col(Asset.lifecycle_status) != LifecycleStatus.DISPOSED,
        )
    ).scalar_one()
    summary.zombies = session.execute(
        sa.select(sa.func.count())
        .select_from(Asset)
        .where(
            col(Asset.lifecycle_status) == LifecycleStatus.DISPOSED,
            col(Asset.last_seen) > col(Asset.disposed_at),
        )
    ).scalar_one()
    summary.managed_ledger_incomplete = _managed_ledger_incomplete(session)
    summary.open_reviews = session.execute(
        sa.select(sa.func.count())
        .select_from(ReviewItem)
        .where(col(ReviewItem.status) == ReviewStatus.OPEN)
    ).scalar_one()
    return summary


def _fill_departments_and_progress(session: Session, summary: EstateSummary) -> None:
    """Assets per department and mode; migrations per mode and state."""
    per_department = session.execute(
        sa.select(Department.name, Asset.mode, sa.func.count())  # type: ignore[call-overload]
        .join(Department, Department.id == Asset.department_id, isouter=True)
        .group_by(Department.name, Asset.mode)
    ).all()
    for name, mode, count in per_department:
        summary.by_department.setdefault(name or "—", {})[str(mode)] = count

    progress = session.execute(
        sa.select(MigrationRecord.mode, MigrationRecord.state, sa.func.count())  # type: ignore[call-overload]
        .join(Asset, Asset.id == MigrationRecord.asset_id)
        .where(Asset.mode == MigrationRecord.mode)
        .group_by(MigrationRecord.mode, MigrationRecord.state)
    ).all()
    for mode, state, count in progress:
        summary.migration_progress.setdefault(str(mode), {})[state] = count


def _fill_rooms(session: Session, summary: EstateSummary) -> None:
    """Department machine rooms (小机房) and how many of them are emptied."""
    rooms = session.execute(
        sa.select(MachineRoom.status, sa.func.count())  # type: ignore[call-overload]
        .where(MachineRoom.kind == MachineRoomKind.DEPARTMENT_ROOM)
        .group_by(MachineRoom.status)
    ).all()
    summary.department_rooms = sum(count for _, count in rooms)
    summary.department_rooms_emptied = sum(
        count
        for status, count in rooms
        if status in (MachineRoomStatus.EMPTIED, MachineRoomStatus.CLOSED)
    )


def _managed_ledger_incomplete(session: Session) -> int:
    """P4: managed servers whose ledger entry still has gaps."""
    maintained = {
        asset_id
        for (asset_id,) in session.execute(sa.select(col(StaffAssignment.asset_id)).distinct())
    }
    managed = session.execute(
        sa.select(
            Asset.id,
            Asset.location,
            Asset.department_id,
            Asset.purpose,  # type: ignore[call-overload]
            Asset.monitoring_enabled,
        ).where(Asset.mode == Mode.MANAGED)
    ).all()
    gaps = Counter(
        bool(
            policy.ledger_gaps(
                AssetFacts(
                    location=location,
                    department_id=department_id,
                    has_maintainer=asset_id in maintained,
                    purpose=purpose,
                    monitoring_enabled=monitoring,
                )
            )
        )
        for asset_id, location, department_id, purpose, monitoring in managed
    )
    return gaps[True]
