"""A 100-row filtered page of the asset list at 100,000 assets, vs a raw SELECT + orjson.

Both sides run in this process, on the same database, in the same run:

- API: GET /api/v1/assets?department=..&mode=cloud&sort=name&per_page=100 over
  real HTTP (uvicorn on loopback, one keep-alive connection), with a bearer
  token: authentication, the count, the page and serialisation.
- Baseline: the driver's cursor runs the same SELECT of the same 100 rows
  (same join, filter, order and limit) and orjson serialises them.

It also counts the SQL statements each request sends, at 10, 100 and 500 rows
per page: the number must not grow with the page size.

    .venv/bin/python -m bench.api_assets [--assets 100000] [--requests 300] [--database-url URL]
"""

from __future__ import annotations

import argparse
import functools
import http.client
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa

from inventory.db.engine import make_engine, session_scope
from inventory.db.migrate import upgrade
from inventory.domain.choices import Role
from inventory.services import users
from inventory.services.context import Actor

DEPARTMENTS = 40
MODES = ("cloud", "hosted", "managed", "undecided")
CLASSES = ("server", "virtual_machine", "switch", "storage")
ACTOR = Actor("system:bench")
COLUMNS = (
    "a.uid, a.name, d.code, d.name, a.device_class, a.vendor, a.model, a.serial_number, "
    "a.os_name, a.os_version, a.primary_address, a.asset_tag, a.mode, a.lifecycle_status, "
    "a.is_virtual, a.is_classified, a.cpu_count, a.memory_mb, a.location, a.first_seen, "
    "a.last_seen, a.version"
)
NAMES = [
    "uid",
    "name",
    "department",
    "department_name",
    "device_class",
    "vendor",
    "model",
    "serial_number",
    "os_name",
    "os_version",
    "primary_address",
    "asset_tag",
    "mode",
    "lifecycle_status",
    "is_virtual",
    "is_classified",
    "cpu_count",
    "memory_mb",
    "location",
    "first_seen",
    "last_seen",
    "version",
]


def populate(engine: sa.Engine, count: int) -> None:
    """Departments and assets by executemany: the bench measures reads, not the upsert."""
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO department (code, name, is_classified_unit, is_law_enforcement, "
                "version, created_at, updated_at) VALUES (:code, :name, false, false, 1, :t, :t)"
            ),
            [{"code": f"D{i:02d}", "name": f"部门{i:02d}", "t": now} for i in range(DEPARTMENTS)],
        )
        found = connection.execute(sa.text("SELECT code, id FROM department")).all()
        ids: dict[str, int] = dict(found)
        rows = [
            {
                "uid": str(uuid.UUID(int=i + 1)),
                "name": f"srv-{(i * 7919) % count:06d}",
                "department_id": ids[f"D{i % DEPARTMENTS:02d}"],
                "device_class": CLASSES[i % len(CLASSES)],
                "vendor": ("Huawei", "Inspur", "Dell", "H3C")[i % 4],
                "model": "FusionServer 2288H V5",
                "serial_number": f"2102311{i:08d}",
                "os_name": "Kylin",
                "os_version": "V10 SP2",
                "primary_address": f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
                "mode": MODES[(i // DEPARTMENTS) % len(MODES)],
                "lifecycle_status": "active",
                "cpu_count": 32,
                "memory_mb": 131072,
                "last_seen": now - timedelta(minutes=i % 5000),
                "t": now,
            }
            for i in range(count)
        ]
        connection.execute(
            sa.text(
                "INSERT INTO asset (uid, name, department_id, device_class, vendor, model, "
                "serial_number, os_name, os_version, primary_address, mode, lifecycle_status, "
                "cpu_count, memory_mb, last_seen, first_seen, is_virtual, is_classified, "
                "monitoring_enabled, version, created_at, updated_at) VALUES (:uid, :name, "
                ":department_id, :device_class, :vendor, :model, :serial_number, :os_name, "
                ":os_version, :primary_address, :mode, :lifecycle_status, :cpu_count, "
                ":memory_mb, :last_seen, :t, false, false, false, 1, :t, :t)"
            ),
            rows,
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """bench/api_server.py in its own process: no interpreter lock shared with the client."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.port = free_port()
        self.command = [
            sys.executable,
            "-m",
            "bench.api_server",
            url,
            str(self.port),
            str(data_dir),
        ]
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.command)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the API server did not start")

    def __exit__(self, *_exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=10)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(action: Callable[[], object], repeats: int) -> list[float]:
    for _ in range(min(20, repeats)):  # warm caches on both sides alike
        action()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


# The pages people ask for, from selective to broad; each is served the same way.
QUERIES = {
    "one department, cloud": (
        "department=D07&mode=cloud&sort=name",
        "d.code = {0} AND a.mode = {0}",
        ("D07", "cloud"),
    ),
    "all cloud servers": (
        "mode=cloud&device_class=server&sort=name",
        "a.mode = {0} AND a.device_class = {0}",
        ("cloud", "server"),
    ),
    "recently seen, newest first": (
        "seen_after=2000-01-01T00:00:00Z&sort=-last_seen",
        "a.last_seen >= {0}",
        (datetime(2000, 1, 1, tzinfo=UTC),),
    ),
}
# The API's own order: never-seen (NULL) last both ways, ties broken by id.
ORDER = {
    "sort=name": "a.name ASC NULLS LAST, a.id ASC",
    "sort=-last_seen": "a.last_seen DESC NULLS LAST, a.id DESC",
}


def raw_page(
    engine: sa.Engine, where: str, params: tuple[Any, ...], order: str, counted: bool = False
) -> Callable[[], bytes]:
    """The driver's cursor and orjson: the same SELECT of the same rows (and the count)."""
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    sql = (
        f"SELECT {COLUMNS} FROM asset a LEFT OUTER JOIN department d ON d.id = a.department_id "
        f"WHERE {where.format(mark)} ORDER BY {order} LIMIT 100"
    )
    if engine.dialect.name == "sqlite":  # stored as naive UTC text there
        params = tuple(p.replace(tzinfo=None) if isinstance(p, datetime) else p for p in params)
    driver = engine.raw_connection()

    count_sql = (
        "SELECT count(*) FROM asset a LEFT OUTER JOIN department d ON d.id = a.department_id "
        f"WHERE {where.format(mark)}"
    )

    def page() -> bytes:
        cursor = driver.cursor()
        total = None
        if counted:
            cursor.execute(count_sql, params)
            counted_row = cursor.fetchone()
            assert counted_row is not None
            total = counted_row[0]
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.close()
        items = [dict(zip(NAMES, row, strict=True)) for row in rows]
        return orjson.dumps({"total": total, "items": items} if counted else items)

    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-api-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    engine = make_engine(url)
    if args.database_url:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    upgrade(engine)
    started = time.perf_counter()
    populate(engine, args.assets)
    backend = engine.url.get_backend_name()
    print(f"{args.assets:,} assets on {backend}, loaded in {time.perf_counter() - started:.1f} s")
    with session_scope(engine) as session:
        user = users.create_user(session, ACTOR, "bench", "Bench-Password-2026", Role.BUREAU)
        _, token = users.issue_token(session, ACTOR, user, "bench")
    headers = {"Authorization": f"Bearer {token}"}

    results = []
    without_total: list[tuple[str, list[float], list[float]]] = []
    with Server(url, workdir / "data") as server:
        client = http.client.HTTPConnection("127.0.0.1", server.port)

        def get(path: str) -> tuple[bytes, int]:
            client.request("GET", path, headers=headers)
            response = client.getresponse()
            body = response.read()
            assert response.status == 200, body[:200]
            return body, int(response.getheader("X-SQL-Statements", "-1"))

        floor = timed(lambda: get("/api/v1/me"), args.requests)
        for label, (query, where, params) in QUERIES.items():
            # The server drops a keep-alive connection idle for 5 s (as while the
            # previous baseline ran); each query starts on a fresh one.
            client.close()
            path = f"/api/v1/assets?{query}&per_page=100"
            get(path)  # the token's last use is written on the first request only
            statements = {n: get(f"/api/v1/assets?{query}&per_page={n}")[1] for n in (10, 100, 500)}
            served = orjson.loads(get(path)[0])
            api = timed(functools.partial(get, path), args.requests)
            bare = f"{path}&total=false"
            uncounted = timed(functools.partial(get, bare), args.requests)
            order = ORDER[next(part for part in query.split("&") if part.startswith("sort="))]
            raw = raw_page(engine, where, params, order)
            assert [r["uid"] for r in orjson.loads(raw())] == [i["uid"] for i in served["items"]]
            baseline = timed(raw, args.requests)
            with_count = timed(raw_page(engine, where, params, order, counted=True), args.requests)
            results.append((label, served["total"], statements, api, baseline, with_count))
            without_total.append((label, uncounted, baseline))

    print(
        f"GET /api/v1/me (the per-request floor: auth, one transaction): "
        f"p50 {statistics.median(floor) * 1000:.2f} ms"
    )
    print(
        f"{'100-row page':<29}{'matching':>9}{'SQL 10/100/500':>15}{'API p50/p99 ms':>16}"
        f"{'raw p50/p99 ms':>16}{'ratio p50/p99':>15}{'raw+count p50':>15}{'ratio':>7}"
    )
    for label, total, statements, api, baseline, with_count in results:
        a50, a99 = statistics.median(api) * 1000, percentile(api, 0.99) * 1000
        r50, r99 = statistics.median(baseline) * 1000, percentile(baseline, 0.99) * 1000
        c50 = statistics.median(with_count) * 1000
        sql = "/".join(str(statements[n]) for n in (10, 100, 500))
        print(
            f"{label:<29}{total:>9,}{sql:>15}{f'{a50:.2f}/{a99:.2f}':>16}"
            f"{f'{r50:.2f}/{r99:.2f}':>16}{f'{a50 / r50:.2f}x/{a99 / r99:.2f}x':>15}"
            f"{c50:>13.2f}ms{a50 / c50:>6.2f}x"
        )
    print("\nthe same pages with total=false (no count), against the raw SELECT + orjson:")
    for label, uncounted, baseline in without_total:
        u50, u99 = statistics.median(uncounted) * 1000, percentile(uncounted, 0.99) * 1000
        r50, r99 = statistics.median(baseline) * 1000, percentile(baseline, 0.99) * 1000
        print(
            f"{label:<29}{f'{u50:.2f}/{u99:.2f} ms':>18}{f'{r50:.2f}/{r99:.2f} ms':>18}"
            f"{f'{u50 / r50:.2f}x/{u99 / r99:.2f}x':>16}"
        )
    print(
        "target (decided, issue 12): a page with its total within 2x of the raw count + "
        "SELECT + orjson, total=false within 2x of the raw SELECT + orjson, for the selective "
        "and the broad filter at 100,000 assets; no token cache; statements must not grow "
        "with the page size"
    )


if __name__ == "__main__":
    main()
