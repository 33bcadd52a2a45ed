"""Write and verify the audit trail's hash chain (see inventory.domain.audit_chain).

Every audit event is written here, in the caller's transaction: the chain's
head row is locked first (PostgreSQL: SELECT ... FOR UPDATE; on SQLite the
write transaction already excludes other writers), each event is hashed over
its predecessor, and the head moves on in the same transaction. Two writers
therefore cannot fork the chain, and a rolled-back transaction leaves no link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa

from inventory.db.bulk import insert_many
from inventory.db.engine import json_dumps
from inventory.domain.audit_chain import CONTENT, GENESIS, link
from inventory.models import AuditChain, AuditEvent

EVENTS: sa.Table = AuditEvent.__table__  # type: ignore[attr-defined]
CHAIN: sa.Table = AuditChain.__table__  # type: ignore[attr-defined]
COLUMNS = (*CONTENT, "chain_hash")  # what an event is checked by: its content and its hash
_HEAD = sa.select(CHAIN.c.head_hash).where(CHAIN.c.id == 1)


class ChainMissingError(RuntimeError):
    """The chain's head row is gone: run `inventory db upgrade`."""


def lock_head(connection: sa.Connection) -> str:
    """The chain's current head hash, locked until this transaction ends."""
    head = connection.execute(_HEAD.with_for_update()).scalar()
    if head is None:
        raise ChainMissingError("auditchain row missing: run `inventory db upgrade`")
    return str(head)


def _json_native(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    # What the column will give back when read: the hash must cover exactly that.
    return None if value is None else orjson.loads(json_dumps(value))


def append(connection: sa.Connection, events: Sequence[Mapping[str, Any]]) -> None:
    """Hash `events` (dicts as audit.event builds them) onto the chain and insert them."""
    if not events:
        return
    head = lock_head(connection)
    rows: list[dict[str, Any]] = []
    for given in events:
        row = {name: given.get(name) for name in COLUMNS}
        row["before"] = _json_native(given.get("before"))
        row["after"] = _json_native(given.get("after"))
        head = link(head, row)
        row["chain_hash"] = head
        rows.append(row)
    insert_many(connection, EVENTS, rows, COLUMNS)
    connection.execute(sa.update(CHAIN).where(CHAIN.c.id == 1).values(head_hash=head))


def cut_before(connection: sa.Connection, first_kept_id: int | None) -> int:
    """Delete the events before `first_kept_id` (all, if None); re-anchor the chain there.

    The chain's anchor becomes the last deleted event's hash, so the first
    kept event still links to something the verifier knows. Returns the count.
    """
    lock_head(connection)
    condition = EVENTS.c.id < first_kept_id if first_kept_id is not None else sa.true()
    last = connection.execute(
        sa.select(EVENTS.c.id, EVENTS.c.chain_hash)
        .where(condition)
        .order_by(EVENTS.c.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return 0
    deleted = connection.execute(sa.delete(EVENTS).where(condition)).rowcount
    connection.execute(
        sa.update(CHAIN)
        .where(CHAIN.c.id == 1)
        .values(anchor_id=last.id, anchor_hash=last.chain_hash or GENESIS)
    )
    return int(deleted)


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: `broken_id` is the first event that does not link (None: intact)."""

    checked: int
    head_hash: str | None
    broken_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _walk(rows: Iterable[Any], anchor_id: int, previous: str) -> tuple[int, str, Verdict | None]:
    checked = 0
    for row in rows:
        if row.id <= anchor_id:
            problem = f"event {row.id} lies in the pruned range (up to {anchor_id}): inserted later"
            return checked, previous, Verdict(checked, None, row.id, problem)
        expected = link(previous, row._mapping)
        if row.chain_hash != expected:
            problem = (
                f"event {row.id} does not match its hash: its content was changed, it was "
                "inserted outside the application, or the event before it was removed"
            )
            return checked, previous, Verdict(checked, None, row.id, problem)
        previous = expected
        checked += 1
    return checked, previous, None


def verify(connection: sa.Connection) -> Verdict:
    """Re-hash every kept event in id order; the first that does not link, if any.

    Streams the events, so memory stays flat in the trail's length.
    """
    chain = connection.execute(sa.select(CHAIN).where(CHAIN.c.id == 1)).first()
    if chain is None:
        return Verdict(0, None, None, "the chain's head row (auditchain) is missing")
    rows = connection.execution_options(yield_per=2000).execute(
        sa.select(EVENTS.c.id, *(EVENTS.c[name] for name in COLUMNS)).order_by(EVENTS.c.id)
    )
    try:
        checked, last, broken = _walk(rows, chain.anchor_id, chain.anchor_hash)
    finally:
        rows.close()  # a PostgreSQL server-side cursor left open when the walk stops early
    if broken is not None:
        return Verdict(broken.checked, chain.head_hash, broken.broken_id, broken.problem)
    if last != chain.head_hash:
        problem = (
            "the newest event is not the chain's head: events were removed from the end, "
            "or the head was rewritten"
        )
        return Verdict(checked, chain.head_hash, None, problem)
    return Verdict(checked, chain.head_hash)


def holds(connection: sa.Connection, noted: str) -> bool:
    """Whether `noted` (a head printed earlier) is still a link of the kept chain or its anchor.

    After `verify` passes, True means nothing up to that point was rewritten
    since it was noted, even by somebody able to recompute the hashes.
    """
    anchored = connection.execute(sa.select(CHAIN.c.anchor_hash).where(CHAIN.c.id == 1)).scalar()
    if noted == anchored:
        return True
    found = connection.execute(sa.select(EVENTS.c.id).where(EVENTS.c.chain_hash == noted).limit(1))
    return found.first() is not None
