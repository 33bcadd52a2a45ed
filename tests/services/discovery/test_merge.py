"""The merge reads results as data: a batch that came over JSON merges the same."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import Session, select

from collectors.observation import (
    HostKey,
    KeyVerdict,
    Observation,
    TargetResult,
    from_json,
    to_json,
)
from collectors.targets import Target
from inventory.domain.choices import ScanKind
from inventory.models import Asset
from inventory.models import HostKey as StoredKey
from inventory.services import discovery
from inventory.services.context import Actor

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def batch() -> list[TargetResult]:
    server = Observation(
        "10.0.0.5",
        "ssh",
        "ops-key",
        NOW,
        name="jyj-srv-01",
        machine_id="0f4e6a2b9c1d4e5f8a7b6c5d4e3f2a1b",
        ssh_host_key="ab" * 32,
    )
    return [
        TargetResult(
            Target("10.0.0.5", 22),
            server,
            responded=True,
            host_key=HostKey("ssh-ed25519", "ab" * 32),
            verdict=KeyVerdict.FIRST_USE,
        ),
        TargetResult(Target("10.0.0.6", 22), responded=True, error="deadline reached in banner"),
        TargetResult(Target("10.0.0.7", 22)),
    ]


def test_a_batch_decoded_from_json_merges_like_the_original(session: Session, actor: Actor) -> None:
    decoded = [from_json(json.loads(json.dumps(to_json(r)))) for r in batch()]
    scan = discovery.start_scan(session, actor, ScanKind.SSH, ["10.0.0.5-7"], ["ops-key"], {})
    outcome = discovery.merge_results(session, scan, decoded)
    assert outcome.counts["created"] == 1
    assert (outcome.counts["probed"], outcome.counts["responding"]) == (3, 2)
    assert outcome.target_errors == {"10.0.0.6:22": "deadline reached in banner"}
    (key,) = session.exec(select(StoredKey)).all()  # the host key, read as data, was recorded
    assert key.fingerprint_sha256 == "ab" * 32
    again = discovery.merge_results(
        session,
        discovery.start_scan(session, actor, ScanKind.SSH, ["10.0.0.5-7"], ["ops-key"], {}),
        batch(),
    )
    assert (again.counts["created"], again.counts["unchanged"]) == (0, 1)
    assert len(session.exec(select(Asset)).all()) == 1


def test_an_unresolved_conflict_is_not_queued_again_on_a_rescan(
    session: Session, actor: Actor
) -> None:
    from inventory.domain.choices import ReviewKind
    from inventory.models import AuditEvent, ReviewItem
    from tests import factories

    factories.asset(session, actor, serial_number="SN-A", addresses=["10.0.0.5"])
    factories.asset(
        session, actor, serial_number="SN-B", system_uuid="6f1c2d3e-0000-4000-8000-00000000000b"
    )
    contradiction = Observation(
        "10.0.0.5",
        "snmp",
        "ro",
        NOW,
        serial_number="SN-A",
        system_uuid="6f1c2d3e-0000-4000-8000-00000000000b",
    )
    outcomes = [
        discovery.merge_results(
            session,
            discovery.start_scan(session, actor, ScanKind.SNMP, ["10.0.0.5"], ["ro"], {}),
            [TargetResult(Target("10.0.0.5", 161), contradiction, responded=True)],
        )
        for _ in range(3)
    ]
    assert [o.counts["conflicts"] for o in outcomes] == [1, 1, 1]  # still waiting, each time
    items = session.exec(
        select(ReviewItem).where(ReviewItem.kind == ReviewKind.IDENTITY_CONFLICT)
    ).all()
    assert len(items) == 1
    opened = session.exec(select(AuditEvent).where(AuditEvent.action == "review.open")).all()
    assert len(opened) == 1
