"""The schema comes from Alembic, and the migrations agree with the models."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import inventory.models  # noqa: F401
from inventory.db.engine import make_engine
from inventory.db.migrate import current_revision, head_revision, is_up_to_date, upgrade


def test_upgrade_creates_every_table_on_an_empty_sqlite_file(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert current_revision(engine) is None
    upgrade(engine)
    assert is_up_to_date(engine)
    assert set(SQLModel.metadata.tables) <= set(sa.inspect(engine).get_table_names())


def test_upgrade_twice_is_harmless(engine: sa.Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == head_revision()


# The PostgreSQL-only expression index is compared on PostgreSQL; SQLite has no such
# index and alembic says so, which is all this ignores.
@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index "
    "'ix_asset_recently_seen'"
)
def test_models_and_migrations_agree(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
