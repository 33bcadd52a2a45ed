"""The main job on the embedded default: load the sample ledger, start the lab, scan it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from inventory.db.engine import session_scope
from inventory.domain.choices import CredentialKind
from inventory.domain.scan_options import ScanOptions
from inventory.lab.estate import (
    LAB_COMMUNITY,
    SnmpLab,
    classified_networks,
    lab_devices,
    scan_targets,
)
from inventory.lab.ssh_lab import (
    LAB_SSH_PASSWORD,
    LAB_SSH_PORT,
    LAB_SSH_USER,
    SshLab,
)
from inventory.models import Asset, CredentialProfile, Department
from inventory.sample.estate import load_sample
from inventory.services import credentials, discovery
from inventory.services.context import Actor
from inventory.settings import Settings

LAB_PROFILE = "lab-v2c"
LAB_SSH_PROFILE = "lab-ssh"


@dataclass
class DemoReport:
    sample_loaded: bool
    devices: int
    targets: list[str]
    excluded: list[str]
    scan: discovery.ScanOutcome
    by_department: list[tuple[str, int, int]] = field(default_factory=list)  # name, seen, total
    unregistered: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sample_loaded": self.sample_loaded,
            "lab_devices": self.devices,
            "targets": self.targets,
            "excluded": self.excluded,
            "scan": self.scan.as_dict(),
            "by_department": [
                {"department": n, "seen": s, "on_ledger": t} for n, s, t in self.by_department
            ],
            "unregistered": self.unregistered,
        }


def run_demo(
    engine: sa.Engine,
    settings: Settings,
    on_progress: Callable[[discovery.ScanProgress], None] | None = None,
    timeout: float = 1.0,
    retries: int = 1,
) -> DemoReport:
    """Idempotent: a second run rescans the same lab and changes no asset count.

    `timeout` (seconds per request) and `retries` are the SNMP pass's; a tiny
    timeout leaves agents answering only their system group, and those thin
    answers still land on the ledger's rows (identity rule ADDRESS_NAME).
    """
    actor = Actor("system:demo")
    with session_scope(engine) as session:
        loaded = load_sample(session, Actor("system:sample")).loaded
    fernet = credentials.load_key(settings, create=True)
    with session_scope(engine) as session:
        exists = session.exec(
            select(CredentialProfile).where(CredentialProfile.name == LAB_PROFILE)
        ).first()
        if exists is None:
            credentials.create_snmp_profile(
                session,
                actor,
                fernet,
                LAB_PROFILE,
                CredentialKind.SNMP_V2C,
                {"community": LAB_COMMUNITY},
            )
            # The lab's servers are new to the inventory: trust their key on first use.
            credentials.create_ssh_profile(
                session,
                actor,
                fernet,
                LAB_SSH_PROFILE,
                CredentialKind.SSH_PASSWORD,
                LAB_SSH_USER,
                {"password": LAB_SSH_PASSWORD},
                trust_on_first_use=True,
            )
    devices = lab_devices()
    targets = scan_targets(devices)
    excluded = [*classified_networks(), *settings.scan_exclusions]
    options = ScanOptions(timeout=timeout, retries=retries, concurrency=512, ssh_port=LAB_SSH_PORT)
    with SnmpLab(devices), SshLab(devices, settings.data_dir / "lab-ssh-keys"):
        with session_scope(engine) as session:
            plan = discovery.plan_scan(
                session,
                targets,
                credentials.snmp_credentials(session, fernet, [LAB_PROFILE]),
                options,
                excluded,
                credentials.ssh_credentials(session, fernet, [LAB_SSH_PROFILE]),
            )
        outcome = discovery.run_scan(
            engine, actor, plan, targets, settings.stale_after_days, on_progress
        )
    report = DemoReport(loaded, len(devices), targets, excluded, outcome)
    with session_scope(engine) as session:
        rows = session.execute(
            sa.select(
                col(Department.name),
                sa.func.count(col(Asset.id)).filter(col(Asset.last_seen).is_not(None)),
                sa.func.count(col(Asset.id)),
            )
            .join(Asset, col(Asset.department_id) == col(Department.id))
            .group_by(col(Department.id), col(Department.name))
            .order_by(col(Department.id))
        ).all()
        report.by_department = [(name, int(seen), int(total)) for name, seen, total in rows]
        report.unregistered = [
            {
                "uid": a.uid,
                "address": a.primary_address,
                "vendor": a.vendor,
                "model": a.model,
                "device_class": str(a.device_class),
                "serial": a.serial_number,
            }
            for a in session.exec(
                select(Asset)
                .where(col(Asset.department_id).is_(None), col(Asset.last_seen).is_not(None))
                .order_by(col(Asset.primary_address))
            )
        ]
    return report
