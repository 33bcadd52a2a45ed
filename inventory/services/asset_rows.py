"""The upsert's writes: asset rows inserted and updated in bulk, MACs and addresses added.

Built on executemany rather than one ORM object per row (bench/upsert_assets.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from inventory.domain.choices import Mode
from inventory.domain.errors import ConflictError
from inventory.domain.identifiers import uuid_key
from inventory.models import Asset, AssetAddress, AssetMac
from inventory.services import writes
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor

ASSET = Asset.__table__  # type: ignore[attr-defined]
CHUNK = 500
NOT_EDITABLE = frozenset({"id", "version", "created_at", "updated_at"})


def editable(values: dict[str, Any]) -> dict[str, Any]:
    """The columns an audit event shows and an update writes."""
    return {k: v for k, v in values.items() if k not in NOT_EDITABLE}


def insert_new(session: Session, inserts: list[dict[str, Any]]) -> list[int]:
    """Insert, then read the ids back by uid.

    INSERT .. RETURNING in parameter order makes SQLite run one statement per
    row; a plain executemany plus one lookup is several times faster.
    """
    if not inserts:
        return []
    # Columns no row sets stay out of the statement: the database writes their
    # NULL, and the driver is spared binding tens of thousands of Nones.
    used = [key for key in inserts[0] if any(values[key] is not None for values in inserts)]
    writes.write_rows(session, ASSET, inserts, used)
    uids = [values["uid"] for values in inserts]
    ids: dict[str, int] = {}
    for start in range(0, len(uids), CHUNK):
        chunk = uids[start : start + CHUNK]
        query = sa.select(ASSET.c.uid, ASSET.c.id).where(ASSET.c.uid.in_(chunk))
        ids.update((uid, asset_id) for uid, asset_id in session.execute(query))
    return [ids[uid] for uid in uids]


def update_existing(
    session: Session,
    updates: dict[int, dict[str, Any]],
    current: dict[int, dict[str, Any]],
    now: Any,
) -> None:
    """One executemany; each row only if it is still at the version we read."""
    if not updates:
        return
    columns = list(editable(next(iter(updates.values()))))
    params = [
        {
            **{f"v_{c}": merged[c] for c in columns},
            "b_id": asset_id,
            "b_version": current[asset_id]["version"],
            "v_version": current[asset_id]["version"] + 1,
            "v_updated_at": now,
        }
        for asset_id, merged in updates.items()
    ]
    written = writes.write(
        session,
        sa.update(ASSET)
        .where(ASSET.c.id == sa.bindparam("b_id"), ASSET.c.version == sa.bindparam("b_version"))
        .values({c: sa.bindparam(f"v_{c}") for c in (*columns, "version", "updated_at")}),
        params,
    ).rowcount
    if written != len(params):
        stale = next(
            p
            for p in params
            if session.execute(sa.select(ASSET.c.version).where(ASSET.c.id == p["b_id"])).scalar()
            != p["v_version"]
        )
        raise ConflictError("asset", stale["b_id"], stale["b_version"], None)


def record_addresses_and_macs(
    session: Session,
    plans: list[tuple[AssetIn, int | None]],
    provisional_to_id: dict[int, int],
    now: Any,
    source: str,
) -> None:
    """Add the MACs and addresses each row saw to its asset; those it has stay as they are."""
    pairs_mac: set[tuple[int, str]] = set()
    pairs_address: set[tuple[int, str]] = set()
    for row, planned in plans:
        if planned is None:
            continue
        asset_id = provisional_to_id.get(planned, planned)
        pairs_mac.update((asset_id, mac) for mac in row.evidence().macs)
        pairs_address.update((asset_id, address) for address in row.addresses)
    if not pairs_mac and not pairs_address:
        return
    # Assets created by this batch have no MACs or addresses yet: only look up the others.
    created = set(provisional_to_id.values())
    ids = sorted({a for a, _ in pairs_mac | pairs_address} - created)
    have_mac: set[tuple[int, str]] = set()
    have_address: set[tuple[int, str]] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        have_mac.update(
            (a, m)
            for a, m in session.execute(
                sa.select(AssetMac.asset_id, AssetMac.mac).where(AssetMac.asset_id.in_(chunk))  # type: ignore[attr-defined,call-overload]
            )
        )
        have_address.update(
            (a, ip)
            for a, ip in session.execute(
                sa.select(AssetAddress.asset_id, AssetAddress.address).where(  # type: ignore[call-overload]
                    AssetAddress.asset_id.in_(chunk)  # type: ignore[attr-defined]
                )
            )
        )
    new_macs = [{"asset_id": a, "mac": m} for a, m in sorted(pairs_mac - have_mac)]
    new_addresses = [
        {"asset_id": a, "address": ip, "source": source, "first_seen": now, "last_seen": now}
        for a, ip in sorted(pairs_address - have_address)
    ]
    writes.write_rows(session, AssetMac.__table__, new_macs)  # type: ignore[attr-defined]
    writes.write_rows(session, AssetAddress.__table__, new_addresses)  # type: ignore[attr-defined]


def merge_rows(
    plans: list[tuple[AssetIn, int | None]],
    current: dict[int, dict[str, Any]],
    departments: dict[str, int],
    progress: Callable[[int], None] | None,
) -> dict[int, dict[str, Any]]:
    """Each existing asset's values after all its rows; only the assets that differ.

    A device answering on several addresses keeps the primary address it has
    when that is one of them (no flapping between a firewall's two management
    addresses), and a UUID read in the other byte order is the same UUID: a
    re-scan that finds nothing new changes nothing.
    """
    merged: dict[int, dict[str, Any]] = {}
    addresses: dict[int, set[str]] = {}
    for position, (row, planned) in enumerate(plans):
        if progress:
            progress(position + 1)
        if planned is None or planned < 0:
            continue
        values = row.merge_into(merged.get(planned) or current[planned])
        if row.department_code:
            values["department_id"] = departments[row.department_code]
        merged[planned] = values
        addresses.setdefault(planned, set()).update(row.addresses)
    changed: dict[int, dict[str, Any]] = {}
    for asset_id, values in merged.items():
        before = current[asset_id]
        if before["primary_address"] in addresses[asset_id]:
            values["primary_address"] = before["primary_address"]
        old_uuid, new_uuid = before["system_uuid"], values["system_uuid"]
        if old_uuid and new_uuid and uuid_key(old_uuid) == uuid_key(new_uuid):
            values["system_uuid"] = old_uuid
        if values != before:
            changed[asset_id] = values
    return changed


def mode_transition(
    actor: Actor, asset_id: int, old: Mode | None, new: Mode, reason: str, now: Any
) -> dict[str, Any]:
    """A StateTransition row for a mode set by an upsert (P2: who, when, why)."""
    return {
        "machine": "mode",
        "object_type": "asset",
        "object_id": asset_id,
        "from_state": str(old) if old is not None else None,
        "to_state": str(new),
        "actor": actor.name,
        "at": now,
        "reason": reason,
    }
