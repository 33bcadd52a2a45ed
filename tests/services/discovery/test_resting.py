"""Back-off: a host whose SSH keeps failing rests for the times the README promises.

Three failures in a row are free; then it rests an hour, two, four … up to a
week. A scan that skipped the resting host did not try it: that is no
success, so the rest lasts its full time, across any number of scans.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import col

from collectors.ssh.client import SshCredential, SshLimits
from inventory.db.engine import session_scope
from inventory.db.types import utcnow
from inventory.domain.scan_options import ScanOptions
from inventory.models import Scan
from inventory.services import discovery
from inventory.services.context import Actor
from tests.agents import Tarpit

pytestmark = pytest.mark.integration
LOGIN = SshCredential("ops", "ops", password="x", trust_on_first_use=True)


def scan(engine: sa.Engine, pit: Tarpit, at: datetime) -> tuple[bool, dict[str, str]]:
    """One SSH scan planned as if at `at`: (whether it skipped the host, its errors)."""
    with session_scope(engine) as session:
        plan = discovery.plan_scan(
            session,
            [pit.address],
            [],
            ScanOptions(ssh_port=pit.port),
            ssh_credentials=[LOGIN],
            ssh_limits=SshLimits(banner=0.2),
            now=at,
        )
    outcome = discovery.run_scan(engine, Actor("user:ops"), plan, [pit.address], 30)
    with engine.begin() as connection:  # the record says it ran at `at`, as if it had
        connection.execute(
            sa.update(Scan).where(col(Scan.uid) == outcome.scan_uid).values(started_at=at)
        )
    return pit.address in plan.resting("ssh"), outcome.target_errors


def test_a_failing_host_rests_an_hour_then_two_across_many_scans(engine: sa.Engine) -> None:
    start = utcnow()
    with Tarpit() as pit:
        for _ in range(3):  # three failures: free
            skipped, errors = scan(engine, pit, start)
            assert not skipped
            assert list(errors.values()) == ["deadline reached in banner (0.2s)"]
        for minutes in (0, 20, 40, 59):  # resting for an hour, however many scans come
            skipped, errors = scan(engine, pit, start + timedelta(minutes=minutes))
            assert skipped
            assert errors == {}
        skipped, errors = scan(engine, pit, start + timedelta(minutes=61))
        assert not skipped  # tried again after its hour, and it fails a fourth time
        assert errors
        later = start + timedelta(minutes=61)
        for minutes in (30, 90, 119):  # now it rests two hours
            assert scan(engine, pit, later + timedelta(minutes=minutes))[0]
        assert not scan(engine, pit, later + timedelta(minutes=121))[0]


def test_the_outcome_lists_a_resting_host_with_the_end_of_its_rest(engine: sa.Engine) -> None:
    """A skipped host is said, not silent: `resting` is in every outcome, empty when none."""
    start = utcnow()
    with Tarpit() as pit:
        for _ in range(3):
            scan(engine, pit, start)
        with session_scope(engine) as session:
            plan = discovery.plan_scan(
                session,
                [pit.address],
                [],
                ScanOptions(ssh_port=pit.port),
                ssh_credentials=[LOGIN],
                ssh_limits=SshLimits(banner=0.2),
                now=start + timedelta(minutes=10),
            )
        outcome = discovery.run_scan(engine, Actor("user:ops"), plan, [pit.address], 30)
    assert outcome.counts["probed"] == 0
    until = outcome.resting[pit.address]
    assert start + timedelta(minutes=59) < until <= start + timedelta(hours=1, minutes=1)
    assert outcome.as_dict()["resting"] == {pit.address: until.isoformat()}
