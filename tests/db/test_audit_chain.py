"""P7: the audit trail is tamper-evident: each event is chained to the one before it.

`inventory audit verify` re-hashes the chain and names the first event that
does not link; a trigger someone dropped comes back at the next start-up.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

from inventory.db.engine import make_engine, session_scope
from inventory.db.migrate import upgrade
from inventory.domain.audit_chain import GENESIS, link
from inventory.models import Department
from inventory.services import audit, records
from inventory.services.audit_chain import CHAIN, COLUMNS, EVENTS, verify
from inventory.services.context import Actor
from tests.cli.runner import run
from tests.conftest import Backend

REFUSED = (sa.exc.IntegrityError, sa.exc.DatabaseError)
LIFT_UPDATE = {
    "sqlite": "DROP TRIGGER auditevent_no_update",
    "postgresql": "DROP TRIGGER auditevent_append_only ON auditevent",
}
LIFT_INSERT = {
    "sqlite": "DROP TRIGGER auditevent_checked_insert",
    "postgresql": "DROP TRIGGER auditevent_checked_insert ON auditevent",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, backend: Backend) -> Iterator[str]:
    """Each chain test runs on SQLite and on PostgreSQL."""
    chosen: Backend = (
        request.getfixturevalue("postgres_backend") if request.param == "postgresql" else backend
    )
    if request.param == "sqlite" and chosen.is_postgres:
        # This run's main backend is PostgreSQL: the SQLite side runs on a file of its own
        # (on CI nothing may be skipped).
        url = f"sqlite:///{request.getfixturevalue('tmp_path') / 'chain.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    url = chosen.fresh_url()
    yield url
    chosen.drop(url)


def _events(engine: sa.Engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql("SELECT id FROM auditevent ORDER BY id").scalars())


def _sample(url: str) -> list[int]:
    """The sample estate's ledger, loaded by the CLI; the audit event ids."""
    code, output = run("sample", env={"INVENTORY_DATABASE_URL": url})
    assert code == 0, output
    engine = make_engine(url)
    try:
        return _events(engine)
    finally:
        engine.dispose()


def _changes(url: str, n: int = 24) -> list[int]:
    """Creates, updates and deletes through the services (cheaper than the sample); event ids."""
    engine = make_engine(url)
    actor = Actor("user:tester", "req-1")
    try:
        with session_scope(engine) as session:
            for i in range(n):
                department = records.create(session, actor, Department(code=f"C{i}", name=f"局{i}"))
                records.update(
                    session, actor, Department, department.id, 1, {"name": f"新局{i}"}, "rename"
                )
                if i % 3 == 0:
                    records.delete(session, actor, Department, department.id, 2, "merged")
        return _events(engine)
    finally:
        engine.dispose()


def _tamper(url: str, *statements: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _verify(url: str, *options: str) -> tuple[int, dict[str, object]]:
    code, output = run("audit", "verify", "--json", *options, env={"INVENTORY_DATABASE_URL": url})
    return code, json.loads(output[output.index("{") :])


def test_verify_passes_on_a_freshly_loaded_estate(database_url: str) -> None:
    events = _sample(database_url)
    assert len(events) > 300
    code, verdict = _verify(database_url)
    assert code == 0
    assert verdict["ok"] is True
    assert verdict["checked"] == len(events)
    code, output = run(
        "audit", "verify", "--print-head", env={"INVENTORY_DATABASE_URL": database_url}
    )
    assert (code, output.strip()) == (0, verdict["head"])


def test_a_rewrite_that_recomputed_every_hash_is_caught_by_a_noted_head(
    database_url: str,
) -> None:
    """What the chain alone cannot show (an owner re-hashing it), a head noted outside can."""
    events = _changes(database_url)
    env = {"INVENTORY_DATABASE_URL": database_url}
    noted = run("audit", "verify", "--print-head", env=env)[1].strip()
    assert run("audit", "verify", "--noted", noted, env=env)[0] == 0
    dialect = sa.make_url(database_url).get_backend_name()
    engine = make_engine(database_url)
    try:  # the owner rewrites an event and re-chains everything after it
        with engine.begin() as connection:
            connection.exec_driver_sql(LIFT_UPDATE[dialect])
            connection.exec_driver_sql(
                f"UPDATE auditevent SET actor = 'user:nobody' WHERE id = {events[3]}"
            )
            previous = GENESIS
            for row in connection.execute(
                sa.select(EVENTS.c.id, *(EVENTS.c[n] for n in COLUMNS)).order_by(EVENTS.c.id)
            ).all():
                previous = link(previous, row._mapping)
                connection.execute(
                    sa.update(EVENTS).where(EVENTS.c.id == row.id).values(chain_hash=previous)
                )
            connection.execute(sa.update(CHAIN).values(head_hash=previous))
    finally:
        engine.dispose()
    assert run("audit", "verify", env=env)[0] == 0  # the chain alone is fooled
    code, verdict = _verify(database_url, "--noted", noted)
    assert code == 1
    assert "rewritten" in str(verdict["problem"])


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE auditevent SET actor = 'user:nobody' WHERE id = {id}",
        "UPDATE auditevent SET reason = 'afterthought' WHERE id = {id}",
        """UPDATE auditevent SET "after" = NULL WHERE id = {id}""",
        "UPDATE auditevent SET occurred_at = occurred_at - INTERVAL '1 second' WHERE id = {id}",
    ],
    ids=["actor", "reason", "after", "time"],
)
def test_a_raw_sql_change_to_any_event_is_reported_at_that_event(
    database_url: str, change: str
) -> None:
    events = _changes(database_url)
    target = events[len(events) // 2]
    dialect = sa.make_url(database_url).get_backend_name()
    statement = change.format(id=target)
    if dialect == "sqlite":
        statement = statement.replace(
            "occurred_at - INTERVAL '1 second'",
            "strftime('%Y-%m-%d %H:%M:%f', occurred_at, '-1 second')",
        )
    _tamper(database_url, LIFT_UPDATE[dialect], statement)
    code, verdict = _verify(database_url)
    assert code == 1
    assert verdict["broken_event"] == target
    assert f"event {target} " in str(verdict["problem"])


def test_a_removed_event_is_reported_at_its_successor(
    database_url: str,
) -> None:
    events = _changes(database_url)
    dialect = sa.make_url(database_url).get_backend_name()
    lift = {"sqlite": "DROP TRIGGER auditevent_no_early_delete", "postgresql": LIFT_UPDATE[dialect]}
    _tamper(database_url, lift[dialect], f"DELETE FROM auditevent WHERE id = {events[10]}")
    assert _verify(database_url)[1]["broken_event"] == events[11]

    # (verify's start-up re-created the trigger: lift it again)
    _tamper(database_url, lift[dialect], f"DELETE FROM auditevent WHERE id >= {events[-3]}")
    code, verdict = _verify(database_url)
    assert code == 1
    assert verdict["broken_event"] == events[11]  # still the first break


def test_a_removed_tail_is_reported_against_the_head(database_url: str) -> None:
    events = _changes(database_url)
    dialect = sa.make_url(database_url).get_backend_name()
    lift = {"sqlite": "DROP TRIGGER auditevent_no_early_delete", "postgresql": LIFT_UPDATE[dialect]}
    _tamper(database_url, lift[dialect], f"DELETE FROM auditevent WHERE id >= {events[-2]}")
    code, verdict = _verify(database_url)
    assert code == 1
    assert verdict["broken_event"] is None
    assert "head" in str(verdict["problem"])


def test_a_forged_event_with_a_made_up_hash_is_reported(database_url: str) -> None:
    events = _changes(database_url)
    forged = events[-1] + 1
    _tamper(
        database_url,
        "INSERT INTO auditevent (id, occurred_at, actor, action, object_type, object_id,"
        f" chain_hash) VALUES ({forged}, CURRENT_TIMESTAMP, 'user:admin', 'asset.update',"
        f" 'asset', '1', '{'ab' * 32}')",
    )
    code, verdict = _verify(database_url)
    assert (code, verdict["broken_event"]) == (1, forged)


def test_inserts_that_would_replace_an_event_or_skip_the_hash_are_refused(
    database_url: str,
) -> None:
    events = _changes(database_url)
    dialect = sa.make_url(database_url).get_backend_name()
    engine = make_engine(database_url)
    attempts = [
        "INSERT INTO auditevent (occurred_at, actor, action, object_type, object_id)"
        " VALUES (CURRENT_TIMESTAMP, 'user:a', 'x', 'asset', '1')",
    ]
    if dialect == "sqlite":  # REPLACE deletes the old row without firing DELETE triggers
        attempts.append(
            "INSERT OR REPLACE INTO auditevent (id, occurred_at, actor, action, object_type,"
            f" object_id, chain_hash) VALUES ({events[0]}, CURRENT_TIMESTAMP, 'user:a', 'x',"
            f" 'asset', '1', '{GENESIS}')"
        )
    attempts.append(
        "INSERT INTO auditevent (id, occurred_at, actor, action, object_type, object_id,"
        f" chain_hash) VALUES ({events[0]}, CURRENT_TIMESTAMP, 'user:a', 'x', 'asset', '1',"
        f" '{GENESIS}') ON CONFLICT (id) DO UPDATE SET actor = excluded.actor"
    )
    try:
        for attempt in attempts:
            with pytest.raises(REFUSED), engine.begin() as connection:
                connection.exec_driver_sql(attempt)
    finally:
        engine.dispose()
    assert _verify(database_url)[0] == 0  # and the chain is still whole


def test_a_dropped_trigger_is_recreated_at_start_up_and_by_upgrade_and_said(
    database_url: str,
) -> None:
    _changes(database_url)
    dialect = sa.make_url(database_url).get_backend_name()
    env = {"INVENTORY_DATABASE_URL": database_url}
    _tamper(database_url, LIFT_UPDATE[dialect], LIFT_INSERT[dialect])
    code, output = run("summary", "--json", env=env)
    assert code == 0
    assert "re-created" in output
    assert LIFT_UPDATE[dialect].split()[2] in output
    _tamper(database_url, LIFT_INSERT[dialect])
    code, output = run("db", "upgrade", env=env)
    assert code == 0
    assert "auditevent_checked_insert" in output
    code, output = run("db", "upgrade", env=env)
    assert "re-created" not in output  # nothing missing: nothing said
    engine = make_engine(database_url)
    try:
        with pytest.raises(REFUSED), engine.begin() as connection:
            connection.exec_driver_sql("UPDATE auditevent SET actor = 'x'")
    finally:
        engine.dispose()


def test_pruning_anchors_the_first_kept_event_so_the_rest_still_verifies(
    database_url: str, actor: Actor
) -> None:
    from tests.db.test_audit_trail import _insert_event

    engine = make_engine(database_url)
    try:
        old = [_insert_event(engine, age_days=400) for _ in range(3)]
        kept = _insert_event(engine, age_days=10)
        with session_scope(engine) as session:
            assert audit.purge_expired(session, actor) == 3
        with engine.connect() as connection:
            verdict = verify(connection)
        assert verdict.ok, verdict.problem
        assert min(_events(engine)) == kept > max(old)
    finally:
        engine.dispose()


def test_concurrent_writers_do_not_fork_the_chain(database_url: str) -> None:
    """Eight threads each record twenty changes at once; the chain stays one line."""
    engine = make_engine(database_url)
    errors: list[BaseException] = []

    def writer(n: int) -> Callable[[], None]:
        def work() -> None:
            try:
                for i in range(20):
                    with session_scope(engine) as session:
                        records.create(
                            session, Actor(f"user:{n}"), Department(code=f"T{n}-{i}", name="x")
                        )
            except BaseException as exc:  # reported below
                errors.append(exc)

        return work

    try:
        threads = [threading.Thread(target=writer(n)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        with engine.connect() as connection:
            verdict = verify(connection)
        assert verdict.ok, verdict.problem
        assert verdict.checked == 160
    finally:
        engine.dispose()


def test_an_upgrade_chains_the_events_written_before_the_chain_existed(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        upgrade(engine, "0003")
        with engine.begin() as connection:
            for n in range(3):
                connection.exec_driver_sql(
                    "INSERT INTO auditevent (occurred_at, actor, action, object_type, object_id,"
                    f" \"after\") VALUES ('2026-11-2{n} 10:00:00.000000', 'user:a', 'x', 'asset',"
                    f" '{n}', '{{\"n\": {n}}}')"
                )
        upgrade(engine)
        with engine.connect() as connection:
            verdict = verify(connection)
        assert (verdict.ok, verdict.checked) == (True, 3)
    finally:
        engine.dispose()
