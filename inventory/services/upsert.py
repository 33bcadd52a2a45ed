"""Bulk upsert of assets: resolve identity, insert or update, audit, in one transaction.

Built on executemany rather than one ORM object per row, so that importing a
city's estate costs a small multiple of writing the rows at all (bench/).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inventory.db.types import utcnow
from inventory.domain.choices import Mode, ReviewKind, ReviewStatus
from inventory.domain.errors import DomainError
from inventory.domain.identity import (
    Evidence,
    Outcome,
    Resolution,
    by_place,
    is_thin,
    resolve,
)
from inventory.domain.memory_index import MemoryIndex
from inventory.models import (
    Asset,
    AssetAddress,
    AssetMac,
    Department,
    StateTransition,
)
from inventory.models.assets import new_uid
from inventory.services import audit, writes
from inventory.services.asset_input import AssetIn
from inventory.services.asset_rows import (
    ASSET,
    CHUNK,
    editable,
    insert_new,
    merge_rows,
    mode_transition,
    record_addresses_and_macs,
    update_existing,
)
from inventory.services.conflicts import open_reviews
from inventory.services.context import Actor

EVIDENCE_COLUMNS = ("system_uuid", "serial_number", "machine_id", "snmp_engine_id", "ssh_host_key")


class UnknownDepartmentError(DomainError):
    pass


@dataclass
class UpsertResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[int] = field(default_factory=list)  # review item ids
    asset_ids: list[int | None] = field(default_factory=list)  # per input row; None: review

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "conflicts": len(self.conflicts),
        }


@dataclass
class _Known:
    """What the upsert needs to know of the existing estate, read once."""

    index: MemoryIndex
    by_uid: dict[str, int]
    by_tag: dict[str, int]
    departments: dict[str, int]


def _load_known(session: Session) -> _Known:
    index = MemoryIndex()
    by_uid: dict[str, int] = {}
    by_tag: dict[str, int] = {}
    columns = [ASSET.c.id, ASSET.c.uid, ASSET.c.asset_tag, *(ASSET.c[n] for n in EVIDENCE_COLUMNS)]
    macs: dict[int, set[str]] = {}
    for asset_id, mac in session.execute(sa.select(AssetMac.asset_id, AssetMac.mac)):  # type: ignore[call-overload]
        macs.setdefault(asset_id, set()).add(mac)
    for row in session.execute(sa.select(*columns)):
        by_uid[row.uid] = row.id
        if row.asset_tag:
            by_tag[row.asset_tag] = row.id
        index.add(
            row.id,
            Evidence(
                **{name: getattr(row, name) for name in EVIDENCE_COLUMNS},
                macs=frozenset(macs.get(row.id, ())),
            ),
        )
    departments: dict[str, int] = dict(
        session.execute(sa.select(col(Department.code), col(Department.id))).all()
    )
    return _Known(index, by_uid, by_tag, departments)


def _seen_since(session: Session, since: datetime) -> Callable[[int], bool]:
    """Whether an asset was stamped seen at or after `since`; one query per asset asked.

    Only assets that identity resolution suspects of being a clone's twin are
    asked, so a batch costs queries for its suspects, never for the estate.
    """
    answers: dict[int, bool] = {}

    def seen(asset_id: int) -> bool:
        if asset_id not in answers:
            last = session.execute(
                sa.select(ASSET.c.last_seen).where(ASSET.c.id == asset_id)
            ).scalar()
            answers[asset_id] = last is not None and _aware(last) >= _aware(since)
        return answers[asset_id]

    return seen


def _weakest(
    session: Session,
    known: _Known,
    row: AssetIn,
    evidence: Evidence,
    resolution: Resolution,
    inserts: list[dict[str, Any]],
) -> Resolution:
    """Rule ADDRESS_NAME for a thin observation nothing matched (inventory.domain.identity).

    The assets holding the row's first address (primary or recorded, and the
    ones this batch is creating) are asked; one query per thin row only.
    """
    if resolution.outcome is not Outcome.NEW or not row.addresses or not is_thin(evidence):
        return resolution
    address = row.addresses[0]
    table = AssetAddress.__table__  # type: ignore[attr-defined]
    at = sa.or_(
        ASSET.c.primary_address == address,
        ASSET.c.id.in_(sa.select(table.c.asset_id).where(table.c.address == address)),
    )
    named = sa.func.lower(ASSET.c.name) == (row.name or "").strip().lower()
    query = sa.select(ASSET.c.id, ASSET.c.name, at.label("here")).where(sa.or_(at, named))
    holders: dict[int, tuple[str | None, Evidence]] = {}
    namesakes: dict[int, tuple[str | None, Evidence]] = {}
    for asset_id, name, here in session.execute(query).all():
        (holders if here else namesakes)[asset_id] = (name, known.index.evidence(asset_id))
    for position, values in enumerate(inserts):
        if values.get("primary_address") == address:
            provisional = -(position + 1)
            holders[provisional] = (values.get("name"), known.index.evidence(provisional))
    return by_place(evidence, row.name, holders, namesakes)


def _aware(moment: datetime) -> datetime:
    # SQLite hands naive UTC back; PostgreSQL an aware value.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _full_rows(session: Session, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for row in session.execute(sa.select(ASSET).where(ASSET.c.id.in_(chunk))).mappings():
            rows[row["id"]] = dict(row)
    return rows


def upsert_assets(
    session: Session,
    actor: Actor,
    rows: Sequence[AssetIn],
    reason: str,
    scan_id: int | None = None,
    progress: Callable[[int], None] | None = None,
    source: str = "import",
    resolve_identity: bool = True,
    live_since: datetime | None = None,
) -> UpsertResult:
    """Create or update one asset per row; conflicting evidence goes to review.

    A row that names a uid or an asset tag is that asset; otherwise identity
    evidence decides (inventory.domain.identity). Rows of the same batch that
    are the same machine land on the same asset. With `resolve_identity` off
    (a person decided in the review queue), a row with an unknown uid is a new
    asset whatever its evidence says.

    `live_since` (a scan's start) marks the rows as machines answering now:
    an asset matched earlier in the batch, or stamped seen since then, is
    live, and a value it shares with another live machine is not identity.
    """
    known = _load_known(session)
    if live_since is not None:
        known.index.seen_live = _seen_since(session, live_since)
    batch = _Batch(now=utcnow(), scan_id=scan_id, live=live_since is not None)
    for row in rows:
        _place(session, known, batch, row, resolve_identity)
    return _write(session, actor, batch, known.departments, reason, progress, source)


@dataclass
class _Batch:
    """Where each row of one upsert goes, before anything is written.

    Asset ids below zero are provisional: rows that become new assets, numbered
    so that later rows of the same batch can land on them.
    """

    now: datetime
    scan_id: int | None
    live: bool  # the rows are machines answering now (a scan)
    plans: list[tuple[AssetIn, int | None]] = field(default_factory=list)
    pending_new: dict[int, int] = field(default_factory=dict)  # provisional id -> insert index
    inserts: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    row_targets: list[int | None] = field(default_factory=list)  # per row; None: to review


def _place(
    session: Session, known: _Known, batch: _Batch, row: AssetIn, resolve_identity: bool
) -> None:
    """Decide one row's asset: named by uid or tag, resolved, new, or sent to review."""
    if row.department_code and row.department_code not in known.departments:
        raise UnknownDepartmentError(f"unknown department code {row.department_code!r}")
    evidence = row.evidence()
    asset_id = known.by_uid.get(row.uid) if row.uid else None
    if asset_id is None and row.asset_tag:
        asset_id = known.by_tag.get(row.asset_tag)
    if asset_id is None and resolve_identity:
        resolution = resolve(known.index, evidence)
        if batch.live:  # a scan: the address and name are what it saw
            resolution = _weakest(session, known, row, evidence, resolution, batch.inserts)
        if resolution.outcome is Outcome.CONFLICT:
            batch.reviews.append(_review(row, resolution, batch))
            batch.row_targets.append(None)
            return
        asset_id = resolution.asset_id
    if asset_id is None:
        asset_id = _plan_new(known, batch, row, evidence)
    else:
        _merge_evidence(known.index, asset_id, evidence)
        if asset_id < 0:  # the same machine twice in one batch: one asset
            batch.inserts[batch.pending_new[asset_id]].update(row.column_values())
    if batch.live:
        known.index.live_ids.add(asset_id)
    batch.plans.append((row, asset_id))
    batch.row_targets.append(asset_id)


def _review(row: AssetIn, resolution: Resolution, batch: _Batch) -> dict[str, Any]:
    return {
        "kind": ReviewKind.IDENTITY_CONFLICT,
        "status": ReviewStatus.OPEN,
        "asset_id": resolution.asset_id if (resolution.asset_id or 0) > 0 else None,
        "candidate_ids": [c for c in resolution.candidates if c > 0],
        "observation": row.model_dump(mode="json", exclude_none=True),
        "reason": resolution.reason[:1000],
        "scan_id": batch.scan_id,
        "created_at": batch.now,
    }


def _plan_new(known: _Known, batch: _Batch, row: AssetIn, evidence: Evidence) -> int:
    """A new asset for the row, under a provisional id later rows can match."""
    provisional = -(len(batch.inserts) + 1)
    values = {**_defaults(), **row.column_values()}
    values.update(
        uid=row.uid or new_uid(),
        created_at=batch.now,
        updated_at=batch.now,
        version=1,
        first_seen=None,
        last_seen=None,
    )
    if row.department_code:
        values["department_id"] = known.departments[row.department_code]
    batch.inserts.append(values)
    batch.pending_new[provisional] = len(batch.inserts) - 1
    known.index.add(provisional, evidence)
    known.by_uid[values["uid"]] = provisional
    if row.asset_tag:
        known.by_tag[row.asset_tag] = provisional
    return provisional


def _write(
    session: Session,
    actor: Actor,
    batch: _Batch,
    departments: dict[str, int],
    reason: str,
    progress: Callable[[int], None] | None,
    source: str,
) -> UpsertResult:
    """Write the planned batch: inserts, updates, addresses, reviews, transitions, audit."""
    now, plans, result = batch.now, batch.plans, UpsertResult()
    inserted_ids = insert_new(session, batch.inserts)
    provisional_to_id = {p: inserted_ids[i] for p, i in batch.pending_new.items()}
    result.asset_ids = [
        None if a is None else provisional_to_id.get(a, a) for a in batch.row_targets
    ]
    current = _full_rows(session, sorted({a for _, a in plans if a is not None and a > 0}))

    audits: list[dict[str, Any]] = []
    transitions: list[dict[str, Any]] = []
    for values, asset_id in zip(batch.inserts, inserted_ids, strict=True):
        after = {k: v for k, v in editable(values).items() if v is not None}
        audits.append(
            audit.event(actor, "asset.create", "asset", values["uid"], None, after, reason)
        )
        result.created.append(values["uid"])
        if values["mode"] is not Mode.UNDECIDED:
            transitions.append(mode_transition(actor, asset_id, None, values["mode"], reason, now))

    updates = merge_rows(plans, current, departments, progress)
    touched = dict.fromkeys(a for _, a in plans if a is not None and a > 0)  # in row order
    result.unchanged.extend(current[a]["uid"] for a in touched if a not in updates)
    for asset_id, merged in updates.items():
        before_row = current[asset_id]
        old, new = audit.changed(editable(before_row), editable(merged))
        audits.append(audit.event(actor, "asset.update", "asset", merged["uid"], old, new, reason))
        if before_row["mode"] != merged["mode"]:
            transitions.append(
                mode_transition(actor, asset_id, before_row["mode"], merged["mode"], reason, now)
            )
        result.updated.append(merged["uid"])
    update_existing(session, updates, current, now)

    record_addresses_and_macs(session, plans, provisional_to_id, now, source)
    if batch.reviews:
        result.conflicts.extend(open_reviews(session, actor, batch.reviews, reason, audits))
    if transitions:
        writes.write(session, sa.insert(StateTransition.__table__), transitions)  # type: ignore[attr-defined]
    audit.record_many(session, audits)
    return result


@cache
def _column_defaults() -> tuple[tuple[str, Any], ...]:
    return tuple(
        (name, f.default)
        for name, f in Asset.model_fields.items()
        if name not in ("id", "uid", "created_at", "updated_at") and f.default_factory is None
    )


def _defaults() -> dict[str, Any]:
    return dict(_column_defaults())


def _merge_evidence(index: MemoryIndex, asset_id: int, evidence: Evidence) -> None:
    known = index.evidence(asset_id)
    merged = Evidence(
        **{name: getattr(known, name) or getattr(evidence, name) for name in EVIDENCE_COLUMNS},
        macs=known.macs | evidence.macs,
    )
    index.add(asset_id, merged)
