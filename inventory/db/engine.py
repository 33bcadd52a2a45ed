"""Engines and sessions for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import orjson
import sqlalchemy as sa
from sqlmodel import Session

from inventory.settings import Settings

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _json_default(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store a {type(value).__name__} as JSON")


def json_dumps(value: Any) -> str:
    """JSON text as every JSON column stores it (Decimal as a string)."""
    # orjson writes enums, dates and datetimes as model_dump(mode="json") does.
    return orjson.dumps(value, default=_json_default).decode()


def make_engine(url: str, *, echo: bool = False) -> sa.Engine:
    """An engine with the per-connection settings the inventory relies on."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            echo=echo,
            json_serializer=json_dumps,
            connect_args={"check_same_thread": False},
        )
        sa.event.listen(engine, "connect", _configure_sqlite_connection)
        sa.event.listen(engine, "begin", _begin_immediate)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return sa.create_engine(url, echo=echo, pool_pre_ping=True, json_serializer=json_dumps)


def engine_from_settings(settings: Settings) -> sa.Engine:
    url = settings.resolved_database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(url, echo=settings.sql_echo)


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling defers BEGIN past the first read;
    # turn it off and let the "begin" listener open transactions explicitly.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection: sa.Connection) -> None:
    # IMMEDIATE takes the write lock up front, so two writers queue on the
    # busy timeout instead of one failing when it upgrades a read lock.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class InventorySession(Session):
    """A session that refuses to flush audited changes without an audit event.

    The guard itself is a service rule (``inventory.services.audit``), which
    registers it on this class when the services package is imported: the
    database layer never imports a service.
    """


def open_session(engine: sa.Engine) -> Session:
    """A session that guards audited writes; it opens no connection until first used."""
    return InventorySession(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: sa.Engine) -> Iterator[Session]:
    """One transaction: committed if the block succeeds, rolled back otherwise."""
    with open_session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
