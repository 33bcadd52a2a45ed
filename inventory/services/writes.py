"""The one write path: every service changes the estate through these functions.

Each write is entered in a per-transaction ledger, and the transaction may
only commit once the ledger balances (P7, every decision audited):

- a Core INSERT/UPDATE/DELETE through :func:`write` or :func:`write_rows` owes
  one audit event per row it wrote, of that table (``audit.record`` and
  ``audit.record_many`` pay);
- an ORM row added through :func:`add` owes its own event once flushed;
- every other ORM flush is checked row by row: each changed row needs the
  event recorded for that very row since the last flush (one event no longer
  lets unrelated rows through);
- rows that only exist as part of another row's audited change (DERIVED) need
  some event in the same transaction; telemetry (TELEMETRY) and pure
  bookkeeping columns (BOOKKEEPING) need none.

`tests/services/test_writes.py` scans the service modules' syntax for writes
made past these functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.dml import Delete, Insert, Update
from sqlmodel import Session, SQLModel

from inventory.db.bulk import insert_many
from inventory.db.engine import InventorySession
from inventory.services.audit_chain import lock_head

# Observations, not decisions: written without an event (the scan's own event accounts).
TELEMETRY = frozenset({"auditevent", "auditchain", "utilisationsample"})
# Rows written only together with their owner's audited change (macs and
# addresses with their asset, a state transition with its decision).
DERIVED = frozenset({"assetmac", "assetaddress", "statetransition"})
# Columns that record that something was seen or used, never what anybody decided.
BOOKKEEPING = {
    "asset": frozenset({"last_seen", "first_seen"}),
    "assetaddress": frozenset({"last_seen"}),
    "apitoken": frozenset({"last_used_at"}),
}

Statement = Insert | Update | Delete


class UnauditedWriteError(RuntimeError):
    """A change without its audit event: a bug in the service, never a user's error."""


def _ledger(session: Session) -> dict[str, Any]:
    ledger: dict[str, Any] | None = session.info.get("audit_ledger")
    if ledger is None:
        ledger = {"owed": {}, "events": 0, "derived": set(), "covered": set(), "announced": {}}
        session.info["audit_ledger"] = ledger
    return ledger


def _exempt(statement: Statement) -> bool:
    table = statement.table.name  # type: ignore[union-attr]
    if table in TELEMETRY:
        return True
    if isinstance(statement, Update):
        names = {getattr(key, "key", key) for key in statement._values or {}}
        return bool(names) and names <= BOOKKEEPING.get(table, frozenset())
    return False


def _owe(session: Session, table: str, rows: int) -> None:
    ledger = _ledger(session)
    if table in DERIVED:
        ledger["derived"].add(table)
    elif rows > 0:
        ledger["owed"][table] = ledger["owed"].get(table, 0) + rows


def write(
    session: Session,
    statement: Statement,
    parameters: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None = None,
) -> sa.CursorResult[Any]:
    """Execute one INSERT/UPDATE/DELETE in the session's transaction, owing its events.

    The chain's head is locked before the write, so every writer takes its
    locks in one order (head, then rows) and two writers cannot deadlock on it.
    """
    connection = session.connection()
    if not _exempt(statement):
        lock_head(connection)
    result: sa.CursorResult[Any] = session.execute(statement, parameters)  # type: ignore[assignment]
    if not _exempt(statement):
        # An executemany INSERT (RETURNING or not) may report no rowcount: count its rows.
        many = isinstance(statement, Insert) and isinstance(parameters, Sequence)
        rows = len(parameters) if many else max(result.rowcount, 0)  # type: ignore[arg-type]
        _owe(session, statement.table.name, rows)  # type: ignore[union-attr]
    return result


def write_rows(
    session: Session,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
) -> None:
    """Bulk INSERT (inventory.db.bulk.insert_many), owing one event per row."""
    if not rows:
        return
    connection = session.connection()
    if table.name not in TELEMETRY:
        lock_head(connection)
        _owe(session, table.name, len(rows))
    insert_many(connection, table, rows, columns)


def add(session: Session, row: SQLModel) -> None:
    """Add a new ORM row; its audit event (recorded after the flush that gives it an id) is owed.

    A DERIVED row (a state transition) owes no event of its own, only some
    event in the same transaction.
    """
    lock_head(session.connection())
    session.add(row)
    table = str(getattr(type(row), "__tablename__", ""))
    if table in DERIVED:
        _ledger(session)["derived"].add(table)
    else:
        _ledger(session)["announced"][id(row)] = type(row).__name__


def paid(session: Session, object_type: str, row: object | None = None) -> None:
    """An audit event for `object_type` (and the ORM `row`, if given) was recorded."""
    ledger = _ledger(session)
    ledger["events"] += 1
    owed = ledger["owed"].get(object_type, 0)
    if owed:
        ledger["owed"][object_type] = owed - 1
    if row is None:
        return
    ledger["announced"].pop(id(row), None)
    # The event covers the row's pending changes; a clean row has none to cover
    # (a later change will need its own event).
    if row in session.new or row in session.deleted or session.is_modified(row):
        ledger["covered"].add(id(row))


def guard_flush(session: Session, _context: Any, _instances: Any) -> None:
    """before_flush: every changed ORM row carries its own event."""
    ledger = _ledger(session)
    bare: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(obj), "__tablename__", "")
        if table in TELEMETRY or id(obj) in ledger["covered"]:
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if table in DERIVED:
            ledger["derived"].add(table)
        elif not (obj in session.new and id(obj) in ledger["announced"]):
            bare.add(type(obj).__name__)
    if bare:
        raise UnauditedWriteError(f"write to {', '.join(sorted(bare))} without an audit event")


def _after_flush(session: Session, _context: Any) -> None:
    _ledger(session)["covered"].clear()


def check_balanced(session: Session) -> None:
    """before_commit: refuse to commit writes whose events were never recorded."""
    ledger = session.info.get("audit_ledger")
    if ledger is None:
        return
    problems = [f"{n} {table} row(s)" for table, n in sorted(ledger["owed"].items()) if n]
    problems += [f"new {name}" for name in sorted(set(ledger["announced"].values()))]
    if ledger["derived"] and not ledger["events"]:
        problems += sorted(ledger["derived"])
    if problems:
        raise UnauditedWriteError(f"commit refused: no audit event for {', '.join(problems)}")


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop("audit_ledger", None)


def install(session_class: type[Session] = InventorySession) -> None:
    """Hook the ledger into `session_class` (idempotent)."""
    for name, hook in (
        ("before_flush", guard_flush),
        ("after_flush_postexec", _after_flush),
        ("before_commit", check_balanced),
        ("after_commit", _forget),
        ("after_soft_rollback", _forget),
    ):
        if not sa.event.contains(session_class, name, hook):
            sa.event.listen(session_class, name, hook)
