"""Engines and sessions for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlmodel import Session

from inventory.settings import Settings

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution options a session's bind carries (see open_session).
READ_ONLY = "inventory_read_only"  # SQLite: a deferred BEGIN, which WAL never makes wait
LOCK_WAIT_MS = "inventory_lock_wait_ms"  # how long this transaction waits for a lock
PRIVATE = 0o600  # the database holds credentials (encrypted) and the audit trail


def _json_default(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store a {type(value).__name__} as JSON")


def json_dumps(value: Any) -> str:
    """JSON text as every JSON column stores it (Decimal as a string)."""
    # orjson writes enums, dates and datetimes as model_dump(mode="json") does.
    return orjson.dumps(value, default=_json_default).decode()


def make_engine(
    url: str, *, echo: bool = False, lock_wait_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> sa.Engine:
    """An engine with the per-connection settings the inventory relies on.

    `lock_wait_ms`: how long a transaction waits for another's lock before
    failing (SQLite's busy timeout; PostgreSQL waits unless a session asks).
    """
    if url.startswith("sqlite"):
        _private_database_files(sa.make_url(url).database)
        engine = sa.create_engine(
            url,
            echo=echo,
            json_serializer=json_dumps,
            connect_args={"check_same_thread": False},
        )
        sa.event.listen(engine, "connect", _configure_sqlite_connection)
        sa.event.listen(engine, "begin", _sqlite_begin(lock_wait_ms))
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = sa.create_engine(url, echo=echo, pool_pre_ping=True, json_serializer=json_dumps)
    sa.event.listen(engine, "begin", _postgresql_begin)
    return engine


def _private_database_files(database: str | None) -> None:
    """Create the database file 0600 (SQLite gives its -wal and -shm files the same mode).

    An existing file, or its -wal/-shm, readable by others is narrowed to 0600.
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.parent.exists() and not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE))
    for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if each.exists() and each.stat().st_mode & 0o077:
            each.chmod(PRIVATE)


def engine_from_settings(settings: Settings) -> sa.Engine:
    url = settings.resolved_database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return make_engine(url, echo=settings.sql_echo)


def _configure_sqlite_connection(dbapi_connection: Any, record: Any) -> None:
    # The driver's own transaction handling defers BEGIN past the first read;
    # turn it off and let the "begin" listener open transactions explicitly.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    record.info[LOCK_WAIT_MS] = SQLITE_BUSY_TIMEOUT_MS
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(default_wait_ms: int) -> Callable[[sa.Connection], None]:
    def begin(connection: sa.Connection) -> None:
        options = connection.get_execution_options()
        wait = int(options.get(LOCK_WAIT_MS, default_wait_ms))
        info = connection.connection.info  # lives as long as the DB-API connection
        if info.get(LOCK_WAIT_MS) != wait:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={wait}")
            info[LOCK_WAIT_MS] = wait
        # A write takes the lock up front (IMMEDIATE), so two writers queue on the
        # busy timeout instead of one failing when it upgrades a read lock. A read
        # is DEFERRED: under WAL it reads a snapshot and never waits for a writer.
        connection.exec_driver_sql("BEGIN" if options.get(READ_ONLY) else "BEGIN IMMEDIATE")

    return begin


def _postgresql_begin(connection: sa.Connection) -> None:
    wait = connection.get_execution_options().get(LOCK_WAIT_MS)
    if wait is not None:
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait)}")


class InventorySession(Session):
    """A session that refuses to flush audited changes without an audit event.

    The guard itself is a service rule (``inventory.services.audit``), which
    registers it on this class when the services package is imported: the
    database layer never imports a service.
    """


_binds: weakref.WeakKeyDictionary[sa.Engine, dict[tuple[bool, int | None], sa.Engine]] = (
    weakref.WeakKeyDictionary()
)


def _bind(engine: sa.Engine, write: bool, lock_wait_ms: int | None) -> sa.Engine:
    if write and lock_wait_ms is None:
        return engine
    known = _binds.setdefault(engine, {})
    key = (write, lock_wait_ms)
    if key not in known:
        options: dict[str, Any] = {} if write else {READ_ONLY: True}
        if lock_wait_ms is not None:
            options[LOCK_WAIT_MS] = lock_wait_ms
        known[key] = engine.execution_options(**options)
    return known[key]


def open_session(
    engine: sa.Engine, *, write: bool = True, lock_wait_ms: int | None = None
) -> Session:
    """A session that guards audited writes; it opens no connection until first used.

    `write=False` declares a read: on SQLite it begins DEFERRED and so never
    waits behind a writer (WAL); it must not write. `lock_wait_ms` bounds how
    long this session waits for a lock (a best-effort write passes a short one).
    """
    return InventorySession(_bind(engine, write, lock_wait_ms), expire_on_commit=False)


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
