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
