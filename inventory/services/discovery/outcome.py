"""A scan's record: started, counted, finished; its outcome with the same keys every time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from inventory.db.types import utcnow
from inventory.domain.choices import ScanKind, ScanStatus
from inventory.models import Scan
from inventory.models.assets import new_uid
from inventory.services import audit, records
from inventory.services.context import Actor

MAX_TARGET_ERRORS = 1000  # per scan record; the counts stay exact beyond it
MAX_VALUE_ERRORS = 20  # per target
# Every count a scan reports, always present (zero when nothing happened), so a
# script reading `scan --json` finds the same keys after a success, a failure
# or an empty range.
COUNTS = ("probed", "responding", "errors", "created", "updated", "unchanged", "conflicts")


@dataclass
class ScanProgress:
    total: int
    probed: int = 0
    responding: int = 0
    errors: int = 0


def zero_counts() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


@dataclass
class ScanOutcome:
    scan_uid: str
    status: ScanStatus
    counts: dict[str, int] = field(default_factory=zero_counts)
    target_errors: dict[str, str] = field(default_factory=dict)
    value_errors: dict[str, list[str]] = field(default_factory=dict)
    zombies: list[str] = field(default_factory=list)
    went_offline: list[str] = field(default_factory=list)
    # Addresses a pass skipped as resting after failing in a row, and until when (UTC).
    resting: dict[str, datetime] = field(default_factory=dict)
    error: str | None = None  # why the scan failed, if it did

    def add(self, part: ScanOutcome) -> None:
        """Fold one batch's outcome into this running total."""
        for key, value in part.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value
        self.target_errors.update(part.target_errors)
        for target, errors in part.value_errors.items():  # SNMP and SSH of one address
            self.value_errors.setdefault(target, []).extend(errors)
        self.zombies += part.zombies

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; the keys are the same whatever happened (COUNTS included)."""
        return {
            "scan": self.scan_uid,
            "status": str(self.status),
            **{key: self.counts.get(key, 0) for key in COUNTS},
            "target_errors": self.target_errors,
            "value_errors": self.value_errors,
            "zombies": self.zombies,
            "went_offline": self.went_offline,
            "resting": {a: until.isoformat() for a, until in self.resting.items()},
            "error": self.error,
        }


def start_scan(
    session: Session,
    actor: Actor,
    kind: ScanKind,
    targets: Sequence[str],
    profile_names: Sequence[str],
    options: dict[str, Any],
    uid: str | None = None,
) -> Scan:
    """Record a scan as running (audited, by the person or job that asked for it)."""
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


def finish_scan(session: Session, scan_id: int, outcome: ScanOutcome, status: ScanStatus) -> Scan:
    """Store the counts, the first MAX_TARGET_ERRORS errors and the end state; audited."""
    scan = session.get(Scan, scan_id)
    assert scan is not None
    before = audit.snapshot(scan)
    for name in COUNTS:
        setattr(scan, name, outcome.counts.get(name, 0))
    scan.target_errors = dict(list(outcome.target_errors.items())[:MAX_TARGET_ERRORS])
    scan.value_errors = dict(list(outcome.value_errors.items())[:MAX_TARGET_ERRORS])
    scan.status = status
    scan.finished_at = utcnow()
    old, new = audit.changed(before, audit.snapshot(scan))
    audit.record(session, Actor(f"scan:{scan.uid}"), "scan.finish", scan, old, new)
    return scan


__all__ = ["COUNTS", "ScanOutcome", "ScanProgress", "finish_scan", "start_scan", "zero_counts"]
