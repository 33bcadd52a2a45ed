"""Discovery scans (发现扫描): run the collectors, merge what they saw, record the scan.

The collectors never touch the database; this module is the edge where their
observations become assets. Each batch of results is merged in its own
transaction with the scan as the actor, so a crash mid-scan loses nothing
already merged, and the scan record says how far it got.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlmodel import Session, col, select

from collectors.backoff import Attempt, due
from collectors.credentials import SnmpCredential
from collectors.observation import Observation, TargetResult
from collectors.snmp.collect import SweepOptions, sweep
from collectors.ssh.client import HostKey, SshCredential, SshLimits, SshResult
from collectors.ssh.network import DEVICE_TYPES
from collectors.ssh.sweep import sweep as ssh_sweep
from collectors.targets import Exclusions, Target, TargetSpec, count, expand, parse_targets
from inventory.db.engine import session_scope
from inventory.db.types import utcnow
from inventory.domain.choices import DeviceClass, LifecycleStatus, ReviewKind, ScanKind, ScanStatus
from inventory.models import (
    Asset,
    AssetAddress,
    AssetComponent,
    ReviewItem,
    Scan,
    UtilisationSample,
)
from inventory.models.assets import new_uid
from inventory.models.base import pk
from inventory.services import audit, hostkeys, records
from inventory.services import credentials as credential_service
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor
from inventory.services.upsert import upsert_assets

BATCH = 200  # results merged per transaction
NETWORK_CLASSES = frozenset({"switch", "router", "firewall"})
MAX_TARGET_ERRORS = 1000  # per scan record; the counts stay exact beyond it
MAX_VALUE_ERRORS = 20  # per target


@dataclass
class ScanProgress:
    total: int
    probed: int = 0
    responding: int = 0
    errors: int = 0


@dataclass
class ScanOutcome:
    scan_uid: str
    status: ScanStatus
    counts: dict[str, int]
    target_errors: dict[str, str] = field(default_factory=dict)
    value_errors: dict[str, list[str]] = field(default_factory=dict)
    zombies: list[str] = field(default_factory=list)
    went_offline: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scan": self.scan_uid,
            "status": str(self.status),
            **self.counts,
            "target_errors": self.target_errors,
            "value_errors": self.value_errors,
            "zombies": self.zombies,
            "went_offline": self.went_offline,
        }


def exclusions_for(session: Session, configured: Sequence[str]) -> Exclusions:
    """Configured networks plus every address of a classified asset (P1: never probed)."""
    classified = session.exec(
        select(AssetAddress.address)
        .join(Asset, col(Asset.id) == col(AssetAddress.asset_id))
        .where(col(Asset.is_classified).is_(True))
    ).all()
    primary = session.exec(
        select(Asset.primary_address).where(
            col(Asset.is_classified).is_(True), col(Asset.primary_address).is_not(None)
        )
    ).all()
    return Exclusions.of(configured, [*classified, *(a for a in primary if a)])


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
            serial_number=_clip(observation.serial_number, 128),
            system_uuid=observation.system_uuid,
            addresses=addresses[:32],
            device_class=DeviceClass.SERVER,
            vendor=_clip(observation.vendor, 64),
            model=_clip(observation.model, 128),
        )
    row = AssetIn(
        name=_clip(observation.name, 255),
        serial_number=_clip(observation.serial_number, 128),
        system_uuid=observation.system_uuid,
        machine_id=observation.machine_id,
        snmp_engine_id=_clip(observation.snmp_engine_id, 96),
        ssh_host_key=observation.ssh_host_key,
        macs=observation.macs,
        addresses=addresses[:32],
        device_class=device_class if device_class is not DeviceClass.UNKNOWN else None,
        vendor=_clip(observation.vendor, 64),
        model=_clip(observation.model, 128),
        cpu_model=_clip(observation.cpu_model, 128),
        cpu_count=observation.cpu_count,
        memory_mb=observation.memory_mb,
        disk_total_gb=observation.disk_total_gb,
        os_name=_clip(observation.os_name, 128),
        os_version=_clip(observation.os_version, 64),
        description=_clip(observation.description, 512),
        is_virtual=observation.is_virtual,
        hypervisor=_clip(observation.hypervisor, 64),
    )
    return row.fill_only(*observation.inferred)


def _clip(value: str | None, length: int) -> str | None:
    return value[:length] if value else None


def _routable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified)


def start_scan(
    session: Session,
    actor: Actor,
    kind: ScanKind,
    targets: Sequence[str],
    profile_names: Sequence[str],
    options: dict[str, Any],
    uid: str | None = None,
) -> Scan:
    scan = Scan(
        uid=uid or new_uid(),
        kind=kind,
        status=ScanStatus.RUNNING,
        requested_by=actor.name,
        targets=list(targets),
        profile_names=list(profile_names),
        options=options,
        started_at=utcnow(),
    )
    return records.create(session, actor, scan, reason="scan started")


def merge_results(session: Session, scan: Scan, results: Sequence[TargetResult]) -> ScanOutcome:
    """Merge one batch: assets upserted, last seen stamped, zombies and returns noted."""
    actor = Actor(f"scan:{scan.uid}")
    outcome = ScanOutcome(scan.uid, scan.status, {})
    observed = [r for r in results if r.observation is not None]
    rows = [observation_to_asset(r.observation) for r in observed if r.observation]
    source = observed[0].observation.protocol if observed and observed[0].observation else "snmp"
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
        if isinstance(result, SshResult):
            hostkeys.record_seen(session, actor, result)
    counts = merged.counts
    seen: dict[int, Any] = {}
    for result, asset_id in zip(observed, merged.asset_ids, strict=True):
        if asset_id is not None and result.observation is not None:
            seen[asset_id] = result.observation.seen_at
    _stamp_seen(session, seen, [r.target.address for r in observed])
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
    outcome.counts = {
        "probed": len(results),
        "responding": sum(1 for r in results if r.responded),
        "errors": sum(1 for r in results if r.failed and r.responded),
        **counts,
    }
    return outcome


def _stamp_seen(session: Session, seen: dict[int, Any], addresses: list[str]) -> None:
    # Telemetry, not a decision: stamped without an audit event per asset; the
    # scan's own audit event (scan.finish) accounts for it.
    if not seen:
        return
    table = Asset.__table__  # type: ignore[attr-defined]
    session.execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("b_id"))
        .values(
            last_seen=sa.bindparam("b_seen"),
            first_seen=sa.func.coalesce(table.c.first_seen, sa.bindparam("b_seen")),
        ),
        [{"b_id": asset_id, "b_seen": at} for asset_id, at in seen.items()],
    )
    addresses_table = AssetAddress.__table__  # type: ignore[attr-defined]
    session.execute(
        sa.update(addresses_table)
        .where(
            addresses_table.c.asset_id.in_(list(seen)),
            addresses_table.c.address.in_(addresses),
        )
        .values(last_seen=utcnow())
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
        session.execute(sa.insert(UtilisationSample.__table__), samples)  # type: ignore[attr-defined]


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
                AssetComponent.kind == "disk", col(AssetComponent.asset_id).in_(list(wanted))
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
                    kind="disk",
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
                ReviewItem.status == "open",
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


def finish_scan(session: Session, scan_id: int, outcome: ScanOutcome, status: ScanStatus) -> Scan:
    scan = session.get(Scan, scan_id)
    assert scan is not None
    before = audit.snapshot(scan)
    for name in ("probed", "responding", "errors", "created", "updated", "unchanged", "conflicts"):
        setattr(scan, name, outcome.counts.get(name, 0))
    scan.target_errors = dict(list(outcome.target_errors.items())[:MAX_TARGET_ERRORS])
    scan.value_errors = dict(list(outcome.value_errors.items())[:MAX_TARGET_ERRORS])
    scan.status = status
    scan.finished_at = utcnow()
    old, new = audit.changed(before, audit.snapshot(scan))
    audit.record(session, Actor(f"scan:{scan.uid}"), "scan.finish", scan, old, new)
    return scan


@dataclass
class ScanPlan:
    specs: list[TargetSpec]
    credentials: list[SnmpCredential]
    exclusions: Exclusions
    options: SweepOptions
    ssh_credentials: list[SshCredential] = field(default_factory=list)
    ssh_port: int = 22
    ssh_limits: SshLimits = field(default_factory=SshLimits)
    trusted_keys: dict[tuple[str, int], set[HostKey]] = field(default_factory=dict)
    ssh_backed_off: frozenset[str] = frozenset()  # addresses failing SSH in a row, resting

    @property
    def passes(self) -> int:
        return int(bool(self.credentials)) + int(bool(self.ssh_credentials))

    @property
    def upper_bound(self) -> int:
        return count(self.specs) * self.passes

    @property
    def kind(self) -> ScanKind:
        if self.credentials and self.ssh_credentials:
            return ScanKind.MIXED
        return ScanKind.SSH if self.ssh_credentials else ScanKind.SNMP

    def ssh_targets(self) -> Iterator[Target]:
        specs = [replace(spec, port=self.ssh_port) for spec in self.specs]
        return (t for t in expand(specs, self.exclusions) if t.address not in self.ssh_backed_off)


def plan_with_profiles(
    session: Session,
    fernet: Fernet,
    targets: Sequence[str],
    profile_names: Sequence[str],
    options: SweepOptions,
    configured_exclusions: Sequence[str] = (),
    ssh_port: int = 22,
) -> ScanPlan:
    """A plan from named credential profiles, split by protocol and opened for the sweep."""
    snmp_names, ssh_names = credential_service.split_by_protocol(session, profile_names)
    return plan_scan(
        session,
        targets,
        credential_service.snmp_credentials(session, fernet, snmp_names),
        options,
        configured_exclusions,
        credential_service.ssh_credentials(session, fernet, ssh_names),
        ssh_port,
    )


def plan_scan(
    session: Session,
    targets: Sequence[str],
    credentials: list[SnmpCredential],
    options: SweepOptions,
    configured_exclusions: Sequence[str] = (),
    ssh_credentials: Sequence[SshCredential] = (),
    ssh_port: int = 22,
) -> ScanPlan:
    specs = parse_targets(targets)
    exclusions = exclusions_for(session, configured_exclusions)
    return ScanPlan(
        specs,
        credentials,
        exclusions,
        options,
        list(ssh_credentials),
        ssh_port,
        trusted_keys=hostkeys.trusted_keys(session) if ssh_credentials else {},
        ssh_backed_off=(
            ssh_resting(session, specs, exclusions, ssh_port, utcnow())
            if ssh_credentials
            else frozenset()
        ),
    )


HISTORY = 20  # recent SSH scans read for back-off


def ssh_resting(
    session: Session,
    specs: Sequence[TargetSpec],
    exclusions: Exclusions,
    ssh_port: int,
    now: datetime,
) -> frozenset[str]:
    """Addresses whose SSH attempts failed in a row recently enough to rest (back-off)."""
    history = []
    for scan in session.exec(
        select(Scan)
        .where(
            col(Scan.kind).in_([ScanKind.SSH, ScanKind.MIXED]),
            Scan.status == ScanStatus.SUCCEEDED,
            col(Scan.started_at).is_not(None),
        )
        .order_by(col(Scan.started_at).desc())
        .limit(HISTORY)
    ):
        if scan.options.get("ssh_port", 22) != ssh_port:
            continue
        try:
            covered = parse_targets(scan.targets)
        except ValueError:
            continue
        history.append((scan.started_at, covered, scan.target_errors))
    if not history:
        return frozenset()
    resting = set()
    for target in expand(specs, exclusions):
        value = int(ipaddress.ip_address(target.address))
        attempts = [
            Attempt(at, f"{Target(target.address, ssh_port)}" in errors)
            for at, covered, errors in history
            if at is not None
            and any(
                s.first.version == ipaddress.ip_address(target.address).version
                and int(s.first) <= value <= int(s.last)
                for s in covered
            )
        ]
        if not due(attempts, now):
            resting.add(target.address)
    return frozenset(resting)


def run_scan(
    engine: sa.Engine,
    actor: Actor,
    plan: ScanPlan,
    targets_text: Sequence[str],
    stale_after_days: int,
    on_progress: Callable[[ScanProgress], None] | None = None,
    scan_uid: str | None = None,
) -> ScanOutcome:
    """Sweep, merging every BATCH results in their own transaction; record the scan.

    `scan_uid` lets a caller that answers before the scan ends (the API) name it first.
    """
    options = plan.options
    with session_scope(engine) as session:
        scan = start_scan(
            session,
            actor,
            plan.kind,
            targets_text,
            [c.name for c in plan.credentials] + [c.name for c in plan.ssh_credentials],
            {
                "timeout": options.timeout,
                "retries": options.retries,
                "concurrency": options.concurrency,
                "packets_per_second": options.packets_per_second,
                "ssh_port": plan.ssh_port,
                "ssh_backed_off": sorted(plan.ssh_backed_off),
            },
            scan_uid,
        )
        scan_id, scan_uid = pk(scan), scan.uid
    progress = ScanProgress(total=plan.upper_bound)
    total = ScanOutcome(scan_uid, ScanStatus.RUNNING, {})

    def merge(batch: list[TargetResult]) -> None:
        with session_scope(engine) as session:
            scan_row = session.get(Scan, scan_id)
            assert scan_row is not None
            part = merge_results(session, scan_row, batch)
        for key, value in part.counts.items():
            total.counts[key] = total.counts.get(key, 0) + value
        total.target_errors.update(part.target_errors)
        for target, errors in part.value_errors.items():  # SNMP and SSH of one address
            total.value_errors.setdefault(target, []).extend(errors)
        total.zombies += part.zombies

    async def sweep_and_merge() -> None:
        # Merges run on one worker thread, in order, so the event loop keeps
        # answering datagrams while the database writes.
        loop = asyncio.get_running_loop()
        pending: list[TargetResult] = []
        merges: list[asyncio.Future[None]] = []
        device_types: dict[str, str] = {}  # what SNMP recognised, for the SSH pass
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="merge") as writer:

            def on_result(result: TargetResult) -> None:
                observation = result.observation
                if observation is not None and observation.protocol == "snmp":
                    network_type = DEVICE_TYPES.get(observation.os_name or "")
                    if network_type and observation.device_class in NETWORK_CLASSES:
                        device_types[result.target.address] = network_type
                progress.probed += 1
                progress.responding += int(result.responded)
                progress.errors += int(result.failed and result.responded)
                pending.append(result)
                if len(pending) >= BATCH:
                    merges.append(loop.run_in_executor(writer, merge, pending[:]))
                    pending.clear()
                if on_progress:
                    on_progress(progress)

            def flush() -> None:
                # Each batch holds one protocol's results: the upsert records its source.
                if pending:
                    merges.append(loop.run_in_executor(writer, merge, pending[:]))
                    pending.clear()

            try:
                if plan.credentials:
                    await sweep(
                        expand(plan.specs, plan.exclusions), plan.credentials, options, on_result
                    )
                    flush()
                if plan.ssh_credentials:
                    await ssh_sweep(
                        plan.ssh_targets(),
                        plan.ssh_credentials,
                        plan.trusted_keys,
                        on_result,
                        plan.ssh_limits,
                        concurrency=min(options.concurrency, 64),
                        device_types=device_types,
                    )
            finally:
                flush()
                await asyncio.gather(*merges)

    status = ScanStatus.FAILED
    try:
        asyncio.run(sweep_and_merge())
        status = ScanStatus.SUCCEEDED
    finally:
        with session_scope(engine) as session:
            if status is ScanStatus.SUCCEEDED:
                total.went_offline = flag_stale(
                    session, Actor(f"scan:{scan_uid}"), stale_after_days
                )
            finish_scan(session, scan_id, total, status)
        total.status = status
    return total


__all__ = [
    "ScanOutcome",
    "ScanPlan",
    "ScanProgress",
    "Target",
    "exclusions_for",
    "finish_scan",
    "flag_stale",
    "merge_results",
    "observation_to_asset",
    "plan_scan",
    "run_scan",
    "start_scan",
]
