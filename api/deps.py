"""What every route depends on: the database, the caller, and what the caller may do.

A caller proves who they are with an API token (`Authorization: Bearer inv_...`)
or, from the pages, the session cookie; a cookie alone never changes anything
without the form's CSRF token, and a read-only token never changes anything.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from api.problems import Problem
from inventory.db.engine import open_session
from inventory.domain.access import Permission, Principal
from inventory.services import users
from inventory.services.context import Actor, new_request_id
from inventory.services.throttle import LoginThrottle
from inventory.settings import Settings

log = logging.getLogger(__name__)
SESSION_COOKIE = "inventory_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass
class Services:
    """What the app holds for its lifetime (on app.state.services)."""

    settings: Settings
    engine: sa.Engine
    scans: Any  # api.scans.ScanRunner; Any keeps this module free of the collectors
    logins: LoginThrottle = field(default_factory=LoginThrottle)


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


async def database(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: committed when the route returns, else rolled back.

    Used with scope="function", so the commit happens before the answer is sent:
    a client that hears "done" finds the change, and a failed commit is an error.
    Opening a session does no I/O, so it happens on the event loop; the commit
    or rollback goes to a worker thread (one hop instead of two per request).
    """
    # A read (GET/HEAD/OPTIONS) begins DEFERRED: it never waits behind a writer.
    session = open_session(services(request).engine, write=request.method not in SAFE_METHODS)
    try:
        yield session
    except BaseException:
        await run_in_threadpool(_end, session, commit=False)
        raise
    await run_in_threadpool(_end, session, commit=True)


def _end(session: Session, *, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


DB = Annotated[Session, Depends(database, scope="function")]


def request_id_of(request: Request) -> str:
    """The caller's X-Request-ID if it is sane, else a new one; carried into audit events."""
    if hasattr(request.state, "request_id"):
        return str(request.state.request_id)
    offered = request.headers.get("X-Request-ID", "")
    chosen = offered if _REQUEST_ID.fullmatch(offered) else new_request_id()
    request.state.request_id = chosen
    return chosen


def csrf_token(session_token: str) -> str:
    """The form token bound to one page session; pages put it in every form."""
    return hmac.new(session_token.encode(), b"csrf", hashlib.sha256).hexdigest()


def _bearer(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def identify(request: Request, session: Session) -> Principal | None:
    """Who is calling, or None; sets request.state.session_token for cookie callers."""
    text = _bearer(request)
    via_cookie = False
    if text is None:
        text = request.cookies.get(SESSION_COOKIE)
        via_cookie = text is not None
    if not text:
        return None
    found = users.verify_token(session, text)
    if found is None or (via_cookie and not found.web_session):
        # An API token (read-only ones included) is never a page session: the
        # cookie carries only what a login issued.
        return None
    request.state.session_token = text if via_cookie else None
    request.state.token_id = found.token_id
    if found.last_use_due:
        if request.method in SAFE_METHODS:
            note_token_use(services(request).engine, found.token_id)
        else:
            # A write request's own transaction already holds the write lock (BEGIN
            # IMMEDIATE): a second session would only wait for it and give up, on every
            # write. Note the use in the request's transaction instead.
            users.note_token_use(session, found.token_id)
    return found.principal


LAST_USE_LOCK_WAIT_MS = 200


def note_token_use(engine: sa.Engine, token_id: int) -> None:
    """Best-effort: the token's last use, in its own short transaction; never fails a request.

    Kept off the request's own transaction so that a read never takes the
    write lock; while a long import holds it, the note is skipped (the next
    request a minute on tries again).
    """
    try:
        with open_session(engine, lock_wait_ms=LAST_USE_LOCK_WAIT_MS) as session:
            users.note_token_use(session, token_id)
            session.commit()
    except sa.exc.OperationalError as exc:
        log.info("token %s last use not noted (database busy): %s", token_id, exc.orig)


def authenticated(request: Request, session: DB) -> Principal:
    principal = identify(request, session)
    if principal is None:
        raise Problem(401, "a valid API token or login is required", {"WWW-Authenticate": "Bearer"})
    if request.method not in SAFE_METHODS:
        if principal.read_only:
            raise Problem(403, "this token is read-only")
        session_token = getattr(request.state, "session_token", None)
        if session_token is not None and not hmac.compare_digest(
            request.headers.get(CSRF_HEADER, ""), csrf_token(session_token)
        ):
            raise Problem(403, f"a change made with the login cookie needs the {CSRF_HEADER}")
    request.state.principal = principal
    return principal


def allowed(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the caller, if their role has `permission`; 403 otherwise."""

    # async: a pure check needs no worker thread (a sync dependency takes one).
    async def check(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        principal.require(permission)
        return principal

    check.__name__ = f"allowed_{permission.name.lower()}"
    return check


def actor_of(request: Request, principal: Principal) -> Actor:
    """Who the audit trail names for this request."""
    return Actor(principal.actor_name, request_id_of(request))


async def actor(request: Request, principal: Annotated[Principal, Depends(authenticated)]) -> Actor:
    return actor_of(request, principal)


Caller = Annotated[Actor, Depends(actor)]
