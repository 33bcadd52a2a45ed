"""insert_many writes exactly what SQLAlchemy's own executemany would, faster."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa

from inventory.db.bulk import insert_many
from inventory.domain.choices import DeviceClass, Mode
from inventory.models import Asset, AuditEvent

BEIJING = timezone(timedelta(hours=8))


def test_typed_values_round_trip_like_the_orm_path(engine: sa.Engine) -> None:
    table = Asset.__table__  # type: ignore[attr-defined]
    seen = datetime(2026, 11, 23, 9, 30, tzinfo=BEIJING)
    rows = [
        {
            "uid": f"00000000-0000-0000-0000-00000000000{i}",
            "name": f"srv-{i}",
            "device_class": DeviceClass.SERVER,
            "mode": Mode.HOSTED,
            "lifecycle_status": "active",
            "is_virtual": False,
            "is_classified": False,
            "monitoring_enabled": True,
            "purchase_value": Decimal("12345.67"),
            "purchase_date": date(2020, 1, 2),
            "last_seen": seen,
            "version": 1,
            "created_at": seen,
            "updated_at": seen,
        }
        for i in range(3)
    ]
    with engine.begin() as connection:
        insert_many(connection, table, rows)
        insert_many(connection, table, [])  # nothing to do
        stored = connection.execute(sa.select(table).order_by(table.c.uid)).mappings().all()
    assert [row["name"] for row in stored] == ["srv-0", "srv-1", "srv-2"]
    first = stored[0]
    assert first["mode"] is Mode.HOSTED
    assert first["device_class"] is DeviceClass.SERVER
    assert first["purchase_value"] == Decimal("12345.67")
    assert first["purchase_date"] == date(2020, 1, 2)
    assert first["last_seen"] == seen.astimezone(UTC)  # stored as UTC on every backend
    assert first["monitoring_enabled"] is True
    assert first["location"] is None  # a column no row named is NULL


def test_json_columns_are_serialised_by_the_engine(engine: sa.Engine) -> None:
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    row = {
        "occurred_at": datetime.now(UTC),
        "actor": "user:test",
        "action": "asset.update",
        "object_type": "asset",
        "object_id": "x",
        "before": {"location": None, "purchase_value": Decimal("1.50")},
        "after": {"location": "三楼", "mode": Mode.CLOUD},
        "request_id": "r",
        "reason": None,
        "chain_hash": "0" * 64,  # the table's insert trigger wants one; no chain is checked here
    }
    with engine.begin() as connection:
        insert_many(connection, table, [row])
        stored = connection.execute(sa.select(table.c.before, table.c.after)).one()
    assert stored.before == {"location": None, "purchase_value": "1.50"}
    assert stored.after == {"location": "三楼", "mode": "cloud"}


def test_timestamps_are_stored_as_the_orm_stores_them(engine: sa.Engine) -> None:
    """Text on SQLite: the same text either way, or equal instants would not compare equal."""
    table = Asset.__table__  # type: ignore[attr-defined]
    on_the_second = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # no microseconds to print

    def row(uid: str) -> dict[str, object]:
        return {
            "uid": uid,
            "name": uid,
            "device_class": DeviceClass.SERVER,
            "mode": Mode.HOSTED,
            "lifecycle_status": "active",
            "is_virtual": False,
            "is_classified": False,
            "monitoring_enabled": False,
            "version": 1,
            "last_seen": on_the_second,
            "created_at": on_the_second,
            "updated_at": on_the_second,
        }

    with engine.begin() as connection:
        insert_many(connection, table, [row("bulk")])
        connection.execute(sa.insert(table), [row("core")])  # SQLAlchemy's own path
        as_text = sa.cast(table.c.last_seen, sa.String)
        stored: dict[str, str] = dict(connection.execute(sa.select(table.c.uid, as_text)).all())
        same_instant = connection.execute(
            sa.select(sa.func.count()).where(table.c.last_seen == on_the_second)
        ).scalar()
    assert stored["bulk"] == stored["core"]
    assert same_instant == 2


def test_a_value_shared_by_every_row_is_converted_once_and_written_to_each(
    engine: sa.Engine,
) -> None:
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    stamp = datetime(2026, 11, 23, 1, 2, 3, 456789, tzinfo=BEIJING)
    rows = [
        {
            "occurred_at": stamp,
            "actor": "user:test",
            "action": "asset.create",
            "object_type": "asset",
            "object_id": str(i),
            "before": None,
            "after": {"n": i},
            "chain_hash": "0" * 64,
        }
        for i in range(3)
    ]
    with engine.begin() as connection:
        insert_many(connection, table, rows)
        stored = connection.execute(
            sa.select(table.c.occurred_at, table.c.after).order_by(table.c.object_id)
        ).all()
    assert [r.occurred_at for r in stored] == [stamp.astimezone(UTC)] * 3
    assert [r.after for r in stored] == [{"n": 0}, {"n": 1}, {"n": 2}]
