"""Perform transitions: check the table and the policy, write the state, record it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from inventory.db.types import utcnow
from inventory.domain import policy
from inventory.domain.choices import TRACKED_MODES, LifecycleStatus, Mode
from inventory.domain.errors import ConflictError, PolicyViolation
from inventory.domain.facts import MigrationFacts
from inventory.domain.lifecycles import (
    DISPOSAL,
    MIGRATION_MACHINES,
    STAFF,
    DisposalState,
    StaffState,
)
from inventory.domain.machine import StateMachine
from inventory.models import Asset, Disposal, MigrationRecord, Staff, StateTransition
from inventory.services import audit, facts, records, writes
from inventory.services.context import Actor

# Timestamps a migration record keeps for the states that matter to verification.
_STAMPS = {"cut_over": "cutover_at", "verified": "verified_at", "source_released": "released_at"}


def _require_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise PolicyViolation("P7", "every decision needs a reason")
    return reason.strip()


def _check_version(row: Any, expected_version: int | None) -> None:
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(type(row).__tablename__, row.id, expected_version, row.version)


def _claim_version(session: Session, row: Any, read_version: int) -> None:
    """Move the row from the version this session read to the next, or refuse.

    One `UPDATE … WHERE version = :read`, as `records.update` does: of two
    sessions that read the same version, the second matches no row (on
    PostgreSQL it waits for the first to commit and then re-checks), so it
    cannot overwrite a decision it never saw.
    """
    table = type(row).__table__
    claimed = writes.write(
        session,
        sa.update(table)
        .where(table.c.id == row.id, table.c.version == read_version)
        .values(version=read_version + 1),
    )
    if claimed.rowcount != 1:
        current = session.execute(sa.select(table.c.version).where(table.c.id == row.id)).scalar()
        raise ConflictError(table.name, row.id, read_version, current)
    row.version = read_version + 1


def _apply(
    session: Session,
    actor: Actor,
    row: SQLModel,
    before: dict[str, Any],
    field: str,
    machine_name: str,
    target: StrEnum | str,
    reason: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write the new state (and any stamps), bump the version, record and audit it.

    `before` is the snapshot taken before the caller changed anything, so the
    audit event shows every field the step changed.
    """
    from_state = before[field]
    _claim_version(session, row, before["version"])
    with session.no_autoflush:  # nothing reaches the database before its audit event
        setattr(row, field, target)
        for name, value in (extra or {}).items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        old, new = audit.changed(before, audit.snapshot(row))
        audit.record(session, actor, f"{machine_name}.transition", row, old, new, reason)
        writes.add(
            session,
            StateTransition(
                machine=machine_name,
                object_type=type(row).__tablename__,  # type: ignore[arg-type]
                object_id=row.id,  # type: ignore[attr-defined]
                from_state=from_state,
                to_state=str(target),
                actor=actor.name,
                reason=reason,
            ),
        )
    session.flush()


def decide_mode(
    session: Session,
    actor: Actor,
    asset_id: int,
    mode: Mode,
    reason: str,
    expected_version: int | None = None,
) -> Asset:
    """P2: the bureau's decision, recorded with who, when and why.

    Opens the migration record of the new mode; refuses to switch once a
    migration has moved past its first state.
    """
    reason = _require_reason(reason)
    asset = records.get_or_raise(session, Asset, asset_id)
    _check_version(asset, expected_version)
    mode = Mode(mode)
    policy.check_mode_allowed(facts.asset_facts(session, asset), mode)
    if asset.mode == mode:
        return asset
    current = current_migration(session, asset)
    if current is not None:
        machine = MIGRATION_MACHINES[current.mode]
        if current.state != machine.initial:
            raise PolicyViolation(
                "P2",
                f"the {current.mode} migration is already {current.state}; "
                "the mode can change only before it starts",
            )
    _apply(session, actor, asset, audit.snapshot(asset), "mode", "mode", mode, reason)
    if mode in TRACKED_MODES:
        open_migration(session, actor, asset, mode, reason)
    return asset


def current_migration(session: Session, asset: Asset) -> MigrationRecord | None:
    if asset.mode not in TRACKED_MODES:
        return None
    return session.exec(
        select(MigrationRecord).where(
            MigrationRecord.asset_id == asset.id, MigrationRecord.mode == asset.mode
        )
    ).first()


def open_migration(
    session: Session, actor: Actor, asset: Asset, mode: Mode, reason: str
) -> MigrationRecord:
    existing = session.exec(
        select(MigrationRecord).where(
            MigrationRecord.asset_id == asset.id, MigrationRecord.mode == mode
        )
    ).first()
    if existing is not None:
        return existing
    machine = MIGRATION_MACHINES[mode]
    policy.require_not_classified(MigrationFacts(asset=facts.asset_facts(session, asset)))
    record = MigrationRecord(asset_id=asset.id, mode=mode, state=machine.initial)  # type: ignore[arg-type]
    return records.create(session, actor, record, reason)


def advance_migration(
    session: Session,
    actor: Actor,
    asset_id: int,
    target: str,
    reason: str,
    expected_version: int | None = None,
    **details: Any,
) -> MigrationRecord:
    """Move an asset's migration to `target` (details: wave_id, target_asset_id, ...)."""
    reason = _require_reason(reason)
    asset = records.get_or_raise(session, Asset, asset_id)
    record = current_migration(session, asset)
    if record is None:
        raise PolicyViolation("P2", f"asset {asset.uid} has no migration: decide its mode first")
    _check_version(record, expected_version)
    allowed_details = {
        "wave_id",
        "target_machine_room_id",
        "target_asset_id",
        "target_description",
        "planned_date",
    }
    unknown = set(details) - allowed_details
    if unknown:
        raise records.InvalidValueError(
            f"unknown migration detail(s): {', '.join(sorted(unknown))}"
        )
    before = audit.snapshot(record)
    machine: StateMachine[Any, Any] = MIGRATION_MACHINES[record.mode]
    wanted = machine.coerce(target)
    # Check against the record as it would be; touch it only once the step is allowed.
    proposed = MigrationRecord.model_construct(**{**record.model_dump(), **details})
    machine.check(
        machine.coerce(record.state), wanted, facts.migration_facts(session, asset, proposed)
    )
    stamps = {_STAMPS[wanted]: utcnow()} if wanted in _STAMPS else {}
    _apply(
        session, actor, record, before, "state", machine.name, wanted, reason, {**details, **stamps}
    )
    return record


def set_staff_state(
    session: Session,
    actor: Actor,
    staff_id: int,
    target: StaffState | str,
    reason: str,
    expected_version: int | None = None,
    batch_id: int | None = None,
) -> Staff:
    reason = _require_reason(reason)
    staff = records.get_or_raise(session, Staff, staff_id)
    _check_version(staff, expected_version)
    wanted = STAFF.coerce(target)
    before = audit.snapshot(staff)
    details = {"batch_id": batch_id} if batch_id is not None else {}
    proposed = Staff.model_construct(**{**staff.model_dump(), **details})
    STAFF.check(staff.state, wanted, facts.staff_facts(session, proposed))
    extra: dict[str, Any] = dict(details)
    if wanted is StaffState.EXCLUDED:
        extra["exclusion_reason"] = reason
    elif wanted is StaffState.REGISTERED:
        extra = {"batch_id": None, "exclusion_reason": None}
    _apply(session, actor, staff, before, "state", STAFF.name, wanted, reason, extra)
    return staff


def advance_disposal(
    session: Session,
    actor: Actor,
    disposal_id: int,
    target: DisposalState | str,
    reason: str,
    expected_version: int | None = None,
    **details: Any,
) -> Disposal:
    """Move a disposal on; `details` fill in approval or sanitisation fields first (P8)."""
    reason = _require_reason(reason)
    disposal = records.get_or_raise(session, Disposal, disposal_id)
    _check_version(disposal, expected_version)
    wanted = DISPOSAL.coerce(target)
    before = audit.snapshot(disposal)
    checked = records.validated(Disposal, {**disposal.model_dump(), **details})
    proposed = Disposal.model_construct(**{**disposal.model_dump(), **checked})
    DISPOSAL.check(disposal.state, wanted, facts.disposal_facts(proposed))
    _apply(
        session,
        actor,
        disposal,
        before,
        "state",
        DISPOSAL.name,
        wanted,
        reason,
        {name: checked[name] for name in details},
    )
    if wanted in (DisposalState.WAREHOUSED, DisposalState.WRITTEN_OFF):
        asset = records.get_or_raise(session, Asset, disposal.asset_id)
        _apply(
            session,
            actor,
            asset,
            audit.snapshot(asset),
            "lifecycle_status",
            "asset lifecycle",
            LifecycleStatus.DISPOSED,
            reason,
            {"disposed_at": utcnow()},
        )
    return disposal
