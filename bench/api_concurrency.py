"""The filtered asset page under 20 concurrent clients, with and without one writer.

Same data and same page as bench/api_assets.py ("one department, cloud", 100
rows, with its total), in the same run:

1. readers alone: 20 clients, each on its own keep-alive connection, ask for
   the page as fast as the service answers, for --seconds;
2. readers and one writer: the same 20 readers while one more client edits
   assets through the API (GET for the ETag, PATCH with If-Match) in a loop.

Printed per phase: requests per second, p50 and p99 latency and errors of the
readers (any answer but 200, or a dropped connection), and the writer's count,
p50 and errors. The writer must not make any read fail.

    .venv/bin/python -m bench.api_concurrency [--assets 100000] [--seconds 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import sqlalchemy as sa

from bench.api_assets import ACTOR, Server, percentile, populate
from inventory.db.engine import make_engine, session_scope
from inventory.db.migrate import upgrade
from inventory.domain.choices import Role
from inventory.services import users

READERS = 20
PAGE = "/api/v1/assets?department=D07&mode=cloud&sort=name&per_page=100"


@dataclass
class Tally:
    """What one client saw: latencies of good answers (s), and errors by kind."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def reader(port: int, headers: dict[str, str], until: float, tally: Tally) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            connection.request("GET", PAGE, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            tally.error(type(exc).__name__)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        if response.status == 200:
            tally.latencies.append(time.perf_counter() - started)
        else:
            tally.error(str(response.status))
    connection.close()


def writer(port: int, headers: dict[str, str], uids: list[str], until: float, tally: Tally) -> None:
    """Edits one asset after another: the ledger's notes, with If-Match, as a script would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = 0
    while time.monotonic() < until:
        uid = uids[n % len(uids)]
        n += 1
        started = time.perf_counter()
        try:
            connection.request("GET", f"/api/v1/assets/{uid}", headers=headers)
            found = connection.getresponse()
            found.read()
            etag = found.getheader("ETag", "")
            body = orjson.dumps({"notes": f"bench edit {n}"})
            connection.request(
                "PATCH",
                f"/api/v1/assets/{uid}",
                body=body,
                headers={**headers, "If-Match": etag, "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            tally.error(type(exc).__name__)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        if response.status == 200:
            tally.latencies.append(time.perf_counter() - started)
        else:
            tally.error(str(response.status))
    connection.close()


def phase(
    port: int, headers: dict[str, str], seconds: float, uids: list[str] | None
) -> tuple[list[Tally], Tally | None, float]:
    until = time.monotonic() + seconds
    tallies = [Tally() for _ in range(READERS)]
    threads = [threading.Thread(target=reader, args=(port, headers, until, t)) for t in tallies]
    edits = Tally() if uids else None
    if uids and edits is not None:
        threads.append(threading.Thread(target=writer, args=(port, headers, uids, until, edits)))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tallies, edits, time.monotonic() - started


def report(name: str, tallies: list[Tally], edits: Tally | None, elapsed: float) -> None:
    latencies = [x for t in tallies for x in t.latencies]
    errors: dict[str, int] = {}
    for tally in tallies:
        for kind, count in tally.errors.items():
            errors[kind] = errors.get(kind, 0) + count
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = percentile(latencies, 0.99) * 1000 if latencies else float("nan")
    print(
        f"{name:<26}{len(latencies) / elapsed:>9.1f}/s{p50:>10.1f}{p99:>10.1f}"
        f"{sum(errors.values()):>8}  {errors or ''}"
    )
    if edits is not None:
        e50 = statistics.median(edits.latencies) * 1000 if edits.latencies else float("nan")
        print(
            f"{'  the writer (GET+PATCH)':<26}{len(edits.latencies) / elapsed:>9.1f}/s"
            f"{e50:>10.1f}{'':>10}{sum(edits.errors.values()):>8}  {edits.errors or ''}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-api-concurrency-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    engine = make_engine(url)
    if args.database_url:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    upgrade(engine)
    populate(engine, args.assets)
    with session_scope(engine) as session:
        user = users.create_user(session, ACTOR, "bench", "Bench-Password-2026", Role.BUREAU)
        _, token = users.issue_token(session, ACTOR, user, "bench")
    with engine.connect() as connection:  # edits land outside the readers' department
        uids = list(
            connection.execute(
                sa.text(
                    "SELECT a.uid FROM asset a JOIN department d ON d.id = a.department_id "
                    "WHERE d.code = 'D08' ORDER BY a.id LIMIT 200"
                )
            ).scalars()
        )
    engine.dispose()
    headers = {"Authorization": f"Bearer {token}"}
    backend = sa.make_url(url).get_backend_name()
    print(f"{args.assets:,} assets on {backend}; {READERS} readers of {PAGE}")
    print(f"{'':<26}{'reads':>11}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    with Server(url, workdir / "data") as server:
        phase(server.port, headers, 2, None)  # warm-up: caches, connections, token last use
        report("readers alone", *phase(server.port, headers, args.seconds, None))
        report("readers + one writer", *phase(server.port, headers, args.seconds, uids))
    print("target: the writer makes no read fail (errors 0 in both phases)")


if __name__ == "__main__":
    main()
