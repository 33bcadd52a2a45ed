"""Create, update and delete any editable row, audited, with optimistic concurrency."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, SQLModel

from inventory.db.types import utcnow
from inventory.domain.errors import ConflictError, DomainError, NotFoundError
from inventory.services import audit, writes
from inventory.services.context import Actor

T = TypeVar("T", bound=SQLModel)

READ_ONLY_FIELDS = frozenset({"id", "uid", "version", "created_at", "updated_at"})


class InvalidValueError(DomainError):
    """A field was given a value its type or range does not allow."""


def table_name(model: type[SQLModel]) -> str:
    return str(model.__tablename__)


def get_or_raise(session: Session, model: type[T], key: Any) -> T:
    row = session.get(model, key)
    if row is None:
        raise NotFoundError(model.__tablename__, key)  # type: ignore[arg-type]
    return row


def validated(model: type[T], values: Mapping[str, Any]) -> dict[str, Any]:
    """Values checked against the model's field types and constraints."""
    try:
        checked = model.model_validate(dict(values))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise InvalidValueError(f"{model.__name__}: {problems}") from None
    return {key: getattr(checked, key) for key in values}


def create(session: Session, actor: Actor, row: T, reason: str | None = None) -> T:
    validated(type(row), row.model_dump(exclude_unset=False))
    writes.add(session, row)
    session.flush()
    audit.record(
        session, actor, f"{type(row).__tablename__}.create", row, None, audit.snapshot(row), reason
    )
    return row


def update(
    session: Session,
    actor: Actor,
    model: type[T],
    key: Any,
    expected_version: int,
    changes: Mapping[str, Any],
    reason: str | None = None,
    action: str | None = None,
) -> T:
    """Apply `changes` only if the row is still at `expected_version`.

    The check and the write are one UPDATE ... WHERE version = :expected, so two
    editors racing each other cannot both win, in one process or many.
    """
    forbidden = sorted(set(changes) & READ_ONLY_FIELDS)
    if forbidden:
        raise InvalidValueError(f"{model.__name__}: read-only field(s) {', '.join(forbidden)}")
    unknown = sorted(set(changes) - set(model.model_fields))
    if unknown:
        raise InvalidValueError(f"{model.__name__}: no field(s) {', '.join(unknown)}")
    row = get_or_raise(session, model, key)
    before = audit.snapshot(row)
    values = validated(model, {**row.model_dump(), **changes})
    new_values = {name: values[name] for name in changes}
    table: Any = model.__table__  # type: ignore[attr-defined]
    result = writes.write(
        session,
        sa.update(table)
        .where(table.c.id == key, table.c.version == expected_version)
        .values(**new_values, version=expected_version + 1, updated_at=utcnow()),
    )
    if result.rowcount != 1:
        current = session.execute(sa.select(table.c.version).where(table.c.id == key)).scalar()
        raise ConflictError(model.__tablename__, key, expected_version, current)  # type: ignore[arg-type]
    session.refresh(row)
    old, new = audit.changed(before, audit.snapshot(row))
    audit.record(session, actor, action or f"{model.__tablename__}.update", row, old, new, reason)
    return row


def delete(
    session: Session,
    actor: Actor,
    model: type[T],
    key: Any,
    expected_version: int,
    reason: str | None = None,
) -> None:
    """Delete the row only if it is still at `expected_version`, audited.

    The check is part of the statement (DELETE ... WHERE id AND version), so a
    concurrent edit between the read and the delete cannot be lost.
    """
    row = get_or_raise(session, model, key)
    before = audit.snapshot(row)
    table: Any = model.__table__  # type: ignore[attr-defined]
    result = writes.write(
        session,
        sa.delete(table).where(table.c.id == key, table.c.version == expected_version),
    )
    if result.rowcount != 1:
        current = session.execute(sa.select(table.c.version).where(table.c.id == key)).scalar()
        raise ConflictError(table_name(model), key, expected_version, current)
    audit.record(session, actor, f"{model.__tablename__}.delete", row, before, None, reason)
    session.expunge(row)
