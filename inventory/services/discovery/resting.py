"""Back-off from the scan records: which addresses rest from a pass after failing in a row.

The rule is collectors/backoff.py's (three failures free, then an hour,
doubling up to a week; one success resets it). An address a scan skipped
because it was resting was not tried by that scan: that scan is no attempt,
neither a failure nor the success that would end the rest.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from collectors.backoff import MAX_WAIT, Attempt, due, due_at, wait_after
from collectors.targets import Exclusions, Target, TargetSpec, expand, parse_targets
from inventory.domain.choices import ScanKind, ScanStatus
from inventory.models import Scan

MAX_SCANS = 1000  # scans read back at most, newest first
RESTING_KEY = "ssh_backed_off"  # the scan option listing the addresses it skipped
# Failures in a row after which the wait is at its cap: no need to read further back.
ENOUGH = next(n for n in range(1, 64) if wait_after(n) >= MAX_WAIT)


@dataclass(frozen=True)
class _Past:
    at: datetime
    covered: list[TargetSpec]
    errors: dict[str, str]
    skipped: frozenset[str]

    def attempt(self, target: Target, ip: int, version: int) -> Attempt | None:
        """This scan's attempt at `target` (address `ip` as an int), or None if it never tried."""
        if target.address in self.skipped:
            return None
        if not any(
            s.first.version == version and int(s.first) <= ip <= int(s.last) for s in self.covered
        ):
            return None
        return Attempt(self.at, str(target) in self.errors)


def _history(session: Session, ssh_port: int) -> Iterator[_Past]:
    """Finished SSH scans on `ssh_port`, newest first."""
    for scan in session.exec(
        select(Scan)
        .where(
            col(Scan.kind).in_([ScanKind.SSH, ScanKind.MIXED]),
            Scan.status == ScanStatus.SUCCEEDED,
            col(Scan.started_at).is_not(None),
        )
        .order_by(col(Scan.started_at).desc())
        .limit(MAX_SCANS)
    ):
        if scan.options.get("ssh_port", 22) != ssh_port or scan.started_at is None:
            continue
        try:
            covered = parse_targets(scan.targets)
        except ValueError:
            continue
        skipped = frozenset(scan.options.get(RESTING_KEY) or ())
        yield _Past(scan.started_at, covered, scan.target_errors, skipped)


def ssh_resting(
    session: Session,
    specs: Sequence[TargetSpec],
    exclusions: Exclusions,
    ssh_port: int,
    now: datetime,
) -> frozenset[str]:
    """The addresses of :func:`ssh_resting_until`."""
    return frozenset(ssh_resting_until(session, specs, exclusions, ssh_port, now))


def ssh_resting_until(
    session: Session,
    specs: Sequence[TargetSpec],
    exclusions: Exclusions,
    ssh_port: int,
    now: datetime,
) -> dict[str, datetime]:
    """Addresses whose SSH attempts failed in a row recently enough to rest (back-off).

    Reads scans newest first until every address has met a success or enough
    failures for the longest wait, so a host resting for days is not freed
    by the many scans that skipped it meanwhile.
    """
    wanted = {
        t.address: (Target(t.address, ssh_port), ipaddress.ip_address(t.address))
        for t in expand(specs, exclusions)
    }
    attempts: dict[str, list[Attempt]] = {address: [] for address in wanted}
    undecided = set(wanted)
    for past in _history(session, ssh_port):
        for address in list(undecided):
            target, ip = wanted[address]
            attempt = past.attempt(target, int(ip), ip.version)
            if attempt is None:
                continue
            attempts[address].append(attempt)
            if not attempt.failed or len(attempts[address]) >= ENOUGH:
                undecided.discard(address)
        if not undecided:
            break
    return {
        a: until
        for a, tried in attempts.items()
        if tried and not due(tried, now) and (until := due_at(tried)) is not None
    }


__all__ = ["ENOUGH", "MAX_SCANS", "RESTING_KEY", "ssh_resting", "ssh_resting_until"]
