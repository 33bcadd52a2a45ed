"""Users (admin only), each caller's own API tokens, and the audit trail (auditor only)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, status
from sqlmodel import Session, col, select

from api.deps import DB, Caller, allowed, authenticated
from api.schemas import AuditPage, Me, RowId, TokenCreated, TokenIn, TokenOut, UserIn, UserOut
from inventory.db.types import as_utc, utcnow
from inventory.domain.access import Permission, Principal
from inventory.models import ApiToken, AuditEvent, Department, User
from inventory.services import users

router = APIRouter()
Anyone = Annotated[Principal, Depends(authenticated)]
TokenOwner = Annotated[Principal, Depends(allowed(Permission.OWN_TOKENS))]


def _department_code(session: Session, department_id: int | None) -> str | None:
    if department_id is None:
        return None
    department = session.get(Department, department_id)
    return department.code if department else None


def user_out(session: Session, user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "department": _department_code(session, user.department_id),
        "is_active": user.is_active,
        "locked": user.locked_until is not None and user.locked_until > utcnow(),
    }


@router.get("/me", response_model=Me, tags=["accounts"])
def me(session: DB, principal: Anyone) -> dict[str, Any]:
    return {
        "username": principal.username,
        "role": principal.role,
        "department": _department_code(session, principal.department_id),
        "read_only": principal.read_only,
    }


@router.get("/users", response_model=list[UserOut], tags=["accounts"])
def list_users(
    session: DB, _: Annotated[Principal, Depends(allowed(Permission.USER_ADMIN))]
) -> list[dict[str, Any]]:
    return [user_out(session, u) for u in session.exec(select(User).order_by(col(User.username)))]


@router.post(
    "/users",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    tags=["accounts"],
)
def create_user(
    body: UserIn,
    session: DB,
    _: Annotated[Principal, Depends(allowed(Permission.USER_ADMIN))],
    actor: Caller,
) -> dict[str, Any]:
    user = users.create_user(
        session,
        actor,
        body.username,
        body.password,
        body.role,
        body.department,
        body.display_name,
    )
    return user_out(session, user)


def token_out(token: ApiToken) -> dict[str, Any]:
    return token.model_dump(include=set(TokenOut.model_fields))


@router.get("/tokens", response_model=list[TokenOut], tags=["accounts"])
def my_tokens(session: DB, principal: TokenOwner) -> list[dict[str, Any]]:
    return [token_out(t) for t in users.tokens_of(session, principal.user_id)]


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=status.HTTP_201_CREATED,
    tags=["accounts"],
)
def create_token(
    body: TokenIn, session: DB, principal: TokenOwner, actor: Caller
) -> dict[str, Any]:
    """A new token for yourself. Its text is in this answer only: keep it."""
    user = session.get(User, principal.user_id)
    assert user is not None
    # A read-only token can only make read-only tokens.
    read_only = body.read_only or principal.read_only
    token, text = users.issue_token(
        session, actor, user, body.name, read_only=read_only, lifetime=timedelta(days=body.days)
    )
    return {**token_out(token), "token": text}


@router.delete("/tokens/{token_id}", response_model=TokenOut, tags=["accounts"])
def revoke_token(
    token_id: RowId, session: DB, principal: TokenOwner, actor: Caller
) -> dict[str, Any]:
    return token_out(users.revoke_token(session, actor, principal.user_id, token_id))


@router.get("/audit", response_model=AuditPage, tags=["audit"])
def audit_events(
    session: DB,
    _: Annotated[Principal, Depends(allowed(Permission.AUDIT_READ))],
    actor: Annotated[str | None, Query(max_length=128)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    object_type: Annotated[str | None, Query(max_length=32)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """审计日志: read only, for auditors; no route anywhere changes it."""
    conditions = []
    for column, value in (
        (AuditEvent.actor, actor),
        (AuditEvent.action, action),
        (AuditEvent.object_type, object_type),
        (AuditEvent.object_id, object_id),
    ):
        if value is not None:
            conditions.append(col(column) == value)
    if since is not None:
        conditions.append(col(AuditEvent.occurred_at) >= as_utc(since))
    if until is not None:
        conditions.append(col(AuditEvent.occurred_at) < as_utc(until))
    total = session.execute(
        sa.select(sa.func.count()).select_from(AuditEvent).where(*conditions)
    ).scalar_one()
    rows = session.exec(
        select(AuditEvent)
        .where(*conditions)
        .order_by(col(AuditEvent.id).desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return {
        "total": total,
        "page": page,
        "per_page": per_page,
        "items": [event.model_dump() for event in rows],
    }
