"""Host keys: unknown ones wait for an operator, changed ones raise an alarm, all audited."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from collectors.observation import HostKey as SeenKey
from collectors.observation import KeyVerdict, TargetResult
from collectors.targets import Target
from inventory.domain.choices import HostKeyStatus, ReviewKind, ReviewStatus
from inventory.domain.errors import DomainError
from inventory.models import AuditEvent, HostKey, ReviewItem
from inventory.services import hostkeys
from inventory.services.context import Actor

KEY = SeenKey("ssh-ed25519", "ab" * 32)
OTHER = SeenKey("ssh-ed25519", "cd" * 32)
TARGET = Target("10.0.0.5", 22)


def seen(verdict: KeyVerdict, key: SeenKey = KEY) -> TargetResult:
    return TargetResult(TARGET, responded=True, host_key=key, verdict=verdict)


def test_an_unknown_key_is_pending_and_queued_once(session: Session, actor: Actor) -> None:
    hostkeys.record_seen(session, actor, seen(KeyVerdict.UNKNOWN))
    hostkeys.record_seen(session, actor, seen(KeyVerdict.UNKNOWN))  # the next scan
    (stored,) = session.exec(select(HostKey)).all()
    assert stored.status is HostKeyStatus.PENDING
    (item,) = session.exec(select(ReviewItem)).all()
    assert item.kind is ReviewKind.HOST_KEY_UNKNOWN
    assert hostkeys.trusted_keys(session) == {}


def test_approval_makes_it_trusted_and_is_audited(session: Session, actor: Actor) -> None:
    hostkeys.record_seen(session, actor, seen(KeyVerdict.UNKNOWN))
    stored = session.exec(select(HostKey)).one()
    with pytest.raises(DomainError, match="needs a reason"):
        hostkeys.approve(session, actor, stored.id, " ")
    hostkeys.approve(session, actor, stored.id, "指纹已与机房核对")
    assert hostkeys.trusted_keys(session) == {("10.0.0.5", 22): {KEY}}
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "hostkey.approve")).one()
    (item,) = session.exec(select(ReviewItem)).all()
    assert item.status is ReviewStatus.RESOLVED  # the queue empties with the approval
    with pytest.raises(DomainError, match="not pending"):
        hostkeys.approve(session, actor, stored.id, "again")


def test_first_use_trusts_at_once_and_a_change_is_an_alarm(session: Session, actor: Actor) -> None:
    hostkeys.record_seen(session, actor, seen(KeyVerdict.FIRST_USE))
    assert hostkeys.trusted_keys(session) == {("10.0.0.5", 22): {KEY}}
    hostkeys.record_seen(session, actor, seen(KeyVerdict.CHANGED, OTHER))
    (alarm,) = session.exec(select(ReviewItem)).all()
    assert alarm.kind is ReviewKind.HOST_KEY_CHANGED
    assert alarm.observation["fingerprint_sha256"] == OTHER.sha256
    assert hostkeys.trusted_keys(session) == {("10.0.0.5", 22): {KEY}}  # still the old one
