"""Accounts, logins and API tokens: argon2 passwords, lock-out, tokens kept only as hashes.

A page session is an API token too (named WEB_SESSION, short-lived), so logging
out revokes it on the server and its last use is tracked like any token's.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from inventory.db.types import utcnow
from inventory.domain.access import AccessDenied, Principal
from inventory.domain.choices import Role
from inventory.domain.errors import DomainError, NotFoundError
from inventory.models import ApiToken, Department, User
from inventory.services import audit, writes
from inventory.services.context import Actor

MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "inv"  # noqa: S105 (the marker every token starts with, not a secret)
WEB_SESSION = "web session"
WEB_SESSION_HOURS = 8
LAST_USE_RESOLUTION = timedelta(minutes=1)  # last use is written at most this often

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against unknown usernames so that a login takes as long either way.

    Computed on first use, not at import: an argon2 hash costs tens of
    milliseconds and a deliberate amount of memory in every importing process.
    """
    return _hasher.hash(secrets.token_urlsafe(16))


class PasswordPolicyError(DomainError):
    """The password does not meet the policy (MLPS 2.0 asks for complexity)."""


def check_password_policy(password: str) -> None:
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if len(password) < MIN_PASSWORD_LENGTH or classes < 3:
        raise PasswordPolicyError(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters and three of: "
            "lower case, upper case, digits, symbols"
        )


def create_user(
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    role: Role,
    department_code: str | None = None,
    display_name: str | None = None,
    *,
    on_server: bool = False,
) -> User:
    """A new account. Auditor accounts only `on_server` (the CLI), never from the API.

    MLPS 2.0 separates the system administrator, the security administrator and
    the auditor (三权分立): an admin who could mint an auditor could read the
    audit trail of their own actions, so the web administrator cannot.
    """
    role = Role(role)
    if role is Role.AUDITOR and not on_server:
        raise AccessDenied(
            "auditor accounts are created only on the server: inventory user add --role auditor"
        )
    username = username.strip()
    if not username or len(username) > 64:
        raise DomainError("a username needs 1 to 64 characters")
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise DomainError(f"user {username!r} exists already")
    department_id = None
    if department_code:
        department = session.exec(
            select(Department).where(Department.code == department_code)
        ).first()
        if department is None:
            raise NotFoundError("department", department_code)
        department_id = department.id
    if role is Role.DEPARTMENT and department_id is None:
        raise DomainError("a department user needs a department")
    check_password_policy(password)
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        department_id=department_id,
        password_hash=_hasher.hash(password),
    )
    writes.add(session, user)
    session.flush()
    audit.record(session, actor, "user.create", user, None, audit.snapshot(user))
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(session: Session, actor: Actor, username: str, password: str) -> int:
    """Set a new password, unlock the account, and revoke its page sessions and API tokens.

    Whoever held the old password may have made tokens with it, so none
    survives a reset. Returns how many sessions and tokens were revoked.
    """
    user = find_user(session, username)
    check_password_policy(password)
    before = audit.snapshot(user)
    user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    old, new = audit.changed(before, audit.snapshot(user))
    audit.record(session, actor, "user.password", user, old, new)
    now = utcnow()
    alive = session.exec(
        select(ApiToken).where(
            ApiToken.user_id == user.id,
            col(ApiToken.revoked_at).is_(None),
            sa.or_(col(ApiToken.expires_at).is_(None), col(ApiToken.expires_at) > now),
        )
    ).all()
    for token in alive:
        revoke_token(session, actor, token.user_id, token.id)  # type: ignore[arg-type]
    return len(alive)


def find_user(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFoundError("user", username)
    return user


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


def issue_token(
    session: Session,
    actor: Actor,
    user: User,
    name: str,
    *,
    read_only: bool = False,
    lifetime: timedelta = timedelta(days=90),
    _web_session: bool = False,
) -> tuple[ApiToken, str]:
    """A new token and its text, which exists only in this return value.

    The text carries 256 random bits, so a salted SHA-256 cannot be brute-forced
    and costs nothing per request, unlike a password hash.
    """
    if not name.strip() or len(name) > 64:
        raise DomainError("a token needs a name of 1 to 64 characters")
    if name.strip() == WEB_SESSION and not _web_session:
        # The name marks the tokens the pages accept as their cookie.
        raise DomainError(f"the token name {WEB_SESSION!r} is reserved for page logins")
    if lifetime <= timedelta(0) or lifetime > timedelta(days=366):
        raise DomainError("a token lives between a moment and 366 days")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(8)
    token = ApiToken(
        user_id=user.id,  # type: ignore[arg-type]
        name=name.strip(),
        prefix=prefix,
        token_hash=f"sha256${salt}${_digest(salt, secret)}",
        read_only=read_only,
        expires_at=utcnow() + lifetime,
    )
    writes.add(session, token)
    session.flush()
    audit.record(session, actor, "token.create", token, None, audit.snapshot(token))
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def start_web_session(session: Session, user: User, request_id: str) -> str:
    actor = Actor(f"user:{user.username}", request_id)
    _, text = issue_token(
        session,
        actor,
        user,
        WEB_SESSION,
        lifetime=timedelta(hours=WEB_SESSION_HOURS),
        _web_session=True,
    )
    return text


@dataclass(frozen=True)
class Authenticated:
    principal: Principal
    token_id: int
    web_session: bool = False  # issued by a page login; only these are page cookies
    last_use_due: bool = False  # last_used_at is older than LAST_USE_RESOLUTION


_token, _user = ApiToken.__table__.c, User.__table__.c  # type: ignore[attr-defined]
# Every API request comes through verify_token: only the columns its decision
# needs, as one plain row, from a statement built once (two ORM entities and
# building the query each time cost more than the lookup itself).
_TOKEN_LOOKUP = (
    sa.select(
        _token.id,
        _token.name,
        _token.token_hash,
        _token.read_only,
        _token.expires_at,
        _token.last_used_at,
        _token.revoked_at,
        _user.id.label("user_id"),
        _user.username,
        _user.role,
        _user.department_id,
        _user.is_active,
    )
    .join_from(ApiToken.__table__, User.__table__, _user.id == _token.user_id)  # type: ignore[attr-defined]
    .where(_token.prefix == sa.bindparam("prefix"))
)


def verify_token(session: Session, text: str) -> Authenticated | None:
    """Who a token belongs to, if it is well-formed, known, unexpired, unrevoked and theirs."""
    parts = text.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    _, prefix, secret = parts
    now = utcnow()
    row = session.execute(_TOKEN_LOOKUP, {"prefix": prefix}).first()
    if row is None:
        return None
    scheme, _, rest = row.token_hash.partition("$")
    salt, _, digest = rest.partition("$")
    if scheme != "sha256" or not hmac.compare_digest(digest, _digest(salt, secret)):
        return None
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if not row.is_active:  # a lock stops password logins only, never the tokens
        return None
    # The last use is not written here: a read must never take the write lock.
    # The caller writes it afterwards with note_token_use, best-effort.
    due = row.last_used_at is None or now - row.last_used_at >= LAST_USE_RESOLUTION
    principal = Principal(
        user_id=row.user_id,
        username=row.username,
        role=row.role,
        department_id=row.department_id,
        read_only=row.read_only,
    )
    return Authenticated(principal, row.id, web_session=row.name == WEB_SESSION, last_use_due=due)


def note_token_use(session: Session, token_id: int) -> None:
    """Record that a token was used now (bookkeeping, not a decision: no audit event).

    Meant for its own short transaction after the request's read; skipped if
    another request already moved it within LAST_USE_RESOLUTION.
    """
    now = utcnow()
    table = ApiToken.__table__  # type: ignore[attr-defined]
    writes.write(
        session,
        sa.update(table)
        .where(
            table.c.id == token_id,
            sa.or_(
                table.c.last_used_at.is_(None),
                table.c.last_used_at <= now - LAST_USE_RESOLUTION,
            ),
        )
        .values(last_used_at=now),
    )


def revoke_token(session: Session, actor: Actor, user_id: int, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFoundError("token", token_id)
    if token.revoked_at is None:
        before = audit.snapshot(token)
        token.revoked_at = utcnow()
        old, new = audit.changed(before, audit.snapshot(token))
        audit.record(session, actor, "token.revoke", token, old, new)
    return token


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    return list(
        session.exec(
            select(ApiToken)
            .where(ApiToken.user_id == user_id, col(ApiToken.name) != WEB_SESSION)
            .order_by(col(ApiToken.id))
        )
    )
