"""Reads never wait for writers (SQLite WAL, deferred read transactions); a write
that waits too long for the lock answers 503 with Retry-After, never 500."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from inventory.db.engine import make_engine
from inventory.db.migrate import upgrade
from inventory.models import ApiToken
from tests.api.conftest import Estate

URL = "/api/v1/assets"
LOCK_WAIT_MS = 300


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A SQLite file whatever the main backend: the lock behaviour is SQLite's."""
    url = f"sqlite:///{tmp_path / 'inventory.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(database_url, lock_wait_ms=LOCK_WAIT_MS)
    yield engine
    engine.dispose()


@pytest.fixture
def writer_holding_the_lock(database_url: str) -> Iterator[sqlite3.Connection]:
    """Another process's long write: an import that has begun and not yet committed."""
    connection = sqlite3.connect(sa.make_url(database_url).database or "", isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE department SET name = name")
    yield connection
    connection.rollback()
    connection.close()


def _patch(estate: Estate) -> Any:
    current = estate.get("ops", f"{URL}/{estate.own_asset}")
    headers = {**estate.headers("ops"), "If-Match": current.headers["ETag"]}
    return estate.client.patch(
        f"{URL}/{estate.own_asset}", headers=headers, json={"location": "三楼"}
    )


def test_reads_succeed_while_a_long_write_transaction_is_open(
    estate: Estate, writer_holding_the_lock: sqlite3.Connection
) -> None:
    for who in ("ops", "bureau", "department", "ops-read-only"):  # fresh tokens: last use due
        listed = estate.get(who, URL)
        assert listed.status_code == 200, listed.text
        assert listed.json()["items"]
    detail = estate.get("ops", f"{URL}/{estate.own_asset}")
    assert detail.status_code == 200
    assert estate.get("ops", f"{URL}/{estate.own_asset}/history").status_code == 200


def test_a_write_that_cannot_get_the_lock_answers_503_with_retry_after(
    estate: Estate, writer_holding_the_lock: sqlite3.Connection
) -> None:
    answer = _patch(estate)
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "5"
    assert "busy" in answer.json()["detail"]


def test_the_write_goes_through_once_the_writer_is_done(estate: Estate) -> None:
    assert _patch(estate).status_code == 200


def test_a_token_s_last_use_is_noted_after_the_read_not_in_it(estate: Estate) -> None:
    with estate.engine.connect() as connection:
        connection.execute(sa.update(ApiToken).values(last_used_at=None))
        connection.commit()
    assert estate.get("finance", URL).status_code in (200, 403)
    with estate.engine.connect() as connection:
        noted = connection.execute(
            sa.select(sa.func.count()).where(ApiToken.last_used_at.is_not(None))
        ).scalar_one()
    assert noted == 1


def test_a_write_notes_the_token_s_last_use_in_its_own_transaction(estate: Estate) -> None:
    """A write holds the lock already; a second session for the note would wait on it."""
    current = estate.get("ops", f"{URL}/{estate.own_asset}")
    with estate.engine.connect() as connection:
        connection.execute(sa.update(ApiToken).values(last_used_at=None))
        connection.commit()
    headers = {**estate.headers("ops"), "If-Match": current.headers["ETag"]}
    answer = estate.client.patch(
        f"{URL}/{estate.own_asset}", headers=headers, json={"location": "三楼"}
    )
    assert answer.status_code == 200, answer.text
    with estate.engine.connect() as connection:
        noted = connection.execute(
            sa.select(sa.func.count()).where(ApiToken.last_used_at.is_not(None))
        ).scalar_one()
    assert noted == 1  # the ops token; with a second session the note was given up
