"""Build the plain facts the policy guards read, from the database."""

from __future__ import annotations

import ipaddress

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inventory.db.types import utcnow
from inventory.domain.choices import BatchStatus
from inventory.domain.facts import (
    AssetFacts,
    DisposalFacts,
    MigrationFacts,
    SanitisationRecord,
    StaffFacts,
)
from inventory.models import (
    Asset,
    AssetAddress,
    Department,
    Disposal,
    MachineRoom,
    MigrationRecord,
    Staff,
    StaffAssignment,
    TransferBatch,
)


def asset_facts(session: Session, asset: Asset) -> AssetFacts:
    department = session.get(Department, asset.department_id) if asset.department_id else None
    has_maintainer = (
        session.exec(select(StaffAssignment.id).where(StaffAssignment.asset_id == asset.id)).first()
        is not None
    )
    return AssetFacts(
        is_classified=asset.is_classified,
        department_is_classified_unit=bool(department and department.is_classified_unit),
        department_is_law_enforcement=bool(department and department.is_law_enforcement),
        location=asset.location,
        department_id=asset.department_id,
        has_maintainer=has_maintainer,
        purpose=asset.purpose,
        monitoring_enabled=asset.monitoring_enabled,
    )


def migration_facts(session: Session, asset: Asset, record: MigrationRecord) -> MigrationFacts:
    source_silent = record.cutover_at is not None and (
        asset.last_seen is None or asset.last_seen <= record.cutover_at
    )
    target_answers = False
    if record.target_asset_id is not None and record.cutover_at is not None:
        target = session.get(Asset, record.target_asset_id)
        target_answers = bool(target and target.last_seen and target.last_seen > record.cutover_at)
    return MigrationFacts(
        asset=asset_facts(session, asset),
        wave_id=record.wave_id,
        target_answers=target_answers,
        source_silent=source_silent,
        seen_in_target_room=_seen_in_room(session, asset, record.target_machine_room_id),
    )


def _seen_in_room(session: Session, asset: Asset, room_id: int | None) -> bool:
    room = session.get(MachineRoom, room_id) if room_id else None
    if room is None or not room.networks:
        return False
    networks = [ipaddress.ip_network(cidr, strict=False) for cidr in room.networks]
    addresses = session.exec(
        select(AssetAddress.address).where(AssetAddress.asset_id == asset.id)
    ).all()
    for text in addresses:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            continue
        if any(address in network for network in networks):
            return True
    return False


def staff_facts(session: Session, staff: Staff) -> StaffFacts:
    department = session.get(Department, staff.department_id)
    exempt_assets = session.execute(
        sa.select(sa.func.count())
        .select_from(StaffAssignment)
        .join(Asset, Asset.id == StaffAssignment.asset_id)  # type: ignore[arg-type]
        .outerjoin(Department, Department.id == Asset.department_id)  # type: ignore[arg-type]
        .where(col(StaffAssignment.staff_id) == staff.id)
        .where(
            sa.or_(
                Asset.is_classified,  # type: ignore[arg-type]
                Department.is_classified_unit,  # type: ignore[arg-type]
                Department.is_law_enforcement,  # type: ignore[arg-type]
            )
        )
    ).scalar_one()
    batch = session.get(TransferBatch, staff.batch_id) if staff.batch_id else None
    return StaffFacts(
        maintains_exempt_assets=exempt_assets > 0,
        department_is_law_enforcement=bool(department and department.is_law_enforcement),
        batch_id=staff.batch_id,
        batch_approved=bool(
            batch
            and batch.status in (BatchStatus.APPROVED, BatchStatus.COMPLETED)
            and batch.approval_doc_no
        ),
    )


def disposal_facts(disposal: Disposal) -> DisposalFacts:
    return DisposalFacts(
        route=disposal.route,
        approval_doc_no=disposal.approval_doc_no,
        sanitisation=SanitisationRecord(
            method=disposal.sanitisation_method,
            operator=disposal.sanitisation_operator,
            verifier=disposal.sanitisation_verifier,
            performed_on=disposal.sanitised_on,
            certificate_no=disposal.sanitisation_certificate_no,
        ),
        register_row_linked=disposal.register_row_id is not None,
    )


__all__ = ["asset_facts", "disposal_facts", "migration_facts", "staff_facts", "utcnow"]
