"""Upsert 10,000 assets through the service layer vs raw executemany of the same rows.

Both sides write the same data into the same kind of database, in the same
run: the asset rows plus their MAC and address rows. The raw side is the
driver's cursor.executemany with values prepared in advance (no identity
resolution, no validation, no audit); the service side resolves identity,
diffs, writes audit events and mode decisions in one transaction.

The service side runs as the bulk CLI commands and workers run it, with the
cyclic collector paused for the process (inventory/services/gc_pause.py);
--in-web-process measures it as the web service runs it, collector on.

    .venv/bin/python bench/upsert_assets.py [--rows 10000] [--database-url URL] [--repeat 3]
                                            [--in-web-process]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from inventory.db.engine import make_engine, session_scope
from inventory.db.migrate import upgrade
from inventory.models import Department
from inventory.services import records
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor
from inventory.services.gc_pause import gc_paused
from inventory.services.upsert import upsert_assets

ACTOR = Actor("system:bench")


def make_rows(count: int) -> list[AssetIn]:
    return [
        AssetIn(
            name=f"srv-{i:05d}",
            department_code="D1",
            serial_number=f"2102311{i:07d}",
            system_uuid=str(uuid.UUID(int=i + 1, version=4)),
            macs=[f"00:16:3e:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}"],
            addresses=[f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"],
            vendor="Huawei",
            model="FusionServer 2288H V5",
            os_name="Kylin",
            os_version="V10 SP2",
            cpu_count=32,
            memory_mb=131072,
            device_class="server",
        )
        for i in range(count)
    ]


def fresh_database(url: str | None, workdir: Path, name: str) -> sa.Engine:
    if url is None:
        engine = make_engine(f"sqlite:///{workdir / f'{name}.sqlite3'}")
    else:
        admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
        admin.dispose()
        engine = make_engine(sa.make_url(url).set(database=name).render_as_string(False))
    upgrade(engine)
    with session_scope(engine) as session:
        records.create(session, ACTOR, Department(code="D1", name="市教育局"))
    return engine


def raw_insert(engine: sa.Engine, rows: list[AssetIn]) -> float:
    """The floor: prepared tuples straight into the driver's executemany."""
    now = datetime.now(UTC)
    stamp = now.replace(tzinfo=None) if engine.dialect.name == "sqlite" else now
    assets = [
        (
            str(uuid.uuid4()),
            r.name,
            r.serial_number,
            r.system_uuid,
            r.vendor,
            r.model,
            r.os_name,
            r.os_version,
            r.cpu_count,
            r.memory_mb,
            "server",
            "undecided",
            "active",
            False,
            False,
            False,
            r.addresses[0],
            1,
            1,
            stamp,
            stamp,
        )
        for r in rows
    ]
    placeholder = "?" if engine.dialect.name == "sqlite" else "%s"
    columns = (
        "uid, name, serial_number, system_uuid, vendor, model, os_name, os_version, "
        "cpu_count, memory_mb, device_class, mode, lifecycle_status, is_virtual, "
        "is_classified, monitoring_enabled, primary_address, department_id, version, "
        "created_at, updated_at"
    )
    insert = f"INSERT INTO asset ({columns}) VALUES ({', '.join([placeholder] * 21)})"
    started = time.perf_counter()
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        if engine.dialect.name == "sqlite":
            # The engine turns the driver's implicit transactions off; without
            # BEGIN every row would be its own commit and the floor far too high.
            cursor.execute("BEGIN")
        cursor.executemany(insert, assets)
        cursor.execute("SELECT id FROM asset ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
        cursor.executemany(
            f"INSERT INTO assetmac (asset_id, mac) VALUES ({placeholder}, {placeholder})",
            [(i, r.macs[0]) for i, r in zip(ids, rows, strict=True)],
        )
        cursor.executemany(
            "INSERT INTO assetaddress (asset_id, address, source, first_seen, last_seen) "
            f"VALUES ({', '.join([placeholder] * 5)})",
            [(i, r.addresses[0], "import", stamp, stamp) for i, r in zip(ids, rows, strict=True)],
        )
        connection.commit()
    finally:
        connection.close()
    return time.perf_counter() - started


def service_upsert(engine: sa.Engine, rows: list[AssetIn], *, bulk_process: bool) -> float:
    started = time.perf_counter()
    with (
        gc_paused() if bulk_process else contextlib.nullcontext(),
        session_scope(engine) as session,
    ):
        upsert_assets(session, ACTOR, rows, "bench")
    return time.perf_counter() - started


def report(label: str, times: list[float]) -> None:
    best, median = min(times), statistics.median(times)
    print(f"  {label:<44} best {best * 1000:8.1f} ms  median {median * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--database-url", default=None, help="PostgreSQL server; default SQLite files"
    )
    parser.add_argument(
        "--in-web-process",
        action="store_true",
        help="collector left on, as in the web service (default: paused, as the bulk CLI)",
    )
    args = parser.parse_args()
    bulk = not args.in_web_process
    rows = make_rows(args.rows)
    backend = "sqlite" if args.database_url is None else "postgresql"
    where = "the web service (collector on)" if args.in_web_process else "a bulk CLI process"
    print(f"{args.rows} assets on {backend}, {args.repeat} rounds, as in {where}")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)

        def raw(n: int) -> float:
            return raw_insert(fresh_database(args.database_url, workdir, f"bench_raw_{n}"), rows)

        # Rounds interleave the sides, so a machine that slows down for a while
        # slows both; the ratio is the median of each round's own ratio.
        rounds = []
        for n in range(args.repeat):
            baseline = raw(n)
            engine = fresh_database(args.database_url, workdir, f"bench_svc_{n}")
            created = service_upsert(engine, rows, bulk_process=bulk)
            unchanged = service_upsert(engine, rows, bulk_process=bulk)
            rounds.append((baseline, created, unchanged))
        report("raw executemany (assets + MACs + addresses)", [r[0] for r in rounds])
        report("service upsert, new estate", [r[1] for r in rounds])
        report("service upsert, same estate again", [r[2] for r in rounds])
    created_ratio = statistics.median(r[1] / r[0] for r in rounds)
    unchanged_ratio = statistics.median(r[2] / r[0] for r in rounds)
    print(f"ratio new estate / raw (median of rounds):       {created_ratio:5.2f}x  (target <= 3x)")
    print(f"ratio unchanged rescan / raw (median of rounds): {unchanged_ratio:5.2f}x")


if __name__ == "__main__":
    main()
