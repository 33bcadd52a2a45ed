"""Logins: throttled per source, locked per account (and unlocked when the lock runs out).

MLPS 2.0 asks for login-failure handling (lock after repeated failures); the
lock must not hand any guesser a way to shut somebody out, nor kill the
account's API tokens, nor answer faster than a wrong password.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher
from sqlmodel import Session, select

from inventory.db.types import utcnow
from inventory.domain.access import AccessDenied
from inventory.domain.choices import Role
from inventory.models import AuditEvent, User
from inventory.services import audit, logins, users
from inventory.services.context import Actor
from inventory.services.throttle import LoginThrottle

PASSWORD = "Correct-Horse-42"


class CountingHasher(PasswordHasher):
    """Real argon2 at its cheapest, counting verifications: each costs the same time."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified = 0

    def verify(self, hash: Any, password: Any) -> Literal[True]:
        self.verified += 1
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(users, "_hasher", counting)
    return counting


@pytest.fixture
def fin(session: Session, actor: Actor, hasher: CountingHasher) -> User:
    return users.create_user(session, actor, "fin", PASSWORD, Role.FINANCE)


def test_many_sources_lock_the_account_but_not_its_tokens(
    session: Session, actor: Actor, fin: User
) -> None:
    throttle = LoginThrottle()
    _, token = users.issue_token(session, actor, fin, "excel")
    for n in range(logins.MAX_FAILED_LOGINS):
        assert logins.authenticate(session, "fin", "wrong", "r", f"192.0.2.{n}", throttle) is None
    assert fin.locked_until is not None
    assert logins.authenticate(session, "fin", PASSWORD, "r", "198.51.100.1", throttle) is None
    assert users.verify_token(session, token) is not None  # a lock stops password logins only


def test_an_expired_lock_starts_the_count_afresh(session: Session, fin: User) -> None:
    for _ in range(logins.MAX_FAILED_LOGINS):
        logins.authenticate(session, "fin", "wrong", "r")
    assert fin.locked_until is not None
    _set(session, fin, locked_until=utcnow() - timedelta(seconds=1))  # the lock ran out
    assert logins.authenticate(session, "fin", "wrong", "r") is None
    assert fin.failed_logins == 1  # one failure does not re-lock
    assert fin.locked_until is None
    assert logins.authenticate(session, "fin", PASSWORD, "r") is not None


def test_a_throttled_source_is_refused_on_every_account_it_tries(
    session: Session, actor: Actor, fin: User
) -> None:
    throttle = LoginThrottle(per_account_and_source=100, per_source=3)
    for name in ("a", "b", "c"):
        logins.authenticate(session, name, "guess", "r", "203.0.113.9", throttle)
    assert logins.authenticate(session, "fin", PASSWORD, "r", "203.0.113.9", throttle) is None
    assert logins.authenticate(session, "fin", PASSWORD, "r", "203.0.113.10", throttle) is fin


def test_the_throttle_forgets_failures_older_than_its_window() -> None:
    now = [0.0]
    throttle = LoginThrottle(per_account_and_source=2, window_seconds=60, clock=lambda: now[0])
    throttle.failed("s", "fin")
    throttle.failed("s", "fin")
    assert throttle.blocked("s", "fin")
    now[0] = 61.0
    assert not throttle.blocked("s", "fin")


@pytest.mark.parametrize("case", ["right", "wrong", "unknown", "locked", "throttled", "inactive"])
def test_every_login_path_verifies_exactly_one_argon2_hash(
    session: Session, fin: User, hasher: CountingHasher, case: str
) -> None:
    """No path answers measurably faster: an unknown name, a lock or a throttle still
    cost one argon2 verification, like a wrong password (a timing is never asserted)."""
    throttle = LoginThrottle(per_account_and_source=1)
    username, password = ("nobody" if case == "unknown" else "fin"), PASSWORD
    if case == "wrong":
        password = "wrong"
    if case == "locked":
        _set(session, fin, locked_until=utcnow() + timedelta(minutes=5))
    if case == "inactive":
        _set(session, fin, is_active=False)
    if case == "throttled":
        throttle.failed("x", "fin")
    before = hasher.verified
    found = logins.authenticate(session, username, password, "r", "x", throttle)
    assert hasher.verified - before == 1
    assert (found is not None) == (case == "right")
    session.flush()
    assert session.exec(select(AuditEvent).where(AuditEvent.request_id == "r")).first()


def test_auditors_are_made_only_on_the_server(session: Session, actor: Actor) -> None:
    with pytest.raises(AccessDenied, match="inventory user add --role auditor"):
        users.create_user(session, actor, "aud", PASSWORD, Role.AUDITOR)
    made = users.create_user(session, actor, "aud", PASSWORD, Role.AUDITOR, on_server=True)
    assert made.role is Role.AUDITOR


def _set(session: Session, user: User, **values: object) -> None:
    """Test set-up: change the account directly, audited (P7) like every write."""
    for name, value in values.items():
        setattr(user, name, value)
    audit.record(session, Actor("test:setup"), "user.update", user, None, None)
