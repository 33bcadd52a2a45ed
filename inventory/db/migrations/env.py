"""Alembic environment: always given a connection by inventory.db.migrate."""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from sqlmodel import SQLModel

import inventory.models  # noqa: F401  (registers every table)
from inventory.db.types import UTCDateTime

target_metadata = SQLModel.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Migrations must not import application types: render them as their impl.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and type(obj).__module__.startswith("sqlmodel"):
        return "sa.String()" if obj.length is None else f"sa.String(length={obj.length})"
    return False


def run_migrations() -> None:
    connection: sa.Connection | None = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `inventory db upgrade`")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
