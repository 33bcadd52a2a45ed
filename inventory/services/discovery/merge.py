"""Merging a batch of results into the estate: assets, last seen, disks, load, zombies.

Results are plain data (collectors/observation.py): the merge reads their
fields, never their classes, so a batch decoded from a worker's JSON merges
exactly as one made in this process.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from collectors.observation import Observation, TargetResult
from inventory.db.types import utcnow
from inventory.domain.choices import (
    ComponentKind,
    DeviceClass,
    LifecycleStatus,
    ReviewKind,
    ReviewStatus,
)
from inventory.models import (
    Asset,
    AssetAddress,
    AssetComponent,
    ReviewItem,
    Scan,
    UtilisationSample,
)
from inventory.models.base import column_widths, pk
from inventory.services import hostkeys, records, writes
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor
from inventory.services.discovery.outcome import MAX_VALUE_ERRORS, ScanOutcome
from inventory.services.discovery.twins import review_twins
from inventory.services.upsert import upsert_assets


def observation_to_asset(observation: Observation) -> AssetIn:
    """An observation as the upsert's input: only what was seen, nothing cleared."""
    addresses = [observation.address] + [
        a for a in observation.addresses if a != observation.address and _routable(a)
    ]
    try:
        device_class = DeviceClass(observation.device_class)
    except ValueError:
        device_class = DeviceClass.OTHER
    if device_class is DeviceClass.BMC:
        # A management controller speaks for the server it sits in: its serial
        # and UUID are the server's, its name, firmware and MACs are not (the
        # server's own MACs would otherwise look like another live machine's).
        return AssetIn(
            serial_number=_clip(observation.serial_number, "serial_number"),
            system_uuid=observation.system_uuid,
            addresses=addresses[:32],
            device_class=DeviceClass.SERVER,
            vendor=_clip(observation.vendor, "vendor"),
            model=_clip(observation.model, "model"),
        )
    row = AssetIn(
        name=_clip(observation.name, "name"),
        serial_number=_clip(observation.serial_number, "serial_number"),
        system_uuid=observation.system_uuid,
        machine_id=observation.machine_id,
        snmp_engine_id=_clip(observation.snmp_engine_id, "snmp_engine_id"),
        ssh_host_key=observation.ssh_host_key,
        macs=observation.macs,
        addresses=addresses[:32],
        device_class=device_class if device_class is not DeviceClass.UNKNOWN else None,
        vendor=_clip(observation.vendor, "vendor"),
        model=_clip(observation.model, "model"),
        cpu_model=_clip(observation.cpu_model, "cpu_model"),
        cpu_count=observation.cpu_count,
        memory_mb=observation.memory_mb,
        disk_total_gb=observation.disk_total_gb,
        os_name=_clip(observation.os_name, "os_name"),
        os_version=_clip(observation.os_version, "os_version"),
        description=_clip(observation.description, "description"),
        is_virtual=observation.is_virtual,
        hypervisor=_clip(observation.hypervisor, "hypervisor"),
    )
    return row.fill_only(*observation.inferred)


# Device strings are cut to the column's width (the model defines it once).
_WIDTHS = column_widths(Asset)


def _clip(value: str | None, field: str) -> str | None:
    return value[: _WIDTHS[field]] if value else None


def _routable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified)


def combine_by_address(observed: Sequence[TargetResult]) -> list[TargetResult]:
    """One result per target address: the SNMP and SSH observations of it as one.

    Two observations of one address in one scan are one machine seen two
    ways (README: "both land on one asset"); resolving them apart let a thin
    SNMP answer (system group only, tables timed out) become a second asset.
    Where both say something SSH wins (its operating system tells a server
    best); lists are SSH's when it has any; addresses, MACs and value errors
    are unions. The result keeps the SSH result's host key and verdict.
    """
    by_address: dict[str, TargetResult] = {}
    for result in observed:
        address = result.target.address
        earlier = by_address.get(address)
        if earlier is None or earlier.observation is None or result.observation is None:
            by_address[address] = result
            continue
        first, second = earlier, result
        if first.observation and first.observation.protocol == "ssh":
            first, second = second, first  # SSH is laid over SNMP
        by_address[address] = dataclasses.replace(
            second,
            observation=_overlay(first.observation, second.observation),  # type: ignore[arg-type]
            host_key=second.host_key or first.host_key,
            verdict=second.verdict or first.verdict,
        )
    return list(by_address.values())


def _overlay(under: Observation, over: Observation) -> Observation:
    """`over`'s values where it has them, `under`'s elsewhere (inferred: from the source)."""
    values: dict[str, Any] = {}
    inferred: set[str] = set()
    for f in dataclasses.fields(Observation):
        top, bottom = getattr(over, f.name), getattr(under, f.name)
        said = top not in (None, [], {}, set(), "", "unknown")
        values[f.name] = top if said else bottom
        source = over if said else under
        if f.name in source.inferred:
            inferred.add(f.name)
    for name in ("macs", "addresses", "value_errors"):
        values[name] = list(dict.fromkeys([*getattr(over, name), *getattr(under, name)]))
    values["inferred"] = inferred
    return Observation(**values)


def merge_results(session: Session, scan: Scan, results: Sequence[TargetResult]) -> ScanOutcome:
    """Merge one batch: assets upserted, last seen stamped, zombies and returns noted."""
    actor = Actor(f"scan:{scan.uid}")
    outcome = ScanOutcome(scan.uid, scan.status)
    observed = combine_by_address([r for r in results if r.observation is not None])
    rows = [observation_to_asset(r.observation) for r in observed if r.observation]
    # The address's source: the pass that met it first (SNMP, when both did).
    source = next((r.observation.protocol for r in results if r.observation), "snmp")
    merged = upsert_assets(
        session,
        actor,
        rows,
        reason="discovery scan",
        scan_id=scan.id,
        source=source,
        live_since=scan.started_at,
    )
    for result in results:
        if result.host_key is not None:  # whichever collector met a host key
            hostkeys.record_seen(session, actor, result)
    seen: dict[int, Any] = {}
    for result, asset_id in zip(observed, merged.asset_ids, strict=True):
        if asset_id is not None and result.observation is not None:
            seen[asset_id] = result.observation.seen_at
    _stamp_seen(session, seen, [r.target.address for r in observed])
    merged.conflicts.extend(
        review_twins(
            session,
            actor,
            scan.id,
            [
                (a, r.observation.address, r.observation.name)
                for r, a in zip(observed, merged.asset_ids, strict=True)
                if a is not None and r.observation is not None
            ],
        )
    )
    _record_load(session, observed, merged.asset_ids)
    _record_disks(session, actor, observed, merged.asset_ids)
    outcome.zombies = _review_zombies(session, actor, scan, seen)
    _back_online(session, actor, seen)
    for result in results:
        if result.error:
            outcome.target_errors[str(result.target)] = result.error[:500]
        if result.observation is not None and result.observation.value_errors:
            # Kept apart from target_errors: the host answered (no back-off), but
            # something it should have told is missing, and the record says why.
            outcome.value_errors[str(result.target)] = [
                e[:300] for e in result.observation.value_errors[:MAX_VALUE_ERRORS]
            ]
    outcome.counts.update(
        probed=len(results),
        responding=sum(1 for r in results if r.responded),
        errors=sum(1 for r in results if r.failed and r.responded),
        **merged.counts,
    )
    return outcome


def _stamp_seen(session: Session, seen: dict[int, Any], addresses: list[str]) -> None:
    # Telemetry, not a decision: stamped without an audit event per asset; the
    # scan's own audit event (scan.finish) accounts for it.
    if not seen:
        return
    table = Asset.__table__  # type: ignore[attr-defined]
    writes.write(
        session,
        sa.update(table)
        .where(table.c.id == sa.bindparam("b_id"))
        .values(
            last_seen=sa.bindparam("b_seen"),
            first_seen=sa.func.coalesce(table.c.first_seen, sa.bindparam("b_seen")),
        ),
        [{"b_id": asset_id, "b_seen": at} for asset_id, at in seen.items()],
    )
    addresses_table = AssetAddress.__table__  # type: ignore[attr-defined]
    writes.write(
        session,
        sa.update(addresses_table)
        .where(
            addresses_table.c.asset_id.in_(list(seen)),
            addresses_table.c.address.in_(addresses),
        )
        .values(last_seen=utcnow()),
    )


def _record_load(
    session: Session, observed: Sequence[TargetResult], asset_ids: Sequence[int | None]
) -> None:
    """Utilisation samples (telemetry, unaudited): what idle-hardware reports (P3) read."""
    samples = [
        {
            "asset_id": asset_id,
            "at": result.observation.seen_at,
            "cpu_pct": result.observation.cpu_load_pct,
            "memory_pct": result.observation.memory_used_pct,
            "logged_in_users": result.observation.logged_in_users,
        }
        for result, asset_id in zip(observed, asset_ids, strict=True)
        if asset_id is not None
        and result.observation is not None
        and (
            result.observation.cpu_load_pct is not None
            or result.observation.memory_used_pct is not None
        )
    ]
    if samples:
        writes.write(session, sa.insert(UtilisationSample.__table__), samples)  # type: ignore[attr-defined]


def _record_disks(
    session: Session,
    actor: Actor,
    observed: Sequence[TargetResult],
    asset_ids: Sequence[int | None],
) -> None:
    """Disks as components (storage media matter for sanitisation, P8); new ones only."""
    wanted = {
        asset_id: result.observation.disks
        for result, asset_id in zip(observed, asset_ids, strict=True)
        if asset_id is not None and result.observation is not None and result.observation.disks
    }
    if not wanted:
        return
    known = {
        (c.asset_id, c.name, c.serial_number)
        for c in session.exec(
            select(AssetComponent).where(
                AssetComponent.kind == ComponentKind.DISK,
                col(AssetComponent.asset_id).in_(list(wanted)),
            )
        )
    }
    for asset_id, disks in wanted.items():
        for disk in disks:
            if (asset_id, disk.name, disk.serial) in known:
                continue
            records.create(
                session,
                actor,
                AssetComponent(
                    asset_id=asset_id,
                    kind=ComponentKind.DISK,
                    name=disk.name,
                    model=disk.model,
                    serial_number=disk.serial,
                    size_gb=disk.size_gb,
                ),
                reason="disk seen by a discovery scan",
            )


def _review_zombies(session: Session, actor: Actor, scan: Scan, seen: dict[int, Any]) -> list[str]:
    """P6: a disposed or retired asset that answers is a 僵尸资产 for a person to look at."""
    zombies = session.exec(
        select(Asset)
        .where(
            col(Asset.id).in_(list(seen)),
            col(Asset.lifecycle_status).in_([LifecycleStatus.DISPOSED, LifecycleStatus.RETIRED]),
        )
        .execution_options(populate_existing=True)
    ).all()
    for asset in zombies:
        already = session.exec(
            select(ReviewItem.id).where(
                ReviewItem.asset_id == asset.id,
                ReviewItem.kind == ReviewKind.ZOMBIE_ASSET,
                ReviewItem.status == ReviewStatus.OPEN,
            )
        ).first()
        if already:
            continue
        records.create(
            session,
            actor,
            ReviewItem(
                kind=ReviewKind.ZOMBIE_ASSET,
                asset_id=asset.id,
                candidate_ids=[pk(asset)],
                observation={"address": asset.primary_address},
                reason=f"asset is {asset.lifecycle_status} but answered scan {scan.uid}",
                scan_id=scan.id,
            ),
            reason="P6: disposed asset still answers",
        )
    return [a.uid for a in zombies]


def _set_status(
    session: Session,
    actor: Actor,
    where: Sequence[Any],
    status: LifecycleStatus,
    reason: str,
    action: str,
) -> list[str]:
    """Move the assets matching `where` to `status`, each one audited; their uids."""
    # The upsert writes through Core: reload, or the session hands back stale versions.
    found = session.exec(
        select(Asset).where(*where).execution_options(populate_existing=True)
    ).all()
    for asset in found:
        records.update(
            session,
            actor,
            Asset,
            asset.id,
            asset.version,
            {"lifecycle_status": status},
            reason=reason,
            action=action,
        )
    return [a.uid for a in found]


def _back_online(session: Session, actor: Actor, seen: dict[int, Any]) -> None:
    _set_status(
        session,
        actor,
        [col(Asset.id).in_(list(seen)), Asset.lifecycle_status == LifecycleStatus.OFFLINE],
        LifecycleStatus.ACTIVE,
        "answered a discovery scan again",
        "asset.online",
    )


def flag_stale(session: Session, actor: Actor, stale_after_days: int) -> list[str]:
    """P6: assets not seen for `stale_after_days` go offline; nothing is ever deleted."""
    horizon = utcnow() - timedelta(days=stale_after_days)
    return _set_status(
        session,
        actor,
        [
            col(Asset.last_seen).is_not(None),
            col(Asset.last_seen) < horizon,
            col(Asset.lifecycle_status).in_([LifecycleStatus.ACTIVE, LifecycleStatus.IDLE]),
        ],
        LifecycleStatus.OFFLINE,
        f"not seen for {stale_after_days} days",
        "asset.offline",
    )


__all__ = ["combine_by_address", "flag_stale", "merge_results", "observation_to_asset"]
