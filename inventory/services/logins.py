"""Password logins: one argon2 verification on every path, throttled, locked, audited.

MLPS 2.0 asks for login-failure handling. A single source is throttled first
(services.throttle), so one guesser can neither lock somebody out nor try many
accounts; the account lock (MAX_FAILED_LOGINS from all sources) expires and
then counts afresh; a lock stops password logins only, never the account's API
tokens. The argon2 hasher and the policy live in services.users.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from inventory.db.types import utcnow
from inventory.models import User
from inventory.services import audit, users
from inventory.services.context import Actor
from inventory.services.throttle import LoginThrottle

MAX_FAILED_LOGINS = 10  # from all sources together; one source is throttled long before
LOCK_MINUTES = 15


def authenticate(
    session: Session,
    username: str,
    password: str,
    request_id: str,
    source: str = "local",
    throttle: LoginThrottle | None = None,
) -> User | None:
    """The user if the password is right, the account open and the source not throttled.

    Every attempt verifies one argon2 hash (a dummy one for unknown names), so
    an unknown, locked or throttled login answers no faster than a wrong
    password. Every refusal is audited, unknown names included, naming the
    source (an address). A failure is recorded in the session, so the caller
    commits it before it refuses the login. A lock only stops password logins:
    the account's API tokens keep working.
    """
    now = utcnow()
    user = session.exec(select(User).where(User.username == username)).first()
    known_hash = user.password_hash if user is not None else None
    matches = users._verify(known_hash or users._dummy_hash(), password) and known_hash is not None
    throttled = throttle is not None and throttle.blocked(source, username)
    if user is None or known_hash is None:
        _refuse_unknown(session, username, request_id, source, throttled)
    else:
        actor = Actor(f"user:{user.username}", request_id)
        locked = user.locked_until is not None and user.locked_until > now
        if throttled or locked:
            why = "too many failures from this source" if throttled else "account locked"
            audit.record(
                session, actor, "user.login_refused", user, None, None, f"{why} ({source})"
            )
            return None
        if user.is_active and matches:
            _succeed(session, actor, user, password)
            if throttle is not None:
                throttle.succeeded(source, username)
            return user
        if user.is_active:
            _count_failure(session, actor, user, now, source)
        else:
            audit.record(
                session, actor, "user.login_refused", user, None, None, f"inactive ({source})"
            )
    if throttle is not None and not throttled:
        throttle.failed(source, username)
    return None


def _refuse_unknown(
    session: Session, username: str, request_id: str, source: str, throttled: bool
) -> None:
    # No row to point at: the event names the attempted login as its object.
    why = "too many failures from this source" if throttled else "unknown user"
    audit.record_many(
        session,
        [
            audit.event(
                Actor(f"source:{source}"[:128], request_id),
                "user.login_refused" if throttled else "user.login_failed",
                "user",
                username[:64],
                None,
                None,
                f"{why} ({source})",
            )
        ],
    )


def _succeed(session: Session, actor: Actor, user: User, password: str) -> None:
    if user.failed_logins or user.locked_until:
        before = audit.snapshot(user)
        user.failed_logins = 0
        user.locked_until = None
        old, new = audit.changed(before, audit.snapshot(user))
        audit.record(session, actor, "user.login", user, old, new)
    else:
        audit.record(session, actor, "user.login", user, None, None)
    if user.password_hash and users._hasher.check_needs_rehash(user.password_hash):
        user.password_hash = users._hasher.hash(password)


def _count_failure(session: Session, actor: Actor, user: User, now: datetime, source: str) -> None:
    before = audit.snapshot(user)
    if user.locked_until is not None and user.locked_until <= now:
        # The lock ran out: counting starts afresh (else one more failure re-locks).
        user.failed_logins = 0
        user.locked_until = None
    user.failed_logins += 1
    action = "user.login_failed"
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        action = "user.locked"
    old, new = audit.changed(before, audit.snapshot(user))
    audit.record(session, actor, action, user, old, new, f"wrong password ({source})")
