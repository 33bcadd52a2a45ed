"""SNMP and SSH of one machine: one asset with evidence from both; a second scan changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from collectors.credentials import SnmpCredential, SnmpVersion
from collectors.ssh.client import SshCredential
from inventory.db.engine import session_scope
from inventory.domain.choices import ScanKind
from inventory.domain.scan_options import ScanOptions
from inventory.models import Asset, AssetAddress, HostKey, Scan
from inventory.services import discovery
from inventory.services.context import Actor
from tests.agents import COMMUNITY

pytestmark = pytest.mark.integration


def scan(engine: sa.Engine, snmpd: Any, sshd: Any, tofu: bool) -> discovery.ScanOutcome:
    with session_scope(engine) as session:
        plan = discovery.plan_scan(
            session,
            [f"127.0.0.1:{snmpd.port}"],
            [SnmpCredential("lab", SnmpVersion.V2C, community=COMMUNITY)],
            ScanOptions(timeout=1, ssh_port=sshd.port),
            ssh_credentials=[
                SshCredential(
                    "ops-key",
                    sshd.user,
                    private_key=sshd.client_key.read_text(),
                    trust_on_first_use=tofu,
                )
            ],
        )
    return discovery.run_scan(engine, Actor("user:ops"), plan, ["127.0.0.1"], 30)


def test_one_machine_seen_both_ways_is_one_asset(engine: sa.Engine, snmpd: Any, sshd: Any) -> None:
    first = scan(engine, snmpd, sshd, tofu=True)
    # Both passes' observations of the address are combined before identity is
    # resolved (merge.combine_by_address): one row, created once, nothing to update.
    assert (first.counts["created"], first.counts["updated"]) == (1, 0)
    assert first.counts["responding"] == 2  # two answers, one machine
    second = scan(engine, snmpd, sshd, tofu=False)  # the key is trusted now
    assert (second.counts["created"], second.counts["updated"], second.counts["unchanged"]) == (
        0,
        0,
        1,
    )
    with session_scope(engine) as session:
        (asset,) = session.exec(select(Asset)).all()
        assert asset.snmp_engine_id  # from SNMP
        assert asset.machine_id  # from SSH
        assert asset.ssh_host_key
        sources = set(session.exec(select(AssetAddress.source)).all())
        assert sources == {"snmp"}  # one address, first seen by SNMP
        (key,) = session.exec(select(HostKey)).all()
        assert key.fingerprint_sha256 == asset.ssh_host_key
        kinds = session.exec(select(Scan.kind).order_by(col(Scan.id))).all()
        assert kinds == [ScanKind.MIXED, ScanKind.MIXED]


def test_an_unknown_key_records_the_host_but_logs_in_nowhere(engine: sa.Engine, sshd: Any) -> None:
    with session_scope(engine) as session:
        plan = discovery.plan_scan(
            session,
            ["127.0.0.1"],
            [],
            ScanOptions(ssh_port=sshd.port),
            ssh_credentials=[
                SshCredential("ops-key", sshd.user, private_key=sshd.client_key.read_text())
            ],
        )
    outcome = discovery.run_scan(engine, Actor("user:ops"), plan, ["127.0.0.1"], 30)
    assert outcome.counts["created"] == 0
    assert "queued for approval" in next(iter(outcome.target_errors.values()))
    with session_scope(engine) as session:
        (key,) = session.exec(select(HostKey)).all()
        assert key.status == "pending"
