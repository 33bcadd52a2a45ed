"""What every route depends on: the database, the caller, and what the caller may do.

A caller proves who they are with an API token (`Authorization: Bearer inv_...`)
or, from the pages, the session cookie; a cookie alone never changes anything
without the form's CSRF token, and a read-only token never changes anything.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Request
from sqlmodel import Session

from api.problems import Problem
from inventory.db.engine import session_scope
from inventory.domain.access import Permission, Principal
from inventory.services import users
from inventory.services.context import Actor, new_request_id
from inventory.settings import Settings

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


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def database(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, else rolled back.

    Used with scope="function", so the commit happens before the answer is sent:
    a client that hears "done" finds the change, and a failed commit is an error.
    """
    with session_scope(services(request).engine) as session:
        yield session


DB = Annotated[Session, Depends(database, scope="function")]


def request_id(request: Request) -> str:
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
    if found is None:
        return None
    request.state.session_token = text if via_cookie else None
    return found.principal


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


def allowed(permission: Permission) -> Callable[..., Principal]:
    """A dependency: the caller, if their role has `permission`; 403 otherwise."""

    def check(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        principal.require(permission)
        return principal

    check.__name__ = f"allowed_{permission.name.lower()}"
    return check


def actor(
    principal: Annotated[Principal, Depends(authenticated)],
    rid: Annotated[str, Depends(request_id)],
) -> Actor:
    return Actor(principal.actor_name, rid)


Caller = Annotated[Actor, Depends(actor)]
