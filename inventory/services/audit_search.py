"""Finding audit events by the names people see: short uid, asset tag, name, or TYPE:ID.

Lists show an asset's short uid, its tag or its name, a department's code, a
user's login; the audit trail keys events by (object_type, object_id). A bare
number is an id in several tables, so it must name its type when it is
ambiguous (`user:3`); nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inventory.domain.errors import DomainError
from inventory.models import Asset, AuditEvent, Department, User

MIN_UID_PREFIX = 4  # the short uid lists print is 8 characters


class AmbiguousObjectError(DomainError):
    """The key names more than one object; the message says how to choose."""

    def __init__(self, message: str, key: str, example: str) -> None:
        super().__init__(message)
        self.key = key
        self.example = example  # a TYPE:ID that would choose


@dataclass(frozen=True)
class AuditQuery:
    """Filters of the audit trail; None means any."""

    objects: tuple[tuple[str, str], ...] | None = None  # (object_type, object_id) pairs
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None  # inclusive, UTC
    until: datetime | None = None  # exclusive, UTC


def resolve_object(session: Session, key: str) -> tuple[tuple[str, str], ...]:
    """The (object_type, object_id) pairs `key` names; empty if none.

    Accepts TYPE:ID, an asset's uid or uid prefix (4+ characters), asset tag or
    name, a department's code or name, a user's login, or a bare id when only
    one kind of object has events under it. AmbiguousObjectError otherwise.
    """
    key = key.strip()
    kind, sep, ident = key.partition(":")
    if sep and kind.isidentifier() and ident:
        return ((kind.lower(), ident),)
    found: list[tuple[str, str]] = []
    if len(key) >= MIN_UID_PREFIX:
        found += [("asset", u) for u in session.exec(select(Asset.uid).where(_asset_match(key)))]
    found += [
        ("department", str(d))
        for d in session.exec(
            select(Department.id).where(
                sa.or_(
                    sa.func.lower(col(Department.code)) == key.lower(), col(Department.name) == key
                )
            )
        )
    ]
    found += [("user", str(u)) for u in session.exec(select(User.id).where(User.username == key))]
    if not found and key.isdigit():
        types = session.exec(
            select(AuditEvent.object_type).where(AuditEvent.object_id == key).distinct()
        ).all()
        found = [(t, key) for t in sorted(types)]
        if len(found) > 1:
            examples = ", ".join(f"{t}:{key}" for t, _ in found)
            raise AmbiguousObjectError(
                f"{key} is an id of several kinds of object: say {examples}",
                key,
                f"{found[0][0]}:{key}",
            )
    distinct = tuple(dict.fromkeys(found))
    if len({t for t, _ in distinct}) > 1 or (len(distinct) > 1 and distinct[0][0] == "asset"):
        names = ", ".join(f"{t}:{i}" for t, i in distinct[:5])
        raise AmbiguousObjectError(
            f"{key!r} names {len(distinct)} objects ({names}): say which",
            key,
            f"{distinct[0][0]}:{distinct[0][1]}",
        )
    return distinct


def _asset_match(key: str) -> Any:
    return sa.or_(
        col(Asset.uid).startswith(key.lower()),
        col(Asset.asset_tag) == key,
        col(Asset.name) == key,
    )


def _conditions(query: AuditQuery) -> list[Any]:
    conditions: list[Any] = []
    if query.objects is not None:
        conditions.append(
            sa.or_(
                sa.false(),
                *(
                    sa.and_(col(AuditEvent.object_type) == t, col(AuditEvent.object_id) == i)
                    for t, i in query.objects
                ),
            )
        )
    if query.actor:
        conditions.append(col(AuditEvent.actor) == query.actor)
    if query.action:
        conditions.append(col(AuditEvent.action) == query.action)
    if query.since is not None:
        conditions.append(col(AuditEvent.occurred_at) >= query.since)
    if query.until is not None:
        conditions.append(col(AuditEvent.occurred_at) < query.until)
    return conditions


def search(
    session: Session, query: AuditQuery, page: int = 1, per_page: int = 100
) -> tuple[int, list[AuditEvent]]:
    """(total, the page's events newest first); page from 1, per_page rows."""
    conditions = _conditions(query)
    total = session.execute(
        sa.select(sa.func.count()).select_from(AuditEvent).where(*conditions)
    ).scalar_one()
    events = session.exec(
        select(AuditEvent)
        .where(*conditions)
        .order_by(col(AuditEvent.id).desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return int(total), list(events)
