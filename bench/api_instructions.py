"""Instructions per 100-row page, the app in process vs the raw SELECT + orjson, by callgrind.

The wall-clock bench (bench/api_assets.py) is the real thing, HTTP included,
but this machine's timings wander by a third from one minute to the next.
Instruction counts do not: valgrind's callgrind counts the same program the
same way whatever else the machine is doing. Each side runs twice under
callgrind, once with only the warm-up requests and once with N more; the
difference over N is what one request costs. The app is called through ASGI
in its process (authentication, the transaction, routing, validation, the
query and serialisation; no sockets), the baseline is the driver's cursor and
orjson on the same database, as in bench/api_assets.py.

    .venv/bin/python -m bench.api_instructions [--assets 100000] [--requests 100]

Needs valgrind (apt-get install valgrind). Takes about 35 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.api_assets import ACTOR, ORDER, QUERIES, populate, raw_page
from inventory.db.engine import make_engine, session_scope
from inventory.db.migrate import upgrade
from inventory.domain.choices import Role
from inventory.services import users

WARM_UP = 20
FLOOR = "GET /api/v1/me (the floor)"


def api_worker(url: str, data_dir: str, token: str, path: str, count: int) -> None:
    from api.app import create_app
    from inventory.settings import load_settings

    app = create_app(load_settings(data_dir=data_dir, database_url=url), make_engine(url))
    route, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def call() -> None:
        statuses: list[object] = []

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await app({**scope, "state": {}}, receive, send)  # type: ignore[arg-type]
        assert statuses == [200], statuses

    async def run() -> None:
        async with app.router.lifespan_context(app):
            for _ in range(WARM_UP + count):
                await call()

    asyncio.run(run())


def raw_worker(url: str, label: str, counted: bool, count: int) -> None:
    query, where, params = QUERIES[label]
    order = ORDER[next(part for part in query.split("&") if part.startswith("sort="))]
    page = raw_page(make_engine(url), where, params, order, counted)
    for _ in range(WARM_UP + count):
        page()


def instructions(worker_args: list[str]) -> int:
    """What callgrind counted for one run of this module as a worker."""
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-m",
            "bench.api_instructions",
            "--worker",
            *worker_args,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},  # the same dict layouts in every run
        check=True,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    assert found, result.stderr[-2000:]
    return int(found.group(1))


def per_request(pool: ThreadPoolExecutor, worker_args: list[str], count: int) -> float:
    warm, measured = pool.map(instructions, [[*worker_args, "0"], [*worker_args, str(count)]])
    return (measured - warm) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, *rest = args.worker
        if kind == "api":
            url, data_dir, token, path, count = rest
            api_worker(url, data_dir, token, path, int(count))
        else:
            url, label, counted, count = rest
            raw_worker(url, label, counted == "counted", int(count))
        return

    workdir = Path(tempfile.mkdtemp(prefix="bench-instr-"))
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    populate(engine, args.assets)
    with session_scope(engine) as session:
        user = users.create_user(session, ACTOR, "bench", "Bench-Password-2026", Role.BUREAU)
        _, token = users.issue_token(session, ACTOR, user, "bench")
    engine.dispose()
    data_dir = str(workdir / "data")

    def api(path: str) -> list[str]:
        return ["api", url, data_dir, token, path]

    print(f"{args.assets:,} assets on SQLite; {args.requests} requests after {WARM_UP} to warm up")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        floor = per_request(pool, api("/api/v1/me"), args.requests)
        print(f"{FLOOR}: {floor / 1e6:.2f} M instructions")
        # Each API form against the raw side doing the same work: with the
        # total, the raw side counts too; with total=false it only selects.
        heads = f"{'API':>9}{'raw+count':>11}{'ratio':>7}{'no total':>10}{'raw':>8}{'ratio':>7}"
        print(f"{'100-row page':<29}{heads}")
        for label, (query, _, _) in QUERIES.items():
            path = f"/api/v1/assets?{query}&per_page=100"
            counted = per_request(pool, api(path), args.requests)
            raw_counted = per_request(pool, ["raw", url, label, "counted"], args.requests)
            uncounted = per_request(pool, api(f"{path}&total=false"), args.requests)
            raw = per_request(pool, ["raw", url, label, "uncounted"], args.requests)
            print(
                f"{label:<29}{counted / 1e6:>8.2f}M{raw_counted / 1e6:>10.2f}M"
                f"{counted / raw_counted:>6.2f}x{uncounted / 1e6:>9.2f}M{raw / 1e6:>7.2f}M"
                f"{uncounted / raw:>6.2f}x"
            )
    print("millions of instructions per request; target: within 2x of the raw side")


if __name__ == "__main__":
    main()
