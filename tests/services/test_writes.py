"""P7: every write in the services goes through inventory.services.writes, and is audited.

Two halves: a syntax scan of the service modules (no write past the one write
path), and the ledger at run time (no commit with a write whose event is
missing; one event covers its own row, never an unrelated one).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

import inventory.services
from inventory.models import Department
from inventory.services import audit, records, writes
from inventory.services.context import Actor

SERVICES = Path(inventory.services.__file__).parent
# The write path itself, and the audit trail it writes to.
WRITE_PATH = {"writes.py", "audit.py", "audit_chain.py"}
STATEMENTS = {"insert", "update", "delete"}
ORM_WRITES = {"add", "add_all", "delete", "merge"}
RAW = {"insert_many", "exec_driver_sql", "text"}


def _is_statement(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        return (
            isinstance(func.value, ast.Name) and func.value.id == "sa" and func.attr in STATEMENTS
        )
    return isinstance(func, ast.Name) and func.id in STATEMENTS


def _is_write_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "writes"
        and node.func.attr == "write"
    )


def writes_past_the_write_path(source: str, name: str) -> list[str]:
    """Every place in `source` that writes without writes.write/write_rows/add."""
    tree = ast.parse(source)
    inside_write: set[int] = set()
    for node in ast.walk(tree):
        if _is_write_call(node) and len(node.args) >= 2:  # type: ignore[attr-defined]
            inside_write.update(id(sub) for sub in ast.walk(node.args[1]))  # type: ignore[attr-defined]
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        where = f"{name}:{node.lineno}"
        func = node.func
        if _is_statement(node) and id(node) not in inside_write:
            found.append(f"{where} builds a write statement outside writes.write()")
        elif isinstance(func, ast.Attribute) and func.attr in ORM_WRITES:
            if isinstance(func.value, ast.Name) and func.value.id == "session":
                found.append(f"{where} session.{func.attr}() past writes.add()")
        elif isinstance(func, ast.Attribute | ast.Name):
            called = func.attr if isinstance(func, ast.Attribute) else func.id
            if called in RAW:
                found.append(f"{where} {called}() past the write path")
    return found


def test_no_service_module_writes_past_the_write_path() -> None:
    modules = sorted(p for p in SERVICES.rglob("*.py") if p.name not in WRITE_PATH)
    assert len(modules) > 10
    found = [
        problem
        for module in modules
        for problem in writes_past_the_write_path(module.read_text(), module.name)
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "session.execute(sa.update(table).values(x=1))",
        "statement = sa.delete(table)\nwrites.write(session, statement)",
        "session.add(row)",
        "session.delete(row)",
        "insert_many(session.connection(), table, rows)",
        "session.connection().exec_driver_sql('DELETE FROM asset')",
        "session.execute(sa.text('UPDATE asset SET name = 1'))",
        "from sqlalchemy import insert\nsession.execute(insert(table), rows)",
    ],
)
def test_the_scan_finds_each_kind_of_write_past_the_path(source: str) -> None:
    assert writes_past_the_write_path(source, "example.py")


def test_the_scan_accepts_writes_through_the_path() -> None:
    source = (
        "writes.write(session, sa.update(table).where(table.c.id == 1).values(x=1))\n"
        "writes.add(session, row)\n"
        "session.execute(sa.select(table))\n"
    )
    assert writes_past_the_write_path(source, "example.py") == []


def test_a_core_write_without_its_event_cannot_commit(session: Session, actor: Actor) -> None:
    department = records.create(session, actor, Department(code="D1", name="一"))
    table = Department.__table__  # type: ignore[attr-defined]
    writes.write(session, sa.update(table).where(table.c.id == department.id).values(name="二"))
    with pytest.raises(writes.UnauditedWriteError, match="1 department"):
        session.commit()
    session.rollback()


def test_one_event_pays_for_one_row_not_for_every_row_written(
    session: Session, actor: Actor
) -> None:
    for code in ("D1", "D2"):
        records.create(session, actor, Department(code=code, name=code))
    session.commit()
    table = Department.__table__  # type: ignore[attr-defined]
    writes.write(session, sa.update(table).values(name="all renamed"))  # two rows
    first = session.get(Department, 1)
    assert first is not None
    audit.record(session, actor, "department.update", first, None, {"name": "all renamed"})
    with pytest.raises(writes.UnauditedWriteError, match="1 department"):
        session.commit()
    session.rollback()


def test_an_orm_change_needs_the_event_for_that_very_row(session: Session, actor: Actor) -> None:
    room = records.create(session, actor, Department(code="R1", name="机房"))
    other = records.create(session, actor, Department(code="D1", name="一"))
    session.flush()
    room.name = "改名"
    other.name = "改名"
    audit.record(session, actor, "department.update", room, None, {"name": "改名"})
    with pytest.raises(writes.UnauditedWriteError, match="Department"):
        session.flush()
    session.rollback()


def test_a_new_row_added_without_its_event_cannot_commit(session: Session) -> None:
    writes.add(session, Department(code="D9", name="九"))
    session.flush()
    with pytest.raises(writes.UnauditedWriteError, match="new Department"):
        session.commit()
    session.rollback()


def test_telemetry_and_bookkeeping_need_no_event(session: Session, actor: Actor) -> None:
    from inventory.models import Asset

    asset = records.create(session, actor, Asset(uid="a1", name="srv"))
    session.commit()
    table = Asset.__table__  # type: ignore[attr-defined]
    writes.write(
        session, sa.update(table).where(table.c.id == asset.id).values(last_seen=sa.func.now())
    )
    session.commit()  # a sighting is not a decision
    writes.write(session, sa.update(table).where(table.c.id == asset.id).values(name="x"))
    with pytest.raises(writes.UnauditedWriteError):
        session.commit()
    session.rollback()
