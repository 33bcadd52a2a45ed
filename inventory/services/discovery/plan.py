"""Planning a scan: targets minus exclusions (P1), credentials split into ordered passes.

A plan is data: which collectors run, in which order (`PASS_ORDER`), with
which credentials, on which port, and which addresses rest from a pass
(back-off). Running it (run.py) needs nothing else from the database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from cryptography.fernet import Fernet
from sqlmodel import Session, col, select

from collectors.credentials import SnmpCredential
from collectors.registry import COLLECTORS, Collector, CollectorSettings
from collectors.ssh.client import SshCredential, SshLimits
from collectors.targets import Exclusions, Target, TargetSpec, count, expand, parse_targets
from inventory.db.types import utcnow
from inventory.domain.choices import ScanKind
from inventory.domain.scan_options import ScanOptions
from inventory.models import Asset, AssetAddress
from inventory.services import credentials as credential_service
from inventory.services import hostkeys
from inventory.services.discovery.resting import RESTING_KEY, ssh_resting_until

# SNMP first: what it hears tells the SSH pass which addresses are alive (no
# TCP probe needed) and which are network devices (netmiko, not the script).
PASS_ORDER = ("snmp", "ssh")
KINDS = {
    ("snmp",): ScanKind.SNMP,
    ("ssh",): ScanKind.SSH,
    ("snmp", "ssh"): ScanKind.MIXED,
}


@dataclass(frozen=True)
class Pass:
    """One collector's turn: its registry name, settings, port and resting addresses."""

    protocol: str
    settings: CollectorSettings
    port: int | None = None  # None: each target's own port
    resting: frozenset[str] = frozenset()  # addresses backing off from this pass
    resting_until: tuple[tuple[str, datetime], ...] = ()  # each one's end of rest (UTC)

    def collector(self) -> Collector:
        return COLLECTORS.get(self.protocol)(self.settings)


@dataclass
class ScanPlan:
    specs: list[TargetSpec]
    exclusions: Exclusions
    options: ScanOptions
    passes: list[Pass] = field(default_factory=list)

    @property
    def upper_bound(self) -> int:
        """Results the scan can produce at most: every target once per pass."""
        return count(self.specs) * len(self.passes)

    @property
    def kind(self) -> ScanKind:
        return KINDS.get(tuple(p.protocol for p in self.passes), ScanKind.SNMP)

    @property
    def profile_names(self) -> list[str]:
        return [c.name for p in self.passes for c in p.settings.credentials]

    def resting(self, protocol: str) -> frozenset[str]:
        return next((p.resting for p in self.passes if p.protocol == protocol), frozenset())

    def resting_until(self) -> dict[str, datetime]:
        """Every resting address (any pass) with the time its rest ends, UTC."""
        return {a: t for p in self.passes for a, t in p.resting_until}

    def recorded_options(self) -> dict[str, Any]:
        """The options as the scan record keeps them, with the addresses SSH skipped."""
        return {**self.options.recorded(), RESTING_KEY: sorted(self.resting("ssh"))}

    def targets(self, planned: Pass) -> Iterator[Target]:
        """The pass's targets, lazily: exclusions and resting addresses left out."""
        specs = self.specs
        if planned.port is not None:
            specs = [replace(spec, port=planned.port) for spec in specs]
        return (t for t in expand(specs, self.exclusions) if t.address not in planned.resting)


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


def plan_with_profiles(
    session: Session,
    fernet: Fernet,
    targets: Sequence[str],
    profile_names: Sequence[str],
    options: ScanOptions,
    configured_exclusions: Sequence[str] = (),
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
    )


def plan_scan(
    session: Session,
    targets: Sequence[str],
    credentials: Sequence[SnmpCredential],
    options: ScanOptions,
    configured_exclusions: Sequence[str] = (),
    ssh_credentials: Sequence[SshCredential] = (),
    ssh_limits: SshLimits | None = None,
    now: datetime | None = None,
) -> ScanPlan:
    """Targets parsed (TargetError on a bad one), exclusions read, one pass per protocol used.

    `now` (default: the clock) decides which failing hosts still rest.
    """
    specs = parse_targets(targets)
    plan = ScanPlan(specs, exclusions_for(session, configured_exclusions), options)
    given: dict[str, Sequence[Any]] = {"snmp": credentials, "ssh": ssh_credentials}
    for protocol in PASS_ORDER:
        if not given.get(protocol):
            continue
        settings = CollectorSettings(
            tuple(given[protocol]),
            timeout=options.timeout,
            retries=options.retries,
            concurrency=options.concurrency,
            packets_per_second=options.packets_per_second,
            full=not options.quick,
        )
        if protocol == "ssh":
            until = ssh_resting_until(
                session, specs, plan.exclusions, options.ssh_port, now or utcnow()
            )
            resting = frozenset(until)
            extras = {"trusted_keys": hostkeys.trusted_keys(session), "limits": ssh_limits}
            settings = replace(settings, extras={k: v for k, v in extras.items() if v})
            rests = tuple(sorted(until.items()))
            plan.passes.append(Pass(protocol, settings, options.ssh_port, resting, rests))
        else:
            plan.passes.append(Pass(protocol, settings))
    return plan


__all__ = [
    "KINDS",
    "PASS_ORDER",
    "Pass",
    "ScanPlan",
    "exclusions_for",
    "plan_scan",
    "plan_with_profiles",
]
